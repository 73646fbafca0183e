/*
 * reasm.h - IPv4 fragment reassembly for one capture (UDP only; see
 * proto_ipv4.c), behind the nm_defrag hook of dissect.h.
 *
 * Memory is bounded: at most `cap` datagrams in progress and `max_bytes`
 * of their payload; past either, the least recently touched datagram is
 * dropped, as is one whose first fragment is older than `timeout_ns` in
 * capture time.  Every datagram dropped unfinished counts in `evicted`.
 *
 * When a fragment completes a datagram, each of its fragment frames is
 * queued as an nm_frag_link (frame -> reassembled in) for the store; the
 * capture path takes them with nm_reasm_take_links.
 */
#ifndef NETMON_REASM_H
#define NETMON_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "parsers/dissect.h"

typedef struct nm_reasm_dgram nm_reasm_dgram;

typedef struct nm_reasm_table {
	nm_defrag base; /* pass &t->base to nm_dissect_frame_with */
	nm_reasm_dgram *slots;
	uint32_t cap, count;
	size_t max_bytes, bytes;
	int64_t timeout_ns;
	uint64_t tick;
	uint64_t evicted, completed;
	/* the datagram completed last: alive until the next fragment */
	uint8_t *done_data;
	uint32_t done_len;
	nm_frag_piece *done_pieces;
	/* the detail view: answer this for fragments that do not complete */
	uint64_t known_in;
	/* links of completed datagrams not yet taken; off when !keep_links */
	bool keep_links;
	nm_frag_link *links;
	size_t nlinks, links_cap;
} nm_reasm_table;

/* Limits of the capture path's tables (a daemon option may set them before
 * captures start): datagrams in progress, their bytes, and the timeout. */
extern uint32_t nm_reasm_max_datagrams; /* default 1024 */
extern size_t nm_reasm_max_bytes;       /* default 16 MiB */
extern int64_t nm_reasm_timeout_ns;     /* default 60 s */

int nm_reasm_init(nm_reasm_table *t, uint32_t cap, size_t max_bytes, int64_t timeout_ns);
/* The capture path's table: the limits below, links kept for the store. */
int nm_reasm_start(nm_reasm_table *t);
void nm_reasm_free(nm_reasm_table *t);
/* The queued links (malloc'd; the caller frees), count in *n. */
nm_frag_link *nm_reasm_take_links(nm_reasm_table *t, size_t *n);

#endif
