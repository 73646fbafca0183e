/*
 * check_paths.c - the protocol path accumulator (capture/paths.c): counts
 * per path, a full table refusing a new path until taken (and no count
 * lost), taking empties it, long and missing paths; and the store adding
 * the deltas up per capture and over all captures (db/sqlite_paths.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/paths.h"

static const nm_path_rec *find(const nm_path_rec *r, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].path, path) == 0)
			return &r[i];
	return NULL;
}

START_TEST(counts_and_take)
{
	nm_path_table t;
	ck_assert_int_eq(nm_paths_init(&t, 8), 0);
	for (int i = 0; i < 1000; i++)
		ck_assert(nm_paths_add(&t, i % 3 ? "eth:ethertype:ip:udp:dns" : "eth:ethertype:arp", 60 + i % 2));
	nm_path_rec *r;
	size_t n = nm_paths_take(&t, &r);
	ck_assert_uint_eq(n, 2);
	const nm_path_rec *dns = find(r, n, "eth:ethertype:ip:udp:dns"), *arp = find(r, n, "eth:ethertype:arp");
	ck_assert_ptr_nonnull(dns);
	ck_assert_ptr_nonnull(arp);
	ck_assert_uint_eq(dns->frames, 666);
	ck_assert_uint_eq(arp->frames, 334);
	ck_assert_uint_eq(dns->bytes + arp->bytes, 1000 * 60 + 500);
	free(r);
	ck_assert_uint_eq(nm_paths_take(&t, &r), 0);
	ck_assert_ptr_null(r);
	nm_paths_free(&t);
}
END_TEST

START_TEST(full_then_take)
{
	nm_path_table t;
	char name[32];
	ck_assert_int_eq(nm_paths_init(&t, 4), 0);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "eth:p%d", i);
		ck_assert(nm_paths_add(&t, name, 100));
	}
	ck_assert(nm_paths_add(&t, "eth:p0", 100)); /* a known path still counts */
	ck_assert(!nm_paths_add(&t, "eth:p4", 100));
	ck_assert_uint_eq(t.flushes_full, 1);
	nm_path_rec *r;
	size_t n = nm_paths_take(&t, &r);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(find(r, n, "eth:p0")->frames, 2);
	ck_assert_ptr_null(find(r, n, "eth:p4"));
	free(r);
	ck_assert(nm_paths_add(&t, "eth:p4", 100));
	n = nm_paths_take(&t, &r);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].path, "eth:p4");
	free(r);
	nm_paths_free(&t);
}
END_TEST

START_TEST(long_and_missing)
{
	nm_path_table t;
	char longp[400];
	memset(longp, 'x', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	ck_assert_int_eq(nm_paths_init(&t, 4), 0);
	ck_assert(nm_paths_add(&t, longp, 1));
	longp[300] = 'y'; /* past the kept length: the same path */
	ck_assert(nm_paths_add(&t, longp, 1));
	ck_assert(nm_paths_add(&t, NULL, 5));
	ck_assert(nm_paths_add(&t, "", 5));
	nm_path_rec *r;
	size_t n = nm_paths_take(&t, &r);
	ck_assert_uint_eq(n, 2);
	const nm_path_rec *x = find(r, n, ""), *l = r[0].path[0] ? &r[0] : &r[1];
	ck_assert_uint_eq(x->frames, 2);
	ck_assert_uint_eq(strlen(l->path), NM_PATH_REC_LEN - 1);
	ck_assert_uint_eq(l->frames, 2);
	free(r);
	nm_paths_free(&t);
}
END_TEST

typedef struct sums {
	int rows;
	int64_t frames, bytes;
} sums;

static int sum_row(void *ctx, const nm_stat_cell *c, int n)
{
	sums *s = ctx;
	ck_assert_int_eq(n, 3);
	ck_assert(c[0].is_text);
	if (strcmp(c[0].s, "eth:ethertype:ip") == 0)
		s->rows++, s->frames += c[1].i, s->bytes += c[2].i;
	return 0;
}

static sums read_ip(nm_store *st, int64_t capture)
{
	sums s = {0};
	nm_stat_query q = {.kind = NM_STAT_PROTO_PATHS, .capture_id = capture};
	ck_assert_int_ge(nm_store_stat_rows(st, &q, sum_row, &s), 0);
	return s;
}

START_TEST(store_adds_deltas)
{
	char dir[] = "/tmp/check_paths.XXXXXX", path[96], err[512] = "", cmd[128];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/netmon.db", dir);
	nm_store *st = nm_store_open(path, false, err, sizeof err);
	ck_assert_msg(st != NULL, "open: %s", err);
	int64_t id[2];
	for (int i = 0; i < 2; i++) {
		nm_capture_info ci = {.source = "test", .kind = "file", .filter = "", .linktype = 1};
		ck_assert_int_eq(nm_store_begin_capture(st, &ci), 0);
		id[i] = ci.id;
	}
	nm_path_rec r = {.path = "eth:ethertype:ip", .frames = 3, .bytes = 300};
	ck_assert_int_eq(nm_store_write_paths(st, id[0], &r, 1), 0);
	ck_assert_int_eq(nm_store_write_paths(st, id[0], &r, 1), 0);
	ck_assert_int_eq(nm_store_write_paths(st, id[1], &r, 1), 0);
	ck_assert_int_eq(nm_store_flush(st), 0);
	sums one = read_ip(st, id[0]), all = read_ip(st, 0);
	ck_assert_int_eq(one.rows, 1);
	ck_assert_int_eq(one.frames, 6);
	ck_assert_int_eq(one.bytes, 600);
	ck_assert_int_eq(all.rows, 1); /* one row per path over all captures */
	ck_assert_int_eq(all.frames, 9);
	nm_store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("paths");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, counts_and_take);
	tcase_add_test(tc, full_then_take);
	tcase_add_test(tc, long_and_missing);
	tcase_add_test(tc, store_adds_deltas);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
