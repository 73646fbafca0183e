/*
 * sqlite_int.h - internals shared by the SQLite backend's files.
 *
 * Layout on disk (see sql_sqlite.c for the exact SQL):
 *  - frames: one small row per frame, WITHOUT ROWID keyed (capture_id,
 *    number); keys grow with time so inserts append and no secondary index
 *    is needed.  Protocol strings are interned in `strings`.
 *  - frame_data: one row per chunk of up to SQ_CHUNK_FRAMES consecutive
 *    frames / SQ_CHUNK_BYTES bytes, pointing into the append-only file
 *    "<db>-frames" that holds the raw bytes.  Bytes kept in SQLite BLOBs
 *    are written twice (WAL, then checkpoint) and the disk is the limit:
 *    measured 113k frames/s with BLOB chunks vs 271k/s with the file.
 */
#ifndef NETMON_SQLITE_INT_H
#define NETMON_SQLITE_INT_H

#include <sqlite3.h>

#include "db/store_impl.h"

#define SQ_CHUNK_FRAMES 256
#define SQ_CHUNK_BYTES (256 * 1024)
/* Frames written before the store commits on its own. */
#define SQ_COMMIT_FRAMES 50000
#define SQ_INTERN_SLOTS 4096 /* power of two; half of it may be used */

/* Every statement the backend runs; the SQL text is in sql_sqlite.c. */
enum sq_stmt_id {
	SQ_BEGIN,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_SAVEPOINT,
	SQ_RELEASE,
	SQ_ROLLBACK_TO,
	SQ_VERSION_GET,
	SQ_CAPTURE_INS,
	SQ_CAPTURE_END,
	SQ_CAPTURE_COUNT,
	SQ_CAPTURES_RESET,
	SQ_STRING_GET,
	SQ_STRING_INS,
	SQ_FRAME_INS,
	SQ_CHUNK_INS,
	SQ_CHUNK_KEY_INS,
	SQ_DATA_END,
	SQ_FLOW_UPSERT,
	SQ_STATS_UPSERT,
	SQ_PROTO_UPSERT,
	SQ_CAPTURES,
	SQ_CAPTURE_GET,
	SQ_FRAMES_ALL,
	SQ_FRAMES_ONE,
	SQ_LATEST_ALL,
	SQ_LATEST_ONE,
	SQ_FRAME_GET,
	SQ_CHUNK_FIND,
	SQ_TOTALS,
	SQ_PROTO_TOTALS,
	SQ_ADDR_UPSERT,
	SQ_FRAG_INS,
	SQ_FRAG_NOTE,
	SQ_FRAG_IN,
	SQ_FRAG_FRAMES,
	SQ_EVICT_WALK,
	SQ_EVICT_FRAMES,
	SQ_EVICT_CHUNKS,
	SQ_DATA_RANGES,
	SQ_KEPT,
	SQ_EVICT_COUNT,
	SQ_NSTMT
};

extern const char *const sq_sql[SQ_NSTMT];
/* Migration i takes the schema from version i to i + 1. */
extern const char *const sq_migrations[];
extern const int sq_schema_version;

/* A row of chunk_keys: one distinct (protocols id, flow id) pair of a
 * chunk, with the first and last frame that has it. */
typedef struct sq_chunk_key {
	int64_t protocols; /* 0: no protocols string */
	int64_t flow_id;
	uint64_t lo, hi;
} sq_chunk_key;

/* Twice the most keys a chunk can have, so probes stay short. */
#define SQ_KEY_SLOTS (2 * SQ_CHUNK_FRAMES)

/* The chunk of frame bytes being filled; written at chunk end and at commit. */
typedef struct sq_chunk {
	int64_t capture_id;
	uint64_t first_number, next_number;
	uint32_t count;
	uint32_t offsets[SQ_CHUNK_FRAMES + 1];
	uint8_t *data;
	size_t len, cap;
	/* chunk_keys rows, gathered as frames are appended (sqlite_chunk.c) */
	uint32_t nkeys;
	sq_chunk_key keys[SQ_CHUNK_FRAMES];
	uint16_t key_slot[SQ_KEY_SLOTS]; /* index + 1 into keys; 0: empty */
} sq_chunk;

typedef struct sq_intern_slot {
	char *text; /* NULL: empty slot */
	int64_t id;
} sq_intern_slot;

/* Frames/bytes stored for one capture since the last commit. */
typedef struct sq_counts {
	int64_t capture_id;
	uint64_t frames, bytes;
	int64_t first_ns, last_ns;
} sq_counts;

typedef struct sq_appender sq_appender;
typedef struct sq_ckpt sq_ckpt;

typedef struct sq_store {
	nm_store base;
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ_NSTMT];
	bool in_txn;
	uint64_t pending_frames;
	sq_chunk chunk;
	sq_intern_slot intern[SQ_INTERN_SLOTS];
	size_t interned;
	sq_counts counts;
	int data_fd;	     /* the segment data_seg, -1 until needed */
	char *data_path;     /* "<db>-frames"; segments add ".NNNNNN" */
	uint64_t data_end; /* where the writer appends next */
	/* sqlite_datafile.c: segmented frames file (see there) */
	uint64_t seg_size;    /* bytes per segment file */
	uint64_t legacy_end;  /* offsets below it are in the old single file */
	int64_t data_seg;     /* segment open on data_fd (-2: legacy file) */
	uint64_t seg_lo;      /* lowest segment that may still exist */
	uint8_t *seg_gone;    /* bit per segment number: deleted (sqlite_reclaim.c) */
	size_t seg_gone_len;
	int64_t *str_ids; /* per-batch protocol / protocols ids */
	size_t str_ids_cap;
	sq_appender *app; /* the writer's frame bytes appender; NULL for readers */
	sq_ckpt *ckpt;    /* the writer's checkpoint thread; NULL for readers */
} sq_store;

