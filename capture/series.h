/*
 * series.h - the writer's time series accumulator (issue 5).
 *
 * The writer thread adds every batch it stores (frames bucketed by their
 * capture timestamp, so an imported file from 2014 has 2014 buckets) and
 * the drops reported in each statistics snapshot; nm_series_write rolls the
 * accumulated seconds up into minutes and hours and adds all three levels
 * to the store as deltas, and nm_series_trim enforces each level's
 * retention a small chunk at a time.
 *
 * Retention counts back from the newest bucket of the same capture, not
 * from the wall clock: for a live capture that is now, and an imported
 * file keeps its last 6 hours of seconds (not none at all).
 */
#ifndef NETMON_SERIES_H
#define NETMON_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/series.h"
#include "db/store.h"

/* Distinct seconds held before the accumulator writes on its own. */
#define NM_SERIES_SLOTS 4096

typedef struct nm_series {
	nm_store *store;
	int64_t capture_id;
	nm_series_rec *slot; /* open addressing by second */
	bool *used;          /* the slots taken */
	size_t count;
	uint64_t drops_seen; /* the last snapshot's drop total */
	int64_t newest_ns;   /* the newest frame time seen */
	int64_t drop_before_ns; /* older frames: every level's cutoff passed */
	bool any;
} nm_series;

/* Retention of each level (1 s, 1 min, 1 h) in seconds; 0 keeps all.
 * Defaults: 6 hours, 14 days, 366 days.  Set before captures start. */
extern int64_t nm_series_keep_s[NM_SERIES_LEVELS];
/* Set one level's retention by its name ("1s", "1m", "1h"); -1 when the
 * name is unknown or seconds is negative or above 100 years. */
int nm_series_set_retention(const char *interval, int64_t seconds);

int nm_series_init(nm_series *a, nm_store *s, int64_t capture_id);
void nm_series_free(nm_series *a);

/* Account one frame (len on the wire, NM_PKT_* flags); -1 when a write
 * the accumulator had to make failed. */
int nm_series_add(nm_series *a, int64_t ts_ns, uint32_t len, uint32_t flags);
int nm_series_add_batch(nm_series *a, const nm_batch *b);
/* A statistics snapshot's running drop total (kernel + queue): what is new
 * since the previous one lands in the newest frame's second. */
int nm_series_drops(nm_series *a, uint64_t total);

/* Write what accumulated (all three levels) and forget it. */
int nm_series_write(nm_series *a);
/* Delete up to max_rows too-old buckets per level; rows deleted or -1. */
int nm_series_trim(nm_series *a, int max_rows);

/* Sum sorted in[0..n) into buckets of interval_ns (out may be in);
 * returns the number of buckets, also sorted. */
size_t nm_series_roll(const nm_series_rec *in, size_t n, int64_t interval_ns, nm_series_rec *out);

#endif
