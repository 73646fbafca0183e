/*
 * sqlite_stats.c - per-address statistics (written as deltas) and the
 * statistics readers: conversations, stations, protocol paths and time
 * series, delivered as rows of named cells.
 *
 * The readers build their SQL from fixed parts: only a column name from
 * the kind's own list may be spliced in (the sort key), every value is a
 * bound parameter.
 */
#include <stdio.h>
#include <string.h>

#include "db/sqlite_int.h"

static int upsert_addr(sq_store *s, sqlite3_stmt *q, int64_t cap, const nm_addr_rec *r)
{
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int(q, 2, r->conv);
	sqlite3_bind_text(q, 3, r->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->a, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->b, -1, SQLITE_STATIC);
	const uint64_t v[] = {r->frames_ab, r->bytes_ab, r->frames_ba, r->bytes_ba, r->bcast, r->mcast};
	for (int i = 0; i < 6; i++)
		sqlite3_bind_int64(q, 6 + i, (int64_t)v[i]);
	sqlite3_bind_int64(q, 12, r->first_ns);
	sqlite3_bind_int64(q, 13, r->last_ns);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "storing address statistics");
}

int sq_write_addrs(nm_store *st, int64_t capture_id, const nm_addr_rec *r, size_t n)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q;
	if (!n)
		return 0;
	if (sq_begin(s) || !(q = sq_stmt(s, SQ_ADDR_UPSERT)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (upsert_addr(s, q, capture_id, &r[i]))
			return -1;
	return 0;
}

/* ---- readers ---- */

typedef struct stat_sql {
	const char *select; /* columns, each with its output name */
	const char *from;   /* FROM ... WHERE ... [GROUP BY ...] */
	const char *const *sortable;
	const char *default_sort;
	bool default_asc;
} stat_sql;

#define CAP_WHERE "(?1 = 0 OR capture_id = ?1)"

static const char *const flow_cols[] = {"capture", "address_a", "port_a", "address_b", "port_b",
					"frames_ab", "bytes_ab", "frames_ba", "bytes_ba", "frames",
					"bytes", "start_ns", "duration_ns", NULL};
static const char *const conv_cols[] = {"capture", "address_a", "address_b", "frames_ab", "bytes_ab",
					"frames_ba", "bytes_ba", "frames", "bytes", "start_ns",
					"duration_ns", NULL};
static const char *const station_cols[] = {"capture", "address", "tx_frames", "tx_bytes", "rx_frames",
					   "rx_bytes", "frames", "bytes", "tx_broadcast", "tx_multicast",
					   "first_ns", "last_ns", NULL};
static const char *const path_cols[] = {"path", "frames", "bytes", NULL};
static const char *const ts_cols[] = {"start_ns", "frames", "bytes", "drops", "broadcast", "multicast", NULL};

static const stat_sql stat_sqls[] = {
	[NM_STAT_FLOWS] = {"capture_id AS capture, src AS address_a, sport AS port_a, dst AS address_b,"
			   " dport AS port_b, frames_ab, bytes_ab, frames_ba, bytes_ba,"
			   " frames_ab + frames_ba AS frames, bytes_ab + bytes_ba AS bytes,"
			   " first_ns AS start_ns, last_ns - first_ns AS duration_ns, state",
			   " FROM flows WHERE " CAP_WHERE " AND proto = ?2", flow_cols, "bytes", false},
	[NM_STAT_ADDR_CONVS] = {"capture_id AS capture, a AS address_a, b AS address_b, frames_ab, bytes_ab,"
				" frames_ba, bytes_ba, frames_ab + frames_ba AS frames,"
				" bytes_ab + bytes_ba AS bytes, first_ns AS start_ns,"
				" last_ns - first_ns AS duration_ns",
				" FROM addr_stats WHERE " CAP_WHERE " AND conv = 1 AND kind = ?2", conv_cols, "bytes",
				false},
	[NM_STAT_STATIONS] = {"capture_id AS capture, kind, a AS address, frames_ab AS tx_frames,"
			      " bytes_ab AS tx_bytes, frames_ba AS rx_frames, bytes_ba AS rx_bytes,"
			      " frames_ab + frames_ba AS frames, bytes_ab + bytes_ba AS bytes,"
			      " frames_ab - bcast - mcast AS tx_directed, bcast AS tx_broadcast,"
			      " mcast AS tx_multicast, first_ns, last_ns",
			      " FROM addr_stats WHERE " CAP_WHERE " AND conv = 0 AND (?2 IS NULL OR kind = ?2)",
			      station_cols, "bytes", false},
	/* counted at ingest (db/sqlite_paths.c): evicted frames count too */
	[NM_STAT_PROTO_PATHS] = {"path, sum(frames) AS frames, sum(bytes) AS bytes",
				 " FROM path_stats WHERE " CAP_WHERE " GROUP BY path",
				 path_cols, "path", true},
	/* the series table (db/sqlite_series.c), kept apart from the frames,
	 * which limits may evict; ?7 is the interval in ns */
	[NM_STAT_TIMESERIES] = {"start_ns, sum(frames) AS frames, sum(bytes) AS bytes, sum(drops) AS drops,"
				" sum(broadcast) AS broadcast, sum(multicast) AS multicast",
				" FROM series WHERE interval_s = ?7 / 1000000000 AND " CAP_WHERE
				" AND start_ns >= ?5 AND start_ns < ?6 GROUP BY start_ns",
				ts_cols, "start_ns", true},
};

static const char *sort_column(const stat_sql *k, const char *want)
{
	if (!want)
		return k->default_sort;
	for (const char *const *c = k->sortable; *c; c++)
		if (strcmp(*c, want) == 0)
			return *c;
	return NULL;
}

static int deliver(sqlite3_stmt *q, nm_stat_cb cb, void *ctx)
{
	int n = sqlite3_column_count(q), rows = 0, rc;
	nm_stat_cell cells[16];
	if (n > 16)
		n = 16;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			int t = sqlite3_column_type(q, i);
			cells[i].name = sqlite3_column_name(q, i);
			cells[i].is_text = t == SQLITE_TEXT;
			cells[i].i = sqlite3_column_int64(q, i);
			cells[i].s = cells[i].is_text ? (const char *)sqlite3_column_text(q, i) : NULL;
		}
		rows++;
		if (cb(ctx, cells, n))
			return rows;
	}
	return rc == SQLITE_DONE ? rows : -1;
}

