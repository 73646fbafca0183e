/*
 * check_db.c - storage layer tests on real temporary SQLite files.
 */
#include <check.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/store.h"

static char dir[64], path[128];
static const char *const protos[] = {"TCP", "UDP", "DNS", "ARP"};

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/check_db.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/netmon.db", dir);
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
	return n % 7 == 0 ? 0 : (uint32_t)(n * 37 % 1600);
}

static uint8_t byte_of(uint64_t n, uint32_t j)
{
	return (uint8_t)(n * 31 + j * 7);
}

/* Frame n's fields are a function of n, so readers can check every value. */
static void add_frame(nm_batch *b, uint64_t n, uint32_t caplen)
{
	static uint8_t bytes[400000];
	char src[32], dst[32], info[64];
	for (uint32_t j = 0; j < caplen; j++)
		bytes[j] = byte_of(n, j);
	snprintf(src, sizeof src, "10.0.%u.%u", (unsigned)(n / 256 % 256), (unsigned)(n % 256));
	snprintf(dst, sizeof dst, "192.168.0.%u", (unsigned)(n % 200));
	snprintf(info, sizeof info, "frame %llu", (unsigned long long)n);
	nm_frame_rec f = {.number = n, .ts_ns = (int64_t)n * 1000, .len = caplen + 4,
			  .caplen = caplen, .iface = (uint32_t)(n % 2), .flags = (uint32_t)(n % 16),
			  .flow_id = (int64_t)(n % 10), .src = src, .dst = dst,
			  .protocol = protos[n % 4], .info = info, .protocols = "eth:ip",
			  .bytes = bytes};
	ck_assert(nm_batch_add(b, &f));
}

static int64_t new_capture(nm_store *s)
{
	nm_capture_info ci = {.source = "test.pcap", .kind = "file", .filter = "tcp",
			      .linktype = 1, .snaplen = 65535, .started_ns = 42};
	ck_assert_int_eq(nm_store_begin_capture(s, &ci), 0);
	ck_assert_int_gt(ci.id, 0);
	return ci.id;
}

/* Writes frames from..to (inclusive) in batches of `per`. */
static void write_range(nm_store *s, int64_t cap, uint64_t from, uint64_t to, size_t per)
{
	nm_batch *b = nm_batch_new(per, per * 2000);
	for (uint64_t n = from; n <= to;) {
		nm_batch_reset(b);
		b->capture_id = cap;
		for (; n <= to && b->count < per; n++)
			add_frame(b, n, caplen_of(n));
		ck_assert_msg(nm_store_write_batch(s, b) == 0, "%s", nm_store_errmsg(s));
	}
	nm_batch_free(b);
}

static void check_full(nm_store *r, int64_t cap, uint64_t n, uint32_t caplen)
{
	nm_frame_full f;
	ck_assert_msg(nm_store_frame_get(r, cap, n, &f) == 1, "frame %llu: %s",
		      (unsigned long long)n, nm_store_errmsg(r));
	ck_assert_uint_eq(f.row.number, n);
	ck_assert_uint_eq(f.row.caplen, caplen);
	ck_assert_uint_eq(f.linktype, 1);
	ck_assert_ptr_nonnull(f.bytes);
	for (uint32_t j = 0; j < caplen; j++)
		ck_assert_msg(f.bytes[j] == byte_of(n, j), "frame %llu byte %u",
			      (unsigned long long)n, j);
	nm_frame_full_free(&f);
}

struct collect {
	uint64_t numbers[50000];
	int64_t caps[50000];
	size_t n;
	nm_frame_row last;
};

static int collect_cb(void *ctx, const nm_frame_row *r)
{
	struct collect *c = ctx;
	c->caps[c->n] = r->capture_id;
	c->numbers[c->n++] = r->number;
	c->last = *r;
	return 0;
}

