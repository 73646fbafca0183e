/*
 * check_dns.c - unit tests of the DNS dissector on fixed messages.
 *
 * Expected values are what tshark 4.0.17 (`-T fields -e FIELD`) printed for
 * the same bytes; each message names the corpus file and frame it comes
 * from (tcpdump-tests), or says it was crafted (then fed to tshark as a
 * UDP/53 frame to read the expected values).  Malformed inputs (loops,
 * bad pointers, lying counts, cut messages) must stop cleanly.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"
#include "tests/testlib.h"

typedef struct parsed {
	nm_packet pk;
	uint8_t bytes[4096];
	int result;
} parsed;

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	for (; hex[0] && hex[1] && n < cap; hex += 2) {
		unsigned v;
		sscanf(hex, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Dissect a bare DNS message as if UDP (or TCP) had handed it over. */
static parsed *dissect_msg(const char *hex, bool tcp)
{
	nm_parsers_init();
	parsed *p = calloc(1, sizeof *p);
	ck_assert_ptr_nonnull(p);
	size_t n = unhex(p->bytes, sizeof p->bytes, hex);
	p->pk.data = p->bytes;
	p->pk.caplen = p->pk.wirelen = (uint32_t)n;
	p->pk.tree = nm_tree_new(4096, 1 << 20);
	if (tcp) /* the carrier is the protocol before "dns" in the list */
		p->pk.proto_ids[p->pk.nprotos++] = (uint16_t)nm_proto_tcp.id;
	nm_cursor c = nm_cursor_make(p->bytes, 0, (uint32_t)n);
	p->result = nm_call(&nm_proto_dns, &p->pk, &c, -1);
	return p;
}

static void release(parsed *p)
{
	nm_tree_free(p->pk.tree);
	free(p);
}

/* Dissect a whole Ethernet frame. */
static parsed *dissect_frame_hex(const char *hex)
{
	nm_parsers_init();
	parsed *p = calloc(1, sizeof *p);
	ck_assert_ptr_nonnull(p);
	size_t n = unhex(p->bytes, sizeof p->bytes, hex);
	nm_test_dissect(&p->pk, 1 /* LINKTYPE_ETHERNET */, p->bytes, (uint32_t)n, (uint32_t)n, true);
	return p;
}

/* All values of a field, joined with commas as tshark prints them. */
static const char *values(const parsed *p, const char *name)
{
	static char buf[4096];
	return nm_test_values(&p->pk, name, buf, sizeof buf);
}

#define EXPECT(p, field, want) ck_assert_str_eq(values(p, field), want)

/* dns_udp.pcap frame 1: a query with an EDNS0 OPT record and a cookie. */
static const char udp_query[] = "593401200001000000000001037777770774637064756d70036f7267000001000100002910000000"
				"0000000c000a000842f5d00996f90b13";

/* dns_tcp.pcap frame 6: a TCP response (length prefix, compression). */
static const char tcp_response[] =
	"00e0431985000001000200020005037777770774637064756d70036f72670000010001c00c000100010000003c0004c08b2e42c00c0"
	"00100010000003c0004c6c75868c01000020001000151800012036e69630973616e64656c6d616e02636100c01000020001000151"
	"80001203736e7308636f6f7065726978036e657400c04d000100010000012c0004d157f912c04d001c00010000012c00102607f0b0"
	"000f000000000000babef00dc06b0001000100001c200004616b850fc06b001c000100001c20001026003c0300000000f03c91fffe"
	"96e8ef0000291000000000000000";