static void bind_query(sqlite3_stmt *q, const nm_stat_query *r)
{
	sqlite3_bind_int64(q, 1, r->capture_id);
	if (r->kind == NM_STAT_FLOWS)
		sqlite3_bind_int(q, 2, r->filter);
	else if (r->addr_kind)
		sqlite3_bind_text(q, 2, r->addr_kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, r->limit ? (int64_t)r->limit : -1);
	sqlite3_bind_int64(q, 4, (int64_t)r->offset);
	sqlite3_bind_int64(q, 5, r->from_ns);
	sqlite3_bind_int64(q, 6, r->to_ns);
	sqlite3_bind_int64(q, 7, r->interval_ns > 0 ? r->interval_ns : 1000000000);
}

int sq_stat_rows(nm_store *st, const nm_stat_query *r, nm_stat_cb cb, void *ctx)
{
	sq_store *s = (sq_store *)st;
	if ((unsigned)r->kind >= sizeof stat_sqls / sizeof stat_sqls[0])
		return nm_store_fail(st, "unknown statistics kind");
	const stat_sql *k = &stat_sqls[r->kind];
	const char *col = sort_column(k, r->sort);
	if (!col) {
		nm_store_fail(st, "sort: unknown column '%s'", r->sort);
		return -2;
	}
	bool asc = r->sort ? r->asc : k->default_asc;
	char sql[1024];
	/* the sort key, then every output column up to it, makes the order total */
	snprintf(sql, sizeof sql, "SELECT %s%s ORDER BY %s %s, 1, 2, 3 LIMIT ?3 OFFSET ?4", k->select, k->from, col,
		 asc ? "ASC" : "DESC");
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return sq_fail_db(s, "preparing a statistics query");
	bind_query(q, r);
	int rows = deliver(q, cb, ctx);
	if (rows < 0)
		sq_fail_db(s, "reading statistics");
	sqlite3_finalize(q);
	return rows;
}
