/*
 * retention.h - the capture buffer's limits: evict the oldest frames of a
 * capture past its own limits, the oldest over all captures past the
 * database's limits, and the oldest again while the files on disk pass
 * the ceiling.  Evicted frames are counted (dropped_buffer); statistics,
 * flows and addresses stay, since they describe what was seen.
 *
 * One retention state per daemon, over the one shared store.  The writer
 * threads drive it, under the store lock: nm_ret_stored after each batch,
 * nm_ret_run between batches (bounded work, so capture never waits long),
 * nm_ret_committed after each commit (deletes the files no row needs).
 *
 * Age is measured back from the newest stored frame (of the capture, or of
 * the database), not from the wall clock: an imported file keeps its last
 * N seconds, and an idle live capture keeps its last frames.
 */
#ifndef NETMON_RETENTION_H
#define NETMON_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/limits.h"
#include "db/store.h"

/* What GET /api/v1/status shows. */
typedef struct nm_ret_status {
	bool active; /* nm_ret_init was called */
	nm_limits db_limits;
	uint64_t ceiling; /* 0: none */
	uint64_t kept_frames, kept_bytes;
	uint64_t evicted_frames, evicted_bytes; /* by this daemon, every capture */
	int64_t longest_stall_ns;               /* longest single nm_ret_run */
	uint64_t evict_ns;                      /* time spent evicting, in total */
} nm_ret_status;

/* With the writer's store and the database's limits; loads what earlier
 * captures keep when database limits or a ceiling need it (one scan). */
int nm_ret_init(nm_store *s, const nm_limits *db_limits, uint64_t ceiling);
/* A capture and its own limits (zero members: none). */
void nm_ret_add_capture(int64_t capture_id, const nm_limits *limits);
/* A batch was stored. */
void nm_ret_stored(const nm_batch *b);
/* Evict what is due, a bounded amount per call; returns frames evicted,
 * or -1 on a store error. */
int64_t nm_ret_run(nm_store *s);
/* After a commit: delete frame byte files no row refers to any more. */
void nm_ret_committed(nm_store *s);
/* Capture capture_id was deleted (and committed): forget what it kept
 * and delete the frame byte files only it needed. */
void nm_ret_deleted(nm_store *s, int64_t capture_id);
/* Frames of capture_id evicted so far by this daemon. */
uint64_t nm_ret_evicted(int64_t capture_id);
void nm_ret_status_get(nm_ret_status *out);
/* Bytes on disk of the database at db_path: SQLite file, WAL, frame byte
 * files (allocated blocks, as du counts them). */
uint64_t nm_ret_disk_bytes(const char *db_path);
/* Forget everything (the store is being closed). */
void nm_ret_shutdown(void);

#endif