START_TEST(test_udp_query)
{
	parsed *p = dissect_msg(udp_query, false);
	ck_assert_int_eq(p->result, NM_OK);
	EXPECT(p, "dns.id", "0x5934");
	EXPECT(p, "dns.flags", "0x0120");
	EXPECT(p, "dns.flags.response", "0");
	EXPECT(p, "dns.flags.recdesired", "1");
	EXPECT(p, "dns.flags.authenticated", "1");
	EXPECT(p, "dns.flags.rcode", ""); /* queries carry no reply code */
	EXPECT(p, "dns.count.add_rr", "1");
	EXPECT(p, "dns.qry.name", "www.tcpdump.org");
	EXPECT(p, "dns.qry.name.len", "15");
	EXPECT(p, "dns.count.labels", "3");
	EXPECT(p, "dns.qry.type", "1");
	EXPECT(p, "dns.qry.class", "0x0001");
	EXPECT(p, "dns.resp.name", "<Root>");
	EXPECT(p, "dns.resp.type", "41");
	EXPECT(p, "dns.rr.udp_payload_size", "4096");
	EXPECT(p, "dns.resp.ext_rcode", "0x00");
	EXPECT(p, "dns.resp.z", "0x0000");
	EXPECT(p, "dns.resp.z.do", "0");
	EXPECT(p, "dns.resp.len", "12");
	EXPECT(p, "dns.opt.code", "10");
	EXPECT(p, "dns.opt.cookie.client", "42f5d00996f90b13");
	EXPECT(p, "dns.opt.cookie.server", "<MISSING>");
	EXPECT(p, "dns.resp.class", "");
	ck_assert_str_eq(p->pk.info, "Standard query 0x5934 A www.tcpdump.org OPT");
	ck_assert_str_eq(p->pk.protocol, "DNS");
	ck_assert_str_eq(p->pk.protocols, "dns");
	release(p);
}
END_TEST

START_TEST(test_tcp_response)
{
	parsed *p = dissect_msg(tcp_response, true);
	ck_assert_int_eq(p->result, NM_OK);
	EXPECT(p, "dns.length", "224");
	EXPECT(p, "dns.flags", "0x8500");
	EXPECT(p, "dns.flags.authoritative", "1");
	EXPECT(p, "dns.flags.rcode", "0");
	EXPECT(p, "dns.resp.name",
	       "www.tcpdump.org,www.tcpdump.org,tcpdump.org,tcpdump.org,nic.sandelman.ca,"
	       "nic.sandelman.ca,sns.cooperix.net,sns.cooperix.net,<Root>");
	EXPECT(p, "dns.resp.type", "1,1,2,2,1,28,1,28,41");
	EXPECT(p, "dns.resp.ttl", "60,60,86400,86400,300,300,7200,7200");
	EXPECT(p, "dns.resp.len", "4,4,18,18,4,16,4,16,0");
	EXPECT(p, "dns.a", "192.139.46.66,198.199.88.104,209.87.249.18,97.107.133.15");
	EXPECT(p, "dns.aaaa", "2607:f0b0:f::babe:f00d,2600:3c03::f03c:91ff:fe96:e8ef");
	EXPECT(p, "dns.ns", "nic.sandelman.ca,sns.cooperix.net");
	ck_assert_str_eq(p->pk.info,
			 "Standard query response 0x4319 A www.tcpdump.org A 192.139.46.66 A 198.199.88.104 "
			 "NS nic.sandelman.ca NS sns.cooperix.net A 209.87.249.18 AAAA 2607:f0b0:f::babe:f00d "
			 "A 97.107.133.15 AAAA 2600:3c03::f03c:91ff:fe96:e8ef OPT");
	release(p);
}
END_TEST

/* Two length-prefixed messages in one segment: both are dissected. */
START_TEST(test_tcp_two_messages)
{
	char hex[512];
	snprintf(hex, sizeof hex, "0038%s0038%s", udp_query, udp_query);
	hex[4 + 112 + 4 + 1] = 'a'; /* the second message gets id 0x5a34 */
	parsed *p = dissect_msg(hex, true);
	ck_assert_int_eq(p->result, NM_OK);
	EXPECT(p, "dns.length", "56,56");
	EXPECT(p, "dns.id", "0x5934,0x5a34");
	EXPECT(p, "dns.qry.name", "www.tcpdump.org,www.tcpdump.org");
	release(p);
}
END_TEST

