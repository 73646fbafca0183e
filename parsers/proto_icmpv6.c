/*
 * proto_icmpv6.c - ICMP for IPv6 (RFC 4443) and the basics of Neighbor
 * Discovery (RFC 4861): router/neighbor solicitations and advertisements,
 * redirects, and their TLV options.
 *
 * An ND option's length counts 8-octet units and includes its own header,
 * so a length of 0 cannot advance: it is malformed and ends the options.
 * Error messages quote the offending packet, dissected as IPv6 with the
 * frame's columns saved around it (as proto_icmp.c does).
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_TYPE, F_CODE, F_CHECKSUM, F_RESERVED, F_MTU, F_POINTER, F_ECHO_ID, F_ECHO_SEQ,
	F_RA_HOPLIM, F_RA_FLAG, F_RA_LIFETIME, F_RA_REACHABLE, F_RA_RETRANS,
	F_NS_TARGET, F_NA_FLAG, F_NA_R, F_NA_S, F_NA_O, F_NA_RSV, F_NA_TARGET, F_RD_TARGET, F_RD_DST,
	F_OPT, F_OPT_TYPE, F_OPT_LEN, F_OPT_LINKADDR, F_OPT_SRC_LL, F_OPT_TGT_LL, F_DATA, F_COUNT
};

static const nm_vals type_vals[] = {
	{1, "Destination Unreachable"},
	{2, "Packet Too Big"},
	{3, "Time Exceeded"},
	{4, "Parameter Problem"},
	{128, "Echo (ping) request"},
	{129, "Echo (ping) reply"},
	{130, "Multicast Listener Query"},
	{131, "Multicast Listener Report"},
	{132, "Multicast Listener Done"},
	{133, "Router Solicitation"},
	{134, "Router Advertisement"},
	{135, "Neighbor Solicitation"},
	{136, "Neighbor Advertisement"},
	{137, "Redirect"},
	{138, "Router Renumbering"},
	{139, "Node Information Query"},
	{140, "Node Information Reply"},
	{141, "Inverse Neighbor Discovery Solicitation"},
	{142, "Inverse Neighbor Discovery Advertisement"},
	{143, "Multicast Listener Report Message v2"},
	{0, NULL},
};

static const nm_vals unreach_vals[] = {
	{0, "no route to destination"},
	{1, "Communication with destination administratively prohibited"},
	{2, "Beyond scope of source address"},
	{3, "Address unreachable"},
	{4, "Port unreachable"},
	{5, "Source address failed ingress/egress policy"},
	{6, "Reject route to destination"},
	{7, "Error in Source Routing Header"},
	{0, NULL},
};

static const nm_vals timex_vals[] = {
	{0, "hop limit exceeded in transit"},
	{1, "fragment reassembly time exceeded"},
	{0, NULL},
};

static const nm_vals param_vals[] = {
	{0, "erroneous header field encountered"},
	{1, "unrecognized Next Header type encountered"},
	{2, "unrecognized IPv6 option encountered"},
	{3, "IPv6 First Fragment has incomplete IPv6 Header Chain"},
	{0, NULL},
};

static const nm_vals opt_vals[] = {
	{1, "Source link-layer address"},
	{2, "Target link-layer address"},
	{3, "Prefix information"},
	{4, "Redirected header"},
	{5, "MTU"},
	{25, "Recursive DNS Server"},
	{31, "DNS Search List Option"},
	{0, NULL},
};

#define U8 NM_FT_UINT8
#define U16 NM_FT_UINT16
#define U32 NM_FT_UINT32
#define DEC NM_BASE_DEC
#define HEX NM_BASE_HEX
#define IP6 NM_FT_IPv6, NM_BASE_NONE, NULL, 0, NULL
#define BOOL32(name, label, mask) {name, label, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, mask, NULL}

static const nm_field fields[] = {
	[F_TYPE] = {"icmpv6.type", "Type", U8, DEC, type_vals, 0, NULL},
	[F_CODE] = {"icmpv6.code", "Code", U8, DEC, NULL, 0, NULL},
	[F_CHECKSUM] = {"icmpv6.checksum", "Checksum", U16, HEX, NULL, 0, NULL},
	[F_RESERVED] = {"icmpv6.reserved", "Reserved", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_MTU] = {"icmpv6.mtu", "MTU", U32, DEC, NULL, 0, NULL},
	[F_POINTER] = {"icmpv6.pointer", "Pointer", U32, DEC, NULL, 0, NULL},
	[F_ECHO_ID] = {"icmpv6.echo.identifier", "Identifier", U16, HEX, NULL, 0, NULL},
	[F_ECHO_SEQ] = {"icmpv6.echo.sequence_number", "Sequence", U16, DEC, NULL, 0, NULL},
	[F_RA_HOPLIM] = {"icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", U8, DEC, NULL, 0, NULL},
	[F_RA_FLAG] = {"icmpv6.nd.ra.flag", "Flags", U8, HEX, NULL, 0, NULL},
	[F_RA_LIFETIME] = {"icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", U16, DEC, NULL, 0, NULL},
	[F_RA_REACHABLE] = {"icmpv6.nd.ra.reachable_time", "Reachable time (ms)", U32, DEC, NULL, 0, NULL},
	[F_RA_RETRANS] = {"icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", U32, DEC, NULL, 0, NULL},
	[F_NS_TARGET] = {"icmpv6.nd.ns.target_address", "Target Address", IP6},
	[F_NA_FLAG] = {"icmpv6.nd.na.flag", "Flags", U32, HEX, NULL, 0, NULL},
	[F_NA_R] = BOOL32("icmpv6.nd.na.flag.r", "Router", 0x80000000),
	[F_NA_S] = BOOL32("icmpv6.nd.na.flag.s", "Solicited", 0x40000000),
	[F_NA_O] = BOOL32("icmpv6.nd.na.flag.o", "Override", 0x20000000),
	[F_NA_RSV] = {"icmpv6.nd.na.flag.rsv", "Reserved", U32, DEC, NULL, 0x1fffffff, NULL},
	[F_NA_TARGET] = {"icmpv6.nd.na.target_address", "Target Address", IP6},
	[F_RD_TARGET] = {"icmpv6.nd.rd.target_address", "Target Address", IP6},
	[F_RD_DST] = {"icmpv6.nd.rd.destination_address", "Destination Address", IP6},
	[F_OPT] = {"icmpv6.opt", "ICMPv6 Option", NM_FT_NONE, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT_TYPE] = {"icmpv6.opt.type", "Type", U8, DEC, opt_vals, 0, NULL},
	[F_OPT_LEN] = {"icmpv6.opt.length", "Length", U8, DEC, NULL, 0, NULL},
	/* FT_BYTES that tshark shows colon-separated (a MAC, usually). */
	[F_OPT_LINKADDR] = {"icmpv6.opt.linkaddr", "Link-layer address", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT_SRC_LL] = {"icmpv6.opt.src_linkaddr", "Source Link-layer address", NM_FT_BYTES, NM_BASE_NONE, NULL,
			  0, NULL},
	[F_OPT_TGT_LL] = {"icmpv6.opt.target_linkaddr", "Target Link-layer address", NM_FT_BYTES, NM_BASE_NONE,
			  NULL, 0, NULL},
	[F_DATA] = {"icmpv6.data", "Data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

static const nm_vals *code_vals(uint8_t type)
{
	switch (type) {
	case 1: return unreach_vals;
	case 3: return timex_vals;
	case 4: return param_vals;
	default: return NULL;
	}
}

/* Colon-separated hex, as tshark renders these byte fields. */
static void fmt_colon_hex(char *out, size_t n, const uint8_t *b, uint32_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < len && used + 4 < n; i++)
		used += (size_t)snprintf(out + used, n - used, i ? ":%02x" : "%02x", b[i]);
}

