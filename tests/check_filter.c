/*
 * check_filter.c - display filters: syntax and type errors with their
 * positions, evaluation over a dissected hand-built frame, push-down SQL.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"

/* Ethernet / IPv4 (DF, ttl 64) / TCP SYN 12345 -> 80 with "GET / HTTP/1.1\r\n". */
static const uint8_t frame[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x38, 0x04, 0xd2, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 10, 1, 2, 3, 192, 168, 1, 10,
	0x30, 0x39, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00, 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n',
};

static nm_tree *tree;

static void setup(void)
{
	nm_parsers_init();
	tree = nm_tree_new(4096, 1 << 20);
	nm_packet pk = {0};
	pk.data = frame;
	pk.caplen = pk.wirelen = sizeof frame;
	pk.linktype = 1;
	pk.ts_ns = 1500000000123456789;
	pk.first_ts_ns = 1500000000000000000;
	pk.number = 7;
	pk.tree = tree;
	nm_dissect_frame(&pk);
}

static void teardown(void)
{
	nm_tree_free(tree);
}

static int eval(const char *text)
{
	nm_filter_error err;
	nm_filter *f = nm_filter_compile(text, &err);
	if (!f)
		return -1;
	int r = nm_filter_match(f, tree, frame, sizeof frame);
	nm_filter_free(f);
	return r;
}

#define MATCH(t) ck_assert_msg(eval(t) == 1, "should match: %s", t)
#define NOMATCH(t) ck_assert_msg(eval(t) == 0, "should not match: %s", t)

START_TEST(presence_and_compare)
{
	MATCH("eth");
	MATCH("ip && tcp");
	NOMATCH("udp");
	MATCH("tcp.port == 80");
	MATCH("tcp.port eq 12345");
	NOMATCH("tcp.port != 80"); /* != is "no occurrence equals" */
	MATCH("tcp.port !== 80");  /* some occurrence differs */
	NOMATCH("tcp.port === 80");
	MATCH("ip.addr == 10.1.2.3 and ip.addr == 192.168.1.10");
	MATCH("ip.ttl == 64 && ip.ttl ge 0x40 && ip.ttl le 0100");
	NOMATCH("ip.ttl > 64");
	MATCH("ip.src == 10.0.0.0/8");
	NOMATCH("ip.dst == 10.0.0.0/8");
	MATCH("eth.src == 66:77:88:99:aa:bb");
	MATCH("eth.dst == 0011.2233.4455");
	MATCH("frame.number == 7 && frame.len == 70 && frame.cap_len == 70");
	MATCH("frame.time_relative > 0.12 && frame.time_relative < 0.13");
	MATCH("frame.protocols contains \"tcp\"");
	NOMATCH("dns.qry.name == \"x\""); /* absent field: false, whatever the operator */
	NOMATCH("dns.qry.name != \"x\"");
}
END_TEST

START_TEST(sets_slices_functions)
{
	MATCH("tcp.port in {22, 80, 443}");
	MATCH("tcp.port in {1..100}");
	NOMATCH("tcp.dstport in {81..1024}");
	MATCH("tcp.port not in {22}");
	MATCH("eth.src[0:3] == 66:77:88");
	MATCH("eth.src[-1] == bb");
	MATCH("ip[0] == 45 && ip[9:1] == 06");
	MATCH("tcp.flags & 0x02");
	NOMATCH("tcp.flags & 0x10");
	MATCH("tcp contains \"GET\"");
	MATCH("frame contains 47:45:54");
	MATCH("tcp.payload matches \"^GET /\"") ;
	MATCH("count(ip.addr) == 2 && count(tcp.port) == 2");
	MATCH("len(eth.src) == 6");
	MATCH("tcp xor udp");
	NOMATCH("tcp ^^ ip");
	MATCH("!(udp || arp) && (tcp || udp)");
	MATCH("frame contains \"\\x47\\105T\"");
}
END_TEST

static void err_at(const char *text, int pos)
{
	nm_filter_error err;
	nm_filter *f = nm_filter_compile(text, &err);
	ck_assert_msg(f == NULL, "should be rejected: %s", text);
	ck_assert_msg(err.pos == pos, "%s: error at %d, want %d (%s)", text, err.pos, pos, err.msg);
}

START_TEST(errors)
{
	err_at("foo", 0);
	err_at("tcp && foo", 7);
	err_at("ip.src == 1.2.3.4 andx", 18);
	err_at("tcp.port in {80 443}", 16);
	err_at("ip.ttl == \"abc\"", 10);
	err_at("tcp.port == 99999", 12);
	err_at("udp.port matches \"x\"", 0);
	err_at("ip.src & 1", 9);
	err_at("ip.proto == tcp", 12);
	err_at("ip.src ==", 9);
	err_at("dns.qry.name == \"abc", 20);
	err_at("tcp.port = = 80", 9);
	err_at("eth.src[x] == 00", 7);
	nm_filter_error err;
	ck_assert_ptr_null(nm_filter_compile("ip.srcc == 1.2.3.4", &err));
	ck_assert_str_eq(err.suggest, "ip.src");
}
END_TEST