/* A message cut by the segment end: what is there is shown, then truncated. */
START_TEST(test_tcp_cut)
{
	char hex[128];
	snprintf(hex, sizeof hex, "%.*s", 2 * 30, tcp_response);
	parsed *p = dissect_msg(hex, true);
	ck_assert_int_ne(p->result, NM_OK);
	EXPECT(p, "dns.length", "224");
	EXPECT(p, "dns.id", "0x4319");
	EXPECT(p, "dns.qry.name", "");
	release(p);
}
END_TEST

/* Crafted (fed to tshark as UDP/53): MX with a compressed exchange. */
START_TEST(test_mx)
{
	parsed *p = dissect_msg("beef81800001000200000000076578616d706c6503636f6d00000f0001076578616d706c6503636f6d"
				"00000f00010000012c0014000a046d61696c076578616d706c6503636f6d00076578616d706c6503636f"
				"6d00000f00010000012c00080014036d7832c00c",
				false);
	ck_assert_int_eq(p->result, NM_OK);
	EXPECT(p, "dns.mx.preference", "10,20");
	EXPECT(p, "dns.mx.mail_exchange", "mail.example.com,mx2.example.com");
	ck_assert_str_eq(p->pk.info,
			 "Standard query response 0xbeef MX example.com MX 10 mail.example.com MX 20 mx2.example.com");
	release(p);
}
END_TEST

/* Crafted: TXT with an empty string, and an empty TXT record. */
START_TEST(test_txt)
{
	parsed *p = dissect_msg("beef81800001000200000000076578616d706c6503636f6d0000100001076578616d706c6503636f6d"
				"00001000010000012c00130568656c6c6f000b763d73706631202d616c6c076578616d706c6503636f"
				"6d00001000010000012c0000",
				false);
	EXPECT(p, "dns.txt", "hello,,v=spf1 -all");
	EXPECT(p, "dns.txt.length", "5,0,11");
	ck_assert_str_eq(p->pk.info, "Standard query response 0xbeef TXT example.com TXT TXT");
	release(p);
}
END_TEST

/* Crafted: SRV (owner split into service, protocol and name). */
START_TEST(test_srv)
{
	parsed *p = dissect_msg("beef81800001000100000000045f736970045f746370076578616d706c6503636f6d0000210001045f"
				"736970045f746370076578616d706c6503636f6d00002100010000012c00170001000213c403736970"
				"076578616d706c6503636f6d00",
				false);
	EXPECT(p, "dns.srv.service", "_sip");
	EXPECT(p, "dns.srv.proto", "_tcp");
	EXPECT(p, "dns.srv.name", "example.com");
	EXPECT(p, "dns.srv.port", "5060");
	EXPECT(p, "dns.srv.target", "sip.example.com");
	EXPECT(p, "dns.resp.name", "");
	ck_assert_str_eq(p->pk.info,
			 "Standard query response 0xbeef SRV _sip._tcp.example.com SRV 1 2 5060 sip.example.com");
	release(p);
}
END_TEST

/* Crafted: NXDOMAIN with an SOA in the authority section. */
START_TEST(test_soa)
{
	parsed *p = dissect_msg("beef81830001000000010000076578616d706c6503636f6d0000060001076578616d706c6503636f6d"
				"00000600010000012c003d036e7331076578616d706c6503636f6d000a686f73746d6173746572076578"
				"616d706c6503636f6d0078a3f17500001c2000000e10001275000000012c",
				false);
	EXPECT(p, "dns.soa.mname", "ns1.example.com");
	EXPECT(p, "dns.soa.rname", "hostmaster.example.com");
	EXPECT(p, "dns.soa.serial_number", "2024010101");
	EXPECT(p, "dns.soa.expire_limit", "1209600");
	EXPECT(p, "dns.flags.rcode", "3");
	ck_assert_str_eq(p->pk.info, "Standard query response 0xbeef No such name SOA example.com SOA ns1.example.com");
	release(p);
}
END_TEST