/* A link-layer address option; `lla` receives its text for the info. */
static void add_lla(nm_packet *pk, int o, uint8_t type, uint32_t at, const uint8_t *b, uint32_t len, char *lla,
		    size_t n)
{
	fmt_colon_hex(lla, n, b, len);
	nm_hide(pk, nm_add_string(pk, o, &fields[F_OPT_LINKADDR], at, len, lla));
	nm_add_string(pk, o, &fields[type == 1 ? F_OPT_SRC_LL : F_OPT_TGT_LL], at, len, lla);
}

/* ND options; returns false on a zero length. `lla` gets the last
 * link-layer address seen ("" if none), for the info column. */
static bool add_nd_options(nm_packet *pk, int t, nm_cursor *c, char *lla, size_t n)
{
	lla[0] = '\0';
	while (nm_cur_left(c) >= 2) {
		uint32_t at = c->pos;
		uint8_t type = nm_cur_u8(c), len = nm_cur_u8(c);
		uint32_t total = len * 8u;
		const char *name = nm_val_label(opt_vals, type, "Unknown");
		int o = nm_add_none(pk, t, &fields[F_OPT], at, total ? total : 2, "ICMPv6 Option (%s)", name);
		nm_add_uint(pk, o, &fields[F_OPT_TYPE], at, 1, type);
		nm_add_uint(pk, o, &fields[F_OPT_LEN], at + 1, 1, len);
		if (len == 0) {
			nm_add_text(pk, o, at + 1, 1, "[Invalid option length (Zero)]");
			return false;
		}
		const uint8_t *v = nm_cur_take(c, total - 2);
		if (!v)
			return true; /* cut by the capture: the caller sees c->err */
		if (type == 1 || type == 2)
			add_lla(pk, o, type, at + 2, v, len == 1 ? 6 : total - 2, lla, n);
	}
	return true;
}

