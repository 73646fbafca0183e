/*
 * check_appb.c - unit tests for the batch-B application parsers (HTTP,
 * FTP, SMTP, POP, IMAP, TLS, SSH, QUIC, NBSS, SMB, SMB2, Modbus/TCP, MQTT,
 * SIP, RTP) and the text line reader.
 *
 * The frames in check_appb_vectors.inc come from the tcpdump corpus and
 * from tests/appb_samples.py (each says which file and frame); the
 * expected values are what tshark 4.0 printed for those bytes, generated
 * by tests/appb_vectors.py, so a test fails when our values drift from
 * Wireshark's.  Besides exact values, every vector is dissected cut at
 * every length and with random byte mutations, to show that hostile
 * lengths neither read out of bounds (run under ASan) nor loop.
 */
#include <check.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "text_lines.h"
#include "tests/testlib.h"

typedef struct expect_row {
	const char *vector, *field, *value;
} expect_row;

typedef struct vector {
	const char *name;
	const uint8_t *data;
	uint32_t len, wirelen, linktype;
} vector;

#include "check_appb_vectors.inc"

#define NVEC ((int)(sizeof vectors / sizeof vectors[0]))

/* RTP has no handoff of its own (tshark's heuristic is off by default);
 * the RTP vectors are on UDP port 5004, which the tests map to it. */
static bool rtp_port(const nm_packet *pk, const nm_cursor *c)
{
	(void)c;
	return pk->flow.sport == 5004 || pk->flow.dport == 5004;
}

static void setup(void)
{
	static bool done;
	nm_parsers_init();
	if (!done)
		nm_heur_add(NM_TAB_UDP_PORT, rtp_port, nm_protocol_find("rtp"));
	done = true;
}

static void dissect(nm_packet *pk, const vector *v, uint32_t caplen, bool tree)
{
	nm_test_dissect(pk, v->linktype, v->data, caplen, v->wirelen, tree);
}

static bool is_skipped(const char *vec, const char *field)
{
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (!strcmp(skipped[i][0], vec) && fnmatch(skipped[i][1], field, 0) == 0)
			return true;
	return false;
}

static bool expected_has(const char *vec, const char *field)
{
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
		if (!strcmp(expected[i].vector, vec) && !strcmp(expected[i].field, field))
			return true;
	return false;
}

START_TEST(test_vectors_match_tshark)
{
	const vector *v = &vectors[_i];
	nm_packet pk;
	dissect(&pk, v, v->len, true);
	static char buf[1 << 16];
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const expect_row *r = &expected[i];
		if (strcmp(r->vector, v->name) != 0)
			continue;
		const char *got = nm_test_values(&pk, r->field, buf, sizeof buf);
		ck_assert_msg(!strcmp(got, r->value), "%s %s: ours \"%.200s\", tshark \"%.200s\"", v->name, r->field,
		              got, r->value);
	}
	/* and nothing where tshark shows nothing */
	for (size_t i = 0; i < sizeof compared / sizeof compared[0]; i++) {
		if (expected_has(v->name, compared[i]) || is_skipped(v->name, compared[i]))
			continue;
		const char *got = nm_test_values(&pk, compared[i], buf, sizeof buf);
		ck_assert_msg(got[0] == '\0', "%s %s: ours \"%.200s\", tshark has none", v->name, compared[i], got);
	}
	nm_tree_free(pk.tree);
}
END_TEST

/* The ingest path (no tree) fills the same summary columns. */
START_TEST(test_ingest_path_same_summary)
{
	const vector *v = &vectors[_i];
	nm_packet a, b;
	dissect(&a, v, v->len, true);
	dissect(&b, v, v->len, false);
	ck_assert_str_eq(a.info, b.info);
	ck_assert_str_eq(a.protocol, b.protocol);
	ck_assert_str_eq(a.protocols, b.protocols);
	ck_assert_uint_eq(a.flags, b.flags);
	nm_tree_free(a.tree);
}
END_TEST

/* A message cut by the segment end is not malformed (tshark would
 * reassemble it); a cut at the snap length is "truncated", never more. */
START_TEST(test_cut_messages_not_malformed)
{
	static const char *const cut[] = {"http_cut", "tls_cut", "imap_cut", "modbus_short", "quic_trunc", "smb2_echo"};
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		for (int k = 0; k < NVEC; k++) {
			if (strcmp(vectors[k].name, cut[i]) != 0)
				continue;
			nm_packet pk;
			dissect(&pk, &vectors[k], vectors[k].len, false);
			ck_assert_msg(!(pk.flags & NM_PKT_MALFORMED), "%s marked malformed", cut[i]);
		}
	}
}
END_TEST

/* Every prefix of every frame, as a snap-length cut: no read past caplen
 * (ASan), and the frame is never called malformed for being cut. */