START_TEST(round_trip)
{
	nm_store *w = open_store(false);
	int64_t cap = new_capture(w);
	write_range(w, cap, 1, 1000, 100);
	ck_assert_int_eq(nm_store_flush(w), 0);

	nm_store *r = open_store(true);
	static struct collect c;
	c.n = 0;
	ck_assert_int_eq(nm_store_frames(r, 0, 0, 0, 5000, collect_cb, &c), 1000);
	for (size_t i = 0; i < c.n; i++)
		ck_assert_uint_eq(c.numbers[i], i + 1);
	ck_assert_str_eq(c.last.info, "frame 1000");
	ck_assert_str_eq(c.last.protocol, protos[1000 % 4]);
	ck_assert_str_eq(c.last.src, "10.0.3.232");
	ck_assert_int_eq(c.last.ts_ns, 1000000);
	for (uint64_t n = 1; n <= 1000; n++)
		check_full(r, cap, n, caplen_of(n));

	nm_capture_row row;
	ck_assert_int_eq(nm_store_capture_get(r, cap, &row), 1);
	ck_assert_uint_eq(row.frames, 1000);
	ck_assert_int_eq(row.first_ns, 1000);
	ck_assert_int_eq(row.last_ns, 1000000);
	ck_assert_str_eq(row.filter, "tcp");
	ck_assert(row.running);
	ck_assert_int_eq(nm_store_end_capture(w, cap), 0);
	ck_assert_int_eq(nm_store_capture_get(r, cap, &row), 1);
	ck_assert(!row.running);
	ck_assert_int_eq(nm_store_capture_get(r, cap + 1, &row), 0);
	nm_batch *b = nm_batch_new(1, 1);
	ck_assert_int_eq(nm_store_write_batch(r, b), -1); /* read-only */
	nm_batch_free(b);
	nm_store_close(r);
	nm_store_close(w);
}
END_TEST

START_TEST(latest_and_captures)
{
	nm_store *w = open_store(false);
	int64_t c1 = new_capture(w);
	write_range(w, c1, 1, 50, 50);
	int64_t c2 = new_capture(w);
	write_range(w, c2, 1, 30, 7);
	nm_store_flush(w);
	static struct collect c;
	c.n = 0;
	ck_assert_int_eq(nm_store_frames_latest(w, 0, 3, collect_cb, &c), 3);
	ck_assert_int_eq(c.caps[0], c2);
	ck_assert_uint_eq(c.numbers[0], 30);
	ck_assert_uint_eq(c.numbers[2], 28);
	c.n = 0;
	ck_assert_int_eq(nm_store_frames_latest(w, c1, 2, collect_cb, &c), 2);
	ck_assert_uint_eq(c.numbers[0], 50);
	/* keyset continues across captures */
	c.n = 0;
	ck_assert_int_eq(nm_store_frames(w, 0, c1, 49, 3, collect_cb, &c), 3);
	ck_assert_uint_eq(c.numbers[1], 1);
	ck_assert_int_eq(c.caps[1], c2);
	c.n = 0;
	ck_assert_int_eq(nm_store_frames(w, c1, c1, 49, 3, collect_cb, &c), 1);
	nm_store_close(w);
}
END_TEST

START_TEST(chunk_boundaries)
{
	nm_store *w = open_store(false);
	int64_t cap = new_capture(w);
	write_range(w, cap, 1, 600, 600); /* chunks 1-256, 257-512, 513-600 */
	nm_store_flush(w);
	write_range(w, cap, 601, 603, 10); /* a short chunk cut by flush */
	nm_store_flush(w);
	nm_batch *b = nm_batch_new(8, 800000);
	b->capture_id = cap;
	add_frame(b, 700, 10); /* gap before 700 */
	add_frame(b, 701, 300000); /* larger than a chunk */
	add_frame(b, 702, 5);
	ck_assert_int_eq(nm_store_write_batch(w, b), 0);
	nm_batch_free(b);
	nm_store_close(w);

	nm_store *r = open_store(true);
	const uint64_t edge[] = {1, 255, 256, 257, 512, 513, 600, 601, 603};
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
		check_full(r, cap, edge[i], caplen_of(edge[i]));
	check_full(r, cap, 700, 10);
	check_full(r, cap, 701, 300000);
	check_full(r, cap, 702, 5);
	nm_frame_full f;
	ck_assert_int_eq(nm_store_frame_get(r, cap, 604, &f), 0);
	ck_assert_int_eq(nm_store_frame_get(r, cap, 0, &f), 0);
	ck_assert_int_eq(nm_store_frame_get(r, cap + 1, 1, &f), 0);
	nm_store_close(r);
}
END_TEST

