/*
 * proto_dhcpv6.c - DHCP for IPv6 (RFC 8415), UDP 546/547.
 *
 * A message is a type, a 24-bit transaction id and a list of 16-bit
 * type/length options; relay messages carry a hop count, two addresses and
 * options, one of which (Relay Message, 9) holds the relayed message.
 * IA_NA/IA_TA/IA_PD, IA Address and IA Prefix options nest options of
 * their own.  Every list is read through a sub-cursor bounded by its
 * length, and nesting is limited, so hostile lengths cannot escape the
 * message or recurse without end.  The Info line follows Wireshark's:
 * message type, "XID: 0x..", then the client ID and IA addresses in
 * option order, each followed by a space.
 */
#include <stdio.h>

#include "protos.h"
#include "textfmt.h"

enum {
	F_MSGTYPE, F_HOPCOUNT, F_XID, F_LINKADDR, F_PEERADDR, F_OPT_TYPE, F_OPT_LEN, F_DUID_BYTES, F_DUID_TYPE,
	F_DUIDLLT_TIME, F_DUIDLLT_HWTYPE, F_DUIDLLT_LLADDR, F_DUIDLL_HWTYPE, F_DUIDLL_LLADDR, F_DUIDEN_ENT,
	F_DUIDEN_ID, F_IAID, F_IATA, F_T1, F_T2, F_IAADDR_IP, F_IAADDR_PREF, F_IAADDR_VALID, F_IAPREFIX_PREF,
	F_IAPREFIX_VALID, F_IAPREFIX_LEN, F_IAPREFIX_ADDR, F_REQ_OPT, F_ELAPSED, F_STATUS, F_DNS_SERVER,
	F_COUNT
};

static const nm_vals msg_vals[] = {
	{1, "Solicit"},	      {2, "Advertise"},	 {3, "Request"},      {4, "Confirm"},
	{5, "Renew"},	      {6, "Rebind"},	 {7, "Reply"},	      {8, "Release"},
	{9, "Decline"},	      {10, "Reconfigure"}, {11, "Information-request"}, {12, "Relay-forw"},
	{13, "Relay-reply"},  {14, "Leasequery"}, {15, "Leasequery-reply"}, {16, "Leasequery-done"},
	{17, "Leasequery-data"}, {0, NULL},
};

static const nm_vals duid_vals[] = {
	{1, "link-layer address plus time"}, {2, "vendor-assigned unique ID based on Enterprise Number"},
	{3, "link-layer address"}, {4, "Universally Unique IDentifier (UUID)"}, {0, NULL},
};

#define U(n, l, t) {n, l, t, NM_BASE_DEC, NULL, 0, NULL}
#define X(n, l, t) {n, l, t, NM_BASE_NONE, NULL, 0, NULL}

