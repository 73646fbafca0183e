/*
 * proto_ipv4.c - Internet Protocol version 4 (RFC 791), and the IP-protocol
 * handoff shared with IPv6 and AH.
 *
 * The payload is bounded by ip.len, so bytes after it (Ethernet padding)
 * stay with the link layer.  UDP fragments are offered to pk->defrag
 * (capture/reasm.c): the frame whose fragment completes the datagram
 * dissects the whole payload, as Wireshark's frame does; other fragments,
 * and every fragment without a reassembler, show as data ("Fragmented IP
 * protocol"), except a first UDP fragment that was not wholly captured,
 * which Wireshark does not try to reassemble but dissects as it is.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_VERSION,
	F_HDR_LEN,
	F_DSFIELD,
	F_DSCP,
	F_ECN,
	F_LEN,
	F_ID,
	F_FLAGS,
	F_RB,
	F_DF,
	F_MF,
	F_FRAG_OFFSET,
	F_TTL,
	F_PROTO,
	F_CHECKSUM,
	F_SRC,
	F_DST,
	F_ADDR,
	F_SRC_HOST,
	F_DST_HOST,
	F_HOST,
	F_OPT_TYPE,
	F_OPT_COPY,
	F_OPT_CLASS,
	F_OPT_NUMBER,
	F_OPT_LEN,
	F_FRAGMENTS,
	F_FRAGMENT,
	F_FRAGMENT_COUNT,
	F_REASM_IN,
	F_REASM_LEN,
	F_REASM_DATA,
	F_COUNT
};

static const nm_vals dscp_vals[] = {
	{0, "Default"}, {8, "CS1"},   {10, "AF11"}, {12, "AF12"}, {14, "AF13"}, {16, "CS2"},
	{18, "AF21"},   {20, "AF22"}, {22, "AF23"}, {24, "CS3"},  {26, "AF31"}, {28, "AF32"},
	{30, "AF33"},   {32, "CS4"},  {34, "AF41"}, {36, "AF42"}, {38, "AF43"}, {40, "CS5"},
	{44, "VA"},     {46, "EF"},   {48, "CS6"},  {56, "CS7"},  {0, NULL},
};

static const nm_vals ecn_vals[] = {
	{0, "Not ECN-Capable Transport"},
	{1, "ECN-Capable Transport codepoint '01'"},
	{2, "ECN-Capable Transport codepoint '10'"},
	{3, "Congestion Experienced"},
	{0, NULL},
};

/* Wireshark's short names for IP protocol numbers (its ipproto_val). */
static const nm_vals proto_vals[] = {
	{0, "IPv6 Hop-by-Hop Option"},
	{1, "ICMP"},
	{2, "IGMP"},
	{4, "IPIP"},
	{6, "TCP"},
	{8, "EGP"},
	{9, "IGRP"},
	{17, "UDP"},
	{41, "IPv6"},
	{43, "IPv6 Routing"},
	{44, "IPv6 Fragment"},
	{46, "RSVP"},
	{47, "GRE"},
	{50, "ESP"},
	{51, "AH"},
	{58, "ICMPv6"},
	{59, "IPv6 No Next Header"},
	{60, "IPv6 Destination Options"},
	{88, "EIGRP"},
	{89, "OSPF IGP"},
	{97, "Ethernet"},
	{103, "PIM"},
	{112, "VRRP"},
	{115, "L2TP"},
	{132, "SCTP"},
	{135, "Mobility Header"},
	{137, "MPLS in IP"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_VERSION] = {"ip.version", "Version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_HDR_LEN] = {"ip.hdr_len", "Header Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
		       "Header length in 32-bit words"},
	[F_DSFIELD] = {"ip.dsfield", "Differentiated Services Field", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_DSCP] = {"ip.dsfield.dscp", "Differentiated Services Codepoint", NM_FT_UINT8, NM_BASE_DEC, dscp_vals,
		    0xfc, NULL},
	[F_ECN] = {"ip.dsfield.ecn", "Explicit Congestion Notification", NM_FT_UINT8, NM_BASE_DEC, ecn_vals, 0x03,
		   NULL},
	[F_LEN] = {"ip.len", "Total Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_ID] = {"ip.id", "Identification", NM_FT_UINT16, NM_BASE_HEX_DEC, NULL, 0, NULL},
	[F_FLAGS] = {"ip.flags", "Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0xe0, "Flags (3 bits)"},
	[F_RB] = {"ip.flags.rb", "Reserved bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x80, NULL},
	[F_DF] = {"ip.flags.df", "Don't fragment", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x40, NULL},
	[F_MF] = {"ip.flags.mf", "More fragments", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x20, NULL},
	[F_FRAG_OFFSET] = {"ip.frag_offset", "Fragment Offset", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x1fff,
			   "Fragment offset (13 bits)"},
	[F_TTL] = {"ip.ttl", "Time to Live", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_PROTO] = {"ip.proto", "Protocol", NM_FT_UINT8, NM_BASE_DEC, proto_vals, 0, NULL},
	[F_CHECKSUM] = {"ip.checksum", "Header Checksum", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_SRC] = {"ip.src", "Source Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST] = {"ip.dst", "Destination Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_ADDR] = {"ip.addr", "Source or Destination Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_SRC_HOST] = {"ip.src_host", "Source Host", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_DST_HOST] = {"ip.dst_host", "Destination Host", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_HOST] = {"ip.host", "Source or Destination Host", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT_TYPE] = {"ip.opt.type", "Type", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_OPT_COPY] = {"ip.opt.type.copy", "Copy on fragmentation", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x80, NULL},
	[F_OPT_CLASS] = {"ip.opt.type.class", "Class", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x60, NULL},
	[F_OPT_NUMBER] = {"ip.opt.type.number", "Number", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x1f, NULL},
	[F_OPT_LEN] = {"ip.opt.len", "Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_FRAGMENTS] = NM_F_BYTES("ip.fragments", "IPv4 Fragments"),
	[F_FRAGMENT] = NM_F_NUM("ip.fragment", "IPv4 Fragment", NM_FT_FRAMENUM, NM_BASE_NONE),
	[F_FRAGMENT_COUNT] = NM_F_NUM("ip.fragment.count", "Fragment count", NM_FT_UINT32, NM_BASE_DEC),
	[F_REASM_IN] = NM_F_NUM("ip.reassembled_in", "Reassembled IPv4 in frame", NM_FT_FRAMENUM, NM_BASE_NONE),
	[F_REASM_LEN] = NM_F_NUM("ip.reassembled.length", "Reassembled IPv4 length", NM_FT_UINT32, NM_BASE_DEC),
	[F_REASM_DATA] = NM_F_BYTES("ip.reassembled.data", "Reassembled IPv4 data"),
};

const char *nm_ipproto_name(uint8_t proto)
{
	return nm_val_label(proto_vals, proto, NULL);
}

int nm_ip_handoff(nm_packet *pk, nm_cursor *c, uint8_t proto)
{
	int r = NM_OK;
	if (!nm_call_table(NM_TAB_IP_PROTO, proto, pk, c, -1, &r)) {
		const char *name = nm_ipproto_name(proto);
		nm_set_info(pk, "%s%s (%u)", pk->flow.family == 6 ? "Unknown IP Protocol: " : "",
			    name ? name : "Unknown", proto);
		r = nm_call_data(pk, c, -1);
	}
	return r;
}

/* Add an address with its hidden ip.addr / host copies, as Wireshark does. */
static void add_addr(nm_packet *pk, int t, int f, int host, uint32_t off, const uint8_t *a)
{
	nm_pkt_key(pk, NM_KEY_IPV4, a, 4);
	char s[16];
	nm_fmt_ipv4(s, sizeof s, a);
	nm_add_ipv4(pk, t, &fields[f], off, a);
	nm_hide(pk, nm_add_ipv4(pk, t, &fields[F_ADDR], off, a));
	nm_hide(pk, nm_add_string(pk, t, &fields[host], off, 4, s));
	nm_hide(pk, nm_add_string(pk, t, &fields[F_HOST], off, 4, s));
}

/* The option types Wireshark decodes, and how many bytes its decoder of
 * each reads: a shorter option shows its type and length, then the read
 * past its end is an exception that ends the whole IPv4 dissection (so the
 * payload is not dissected).  Other types show no fields, only their size. */
typedef struct opt_kind {
	uint8_t type, need;
} opt_kind;

static const opt_kind known_opts[] = {
	{130, 3},  /* Security */
	{131, 3},  /* Loose Source Route */
	{68, 4},   /* Time Stamp */
	{133, 3},  /* Extended Security */
	{134, 6},  /* Commercial Security (CIPSO): its DOI; tags not checked */
	{7, 3},    /* Record Route */
	{136, 4},  /* Stream ID */
	{137, 3},  /* Strict Source Route */
	{11, 4},   /* MTU Probe */
	{12, 4},   /* MTU Reply */
	{82, 12},  /* Traceroute */
	{148, 4},  /* Router Alert */
	{149, 2},  /* Selective Directed Broadcast */
	{25, 8},   /* Quick-Start */
};

static const opt_kind *known_opt(uint8_t type)
{
	for (size_t i = 0; i < sizeof known_opts / sizeof known_opts[0]; i++)
		if (known_opts[i].type == type)
			return &known_opts[i];
	return NULL;
}

/* The option type byte and its copy/class/number bits (EOL and NOP too). */
static void add_opt_type(nm_packet *pk, int o, uint32_t at, uint8_t type)
{
	int ty = nm_add_uint(pk, o, &fields[F_OPT_TYPE], at, 1, type);
	nm_add_bool(pk, ty, &fields[F_OPT_COPY], at, 1, type);
	nm_add_uint(pk, ty, &fields[F_OPT_CLASS], at, 1, type);
	nm_add_uint(pk, ty, &fields[F_OPT_NUMBER], at, 1, type);
}

enum { OPT_NEXT, OPT_STOP, OPT_BAD };

/* A known option with a length: its fields, or OPT_BAD when it is too
 * short for its decoder (Quick-Start reads its function first). */
static int add_known(nm_packet *pk, int t, uint32_t at, uint8_t type, uint8_t len, const opt_kind *k)
{
	if (type == 25 && len < 3) {
		nm_add_text(pk, t, at, len, "[Malformed IP Option: Quick-Start]");
		return OPT_BAD;
	}
	int o = nm_add_text(pk, t, at, len, "IP Option - type %u", type);
	add_opt_type(pk, o, at, type);
	nm_add_uint(pk, o, &fields[F_OPT_LEN], at + 1, 1, len);
	if (len >= k->need)
		return OPT_NEXT;
	nm_add_text(pk, o, at, len, "[Malformed IP Option: length %u, its fields need %u]", len, k->need);
	return OPT_BAD;
}

/* One option, the cursor moved past it.  OPT_STOP when the rest of the
 * options cannot be delimited (Wireshark then shows only a warning). */
static int add_option(nm_packet *pk, int t, nm_cursor *opt)
{
	uint32_t at = opt->pos;
	uint8_t type = nm_cur_u8(opt);
	if (type == 0 || type == 1) {
		int o = nm_add_text(pk, t, at, 1, type ? "IP Option - No-Operation (NOP)" : "IP Option - End of Options List (EOL)");
		add_opt_type(pk, o, at, type);
		return type == 0 ? OPT_STOP : OPT_NEXT;
	}
	bool ok;
	uint8_t len = nm_cur_peek(opt, 0, &ok);
	if (!ok || len < 2) {
		nm_add_text(pk, t, at, 1, "IP Option - type %u (with too-short option length)", type);
		return OPT_STOP;
	}
	if (!nm_cur_has(opt, len - 1u)) {
		nm_add_text(pk, t, at, 1, "IP Option - type %u (option length = %u bytes says option goes past end of options)",
			    type, len);
		return OPT_STOP;
	}
	nm_cur_skip(opt, len - 1u);
	const opt_kind *k = known_opt(type);
	if (k)
		return add_known(pk, t, at, type, len, k);
	nm_add_text(pk, t, at, len, "Unknown (0x%02x) (%u bytes)", type, len);
	return OPT_NEXT;
}

/* False when an option was too short for its fields (an exception in
 * Wireshark, which then dissects nothing past the IPv4 header). */
static bool add_options(nm_packet *pk, int t, nm_cursor *opt)
{
	int o = nm_add_text(pk, t, opt->pos, nm_cur_left(opt), "Options: (%u bytes)", nm_cur_left(opt));
	int r = OPT_NEXT;
	while (r == OPT_NEXT && nm_cur_left(opt) > 0)
		r = add_option(pk, o, opt);
	return r != OPT_BAD;
}

typedef struct ip_hdr {
	uint8_t vhl, tos, ttl, proto;
	uint16_t len, id, frag, sum;
	uint32_t reported; /* bytes from the header on, as sent (caplen + clipped) */
	const uint8_t *src, *dst;
} ip_hdr;

/* The fields after the length checks (which tshark stops at). */
static void add_header(nm_packet *pk, int t, uint32_t s, const ip_hdr *h)
{
	if (!pk->tree) { /* ingest: only the addresses' keys */
		nm_pkt_key(pk, NM_KEY_IPV4, h->src, 4);
		nm_pkt_key(pk, NM_KEY_IPV4, h->dst, 4);
		return;
	}
	nm_add_uint(pk, t, &fields[F_ID], s + 4, 2, h->id);
	uint8_t fb = (uint8_t)(h->frag >> 8);
	int fl = nm_add_uint(pk, t, &fields[F_FLAGS], s + 6, 1, fb);
	nm_add_bool(pk, fl, &fields[F_RB], s + 6, 1, fb);
	nm_add_bool(pk, fl, &fields[F_DF], s + 6, 1, fb);
	nm_add_bool(pk, fl, &fields[F_MF], s + 6, 1, fb);
	nm_add_uint(pk, t, &fields[F_FRAG_OFFSET], s + 6, 2, h->frag);
	nm_add_uint(pk, t, &fields[F_TTL], s + 8, 1, h->ttl);
	nm_add_uint(pk, t, &fields[F_PROTO], s + 9, 1, h->proto);
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 10, 2, h->sum);
	add_addr(pk, t, F_SRC, F_SRC_HOST, s + 12, h->src);
	add_addr(pk, t, F_DST, F_DST_HOST, s + 16, h->dst);
}

/* Version, header length, DS field and total length, each checked in the
 * order tshark checks them; false when the header is bogus. */
static bool add_lengths(nm_packet *pk, int t, uint32_t s, const ip_hdr *h)
{
	uint32_t hlen = (h->vhl & 15u) * 4u;
	nm_add_uint(pk, t, &fields[F_VERSION], s, 1, h->vhl >> 4);
	if ((h->vhl >> 4) != 4) {
		nm_set_info(pk, "Bogus IPv4 version (%u, must be 4)", h->vhl >> 4);
		return false;
	}
	nm_add_uint(pk, t, &fields[F_HDR_LEN], s, 1, hlen);
	if (hlen < 20) {
		nm_set_info(pk, "Bogus IP header length (%u, must be at least 20)", hlen);
		return false;
	}
	int ds = nm_add_uint(pk, t, &fields[F_DSFIELD], s + 1, 1, h->tos);
	nm_add_uint(pk, ds, &fields[F_DSCP], s + 1, 1, h->tos);
	nm_add_uint(pk, ds, &fields[F_ECN], s + 1, 1, h->tos);
	/* A total length of 0 is taken as TSO / BIG TCP (as Wireshark does):
	 * the field shows the length the frame actually carries. */
	nm_add_uint(pk, t, &fields[F_LEN], s + 2, 2, h->len ? h->len : h->reported);
	if (h->len && h->len < hlen) {
		nm_set_info(pk, "Bogus IP length (%u, less than header length %u)", h->len, hlen);
		return false;
	}
	return true;
}

static void set_summary(nm_packet *pk, const ip_hdr *h)
{
	nm_set_src_dst_fmt(pk, nm_fmt_ipv4, h->src, h->dst);
	/* a layer before this one: its transport's ports leave the flow now */
	if (pk->flow.family || pk->flow.sport || pk->flow.dport)
		nm_pkt_key_ports(pk);
	memset(&pk->flow, 0, sizeof pk->flow);
	pk->flow.family = 4;
	pk->flow.proto = h->proto;
	memcpy(pk->flow.src, h->src, 4);
	memcpy(pk->flow.dst, h->dst, 4);
}

static bool read_header(nm_cursor *c, ip_hdr *h)
{
	h->vhl = nm_cur_u8(c);
	h->tos = nm_cur_u8(c);
	h->len = nm_cur_be16(c);
	h->id = nm_cur_be16(c);
	h->frag = nm_cur_be16(c);
	h->ttl = nm_cur_u8(c);
	h->proto = nm_cur_u8(c);
	h->sum = nm_cur_be16(c);
	h->src = nm_cur_take(c, 4);
	h->dst = nm_cur_take(c, 4);
	return !c->err;
}

/* The pieces and the whole payload, under ip as Wireshark puts them. */
static void add_reassembly(nm_packet *pk, int t, const nm_ip_reasm *r)
{
	int fs = nm_add_bytes(pk, t, &fields[F_FRAGMENTS], 0, r->len, r->data);
	for (uint32_t i = 0; i < r->npieces; i++)
		nm_add_uint(pk, fs, &fields[F_FRAGMENT], 0, 0, r->pieces[i].frame);
	nm_add_uint(pk, fs, &fields[F_FRAGMENT_COUNT], 0, 0, r->npieces);
	nm_add_uint(pk, fs, &fields[F_REASM_LEN], 0, 0, r->len);
	pk->source = NM_SRC_REASSEMBLED;
	nm_add_bytes(pk, fs, &fields[F_REASM_DATA], 0, r->len, r->data);
	pk->source = NM_SRC_FRAME;
}

/* Dissect the reassembled payload in place of this frame's bytes: tree
 * offsets inside it are offsets into the datagram (Wireshark's
 * "Reassembled IPv4" data source). */
static int dissect_reassembled(nm_packet *pk, int t, const ip_hdr *h, const nm_ip_reasm *r)
{
	add_reassembly(pk, t, r);
	const uint8_t *data = pk->data;
	uint32_t caplen = pk->caplen, wirelen = pk->wirelen;
	nm_defrag *defrag = pk->defrag;
	pk->data = r->data;
	pk->caplen = pk->wirelen = pk->ip_plen = r->len;
	/* r->data lives only until the reassembler's next completion: a
	 * fragment tunnelled inside this datagram is not offered. */
	pk->defrag = NULL;
	nm_cursor c = nm_cursor_make(r->data, 0, r->len);
	pk->source = NM_SRC_REASSEMBLED;
	int rc = nm_ip_handoff(pk, &c, h->proto);
	pk->source = NM_SRC_FRAME;
	pk->data = data;
	pk->caplen = caplen;
	pk->wirelen = wirelen;
	pk->defrag = defrag;
	return rc;
}

/* A fragment: offered for reassembly when it is UDP and wholly captured. */
static int dissect_fragment(nm_packet *pk, int t, const ip_hdr *h, nm_cursor *pl)
{
	uint32_t off = (h->frag & 0x1fffu) * 8u;
	nm_ip_reasm r = {0};
	if (h->proto == 17)
		pk->flags |= NM_PKT_UDP_FRAGMENT;
	uint32_t hlen = (h->vhl & 15u) * 4u;
	bool whole = !pl->err && h->len >= hlen && nm_cur_left(pl) == h->len - hlen; /* all of it captured */
	if (pk->defrag && h->proto == 17 && whole) {
		nm_ip_frag f = {h->src, h->dst, h->id, h->proto, (h->frag & 0x2000) != 0, off, nm_cur_left(pl),
				pk->data + pl->pos};
		pk->defrag->ipv4(pk->defrag, pk, &f, &r);
		if (r.data)
			return dissect_reassembled(pk, t, h, &r);
	} else if (pk->defrag && off == 0 && (h->proto == 17 || !whole)) {
		/* Wireshark does not reassemble a fragment it lacks bytes of; a
		 * first one is dissected as it is, whatever it carries (its UDP
		 * length unchecked against the fragment: ip_plen 0, unknown). */
		pk->ip_plen = 0;
		return nm_ip_handoff(pk, pl, h->proto);
	}
	const char *name = nm_ipproto_name(h->proto);
	nm_set_info(pk, "Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)", name ? name : "Unknown", h->proto,
		    off, h->id);
	if (r.reassembled_in) {
		nm_append_info(pk, " [Reassembled in #%llu]", (unsigned long long)r.reassembled_in);
		nm_add_uint(pk, t, &fields[F_REASM_IN], 0, 0, r.reassembled_in);
	}
	return nm_call_data(pk, pl, -1);
}

/* Header fields are sane; now options, the payload bound and the handoff. */
static int dissect_body(nm_packet *pk, nm_cursor *c, int t, const ip_hdr *h)
{
	uint32_t hlen = (h->vhl & 15u) * 4u;
	nm_cursor opt = nm_cur_sub(c, hlen - 20);
	if (nm_cur_left(&opt) < hlen - 20)
		return NM_TRUNCATED;
	bool opts_ok = hlen == 20 || add_options(pk, t, &opt);
	/* A total length of 0 is what TCP segmentation offload leaves in
	 * captures taken on the sender: the frame holds the real datagram. */
	uint32_t total = h->len ? h->len : hlen + nm_cur_left(c);
	uint32_t on_wire = nm_cur_left(c) + (pk->wirelen > pk->caplen ? pk->wirelen - pk->caplen : 0);
	nm_cursor pl = nm_cur_sub(c, total - hlen);
	pk->ip_ttl = h->ttl;
	pk->ip_plen = total - hlen < on_wire ? total - hlen : on_wire;
	if (!opts_ok) {
		nm_cur_skip(&pl, nm_cur_left(&pl)); /* not dissected, and not a trailer */
		return NM_MALFORMED;
	}

	if (h->frag & 0x3fff)
		return dissect_fragment(pk, t, h, &pl);
	return nm_ip_handoff(pk, &pl, h->proto);
}

static int dissect_ip(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t start = c->pos;
	ip_hdr h;
	bool ok;
	uint8_t vhl = nm_cur_peek(c, 0, &ok);
	uint32_t hlen = (vhl & 15u) * 4u;
	if (ok && (vhl >> 4) == 6) /* as Wireshark: a v6 header under ethertype IPv4 */
		return nm_call(&nm_proto_ipv6, pk, c, parent);
	int t = nm_add_proto(pk, -1, &nm_proto_ip, start, ok && hlen >= 20 ? hlen : nm_cur_left(c));
	h.reported = nm_cur_left(c) + (pk->wirelen > pk->caplen ? pk->wirelen - pk->caplen : 0);
	if (!read_header(c, &h)) {
		if (ok && (vhl >> 4) != 4)
			nm_add_uint(pk, t, &fields[F_VERSION], start, 1, vhl >> 4);
		return NM_TRUNCATED;
	}
	if (!add_lengths(pk, t, start, &h)) {
		nm_cur_skip(c, nm_cur_left(c)); /* no length: the rest is not a trailer */
		return NM_MALFORMED;
	}
	add_header(pk, t, start, &h);
	set_summary(pk, &h);
	return dissect_body(pk, c, t, &h);
}

static void init_ip(void)
{
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x0800, &nm_proto_ip);
	nm_handoff_add(NM_TAB_IP_PROTO, 4, &nm_proto_ip);    /* IP in IP */
	nm_handoff_add(NM_TAB_IP_PROTO, 41, &nm_proto_ipv6); /* IPv6 in IPv4 (6in4) */
}

nm_protocol nm_proto_ip = {
	"ip", "IPv4", "Internet Protocol Version 4", fields, F_COUNT, dissect_ip, init_ip, 0,
};
