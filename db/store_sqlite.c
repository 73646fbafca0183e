/*
 * store_sqlite.c - the embedded SQLite backend: connection, statements and
 * the transaction policy.
 *
 * Writes accumulate in one long transaction that commits every
 * SQ_COMMIT_FRAMES frames or when the writer calls nm_store_flush, because
 * a commit per batch would cost more than the inserts themselves.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sqlite_int.h"

sqlite3_stmt *sq_stmt(sq_store *s, enum sq_stmt_id id)
{
	if (!s->stmt[id] && sqlite3_prepare_v3(s->db, sq_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					       &s->stmt[id], NULL) != SQLITE_OK) {
		nm_store_fail(&s->base, "prepare: %s", sqlite3_errmsg(s->db));
		return NULL;
	}
	sqlite3_reset(s->stmt[id]);
	return s->stmt[id];
}

int sq_fail_db(sq_store *s, const char *what)
{
	return nm_store_fail(&s->base, "%s: %s", what, sqlite3_errmsg(s->db));
}

int sq_exec(sq_store *s, enum sq_stmt_id id)
{
	sqlite3_stmt *st = sq_stmt(s, id);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail_db(s, sq_sql[id]);
}

int sq_begin(sq_store *s)
{
	if (s->in_txn)
		return 0;
	if (sq_exec(s, SQ_BEGIN))
		return -1;
	s->in_txn = true;
	return 0;
}

/* A failed commit loses the open transaction: forget what it had cached. */
static void abandon(sq_store *s)
{
	char keep[sizeof s->base.err];
	memcpy(keep, s->base.err, sizeof keep);
	sq_exec(s, SQ_ROLLBACK);
	memcpy(s->base.err, keep, sizeof keep);
	s->in_txn = false;
	s->pending_frames = 0;
	s->chunk.count = 0;
	s->chunk.len = 0;
	memset(&s->counts, 0, sizeof s->counts);
	sq_intern_clear(s);
}

/* The open chunk and capture counters go into the same commit as their frames. */
int sq_commit(sq_store *s)
{
	if (!s->in_txn)
		return 0;
	/* the bytes first: a committed row always points at written bytes */
	if (sq_chunk_write(s) || sq_flush_counts(s) || sq_app_drain(s) || sq_exec(s, SQ_COMMIT)) {
		abandon(s);
		return -1;
	}
	s->in_txn = false;
	s->pending_frames = 0;
	sq_ckpt_committed(s);
	return 0;
}

static int sq_flush(nm_store *st)
{
	return sq_commit((sq_store *)st);
}

static void sq_close(nm_store *st)
{
	sq_store *s = (sq_store *)st;
	if (s->in_txn && sq_commit(s))
		fprintf(stderr, "netmon: store: final commit failed: %s\n", s->base.err);
	sq_ckpt_stop(s);
	for (int i = 0; i < SQ_NSTMT; i++)
		sqlite3_finalize(s->stmt[i]);
	sq_data_close(s);
	sqlite3_close(s->db);
	sq_chunk_free(&s->chunk);
	sq_intern_clear(s);
	free(s->str_ids);
	free(s);
}

/* SQLite counts every allocation under a global mutex unless told not to;
 * nothing here reads those counts, and the writer allocates per row (4%
 * of its CPU on the bench capture).  Only takes effect before SQLite's
 * first use in the process. */
static void global_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int open_db(sqlite3 **db, const char *path, bool readonly, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, global_config);
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, *db ? sqlite3_errmsg(*db) : "out of memory");
		return -1;
	}
	sqlite3_extended_result_codes(*db, 1);
	char msg[400];
	if (sq_configure(*db, readonly, msg, sizeof msg) ||
	    sq_migrate(*db, readonly, msg, sizeof msg)) {
		snprintf(err, errlen, "%s: %s", path, msg);
		return -1;
	}
	return 0;
}

static nm_store *sq_open(const char *path, bool readonly, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	if (open_db(&db, path, readonly, err, errlen)) {
		sqlite3_close(db);
		return NULL;
	}
	sq_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	s->db = db;
	s->data_fd = -1;
	if (sq_data_open(s, path, readonly) || (!readonly && (sq_exec(s, SQ_CAPTURES_RESET) || sq_ckpt_start(s)))) {
		snprintf(err, errlen, "%s: %s", path, s->base.err);
		sq_close(&s->base);
		return NULL;
	}
	return &s->base;
}

/* Any plain path; URL-like paths belong to other backends. */
static bool sq_accepts(const char *path)
{
	return !strstr(path, "://");
}

const struct nm_store_ops nm_sqlite_ops = {
	.name = "sqlite",
	.accepts = sq_accepts,
	.open = sq_open,
	.close = sq_close,
	.begin_capture = sq_begin_capture,
	.write_batch = sq_write_batch,
	.write_flows = sq_write_flows,
	.write_stats = sq_write_stats,
	.end_capture = sq_end_capture,
	.flush = sq_flush,
	.captures = sq_captures,
	.capture_get = sq_capture_get,
	.frames = sq_frames,
	.frames_latest = sq_frames_latest,
	.frame_get = sq_frame_get,
	.totals = sq_totals,
	.write_addrs = sq_write_addrs,
	.write_paths = sq_write_paths,
	.stat_rows = sq_stat_rows,
	.write_frag_links = sq_write_frag_links,
	.frag_frames = sq_frag_frames,
	.evict = sq_evict,
	.kept = sq_kept,
	.space = sq_space,
	.reclaim = sq_reclaim,
	.set_ceiling = sq_set_ceiling,
	.delete_capture = sq_delete_capture,
};
