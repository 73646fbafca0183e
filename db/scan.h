/*
 * scan.h - a streaming, filtered scan over stored frames, for display
 * filters (filter/): counts, pages, find, field extraction and export.
 *
 * Kept apart from store.h while the store interface is being extended by
 * others; it belongs there once it settles.  Only the SQLite backend
 * implements it (others answer an error).
 */
#ifndef NETMON_DB_SCAN_H
#define NETMON_DB_SCAN_H

#include "db/store.h"

typedef struct nm_scan {
	int64_t capture_id; /* 0: every capture */
	/* SQL boolean (from nm_filter_sql) over the aliases f (frames) and
	 * c (captures: id, linktype, first_ns, the time of frame 1, and flow_gap,
	 * the first flow id without a flows row); it may
	 * query other tables (strings) itself.  NULL: every frame */
	const char *where;
	/* optional SELECT of (capture_id, first_number): the frame_data chunks
	 * holding every frame `where` lets through (nm_filter_candidates);
	 * only their frames are read */
	const char *cand;
	/* keyset position, exclusive: frames after it (before it when desc);
	 * desc with after_capture 0 starts from the newest frame */
	int64_t after_capture;
	uint64_t after_number;
	bool desc;
	/* rows to skip first (SQL OFFSET): only when `where` is exact, since
	 * the rows a re-dissection would reject must not count */
	uint64_t offset;
	bool want_bytes;     /* read each frame's bytes (for re-dissection) */
	int64_t deadline_ns; /* CLOCK_MONOTONIC time budget end; 0: none */
} nm_scan;

/* f->bytes is valid only during the call; return non-zero to stop. */
typedef int (*nm_scan_cb)(void *ctx, const nm_frame_full *f);

#define NM_SCAN_TIMEOUT (-2)

/* Rows delivered, -1 on error, NM_SCAN_TIMEOUT when the budget ran out
 * (the message is in nm_store_errmsg). */
int nm_store_scan(nm_store *s, const nm_scan *q, nm_scan_cb cb, void *ctx);

/* Current CLOCK_MONOTONIC time in ns, for deadlines. */
int64_t nm_scan_now_ns(void);

/* Address and port keys per block of frames (db/sqlite_keys.c): a block
 * is frame numbers >> NM_KEY_BLOCK_SHIFT of one capture. */
#define NM_KEY_BLOCK_SHIFT 10
/* The most frames a frame_data chunk holds (SQ_CHUNK_FRAMES). */
#define NM_SCAN_CHUNK_FRAMES 256

/* The writer's part: block_keys rows for a batch's frames (in the
 * batch's transaction). */
struct sq_store;
int sq_write_keys(struct sq_store *s, const nm_batch *b);

#endif
