/*
 * check_trigger.c - capture triggers: spec names and validation, pattern
 * matching at frame/network/transport offsets of frames built here byte
 * by byte (header sizes from the RFCs, not from our own output), the
 * two-stage state machine, the fill level arithmetic and the alert ring.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/notify.h"
#include "capture/trigger.h"

/* Ethernet (14) + IPv4 with `opt_words` option words + UDP (8) + payload. */
static size_t udp_frame(uint8_t *f, int opt_words, const char *payload)
{
	static const uint8_t eth[14] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
	size_t ihl = 20 + 4 * (size_t)opt_words, plen = strlen(payload);
	memcpy(f, eth, 14);
	uint8_t *ip = f + 14;
	memset(ip, 0, ihl);
	ip[0] = (uint8_t)(0x40 | ihl / 4);
	ip[2] = (uint8_t)((ihl + 8 + plen) >> 8), ip[3] = (uint8_t)(ihl + 8 + plen);
	ip[8] = 64, ip[9] = 17;
	ip[12] = 10, ip[15] = 1, ip[16] = 10, ip[19] = 2;
	for (int i = 0; i < opt_words * 4; i++)
		ip[20 + i] = 1; /* NOP options */
	uint8_t *udp = ip + ihl;
	udp[0] = 0x30, udp[1] = 0x39, udp[2] = 0x30, udp[3] = 0x3a; /* 12345 -> 12346 */
	udp[4] = (uint8_t)((8 + plen) >> 8), udp[5] = (uint8_t)(8 + plen), udp[6] = udp[7] = 0;
	memcpy(udp + 8, payload, plen);
	return 14 + ihl + 8 + plen;
}

static nm_packet dissect(const uint8_t *f, size_t caplen, size_t wirelen)
{
	nm_packet pk;
	memset(&pk, 0, sizeof pk);
	pk.data = f;
	pk.caplen = (uint32_t)caplen;
	pk.wirelen = (uint32_t)wirelen;
	pk.linktype = 1; /* Ethernet */
	pk.number = 1;
	nm_dissect_frame(&pk);
	return pk;
}

static nm_trigger_spec pat(nm_trigger_when w, nm_trigger_from from, uint32_t off, const char *hex)
{
	nm_trigger_spec t;
	memset(&t, 0, sizeof t);
	t.when = w;
	t.from = from;
	t.offset = off;
	ck_assert_ptr_null(nm_trigger_set_hex(&t, hex));
	return t;
}

START_TEST(names_round_trip)
{
	ck_assert_int_eq(nm_trigger_when_parse("buffer_then_pattern"), NM_TRIG_BUFFER_THEN_PATTERN);
	ck_assert_str_eq(nm_trigger_when_name(NM_TRIG_PATTERN_THEN_BUFFER), "pattern_then_buffer");
	ck_assert_int_eq(nm_trigger_from_parse("transport"), NM_TRIG_FROM_TRANSPORT);
	ck_assert_int_eq(nm_trigger_action_parse("command"), NM_TRIG_COMMAND);
	ck_assert_str_eq(nm_trigger_state_name(NM_TRIG_ARMED_SECOND), "armed_second");
	ck_assert_int_eq(nm_trigger_when_parse("Pattern"), -1);
	ck_assert_int_eq(nm_trigger_action_parse(""), -1);
	ck_assert_int_eq(nm_trigger_from_parse(NULL), -1);
}
END_TEST

START_TEST(hex_decoding)
{
	nm_trigger_spec t;
	memset(&t, 0, sizeof t);
	ck_assert_ptr_null(nm_trigger_set_hex(&t, "474554"));
	ck_assert_uint_eq(t.pattern_len, 3);
	ck_assert_mem_eq(t.pattern, "GET", 3);
	ck_assert_ptr_null(nm_trigger_set_hex(&t, "aBcD"));
	ck_assert_uint_eq(t.pattern[0], 0xab);
	ck_assert_uint_eq(t.pattern[1], 0xcd);
	ck_assert_ptr_nonnull(nm_trigger_set_hex(&t, ""));
	ck_assert_ptr_nonnull(nm_trigger_set_hex(&t, "474"));
	ck_assert_ptr_nonnull(nm_trigger_set_hex(&t, "47 5"));
	ck_assert_ptr_nonnull(nm_trigger_set_hex(&t, "0x47"));
	char big[2 * NM_TRIGGER_MAX_PATTERN + 3];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_ptr_nonnull(nm_trigger_set_hex(&t, big));
	big[2 * NM_TRIGGER_MAX_PATTERN] = '\0';
	ck_assert_ptr_null(nm_trigger_set_hex(&t, big));
}
END_TEST