static int dissect_nd(nm_packet *pk, nm_cursor *c, int t, uint8_t type, uint32_t s)
{
	const uint8_t *res = NULL, *target = NULL, *dst = NULL;
	uint32_t flags = 0;
	if (type == 134) {
		uint8_t hl = nm_cur_u8(c), fl = nm_cur_u8(c);
		uint16_t life = nm_cur_be16(c);
		uint32_t reach = nm_cur_be32(c), retrans = nm_cur_be32(c);
		if (c->err)
			return NM_TRUNCATED;
		nm_add_uint(pk, t, &fields[F_RA_HOPLIM], s + 4, 1, hl);
		nm_add_uint(pk, t, &fields[F_RA_FLAG], s + 5, 1, fl);
		nm_add_uint(pk, t, &fields[F_RA_LIFETIME], s + 6, 2, life);
		nm_add_uint(pk, t, &fields[F_RA_REACHABLE], s + 8, 4, reach);
		nm_add_uint(pk, t, &fields[F_RA_RETRANS], s + 12, 4, retrans);
	} else {
		if (type == 136)
			flags = nm_cur_be32(c);
		else
			res = nm_cur_take(c, 4);
		if (type != 133)
			target = nm_cur_take(c, 16);
		if (type == 137)
			dst = nm_cur_take(c, 16);
		if (c->err)
			return NM_TRUNCATED;
		if (res)
			nm_add_bytes(pk, t, &fields[F_RESERVED], s + 4, 4, res);
		if (type == 136) {
			int f = nm_add_uint(pk, t, &fields[F_NA_FLAG], s + 4, 4, flags);
			nm_add_bool(pk, f, &fields[F_NA_R], s + 4, 4, flags);
			nm_add_bool(pk, f, &fields[F_NA_S], s + 4, 4, flags);
			nm_add_bool(pk, f, &fields[F_NA_O], s + 4, 4, flags);
			nm_add_uint(pk, f, &fields[F_NA_RSV], s + 4, 4, flags);
		}
		if (target)
			nm_add_ipv6(pk, t, &fields[type == 135 ? F_NS_TARGET : type == 136 ? F_NA_TARGET : F_RD_TARGET],
				    s + 8, target);
		if (dst)
			nm_add_ipv6(pk, t, &fields[F_RD_DST], s + 24, dst);
	}
	char lla[64], tgt[48] = "";
	bool ok = add_nd_options(pk, t, c, lla, sizeof lla);
	if (target)
		nm_fmt_ipv6(tgt, sizeof tgt, target);
	if (type == 135)
		nm_append_info(pk, " for %s", tgt);
	if (type == 136) {
		nm_append_info(pk, " %s", tgt);
		if (flags & 0xe0000000u)
			nm_append_info(pk, " (%s%s%s%s%s)", flags & 0x80000000u ? "rtr" : "",
				       (flags & 0x80000000u) && (flags & 0x60000000u) ? ", " : "",
				       flags & 0x40000000u ? "sol" : "",
				       (flags & 0x40000000u) && (flags & 0x20000000u) ? ", " : "",
				       flags & 0x20000000u ? "ovr" : "");
		if (lla[0])
			nm_append_info(pk, " is at %s", lla);
	} else if (lla[0]) {
		nm_append_info(pk, " from %s", lla);
	}
	if (c->err)
		return NM_TRUNCATED;
	return ok ? NM_OK : NM_MALFORMED;
}