#define HDR "123401000001000000000000"

/* Crafted: a pointer to itself, and a label that points back at a pointer. */
START_TEST(test_pointer_loops)
{
	parsed *p = dissect_msg(HDR "c00c00010001", false);
	EXPECT(p, "dns.qry.name", "<Name contains a pointer that loops>");
	EXPECT(p, "dns.qry.name.len", "36");
	EXPECT(p, "dns.count.labels", "1");
	EXPECT(p, "dns.qry.type", "1");
	release(p);
	p = dissect_msg(HDR "0161c00c00010001", false);
	EXPECT(p, "dns.qry.name", "<Name contains a pointer that loops>");
	EXPECT(p, "dns.qry.class", "0x0001");
	release(p);
}
END_TEST

/* Crafted: a pointer past the message end, label types 0x40/0x80, a label
 * running past the end: tshark shows no name (malformed), neither do we. */
START_TEST(test_bad_names)
{
	static const char *bad[] = {HDR "c0ff00010001",
				    HDR "416100"
					"00010001",
				    HDR "816100"
					"00010001",
				    HDR "0561626364"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		parsed *p = dissect_msg(bad[i], false);
		ck_assert_int_ne(p->result, NM_OK);
		EXPECT(p, "dns.id", "0x1234");
		EXPECT(p, "dns.qry.name", "");
		ck_assert_str_eq(p->pk.info, "Standard query 0x1234");
		release(p);
	}
}
END_TEST

/* Crafted: 4 labels of 63 bytes (255 characters) is too long; 253 is not. */
START_TEST(test_name_length_cap)
{
	char hex[1200] = HDR, label[140] = "3f";
	for (int i = 0; i < 63; i++)
		strcat(label, "61");
	for (int i = 0; i < 4; i++)
		strcat(hex, label);
	strcat(hex, "0000010001");
	parsed *p = dissect_msg(hex, false);
	ck_assert_int_eq(p->result, NM_OK);
	EXPECT(p, "dns.qry.name", "<Name too long>");
	EXPECT(p, "dns.qry.name.len", "15");
	EXPECT(p, "dns.qry.type", "1");
	release(p);
	strcpy(hex, HDR);
	for (int i = 0; i < 3; i++)
		strcat(hex, label);
	strcat(hex, "3d");
	for (int i = 0; i < 61; i++)
		strcat(hex, "61");
	strcat(hex, "0000010001");
	p = dissect_msg(hex, false);
	EXPECT(p, "dns.qry.name.len", "253");
	EXPECT(p, "dns.count.labels", "4");
	release(p);
}
END_TEST

/* Crafted: odd bytes in labels, escaped as tshark prints them. */
START_TEST(test_escaping)
{
	parsed *p = dissect_msg(HDR "03612e6204202c5c7f03ff00410000010001", false);
	EXPECT(p, "dns.qry.name", "a.b. ,\\\\\\177.\xef\xbf\xbd\\000A");
	EXPECT(p, "dns.qry.name.len", "12");
	EXPECT(p, "dns.count.labels", "4");
	release(p);
	p = dissect_msg(HDR "00"
			    "00010001",
			false);
	EXPECT(p, "dns.qry.name", "<Root>");
	EXPECT(p, "dns.qry.name.len", "6");
	release(p);
}
END_TEST

/* Counts that lie: 65535 questions announced, one present. */
START_TEST(test_bad_counts)
{
	parsed *p = dissect_msg("12340100ffff000000000000"
				"0161"
				"00"
				"00010001",
				false);
	ck_assert_int_ne(p->result, NM_OK);
	EXPECT(p, "dns.count.queries", "65535");
	EXPECT(p, "dns.qry.name", "a");
	release(p);
	p = dissect_msg("12340100000100", false); /* header cut short */
	ck_assert_int_ne(p->result, NM_OK);
	EXPECT(p, "dns.id", "0x1234"); /* tshark 4.0.17 on these bytes */
	EXPECT(p, "dns.count.queries", "1");
	EXPECT(p, "dns.count.answers", "");
	release(p);
}
END_TEST

