/*
 * check_link.c - unit tests for the link-layer parsers (Ethernet, LLC/SNAP,
 * VLAN/802.1ad, SLL, Null/Loop, Raw IP, ARP).
 *
 * Expected values come from tshark 4.0 on the same bytes (the frames taken
 * from the tcpdump corpus are named) or from the protocol layout of
 * hand-built frames; never from our own output.  Values are compared in
 * tshark's `-T fields` form, several occurrences joined with ",".
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"
#include "tests/testlib.h"

typedef struct parsed {
	nm_packet pk;
	char buf[1024];
} parsed;

/* Dissect `n` bytes (of `wire` on the wire) with a tree. */
static parsed *dissect(uint32_t linktype, const uint8_t *b, uint32_t n, uint32_t wire)
{
	nm_parsers_init();
	parsed *p = calloc(1, sizeof *p);
	ck_assert_ptr_nonnull(p);
	nm_test_dissect(&p->pk, linktype, b, n, wire, true);
	return p;
}

static void done(parsed *p)
{
	nm_tree_free(p->pk.tree);
	free(p);
}

/* All values of field `name` in tree order, joined with "," as tshark does;
 * "" when absent. */
static const char *val(parsed *p, const char *name)
{
	return nm_test_values(&p->pk, name, p->buf, sizeof p->buf);
}

#define CK_VAL(p, name, want) ck_assert_str_eq(val(p, name), want)
/* `n` zero bytes as tshark prints them (a static buffer per call site). */
static const char *zeros(char *buf, size_t n)
{
	memset(buf, '0', 2 * n);
	buf[2 * n] = '\0';
	return buf;
}
#define ZEROS(n) zeros((char[2 * (n) + 1]){0}, n)
#define DISSECT(lt, arr) dissect(lt, arr, sizeof arr, sizeof arr)

/* 802.1ad_QinQ.pcap frame 1: S-tag 200, C-tag 2001, ARP request, 64 bytes. */
static const uint8_t qinq[64] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x20, 0xd2, 0x5a, 0xfb, 0x3f, 0x88, 0xa8, 0x00, 0xc8,
	0x81, 0x00, 0x07, 0xd1, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x00, 0x20,
	0xd2, 0x5a, 0xfb, 0x3f, 0xac, 0x15, 0x4f, 0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xac, 0x15,
	0x4f, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

START_TEST(test_qinq_arp)
{
	parsed *p = DISSECT(1, qinq);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp");
	CK_VAL(p, "eth.dst", "ff:ff:ff:ff:ff:ff");
	CK_VAL(p, "eth.src", "00:20:d2:5a:fb:3f");
	CK_VAL(p, "eth.type", "0x88a8");
	CK_VAL(p, "ieee8021ad.id", "200");
	CK_VAL(p, "ieee8021ad.priority", "0");
	CK_VAL(p, "ieee8021ad.dei", "0");
	CK_VAL(p, "ieee8021ah.etype", "0x8100");
	CK_VAL(p, "vlan.id", "2001");
	CK_VAL(p, "vlan.priority", "0");
	CK_VAL(p, "vlan.dei", "0");
	CK_VAL(p, "vlan.etype", "0x0806");
	CK_VAL(p, "eth.padding", "00000000000000000000");
	CK_VAL(p, "vlan.trailer", "00000000");
	CK_VAL(p, "eth.trailer", "");
	CK_VAL(p, "eth.fcs", ""); /* under a VLAN tag tshark guesses no FCS */
	CK_VAL(p, "arp.opcode", "1");
	CK_VAL(p, "arp.hw.type", "1");
	CK_VAL(p, "arp.proto.type", "0x0800");
	CK_VAL(p, "arp.src.hw_mac", "00:20:d2:5a:fb:3f");
	CK_VAL(p, "arp.src.proto_ipv4", "172.21.79.97");
	CK_VAL(p, "arp.dst.hw_mac", "00:00:00:00:00:00");
	CK_VAL(p, "arp.dst.proto_ipv4", "172.21.79.100");
	ck_assert_str_eq(p->pk.protocol, "ARP");
	ck_assert_str_eq(p->pk.info, "Who has 172.21.79.100? Tell 172.21.79.97");
	ck_assert_str_eq(p->pk.src, "00:20:d2:5a:fb:3f");
	ck_assert_str_eq(p->pk.dst, "ff:ff:ff:ff:ff:ff");
	ck_assert(p->pk.flags & NM_PKT_BROADCAST);
	ck_assert(!(p->pk.flags & (NM_PKT_TRUNCATED | NM_PKT_MALFORMED)));
	done(p);
}
END_TEST

