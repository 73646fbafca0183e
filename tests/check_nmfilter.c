/*
 * check_nmfilter.c - unit tests of the structured filter compiler
 * (capture/nmfilter.c): the expressions it produces, that libpcap runs
 * them as meant on hand-built frames, and its errors (limits, bad
 * members), each naming the member at fault.  Also the NIC counter
 * reader (capture/nicstats.c) on names that must not leave sysfs; its
 * values are compared with iproute2 by tests/live_nmfilter.sh.
 */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "capture/nicstats.h"
#include "capture/nmfilter.h"

static char expr[NM_NF_EXPR_MAX], err[256];

static int compile(const char *json)
{
	cJSON *f = cJSON_Parse(json);
	ck_assert_msg(f != NULL, "bad JSON in the test: %s", json);
	int rc = nm_nmfilter_compile(f, expr, sizeof expr, err, sizeof err);
	cJSON_Delete(f);
	return rc;
}

static void expect(const char *json, const char *want)
{
	ck_assert_msg(compile(json) == 0, "%s: %s", json, err);
	ck_assert_str_eq(expr, want);
}

static void refuse(const char *json, const char *reason)
{
	ck_assert_msg(compile(json) < 0, "%s compiled to %s", json, expr);
	ck_assert_msg(strstr(err, reason) != NULL, "%s: error '%s' lacks '%s'", json, err, reason);
}

/* An Ethernet/IPv4/UDP frame 10.0.0.1:1000 -> 10.0.0.2:53, payload "GET". */
static const u_char udp_frame[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, /* eth */
    0x45, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,             /* ip */
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,                                     /* addrs */
    0x03, 0xe8, 0x00, 0x35, 0x00, 0x0b, 0x00, 0x00, 0x47, 0x45, 0x54,                   /* udp */
};

/* Does the compiled filter pass udp_frame? */
static int passes(const char *json)
{
	ck_assert_msg(compile(json) == 0, "%s: %s", json, err);
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	struct bpf_program prog;
	ck_assert_int_eq(pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN), 0);
	struct pcap_pkthdr h = {.caplen = sizeof udp_frame, .len = sizeof udp_frame};
	int ok = pcap_offline_filter(&prog, &h, udp_frame) != 0;
	pcap_freecode(&prog);
	pcap_close(p);
	return ok;
}

START_TEST(expressions)
{
	expect("{}", "");
	expect("{\"etypes\": {\"list\": [2048, \"0x86dd\"]}}", "(ether proto 0x0800 or ether proto 0x86dd)");
	expect("{\"saps\": {\"mode\": \"exclude\", \"list\": [\"0x42\"]}}", "not ((llc and ether[14] == 0x42))");
	expect("{\"addresses\": [{\"a\": \"10.0.0.1\", \"b\": \"10.0.0.2\", \"dir\": \"a_to_b\"}]}",
	       "((ip src host 10.0.0.1 and ip dst host 10.0.0.2))");
	expect("{\"addresses\": [{\"a\": \"00-1A-2b-3c-4d-5e\", \"dir\": \"b_to_a\"},"
	       " {\"a\": \"2001:DB8::1\", \"b\": \"2001:db8::2\", \"mode\": \"exclude\"}]}",
	       "((ether dst 00:1a:2b:3c:4d:5e) and not (ip6 host 2001:db8::1 and ip6 host 2001:db8::2))");
	expect("{\"patterns\": [[{\"offset\": 12, \"hex\": \"08:00:45\"}]]}",
	       "((len >= 15 and ether[12:2] == 0x0800 and ether[14:1] == 0x45))");
}
END_TEST

