/* series.c - see series.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/series.h"
#include "parsers/dissect.h"

#define NS         1000000000LL
#define MAX_KEEP_S (100LL * 366 * 86400)

int64_t nm_series_keep_s[NM_SERIES_LEVELS] = {6 * 3600, 14 * 86400, 366 * 86400};

int nm_series_set_retention(const char *interval, int64_t seconds)
{
	static const char *const names[NM_SERIES_LEVELS] = {"1s", "1m", "1h"};
	for (int i = 0; i < NM_SERIES_LEVELS; i++)
		if (strcmp(interval, names[i]) == 0 && seconds >= 0 && seconds <= MAX_KEEP_S) {
			nm_series_keep_s[i] = seconds;
			return 0;
		}
	return -1;
}

/* Bucket start: floor, also for times before 1970. */
static int64_t floor_to(int64_t ts, int64_t iv)
{
	int64_t q = ts / iv;
	if (ts % iv < 0)
		q--;
	return q * iv;
}

int nm_series_init(nm_series *a, nm_store *s, int64_t capture_id)
{
	memset(a, 0, sizeof *a);
	a->store = s;
	a->capture_id = capture_id;
	a->drop_before_ns = INT64_MIN;
	a->slot = calloc(NM_SERIES_SLOTS, sizeof *a->slot);
	a->used = calloc(NM_SERIES_SLOTS, sizeof *a->used);
	return a->slot && a->used ? 0 : -1;
}

void nm_series_free(nm_series *a)
{
	free(a->slot);
	free(a->used);
	a->slot = NULL;
	a->used = NULL;
}

/* The slot of the second starting at `start`, claimed if new; NULL when
 * the table is half full and the second is not in it. */