/* The same ARP as a reply, untagged, 60 bytes: padding only, no FCS. */
START_TEST(test_arp_reply_padding)
{
	uint8_t f[60] = {0x00, 0x20, 0xd2, 0x5a, 0xfb, 0x3f, 0x00, 0x80, 0xea, 0x81, 0x88, 0x63, 0x08, 0x06,
			 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x00, 0x80, 0xea, 0x81, 0x88, 0x63,
			 0xac, 0x15, 0x4f, 0x64, 0x00, 0x20, 0xd2, 0x5a, 0xfb, 0x3f, 0xac, 0x15, 0x4f, 0x61};
	parsed *p = DISSECT(1, f);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:arp");
	ck_assert_str_eq(p->pk.info, "172.21.79.100 is at 00:80:ea:81:88:63");
	CK_VAL(p, "eth.padding", "000000000000000000000000000000000000");
	CK_VAL(p, "eth.trailer", "");
	CK_VAL(p, "arp.isgratuitous", "");
	ck_assert(!(p->pk.flags & (NM_PKT_BROADCAST | NM_PKT_MULTICAST)));
	/* Non-zero bytes after the payload are a trailer, not padding. */
	f[50] = 0x20;
	done(p);
	p = DISSECT(1, f);
	CK_VAL(p, "eth.padding", "");
	CK_VAL(p, "eth.trailer", "000000000000000020000000000000000000");
	done(p);
}
END_TEST

/* A 64-byte-or-longer frame with a trailer ends in a guessed FCS. */
START_TEST(test_eth_fcs_guess)
{
	uint8_t f[70] = {0x00, 0x20, 0xd2, 0x5a, 0xfb, 0x3f, 0x00, 0x80, 0xea, 0x81, 0x88, 0x63, 0x08, 0x06,
			 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02};
	f[66] = 0xde, f[67] = 0xad, f[68] = 0xbe, f[69] = 0xef;
	parsed *p = DISSECT(1, f);
	CK_VAL(p, "eth.padding", "000000000000000000000000000000000000");
	CK_VAL(p, "eth.trailer", "000000000000");
	CK_VAL(p, "eth.fcs", "0xdeadbeef");
	CK_VAL(p, "eth.fcs.status", "2");
	done(p);
}
END_TEST

START_TEST(test_arp_variants)
{
	/* Gratuitous announcement: sender = target IP, target MAC zero. */
	uint8_t f[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
			 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
			 10,   0,    0,    1,    0,    0,    0,    0,    0,    0,    10,   0,    0,    1};
	parsed *p = DISSECT(1, f);
	ck_assert_str_eq(p->pk.info, "ARP Announcement for 10.0.0.1");
	CK_VAL(p, "arp.isgratuitous", "1");
	done(p);
	/* Probe: sender IP 0.0.0.0. */
	memset(f + 28, 0, 4);
	f[41] = 2;
	p = DISSECT(1, f);
	ck_assert_str_eq(p->pk.info, "Who has 10.0.0.2? (ARP Probe)");
	done(p);
	/* RARP reply: column RARP, "<tha> is at <tpa>". */
	f[21] = 4;
	p = DISSECT(1, f);
	ck_assert_str_eq(p->pk.protocol, "RARP");
	ck_assert_str_eq(p->pk.info, "00:00:00:00:00:00 is at 10.0.0.2");
	done(p);
}
END_TEST