START_TEST(semantics_on_a_frame)
{
	ck_assert(passes("{\"etypes\": {\"list\": [\"0x0800\"]}}"));
	ck_assert(!passes("{\"etypes\": {\"mode\": \"exclude\", \"list\": [\"0x0800\"]}}"));
	ck_assert(!passes("{\"saps\": {\"list\": [66]}}"));
	ck_assert(passes("{\"saps\": {\"mode\": \"exclude\", \"list\": [66]}}"));
	ck_assert(passes("{\"addresses\": [{\"a\": \"10.0.0.1\", \"b\": \"10.0.0.2\", \"dir\": \"a_to_b\"}]}"));
	ck_assert(!passes("{\"addresses\": [{\"a\": \"10.0.0.1\", \"b\": \"10.0.0.2\", \"dir\": \"b_to_a\"}]}"));
	ck_assert(passes("{\"addresses\": [{\"a\": \"10.0.0.2\", \"b\": \"10.0.0.1\"}]}"));
	ck_assert(!passes("{\"addresses\": [{\"a\": \"10.0.0.9\"}, {\"a\": \"00:00:00:00:00:03\"}]}"));
	ck_assert(passes("{\"addresses\": [{\"a\": \"10.0.0.9\"}, {\"a\": \"00:00:00:00:00:01\"}]}"));
	ck_assert(!passes("{\"addresses\": [{\"a\": \"10.0.0.1\"}, {\"a\": \"10.0.0.2\", \"mode\": \"exclude\"}]}"));
	ck_assert(passes("{\"patterns\": [[{\"from\": \"transport\", \"offset\": 8, \"hex\": \"474554\"}]]}"));
	ck_assert(passes("{\"patterns\": [[{\"from\": \"network\", \"offset\": 9, \"hex\": \"11\"}]]}"));
	ck_assert(!passes("{\"patterns\": [[{\"from\": \"network\", \"offset\": 9, \"hex\": \"06\"}]]}"));
	/* past the end: the pattern does not match, so NOT of it does */
	ck_assert(passes("{\"patterns\": [[{\"offset\": 100, \"hex\": \"00\", \"not\": true}]]}"));
	ck_assert(
	    passes("{\"patterns\": [[{\"from\": \"transport\", \"offset\": 11, \"hex\": \"00\", \"not\": true}]]}"));
	/* an AND of ORs */
	ck_assert(passes("{\"patterns\": [[{\"hex\": \"ff\"}, {\"offset\": 5, \"hex\": \"02\"}], [{\"offset\": 12, "
	                 "\"hex\": \"0800\"}]]}"));
	ck_assert(!passes("{\"patterns\": [[{\"hex\": \"ff\"}, {\"offset\": 5, \"hex\": \"02\"}], [{\"offset\": 12, "
	                  "\"hex\": \"0806\"}]]}"));
}
END_TEST

START_TEST(errors)
{
	refuse("[]", "must be a BPF expression");
	refuse("{\"etype\": {}}", "unknown member 'etype'");
	refuse("{\"etypes\": {\"list\": [1500]}}", "etypes.list[0]");
	refuse("{\"etypes\": {\"list\": []}}", "etypes.list");
	refuse("{\"etypes\": {\"mode\": \"only\", \"list\": [2048]}}", "etypes.mode");
	refuse("{\"saps\": {\"list\": [256]}}", "saps.list[0]");
	refuse("{\"addresses\": [{\"a\": \"10.0.0.256\"}]}", "addresses[0].a");
	refuse("{\"addresses\": [{\"a\": \"10.0.0.1\", \"b\": \"::1\"}]}", "same kind");
	refuse("{\"addresses\": [{\"a\": \"10.0.0.1\", \"dir\": \"up\"}]}", "addresses[0].dir");
	refuse(
	    "{\"addresses\": [{\"a\": \"1.1.1.1\"}, {\"a\": \"1.1.1.1\"}, {\"a\": \"1.1.1.1\"}, {\"a\": \"1.1.1.1\"},"
	    " {\"a\": \"1.1.1.1\"}, {\"a\": \"1.1.1.1\"}, {\"a\": \"1.1.1.1\"}, {\"a\": \"1.1.1.1\"},"
	    " {\"a\": \"1.1.1.1\"}]}",
	    "at most 8");
	refuse("{\"patterns\": [[{\"hex\": \"00\"}], [{\"hex\": \"00\"}, {\"hex\": \"00\"}], [{\"hex\": \"00\"}],"
	       " [{\"hex\": \"00\"}]]}",
	       "at most 4");
	refuse("{\"patterns\": [[{\"hex\": \"abc\"}]]}", "patterns[0][0].hex");
	refuse("{\"patterns\": [[{\"hex\": \"00\", \"offset\": 1501}]]}", "patterns[0][0].offset");
	refuse("{\"patterns\": [[{\"hex\": \"00\", \"from\": \"link\"}]]}", "patterns[0][0].from");
	refuse("{\"patterns\": [[]]}", "patterns[0]");
	refuse("{\"patterns\": [[{\"hex\": \"00\", \"not\": 1}]]}", "patterns[0][0].not");
}
END_TEST

START_TEST(nic_names)
{
	nm_nic_stats st;
	ck_assert(nm_nic_read("lo", &st) && st.have[0]); /* rx_packets */
	ck_assert(!nm_nic_read("no-such-nic0", &st));
	ck_assert(!nm_nic_read("../../../etc", &st));
	ck_assert(!nm_nic_read("..", &st));
	ck_assert(!nm_nic_read("", &st));
	ck_assert(!nm_nic_read(NULL, &st));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nmfilter");
	TCase *tc = tcase_create("compile");
	tcase_add_test(tc, expressions);
	tcase_add_test(tc, semantics_on_a_frame);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	TCase *nic = tcase_create("nicstats");
	tcase_add_test(nic, nic_names);
	suite_add_tcase(s, nic);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
