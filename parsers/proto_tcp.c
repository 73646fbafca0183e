/*
 * proto_tcp.c - Transmission Control Protocol (RFC 9293) and its common
 * options (MSS, window scale, SACK, timestamps).
 *
 * Dissection is per segment: sequence numbers are shown raw (tshark with
 * tcp.relative_sequence_numbers:FALSE) and nothing is reassembled.  Each
 * option's length byte is checked against the option area before its
 * value is read; a bad one ends option parsing and marks the segment
 * malformed, but the payload is still handed on.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"
#include "text_lines.h"

enum {
	F_SRCPORT, F_DSTPORT, F_PORT, F_SEQ, F_SEQ_RAW, F_ACK, F_ACK_RAW, F_HDR_LEN,
	F_FLAGS, F_RES, F_AE, F_CWR, F_ECE, F_URG, F_FACK, F_PUSH, F_RESET, F_SYN, F_FIN, F_STR,
	F_WIN, F_CHECKSUM, F_URGPTR, F_LEN, F_OPTIONS, F_KIND, F_OPTLEN,
	F_O_NOP, F_O_EOL, F_O_MSS, F_O_WS, F_O_SACKPERM, F_O_SACK, F_O_TS, F_O_UNKNOWN,
	F_MSS_VAL, F_WS_SHIFT, F_WS_MULT, F_SACK_LE, F_SACK_RE, F_SACK_COUNT, F_TSVAL, F_TSECR,
	F_PAYLOAD, F_RESET_CAUSE, F_COUNT
};

#define U8 NM_FT_UINT8
#define U16 NM_FT_UINT16
#define U32 NM_FT_UINT32
#define DEC NM_BASE_DEC
#define BOOL(name, label, mask) {name, label, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, mask, NULL}

/* The option containers (tcp.options.mss, ...) are protocols in Wireshark
 * whose -T fields value is the option's bytes; here they are byte fields. */