/* Like arp-too-long-tha.pcap: a 14-byte hardware address is shown as bytes. */
START_TEST(test_arp_odd_sizes)
{
	uint8_t f[14 + 8 + 2 * (14 + 4)];
	memset(f, 0x30, sizeof f);
	memcpy(f + 12, "\x08\x06\x30\x30\x08\x00\x0e\x04\x00\x01", 10);
	parsed *p = DISSECT(1, f);
	CK_VAL(p, "arp.hw.type", "12336");
	CK_VAL(p, "arp.hw.size", "14");
	CK_VAL(p, "arp.src.hw", "3030303030303030303030303030");
	CK_VAL(p, "arp.src.hw_mac", "");
	CK_VAL(p, "arp.src.proto_ipv4", "48.48.48.48");
	CK_VAL(p, "arp.dst.hw", "3030303030303030303030303030");
	CK_VAL(p, "arp.isgratuitous", "1");
	ck_assert(!(p->pk.flags & (NM_PKT_TRUNCATED | NM_PKT_MALFORMED)));
	done(p);
}
END_TEST

START_TEST(test_arp_truncated)
{
	/* The header is complete, the addresses are cut: fields so far, marked. */
	parsed *p = dissect(1, qinq, 34, 34);
	CK_VAL(p, "arp.opcode", "1");
	CK_VAL(p, "arp.src.hw_mac", "");
	ck_assert(p->pk.flags & NM_PKT_MALFORMED);
	done(p);
	/* Cut by the snap length: truncated rather than malformed. */
	p = dissect(1, qinq, 34, 64);
	ck_assert(p->pk.flags & NM_PKT_TRUNCATED);
	ck_assert(!(p->pk.flags & NM_PKT_MALFORMED));
	done(p);
}
END_TEST

/* 802.1D_spanning_tree.pcap frame 1: 802.3 length 38, LLC 42/42 UI. */
static const uint8_t stp[60] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x85, 0x00, 0x26, 0x42,
	0x42, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x80,
	0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x80, 0x80, 0x05, 0x00,
	0x00, 0x14, 0x00, 0x02, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

START_TEST(test_8023_llc)
{
	parsed *p = DISSECT(1, stp);
	ck_assert(strncmp(p->pk.protocols, "eth:llc", 7) == 0);
	CK_VAL(p, "eth.len", "38");
	CK_VAL(p, "eth.type", "");
	CK_VAL(p, "eth.padding", "0000000000000000");
	CK_VAL(p, "llc.dsap", "0x42");
	CK_VAL(p, "llc.ssap", "0x42");
	CK_VAL(p, "llc.dsap.sap", "33");
	CK_VAL(p, "llc.dsap.ig", "0");
	CK_VAL(p, "llc.ssap.cr", "0");
	CK_VAL(p, "llc.control", "0x0003");
	CK_VAL(p, "llc.control.ftype", "0x03");
	CK_VAL(p, "llc.control.u_modifier_cmd", "0x00");
	ck_assert(p->pk.flags & NM_PKT_MULTICAST);
	done(p);
}
END_TEST

/* SNAP: Cisco OUI (UDLD.pcap: llc.oui 12, llc.cisco_pid 0x0111) and RFC 1042. */
START_TEST(test_snap)
{
	uint8_t f[60] = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x81,
			 0x00, 0x0c, 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x01, 0x11, 1, 2, 3, 4};
	parsed *p = DISSECT(1, f);
	CK_VAL(p, "llc.oui", "12");
	CK_VAL(p, "llc.cisco_pid", "0x0111");
	CK_VAL(p, "llc.pid", "");
	ck_assert_str_eq(p->pk.protocols, "eth:llc:data");
	ck_assert_str_eq(p->pk.info, "U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x0111");
	CK_VAL(p, "eth.padding", ZEROS(34)); /* 14 + 12 bytes used of 60 */
	done(p);

	/* RFC 1042: OUI 0 carries an ethertype (here ARP, 28 bytes). */
	uint8_t g[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x81, 0x00, 36,
			 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04,
			 0x00, 0x01};
	p = DISSECT(1, g);
	ck_assert_str_eq(p->pk.protocols, "eth:llc:ethertype:arp");
	CK_VAL(p, "llc.oui", "0");
	CK_VAL(p, "llc.type", "0x0806");
	done(p);
}
END_TEST

/* kday7.pcap frame 3: an I frame; its control field is 16 bits, read
 * little-endian. */
