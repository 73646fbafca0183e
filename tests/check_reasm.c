/*
 * check_reasm.c - the IPv4 reassembly table (capture/reasm.c) through the
 * real dissectors: completion in any fragment order, links for the store,
 * and the bounds (datagram cap, byte cap, timeout) that evict and count.
 * Field values against tshark are checked by tests/ip_reasm.py.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reasm.h"
#include "parsers/dissect.h"

#define S 1000000000LL

/* An Ethernet + IPv4 fragment frame carrying payload bytes [off, off+len)
 * of a datagram whose bytes are all equal to their offset (mod 251). */
static uint32_t frag_frame(uint8_t *buf, uint16_t id, uint8_t proto, uint32_t off, uint32_t len, int more)
{
	static const uint8_t eth[14] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00};
	memcpy(buf, eth, 14);
	uint8_t *ip = buf + 14;
	uint16_t tot = (uint16_t)(20 + len), fl = (uint16_t)((more ? 0x2000 : 0) | off / 8);
	uint8_t h[20] = {0x45, 0, tot >> 8, tot & 255, id >> 8, id & 255, fl >> 8, fl & 255, 64, proto,
	                 0,    0, 10,       0,         0,       1,        10,      0,        0,  2};
	memcpy(ip, h, 20);
	for (uint32_t i = 0; i < len; i++)
		ip[20 + i] = (uint8_t)((off + i) % 251);
	return 34 + len;
}

/* Dissect one fragment frame through table t; returns the packet. */
static nm_packet feed(nm_reasm_table *t, uint8_t *buf, uint64_t number, int64_t ts, uint16_t id, uint8_t proto,
                      uint32_t off, uint32_t len, int more)
{
	nm_packet pk;
	memset(&pk, 0, sizeof pk);
	pk.caplen = pk.wirelen = frag_frame(buf, id, proto, off, len, more);
	pk.data = buf;
	pk.linktype = 1;
	pk.number = number;
	pk.ts_ns = ts;
	nm_dissect_frame_with(&pk, &t->base);
	return pk;
}

/* A UDP datagram of 8 + 1192 bytes: its first fragment starts with a UDP
 * header (ports 40000 -> 40001, no handoff), the rest is pattern. */
static void udp_header(uint8_t *frame)
{
	uint8_t *u = frame + 34;
	u[0] = 40000 >> 8, u[1] = 40000 & 255, u[2] = 40001 >> 8, u[3] = 40001 & 255;
	u[4] = 1200 >> 8, u[5] = 1200 & 255, u[6] = u[7] = 0;
}

START_TEST(out_of_order_completes_on_last_missing)
{
	nm_parsers_init();
	nm_reasm_table t;
	ck_assert_int_eq(nm_reasm_init(&t, 16, 1 << 20, 60 * S), 0);
	t.keep_links = true;
	uint8_t buf[2000];
	nm_packet a = feed(&t, buf, 1, 0, 7, 17, 800, 400, 0); /* the tail first */
	ck_assert_str_eq(a.protocol, "IPv4");
	ck_assert_ptr_nonnull(strstr(a.info, "Fragmented IP protocol (proto=UDP 17, off=800, ID=0007)"));
	/* the head, with a UDP header: built by hand so the ports are real */
	memset(&a, 0, sizeof a);
	a.caplen = a.wirelen = frag_frame(buf, 7, 17, 0, 400, 1);
	udp_header(buf);
	a.data = buf, a.linktype = 1, a.number = 2;
	nm_dissect_frame_with(&a, &t.base);
	ck_assert_str_eq(a.protocol, "IPv4");
	ck_assert_uint_eq(t.count, 1);
	nm_packet c = feed(&t, buf, 3, 0, 7, 17, 400, 400, 1);
	ck_assert_str_eq(c.protocol, "UDP");
	ck_assert_str_eq(c.info, "40000 → 40001 Len=1192");
	ck_assert_uint_eq(c.flow.sport, 40000);
	ck_assert_uint_eq(t.count, 0);
	ck_assert_uint_eq(t.completed, 1);
	ck_assert_uint_eq(t.evicted, 0);
	size_t n;
	nm_frag_link *l = nm_reasm_take_links(&t, &n);
	ck_assert_uint_eq(n, 3);
	/* by offset: frame 2 (0), 3 (400), 1 (800); all reassembled in 3 */
	ck_assert_uint_eq(l[0].frame, 2);
	ck_assert_uint_eq(l[1].frame, 3);
	ck_assert_uint_eq(l[2].frame, 1);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(l[i].reassembled_in, 3);
	free(l);
	nm_reasm_free(&t);
}
END_TEST