START_TEST(spec_check)
{
	nm_limits none = {0}, bytes = {.bytes = 1000};
	const char *m;
	nm_trigger_spec t;
	memset(&t, 0, sizeof t);
	t.when = NM_TRIG_PATTERN;
	ck_assert_ptr_nonnull(nm_trigger_check(&t, &none, &m));
	ck_assert_str_eq(m, "trigger.pattern");
	t = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_FRAME, 0, "00");
	ck_assert_ptr_null(nm_trigger_check(&t, &none, &m));
	t.buffer_percent = 50;
	ck_assert_ptr_nonnull(nm_trigger_check(&t, &bytes, &m));
	ck_assert_str_eq(m, "trigger.buffer_percent");
	t.when = NM_TRIG_PATTERN_THEN_BUFFER;
	ck_assert_ptr_nonnull(nm_trigger_check(&t, &none, &m)); /* no limit */
	ck_assert_ptr_null(nm_trigger_check(&t, &bytes, &m));
	t.buffer_percent = 101;
	ck_assert_ptr_nonnull(nm_trigger_check(&t, &bytes, &m));
	t.buffer_percent = 0;
	ck_assert_ptr_nonnull(nm_trigger_check(&t, &bytes, &m));
	t.when = NM_TRIG_BUFFER; /* a pattern where none is used */
	t.buffer_percent = 10;
	ck_assert_ptr_nonnull(nm_trigger_check(&t, &bytes, &m));
	ck_assert_str_eq(m, "trigger.pattern");
	t.pattern_len = 0;
	ck_assert_ptr_null(nm_trigger_check(&t, &(nm_limits){.frames = 5}, &m));
}
END_TEST

START_TEST(offsets_from_dissection)
{
	uint8_t f[256];
	size_t n = udp_frame(f, 0, "HELLO");
	nm_packet pk = dissect(f, n, n);
	ck_assert_uint_eq(pk.net_off, 14);
	ck_assert_uint_eq(pk.transport_off, 34);
	n = udp_frame(f, 2, "HELLO"); /* 8 bytes of IP options */
	pk = dissect(f, n, n);
	ck_assert_uint_eq(pk.transport_off, 42);
	/* ARP: no network header of the IP kind */
	static const uint8_t arp[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0,
	                                1,    0x08, 0x06, 0,    1,    8,    0, 6, 4, 0, 1};
	pk = dissect(arp, sizeof arp, sizeof arp);
	ck_assert_uint_eq(pk.net_off, NM_NO_OFFSET);
	ck_assert_uint_eq(pk.transport_off, NM_NO_OFFSET);
}
END_TEST

START_TEST(pattern_match)
{
	uint8_t f[256];
	size_t n = udp_frame(f, 0, "GET /x");
	nm_packet pk = dissect(f, n, n);
	nm_trigger_spec t = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_TRANSPORT, 8, "474554");
	ck_assert(nm_trigger_match(&t, &pk));
	t.offset = 9;
	ck_assert(!nm_trigger_match(&t, &pk));
	t = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_NETWORK, 9, "11"); /* IP protocol UDP */
	ck_assert(nm_trigger_match(&t, &pk));
	t = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_FRAME, 12, "0800");
	ck_assert(nm_trigger_match(&t, &pk));
	/* the last payload bytes match; one byte further runs past caplen */
	t = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_TRANSPORT, 12, "2f78");
	ck_assert(nm_trigger_match(&t, &pk));
	t.offset = 13;
	ck_assert(!nm_trigger_match(&t, &pk));
	t.offset = NM_TRIGGER_MAX_OFFSET;
	ck_assert(!nm_trigger_match(&t, &pk));
	/* snapped inside the payload: the bytes are not there to compare */
	pk = dissect(f, 44, n);
	t = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_TRANSPORT, 8, "474554");
	ck_assert(!nm_trigger_match(&t, &pk));
	/* snapped inside the IP header: no transport offset at all */
	pk = dissect(f, 20, n);
	ck_assert(!nm_trigger_match(&t, &pk));
}
END_TEST

START_TEST(fires_once)
{
	uint8_t f[256];
	size_t n = udp_frame(f, 0, "GET /x");
	nm_packet pk = dissect(f, n, n);
	nm_trigger tr;
	nm_trigger_spec s = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_TRANSPORT, 8, "474554");
	nm_trigger_init(&tr, &s, &(nm_limits){0});
	ck_assert(!nm_trigger_on_level(&tr, 100, 100000)); /* levels do not fire a pattern */
	ck_assert(nm_trigger_on_frame(&tr, &pk));
	ck_assert_int_eq(tr.state, NM_TRIG_FIRED);
	ck_assert_int_ne(tr.fired_ns, 0);
	ck_assert(!nm_trigger_on_frame(&tr, &pk));
}
END_TEST

START_TEST(pattern_then_buffer)
{
	uint8_t f[256];
	size_t n = udp_frame(f, 0, "GET /x");
	nm_packet hit = dissect(f, n, n);
	uint8_t g[256];
	size_t m = udp_frame(g, 0, "PUT /x");
	nm_packet miss = dissect(g, m, m);
	nm_trigger tr;
	nm_trigger_spec s = pat(NM_TRIG_PATTERN_THEN_BUFFER, NM_TRIG_FROM_TRANSPORT, 8, "474554");
	s.buffer_percent = 80;
	nm_trigger_init(&tr, &s, &(nm_limits){.bytes = 1000});
	ck_assert(!nm_trigger_on_level(&tr, 1, 900)); /* level first: not yet armed */
	ck_assert(!nm_trigger_on_frame(&tr, &miss));
	ck_assert(!nm_trigger_on_frame(&tr, &hit));
	ck_assert_int_eq(tr.state, NM_TRIG_ARMED_SECOND);
	ck_assert(!nm_trigger_on_level(&tr, 1, 799));
	ck_assert(nm_trigger_on_level(&tr, 1, 800));
	ck_assert(!nm_trigger_on_level(&tr, 1, 1000));
	ck_assert_int_eq(tr.state, NM_TRIG_FIRED);
}
END_TEST

