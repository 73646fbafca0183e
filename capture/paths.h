/*
 * paths.h - frames and bytes per protocol path (frame.protocols, e.g.
 * "eth:ethertype:ip:udp:dns") of one capture, for the protocol hierarchy.
 *
 * The hierarchy used to be counted from the frames table, so it shrank
 * when the retention limits evicted frames.  These counts are written as
 * deltas (the store adds them up) like the per-address statistics
 * (capture/addrs.h): after each write the table is emptied, memory is
 * bounded by the distinct paths seen in one interval, and a table that
 * fills up within an interval is written early (`flushes_full`), so no
 * count is lost.
 */
#ifndef NETMON_PATHS_H
#define NETMON_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/store.h"

typedef struct nm_path_ent nm_path_ent;

typedef struct nm_path_table {
	nm_path_ent *slots;
	uint32_t nslots, count, cap; /* cap: at most half the slots */
	uint64_t flushes_full;
} nm_path_table;

int nm_paths_init(nm_path_table *t, uint32_t cap);
void nm_paths_free(nm_path_table *t);
/* Count one frame of `bytes` on the wire under `path` (NULL: no path; a
 * longer path is cut to NM_PATH_REC_LEN - 1); false when the table is full
 * (take the entries, then call again). */
bool nm_paths_add(nm_path_table *t, const char *path, uint64_t bytes);
/* Copy out every entry as a record (malloc'd; caller frees) and empty the
 * table.  When the copy cannot be allocated, nothing is taken. */
size_t nm_paths_take(nm_path_table *t, nm_path_rec **out);

#endif