START_TEST(non_udp_is_not_collected)
{
	nm_parsers_init();
	nm_reasm_table t;
	ck_assert_int_eq(nm_reasm_init(&t, 16, 1 << 20, 60 * S), 0);
	uint8_t buf[2000];
	nm_packet a = feed(&t, buf, 1, 0, 9, 1, 0, 400, 1);
	feed(&t, buf, 2, 0, 9, 1, 400, 100, 0);
	ck_assert_ptr_nonnull(strstr(a.info, "proto=ICMP 1"));
	ck_assert_uint_eq(t.count, 0);
	ck_assert_uint_eq(t.completed, 0);
	nm_reasm_free(&t);
}
END_TEST

START_TEST(full_table_evicts_and_counts)
{
	nm_parsers_init();
	nm_reasm_table t;
	ck_assert_int_eq(nm_reasm_init(&t, 4, 1 << 20, 60 * S), 0);
	uint8_t buf[2000];
	for (uint16_t id = 0; id < 10; id++) /* heads that never get a tail */
		feed(&t, buf, id + 1u, id, id, 17, 0, 64, 1);
	ck_assert_uint_eq(t.count, 4);
	ck_assert_uint_eq(t.evicted, 6);
	ck_assert_uint_le(t.bytes, 4 * 64);
	/* the 4 kept are the most recent: id 9's tail still completes it */
	nm_packet p = feed(&t, buf, 11, 11, 9, 17, 64, 16, 0);
	ck_assert_uint_eq(t.completed, 1);
	ck_assert_str_ne(p.protocol, "IPv4");
	/* id 0 was evicted: its tail starts a new datagram, which never completes */
	feed(&t, buf, 12, 12, 0, 17, 64, 16, 0);
	ck_assert_uint_eq(t.completed, 1);
	nm_reasm_free(&t);
}
END_TEST

START_TEST(byte_cap_and_timeout_evict)
{
	nm_parsers_init();
	nm_reasm_table t;
	ck_assert_int_eq(nm_reasm_init(&t, 100, 1000, 60 * S), 0);
	uint8_t buf[2000];
	feed(&t, buf, 1, 0, 1, 17, 0, 600, 1);
	feed(&t, buf, 2, 0, 2, 17, 0, 600, 1); /* 1200 > 1000 bytes: the older goes */
	ck_assert_uint_eq(t.count, 1);
	ck_assert_uint_eq(t.evicted, 1);
	ck_assert_uint_le(t.bytes, 1000);
	feed(&t, buf, 3, 61 * S, 3, 17, 0, 8, 1); /* id 2 is 61 s old: timed out */
	ck_assert_uint_eq(t.count, 1);
	ck_assert_uint_eq(t.evicted, 2);
	nm_reasm_free(&t);
}
END_TEST

START_TEST(truncated_fragment_is_not_collected)
{
	nm_parsers_init();
	nm_reasm_table t;
	ck_assert_int_eq(nm_reasm_init(&t, 16, 1 << 20, 60 * S), 0);
	uint8_t buf[2000];
	nm_packet pk;
	memset(&pk, 0, sizeof pk);
	pk.wirelen = frag_frame(buf, 5, 17, 0, 400, 1);
	pk.caplen = 100; /* snaplen clipped it */
	pk.data = buf, pk.linktype = 1, pk.number = 1;
	nm_dissect_frame_with(&pk, &t.base);
	ck_assert_uint_eq(t.count, 0);
	nm_reasm_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reasm");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, out_of_order_completes_on_last_missing);
	tcase_add_test(tc, non_udp_is_not_collected);
	tcase_add_test(tc, full_table_evicts_and_counts);
	tcase_add_test(tc, byte_cap_and_timeout_evict);
	tcase_add_test(tc, truncated_fragment_is_not_collected);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