/* Every prefix and many corruptions of a real response stay in bounds. */
START_TEST(test_robust)
{
	uint8_t msg[600];
	size_t n = unhex(msg, sizeof msg, tcp_response + 4);
	char hex[1300];
	srand(7);
	for (size_t cut = 0; cut <= n; cut++) {
		for (int round = 0; round < 20; round++) {
			uint8_t m[600];
			memcpy(m, msg, n);
			for (int k = 0; round && k < 3; k++)
				m[(size_t)rand() % n] = (uint8_t)rand();
			for (size_t i = 0; i < cut; i++)
				snprintf(hex + 2 * i, 3, "%02x", m[i]);
			hex[2 * cut] = '\0';
			release(dissect_msg(hex, round & 1));
		}
	}
}
END_TEST

/* A whole Ethernet frame (dns_udp.pcap frame 1) through the framework. */
START_TEST(test_frame)
{
	static const char frame[] = "00112233446600112233445508004500005459cd0000401194aec0a8010bd157f912abbe00350040"
				    "7824593401200001000000000001037777770774637064756d70036f726700000100010000291000"
				    "00000000000c000a000842f5d00996f90b13";
	parsed *p = dissect_frame_hex(frame);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:ip:udp:dns");
	ck_assert_str_eq(p->pk.protocol, "DNS");
	ck_assert_str_eq(p->pk.info, "Standard query 0x5934 A www.tcpdump.org OPT");
	EXPECT(p, "dns.qry.name", "www.tcpdump.org");
	release(p);
}
END_TEST

/*
 * Crafted (dns-badlabel.pcap in small): question 2 is too long before its
 * pointer, which lands mid-label in question 1 where a 0x85 label type
 * follows.  tshark reads a too-long name to its end, throws there, and
 * shows question 1 only (Malformed); the second message points at a label
 * boundary instead and all three questions show.
 */
static const char long_then_bad[] = "beef81800003000000000000"
#define Q1 "040171857a040171857a040171857a040171857a040171857a040171857a"
	Q1 Q1 Q1 Q1 Q1 Q1 Q1 Q1 Q1 Q1 "0000010001"
#define Q2 "0378797a0378797a0378797a0378797a0378797a0378797a0378797a"
	Q2 Q2 Q2 Q2 Q2 Q2 Q2 Q2 Q2 Q2 "c00d00010001"
	"037777770000010001";

START_TEST(test_long_name_bad_tail)
{
	parsed *p = dissect_msg(long_then_bad, false);
	ck_assert_int_eq(p->result, NM_MALFORMED);
	EXPECT(p, "dns.qry.name", "<Name too long>");
	EXPECT(p, "dns.qry.name.len", "15");
	EXPECT(p, "dns.count.labels", "1");
	EXPECT(p, "dns.qry.type", "1");
	release(p);
	char *ok = strdup(long_then_bad);
	ck_assert_ptr_nonnull(ok);
	memcpy(strstr(ok, "c00d"), "c011", 4);
	p = dissect_msg(ok, false);
	ck_assert_int_eq(p->result, NM_OK);
	EXPECT(p, "dns.qry.name", "<Name too long>,<Name too long>,www");
	EXPECT(p, "dns.qry.name.len", "15,15,3");
	EXPECT(p, "dns.count.labels", "1,1,1");
	release(p);
	free(ok);
}
END_TEST
#undef Q1
#undef Q2

/*
 * LLMNR (crafted, UDP 5355; expected values from tshark 4.0.17): a query
 * with the conflict and tentative bits set, and an AAAA response with
 * conflict and truncated set.  Same dns.* fields, LLMNR's own flag bits.
 */
static const char llmnr_query[] = "000102030405000a0b0c0d0e0800450000340000000040118fbc0a000001e00000fcc73914eb00200000"
				  "00010500000100000000000006686f73742d6100001c0001";