START_TEST(buffer_then_pattern_by_frames)
{
	uint8_t f[256];
	size_t n = udp_frame(f, 0, "GET /x");
	nm_packet hit = dissect(f, n, n);
	nm_trigger tr;
	nm_trigger_spec s = pat(NM_TRIG_BUFFER_THEN_PATTERN, NM_TRIG_FROM_TRANSPORT, 8, "474554");
	s.buffer_percent = 50;
	nm_trigger_init(&tr, &s, &(nm_limits){.frames = 7}); /* 50% of 7 frames: 4 */
	ck_assert(!nm_trigger_on_frame(&tr, &hit));
	ck_assert(!nm_trigger_on_level(&tr, 3, 1u << 30));
	ck_assert(!nm_trigger_on_level(&tr, 4, 0)); /* arms, does not fire */
	ck_assert_int_eq(tr.state, NM_TRIG_ARMED_SECOND);
	ck_assert(nm_trigger_on_frame(&tr, &hit));
}
END_TEST

START_TEST(level_without_overflow)
{
	nm_trigger tr;
	nm_trigger_spec s;
	memset(&s, 0, sizeof s);
	s.when = NM_TRIG_BUFFER;
	s.buffer_percent = 100;
	nm_trigger_init(&tr, &s, &(nm_limits){.bytes = UINT64_MAX - 1});
	ck_assert(!nm_trigger_on_level(&tr, 0, UINT64_MAX - 2));
	ck_assert(nm_trigger_on_level(&tr, 0, UINT64_MAX - 1));
}
END_TEST

START_TEST(alert_ring)
{
	nm_notify.syslog = false;
	nm_trigger_spec s = pat(NM_TRIG_PATTERN, NM_TRIG_FROM_FRAME, 0, "00");
	s.action = NM_TRIG_NOTIFY; /* no webhook configured: only listed */
	for (int i = 0; i < NM_ALERTS_MAX + 5; i++)
		nm_trigger_fire(7, &s, NULL, "on frame 1");
	static nm_alert a[NM_ALERTS_MAX + 5];
	uint64_t dropped;
	size_t n = nm_alerts_list(0, a, NM_ALERTS_MAX + 5, &dropped);
	ck_assert_uint_eq(n, NM_ALERTS_MAX);
	ck_assert_uint_eq(dropped, 5);
	ck_assert_uint_eq(a[0].id, 6);
	ck_assert_uint_eq(a[n - 1].id, NM_ALERTS_MAX + 5);
	n = nm_alerts_list(NM_ALERTS_MAX + 3, a, 10, &dropped);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(a[0].id, NM_ALERTS_MAX + 4);
	n = nm_alerts_list(0, a, 3, &dropped);
	ck_assert_uint_eq(n, 3);
	char json[1024];
	nm_alert_json(&a[0], json, sizeof json);
	ck_assert_ptr_nonnull(strstr(json, "\"id\":6,"));
	ck_assert_ptr_nonnull(
	    strstr(json, "\"capture_id\":7,\"kind\":\"trigger\",\"trigger\":\"pattern\",\"action\":\"notify\""));
	ck_assert_ptr_nonnull(strstr(json, "on frame 1"));
	ck_assert_int_eq(json[strlen(json) - 1], '}');
}
END_TEST

START_TEST(alert_json_escapes)
{
	nm_alert a = {.id = 1, .ts_ns = 1000000001, .capture_id = 2};
	snprintf(a.message, sizeof a.message, "a \"quoted\" \\ line\n");
	char json[1024];
	nm_alert_json(&a, json, sizeof json);
	ck_assert_ptr_nonnull(strstr(json, "\"time\":\"1970-01-01T00:00:01.000000001Z\""));
	ck_assert_ptr_nonnull(strstr(json, "\"message\":\"a \\\"quoted\\\" \\\\ line\\u000a\"}"));
}
END_TEST

int main(void)
{
	nm_parsers_init();
	Suite *s = suite_create("trigger");
	TCase *tc = tcase_create("trigger");
	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, hex_decoding);
	tcase_add_test(tc, spec_check);
	tcase_add_test(tc, offsets_from_dissection);
	tcase_add_test(tc, pattern_match);
	tcase_add_test(tc, fires_once);
	tcase_add_test(tc, pattern_then_buffer);
	tcase_add_test(tc, buffer_then_pattern_by_frames);
	tcase_add_test(tc, level_without_overflow);
	tcase_add_test(tc, alert_ring);
	tcase_add_test(tc, alert_json_escapes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
