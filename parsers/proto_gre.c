/*
 * proto_gre.c - Generic Routing Encapsulation (RFC 1701/2784/2890, and the
 * PPTP "enhanced GRE" version 1 of RFC 2637) on IP protocol 47.
 *
 * The flags word says which optional fields follow: checksum and offset (C
 * or R), key (K), sequence number (S), acknowledgment (version 1, A) and a
 * source-route list (R).  In version 1 the key word is a payload length and
 * a call id.  The protocol type is an ethertype; Wireshark looks it up in
 * its own table without the "ethertype" step of an Ethernet frame, hence
 * paths like "ip:gre:ip".  0x6558 (transparent Ethernet bridging) carries
 * a whole Ethernet frame; it is registered here for GRE, Geneve and
 * Ethernet alike.
 */
#include "protos.h"

enum {
	F_FLAGS,
	F_CKSUM_BIT,
	F_ROUTING_BIT,
	F_KEY_BIT,
	F_SEQ_BIT,
	F_SSR_BIT,
	F_RECUR,
	F_ACK_BIT,
	F_RESERVED,
	F_VERSION,
	F_PROTO,
	F_CHECKSUM,
	F_OFFSET,
	F_KEY,
	F_KEY_PLEN,
	F_KEY_CALLID,
	F_SEQ,
	F_ACK,
	F_SRE_AF,
	F_SRE_OFFSET,
	F_SRE_LENGTH,
	F_WCCP_DYN,
	F_WCCP_ALT_USED,
	F_WCCP_VALID,
	F_WCCP_SERVICE,
	F_WCCP_ALT,
	F_WCCP_PRIMARY,
	F_COUNT
};

