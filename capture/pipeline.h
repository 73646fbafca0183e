/*
 * pipeline.h - one capture: a capture thread that reads and dissects frames
 * and a writer thread that stores them.
 *
 *   libpcap -> [capture thread: dissect, flows, stats, fill batch]
 *           -> bounded queue -> [writer thread: SQLite transactions]
 *
 * Batches come from a fixed pool, which bounds memory whatever the input.
 * When the pool is empty a file import waits for the writer; a live
 * capture drops the batch it holds and counts every frame in it
 * (stats dropped_queue), never a silent loss.
 */
#ifndef NETMON_PIPELINE_H
#define NETMON_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/source.h"

typedef struct nm_pipeline_opts {
	const char *db_path;
	nm_source_opts src;
	size_t pool_batches;   /* batches in flight (queue depth) */
	size_t batch_frames;   /* frames per batch */
	size_t batch_bytes;    /* arena bytes per batch */
	uint32_t max_flows;    /* flow table cap */
} nm_pipeline_opts;

typedef struct nm_pipeline nm_pipeline;

/* Open source and store, record the capture, start both threads. */
nm_pipeline *nm_pipeline_start(const nm_pipeline_opts *o, char *err, size_t errlen);
/* Ask the capture to stop (safe to call from any thread, repeatedly). */
void nm_pipeline_stop(nm_pipeline *p);
/* True once the writer has stored everything and finished. */
bool nm_pipeline_finished(nm_pipeline *p);
/* Wait for both threads and free; returns 0, or -1 if storing failed. */
int nm_pipeline_join(nm_pipeline *p);

#endif
