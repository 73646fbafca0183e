/*
 * sqlite_delete.c - deleting a whole capture (DELETE /api/v1/captures/{id}).
 *
 * Every table that has a capture_id column loses that capture's rows, found
 * from the schema rather than from a list here, so a table a later
 * migration adds cannot be forgotten and keep rows of a capture that no
 * longer exists.  All of it is one transaction: a failure leaves the
 * capture whole.  The frame bytes go when sq_reclaim finds segment files
 * no row points into any more; a segment shared with another capture's
 * frames stays until those go too.
 */
#include <stdio.h>
#include <string.h>

#include "db/sqlite_int.h"

static const char tables_sql[] = "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) p"
				 " WHERE m.type = 'table' AND p.name = 'capture_id' ORDER BY m.name";

static int delete_from(sq_store *s, const char *table, int64_t id)
{
	char sql[256];
	sqlite3_stmt *q;
	if ((size_t)snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE capture_id = ?1", table) >= sizeof sql)
		return nm_store_fail(&s->base, "table name too long: %s", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return nm_store_fail(&s->base, "%s: %s", sql, sqlite3_errmsg(s->db));
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : nm_store_fail(&s->base, "%s: %s", sql, sqlite3_errmsg(s->db));
}

/* Names first, deletes after: no schema cursor open while tables change. */
static int delete_rows(sq_store *s, int64_t id)
{
	char names[32][64];
	size_t n = 0;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, tables_sql, -1, &q, NULL) != SQLITE_OK)
		return nm_store_fail(&s->base, "listing tables: %s", sqlite3_errmsg(s->db));
	while (sqlite3_step(q) == SQLITE_ROW && n < sizeof names / sizeof names[0])
		snprintf(names[n++], sizeof names[0], "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	for (size_t i = 0; i < n; i++)
		if (delete_from(s, names[i], id))
			return -1;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM captures WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		return nm_store_fail(&s->base, "deleting the capture: %s", sqlite3_errmsg(s->db));
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : nm_store_fail(&s->base, "deleting the capture: %s", sqlite3_errmsg(s->db));
}

int sq_delete_capture(nm_store *st, int64_t id)
{
	sq_store *s = (sq_store *)st;
	if (sq_commit(s) || sq_begin(s))
		return -1;
	if (delete_rows(s, id)) {
		char keep[sizeof s->base.err];
		memcpy(keep, s->base.err, sizeof keep);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_txn = false;
		memcpy(s->base.err, keep, sizeof keep);
		return -1;
	}
	if (sq_commit(s))
		return -1;
	return sq_reclaim(st);
}
