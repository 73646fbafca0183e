/*
 * check_series.c - the time series: roll-up of seconds into minutes and
 * hours (each level's buckets must sum to the same totals and each minute
 * to its seconds), the accumulator writing on its own when full, drops,
 * and retention deleting old buckets a chunk at a time.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/series.h"
#include "parsers/dissect.h"

#define NS 1000000000LL

static char dir[64], path[128];
static nm_store *st;

static void setup(void)
{
	char err[512] = "";
	snprintf(dir, sizeof dir, "/tmp/check_series.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/netmon.db", dir);
	st = nm_store_open(path, false, err, sizeof err);
	ck_assert_msg(st != NULL, "open: %s", err);
}

static void teardown(void)
{
	char cmd[160];
	nm_store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int64_t new_capture(void)
{
	nm_capture_info ci = {.source = "test", .kind = "file", .filter = "", .linktype = 1};
	ck_assert_int_eq(nm_store_begin_capture(st, &ci), 0);
	return ci.id;
}

#define MAXB 8192
typedef struct rows {
	int n;
	int64_t start[MAXB];
	int64_t frames[MAXB], bytes[MAXB], drops[MAXB], bcast[MAXB], mcast[MAXB];
} rows;

static int64_t cell(const nm_stat_cell *c, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return c[i].i;
	ck_abort_msg("no column %s", name);
	return 0;
}

static int take_row(void *ctx, const nm_stat_cell *c, int n)
{
	rows *r = ctx;
	ck_assert_int_lt(r->n, MAXB);
	int k = r->n++;
	r->start[k] = cell(c, n, "start_ns");
	r->frames[k] = cell(c, n, "frames");
	r->bytes[k] = cell(c, n, "bytes");
	r->drops[k] = cell(c, n, "drops");
	r->bcast[k] = cell(c, n, "broadcast");
	r->mcast[k] = cell(c, n, "multicast");
	return 0;
}

/* The stored buckets of one level, oldest first (committed first). */
static rows *level(int64_t cap, int64_t interval_s)
{
	static rows r;
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(nm_store_flush(st), 0);
	nm_stat_query q = {.kind = NM_STAT_TIMESERIES,
	                   .capture_id = cap,
	                   .from_ns = INT64_MIN,
	                   .to_ns = INT64_MAX,
	                   .interval_ns = interval_s * NS};
	ck_assert_int_ge(nm_store_stat_rows(st, &q, take_row, &r), 0);
	return &r;
}

static int64_t sum(const int64_t *v, int n)
{
	int64_t t = 0;
	for (int i = 0; i < n; i++)
		t += v[i];
	return t;
}

/* Frames spread over 3 hours (out of order, some before 1970): every
 * level has the same totals and every coarser bucket is the sum of the
 * finer ones inside it. */
START_TEST(rollup_sums)
{
	int64_t cap = new_capture();
	nm_series a;
	ck_assert_int_eq(nm_series_init(&a, st, cap), 0);
	int64_t t0 = -5400 * NS, frames = 0, bytes = 0;
	for (int i = 0; i < 3000; i++) {
		int64_t ts = t0 + (int64_t)((i * 7919) % 3000) * 3 * NS + i;
		uint32_t len = 60 + (uint32_t)(i % 1400), flags = i % 5 == 0 ? NM_PKT_BROADCAST : 0;
		ck_assert_int_eq(nm_series_add(&a, ts, len, flags), 0);
		frames++, bytes += len;
	}
	ck_assert_int_eq(nm_series_write(&a), 0);
	rows *r;
	int64_t per_min[256] = {0}, nsec;
	r = level(cap, 1);
	nsec = r->n;
	ck_assert_int_eq(sum(r->frames, r->n), frames);
	ck_assert_int_eq(sum(r->bytes, r->n), bytes);
	ck_assert_int_eq(sum(r->bcast, r->n), 600);
	for (int i = 0; i < r->n; i++) {
		ck_assert_int_eq(r->start[i] % NS, 0);
		per_min[(r->start[i] - t0) / (60 * NS)] += r->frames[i];
	}
	ck_assert_int_gt(nsec, 2000); /* the accumulator wrote on its own */
	r = level(cap, 60);
	ck_assert_int_eq(r->n, 150);
	ck_assert_int_eq(sum(r->bytes, r->n), bytes);
	for (int i = 0; i < r->n; i++)
		ck_assert_int_eq(r->frames[i], per_min[(r->start[i] - t0) / (60 * NS)]);
	r = level(cap, 3600);
	ck_assert_int_eq(r->n, 3); /* -5400 s .. +3600 s: hours -2, -1, 0 */
	ck_assert_int_eq(r->start[0], -7200 * NS);
	ck_assert_int_eq(sum(r->frames, r->n), frames);
	nm_series_free(&a);
}
END_TEST

