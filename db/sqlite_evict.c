/*
 * sqlite_evict.c - retention for the SQLite backend: delete a capture's
 * oldest frames, report what is kept and how much disk it takes.
 *
 * Frames rows go one by one (limits are exact in frames); a frame_data
 * chunk goes with its last frame, and a frames segment file once no chunk
 * points into it.  Statistics, flows and addresses are kept: they describe
 * what was seen, not what is still stored.  Deletes join the writer's open
 * transaction; the files are deleted by sq_reclaim after the commit, so a
 * crash in between leaves files the next open deletes (sqlite_datafile.c).
 * Freed SQLite pages go to the freelist and are reused by the next
 * inserts, so the database file stops growing at its high-water mark.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db/sqlite_int.h"

/* Walk the oldest frames; *last is the highest number to evict (0: none). */
static int walk(sq_store *s, int64_t cap, const nm_evict_goal *g, nm_evicted *out, uint64_t *last)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_EVICT_WALK);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, (int64_t)g->max + 1);
	int rc;
	*last = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		uint64_t number = (uint64_t)sqlite3_column_int64(q, 0);
		uint64_t caplen = (uint64_t)sqlite3_column_int64(q, 1);
		int64_t ts = sqlite3_column_int64(q, 2);
		bool want = out->frames < g->frames || out->bytes < g->bytes || (g->before_ns && ts < g->before_ns);
		bool may = out->frames < g->max && (!g->until_ns || ts <= g->until_ns);
		if (!want || !may) {
			out->more = true;
			out->next_ns = ts;
			break;
		}
		out->frames++;
		out->bytes += caplen;
		*last = number;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail_db(s, "walking the oldest frames");
}

/* Run a statement taking (capture_id, value) that returns no rows. */
static int step_cap(sq_store *s, enum sq_stmt_id id, int64_t cap, uint64_t last)
{
	sqlite3_stmt *q = sq_stmt(s, id);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, (int64_t)last);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "evicting frames");
}

int sq_evict(nm_store *st, int64_t capture_id, const nm_evict_goal *g, nm_evicted *out)
{
	sq_store *s = (sq_store *)st;
	uint64_t last;
	memset(out, 0, sizeof *out);
	if (!g->max)
		return 0;
	/* frames of this capture still in the open chunk must be on disk
	 * and in frame_data before their rows can be judged */
	if (sq_begin(s) || sq_chunk_write(s) || walk(s, capture_id, g, out, &last))
		return -1;
	if (!last)
		return 0;
	if (step_cap(s, SQ_EVICT_FRAMES, capture_id, last) || step_cap(s, SQ_EVICT_CHUNKS, capture_id, last))
		return -1;
	/* counted in the same transaction, so a crash loses neither */
	return step_cap(s, SQ_EVICT_COUNT, capture_id, out->frames);
}

int sq_kept(nm_store *st, int64_t capture_id, nm_kept *out)
{
	sq_store *s = (sq_store *)st;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = sq_stmt(s, SQ_KEPT);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->frames = (uint64_t)sqlite3_column_int64(q, 0);
		out->bytes = (uint64_t)sqlite3_column_int64(q, 1);
		out->oldest_ns = sqlite3_column_int64(q, 2);
		out->newest_ns = sqlite3_column_int64(q, 3);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : sq_fail_db(s, "counting kept frames");
}

static uint64_t allocated(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
}

int sq_space(nm_store *st, nm_space *out)
{
	sq_store *s = (sq_store *)st;
	memset(out, 0, sizeof *out);
	const char *db = sqlite3_db_filename(s->db, "main");
	char wal[4200];
	snprintf(wal, sizeof wal, "%.4000s-wal", db ? db : "");
	out->wal_bytes = db ? allocated(wal) : 0;
	out->db_bytes = db ? allocated(db) + out->wal_bytes : 0;
	return sq_data_space(s, out);
}

int sq_reclaim(nm_store *st)
{
	sq_store *s = (sq_store *)st;
	return s->in_txn ? 0 : sq_data_reclaim(s);
}
