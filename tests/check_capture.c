/*
 * check_capture.c - unit tests of the capture stage's own data structures:
 * the flow table (both directions in one flow, the cap, LRU eviction that
 * keeps the evicted counts) and the bounded queue.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture/flows.h"
#include "capture/queue.h"

static nm_flow_key key4(uint8_t a, uint8_t b, uint16_t sp, uint16_t dp)
{
	nm_flow_key k;
	memset(&k, 0, sizeof k);
	k.family = 4;
	k.proto = 6;
	k.src[0] = 10, k.src[3] = a;
	k.dst[0] = 10, k.dst[3] = b;
	k.sport = sp;
	k.dport = dp;
	return k;
}

static nm_flow_key reverse(nm_flow_key k)
{
	nm_flow_key r = k;
	memcpy(r.src, k.dst, 16);
	memcpy(r.dst, k.src, 16);
	r.sport = k.dport;
	r.dport = k.sport;
	return r;
}

START_TEST(both_directions_one_flow)
{
	nm_flow_table t;
	ck_assert_int_eq(nm_flows_init(&t, 64), 0);
	nm_flow_key k = key4(1, 2, 1234, 80);
	k.tcp_flags = 0x02;
	int64_t a = nm_flows_update(&t, &k, 100, 60);
	nm_flow_key r = reverse(k);
	r.tcp_flags = 0x12;
	int64_t b = nm_flows_update(&t, &r, 200, 1500);
	ck_assert_int_eq(a, b);
	nm_flow_rec *recs;
	size_t n = nm_flows_take_dirty(&t, &recs, false);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(recs[0].src, "10.0.0.1");
	ck_assert_str_eq(recs[0].dst, "10.0.0.2");
	ck_assert_uint_eq(recs[0].frames_ab, 1);
	ck_assert_uint_eq(recs[0].bytes_ba, 1500);
	ck_assert_int_eq(recs[0].first_ns, 100);
	ck_assert_int_eq(recs[0].last_ns, 200);
	ck_assert_str_eq(recs[0].state, "ESTABLISHED");
	free(recs);
	ck_assert_uint_eq(nm_flows_take_dirty(&t, &recs, false), 0);
	nm_flows_free(&t);
}
END_TEST

START_TEST(no_ip_no_flow)
{
	nm_flow_table t;
	ck_assert_int_eq(nm_flows_init(&t, 16), 0);
	nm_flow_key k;
	memset(&k, 0, sizeof k);
	ck_assert_int_eq(nm_flows_update(&t, &k, 1, 1), 0);
	nm_flows_free(&t);
}
END_TEST

START_TEST(cap_evicts_least_recent)
{
	nm_flow_table t;
	ck_assert_int_eq(nm_flows_init(&t, 16), 0);
	for (int i = 0; i < 16; i++) {
		nm_flow_key k = key4(1, 2, (uint16_t)(1000 + i), 80);
		nm_flows_update(&t, &k, i, 100);
	}
	/* Touch flow 0 so flow 1 becomes the least recently seen. */
	nm_flow_key k0 = key4(1, 2, 1000, 80);
	int64_t id0 = nm_flows_update(&t, &k0, 50, 100);
	nm_flow_key k_new = key4(3, 4, 5, 6);
	nm_flows_update(&t, &k_new, 60, 100);
	ck_assert_uint_eq(t.count, 16);
	ck_assert_uint_eq(t.evicted, 1);
	ck_assert_uint_eq(nm_flows_pending(&t), 1);

	nm_flow_rec *recs;
	size_t n = nm_flows_take_dirty(&t, &recs, true);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(recs[0].sport, 1001); /* flow 1 went, with its counts */
	ck_assert_uint_eq(recs[0].bytes_ab, 100);
	free(recs);
	ck_assert_int_eq(nm_flows_update(&t, &k0, 70, 100), id0); /* flow 0 survived */
	nm_flow_key k1 = key4(1, 2, 1001, 80);
	ck_assert_int_gt(nm_flows_update(&t, &k1, 80, 100), 17); /* flow 1 is new again */
	nm_flows_free(&t);
}
END_TEST

START_TEST(queue_bounded)
{
	nm_queue q;
	ck_assert_int_eq(nm_queue_init(&q, 2), 0);
	nm_msg m = {.type = NM_MSG_END, .capture_id = 1};
	ck_assert(nm_queue_push(&q, &m, false));
	m.capture_id = 2;
	ck_assert(nm_queue_push(&q, &m, false));
	ck_assert(!nm_queue_push(&q, &m, false)); /* full: refused, not blocked */
	nm_msg out;
	ck_assert(nm_queue_pop(&q, &out, 0));
	ck_assert_int_eq(out.capture_id, 1); /* FIFO */
	ck_assert(nm_queue_pop(&q, &out, 0));
	ck_assert_int_eq(out.capture_id, 2);
	ck_assert(!nm_queue_pop(&q, &out, 10)); /* empty: times out */
	nm_queue_destroy(&q);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("flows");
	tcase_add_test(tc, both_directions_one_flow);
	tcase_add_test(tc, no_ip_no_flow);
	tcase_add_test(tc, cap_evicts_least_recent);
	tcase_add_test(tc, queue_bounded);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
