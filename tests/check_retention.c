/*
 * check_retention.c - evicting the oldest frames from the SQLite store:
 * survivors read back byte for byte, the frame byte files shrink, the
 * counts are right, reopening (and an old single-file database) works.
 */
#include <check.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/store.h"

#define SEG 65536 /* the smallest segment the store accepts */

static char dir[64], path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/check_ret.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.db", dir);
	setenv("NETMON_FRAMES_SEGMENT", "65536", 1);
}

static void teardown(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static nm_store *open_store(bool readonly)
{
	char err[512] = "";
	nm_store *s = nm_store_open(path, readonly, err, sizeof err);
	ck_assert_msg(s != NULL, "open %s: %s", path, err);
	return s;
}

static uint32_t caplen_of(uint64_t n)
{
	return n % 11 == 0 ? 0 : (uint32_t)(n * 53 % 1500);
}

static uint8_t byte_of(uint64_t n, uint32_t j)
{
	return (uint8_t)(n * 13 + j * 5 + (j >> 8));
}

static int64_t ts_of(uint64_t n)
{
	return 1000000000LL + (int64_t)n * 1000000; /* 1 ms apart */
}

static void write_frames(nm_store *s, int64_t cap, uint64_t from, uint64_t to)
{
	static uint8_t bytes[2000];
	nm_batch *b = nm_batch_new(512, 512 * 1600);
	for (uint64_t n = from; n <= to;) {
		nm_batch_reset(b);
		b->capture_id = cap;
		for (; n <= to && b->count < 512; n++) {
			uint32_t c = caplen_of(n);
			for (uint32_t j = 0; j < c; j++)
				bytes[j] = byte_of(n, j);
			nm_frame_rec f = {.number = n,
			                  .ts_ns = ts_of(n),
			                  .len = c + 4,
			                  .caplen = c,
			                  .src = "a",
			                  .dst = "b",
			                  .protocol = "X",
			                  .info = "",
			                  .protocols = "eth",
			                  .bytes = bytes};
			ck_assert(nm_batch_add(b, &f));
		}
		ck_assert_msg(nm_store_write_batch(s, b) == 0, "%s", nm_store_errmsg(s));
	}
	nm_batch_free(b);
	ck_assert_int_eq(nm_store_flush(s), 0);
}

static int64_t new_capture(nm_store *s)
{
	nm_capture_info ci = {.source = "t.pcap", .kind = "file", .linktype = 1, .snaplen = 65535};
	ck_assert_int_eq(nm_store_begin_capture(s, &ci), 0);
	return ci.id;
}

static uint64_t bytes_between(uint64_t from, uint64_t to)
{
	uint64_t sum = 0;
	for (uint64_t n = from; n <= to; n++)
		sum += caplen_of(n);
	return sum;
}

/* Bytes of the frame byte files (segments and an old single file). */
static uint64_t files_bytes(int *nfiles)
{
	DIR *d = opendir(dir);
	uint64_t sum = 0;
	*nfiles = 0;
	for (struct dirent *e; (e = readdir(d));) {
		char p[400];
		struct stat st;
		if (!strstr(e->d_name, "-frames"))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		ck_assert_int_eq(stat(p, &st), 0);
		sum += (uint64_t)st.st_size;
		++*nfiles;
	}
	closedir(d);
	return sum;
}

static void check_frame(nm_store *r, int64_t cap, uint64_t n)
{
	nm_frame_full f;
	ck_assert_msg(nm_store_frame_get(r, cap, n, &f) == 1, "frame %llu: %s", (unsigned long long)n,
	              nm_store_errmsg(r));
	ck_assert_uint_eq(f.row.caplen, caplen_of(n));
	ck_assert_int_eq(f.row.ts_ns, ts_of(n));
	for (uint32_t j = 0; j < f.row.caplen; j++)
		ck_assert_msg(f.bytes[j] == byte_of(n, j), "frame %llu byte %u", (unsigned long long)n, j);
	nm_frame_full_free(&f);
}

static void check_gone(nm_store *r, int64_t cap, uint64_t n)
{
	nm_frame_full f;
	ck_assert_int_eq(nm_store_frame_get(r, cap, n, &f), 0);
}

static int first_cb(void *ctx, const nm_frame_row *row)
{
	*(uint64_t *)ctx = row->number;
	return 1;
}

static uint64_t first_number(nm_store *r, int64_t cap)
{
	uint64_t n = 0;
	ck_assert_int_ge(nm_store_frames(r, cap, 0, 0, 1, first_cb, &n), 0);
	return n;
}

/* Evict in chunks of `max` until the goal is met, as retention does. */
static nm_evicted evict_all(nm_store *s, int64_t cap, nm_evict_goal g)
{
	nm_evicted sum = {0};
	for (;;) {
		nm_evicted e;
		ck_assert_msg(nm_store_evict(s, cap, &g, &e) == 0, "%s", nm_store_errmsg(s));
		sum.frames += e.frames;
		sum.bytes += e.bytes;
		sum.more = e.more;
		sum.next_ns = e.next_ns;
		g.frames = g.frames > e.frames ? g.frames - e.frames : 0;
		g.bytes = g.bytes > e.bytes ? g.bytes - e.bytes : 0;
		if (!e.frames)
			break;
	}
	ck_assert_int_eq(nm_store_flush(s), 0);
	ck_assert_int_eq(nm_store_reclaim(s), 0);
	return sum;
}

START_TEST(evict_by_frames)
{
	nm_store *s = open_store(false);
	int64_t cap = new_capture(s);
	write_frames(s, cap, 1, 20000);
	int nbefore, nafter;
	uint64_t before = files_bytes(&nbefore);
	ck_assert_uint_eq(before, bytes_between(1, 20000));

	nm_evicted e = evict_all(s, cap, (nm_evict_goal){.frames = 15000, .max = 4096});
	ck_assert_uint_eq(e.frames, 15000);
	ck_assert_uint_eq(e.bytes, bytes_between(1, 15000));
	ck_assert(e.more);
	ck_assert_int_eq(e.next_ns, ts_of(15001));

	nm_kept k;
	ck_assert_int_eq(nm_store_kept(s, cap, &k), 0);
	ck_assert_uint_eq(k.frames, 5000);
	ck_assert_uint_eq(k.bytes, bytes_between(15001, 20000));
	ck_assert_int_eq(k.oldest_ns, ts_of(15001));

	/* the files shrank to the survivors plus less than one segment */
	uint64_t after = files_bytes(&nafter);
	ck_assert_uint_lt(nafter, nbefore);
	ck_assert_uint_ge(after, k.bytes);
	ck_assert_uint_lt(after, k.bytes + 256 * 1024 + SEG); /* + a partly evicted chunk */
	nm_space sp;
	ck_assert_int_eq(nm_store_space(s, &sp), 0);
	ck_assert_uint_eq(sp.frames_bytes, after);
	ck_assert_uint_eq(sp.frames_live, after);

	nm_store *r = open_store(true);
	ck_assert_uint_eq(first_number(r, cap), 15001);
	check_gone(r, cap, 15000);
	for (uint64_t n = 15001; n <= 20000; n++)
		check_frame(r, cap, n);
	nm_store_close(r);
	nm_store_close(s);

	/* reopen: nothing is cut that rows refer to; writing goes on */
	s = open_store(false);
	write_frames(s, cap, 20001, 21000);
	r = open_store(true);
	for (uint64_t n = 15001; n <= 21000; n += 7)
		check_frame(r, cap, n);
	check_frame(r, cap, 21000);
	nm_store_close(r);
	nm_store_close(s);
}
END_TEST

START_TEST(evict_by_bytes_and_age)
{
	nm_store *s = open_store(false);
	int64_t cap = new_capture(s);
	write_frames(s, cap, 1, 6000);
	/* at least 1 MB of bytes: evicts up to the frame that reaches it */
	nm_evicted e = evict_all(s, cap, (nm_evict_goal){.bytes = 1000000, .max = 1000});
	uint64_t n = 0, sum = 0;
	while (sum < 1000000)
		sum += caplen_of(++n);
	ck_assert_uint_eq(e.frames, n);
	ck_assert_uint_eq(e.bytes, sum);
	/* age: everything before frame 4000's time */
	e = evict_all(s, cap, (nm_evict_goal){.before_ns = ts_of(4000), .max = 300});
	ck_assert_uint_eq(e.frames, 4000 - 1 - n);
	/* until: never past a bound, whatever the goal */
	e = evict_all(s, cap, (nm_evict_goal){.frames = 5000, .until_ns = ts_of(4100), .max = 300});
	ck_assert_uint_eq(e.frames, 101);
	ck_assert_int_eq(e.next_ns, ts_of(4101));
	nm_store *r = open_store(true);
	ck_assert_uint_eq(first_number(r, cap), 4101);
	for (uint64_t i = 4101; i <= 6000; i++)
		check_frame(r, cap, i);
	nm_store_close(r);
	/* everything: the files go but the next write starts cleanly */
	e = evict_all(s, cap, (nm_evict_goal){.frames = 100000, .max = 5000});
	ck_assert_uint_eq(e.frames, 1900);
	ck_assert(!e.more);
	int nf;
	ck_assert_uint_lt(files_bytes(&nf), SEG);
	nm_store_close(s);
	s = open_store(false);
	write_frames(s, cap, 6001, 6100);
	r = open_store(true);
	ck_assert_uint_eq(first_number(r, cap), 6001);
	for (uint64_t i = 6001; i <= 6100; i++)
		check_frame(r, cap, i);
	nm_store_close(r);
	nm_store_close(s);
}
END_TEST

/* Two captures: eviction of one leaves the other's bytes intact. */
START_TEST(two_captures)
{
	nm_store *s = open_store(false);
	int64_t a = new_capture(s), b = new_capture(s);
	for (uint64_t n = 1; n <= 4000; n += 500) {
		write_frames(s, a, n, n + 499);
		write_frames(s, b, n, n + 499);
	}
	evict_all(s, a, (nm_evict_goal){.frames = 3000, .max = 512});
	nm_store *r = open_store(true);
	for (uint64_t n = 1; n <= 4000; n++) {
		if (n > 3000)
			check_frame(r, a, n);
		check_frame(r, b, n);
	}
	nm_store_close(r);
	nm_store_close(s);
}
END_TEST

/* A capture that keeps its newest frames must not pin the files of a later
 * capture's evicted frames: the gap between them is reclaimed too. */
START_TEST(gap_between_captures)
{
	nm_store *s = open_store(false);
	int64_t a = new_capture(s), b = new_capture(s);
	write_frames(s, a, 1, 5000);
	write_frames(s, b, 1, 5000);
	nm_evicted ea = evict_all(s, a, (nm_evict_goal){.frames = 4000, .max = 4096});
	nm_evicted eb = evict_all(s, b, (nm_evict_goal){.frames = 4000, .max = 4096});
	ck_assert_uint_eq(ea.frames + eb.frames, 8000);
	int nf;
	uint64_t kept = 2 * bytes_between(4001, 5000), files = files_bytes(&nf);
	/* each range may start in a partly evicted chunk and end mid-segment */
	ck_assert_msg(files < kept + 2 * (256 * 1024 + SEG), "files %llu for %llu kept bytes",
	              (unsigned long long)files, (unsigned long long)kept);
	nm_store_close(s);
	s = open_store(false); /* reopening finds the same files needed */
	ck_assert_uint_eq(files_bytes(&nf), files);
	nm_store *r = open_store(true);
	for (uint64_t n = 4001; n <= 5000; n++) {
		check_frame(r, a, n);
		check_frame(r, b, n);
	}
	nm_store_close(r);
	nm_store_close(s);
}
END_TEST

static void sh(const char *fmt, const char *arg)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, fmt, arg, arg, arg);
	ck_assert_int_eq(system(cmd), 0);
}

