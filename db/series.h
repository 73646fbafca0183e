/*
 * series.h - the stored time series: frames, bytes, drops, broadcast and
 * multicast per interval (1 s, 1 min, 1 h) and capture, written as deltas
 * (the store adds them up) and trimmed by age in small chunks.
 *
 * Kept apart from store.h, like scan.h, while the store interface is being
 * extended by others; only the SQLite backend implements it.  Readers go
 * through nm_store_stat_rows (NM_STAT_TIMESERIES).
 */
#ifndef NETMON_DB_SERIES_H
#define NETMON_DB_SERIES_H

#include "db/store.h"

/* The stored levels, by bucket width. */
#define NM_SERIES_LEVELS 3
extern const int64_t nm_series_interval_s[NM_SERIES_LEVELS]; /* 1, 60, 3600 */

typedef struct nm_series_rec {
	int64_t start_ns; /* a multiple of the interval (Unix epoch based) */
	uint64_t frames, bytes, drops, broadcast, multicast;
} nm_series_rec;

/* Add the deltas r[0..n) to the capture's buckets of width interval_s. */
int nm_store_write_series(nm_store *s, int64_t capture_id, int64_t interval_s, const nm_series_rec *r, size_t n);
/* Delete at most max_rows buckets of width interval_s of the capture that
 * start before before_ns; returns the number deleted or -1. */
int nm_store_trim_series(nm_store *s, int64_t capture_id, int64_t interval_s, int64_t before_ns, int max_rows);

#endif