/* As proto_icmp.c: keep the frame's columns, flow and marks. */
static void dissect_quote(nm_packet *pk, nm_cursor *c)
{
	char src[NM_SUMMARY_ADDR], dst[NM_SUMMARY_ADDR], info[NM_SUMMARY_INFO];
	memcpy(src, pk->src, sizeof src);
	memcpy(dst, pk->dst, sizeof dst);
	memcpy(info, pk->info, sizeof info);
	const char *protocol = pk->protocol;
	uint32_t flags = pk->flags, plen = pk->ip_plen;
	nm_flow_key flow = pk->flow;
	uint8_t ttl = pk->ip_ttl;
	nm_call(&nm_proto_ipv6, pk, c, -1);
	nm_pkt_key_ports(pk); /* the quoted transport's, before the flow goes back */
	memcpy(pk->src, src, sizeof src);
	memcpy(pk->dst, dst, sizeof dst);
	memcpy(pk->info, info, sizeof info);
	pk->protocol = protocol, pk->flags = flags, pk->ip_plen = plen, pk->flow = flow, pk->ip_ttl = ttl;
}

/* A type Wireshark has no decoder for (0, 5-127, 162-255): the rest of
 * the message is icmpv6.data, and an empty rest is an exception there. */
static int add_unknown_data(nm_packet *pk, nm_cursor *c, int t)
{
	uint32_t n = nm_cur_left(c);
	if (n == 0)
		return pk->caplen < pk->wirelen ? NM_TRUNCATED : NM_MALFORMED;
	nm_add_bytes(pk, t, &fields[F_DATA], c->pos, n, nm_cur_take(c, n));
	return NM_OK;
}

static int dissect_body(nm_packet *pk, nm_cursor *c, int t, uint8_t type, uint32_t s)
{
	if (type >= 1 && type <= 4) {
		const uint8_t *b = nm_cur_take(c, 4);
		if (!b)
			return NM_TRUNCATED;
		uint32_t w = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		if (type == 2)
			nm_add_uint(pk, t, &fields[F_MTU], s + 4, 4, w);
		else if (type == 4)
			nm_add_uint(pk, t, &fields[F_POINTER], s + 4, 4, w);
		else
			nm_add_bytes(pk, t, &fields[F_RESERVED], s + 4, 4, b);
		if (nm_cur_left(c))
			dissect_quote(pk, c);
		return NM_OK;
	}
	if (type == 128 || type == 129) {
		uint16_t id = nm_cur_be16(c), seq = nm_cur_be16(c);
		if (c->err)
			return NM_TRUNCATED;
		nm_add_uint(pk, t, &fields[F_ECHO_ID], s + 4, 2, id);
		nm_add_uint(pk, t, &fields[F_ECHO_SEQ], s + 6, 2, seq);
		nm_append_info(pk, " id=0x%04x, seq=%u, hop limit=%u", id, seq, pk->ip_ttl);
		return nm_call_data(pk, c, -1); /* echo data is "data", not icmpv6.data */
	}
	if (type >= 133 && type <= 137)
		return dissect_nd(pk, c, t, type, s);
	if (type < 128 || type > 161)
		return add_unknown_data(pk, c, t);
	return nm_call_data(pk, c, -1); /* types Wireshark decodes and we do not */
}

static int dissect_icmpv6(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	uint8_t type = nm_cur_u8(c), code = nm_cur_u8(c);
	uint16_t sum = nm_cur_be16(c);
	int t = nm_add_proto(pk, -1, &nm_proto_icmpv6, s, nm_cur_left(c) + (c->pos - s));
	if (c->err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &fields[F_TYPE], s, 1, type);
	nm_add_uint(pk, t, &fields[F_CODE], s + 1, 1, code);
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 2, 2, sum);
	char unknown[32];
	snprintf(unknown, sizeof unknown, "Unknown (%u)", type);
	nm_set_info(pk, "%s", nm_val_label(type_vals, type, unknown));
	const char *cname = nm_val_label(code_vals(type), code, NULL);
	if (cname)
		nm_append_info(pk, " (%s)", cname);
	return dissect_body(pk, c, t, type, s);
}

static void init_icmpv6(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 58, &nm_proto_icmpv6);
}

nm_protocol nm_proto_icmpv6 = {
	"icmpv6", "ICMPv6", "Internet Control Message Protocol v6", fields, F_COUNT, dissect_icmpv6, init_icmpv6, 0,
};
