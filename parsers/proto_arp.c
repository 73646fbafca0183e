/*
 * proto_arp.c - ARP and RARP (RFC 826, RFC 903, InARP RFC 2390).
 *
 * The header gives the sizes of the hardware and protocol addresses, so the
 * packet is 8 + 2 * (hln + pln) bytes.  Addresses are typed (MAC, IPv4)
 * only for the Ethernet/IPv4 sizes 6 and 4; other sizes are shown as bytes,
 * as Wireshark does.  ARP consumes only its own bytes, so what follows is
 * the Ethernet padding/trailer.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_HW_TYPE,
	F_PROTO_TYPE,
	F_HW_SIZE,
	F_PROTO_SIZE,
	F_OPCODE,
	F_GRATUITOUS,
	F_SRC_HW,
	F_SRC_HW_MAC,
	F_SRC_PROTO,
	F_SRC_PROTO_IPV4,
	F_DST_HW,
	F_DST_HW_MAC,
	F_DST_PROTO,
	F_DST_PROTO_IPV4,
	F_COUNT
};

enum { OP_REQUEST = 1, OP_REPLY = 2, OP_RREQUEST = 3, OP_RREPLY = 4, OP_INREQUEST = 8, OP_INREPLY = 9 };

static const nm_vals hw_vals[] = {
	{1, "Ethernet"}, {6, "IEEE 802"}, {7, "ARCNET"}, {15, "Frame Relay"}, {16, "ATM"},
	{18, "Fibre Channel"}, {20, "Serial Line"}, {24, "IEEE 1394.1995"}, {32, "InfiniBand"}, {0, NULL},
};

static const nm_vals proto_vals[] = {
	{0x0800, "IPv4"}, {0x86dd, "IPv6"}, {0x0806, "ARP"}, {0x809b, "AppleTalk"}, {0, NULL},
};

static const nm_vals op_vals[] = {
	{1, "request"}, {2, "reply"}, {3, "reverse request"}, {4, "reverse reply"},
	{8, "inverse request"}, {9, "inverse reply"}, {10, "ARP-NAK"}, {0, NULL},
};

static const nm_field fields[] = {
	[F_HW_TYPE] = {"arp.hw.type", "Hardware type", NM_FT_UINT16, NM_BASE_DEC, hw_vals, 0, NULL},
	[F_PROTO_TYPE] = {"arp.proto.type", "Protocol type", NM_FT_UINT16, NM_BASE_HEX, proto_vals, 0, NULL},
	[F_HW_SIZE] = {"arp.hw.size", "Hardware size", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_PROTO_SIZE] = {"arp.proto.size", "Protocol size", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_OPCODE] = {"arp.opcode", "Opcode", NM_FT_UINT16, NM_BASE_DEC, op_vals, 0, NULL},
	[F_GRATUITOUS] = {"arp.isgratuitous", "Is gratuitous", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, NULL},
	[F_SRC_HW] = {"arp.src.hw", "Sender hardware address", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_SRC_HW_MAC] = {"arp.src.hw_mac", "Sender MAC address", NM_FT_ETHER, NM_BASE_NONE, NULL, 0, NULL},
	[F_SRC_PROTO] = {"arp.src.proto", "Sender protocol address", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_SRC_PROTO_IPV4] = {"arp.src.proto_ipv4", "Sender IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST_HW] = {"arp.dst.hw", "Target hardware address", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST_HW_MAC] = {"arp.dst.hw_mac", "Target MAC address", NM_FT_ETHER, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST_PROTO] = {"arp.dst.proto", "Target protocol address", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST_PROTO_IPV4] = {"arp.dst.proto_ipv4", "Target IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
};

typedef struct arp_hdr {
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	bool mac, ipv4; /* addresses are a MAC / an IPv4 address */
	const uint8_t *sha, *spa, *tha, *tpa;
} arp_hdr;

/* An address as the Info column shows it. */
static void fmt_addr(char *out, size_t n, const uint8_t *a, uint8_t len, bool typed, bool is_hw)
{
	if (len == 0) {
		snprintf(out, n, "<No address>");
	} else if (typed) {
		if (is_hw)
			nm_fmt_ether(out, n, a);
		else
			nm_fmt_ipv4(out, n, a);
	} else {
		size_t o = 0;
		out[0] = '\0';
		for (uint8_t i = 0; i < len && o + 3 < n; i++)
			o += (size_t)snprintf(out + o, n - o, "%02x", a[i]);
	}
}