START_TEST(test_every_prefix)
{
	const vector *v = &vectors[_i];
	for (uint32_t n = 0; n <= v->len; n++) {
		nm_packet pk;
		dissect(&pk, v, n, n % 2 == 0);
		nm_tree_free(pk.tree);
	}
}
END_TEST

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* Random mutations past the link/IP/transport headers (the first 34
 * bytes): hostile lengths and counts must stay in bounds and terminate. */
START_TEST(test_mutations_stay_in_bounds)
{
	const vector *v = &vectors[_i];
	uint8_t *buf = malloc(v->len);
	ck_assert_ptr_nonnull(buf);
	for (int round = 0; round < 300; round++) {
		memcpy(buf, v->data, v->len);
		int flips = 1 + (int)(rnd() % 6);
		for (int f = 0; f < flips && v->len > 34; f++) {
			uint32_t at = 34 + rnd() % (v->len - 34);
			buf[at] = (uint8_t)(rnd() % 4 == 0 ? 0xff : rnd());
		}
		vector m = *v;
		m.data = buf;
		nm_packet pk;
		dissect(&pk, &m, m.len, round % 2 == 0);
		nm_tree_free(pk.tree);
	}
	free(buf);
}
END_TEST

START_TEST(test_line_reader)
{
	static const uint8_t text[] = "GET / HTTP/1.1\r\nHost: a\n\r\ntail";
	nm_cursor c = nm_cursor_make(text, 0, sizeof text - 1);
	nm_line ln;
	ck_assert(nm_line_next(&c, &ln));
	ck_assert_uint_eq(ln.off, 0);
	ck_assert_uint_eq(ln.len, 14);
	ck_assert_uint_eq(ln.eol, 2);
	ck_assert(nm_line_next(&c, &ln));
	ck_assert_uint_eq(ln.len, 7);
	ck_assert_uint_eq(ln.eol, 1);
	ck_assert(nm_line_next(&c, &ln));
	ck_assert_uint_eq(ln.len, 0);
	ck_assert_uint_eq(ln.eol, 2);
	ck_assert(nm_line_next(&c, &ln));
	ck_assert_uint_eq(ln.len, 4);
	ck_assert_uint_eq(ln.eol, 0); /* cut: no line end */
	ck_assert(!nm_line_next(&c, &ln));
	/* a window smaller than the buffer is respected */
	nm_cursor w = nm_cursor_make(text, 0, 3);
	ck_assert(nm_line_next(&w, &ln));
	ck_assert_uint_eq(ln.len, 3);
	ck_assert_uint_eq(ln.eol, 0);
}
END_TEST

START_TEST(test_text_render)
{
	char out[64];
	static const uint8_t a[] = {'a', '\t', 'b', '\\', 0x01, 0xff, '\r', '\n'};
	nm_text_render(out, sizeof out, a, sizeof a, false);
	ck_assert_str_eq(out, "a\\tb\\\x01\xef\xbf\xbd\\r\\n");
	static const uint8_t u[] = {0xc3, 0xa9, 0xc3, 'x', 0, 'y'};
	nm_text_render(out, sizeof out, u, sizeof u, true);
	ck_assert_str_eq(out, "\xc3\xa9\xef\xbf\xbdx"); /* stops at NUL */
	nm_text_render(out, sizeof out, u, 2, false);
	ck_assert_str_eq(out, "\xef\xbf\xbd\xef\xbf\xbd");
	nm_text_info(out, sizeof out, a, 5);
	ck_assert_str_eq(out, "a\\tb\\\\001");
	/* a full buffer cuts at a character boundary */
	char small[4];
	nm_text_render(small, sizeof small, (const uint8_t *)"\xc3\xa9\xc3\xa9", 4, true);
	ck_assert_str_eq(small, "\xc3\xa9");
	uint32_t v;
	ck_assert(nm_text_uint((const uint8_t *)"200", 3, &v) && v == 200);
	ck_assert(!nm_text_uint((const uint8_t *)"2x0", 3, &v));
	ck_assert(!nm_text_uint((const uint8_t *)"1234567890", 10, &v));
	ck_assert(nm_text_ieq((const uint8_t *)"Content-Length", 14, "content-length"));
}
END_TEST

static Suite *appb_suite(void)
{
	Suite *s = suite_create("appb");
	TCase *tc = tcase_create("vectors");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_vectors_match_tshark, 0, NVEC);
	tcase_add_loop_test(tc, test_ingest_path_same_summary, 0, NVEC);
	tcase_add_test(tc, test_cut_messages_not_malformed);
	tcase_add_loop_test(tc, test_every_prefix, 0, NVEC);
	tcase_add_loop_test(tc, test_mutations_stay_in_bounds, 0, NVEC);
	suite_add_tcase(s, tc);
	TCase *tl = tcase_create("text");
	tcase_add_test(tl, test_line_reader);
	tcase_add_test(tl, test_text_render);
	suite_add_tcase(s, tl);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(appb_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