static void set_version(const char *v)
{
	sqlite3 *db;
	char sql[128];
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE meta SET value = '%s' WHERE key = 'schema_version'", v);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

START_TEST(migration)
{
	FILE *f = fopen(path, "w"); /* an empty file is a database at version 0 */
	ck_assert_ptr_nonnull(f);
	fclose(f);
	nm_store_close(open_store(false));
	nm_store_close(open_store(true));
	set_version("999");
	char err[512] = "";
	ck_assert_ptr_null(nm_store_open(path, false, err, sizeof err));
	ck_assert_msg(strstr(err, "newer") != NULL, "%s", err);
	ck_assert_ptr_null(nm_store_open(path, true, err, sizeof err));
	ck_assert_msg(strstr(err, "schema_version 999") != NULL, "%s", err);
	ck_assert_ptr_null(nm_store_open("/nonexistent/dir/x.db", true, err, sizeof err));
}
END_TEST

START_TEST(foreign_database)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char err[512] = "";
	ck_assert_ptr_null(nm_store_open(path, false, err, sizeof err));
	ck_assert_msg(strstr(err, "not a netmon database") != NULL, "%s", err);
}
END_TEST

struct writer {
	nm_store *s;
	int64_t cap;
};

static void *writer_main(void *arg)
{
	struct writer *wr = arg;
	for (uint64_t n = 1; n <= 20000; n += 100) {
		write_range(wr->s, wr->cap, n, n + 99, 100);
		nm_store_flush(wr->s);
	}
	return NULL;
}

START_TEST(paginate_while_writing)
{
	struct writer wr = {.s = open_store(false)};
	wr.cap = new_capture(wr.s);
	nm_store *r = open_store(true);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, writer_main, &wr), 0);
	static struct collect c;
	uint64_t last = 0;
	int64_t lastcap = 0;
	while (last < 20000) {
		c.n = 0;
		int got = nm_store_frames(r, wr.cap, lastcap, last, 500, collect_cb, &c);
		ck_assert_msg(got >= 0, "%s", nm_store_errmsg(r));
		for (size_t i = 0; i < c.n; i++)
			ck_assert_uint_eq(c.numbers[i], ++last);
		if (c.n)
			lastcap = c.caps[c.n - 1];
		else
			usleep(1000);
	}
	pthread_join(t, NULL);
	check_full(r, wr.cap, 20000, caplen_of(20000));
	nm_store_close(r);
	nm_store_close(wr.s);
}
END_TEST

START_TEST(bad_batch_keeps_data)
{
	nm_store *w = open_store(false);
	int64_t cap = new_capture(w);
	write_range(w, cap, 1, 10, 10);
	ck_assert_int_eq(nm_store_flush(w), 0);
	write_range(w, cap, 11, 20, 10); /* pending, not yet committed */
	nm_batch *b = nm_batch_new(4, 4000);
	b->capture_id = cap;
	add_frame(b, 21, 10);
	add_frame(b, 5, 10); /* duplicate */
	ck_assert_int_eq(nm_store_write_batch(w, b), -1);
	ck_assert_msg(strstr(nm_store_errmsg(w), "frame 5") != NULL, "%s", nm_store_errmsg(w));
	nm_batch_reset(b);
	ck_assert_int_eq(nm_store_write_batch(w, b), 0);
	b->capture_id = cap;
	add_frame(b, 21, 10);
	ck_assert_int_eq(nm_store_write_batch(w, b), 0);
	nm_batch_free(b);
	ck_assert_int_eq(nm_store_flush(w), 0);
	static struct collect c;
	c.n = 0;
	ck_assert_int_eq(nm_store_frames(w, cap, 0, 0, 100, collect_cb, &c), 21);
	for (uint64_t n = 1; n <= 20; n++)
		check_full(w, cap, n, caplen_of(n));
	check_full(w, cap, 21, 10);
	nm_store_close(w);
}
END_TEST

/* Frame bytes are written by the store's appender thread: a write that
 * fails (here segment 5 cannot be created: a directory has its name) fails
 * the commit with the file's name, and what was committed before stays. */
START_TEST(bytes_write_fails)
{
	setenv("NETMON_FRAMES_SEGMENT", "65536", 1); /* fixed when the database is made */
	nm_store *w = open_store(false);
	unsetenv("NETMON_FRAMES_SEGMENT");
	int64_t cap = new_capture(w);
	write_range(w, cap, 1, 50, 10);
	ck_assert_int_eq(nm_store_flush(w), 0);
	char seg5[160];
	snprintf(seg5, sizeof seg5, "%s-frames.000005", path);
	ck_assert_int_eq(mkdir(seg5, 0755), 0);
	int rc = 0;
	for (uint64_t n = 51; n <= 2000 && rc == 0; n += 50) { /* ~1.6 MB: past segment 5 */
		nm_batch *b = nm_batch_new(50, 50 * 2000);
		b->capture_id = cap;
		for (uint64_t k = n; k < n + 50; k++)
			add_frame(b, k, caplen_of(k));
		rc = nm_store_write_batch(w, b);
		nm_batch_free(b);
		if (rc == 0)
			rc = nm_store_flush(w);
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(nm_store_errmsg(w), "frames.000005") != NULL, "%s", nm_store_errmsg(w));
	nm_store_close(w);
	ck_assert_int_eq(rmdir(seg5), 0);
	nm_store *r = open_store(false);
	static struct collect c;
	c.n = 0;
	int got = nm_store_frames(r, cap, 0, 0, 5000, collect_cb, &c);
	ck_assert_int_ge(got, 50);
	for (uint64_t n = 1; n <= (uint64_t)got; n++)
		check_full(r, cap, n, caplen_of(n));
	nm_store_close(r);
}
END_TEST