static bool is_zero(const uint8_t *a, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static bool gratuitous(const arp_hdr *h)
{
	return (h->op == OP_REQUEST || h->op == OP_REPLY) && h->pln > 0 && memcmp(h->spa, h->tpa, h->pln) == 0;
}

static void set_info(nm_packet *pk, const arp_hdr *h)
{
	char sha[64], spa[64], tha[64], tpa[64];
	fmt_addr(sha, sizeof sha, h->sha, h->hln, h->mac, true);
	fmt_addr(spa, sizeof spa, h->spa, h->pln, h->ipv4, false);
	fmt_addr(tha, sizeof tha, h->tha, h->hln, h->mac, true);
	fmt_addr(tpa, sizeof tpa, h->tpa, h->pln, h->ipv4, false);
	bool grat = gratuitous(h);
	switch (h->op) {
	case OP_REQUEST:
		if (grat && is_zero(h->tha, h->hln))
			nm_set_info(pk, "ARP Announcement for %s", tpa);
		else if (grat)
			nm_set_info(pk, "Gratuitous ARP for %s (Request)", tpa);
		else if (is_zero(h->spa, h->pln) && h->pln)
			nm_set_info(pk, "Who has %s? (ARP Probe)", tpa);
		else
			nm_set_info(pk, "Who has %s? Tell %s", tpa, spa);
		break;
	case OP_REPLY:
		if (grat)
			nm_set_info(pk, "Gratuitous ARP for %s (Reply)", spa);
		else
			nm_set_info(pk, "%s is at %s", spa, sha);
		break;
	case OP_RREQUEST:
	case OP_INREQUEST:
		nm_set_info(pk, "Who is %s? Tell %s", tha, sha);
		break;
	case OP_RREPLY:
		nm_set_info(pk, "%s is at %s", tha, tpa);
		break;
	case OP_INREPLY:
		nm_set_info(pk, "%s is at %s", sha, spa);
		break;
	default:
		nm_set_info(pk, "Unknown ARP opcode 0x%04x", h->op);
	}
}

static void add_addr(nm_packet *pk, int t, const nm_field *typed, const nm_field *raw, uint32_t off,
		     const uint8_t *a, uint8_t len, bool is_typed)
{
	if (len == 0)
		return;
	if (!is_typed)
		nm_add_bytes(pk, t, raw, off, len, a);
	else if (typed->type == NM_FT_ETHER)
		nm_add_ether(pk, t, typed, off, a);
	else
		nm_add_ipv4(pk, t, typed, off, a);
}

static void add_header(nm_packet *pk, int t, const arp_hdr *h, uint32_t s)
{
	nm_add_uint(pk, t, &fields[F_HW_TYPE], s, 2, h->hrd);
	nm_add_uint(pk, t, &fields[F_PROTO_TYPE], s + 2, 2, h->pro);
	nm_add_uint(pk, t, &fields[F_HW_SIZE], s + 4, 1, h->hln);
	nm_add_uint(pk, t, &fields[F_PROTO_SIZE], s + 5, 1, h->pln);
	nm_add_uint(pk, t, &fields[F_OPCODE], s + 6, 2, h->op);
}

static void add_addresses(nm_packet *pk, int t, const arp_hdr *h, uint32_t s)
{
	if (gratuitous(h))
		nm_add_bool(pk, t, &fields[F_GRATUITOUS], s, 0, 1);
	uint32_t o = s + 8;
	add_addr(pk, t, &fields[F_SRC_HW_MAC], &fields[F_SRC_HW], o, h->sha, h->hln, h->mac);
	o += h->hln;
	add_addr(pk, t, &fields[F_SRC_PROTO_IPV4], &fields[F_SRC_PROTO], o, h->spa, h->pln, h->ipv4);
	o += h->pln;
	add_addr(pk, t, &fields[F_DST_HW_MAC], &fields[F_DST_HW], o, h->tha, h->hln, h->mac);
	o += h->hln;
	add_addr(pk, t, &fields[F_DST_PROTO_IPV4], &fields[F_DST_PROTO], o, h->tpa, h->pln, h->ipv4);
}

/* The Protocol column names the ARP variant, as Wireshark's does. */
static const char *column_name(uint16_t op)
{
	switch (op) {
	case OP_RREQUEST:
	case OP_RREPLY:
		return "RARP";
	case 5: /* DRARP request, reply, error */
	case 6:
	case 7:
		return "DRARP";
	case OP_INREQUEST:
	case OP_INREPLY:
		return "Inverse ARP";
	default:
		return "ARP";
	}
}

static int dissect_arp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	arp_hdr h = {0};
	h.hrd = nm_cur_be16(c);
	h.pro = nm_cur_be16(c);
	h.hln = nm_cur_u8(c);
	h.pln = nm_cur_u8(c);
	h.op = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	pk->protocol = column_name(h.op);
	int t = nm_add_proto(pk, -1, &nm_proto_arp, start, 8 + 2u * (h.hln + h.pln));
	add_header(pk, t, &h, start);
	h.sha = nm_cur_take(c, h.hln);
	h.spa = nm_cur_take(c, h.pln);
	h.tha = nm_cur_take(c, h.hln);
	h.tpa = nm_cur_take(c, h.pln);
	if (c->err)
		return NM_TRUNCATED;
	h.mac = (h.hrd == 1 || h.hrd == 6) && h.hln == 6;
	h.ipv4 = (h.pro == 0x0800 || h.pro == 0x00cc) && h.pln == 4; /* 0xcc: AX.25's IP */
	set_info(pk, &h);
	add_addresses(pk, t, &h, start);
	return NM_OK;
}

static void init_arp(void)
{
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x0806, &nm_proto_arp);
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x8035, &nm_proto_arp); /* RARP */
}

nm_protocol nm_proto_arp = {
	"arp", "ARP", "Address Resolution Protocol", fields, F_COUNT, dissect_arp, init_arp, 0,
};