/* store_sqlite.c */
sqlite3_stmt *sq_stmt(sq_store *s, enum sq_stmt_id id);
int sq_fail_db(sq_store *s, const char *what);
int sq_exec(sq_store *s, enum sq_stmt_id id);
int sq_begin(sq_store *s);
int sq_commit(sq_store *s);

/* schema_sqlite.c */
int sq_configure(sqlite3 *db, bool readonly, char *err, size_t errlen);
int sq_migrate(sqlite3 *db, bool readonly, char *err, size_t errlen);

/* sqlite_chunk.c */
int sq_chunk_append(sq_store *s, int64_t capture_id, const nm_frame_rec *f,
		    int64_t protocols_id);
int sq_chunk_write(sq_store *s);
void sq_chunk_free(sq_chunk *c);

/* sqlite_datafile.c */
int sq_data_open(sq_store *s, const char *db_path, bool readonly);
void sq_data_close(sq_store *s);
/* Append len bytes of *buf at data_end (returned in *offset).  The buffer
 * may be handed to the appender thread: *buf and *cap then come back as
 * another buffer (or NULL and 0) for the caller to fill next. */
int sq_data_append(sq_store *s, uint8_t **buf, size_t *cap, size_t len, uint64_t *offset);
int sq_data_read(sq_store *s, uint64_t offset, void *buf, size_t len);
/* Read or write [off, off + len) through *fd, open on segment *seg (both
 * updated); -1 with a message in err. */
int sq_file_io(const sq_store *s, int *fd, int64_t *seg, bool wr, uint64_t off, uint8_t *buf, size_t len, char *err,
	       size_t errlen);

/* sqlite_append.c: frame bytes written by a thread of the writer's own */
int sq_app_start(sq_store *s);
int sq_app_submit(sq_store *s, uint8_t **buf, size_t *cap, size_t len, uint64_t off);
/* Wait until every append handed over is written; -1 if one failed. */
int sq_app_drain(sq_store *s);
void sq_app_stop(sq_store *s);

/* sqlite_ckpt.c: WAL checkpoints off the writer's thread */
int sq_ckpt_start(sq_store *s);
/* Checkpoint after commits leaving `every` WAL pages; at `bound` pages the
 * writer waits for one after its commit. */
void sq_ckpt_set(sq_store *s, int every, int bound);
void sq_ckpt_committed(sq_store *s);
void sq_ckpt_stop(sq_store *s);
#define SQ_SEG_LEGACY (-2) /* the single file of a database from before segments */
void sq_seg_name(const sq_store *s, int64_t seg, char *buf, size_t n);

/* sqlite_reclaim.c: which frames files rows still need */
int sq_data_cut_files(sq_store *s);
int sq_data_reclaim(sq_store *s);
int sq_data_space(sq_store *s, nm_space *out);

/* sqlite_evict.c */
int sq_evict(nm_store *st, int64_t capture_id, const nm_evict_goal *g, nm_evicted *out);
int sq_kept(nm_store *st, int64_t capture_id, nm_kept *out);
int sq_space(nm_store *st, nm_space *out);
int sq_reclaim(nm_store *st);
void sq_set_ceiling(nm_store *st, uint64_t bytes);
int sq_delete_capture(nm_store *st, int64_t id);

/* sqlite_reasm.c */
int sq_write_frag_links(nm_store *st, int64_t capture_id, const nm_frag_link *l, size_t n);
int sq_frag_frames(nm_store *st, int64_t capture_id, uint64_t number, uint64_t *in, uint64_t *frames, size_t max);

/* sqlite_intern.c */
int sq_intern(sq_store *s, const char *text, int64_t *id);
void sq_intern_clear(sq_store *s);

/* sqlite_write.c / sqlite_read.c: the ops table's entries */
int sq_begin_capture(nm_store *st, nm_capture_info *c);
int sq_end_capture(nm_store *st, int64_t capture_id);
int sq_write_batch(nm_store *st, const nm_batch *b);
int sq_write_flows(nm_store *st, int64_t capture_id, const nm_flow_rec *f, size_t n);
int sq_write_stats(nm_store *st, int64_t capture_id, const nm_stats *stats,
		   const char *const *proto_names);
int sq_flush_counts(sq_store *s);
int sq_captures(nm_store *st, nm_capture_cb cb, void *ctx);
int sq_capture_get(nm_store *st, int64_t id, nm_capture_row *out);
int sq_frames(nm_store *st, int64_t capture_id, int64_t after_capture, uint64_t after_number,
	      unsigned limit, nm_frame_cb cb, void *ctx);
int sq_frames_latest(nm_store *st, int64_t capture_id, unsigned limit, nm_frame_cb cb, void *ctx);
int sq_frame_get(nm_store *st, int64_t capture_id, uint64_t number, nm_frame_full *out);
int sq_totals(nm_store *st, int64_t capture_id, nm_totals *out);
/* sqlite_stats.c */
int sq_write_addrs(nm_store *st, int64_t capture_id, const nm_addr_rec *r, size_t n);
int sq_write_paths(nm_store *st, int64_t capture_id, const nm_path_rec *r, size_t n);
int sq_stat_rows(nm_store *st, const nm_stat_query *q, nm_stat_cb cb, void *ctx);

#endif
