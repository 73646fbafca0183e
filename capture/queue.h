/*
 * queue.h - the bounded hand-off between the capture thread and the writer.
 *
 * One producer, one consumer, a fixed number of slots.  The capture thread
 * decides what a full queue means: a file import waits (nothing is lost,
 * reading a file can always slow down), a live capture drops the batch and
 * counts it, because the kernel will not wait for us.
 */
#ifndef NETMON_QUEUE_H
#define NETMON_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/store.h"

typedef enum nm_msg_type { NM_MSG_BATCH, NM_MSG_FLOWS, NM_MSG_STATS, NM_MSG_ADDRS, NM_MSG_FRAG_LINKS, NM_MSG_PATHS, NM_MSG_END } nm_msg_type;

typedef struct nm_msg {
	nm_msg_type type;
	int64_t capture_id;
	nm_batch *batch;    /* NM_MSG_BATCH: returned to the pool after writing */
	nm_flow_rec *flows; /* NM_MSG_FLOWS: malloc'd, freed by the writer */
	size_t nflows;
	nm_stats *stats; /* NM_MSG_STATS: malloc'd snapshot, freed by the writer */
	nm_addr_rec *addrs; /* NM_MSG_ADDRS: malloc'd deltas, freed by the writer */
	size_t naddrs;
	nm_frag_link *links; /* NM_MSG_FRAG_LINKS: malloc'd, freed by the writer */
	size_t nlinks;
	nm_path_rec *paths; /* NM_MSG_PATHS: malloc'd deltas, freed by the writer */
	size_t npaths;
} nm_msg;

typedef struct nm_queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	nm_msg *slots;
	size_t cap, head, len;
} nm_queue;

int nm_queue_init(nm_queue *q, size_t cap);
void nm_queue_destroy(nm_queue *q);
/* Push; when full, wait if `wait`, else return false at once. */
bool nm_queue_push(nm_queue *q, const nm_msg *m, bool wait);
/* Pop; waits at most timeout_ms; false on timeout. */
bool nm_queue_pop(nm_queue *q, nm_msg *m, int timeout_ms);
size_t nm_queue_len(nm_queue *q);

#endif