START_TEST(test_llc_iframe)
{
	uint8_t f[60] = {0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x81,
			 0x00, 0x06, 0x45, 0x10, 0x00, 0x34, 9, 9};
	parsed *p = DISSECT(1, f);
	CK_VAL(p, "llc.control", "0x3400");
	CK_VAL(p, "llc.control.n_r", "26");
	CK_VAL(p, "llc.control.n_s", "0");
	CK_VAL(p, "llc.control.ftype", "0x0000");
	ck_assert_str_eq(p->pk.info, "I, N(R)=26, N(S)=0; DSAP 0x44 Group, SSAP NetWare (unofficial?) Command");
	done(p);
}
END_TEST

START_TEST(test_vlan_8023)
{
	/* A tag whose type word is a length: VLAN frames an 802.3 LLC payload. */
	uint8_t f[60] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x85, 0x81, 0x00,
			 0xa0, 0x05, 0x00, 0x07, 0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x00};
	parsed *p = DISSECT(1, f);
	ck_assert(strncmp(p->pk.protocols, "eth:ethertype:vlan:llc", 22) == 0);
	CK_VAL(p, "vlan.priority", "5");
	CK_VAL(p, "vlan.dei", "0");
	CK_VAL(p, "vlan.id", "5");
	CK_VAL(p, "vlan.len", "7");
	CK_VAL(p, "vlan.etype", "");
	CK_VAL(p, "eth.padding", ZEROS(35)); /* 18 + 7 bytes used of 60 */
	done(p);
}
END_TEST

START_TEST(test_vlan_9100_and_truncated)
{
	uint8_t f[18] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x91, 0x00, 0x10, 0x64, 0x88, 0xb5};
	parsed *p = DISSECT(1, f);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:vlan:ethertype");
	CK_VAL(p, "vlan.id", "100");
	CK_VAL(p, "vlan.dei", "1");
	done(p);
	p = dissect(1, f, 16, 16);
	ck_assert(p->pk.flags & NM_PKT_MALFORMED);
	CK_VAL(p, "vlan.id", "");
	done(p);
}
END_TEST

/* babel.pcap frame 1: SLL, GRE hardware type, IPv6. */
START_TEST(test_sll_gre)
{
	uint8_t f[56] = {0x00, 0x00, 0x03, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3b, 0x01};
	parsed *p = DISSECT(113, f);
	ck_assert(strncmp(p->pk.protocols, "sll:", 4) == 0);
	ck_assert(strstr(p->pk.protocols, "ethertype") == NULL);
	CK_VAL(p, "sll.pkttype", "0");
	CK_VAL(p, "sll.hatype", "778");
	CK_VAL(p, "sll.halen", "0");
	CK_VAL(p, "sll.unused", "0000000000000000");
	CK_VAL(p, "sll.gretype", "0x86dd");
	CK_VAL(p, "sll.etype", "");
	done(p);
}
END_TEST

START_TEST(test_sll_eth)
{
	/* Sent by us, Ethernet hardware, 6-byte address, ARP. */
	uint8_t f[16 + 28] = {0x00, 0x04, 0x00, 0x01, 0x00, 0x06, 0x08, 0x00, 0x27, 0x5e, 0xd1, 0x9e,
			      0x00, 0x00, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01};
	parsed *p = DISSECT(113, f);
	ck_assert_str_eq(p->pk.protocols, "sll:ethertype:arp");
	CK_VAL(p, "sll.pkttype", "4");
	CK_VAL(p, "sll.src.eth", "08:00:27:5e:d1:9e");
	CK_VAL(p, "sll.unused", "0000");
	CK_VAL(p, "sll.etype", "0x0806");
	ck_assert_str_eq(p->pk.src, "08:00:27:5e:d1:9e");
	done(p);
	p = dissect(113, f, 15, 15);
	ck_assert(p->pk.flags & NM_PKT_MALFORMED);
	done(p);
}
END_TEST

START_TEST(test_sll2)
{
	uint8_t f[20 + 28] = {0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0x01, 0x06,
			      0x08, 0x00, 0x27, 0x5e, 0xd1, 0x9e, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
			      0x06, 0x04, 0x00, 0x02};
	parsed *p = DISSECT(276, f);
	ck_assert_str_eq(p->pk.protocols, "sll:ethertype:arp");
	CK_VAL(p, "sll.etype", "0x0806");
	CK_VAL(p, "sll.ifindex", "3");
	CK_VAL(p, "sll.hatype", "1");
	CK_VAL(p, "sll.pkttype", "1");
	CK_VAL(p, "sll.halen", "6");
	CK_VAL(p, "sll.src.eth", "08:00:27:5e:d1:9e");
	done(p);
	p = dissect(276, f, 19, 60);
	ck_assert(p->pk.flags & NM_PKT_TRUNCATED);
	done(p);
}
END_TEST