static const nm_field fields[] = {
	[F_MSGTYPE] = {"dhcpv6.msgtype", "Message type", NM_FT_UINT8, NM_BASE_DEC, msg_vals, 0, NULL},
	[F_HOPCOUNT] = U("dhcpv6.hopcount", "Hopcount", NM_FT_UINT8),
	[F_XID] = {"dhcpv6.xid", "Transaction ID", NM_FT_UINT24, NM_BASE_HEX, NULL, 0, NULL},
	[F_LINKADDR] = X("dhcpv6.linkaddr", "Link address", NM_FT_IPv6),
	[F_PEERADDR] = X("dhcpv6.peeraddr", "Peer address", NM_FT_IPv6),
	[F_OPT_TYPE] = U("dhcpv6.option.type", "Option", NM_FT_UINT16),
	[F_OPT_LEN] = U("dhcpv6.option.length", "Length", NM_FT_UINT16),
	[F_DUID_BYTES] = X("dhcpv6.duid.bytes", "DUID", NM_FT_BYTES),
	[F_DUID_TYPE] = {"dhcpv6.duid.type", "DUID Type", NM_FT_UINT16, NM_BASE_DEC, duid_vals, 0, NULL},
	[F_DUIDLLT_TIME] = X("dhcpv6.duidllt.time", "DUID Time", NM_FT_ABSOLUTE_TIME),
	[F_DUIDLLT_HWTYPE] = U("dhcpv6.duidllt.hwtype", "Hardware type", NM_FT_UINT16),
	[F_DUIDLLT_LLADDR] = X("dhcpv6.duidllt.link_layer_addr", "Link-layer address", NM_FT_STRING),
	[F_DUIDLL_HWTYPE] = U("dhcpv6.duidll.hwtype", "Hardware type", NM_FT_UINT16),
	[F_DUIDLL_LLADDR] = X("dhcpv6.duidll.link_layer_addr", "Link-layer address", NM_FT_STRING),
	[F_DUIDEN_ENT] = U("dhcpv6.duiden.enterprise", "Enterprise ID", NM_FT_UINT32),
	[F_DUIDEN_ID] = X("dhcpv6.duiden.identifier", "Identifier", NM_FT_BYTES),
	[F_IAID] = X("dhcpv6.iaid", "IAID", NM_FT_STRING),
	[F_IATA] = X("dhcpv6.iata", "IATA", NM_FT_STRING),
	[F_T1] = U("dhcpv6.iaid.t1", "T1", NM_FT_UINT32),
	[F_T2] = U("dhcpv6.iaid.t2", "T2", NM_FT_UINT32),
	[F_IAADDR_IP] = X("dhcpv6.iaaddr.ip", "IPv6 address", NM_FT_IPv6),
	[F_IAADDR_PREF] = U("dhcpv6.iaaddr.pref_lifetime", "Preferred lifetime", NM_FT_UINT32),
	[F_IAADDR_VALID] = U("dhcpv6.iaaddr.valid_lifetime", "Valid lifetime", NM_FT_UINT32),
	[F_IAPREFIX_PREF] = U("dhcpv6.iaprefix.pref_lifetime", "Preferred lifetime", NM_FT_UINT32),
	[F_IAPREFIX_VALID] = U("dhcpv6.iaprefix.valid_lifetime", "Valid lifetime", NM_FT_UINT32),
	[F_IAPREFIX_LEN] = U("dhcpv6.iaprefix.pref_len", "Prefix length", NM_FT_UINT8),
	[F_IAPREFIX_ADDR] = X("dhcpv6.iaprefix.pref_addr", "Prefix address", NM_FT_IPv6),
	[F_REQ_OPT] = U("dhcpv6.requested_option_code", "Requested Option code", NM_FT_UINT16),
	[F_ELAPSED] = U("dhcpv6.elapsed_time", "Elapsed time", NM_FT_UINT16),
	[F_STATUS] = U("dhcpv6.status_code", "Status Code", NM_FT_UINT16),
	[F_DNS_SERVER] = X("dhcpv6.dns_server", "DNS server address", NM_FT_IPv6),
};

/* Seconds from 1970 to 2000-01-01, the DUID-LLT epoch. */
#define DUID_EPOCH 946684800

#define MAX_NEST 8

static void options(nm_packet *pk, int t, nm_cursor *c, int depth);
static void message(nm_packet *pk, int t, nm_cursor *c, int depth);

static void hex_text(char *out, size_t cap, const uint8_t *b, uint32_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", b[i]);
}

static void lladdr_text(char *out, size_t cap, const uint8_t *b, uint32_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < n && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%02x", i ? ":" : "", b[i]);
}

static void duid(nm_packet *pk, int t, nm_cursor *v)
{
	uint32_t at = v->pos, n = nm_cur_left(v);
	char s[128];
	if (n < 2)
		return;
	nm_add_bytes(pk, t, &fields[F_DUID_BYTES], at, n, v->data + at);
	uint16_t type = nm_cur_be16(v);
	nm_add_uint(pk, t, &fields[F_DUID_TYPE], at, 2, type);
	if (type == 1 && n >= 8) {
		uint16_t hw = nm_cur_be16(v);
		uint32_t secs = nm_cur_be32(v);
		nm_add_uint(pk, t, &fields[F_DUIDLLT_HWTYPE], at + 2, 2, hw);
		nm_fmt_abstime(s, sizeof s, (int64_t)secs + DUID_EPOCH, 0);
		nm_add_string(pk, t, &fields[F_DUIDLLT_TIME], at + 4, 4, s);
		lladdr_text(s, sizeof s, v->data + at + 8, n - 8);
		nm_add_string(pk, t, &fields[F_DUIDLLT_LLADDR], at + 8, n - 8, s);
	} else if (type == 2 && n >= 6) {
		nm_add_uint(pk, t, &fields[F_DUIDEN_ENT], at + 2, 4, nm_cur_be32(v));
		if (n > 6)
			nm_add_bytes(pk, t, &fields[F_DUIDEN_ID], at + 6, n - 6, v->data + at + 6);
	} else if (type == 3 && n >= 4) {
		nm_add_uint(pk, t, &fields[F_DUIDLL_HWTYPE], at + 2, 2, nm_cur_be16(v));
		lladdr_text(s, sizeof s, v->data + at + 4, n - 4);
		nm_add_string(pk, t, &fields[F_DUIDLL_LLADDR], at + 4, n - 4, s);
	}
}

