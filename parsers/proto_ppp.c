/*
 * proto_ppp.c - PPP (RFC 1661) framing and the two control protocols seen
 * most, LCP and IPCP (their header and echo data; options are not parsed).
 *
 * PPP arrives bare (LINKTYPE_PPP 9, PPP-in-HDLC 50, GRE 0x880b, PPPoE
 * session): an optional 0xff 0x03 address/control pair, then a 1- or
 * 2-byte protocol number.  As Wireshark does, a leading 0xff means the
 * address and control bytes are present (whatever the control byte is), and
 * a protocol whose first byte is odd is the compressed 1-byte form.  The
 * protocol number is PPP's own namespace, so it is mapped here rather than
 * through the ethertype table.
 */
#include "protos.h"

enum {
	F_ADDRESS,
	F_CONTROL,
	F_PROTOCOL,
	F_CODE,
	F_IDENT,
	F_LENGTH,
	F_COUNT
};

static const nm_vals proto_vals[] = {
	{0x0021, "Internet Protocol version 4"},
	{0x0057, "Internet Protocol version 6"},
	{0x0281, "MPLS Unicast"},
	{0x0283, "MPLS Multicast"},
	{0x8021, "Internet Protocol Control Protocol"},
	{0x8057, "IPv6 Control Protocol"},
	{0xc021, "Link Control Protocol"},
	{0xc023, "Password Authentication Protocol"},
	{0xc223, "Challenge Handshake Authentication Protocol"},
	{0, NULL},
};

static const nm_vals code_vals[] = {
	{1, "Configuration Request"},
	{2, "Configuration Ack"},
	{3, "Configuration Nak"},
	{4, "Configuration Reject"},
	{5, "Termination Request"},
	{6, "Termination Ack"},
	{7, "Code Reject"},
	{8, "Protocol Reject"},
	{9, "Echo Request"},
	{10, "Echo Reply"},
	{11, "Discard Request"},
	{12, "Identification"},
	{13, "Time Remaining"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_ADDRESS] = {"ppp.address", "Address", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_CONTROL] = {"ppp.control", "Control", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_PROTOCOL] = {"ppp.protocol", "Protocol", NM_FT_UINT16, NM_BASE_HEX, proto_vals, 0, NULL},
	[F_CODE] = {"ppp.code", "Code", NM_FT_UINT8, NM_BASE_DEC, code_vals, 0, NULL},
	[F_IDENT] = {"ppp.identifier", "Identifier", NM_FT_UINT8, NM_BASE_DEC_HEX, NULL, 0, NULL},
	[F_LENGTH] = {"ppp.length", "Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
};

/* LCP's echo and discard messages carry a magic number and data. */
enum { L_MAGIC, L_DATA, L_COUNT };

static const nm_field lcp_fields[] = {
	[L_MAGIC] = {"lcp.magic_number", "Magic Number", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[L_DATA] = {"lcp.data", "Data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

/* Hand the payload on by PPP protocol number; unknown ones are data. */
static int ppp_handoff(nm_packet *pk, nm_cursor *c, uint16_t proto)
{
	switch (proto) {
	case 0x0021:
		return nm_call(&nm_proto_ip, pk, c, -1);
	case 0x0057:
		return nm_call(&nm_proto_ipv6, pk, c, -1);
	case 0x0281:
	case 0x0283:
		return nm_call(&nm_proto_mpls, pk, c, -1);
	case 0xc021:
		return nm_call(&nm_proto_lcp, pk, c, -1);
	case 0x8021:
		return nm_call(&nm_proto_ipcp, pk, c, -1);
	default:
		return nm_call_data(pk, c, -1);
	}
}

static int dissect_ppp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	bool ok;
	bool hdlc = nm_cur_peek(c, 0, &ok) == 0xff && ok;
	uint8_t addr = 0, ctrl = 0;
	if (hdlc) {
		addr = nm_cur_u8(c);
		ctrl = nm_cur_u8(c);
	}
	uint32_t poff = c->pos;
	uint16_t proto = nm_cur_u8(c);
	uint32_t plen = 1;
	if (!(proto & 1))
		proto = (uint16_t)(proto << 8 | nm_cur_u8(c)), plen = 2;
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_ppp, start, c->pos - start);
	if (hdlc) {
		nm_add_uint(pk, t, &fields[F_ADDRESS], start, 1, addr);
		nm_add_uint(pk, t, &fields[F_CONTROL], start + 1, 1, ctrl);
	}
	nm_add_uint(pk, t, &fields[F_PROTOCOL], poff, plen, proto);
	return ppp_handoff(pk, c, proto);
}

/* LCP and IPCP share a header: code, identifier, length (RFC 1661 5). */
static int dissect_cp(nm_packet *pk, nm_cursor *c, const nm_protocol *p)
{
	uint32_t start = c->pos;
	uint8_t code = nm_cur_u8(c), ident = nm_cur_u8(c);
	uint16_t len = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, p, start, nm_cur_left(c) + 4);
	nm_add_uint(pk, t, &fields[F_CODE], start, 1, code);
	nm_add_uint(pk, t, &fields[F_IDENT], start + 1, 1, ident);
	nm_add_uint(pk, t, &fields[F_LENGTH], start + 2, 2, len);
	nm_set_info(pk, "%s", nm_val_label(code_vals, code, "Unknown"));
	if (len < 4)
		return NM_MALFORMED;
	nm_cursor body = nm_cur_sub(c, len - 4u);
	bool echo = p == &nm_proto_lcp && code >= 9 && code <= 11;
	if (!echo)
		return nm_cur_has(&body, len - 4u) ? NM_OK : NM_TRUNCATED;
	uint32_t moff = body.pos;
	uint32_t magic = nm_cur_be32(&body);
	if (body.err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &lcp_fields[L_MAGIC], moff, 4, magic);
	uint32_t n = nm_cur_left(&body);
	if (n)
		nm_add_bytes(pk, t, &lcp_fields[L_DATA], body.pos, n, nm_cur_take(&body, n));
	return body.end - start == len ? NM_OK : NM_TRUNCATED;
}

static int dissect_lcp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	return dissect_cp(pk, c, &nm_proto_lcp);
}

static int dissect_ipcp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	return dissect_cp(pk, c, &nm_proto_ipcp);
}

static void init_ppp(void)
{
	nm_handoff_add(NM_TAB_LINKTYPE, 9, &nm_proto_ppp);   /* LINKTYPE_PPP */
	nm_handoff_add(NM_TAB_LINKTYPE, 50, &nm_proto_ppp);  /* LINKTYPE_PPP_HDLC */
	/* 0x880b is GRE's protocol type for PPP (PPTP), which proto_gre.c
	 * hands over itself: Wireshark registers it in "gre.proto" only, so on
	 * Ethernet that type is unknown (data). */
}

nm_protocol nm_proto_ppp = {
	"ppp", "PPP", "Point-to-Point Protocol", fields, F_COUNT, dissect_ppp, init_ppp, 0,
};

/* The control protocols' header fields are PPP's (ppp.code ...), as in
 * Wireshark; only LCP's echo fields are its own. */
nm_protocol nm_proto_lcp = {
	"lcp", "PPP LCP", "PPP Link Control Protocol", lcp_fields, L_COUNT, dissect_lcp, NULL, 0,
};

nm_protocol nm_proto_ipcp = {
	"ipcp", "PPP IPCP", "PPP IP Control Protocol", NULL, 0, dissect_ipcp, NULL, 0,
};
