/*
 * sql_int.h - shared by the push-down files (sql.c, sql_flow.c): a growing
 * SQL text buffer and the protocol-path subquery.
 */
#ifndef NETMON_FILTER_SQL_INT_H
#define NETMON_FILTER_SQL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "filter/ast.h"

typedef struct sbuf {
	char *s;
	size_t n, cap;
	bool oom;
} sbuf;

void flt_put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

enum { SQL_NONE, SQL_SUPERSET, SQL_EXACT };

/* Conditions on the protocol path are worked out once per distinct path
 * (the interned strings) instead of once per frame: SQLite evaluates the
 * uncorrelated subquery once.  A frame without a path has id 0, no row.
 * coalesce() keeps SQLite from driving a scan by the path index. */
#define PATH_IN "coalesce(f.protocols, 0) IN (SELECT id FROM strings WHERE "
/* The path with a colon on each side, so ':ip:' matches whole names. */
#define PATH_TEXT "(':' || text || ':')"

/* Address and port comparisons answered through the flows table
 * (sql_flow.c): the scan condition (SQL_SUPERSET or SQL_NONE) ... */
int flt_flow_sql(sbuf *b, const expr *e);
/* ... and the parts of chunks of frames that may hold matches,
 * (capture_id, first_number, lo, hi) rows of chunk_keys. */
bool flt_flow_cand(sbuf *b, const expr *e);

#endif