static const nm_field fields[] = {
	[F_SRCPORT] = {"tcp.srcport", "Source Port", U16, DEC, NULL, 0, NULL},
	[F_DSTPORT] = {"tcp.dstport", "Destination Port", U16, DEC, NULL, 0, NULL},
	[F_PORT] = {"tcp.port", "Source or Destination Port", U16, DEC, NULL, 0, NULL},
	[F_SEQ] = {"tcp.seq", "Sequence Number", U32, DEC, NULL, 0, NULL},
	[F_SEQ_RAW] = {"tcp.seq_raw", "Sequence Number (raw)", U32, DEC, NULL, 0, NULL},
	[F_ACK] = {"tcp.ack", "Acknowledgment Number", U32, DEC, NULL, 0, NULL},
	[F_ACK_RAW] = {"tcp.ack_raw", "Acknowledgment number (raw)", U32, DEC, NULL, 0, NULL},
	[F_HDR_LEN] = {"tcp.hdr_len", "Header Length", U8, DEC, NULL, 0, "Data offset in 32-bit words"},
	[F_FLAGS] = {"tcp.flags", "Flags", U16, NM_BASE_HEX, NULL, 0xfff, "Flags (12 bits)"},
	[F_RES] = BOOL("tcp.flags.res", "Reserved", 0xe00),
	[F_AE] = BOOL("tcp.flags.ae", "Accurate ECN", 0x100),
	[F_CWR] = BOOL("tcp.flags.cwr", "Congestion Window Reduced", 0x80),
	[F_ECE] = BOOL("tcp.flags.ece", "ECN-Echo", 0x40),
	[F_URG] = BOOL("tcp.flags.urg", "Urgent", 0x20),
	[F_FACK] = BOOL("tcp.flags.ack", "Acknowledgment", 0x10),
	[F_PUSH] = BOOL("tcp.flags.push", "Push", 0x8),
	[F_RESET] = BOOL("tcp.flags.reset", "Reset", 0x4),
	[F_SYN] = BOOL("tcp.flags.syn", "Syn", 0x2),
	[F_FIN] = BOOL("tcp.flags.fin", "Fin", 0x1),
	[F_STR] = {"tcp.flags.str", "TCP Flags", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_WIN] = {"tcp.window_size_value", "Window", U16, DEC, NULL, 0, NULL},
	[F_CHECKSUM] = {"tcp.checksum", "Checksum", U16, NM_BASE_HEX, NULL, 0, NULL},
	[F_URGPTR] = {"tcp.urgent_pointer", "Urgent Pointer", U16, DEC, NULL, 0, NULL},
	[F_LEN] = {"tcp.len", "TCP Segment Len", U32, DEC, NULL, 0, NULL},
	[F_OPTIONS] = NM_F_BYTES("tcp.options", "Options"),
	[F_KIND] = {"tcp.option_kind", "Kind", U8, DEC, NULL, 0, NULL},
	[F_OPTLEN] = {"tcp.option_len", "Length", U8, DEC, NULL, 0, NULL},
	[F_O_NOP] = NM_F_BYTES("tcp.options.nop", "TCP Option - No-Operation (NOP)"),
	[F_O_EOL] = NM_F_BYTES("tcp.options.eol", "TCP Option - End of Option List (EOL)"),
	[F_O_MSS] = NM_F_BYTES("tcp.options.mss", "TCP Option - Maximum segment size"),
	[F_O_WS] = NM_F_BYTES("tcp.options.wscale", "TCP Option - Window scale"),
	[F_O_SACKPERM] = NM_F_BYTES("tcp.options.sack_perm", "TCP Option - SACK permitted"),
	[F_O_SACK] = NM_F_BYTES("tcp.options.sack", "TCP Option - SACK"),
	[F_O_TS] = NM_F_BYTES("tcp.options.timestamp", "TCP Option - Timestamps"),
	[F_O_UNKNOWN] = NM_F_BYTES("tcp.options.unknown", "TCP Option - Unknown"),
	[F_MSS_VAL] = {"tcp.options.mss_val", "MSS Value", U16, DEC, NULL, 0, NULL},
	[F_WS_SHIFT] = {"tcp.options.wscale.shift", "Shift count", U8, DEC, NULL, 0, NULL},
	[F_WS_MULT] = {"tcp.options.wscale.multiplier", "Multiplier", U16, DEC, NULL, 0, NULL},
	[F_SACK_LE] = {"tcp.options.sack_le", "TCP SACK Left Edge", U32, DEC, NULL, 0, NULL},
	[F_SACK_RE] = {"tcp.options.sack_re", "TCP SACK Right Edge", U32, DEC, NULL, 0, NULL},
	[F_SACK_COUNT] = {"tcp.options.sack.count", "TCP SACK Count", U8, DEC, NULL, 0, NULL},
	[F_TSVAL] = {"tcp.options.timestamp.tsval", "Timestamp value", U32, DEC, NULL, 0, NULL},
	[F_TSECR] = {"tcp.options.timestamp.tsecr", "Timestamp echo reply", U32, DEC, NULL, 0, NULL},
	[F_PAYLOAD] = NM_F_BYTES("tcp.payload", "TCP payload"),
	[F_RESET_CAUSE] = {"tcp.reset_cause", "Reset cause", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
};

typedef struct tcp_hdr {
	uint16_t sport, dport, word, win, sum, urp;
	uint32_t seq, ack, hlen;
} tcp_hdr;

/* The fixed length of each option we decode (SACK: 2 + 8n), 0 for others. */
static bool option_len_ok(uint8_t kind, uint8_t len)
{
	switch (kind) {
	case 2: return len == 4;
	case 3: return len == 3;
	case 4: return len == 2;
	case 5: return len >= 2 && (len - 2) % 8 == 0;
	case 8: return len == 10;
	default: return true;
	}
}

static int option_field(uint8_t kind)
{
	switch (kind) {
	case 0: return F_O_EOL;
	case 1: return F_O_NOP;
	case 2: return F_O_MSS;
	case 3: return F_O_WS;
	case 4: return F_O_SACKPERM;
	case 5: return F_O_SACK;
	case 8: return F_O_TS;
	default: return F_O_UNKNOWN;
	}
}

/* Decode an option's value (its length already checked); `v` is the
 * cursor over the value bytes, `at` the option's offset. */
static void option_value(nm_packet *pk, int o, uint8_t kind, nm_cursor *v, uint32_t at)
{
	if (kind == 2) {
		uint16_t mss = nm_cur_be16(v);
		nm_add_uint(pk, o, &fields[F_MSS_VAL], at + 2, 2, mss);
		nm_append_info(pk, " MSS=%u", mss);
	} else if (kind == 3) {
		uint8_t shift = nm_cur_u8(v);
		unsigned mult = 1u << (shift > 14 ? 14 : shift);
		nm_add_uint(pk, o, &fields[F_WS_SHIFT], at + 2, 1, shift);
		nm_add_uint(pk, o, &fields[F_WS_MULT], at + 2, 1, mult);
		nm_append_info(pk, " WS=%u", mult);
	} else if (kind == 4) {
		nm_append_info(pk, " SACK_PERM");
	} else if (kind == 5) {
		for (uint32_t p = at + 2; nm_cur_left(v) >= 8; p += 8) {
			uint32_t le = nm_cur_be32(v), re = nm_cur_be32(v);
			nm_add_uint(pk, o, &fields[F_SACK_LE], p, 4, le);
			nm_add_uint(pk, o, &fields[F_SACK_RE], p + 4, 4, re);
			nm_append_info(pk, " SLE=%u SRE=%u", le, re);
		}
	} else if (kind == 8) {
		uint32_t tsval = nm_cur_be32(v), tsecr = nm_cur_be32(v);
		nm_add_uint(pk, o, &fields[F_TSVAL], at + 2, 4, tsval);
		nm_add_uint(pk, o, &fields[F_TSECR], at + 6, 4, tsecr);
		nm_append_info(pk, " TSval=%u TSecr=%u", tsval, tsecr);
	}
}

/* One option; false when its length is invalid (parsing must stop). */
static bool add_option(nm_packet *pk, int t, nm_cursor *oc)
{
	uint32_t at = oc->pos;
	uint8_t kind = nm_cur_u8(oc);
	if (kind <= 1) {
		int o = nm_add_bytes(pk, t, &fields[option_field(kind)], at, 1, pk->data + at);
		nm_add_uint(pk, o, &fields[F_KIND], at, 1, kind);
		return true;
	}
	bool ok;
	uint8_t len = nm_cur_peek(oc, 0, &ok);
	if (!ok || len < 2 || !nm_cur_has(oc, len - 1u)) {
		nm_add_text(pk, t, at, 1, "[Option kind %u: length is invalid]", kind);
		return false;
	}
	int o = nm_add_bytes(pk, t, &fields[option_field(kind)], at, len, pk->data + at);
	nm_add_uint(pk, o, &fields[F_KIND], at, 1, kind);
	nm_add_uint(pk, o, &fields[F_OPTLEN], at + 1, 1, len);
	nm_cursor v = nm_cursor_make(pk->data, at + 2, at + len);
	nm_cur_skip(oc, len - 1u);
	if (option_len_ok(kind, len))
		option_value(pk, o, kind, &v, at);
	else
		nm_add_text(pk, o, at + 1, 1, "[Option length is wrong for kind %u]", kind);
	if (kind == 5 && pk->tree)
		nm_add_uint(pk, o, &fields[F_SACK_COUNT], at, len, (len - 2u) / 8u);
	return true;
}

/* Returns false when an option's length was invalid. */
static bool add_options(nm_packet *pk, int t, nm_cursor *oc)
{
	uint32_t at = oc->pos, n = nm_cur_left(oc);
	int o = nm_add_bytes(pk, t, &fields[F_OPTIONS], at, n, pk->data + at);
	while (nm_cur_left(oc) > 0) {
		bool ok;
		uint8_t kind = nm_cur_peek(oc, 0, &ok);
		if (!add_option(pk, o, oc))
			return false;
		if (kind == 0)
			break;
	}
	return true;
}

/* Info's "[SYN, ACK]" list; `out` holds 64 bytes, more than all ten names
 * take.  By hand: snprintf per flag showed in profiles of ingest. */
static void flags_text(char out[static 64], unsigned flags)
{
	static const char *names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE", "Reserved"};
	size_t used = 0;
	for (unsigned b = 0; b < 10; b++) {
		unsigned mask = b < 9 ? 1u << b : 0xe00u;
		if (!(flags & mask))
			continue;
		if (used)
			out[used++] = ',', out[used++] = ' ';
		size_t k = strlen(names[b]);
		memcpy(out + used, names[b], k);
		used += k;
	}
	if (!used)
		memcpy(out, "<None>", 6), used = 6;
	out[used] = '\0';
}

/* tshark's tcp.flags.str: one letter per bit, a middle dot when clear. */
static void flags_str(char *out, size_t n, unsigned flags)
{
	static const char letters[] = "RRRACEUAPRSF";
	size_t used = 0;
	out[0] = '\0';
	for (int b = 11; b >= 0 && used + 3 < n; b--) {
		if (flags & (1u << b))
			out[used++] = letters[11 - b];
		else
			used += (size_t)snprintf(out + used, n - used, "\u00b7");
	}
	out[used] = '\0';
}

static void add_flags(nm_packet *pk, int t, uint32_t s, uint16_t word)
{
	static const int bits[] = {F_RES, F_AE, F_CWR, F_ECE, F_URG, F_FACK, F_PUSH, F_RESET, F_SYN, F_FIN};
	int fl = nm_add_uint(pk, t, &fields[F_FLAGS], s + 12, 2, word);
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		nm_add_bool(pk, fl, &fields[bits[i]], s + 12, 2, word);
	char str[40];
	flags_str(str, sizeof str, word & 0xfffu);
	nm_add_string(pk, fl, &fields[F_STR], s + 12, 2, str);
}

static void add_ports(nm_packet *pk, int t, uint32_t s, uint16_t sport, uint16_t dport)
{
	nm_add_uint(pk, t, &fields[F_SRCPORT], s, 2, sport);
	nm_add_uint(pk, t, &fields[F_DSTPORT], s + 2, 2, dport);
	nm_hide(pk, nm_add_uint(pk, t, &fields[F_PORT], s, 2, sport));
	nm_hide(pk, nm_add_uint(pk, t, &fields[F_PORT], s + 2, 2, dport));
	nm_set_info(pk, "%u → %u", sport, dport);
	pk->flow.sport = sport;
	pk->flow.dport = dport;
}

/* What follows the header length check (tshark stops before it). */
static void add_header(nm_packet *pk, int t, uint32_t s, const tcp_hdr *h)
{
	if (!pk->tree)
		return; /* ingest: spare it the flag text and ten calls */
	nm_add_uint(pk, t, &fields[F_ACK], s + 8, 4, h->ack);
	nm_add_uint(pk, t, &fields[F_ACK_RAW], s + 8, 4, h->ack);
	add_flags(pk, t, s, h->word);
	nm_add_uint(pk, t, &fields[F_WIN], s + 14, 2, h->win);
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 16, 2, h->sum);
	nm_add_uint(pk, t, &fields[F_URGPTR], s + 18, 2, h->urp);
}

