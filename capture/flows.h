/*
 * flows.h - the conversation (flow) table of one capture.
 *
 * Keyed by the innermost IP 5-tuple, both directions in one entry.  Memory
 * is bounded: the table has a fixed capacity set at start; when it is full
 * the least recently seen flow is evicted (written out first, so no counts
 * are lost, and counted in `evicted`).  A flow seen again after eviction
 * starts a new flow record, as in any bounded flow exporter.
 */
#ifndef NETMON_FLOWS_H
#define NETMON_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include "db/store.h"
#include "parsers/dissect.h"

typedef struct nm_flow nm_flow;

typedef struct nm_flow_table {
	nm_flow *pool;
	uint32_t cap, count;
	int32_t *buckets;
	uint32_t nbuckets;     /* power of two, doubled as flows come */
	uint32_t nbuckets_max; /* what `buckets` has room for */
	int32_t lru_head, lru_tail, free_head;
	int64_t next_id;
	uint64_t evicted;
	nm_flow_rec *pending; /* dirty flows evicted since the last take */
	size_t npending, pending_cap;
} nm_flow_table;

int nm_flows_init(nm_flow_table *t, uint32_t cap);
void nm_flows_free(nm_flow_table *t);
/* Account one frame; returns its flow id (0 when the frame has no IP flow). */
int64_t nm_flows_update(nm_flow_table *t, const nm_flow_key *k, int64_t ts_ns, uint32_t len);
/* Copy out every flow changed since the last call (malloc'd; caller frees);
 * with evicted_only, just the evicted ones waiting (cheap: no table walk). */
size_t nm_flows_take_dirty(nm_flow_table *t, nm_flow_rec **out, bool evicted_only);
static inline size_t nm_flows_pending(const nm_flow_table *t)
{
	return t->npending;
}

#endif