/* A database written before segments existed: one "<db>-frames" file. */
START_TEST(legacy_single_file)
{
	nm_store *s = open_store(false);
	int64_t cap = new_capture(s);
	write_frames(s, cap, 1, 3000);
	nm_store_close(s);
	/* turn it into the old layout: one file, no layout keys */
	sh("cat $(ls %s-frames.* | sort) > %s-frames && rm %s-frames.*", path);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DELETE FROM meta WHERE key LIKE 'frames_%'", 0, 0, 0), 0);
	sqlite3_close(db);

	s = open_store(false);
	write_frames(s, cap, 3001, 4000);
	nm_store *r = open_store(true);
	for (uint64_t n = 1; n <= 4000; n++)
		check_frame(r, cap, n);
	nm_store_close(r);
	evict_all(s, cap, (nm_evict_goal){.frames = 3000, .max = 4096});
	char old[200];
	snprintf(old, sizeof old, "%s-frames", path);
	ck_assert_int_ne(access(old, F_OK), 0); /* the old file is gone */
	r = open_store(true);
	for (uint64_t n = 3001; n <= 4000; n++)
		check_frame(r, cap, n);
	nm_store_close(r);
	nm_store_close(s);
}
END_TEST

static Suite *ret_suite(void)
{
	Suite *s = suite_create("retention");
	TCase *tc = tcase_create("sqlite");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, evict_by_frames);
	tcase_add_test(tc, evict_by_bytes_and_age);
	tcase_add_test(tc, two_captures);
	tcase_add_test(tc, gap_between_captures);
	tcase_add_test(tc, legacy_single_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ret_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