static const char llmnr_response[] = "000102030405000a0b0c0d0e08004500005000000000401166940a0000090a00000114ebc739003c"
				     "000000018600000100010000000006686f73742d6100001c0001"
				     "c00c001c00010000001e0010000102030405060708090a0b0c0d0e0f";

START_TEST(test_llmnr)
{
	parsed *p = dissect_frame_hex(llmnr_query);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:ip:udp:llmnr");
	ck_assert_str_eq(p->pk.protocol, "LLMNR");
	ck_assert_str_eq(p->pk.info, "Standard query 0x0001 AAAA host-a");
	EXPECT(p, "dns.flags", "0x0500");
	EXPECT(p, "dns.flags.response", "0");
	EXPECT(p, "dns.flags.conflict", "1");
	EXPECT(p, "dns.flags.truncated", "0");
	EXPECT(p, "dns.flags.tentative", "1");
	EXPECT(p, "dns.flags.rcode", "");
	EXPECT(p, "dns.flags.recdesired", "");
	EXPECT(p, "dns.flags.z", "");
	EXPECT(p, "dns.qry.name", "host-a");
	EXPECT(p, "dns.qry.class", "0x0001");
	release(p);
	p = dissect_frame_hex(llmnr_response);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:ip:udp:llmnr");
	ck_assert_str_eq(p->pk.info, "Standard query response 0x0001 AAAA host-a AAAA 1:203:405:607:809:a0b:c0d:e0f");
	EXPECT(p, "dns.flags", "0x8600");
	EXPECT(p, "dns.flags.conflict", "1");
	EXPECT(p, "dns.flags.truncated", "1");
	EXPECT(p, "dns.flags.tentative", "0");
	EXPECT(p, "dns.flags.rcode", "0");
	EXPECT(p, "dns.flags.recavail", "");
	EXPECT(p, "dns.resp.ttl", "30");
	EXPECT(p, "dns.aaaa", "1:203:405:607:809:a0b:c0d:e0f");
	release(p);
}
END_TEST

/*
 * A header cut short (rtp-seg-fault-1.pcapng frame 1 has 9 bytes of DNS):
 * tshark shows the ID, flags and the counts that are there, then the
 * exception; with under 4 bytes, no field and an empty Info column.
 */
START_TEST(test_cut_header)
{
	parsed *p = dissect_msg("309f122ce370904403", false);
	ck_assert_int_eq(p->result, NM_TRUNCATED);
	EXPECT(p, "dns.id", "0x309f");
	EXPECT(p, "dns.flags", "0x122c");
	EXPECT(p, "dns.flags.opcode", "2");
	EXPECT(p, "dns.count.queries", "58224");
	EXPECT(p, "dns.count.answers", "36932");
	EXPECT(p, "dns.count.auth_rr", "");
	ck_assert_str_eq(p->pk.info, "Server status request 0x309f");
	release(p);
	p = dissect_msg("309f12", false);
	ck_assert_int_eq(p->result, NM_TRUNCATED);
	EXPECT(p, "dns.id", "");
	ck_assert_str_eq(p->pk.info, "");
	release(p);
}
END_TEST

static Suite *dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");
	tcase_add_test(tc, test_udp_query);
	tcase_add_test(tc, test_tcp_response);
	tcase_add_test(tc, test_tcp_two_messages);
	tcase_add_test(tc, test_tcp_cut);
	tcase_add_test(tc, test_mx);
	tcase_add_test(tc, test_txt);
	tcase_add_test(tc, test_srv);
	tcase_add_test(tc, test_soa);
	tcase_add_test(tc, test_pointer_loops);
	tcase_add_test(tc, test_bad_names);
	tcase_add_test(tc, test_name_length_cap);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_bad_counts);
	tcase_add_test(tc, test_robust);
	tcase_add_test(tc, test_frame);
	tcase_add_test(tc, test_long_name_bad_tail);
	tcase_add_test(tc, test_llmnr);
	tcase_add_test(tc, test_cut_header);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dns_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