/* IA_NA (3), IA_TA (4), IA_PD (25): IAID, T1/T2 (not for IA_TA), options. */
static void ia(nm_packet *pk, int t, nm_cursor *v, uint16_t code, int depth)
{
	uint32_t at = v->pos;
	const uint8_t *iaid = nm_cur_take(v, 4);
	if (!iaid)
		return;
	char s[16];
	hex_text(s, sizeof s, iaid, 4);
	nm_add_string(pk, t, &fields[code == 4 ? F_IATA : F_IAID], at, 4, s);
	if (code != 4) {
		uint32_t t1 = nm_cur_be32(v), t2 = nm_cur_be32(v);
		if (v->err)
			return;
		nm_add_uint(pk, t, &fields[F_T1], at + 4, 4, t1);
		nm_add_uint(pk, t, &fields[F_T2], at + 8, 4, t2);
	}
	options(pk, t, v, depth + 1);
}

static void iaaddr(nm_packet *pk, int t, nm_cursor *v, int depth)
{
	uint32_t at = v->pos;
	const uint8_t *a = nm_cur_take(v, 16);
	uint32_t pref = nm_cur_be32(v), valid = nm_cur_be32(v);
	if (v->err)
		return;
	char s[48];
	nm_fmt_ipv6(s, sizeof s, a);
	nm_append_info(pk, "IAA: %s ", s);
	nm_add_ipv6(pk, t, &fields[F_IAADDR_IP], at, a);
	nm_add_uint(pk, t, &fields[F_IAADDR_PREF], at + 16, 4, pref);
	nm_add_uint(pk, t, &fields[F_IAADDR_VALID], at + 20, 4, valid);
	options(pk, t, v, depth + 1);
}

static void iaprefix(nm_packet *pk, int t, nm_cursor *v, int depth)
{
	uint32_t at = v->pos;
	uint32_t pref = nm_cur_be32(v), valid = nm_cur_be32(v);
	uint8_t plen = nm_cur_u8(v);
	const uint8_t *a = nm_cur_take(v, 16);
	if (v->err)
		return;
	nm_add_uint(pk, t, &fields[F_IAPREFIX_PREF], at, 4, pref);
	nm_add_uint(pk, t, &fields[F_IAPREFIX_VALID], at + 4, 4, valid);
	nm_add_uint(pk, t, &fields[F_IAPREFIX_LEN], at + 8, 1, plen);
	nm_add_ipv6(pk, t, &fields[F_IAPREFIX_ADDR], at + 9, a);
	options(pk, t, v, depth + 1);
}

static void u16_list(nm_packet *pk, int t, int f, nm_cursor *v)
{
	while (nm_cur_left(v) >= 2) {
		uint32_t at = v->pos;
		nm_add_uint(pk, t, &fields[f], at, 2, nm_cur_be16(v));
	}
}

static void addr_list(nm_packet *pk, int t, int f, nm_cursor *v)
{
	while (nm_cur_left(v) >= 16) {
		uint32_t at = v->pos;
		nm_add_ipv6(pk, t, &fields[f], at, nm_cur_take(v, 16));
	}
}