/* Deltas written at several commits add up; drops land in the newest second. */
START_TEST(deltas_and_drops)
{
	int64_t cap = new_capture(), t = 1400000000 * NS;
	nm_series a;
	ck_assert_int_eq(nm_series_init(&a, st, cap), 0);
	for (int round = 0; round < 3; round++) {
		ck_assert_int_eq(nm_series_add(&a, t + round, 100, NM_PKT_MULTICAST), 0);
		ck_assert_int_eq(nm_series_drops(&a, 5 * (uint64_t)round), 0);
		ck_assert_int_eq(nm_series_write(&a), 0);
	}
	ck_assert_int_eq(nm_series_add(&a, t + 2 * NS, 40, 0), 0);
	ck_assert_int_eq(nm_series_drops(&a, 12), 0);
	ck_assert_int_eq(nm_series_drops(&a, 12), 0); /* nothing new */
	ck_assert_int_eq(nm_series_write(&a), 0);
	rows *r = level(cap, 1);
	ck_assert_int_eq(r->n, 2);
	ck_assert_int_eq(r->frames[0], 3);
	ck_assert_int_eq(r->bytes[0], 300);
	ck_assert_int_eq(r->mcast[0], 3);
	ck_assert_int_eq(r->drops[0], 10);
	ck_assert_int_eq(r->drops[1], 2);
	r = level(cap, 3600);
	ck_assert_int_eq(r->n, 1);
	ck_assert_int_eq(r->drops[0], 12);
	ck_assert_int_eq(r->frames[0], 4);
	ck_assert_int_eq(level(0, 60)->frames[0], 4); /* every capture */
	nm_series_free(&a);
}
END_TEST

/* Seconds older than the retention before the newest bucket go, a chunk
 * at a time; seconds already that old when written are never stored but
 * still count in the minutes and hours; another capture is untouched. */
START_TEST(retention)
{
	int64_t keep = nm_series_keep_s[0];
	ck_assert_int_eq(nm_series_set_retention("1s", 10), 0);
	ck_assert_int_eq(nm_series_set_retention("2s", 10), -1);
	ck_assert_int_eq(nm_series_set_retention("1m", -1), -1);
	int64_t other = new_capture(), cap = new_capture(), t = 1700000000 * NS;
	nm_series a, b;
	ck_assert_int_eq(nm_series_init(&a, st, cap), 0);
	ck_assert_int_eq(nm_series_init(&b, st, other), 0);
	/* the other capture: ten seconds, all older than cap's cut below */
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(nm_series_add(&b, t + (i % 10) * NS, 10, 0), 0);
	ck_assert_int_eq(nm_series_write(&b), 0);
	/* seconds t .. t+49 stored while they are the newest, ten at a time */
	for (int i = 0; i < 50; i++) {
		ck_assert_int_eq(nm_series_add(&a, t + i * NS, 10, 0), 0);
		if (i % 10 == 9)
			ck_assert_int_eq(nm_series_write(&a), 0);
	}
	ck_assert_int_eq(level(cap, 1)->n, 50);
	/* then t+50 .. t+99 in one write: newest t+99 keeps t+89 .. t+99, so
	 * t+50 .. t+88 are not written at all */
	for (int i = 50; i < 100; i++)
		ck_assert_int_eq(nm_series_add(&a, t + i * NS, 10, 0), 0);
	ck_assert_int_eq(nm_series_write(&a), 0);
	ck_assert_int_eq(level(cap, 1)->n, 61);
	/* trim deletes the 50 stored earlier, at most 20 per call */
	int total = 0, n;
	while ((n = nm_series_trim(&a, 20)) > 0) {
		ck_assert_int_le(n, 20);
		total += n;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(total, 50);
	rows *r = level(cap, 1);
	ck_assert_int_eq(r->n, 11);
	ck_assert_int_eq(r->start[0], t + 89 * NS);
	ck_assert_int_eq(sum(level(cap, 60)->frames, level(cap, 60)->n), 100);
	ck_assert_int_eq(sum(level(cap, 3600)->frames, level(cap, 3600)->n), 100);
	ck_assert_int_eq(level(other, 1)->n, 10);
	ck_assert_int_eq(sum(level(other, 1)->frames, level(other, 1)->n), 100);
	nm_series_keep_s[0] = keep;
	nm_series_free(&a);
	nm_series_free(&b);
}
END_TEST

/* A frame older than every level keeps is not counted in any; one within
 * a level's retention is counted there and in the coarser levels. */
START_TEST(too_old)
{
	int64_t keep[3] = {nm_series_keep_s[0], nm_series_keep_s[1], nm_series_keep_s[2]};
	ck_assert_int_eq(nm_series_set_retention("1s", 10), 0);
	ck_assert_int_eq(nm_series_set_retention("1m", 120), 0);
	ck_assert_int_eq(nm_series_set_retention("1h", 7200), 0);
	int64_t cap = new_capture(), t = 1700000000 * NS; /* t + 10000 s is a whole hour */
	nm_series a;
	ck_assert_int_eq(nm_series_init(&a, st, cap), 0);
	ck_assert_int_eq(nm_series_add(&a, t + 10000 * NS, 10, 0), 0);
	ck_assert_int_eq(nm_series_add(&a, t, 10, 0), 0); /* before the 1h cut, t + 2800 s */
	ck_assert_int_eq(nm_series_add(&a, t + 2800 * NS, 10, 0), 0); /* the 1h level keeps it */
	ck_assert_int_eq(nm_series_add(&a, t + 9990 * NS, 10, 0), 0); /* every level keeps it */
	ck_assert_int_eq(nm_series_write(&a), 0);
	ck_assert_int_eq(level(cap, 1)->n, 2);
	ck_assert_int_eq(sum(level(cap, 1)->frames, level(cap, 1)->n), 2);
	ck_assert_int_eq(sum(level(cap, 60)->frames, level(cap, 60)->n), 2);
	ck_assert_int_eq(sum(level(cap, 3600)->frames, level(cap, 3600)->n), 3);
	for (int i = 0; i < 3; i++)
		nm_series_keep_s[i] = keep[i];
	nm_series_free(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("series");
	TCase *tc = tcase_create("series");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rollup_sums);
	tcase_add_test(tc, deltas_and_drops);
	tcase_add_test(tc, retention);
	tcase_add_test(tc, too_old);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