static const nm_vals version_vals[] = {
	{0, "GRE"},
	{1, "Enhanced GRE"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_FLAGS] = {"gre.flags_and_version", "Flags and Version", NM_FT_UINT16, NM_BASE_HEX, NULL, 0,
		     "The GRE flags are encoded in the first two octets"},
	[F_CKSUM_BIT] = {"gre.flags.checksum", "Checksum Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8000, NULL},
	[F_ROUTING_BIT] = {"gre.flags.routing", "Routing Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x4000, NULL},
	[F_KEY_BIT] = {"gre.flags.key", "Key Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x2000, NULL},
	[F_SEQ_BIT] = {"gre.flags.sequence_number", "Sequence Number Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL,
		       0x1000, NULL},
	[F_SSR_BIT] = {"gre.flags.strict_source_route", "Strict Source Route Bit", NM_FT_BOOLEAN, NM_BASE_NONE,
		       NULL, 0x800, NULL},
	[F_RECUR] = {"gre.flags.recursion_control", "Recursion control", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x700,
		     NULL},
	[F_ACK_BIT] = {"gre.flags.ack", "Acknowledgment", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x80, NULL},
	[F_RESERVED] = {"gre.flags.reserved", "Flags (Reserved)", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xf8, NULL},
	[F_VERSION] = {"gre.flags.version", "Version", NM_FT_UINT16, NM_BASE_DEC, version_vals, 0x7, NULL},
	[F_PROTO] = {"gre.proto", "Protocol Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0,
		     "The protocol that is GRE encapsulated"},
	[F_CHECKSUM] = {"gre.checksum", "Checksum", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_OFFSET] = {"gre.offset", "Offset", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_KEY] = {"gre.key", "Key", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[F_KEY_PLEN] = {"gre.key.payload_length", "Payload Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_KEY_CALLID] = {"gre.key.call_id", "Call ID", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_SEQ] = {"gre.sequence_number", "Sequence Number", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_ACK] = {"gre.ack_number", "Acknowledgment Number", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_SRE_AF] = {"gre.routing.address_family", "Address Family", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_SRE_OFFSET] = {"gre.routing.sre_offset", "SRE Offset", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_SRE_LENGTH] = {"gre.routing.src_length", "SRE Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_WCCP_DYN] = {"gre.wccp.dynamic_service", "Dynamic Service", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x1,
			NULL},
	[F_WCCP_ALT_USED] = {"gre.wccp.alternative_bucket_used", "Alternative bucket used", NM_FT_BOOLEAN,
			     NM_BASE_NONE, NULL, 0x2, NULL},
	[F_WCCP_VALID] = {"gre.wccp.redirect_header_valid", "WCCP Redirect header is valid", NM_FT_BOOLEAN,
			  NM_BASE_NONE, NULL, 0x4, NULL},
	[F_WCCP_SERVICE] = {"gre.wccp.service_id", "Service ID", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
			    "Service Group identifier"},
	[F_WCCP_ALT] = {"gre.wccp.alternative_bucket", "Alternative Bucket", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
			NULL},
	[F_WCCP_PRIMARY] = {"gre.wccp.primary_bucket", "Primary Bucket", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
			    NULL},
};

enum { GRE_C = 0x8000, GRE_R = 0x4000, GRE_K = 0x2000, GRE_S = 0x1000, GRE_A = 0x0080 };

static void add_flags(nm_packet *pk, int t, uint32_t off, uint16_t fv)
{
	int n = nm_add_uint(pk, t, &fields[F_FLAGS], off, 2, fv);
	for (int f = F_CKSUM_BIT; f <= F_VERSION; f++) {
		if (f == F_ACK_BIT && (fv & 7) != 1)
			continue; /* only enhanced GRE has the A bit */
		if (fields[f].type == NM_FT_BOOLEAN)
			nm_add_bool(pk, n, &fields[f], off, 2, fv);
		else
			nm_add_uint(pk, n, &fields[f], off, 2, fv);
	}
}

static void add_u32(nm_packet *pk, int t, int f, nm_cursor *c)
{
	uint32_t off = c->pos, v = nm_cur_be32(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[f], off, 4, v);
}

/* The source route entries, up to the null SRE (family 0, length 0). */
static void routing(nm_packet *pk, int t, nm_cursor *c)
{
	while (!c->err) {
		uint32_t off = c->pos;
		uint16_t af = nm_cur_be16(c);
		uint8_t sre_off = nm_cur_u8(c), len = nm_cur_u8(c);
		if (c->err)
			return;
		nm_add_uint(pk, t, &fields[F_SRE_AF], off, 2, af);
		nm_add_uint(pk, t, &fields[F_SRE_OFFSET], off + 2, 1, sre_off);
		nm_add_uint(pk, t, &fields[F_SRE_LENGTH], off + 3, 1, len);
		if (af == 0 && len == 0)
			return;
		nm_cur_skip(c, len);
	}
}

static void optional_fields(nm_packet *pk, int t, nm_cursor *c, uint16_t fv)
{
	uint32_t off = c->pos;
	if (fv & (GRE_C | GRE_R)) {
		uint16_t ck = nm_cur_be16(c), ofs = nm_cur_be16(c);
		if (!c->err) {
			nm_add_uint(pk, t, &fields[F_CHECKSUM], off, 2, ck);
			nm_add_uint(pk, t, &fields[F_OFFSET], off + 2, 2, ofs);
		}
	}
	if ((fv & GRE_K) && (fv & 7) == 1) {
		off = c->pos;
		uint16_t plen = nm_cur_be16(c), call = nm_cur_be16(c);
		if (!c->err) {
			nm_add_uint(pk, t, &fields[F_KEY_PLEN], off, 2, plen);
			nm_add_uint(pk, t, &fields[F_KEY_CALLID], off + 2, 2, call);
		}
	} else if (fv & GRE_K) {
		add_u32(pk, t, F_KEY, c);
	}
	if (fv & GRE_S)
		add_u32(pk, t, F_SEQ, c);
	if ((fv & GRE_A) && (fv & 7) == 1)
		add_u32(pk, t, F_ACK, c);
	if (fv & GRE_R)
		routing(pk, t, c);
}

/*
 * WCCP (type 0x883e) puts a 4-byte redirect header before the IP packet,
 * unless the payload already starts like IPv4 (WCCPv1 has no header).
 */
static int wccp(nm_packet *pk, int t, nm_cursor *c)
{
	bool ok;
	if (nm_cur_peek(c, 0, &ok) >> 4 != 4 || !ok) {
		uint32_t off = c->pos;
		uint8_t fl = nm_cur_u8(c), svc = nm_cur_u8(c), alt = nm_cur_u8(c), pri = nm_cur_u8(c);
		if (c->err)
			return NM_TRUNCATED;
		int h = nm_add_text(pk, t, off, 4, "Redirect Header");
		for (int f = F_WCCP_DYN; f <= F_WCCP_VALID; f++)
			nm_add_bool(pk, h, &fields[f], off, 1, fl);
		nm_add_uint(pk, h, &fields[F_WCCP_SERVICE], off + 1, 1, svc);
		nm_add_uint(pk, h, &fields[F_WCCP_ALT], off + 2, 1, alt);
		nm_add_uint(pk, h, &fields[F_WCCP_PRIMARY], off + 3, 1, pri);
	}
	return nm_call(&nm_proto_ip, pk, c, -1);
}

static int dissect_gre(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint16_t fv = nm_cur_be16(c), proto = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_gre, start, 4);
	add_flags(pk, t, start, fv);
	nm_add_uint(pk, t, &fields[F_PROTO], start + 2, 2, proto);
	optional_fields(pk, t, c, fv);
	if (c->err)
		return NM_TRUNCATED;
	if (nm_cur_left(c) == 0)
		return NM_OK; /* a keepalive, or a header with nothing inside */
	if (proto == 0x88be || proto == 0x22eb) /* ERSPAN: type I has no seq */
		return nm_call(proto == 0x88be && !(fv & GRE_S) ? &nm_proto_erspan_i : &nm_proto_erspan, pk, c, -1);
	if (proto == 0x883e)
		return wccp(pk, t, c);
	if (proto == 0x8909)
		return nm_call(&nm_proto_cmd, pk, c, -1);
	if (proto == 0x880b) /* PPTP's PPP: a GRE type only, not an ethertype */
		return nm_call(&nm_proto_ppp, pk, c, -1);
	int r = NM_OK;
	if (!nm_call_table(NM_TAB_ETHERTYPE, proto, pk, c, -1, &r))
		r = nm_call_data(pk, c, -1);
	return r;
}

static void init_gre(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 47, &nm_proto_gre);
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x6558, &nm_proto_eth);
}

nm_protocol nm_proto_gre = {
	"gre", "GRE", "Generic Routing Encapsulation", fields, F_COUNT, dissect_gre, init_gre, 0,
};
