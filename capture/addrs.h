/*
 * addrs.h - per-address accounting of one capture: stations (per MAC and
 * per IP address: sent, received, broadcast and multicast sent) and
 * address-pair conversations (Ethernet, IPv4, IPv6).
 *
 * The table keeps only what changed since it was last written: the store
 * adds the written deltas up, so after each write the table is emptied
 * and memory is bounded by the distinct addresses seen in one interval.
 * When it fills up within an interval, it is written early and emptied
 * (counted in `flushes_full`), and no count is lost.
 */
#ifndef NETMON_ADDRS_H
#define NETMON_ADDRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"
#include "parsers/dissect.h"

typedef struct nm_addr_ent nm_addr_ent;

/* The entries (station a, station b, pair) of the last pair seen, per
 * kind of address. */
typedef struct nm_addr_memo {
	uint32_t ent[3];
	bool valid;
} nm_addr_memo;

typedef struct nm_addr_table {
	nm_addr_ent *ents; /* cap entries, the first `count` in use */
	uint32_t *slots;   /* hash index: 0 empty, else entry index + 1 */
	uint32_t nslots, count, cap; /* nslots in use, grown as count grows */
	uint64_t flushes_full;
	nm_addr_memo memo[3];
} nm_addr_table;

int nm_addrs_init(nm_addr_table *t, uint32_t cap);
void nm_addrs_free(nm_addr_table *t);
/* Account one dissected frame; false when the table is full (take the
 * entries, then call again). */
bool nm_addrs_update(nm_addr_table *t, const nm_packet *pk);
/* Copy out every entry as a record (malloc'd; caller frees) and empty the table. */
size_t nm_addrs_take(nm_addr_table *t, nm_addr_rec **out);

#endif