/* dns-badcookie.pcap starts "02 00 00 00 45": AF_INET in little-endian. */
START_TEST(test_null)
{
	uint8_t le[24] = {0x02, 0x00, 0x00, 0x00, 0x45};
	parsed *p = DISSECT(0, le);
	CK_VAL(p, "null.family", "2");
	ck_assert(strncmp(p->pk.protocols, "null:", 5) == 0);
	done(p);
	uint8_t be[8] = {0x00, 0x00, 0x00, 0x1e, 0x60};
	p = DISSECT(0, be); /* written by a big-endian host: swapped back */
	CK_VAL(p, "null.family", "30");
	done(p);
	p = DISSECT(108, be); /* LOOP: always network order */
	CK_VAL(p, "null.family", "30");
	done(p);
	uint8_t ethertype[8] = {0x00, 0x00, 0x08, 0x06};
	p = DISSECT(108, ethertype);
	CK_VAL(p, "null.type", "0x0806");
	CK_VAL(p, "null.family", "");
	done(p);
	p = dissect(0, le, 3, 3);
	ck_assert(p->pk.flags & NM_PKT_MALFORMED);
	done(p);
}
END_TEST

START_TEST(test_raw)
{
	uint8_t v4[20] = {0x45, 0x00, 0x00, 0x14, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
	nm_parsers_init();
	const nm_protocol *ip = nm_handoff_find(NM_TAB_ETHERTYPE, 0x0800);
	static const uint32_t raw_types[] = {101, 12, 14};
	for (size_t i = 0; i < 3; i++) {
		parsed *p = DISSECT(raw_types[i], v4);
		char want[64];
		snprintf(want, sizeof want, "raw:%s", ip ? ip->name : "data");
		ck_assert_msg(strncmp(p->pk.protocols, want, strlen(want)) == 0, "%u: %s", raw_types[i],
			      p->pk.protocols);
		done(p);
	}
	/* 228 goes to IPv4 with no "raw" layer, as tshark shows it. */
	parsed *p = DISSECT(228, v4);
	ck_assert(strncmp(p->pk.protocols, ip ? ip->name : "data", 2) == 0);
	ck_assert(strstr(p->pk.protocols, "raw") == NULL);
	done(p);
	uint8_t junk[4] = {0x12, 0x34, 0x56, 0x78};
	p = DISSECT(101, junk);
	ck_assert_str_eq(p->pk.protocols, "raw:data");
	done(p);
	p = dissect(101, junk, 0, 0);
	ck_assert_str_eq(p->pk.protocols, "raw");
	done(p);
}
END_TEST

/* Every prefix of every vector, and random bytes, under every link type:
 * the parsers must stop at the cursor's end (run under ASan to be sure). */
START_TEST(test_robustness)
{
	static const uint32_t types[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276};
	uint8_t buf[128];
	srand(12345);
	for (int round = 0; round < 2000; round++) {
		uint32_t n = (uint32_t)(rand() % (int)sizeof buf);
		for (uint32_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rand();
		if (round % 3 == 0 && n >= 14) /* steer toward interesting ethertypes */
			buf[12] = round % 2 ? 0x81 : 0x88, buf[13] = round % 2 ? 0x00 : 0xa8;
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, buf, n);
		parsed *p = dissect(types[round % 10], copy, n, n + (uint32_t)(round % 2) * 10);
		ck_assert(p->pk.tree->count >= 0);
		done(p);
		free(copy);
	}
	for (uint32_t n = 0; n <= sizeof qinq; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, qinq, n);
		parsed *p = dissect(1, copy, n, sizeof qinq);
		if (n < 50)
			ck_assert(p->pk.flags & NM_PKT_TRUNCATED);
		done(p);
		free(copy);
	}
}
END_TEST