static void option_body(nm_packet *pk, int o, uint16_t code, nm_cursor *v, int depth)
{
	char s[96];
	uint32_t n = nm_cur_left(v);
	switch (code) {
	case 1: /* Client Identifier */
		hex_text(s, sizeof s, v->data + v->pos, n);
		nm_append_info(pk, "CID: %s ", s);
		/* fall through */
	case 2: /* Server Identifier */
		duid(pk, o, v);
		break;
	case 3:
	case 4:
	case 25:
		ia(pk, o, v, code, depth);
		break;
	case 5:
		iaaddr(pk, o, v, depth);
		break;
	case 26:
		iaprefix(pk, o, v, depth);
		break;
	case 6:
		u16_list(pk, o, F_REQ_OPT, v);
		break;
	case 8: /* hundredths of a second; Wireshark shows milliseconds */
		if (n == 2)
			nm_add_uint(pk, o, &fields[F_ELAPSED], v->pos, 2, nm_cur_be16(v) * 10u);
		break;
	case 9: /* Relay Message: a whole DHCPv6 message */
		message(pk, o, v, depth + 1);
		break;
	case 13:
		if (n >= 2)
			nm_add_uint(pk, o, &fields[F_STATUS], v->pos, 2, nm_cur_be16(v));
		break;
	case 23:
		addr_list(pk, o, F_DNS_SERVER, v);
		break;
	}
}

/* An option list filling the cursor; a length past its end stops it. */
static void options(nm_packet *pk, int t, nm_cursor *c, int depth)
{
	if (depth > MAX_NEST)
		return;
	while (nm_cur_left(c) >= 4) {
		uint32_t at = c->pos;
		uint16_t code = nm_cur_be16(c), len = nm_cur_be16(c);
		int o = nm_add_text(pk, t, at, 4u + len, "Option %u", code);
		nm_add_uint(pk, o, &fields[F_OPT_TYPE], at, 2, code);
		nm_add_uint(pk, o, &fields[F_OPT_LEN], at + 2, 2, len);
		if (!nm_cur_has(c, len)) {
			c->err = true;
			return;
		}
		nm_cursor v = nm_cur_sub(c, len);
		option_body(pk, o, code, &v, depth);
	}
	if (nm_cur_left(c))
		c->err = true;
}

static void message(nm_packet *pk, int t, nm_cursor *c, int depth)
{
	uint32_t at = c->pos;
	uint8_t type = nm_cur_u8(c);
	if (c->err || depth > MAX_NEST)
		return;
	nm_add_uint(pk, t, &fields[F_MSGTYPE], at, 1, type);
	/* A relayed message continues the relay's Info line. */
	if (depth == 0)
		nm_set_info(pk, "%s ", nm_val_label(msg_vals, type, "Unknown"));
	else
		nm_append_info(pk, "%s ", nm_val_label(msg_vals, type, "Unknown"));
	if (type == 12 || type == 13) {
		uint8_t hops = nm_cur_u8(c);
		const uint8_t *link = nm_cur_take(c, 16), *peer = nm_cur_take(c, 16);
		if (c->err)
			return;
		char s[48];
		nm_fmt_ipv6(s, sizeof s, link);
		nm_append_info(pk, "L: %s ", s);
		nm_add_uint(pk, t, &fields[F_HOPCOUNT], at + 1, 1, hops);
		nm_add_ipv6(pk, t, &fields[F_LINKADDR], at + 2, link);
		nm_add_ipv6(pk, t, &fields[F_PEERADDR], at + 18, peer);
	} else {
		uint32_t xid = nm_cur_be24(c);
		if (c->err)
			return;
		nm_append_info(pk, "XID: 0x%06x ", xid);
		nm_add_uint(pk, t, &fields[F_XID], at + 1, 3, xid);
	}
	options(pk, t, c, depth);
}

static int dissect_dhcpv6(nm_packet *pk, nm_cursor *c, int parent)
{
	int t = nm_add_proto(pk, parent, &nm_proto_dhcpv6, c->pos, nm_cur_left(c));
	message(pk, t, c, 0);
	if (c->err)
		return NM_TRUNCATED;
	c->pos = c->end;
	return NM_OK;
}

static void init_dhcpv6(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 546, &nm_proto_dhcpv6);
	nm_handoff_add(NM_TAB_UDP_PORT, 547, &nm_proto_dhcpv6);
}

nm_protocol nm_proto_dhcpv6 = {
	"dhcpv6", "DHCPv6", "DHCPv6", fields, F_COUNT, dissect_dhcpv6, init_dhcpv6, 0,
};
