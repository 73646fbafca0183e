/*
 * proto_ipv6.c - Internet Protocol version 6 (RFC 8200), its extension
 * headers (hop-by-hop, routing, fragment, destination options) and the
 * IPsec headers AH (RFC 4302) and ESP (RFC 4303, header only: the rest is
 * encrypted).
 *
 * Wireshark names each extension header as a protocol of its own
 * ("ipv6.hopopts" in frame.protocols), so each has a descriptor here; they
 * are walked in a loop rather than through the handoff table so that a
 * chain of them cannot recurse.  AH and ESP are IP protocols (IPv4 uses
 * them too) and go through the table.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_VERSION, F_TCLASS, F_DSCP, F_ECN, F_FLOW, F_PLEN, F_NXT, F_HLIM,
	F_SRC, F_DST, F_ADDR, F_SRC_HOST, F_DST_HOST, F_HOST,
	F_OPT, F_OPT_TYPE, F_OPT_ACTION, F_OPT_CHANGE, F_OPT_REST, F_OPT_LEN, F_OPT_PAD1, F_OPT_PADN,
	F_COUNT
};

#define U8 NM_FT_UINT8
#define DEC NM_BASE_DEC

static const nm_field fields[] = {
	[F_VERSION] = {"ipv6.version", "Version", U8, DEC, NULL, 0, NULL},
	[F_TCLASS] = {"ipv6.tclass", "Traffic Class", NM_FT_UINT32, NM_BASE_HEX, NULL, 0x0ff00000, NULL},
	[F_DSCP] = {"ipv6.tclass.dscp", "Differentiated Services Codepoint", NM_FT_UINT32, DEC, NULL, 0x0fc00000,
		    NULL},
	[F_ECN] = {"ipv6.tclass.ecn", "Explicit Congestion Notification", NM_FT_UINT32, DEC, NULL, 0x00300000, NULL},
	[F_FLOW] = {"ipv6.flow", "Flow Label", NM_FT_UINT24, NM_BASE_HEX, NULL, 0xfffff, NULL},
	[F_PLEN] = {"ipv6.plen", "Payload Length", NM_FT_UINT16, DEC, NULL, 0, NULL},
	[F_NXT] = {"ipv6.nxt", "Next Header", U8, DEC, NULL, 0, NULL},
	[F_HLIM] = {"ipv6.hlim", "Hop Limit", U8, DEC, NULL, 0, NULL},
	[F_SRC] = {"ipv6.src", "Source Address", NM_FT_IPv6, NM_BASE_NONE, NULL, 0, "Source IPv6 Address"},
	[F_DST] = {"ipv6.dst", "Destination Address", NM_FT_IPv6, NM_BASE_NONE, NULL, 0,
		   "Destination IPv6 Address"},
	[F_ADDR] = {"ipv6.addr", "Source or Destination Address", NM_FT_IPv6, NM_BASE_NONE, NULL, 0, NULL},
	[F_SRC_HOST] = {"ipv6.src_host", "Source Host", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST_HOST] = {"ipv6.dst_host", "Destination Host", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_HOST] = {"ipv6.host", "Source or Destination Host", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT] = {"ipv6.opt", "IPv6 Option", NM_FT_NONE, NM_BASE_NONE, NULL, 0, "Option"},
	[F_OPT_TYPE] = {"ipv6.opt.type", "Type", U8, NM_BASE_HEX, NULL, 0, "Option type"},
	[F_OPT_ACTION] = {"ipv6.opt.type.action", "Action", U8, DEC, NULL, 0xc0, NULL},
	[F_OPT_CHANGE] = {"ipv6.opt.type.change", "May Change", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x20, NULL},
	[F_OPT_REST] = {"ipv6.opt.type.rest", "Low-Order Bits", U8, NM_BASE_HEX, NULL, 0x1f, NULL},
	[F_OPT_LEN] = {"ipv6.opt.length", "Length", U8, DEC, NULL, 0, "Option length in octets"},
	[F_OPT_PAD1] = {"ipv6.opt.pad1", "Pad1", NM_FT_NONE, NM_BASE_NONE, NULL, 0, "Pad1 Option"},
	[F_OPT_PADN] = {"ipv6.opt.padn", "PadN", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "PadN Option"},
};

/* Fields of the extension headers: one small table per header protocol. */
enum { X_NXT, X_LEN, X_LEN_OCT, X_COUNT };
static const nm_field hop_fields[] = {
	[X_NXT] = {"ipv6.hopopts.nxt", "Next Header", U8, DEC, NULL, 0, NULL},
	[X_LEN] = {"ipv6.hopopts.len", "Length", U8, DEC, NULL, 0, NULL},
	[X_LEN_OCT] = {"ipv6.hopopts.len_oct", "Length", NM_FT_UINT16, DEC, NULL, 0, NULL},
};
static const nm_field dst_fields[] = {
	[X_NXT] = {"ipv6.dstopts.nxt", "Next Header", U8, DEC, NULL, 0, NULL},
	[X_LEN] = {"ipv6.dstopts.len", "Length", U8, DEC, NULL, 0, NULL},
	[X_LEN_OCT] = {"ipv6.dstopts.len_oct", "Length", NM_FT_UINT16, DEC, NULL, 0, NULL},
};
enum { R_TYPE = X_COUNT, R_SEGLEFT, R_DATA, R_COUNT };
static const nm_field rt_fields[] = {
	[X_NXT] = {"ipv6.routing.nxt", "Next Header", U8, DEC, NULL, 0, NULL},
	[X_LEN] = {"ipv6.routing.len", "Length", U8, DEC, NULL, 0, NULL},
	[X_LEN_OCT] = {"ipv6.routing.len_oct", "Length", NM_FT_UINT16, DEC, NULL, 0, NULL},
	[R_TYPE] = {"ipv6.routing.type", "Type", U8, DEC, NULL, 0, NULL},
	[R_SEGLEFT] = {"ipv6.routing.segleft", "Segments Left", U8, DEC, NULL, 0, NULL},
	[R_DATA] = {"ipv6.routing.unknown_data", "Type-Specific Data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};
enum { G_NXT, G_RES, G_OFFSET, G_RESBITS, G_MORE, G_IDENT, G_COUNT };
static const nm_field frag_fields[] = {
	[G_NXT] = {"ipv6.fraghdr.nxt", "Next header", U8, DEC, NULL, 0, NULL},
	[G_RES] = {"ipv6.fraghdr.reserved_octet", "Reserved octet", U8, NM_BASE_HEX, NULL, 0, NULL},
	[G_OFFSET] = {"ipv6.fraghdr.offset", "Offset", NM_FT_UINT16, DEC, NULL, 0xfff8, NULL},
	[G_RESBITS] = {"ipv6.fraghdr.reserved_bits", "Reserved bits", NM_FT_UINT16, DEC, NULL, 0x0006, NULL},
	[G_MORE] = {"ipv6.fraghdr.more", "More Fragments", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x0001, NULL},
	[G_IDENT] = {"ipv6.fraghdr.ident", "Identification", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
};
enum { A_NXT, A_LEN, A_RES, A_SPI, A_SEQ, A_ICV, A_COUNT };
static const nm_field ah_fields[] = {
	[A_NXT] = {"ah.next_header", "Next header", U8, DEC, NULL, 0, NULL},
	[A_LEN] = {"ah.length", "Length", U8, DEC, NULL, 0, NULL},
	[A_RES] = {"ah.reserved", "Reserved", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[A_SPI] = {"ah.spi", "AH SPI", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[A_SEQ] = {"ah.sequence", "AH Sequence", NM_FT_UINT32, DEC, NULL, 0, NULL},
	[A_ICV] = {"ah.icv", "AH ICV", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};
enum { E_SPI, E_SEQ, E_COUNT };
static const nm_field esp_fields[] = {
	[E_SPI] = {"esp.spi", "ESP SPI", NM_FT_UINT32, NM_BASE_HEX_DEC, NULL, 0, NULL},
	[E_SEQ] = {"esp.sequence", "ESP Sequence", NM_FT_UINT32, DEC, NULL, 0, NULL},
};

/* Extension headers are walked in a loop, not called through nm_call. */
static int dissect_none(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)pk, (void)c, (void)parent;
	return NM_OK;
}

nm_protocol nm_proto_ipv6_hopopts = {
	"ipv6.hopopts", "IPv6", "IPv6 Hop-by-Hop Option", hop_fields, X_COUNT, dissect_none, NULL, 0,
};
nm_protocol nm_proto_ipv6_routing = {
	"ipv6.routing", "IPv6", "Routing Header for IPv6", rt_fields, R_COUNT, dissect_none, NULL, 0,
};
nm_protocol nm_proto_ipv6_fraghdr = {
	"ipv6.fraghdr", "IPv6", "Fragment Header for IPv6", frag_fields, G_COUNT, dissect_none, NULL, 0,
};
nm_protocol nm_proto_ipv6_dstopts = {
	"ipv6.dstopts", "IPv6", "Destination Options for IPv6", dst_fields, X_COUNT, dissect_none, NULL, 0,
};

/* Record an extension header as present (frame.protocols, statistics). */
static int push_ext(nm_packet *pk, const nm_protocol *p, uint32_t at, uint32_t len)
{
	nm_path_push(pk, p->name);
	if (pk->nprotos < sizeof pk->proto_ids / sizeof pk->proto_ids[0])
		pk->proto_ids[pk->nprotos++] = (uint16_t)p->id;
	return nm_add_proto(pk, -1, p, at, len);
}

static const char *opt_name(uint8_t type)
{
	switch (type) {
	case 0x00: return "Pad1";
	case 0x01: return "PadN";
	case 0x05: return "Router Alert";
	case 0xc2: return "Jumbo Payload";
	default: return NULL;
	}
}

/* CALIPSO (RFC 5570) is decoded from the header bytes whatever its option
 * length says: 8 fixed bytes, then a bitmap of 4 * its compartment length.
 * False when that runs past the header (an exception in Wireshark). */
static bool calipso_fits(const nm_cursor *o, uint32_t data)
{
	nm_cursor k = nm_cursor_make(o->data, data, o->end);
	nm_cur_skip(&k, 4); /* DOI */
	uint8_t words = nm_cur_u8(&k);
	nm_cur_skip(&k, 3); /* sensitivity level, checksum */
	return !k.err && nm_cur_has(&k, 4u * words);
}

/* One TLV option as an ipv6.opt subtree (Pad1 has only a type); false when
 * it runs past the header, which ends the dissection there. */
static bool add_option(nm_packet *pk, int t, nm_cursor *o)
{
	uint32_t at = o->pos;
	uint8_t type = nm_cur_u8(o);
	const char *name = opt_name(type);
	if (type == 0) {
		int n = nm_add_none(pk, t, &fields[F_OPT], at, 1, "Pad1");
		nm_add_uint(pk, n, &fields[F_OPT_TYPE], at, 1, type);
		nm_add_none(pk, n, &fields[F_OPT_PAD1], at, 1, "Pad1");
		return true;
	}
	uint8_t len = nm_cur_u8(o);
	bool have_len = !o->err;
	const uint8_t *v = have_len ? nm_cur_take(o, len) : NULL;
	uint32_t shown = 2u + (v ? len : 0u);
	int n = name ? nm_add_none(pk, t, &fields[F_OPT], at, shown, "%s", name)
		     : nm_add_none(pk, t, &fields[F_OPT], at, shown, "Unknown IPv6 Option (0x%02x)", type);
	int ty = nm_add_uint(pk, n, &fields[F_OPT_TYPE], at, 1, type);
	nm_add_uint(pk, ty, &fields[F_OPT_ACTION], at, 1, type);
	nm_add_bool(pk, ty, &fields[F_OPT_CHANGE], at, 1, type);
	nm_add_uint(pk, ty, &fields[F_OPT_REST], at, 1, type);
	if (!have_len)
		return false;
	nm_add_uint(pk, n, &fields[F_OPT_LEN], at + 1, 1, len);
	if (o->err)
		return false;
	if (type == 1 && len == 0) /* tshark prints empty bytes so */
		nm_add_string(pk, n, &fields[F_OPT_PADN], at + 2, 0, "<none>");
	else if (type == 1)
		nm_add_bytes(pk, n, &fields[F_OPT_PADN], at + 2, len, v);
	return type != 0x07 || calipso_fits(o, at + 2);
}

/* The options of a hop-by-hop or destination options header; false when
 * one runs past the header. */
static bool add_options(nm_packet *pk, int t, nm_cursor *o)
{
	while (nm_cur_left(o) > 0)
		if (!add_option(pk, t, o))
			return false;
	return true;
}

typedef struct ext_state {
	uint8_t nxt;    /* next header after this one */
	bool fragment;  /* a non-first or non-last fragment: stop here */
	char info[96];
} ext_state;

/* Next header and length, each as far as the frame holds it (Wireshark
 * adds a header's fields one by one until a read fails). */
static void add_len(nm_packet *pk, int t, const nm_field *f, nm_cursor *h, uint32_t at)
{
	bool ok;
	uint8_t nxt = nm_cur_peek(h, 0, &ok);
	if (!ok)
		return;
	nm_add_uint(pk, t, &f[X_NXT], at, 1, nxt);
	uint8_t len = nm_cur_peek(h, 1, &ok);
	if (!ok)
		return;
	nm_add_uint(pk, t, &f[X_LEN], at + 1, 1, len);
	nm_add_uint(pk, t, &f[X_LEN_OCT], at + 1, 1, (len + 1u) * 8u);
}

static int ext_fragment(nm_packet *pk, nm_cursor *c, ext_state *st)
{
	uint32_t at = c->pos;
	uint8_t nxt = nm_cur_u8(c), res = nm_cur_u8(c);
	uint16_t word = nm_cur_be16(c);
	uint32_t ident = nm_cur_be32(c);
	int t = push_ext(pk, &nm_proto_ipv6_fraghdr, at, 8);
	if (c->err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &frag_fields[G_NXT], at, 1, nxt);
	nm_add_uint(pk, t, &frag_fields[G_RES], at + 1, 1, res);
	nm_add_uint(pk, t, &frag_fields[G_OFFSET], at + 2, 2, word);
	nm_add_uint(pk, t, &frag_fields[G_RESBITS], at + 2, 2, word);
	nm_add_bool(pk, t, &frag_fields[G_MORE], at + 2, 2, word);
	nm_add_uint(pk, t, &frag_fields[G_IDENT], at + 4, 4, ident);
	st->nxt = nxt;
	if ((word & 0xfff8) || (word & 1)) {
		st->fragment = true;
		snprintf(st->info, sizeof st->info, "IPv6 fragment (off=%u more=%c ident=0x%08x nxt=%u)", word & 0xfff8u,
			 word & 1 ? 'y' : 'n', ident, nxt);
	}
	return NM_OK;
}

/* Routing type and segments left, as far as the frame holds them. */
static void add_routing(nm_packet *pk, int t, nm_cursor *h, uint32_t at)
{
	bool ok;
	uint8_t type = nm_cur_peek(h, 0, &ok);
	if (ok)
		nm_add_uint(pk, t, &rt_fields[R_TYPE], at + 2, 1, type);
	uint8_t segleft = nm_cur_peek(h, 1, &ok);
	if (ok)
		nm_add_uint(pk, t, &rt_fields[R_SEGLEFT], at + 3, 1, segleft);
}

/* Hop-by-hop, destination options and routing: a length in 8-octet units.
 * A header cut by the frame end shows what it holds, then is truncated. */
static int ext_generic(nm_packet *pk, nm_cursor *c, uint8_t kind, ext_state *st)
{
	uint32_t at = c->pos;
	bool ok;
	uint8_t len = nm_cur_peek(c, 1, &ok);
	uint32_t total = ((uint32_t)len + 1u) * 8u;
	const nm_protocol *p = kind == 0 ? &nm_proto_ipv6_hopopts
			       : kind == 60 ? &nm_proto_ipv6_dstopts : &nm_proto_ipv6_routing;
	bool whole = ok && nm_cur_has(c, total);
	int t = push_ext(pk, p, at, whole ? total : nm_cur_left(c));
	nm_cursor h = nm_cur_sub(c, whole ? total : nm_cur_left(c));
	add_len(pk, t, p->fields, &h, at);
	st->nxt = nm_cur_u8(&h);
	nm_cur_skip(&h, 1);
	if (h.err)
		return NM_TRUNCATED;
	if (kind == 43)
		add_routing(pk, t, &h, at);
	else if (!add_options(pk, t, &h))
		return NM_MALFORMED;
	return whole ? NM_OK : NM_TRUNCATED;
}

static int dissect_ext_chain(nm_packet *pk, nm_cursor *c, uint8_t nxt)
{
	ext_state st = {nxt, false, ""};
	for (int n = 0; n < 16; n++) {
		int r;
		if (st.nxt == 0 || st.nxt == 43 || st.nxt == 60)
			r = ext_generic(pk, c, st.nxt, &st);
		else if (st.nxt == 44)
			r = ext_fragment(pk, c, &st);
		else
			break;
		if (r != NM_OK)
			return r;
		if (st.fragment) {
			nm_set_info(pk, "%s", st.info);
			return nm_call_data(pk, c, -1);
		}
	}
	pk->ip_plen = nm_cur_left(c) + (pk->wirelen > pk->caplen && c->end == pk->caplen ? pk->wirelen - pk->caplen : 0);
	if (st.nxt == 59) {
		nm_set_info(pk, "IPv6 no next header");
		return nm_call_data(pk, c, -1);
	}
	pk->flow.proto = st.nxt;
	return nm_ip_handoff(pk, c, st.nxt);
}

static void add_addr(nm_packet *pk, int t, int f, int host, uint32_t off, const uint8_t *a)
{
	nm_pkt_key(pk, NM_KEY_IPV6, a, 16);
	if (!pk->tree)
		return; /* the rest only adds tree nodes: spare ingest the text */
	char s[48];
	nm_fmt_ipv6(s, sizeof s, a);
	nm_add_ipv6(pk, t, &fields[f], off, a);
	nm_hide(pk, nm_add_ipv6(pk, t, &fields[F_ADDR], off, a));
	nm_hide(pk, nm_add_string(pk, t, &fields[host], off, 16, s));
	nm_hide(pk, nm_add_string(pk, t, &fields[F_HOST], off, 16, s));
}

static void set_summary(nm_packet *pk, const uint8_t *src, const uint8_t *dst, uint8_t nxt)
{
	nm_set_src_dst_fmt(pk, nm_fmt_ipv6, src, dst);
	/* a layer before this one: its transport's ports leave the flow now */
	if (pk->flow.family || pk->flow.sport || pk->flow.dport)
		nm_pkt_key_ports(pk);
	memset(&pk->flow, 0, sizeof pk->flow);
	pk->flow.family = 6;
	pk->flow.proto = nxt;
	memcpy(pk->flow.src, src, 16);
	memcpy(pk->flow.dst, dst, 16);
}

/* Whether the first hop-by-hop header (at c) holds a Jumbo Payload option:
 * only then does a payload length of 0 mean a jumbogram (RFC 2675). */
static bool hbh_has_jumbo(const nm_cursor *c)
{
	nm_cursor h = *c;
	bool ok;
	uint8_t len = nm_cur_peek(&h, 1, &ok);
	if (!ok)
		return false;
	nm_cursor o = nm_cur_sub(&h, ((uint32_t)len + 1u) * 8u);
	nm_cur_skip(&o, 2);
	while (!o.err && nm_cur_left(&o) >= 2) { /* a failed skip sets err */
		uint8_t type = nm_cur_u8(&o);
		if (type == 0xc2)
			return true;
		if (type != 0)
			nm_cur_skip(&o, nm_cur_u8(&o));
	}
	return false;
}

/* proto_ipv4.c's ip.version, looked up once at start-up (read-only after). */
static const nm_field *ip_version;

typedef struct ip6_hdr {
	uint32_t w; /* version, traffic class, flow label */
	uint16_t plen;
	uint8_t nxt, hlim;
	const uint8_t *src, *dst;
} ip6_hdr;

/* The header after its version, each field as far as the frame holds it
 * (tshark shows a cut header so); false when it is cut. */
static bool add_fixed(nm_packet *pk, int t, nm_cursor *c, uint32_t s, ip6_hdr *h)
{
	h->w = nm_cur_be32(c);
	if (c->err)
		return false;
	int tc = nm_add_uint(pk, t, &fields[F_TCLASS], s, 4, h->w);
	nm_add_uint(pk, tc, &fields[F_DSCP], s, 4, h->w);
	nm_add_uint(pk, tc, &fields[F_ECN], s, 4, h->w);
	nm_add_uint(pk, t, &fields[F_FLOW], s + 1, 3, h->w);
	h->plen = nm_cur_be16(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[F_PLEN], s + 4, 2, h->plen);
	h->nxt = nm_cur_u8(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[F_NXT], s + 6, 1, h->nxt);
	h->hlim = nm_cur_u8(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[F_HLIM], s + 7, 1, h->hlim);
	if ((h->src = nm_cur_take(c, 16)) != NULL)
		add_addr(pk, t, F_SRC, F_SRC_HOST, s + 8, h->src);
	if ((h->dst = nm_cur_take(c, 16)) != NULL)
		add_addr(pk, t, F_DST, F_DST_HOST, s + 24, h->dst);
	return !c->err;
}

static int dissect_ipv6(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	bool ok;
	uint8_t version = nm_cur_peek(c, 0, &ok) >> 4;
	int t = nm_add_proto(pk, -1, &nm_proto_ipv6, s, nm_cur_has(c, 40) ? 40 : nm_cur_left(c));
	if (!ok)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &fields[F_VERSION], s, 1, version);
	if (ip_version) /* tshark also answers "ip.version == 6" */
		nm_hide(pk, nm_add_uint(pk, t, ip_version, s, 1, version));
	if (version != 6) {
		nm_set_info(pk, "Bogus IPv6 version (%u, must be 6)", version);
		nm_cur_skip(c, nm_cur_left(c)); /* no length: the rest is not a trailer */
		return NM_MALFORMED;
	}
	ip6_hdr h;
	uint32_t avail = nm_cur_left(c);
	if (!add_fixed(pk, t, c, s, &h)) {
		if (pk->caplen >= pk->wirelen) /* not a snap-length cut */
			nm_set_info(pk, "Invalid IPv6 header (%u bytes, need exactly 40)", avail);
		return NM_TRUNCATED;
	}
	set_summary(pk, h.src, h.dst, h.nxt);
	pk->ip_ttl = h.hlim;
	/* Payload length 0 with a Jumbo Payload option is a jumbogram (RFC
	 * 2675): the frame holds the payload.  Without the option, Wireshark
	 * takes the 0 as it is. */
	bool jumbo = h.plen == 0 && h.nxt == 0 && hbh_has_jumbo(c);
	nm_cursor pl = nm_cur_sub(c, jumbo ? nm_cur_left(c) : h.plen);
	return dissect_ext_chain(pk, &pl, h.nxt);
}

static void init_ipv6(void)
{
	ip_version = nm_field_find("ip.version");
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x86dd, &nm_proto_ipv6);
}

nm_protocol nm_proto_ipv6 = {
	"ipv6", "IPv6", "Internet Protocol Version 6", fields, F_COUNT, dissect_ipv6, init_ipv6, 0,
};

/* ---- AH and ESP ---- */

static int dissect_ah(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	uint8_t nxt = nm_cur_u8(c), len = nm_cur_u8(c);
	const uint8_t *res = nm_cur_take(c, 2);
	uint32_t spi = nm_cur_be32(c), seq = nm_cur_be32(c);
	uint32_t total = ((uint32_t)len + 2u) * 4u;
	int t = nm_add_proto(pk, -1, &nm_proto_ah, s, c->err ? nm_cur_left(c) : total);
	if (c->err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &ah_fields[A_NXT], s, 1, nxt);
	nm_add_uint(pk, t, &ah_fields[A_LEN], s + 1, 1, len);
	nm_add_bytes(pk, t, &ah_fields[A_RES], s + 2, 2, res);
	nm_add_uint(pk, t, &ah_fields[A_SPI], s + 4, 4, spi);
	nm_add_uint(pk, t, &ah_fields[A_SEQ], s + 8, 4, seq);
	if (total < 12)
		return NM_MALFORMED;
	const uint8_t *icv = nm_cur_take(c, total - 12);
	if (!icv)
		return NM_TRUNCATED;
	nm_add_bytes(pk, t, &ah_fields[A_ICV], s + 12, total - 12, icv);
	nm_set_info(pk, "AH (SPI=0x%08x)", spi);
	pk->flow.proto = nxt;
	if (pk->ip_plen >= total)
		pk->ip_plen -= total;
	return nm_ip_handoff(pk, c, nxt);
}

static int dissect_esp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	uint32_t spi = nm_cur_be32(c), seq = nm_cur_be32(c);
	int t = nm_add_proto(pk, -1, &nm_proto_esp, s, nm_cur_left(c) + (c->pos - s));
	if (c->err)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &esp_fields[E_SPI], s, 4, spi);
	nm_add_uint(pk, t, &esp_fields[E_SEQ], s + 4, 4, seq);
	nm_set_info(pk, "ESP (SPI=0x%08x)", spi);
	nm_cur_skip(c, nm_cur_left(c)); /* encrypted: not ours to read */
	return NM_OK;
}

static void init_ipsec(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 50, &nm_proto_esp);
	nm_handoff_add(NM_TAB_IP_PROTO, 51, &nm_proto_ah);
}

nm_protocol nm_proto_ah = {
	"ah", "AH", "Authentication Header", ah_fields, A_COUNT, dissect_ah, init_ipsec, 0,
};
nm_protocol nm_proto_esp = {
	"esp", "ESP", "Encapsulating Security Payload", esp_fields, E_COUNT, dissect_esp, NULL, 0,
};
