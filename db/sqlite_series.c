/*
 * sqlite_series.c - the time series table (see db/series.h): deltas added
 * with an upsert, old buckets deleted a bounded number at a time so the
 * writer never holds the database for long.
 */
#include "db/series.h"
#include "db/sqlite_int.h"

const int64_t nm_series_interval_s[NM_SERIES_LEVELS] = {1, 60, 3600};

static const char series_upsert[] =
    "INSERT INTO series(interval_s, capture_id, start_ns, frames, bytes, drops, broadcast,"
    " multicast) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT(interval_s, capture_id, start_ns) DO UPDATE SET"
    " frames = frames + excluded.frames, bytes = bytes + excluded.bytes,"
    " drops = drops + excluded.drops, broadcast = broadcast + excluded.broadcast,"
    " multicast = multicast + excluded.multicast";

/* The oldest first, by the primary key: a range scan, no sort. */
static const char series_trim[] = "DELETE FROM series WHERE (interval_s, capture_id, start_ns) IN"
                                  " (SELECT interval_s, capture_id, start_ns FROM series"
                                  " WHERE interval_s = ?1 AND capture_id = ?2 AND start_ns < ?3"
                                  " ORDER BY start_ns LIMIT ?4)";

static sq_store *sqlite_of(nm_store *st)
{
	if (st->ops != &nm_sqlite_ops) {
		nm_store_fail(st, "time series need the SQLite store");
		return NULL;
	}
	return (sq_store *)st;
}

static int upsert(sq_store *s, sqlite3_stmt *q, int64_t cap, int64_t iv, const nm_series_rec *r)
{
	sqlite3_bind_int64(q, 1, iv);
	sqlite3_bind_int64(q, 2, cap);
	sqlite3_bind_int64(q, 3, r->start_ns);
	const uint64_t v[] = {r->frames, r->bytes, r->drops, r->broadcast, r->multicast};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_int64(q, 4 + i, (int64_t)v[i]);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "storing the time series");
}

int nm_store_write_series(nm_store *st, int64_t capture_id, int64_t interval_s, const nm_series_rec *r, size_t n)
{
	sq_store *s = sqlite_of(st);
	sqlite3_stmt *q;
	if (!s || st->readonly)
		return s ? nm_store_fail(st, "the store is read-only") : -1;
	if (!n)
		return 0;
	if (sq_begin(s))
		return -1;
	if (sqlite3_prepare_v2(s->db, series_upsert, -1, &q, NULL) != SQLITE_OK)
		return sq_fail_db(s, "preparing the time series upsert");
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = upsert(s, q, capture_id, interval_s, &r[i]);
	sqlite3_finalize(q);
	return rc;
}

int nm_store_trim_series(nm_store *st, int64_t capture_id, int64_t interval_s, int64_t before_ns, int max_rows)
{
	sq_store *s = sqlite_of(st);
	sqlite3_stmt *q;
	if (!s || st->readonly)
		return s ? nm_store_fail(st, "the store is read-only") : -1;
	if (sq_begin(s))
		return -1;
	if (sqlite3_prepare_v2(s->db, series_trim, -1, &q, NULL) != SQLITE_OK)
		return sq_fail_db(s, "preparing the time series trim");
	sqlite3_bind_int64(q, 1, interval_s);
	sqlite3_bind_int64(q, 2, capture_id);
	sqlite3_bind_int64(q, 3, before_ns);
	sqlite3_bind_int(q, 4, max_rows);
	int rc = sqlite3_step(q);
	int n = rc == SQLITE_DONE ? sqlite3_changes(s->db) : sq_fail_db(s, "trimming the time series");
	sqlite3_finalize(q);
	return n;
}