/* Info up to the window (and urgent pointer); Len= is appended after. */
static void set_info(nm_packet *pk, const tcp_hdr *h)
{
	char fl[64];
	flags_text(fl, h->word & 0xfffu);
	/* one call where it can be (each append measures the text again) */
	if (h->word & 0x10)
		nm_set_info(pk, "%u → %u [%s] Seq=%u Ack=%u Win=%u", h->sport, h->dport, fl, h->seq, h->ack, h->win);
	else
		nm_set_info(pk, "%u → %u [%s] Seq=%u Win=%u", h->sport, h->dport, fl, h->seq, h->win);
	if (h->word & 0x20)
		nm_append_info(pk, " Urg=%u", h->urp);
}

static bool read_header(nm_cursor *c, tcp_hdr *h)
{
	h->seq = nm_cur_be32(c);
	h->ack = nm_cur_be32(c);
	h->word = nm_cur_be16(c);
	h->win = nm_cur_be16(c);
	h->sum = nm_cur_be16(c);
	h->urp = nm_cur_be16(c);
	h->hlen = (h->word >> 12) * 4u;
	return !c->err;
}

static int dissect_tcp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	tcp_hdr h;
	h.sport = nm_cur_be16(c);
	h.dport = nm_cur_be16(c);
	bool ok = !c->err && read_header(c, &h);
	int t = nm_add_proto(pk, -1, &nm_proto_tcp, s, ok && h.hlen >= 20 ? h.hlen : nm_cur_left(c) + (c->pos - s));
	if (s + 4 <= c->pos)
		add_ports(pk, t, s, h.sport, h.dport);
	if (!ok)
		return NM_TRUNCATED;
	nm_add_uint(pk, t, &fields[F_SEQ], s + 4, 4, h.seq);
	nm_add_uint(pk, t, &fields[F_SEQ_RAW], s + 4, 4, h.seq);
	pk->flow.tcp_flags = (uint8_t)h.word;
	uint32_t plen = pk->ip_plen ? pk->ip_plen : nm_cur_left(c) + 20;
	nm_add_uint(pk, t, &fields[F_LEN], s, 0, plen >= h.hlen ? plen - h.hlen : 0);
	nm_add_uint(pk, t, &fields[F_HDR_LEN], s + 12, 1, h.hlen);
	if (h.hlen < 20 || h.hlen > plen) {
		set_info(pk, &h);
		nm_append_info(pk, ", bogus TCP header length (%u, must be at %s %u)", h.hlen, h.hlen < 20 ? "least" : "most",
			       h.hlen < 20 ? 20 : plen);
		return NM_MALFORMED;
	}
	add_header(pk, t, s, &h);
	uint32_t seglen = plen - h.hlen;
	set_info(pk, &h);
	nm_append_info(pk, " Len=%u", seglen);
	nm_cursor oc = nm_cur_sub(c, h.hlen - 20);
	if (nm_cur_left(&oc) < h.hlen - 20)
		return NM_TRUNCATED;
	bool opts_ok = h.hlen == 20 || add_options(pk, t, &oc);
	nm_cursor pl = nm_cur_sub(c, seglen);
	if ((h.word & 0x004) && nm_cur_left(&pl)) {
		/* Data in a RST is a diagnostic text (RFC 9293 3.5.3); Wireshark
		 * shows it as the reset cause and hands it to no protocol. */
		nm_add_text_bytes(pk, t, &fields[F_RESET_CAUSE], pl.pos, pk->data + pl.pos, nm_cur_left(&pl), false);
		return opts_ok ? NM_OK : NM_MALFORMED;
	}
	if (nm_cur_left(&pl))
		nm_add_bytes(pk, t, &fields[F_PAYLOAD], pl.pos, nm_cur_left(&pl), pk->data + pl.pos);
	int r = nm_port_handoff(NM_TAB_TCP_PORT, h.sport, h.dport, pk, &pl);
	return r == NM_OK && !opts_ok ? NM_MALFORMED : r;
}
static void init_tcp(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 6, &nm_proto_tcp);
}

nm_protocol nm_proto_tcp = {
	"tcp", "TCP", "Transmission Control Protocol", fields, F_COUNT, dissect_tcp, init_tcp, 0,
};