static void write_stats(nm_store *w, int64_t cap, uint64_t tcp, uint64_t udp, uint64_t dns)
{
	static nm_stats st;
	static const char *names[NM_STATS_MAX_PROTOS] = {[1] = "tcp", [2] = "udp", [3] = "dns"};
	memset(&st, 0, sizeof st);
	st.proto_frames[1] = tcp, st.proto_bytes[1] = tcp * 100;
	st.proto_frames[2] = udp, st.proto_bytes[2] = udp * 100;
	st.proto_frames[3] = dns, st.proto_bytes[3] = dns * 100;
	st.frames = tcp + udp + dns;
	st.bytes = st.frames * 100;
	st.malformed = 1;
	st.dropped_queue = 2;
	ck_assert_int_eq(nm_store_write_stats(w, cap, &st, names), 0);
}

START_TEST(totals)
{
	nm_store *w = open_store(false);
	int64_t c1 = new_capture(w), c2 = new_capture(w);
	write_stats(w, c1, 10, 5, 0);
	write_stats(w, c1, 12, 5, 0); /* a newer snapshot replaces the old */
	write_stats(w, c2, 3, 0, 20);
	nm_store_flush(w);
	nm_totals t;
	ck_assert_int_eq(nm_store_totals(w, c1, &t), 0);
	ck_assert_uint_eq(t.frames, 17);
	ck_assert_uint_eq(t.bytes, 1700);
	ck_assert_uint_eq(t.nprotos, 2);
	ck_assert_str_eq(t.protos[0].name, "tcp");
	ck_assert_uint_eq(t.protos[0].frames, 12);
	nm_totals_free(&t);
	ck_assert_int_eq(nm_store_totals(w, 0, &t), 0);
	ck_assert_uint_eq(t.frames, 40);
	ck_assert_uint_eq(t.malformed, 2);
	ck_assert_uint_eq(t.dropped_queue, 4);
	ck_assert_uint_eq(t.nprotos, 3);
	ck_assert_str_eq(t.protos[0].name, "dns");
	ck_assert_uint_eq(t.protos[1].frames, 15);
	ck_assert_uint_eq(t.protos[1].bytes, 1500);
	ck_assert_str_eq(t.protos[2].name, "udp");
	nm_totals_free(&t);
	nm_store_close(w);
}
END_TEST

START_TEST(batch_limits)
{
	nm_batch *b = nm_batch_new(2, 64);
	nm_frame_rec f = {.number = 1, .caplen = 10, .bytes = (const uint8_t *)"0123456789",
			  .src = "a", .info = "x"};
	ck_assert(nm_batch_add(b, &f));
	f.caplen = 60; /* arena full */
	ck_assert(!nm_batch_add(b, &f));
	f.caplen = 0;
	ck_assert(nm_batch_add(b, &f));
	ck_assert(!nm_batch_add(b, &f)); /* frames full */
	ck_assert_str_eq(b->frames[0].src, "a");
	ck_assert_ptr_null(b->frames[0].dst);
	ck_assert_int_eq(memcmp(b->frames[0].bytes, "0123456789", 10), 0);
	nm_batch_reset(b);
	ck_assert_uint_eq(b->count, 0);
	nm_batch_free(b);
}
END_TEST

static Suite *db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("sqlite");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, latest_and_captures);
	tcase_add_test(tc, chunk_boundaries);
	tcase_add_test(tc, migration);
	tcase_add_test(tc, foreign_database);
	tcase_add_test(tc, paginate_while_writing);
	tcase_add_test(tc, bad_batch_keeps_data);
	tcase_add_test(tc, bytes_write_fails);
	tcase_add_test(tc, totals);
	tcase_add_test(tc, batch_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(db_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
