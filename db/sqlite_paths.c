/*
 * sqlite_paths.c - frames and bytes per protocol path and capture
 * (path_stats), added up from the deltas the writer sends each second.
 * The protocol hierarchy reads this table, not the frames, so frames the
 * retention limits evicted still count (issue 5).
 */
#include "db/sqlite_int.h"

static const char upsert_sql[] = "INSERT INTO path_stats(capture_id, path, frames, bytes) VALUES(?1, ?2, ?3, ?4)"
                                 " ON CONFLICT(capture_id, path) DO UPDATE SET"
                                 " frames = frames + excluded.frames, bytes = bytes + excluded.bytes";

/* Once a second with a few rows: preparing each time costs nothing that
 * matters and keeps the shared statement list untouched. */
int sq_write_paths(nm_store *st, int64_t capture_id, const nm_path_rec *r, size_t n)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q;
	if (!n)
		return 0;
	if (sq_begin(s))
		return -1;
	if (sqlite3_prepare_v2(s->db, upsert_sql, -1, &q, NULL) != SQLITE_OK)
		return sq_fail_db(s, "preparing the protocol path statistics");
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(q, 1, capture_id);
		sqlite3_bind_text(q, 2, r[i].path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, (int64_t)r[i].frames);
		sqlite3_bind_int64(q, 4, (int64_t)r[i].bytes);
		rc = sqlite3_step(q);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "storing protocol path statistics");
}