/*
 * Ethertype 0x880b is PPP only inside GRE (PPTP): Wireshark registers it as
 * a GRE protocol type, so on Ethernet tshark shows data.
 * ppp_ccp_config_deflate_option_asan.pcap frame 1, and a crafted GRE v1
 * (PPTP) packet carrying an LCP Echo-Request; values from tshark 4.0.17.
 */
static const uint8_t eth_880b[] = {0x10, 0x0c, 0xfb, 0x10, 0x73, 0x7e, 0xc0, 0xc1, 0xc0, 0x95, 0x9b, 0x9d,
				   0x88, 0x0b, 0x80, 0xfd, 0x01, 0xdf, 0x00, 0x0f, 0x18, 0x05, 0xff};
static const uint8_t pptp_lcp[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x00, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x08, 0x00, 0x45, 0x00,
	0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x40, 0x2f, 0x66, 0xa1, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00,
	0x00, 0x02, 0x20, 0x01, 0x88, 0x0b, 0x00, 0x10, 0x00, 0x07, 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01,
	0x00, 0x0c, 0x11, 0x22, 0x33, 0x44, 0x61, 0x62, 0x63, 0x64,
};

START_TEST(test_ppp_type_only_in_gre)
{
	parsed *p = DISSECT(1, eth_880b);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:data");
	CK_VAL(p, "ppp.protocol", "");
	CK_VAL(p, "data.data", "80fd01df000f1805ff");
	done(p);
	p = DISSECT(1, pptp_lcp);
	ck_assert_str_eq(p->pk.protocols, "eth:ethertype:ip:gre:ppp:lcp");
	CK_VAL(p, "ppp.address", "0xff");
	CK_VAL(p, "ppp.control", "0x03");
	CK_VAL(p, "ppp.protocol", "0xc021");
	CK_VAL(p, "ppp.code", "9");
	CK_VAL(p, "ppp.length", "12");
	CK_VAL(p, "lcp.magic_number", "0x11223344");
	CK_VAL(p, "lcp.data", "61626364");
	done(p);
}
END_TEST

/*
 * Every built-in protocol is registered under its own name: registration
 * refuses a taken name, so a duplicate would leave a descriptor unregistered
 * (id 0, counted as "frame" in statistics).  ERSPAN type I once did.
 */
#define NM_PROTO(sym) &sym,
static const nm_protocol *const builtin[] = {
#include "protocols.def"
};
#undef NM_PROTO

START_TEST(test_protocol_names_unique)
{
	nm_parsers_init();
	size_t n = sizeof builtin / sizeof builtin[0];
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(nm_protocol_find(builtin[i]->name) == builtin[i], "protocol %s not registered as itself",
			      builtin[i]->name);
		for (size_t j = i + 1; j < n; j++)
			ck_assert_msg(strcmp(builtin[i]->name, builtin[j]->name) != 0, "protocol name %s twice",
				      builtin[i]->name);
	}
	for (size_t i = 0; i < nm_protocol_count(); i++)
		for (size_t j = i + 1; j < nm_protocol_count(); j++)
			ck_assert_str_ne(nm_protocol_at(i)->name, nm_protocol_at(j)->name);
	/* The unregistered type I descriptor shares the registered one's id. */
	ck_assert_int_eq(nm_proto_erspan_i.id, nm_proto_erspan.id);
	ck_assert_str_eq(nm_proto_erspan_i.name, "erspan");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("link");
	TCase *tc = tcase_create("parsers");
	tcase_add_test(tc, test_qinq_arp);
	tcase_add_test(tc, test_arp_reply_padding);
	tcase_add_test(tc, test_eth_fcs_guess);
	tcase_add_test(tc, test_arp_variants);
	tcase_add_test(tc, test_arp_odd_sizes);
	tcase_add_test(tc, test_arp_truncated);
	tcase_add_test(tc, test_8023_llc);
	tcase_add_test(tc, test_snap);
	tcase_add_test(tc, test_llc_iframe);
	tcase_add_test(tc, test_vlan_8023);
	tcase_add_test(tc, test_vlan_9100_and_truncated);
	tcase_add_test(tc, test_sll_gre);
	tcase_add_test(tc, test_sll_eth);
	tcase_add_test(tc, test_sll2);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_robustness);
	tcase_add_test(tc, test_protocol_names_unique);
	tcase_add_test(tc, test_ppp_type_only_in_gre);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