static nm_series_rec *find(nm_series *a, int64_t start)
{
	size_t mask = NM_SERIES_SLOTS - 1;
	size_t i = (size_t)(((uint64_t)(start / NS) * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
	for (; a->used[i]; i = (i + 1) & mask)
		if (a->slot[i].start_ns == start)
			return &a->slot[i];
	if (a->count >= NM_SERIES_SLOTS / 2)
		return NULL;
	a->used[i] = true;
	a->count++;
	memset(&a->slot[i], 0, sizeof a->slot[i]);
	a->slot[i].start_ns = start;
	return &a->slot[i];
}

/* The oldest bucket start a level keeps (nm_series_trim deletes what
 * starts before it), or INT64_MIN when it keeps all. */
static int64_t level_cutoff(const nm_series *a, int lv)
{
	int64_t iv = nm_series_interval_s[lv] * NS, keep = nm_series_keep_s[lv];
	int64_t newest = floor_to(a->newest_ns, iv);
	if (keep <= 0 || !a->any || newest < INT64_MIN + keep * NS)
		return INT64_MIN;
	return newest - keep * NS;
}

/* Frames older than every level keeps are not counted at all: each
 * level's write would skip their buckets (see write_levels). */
static void update_newest(nm_series *a, int64_t ts_ns)
{
	if (a->any && ts_ns <= a->newest_ns)
		return;
	bool new_second = !a->any || floor_to(ts_ns, NS) != floor_to(a->newest_ns, NS);
	a->newest_ns = ts_ns;
	a->any = true;
	if (!new_second)
		return;
	a->drop_before_ns = INT64_MAX;
	for (int lv = 0; lv < NM_SERIES_LEVELS; lv++) {
		int64_t cut = level_cutoff(a, lv);
		if (cut < a->drop_before_ns)
			a->drop_before_ns = cut;
	}
}

/* The bucket of ts, writing the accumulated ones first if needed. */
static nm_series_rec *bucket(nm_series *a, int64_t ts_ns)
{
	int64_t start = floor_to(ts_ns, NS);
	nm_series_rec *r = find(a, start);
	if (!r && nm_series_write(a) == 0)
		r = find(a, start);
	return r;
}

int nm_series_add(nm_series *a, int64_t ts_ns, uint32_t len, uint32_t flags)
{
	update_newest(a, ts_ns);
	if (ts_ns < a->drop_before_ns)
		return 0;
	nm_series_rec *r = bucket(a, ts_ns);
	if (!r)
		return -1;
	r->frames++;
	r->bytes += len;
	r->broadcast += !!(flags & NM_PKT_BROADCAST);
	r->multicast += !!(flags & NM_PKT_MULTICAST);
	return 0;
}

int nm_series_add_batch(nm_series *a, const nm_batch *b)
{
	int rc = 0;
	for (size_t i = 0; i < b->count; i++)
		if (nm_series_add(a, b->frames[i].ts_ns, b->frames[i].len, b->frames[i].flags))
			rc = -1;
	return rc;
}

int nm_series_drops(nm_series *a, uint64_t total)
{
	if (total <= a->drops_seen)
		return 0;
	int64_t at = a->newest_ns;
	if (!a->any) { /* nothing captured yet: a live capture's "now" */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		at = (int64_t)ts.tv_sec * NS + ts.tv_nsec;
	}
	nm_series_rec *r = bucket(a, at);
	if (!r)
		return -1;
	r->drops += total - a->drops_seen;
	a->drops_seen = total;
	return 0;
}

static int by_start(const void *x, const void *y)
{
	int64_t a = ((const nm_series_rec *)x)->start_ns, b = ((const nm_series_rec *)y)->start_ns;
	return (a > b) - (a < b);
}

size_t nm_series_roll(const nm_series_rec *in, size_t n, int64_t interval_ns, nm_series_rec *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		nm_series_rec r = in[i];
		r.start_ns = floor_to(r.start_ns, interval_ns);
		if (k && out[k - 1].start_ns == r.start_ns) {
			nm_series_rec *o = &out[k - 1];
			o->frames += r.frames, o->bytes += r.bytes, o->drops += r.drops;
			o->broadcast += r.broadcast, o->multicast += r.multicast;
		} else {
			out[k++] = r;
		}
	}
	return k;
}

/*
 * Seconds, then minutes and hours rolled up from them, into the store.
 * Buckets already older than their level keeps are not written: trim would
 * delete them at once, and the newest time only grows.  An imported file
 * whose times jump back (files merged with mergecap -a) wrote a row per
 * frame and deleted it again: a fifth of the writer's time.  They still
 * roll up into the coarser levels, which keep longer.
 */
static int write_levels(nm_series *a, nm_series_rec *recs, size_t n)
{
	for (int lv = 0; lv < NM_SERIES_LEVELS; lv++) {
		int64_t iv = nm_series_interval_s[lv], cut = level_cutoff(a, lv);
		n = nm_series_roll(recs, n, iv * NS, recs);
		size_t old = 0;
		while (old < n && recs[old].start_ns < cut)
			old++;
		if (old < n && nm_store_write_series(a->store, a->capture_id, iv, recs + old, n - old) < 0)
			return -1;
	}
	return 0;
}

int nm_series_write(nm_series *a)
{
	if (!a->count)
		return 0;
	nm_series_rec *recs = malloc(a->count * sizeof *recs);
	if (!recs)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < NM_SERIES_SLOTS; i++)
		if (a->used[i])
			recs[n++] = a->slot[i];
	qsort(recs, n, sizeof *recs, by_start);
	int rc = write_levels(a, recs, n);
	free(recs);
	/* on failure the deltas are dropped, not retried: a retry could count
	 * them twice if part of them was written */
	memset(a->used, 0, NM_SERIES_SLOTS * sizeof *a->used);
	a->count = 0;
	return rc;
}

int nm_series_trim(nm_series *a, int max_rows)
{
	int total = 0;
	for (int lv = 0; lv < NM_SERIES_LEVELS; lv++) {
		int64_t cut = level_cutoff(a, lv);
		if (cut == INT64_MIN)
			continue;
		int n = nm_store_trim_series(a->store, a->capture_id, nm_series_interval_s[lv], cut, max_rows);
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}
