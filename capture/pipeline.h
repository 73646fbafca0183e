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
#include <pthread.h>
#include <stdint.h>

#include "capture/source.h"
#include "capture/trigger.h"
#include "db/store.h"

typedef struct nm_pipeline_opts {
	const char *db_path;
	nm_source_opts src;
	size_t pool_batches;   /* batches in flight (queue depth) */
	size_t batch_frames;   /* frames per batch */
	size_t batch_bytes;    /* arena bytes per batch */
	uint32_t max_flows;    /* flow table cap */
	uint32_t max_stations; /* station/address-pair entries per write (0: 65536) */
	nm_limits db_limits;   /* the whole database: every capture together */
	uint64_t db_ceiling;   /* bytes on disk (SQLite + frames file); 0: none */
	/* Several captures write through one store (one SQLite writer, one
	 * frames file): when set, the pipeline uses it under store_lock
	 * instead of opening its own, and does not close it. */
	nm_store *shared_store;
	pthread_mutex_t *store_lock;
} nm_pipeline_opts;

/* A capture's live counters, read from any thread. */
typedef struct nm_pipeline_counters {
	int64_t capture_id;
	uint64_t frames, bytes;        /* passed the filter, while not paused */
	uint64_t paused_frames;        /* read while paused and discarded */
	uint64_t stored_frames, stored_bytes;
	uint64_t dropped_queue, dropped_kernel;
	uint64_t dropped_buffer;       /* stored, then evicted by the limits */
	uint64_t stations_flushed;     /* station table full within a second: written early */
	uint64_t kernel_received;      /* pcap_stats ps_recv */
	bool finished, failed;
} nm_pipeline_counters;

typedef struct nm_pipeline nm_pipeline;

/* Open source and store, record the capture, start both threads. */
nm_pipeline *nm_pipeline_start(const nm_pipeline_opts *o, char *err, size_t errlen);
/* Ask the capture to stop (safe to call from any thread, repeatedly). */
void nm_pipeline_stop(nm_pipeline *p);
/* True once the writer has stored everything and finished. */
bool nm_pipeline_finished(nm_pipeline *p);
/*
 * Pause: the capture thread goes on reading from the kernel (so the socket
 * buffer neither fills nor drops) but discards what it reads, counting it
 * in paused_frames; frames are numbered, counted and stored only while
 * running.  Resume continues the same capture and statistics.
 */
void nm_pipeline_pause(nm_pipeline *p, bool paused);
void nm_pipeline_counters_get(nm_pipeline *p, nm_pipeline_counters *c);
/* The capture's trigger (v->set false when it has none). */
void nm_pipeline_trigger_get(nm_pipeline *p, nm_trigger_view *v);
/* Why the capture ended by itself (read error), "" otherwise. */
const char *nm_pipeline_error(nm_pipeline *p);
/* Wait for both threads and free; returns 0, or -1 if storing failed. */
int nm_pipeline_join(nm_pipeline *p);

#endif