static void sql_is(const char *text, const char *want, bool want_exact)
{
	nm_filter_error err;
	nm_filter *f = nm_filter_compile(text, &err);
	ck_assert_msg(f != NULL, "%s: %s", text, err.msg);
	bool exact;
	char *sql = nm_filter_sql(f, &exact);
	ck_assert_msg(strcmp(sql, want) == 0, "%s: sql %s, want %s", text, sql, want);
	ck_assert_msg(exact == want_exact, "%s: exact %d", text, exact);
	free(sql);
	nm_filter_free(f);
}

static char *sql_of(const char *text, char **cand)
{
	nm_filter_error err;
	nm_filter *f = nm_filter_compile(text, &err);
	ck_assert_msg(f != NULL, "%s: %s", text, err.msg);
	bool exact;
	char *sql = nm_filter_sql(f, &exact);
	ck_assert_msg(!exact, "%s: flow push-down is a superset, never exact", text);
	*cand = nm_filter_candidates(f);
	nm_filter_free(f);
	return sql;
}

static void has_str(const char *text, const char *s, const char *want, bool yes)
{
	ck_assert_msg(s && (strstr(s, want) != NULL) == yes, "%s: %s %s\n%s", text, yes ? "lacks" : "has", want,
		      s ? s : "(null)");
}

/* Addresses and ports go through the flows table; unwritten flows are let
 * through, and the frames the flow cannot vouch for (flow 0, odd paths)
 * when their block's keys hold the value or the any-key. */
START_TEST(pushdown_flows)
{
	char *cand, *sql = sql_of("ip.src == 10.1.2.3", &cand);
	uint8_t a[4] = {10, 1, 2, 3};
	char keys[64];
	snprintf(keys, sizeof keys, "x.key IN (%" PRIu64 ", 1)", nm_key_hash(NM_KEY_IPV4, a, 4));
	has_str("ip.src", sql, "w.src = '10.1.2.3' OR w.dst = '10.1.2.3'", true);
	has_str("ip.src", sql, "f.flow_id >= (SELECT min(flow_gap) FROM c) OR ((f.flow_id = 0 OR ", true);
	has_str("ip.src", sql, keys, true);
	has_str("ip.src", sql, "f.dst", false); /* no direction-bound column term */
	has_str("ip.src", cand, "k.flow_id >= g.flow_gap", true);
	has_str("ip.src", cand, "(k.flow_id = 0 OR k.protocols IN", true);
	has_str("ip.src", cand, keys, true);
	free(sql);
	free(cand);
	sql = sql_of("udp.dstport == 53 and dns", &cand);
	has_str("udp.dstport", sql, "w.sport = 53 OR w.dport = 53", true);
	has_str("udp.dstport", sql, "':icmp:'", true);
	ck_assert_ptr_nonnull(cand);
	free(sql);
	free(cand);
	sql = sql_of("ipv6.addr == 2001:db8::1 or tcp.port == 22", &cand);
	has_str("or", cand, "w.src = '2001:db8::1'", true);
	has_str("or", cand, "w.sport = 22", true);
	free(sql);
	free(cand);
	sql = sql_of("ip.addr == 10.0.0.1 or dns", &cand); /* dns: no index */
	ck_assert_ptr_null(cand);
	free(sql);
	sql = sql_of("not ip.addr == 10.0.0.1", &cand);
	ck_assert_str_eq(sql, "1");
	ck_assert_ptr_null(cand);
	free(sql);
}
END_TEST

START_TEST(pushdown)
{
	sql_is("frame.len > 100", "(f.len > 100)", true);
	sql_is("frame.number in {1, 5..9}", "((f.number = 1 OR f.number BETWEEN 5 AND 9))", true);
	/* a field comparison needs the field's protocol in the frame */
	sql_is("tcp.len == 80 and frame.len < 60",
	       "((coalesce(f.protocols, 0) IN (SELECT id FROM strings WHERE instr((':' || text || ':'), ':tcp:') > 0"
	       " OR length(text) >= 159)) AND (f.len < 60))",
	       false);
	sql_is("count(dns.qry.name) == 0", "1", false);
	sql_is("not tcp.port == 80", "1", false);
	sql_is("not frame.len == 60", "(NOT (f.len = 60))", true);
	sql_is("", "1", true);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("filter");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, presence_and_compare);
	tcase_add_test(tc, sets_slices_functions);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, pushdown);
	tcase_add_test(tc, pushdown_flows);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
