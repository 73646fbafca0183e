/*
 * proto_quic.c - QUIC (RFC 9000, RFC 9369) packet headers.
 *
 * Long headers are decoded up to the protected part: version, connection
 * IDs, token and length; Version Negotiation lists its versions and Retry
 * its token and integrity tag.  Packets coalesced in one datagram are
 * walked by their length fields.  Payloads stay protected: tshark derives
 * the Initial keys from the connection ID and decrypts Initial packets
 * (packet number, frames); we do not (tests/known-differences.txt).  A
 * short header says nothing about its connection ID length, so only its
 * first byte is decoded; the rest is remaining (protected) payload.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_PACKET_LENGTH,
	F_HEADER_FORM,
	F_LONG_TYPE,
	F_LONG_TYPE_V2,
	F_DCID,
	F_SCID,
	F_DCIL,
	F_SCIL,
	F_TOKEN_LENGTH,
	F_TOKEN,
	F_LENGTH,
	F_VERSION,
	F_SUPPORTED_VERSION,
	F_VN_UNUSED,
	F_FIXED_BIT,
	F_SPIN_BIT,
	F_REMAINING_PAYLOAD,
	F_RETRY_TOKEN,
	F_RETRY_TAG,
	F_COUNT
};


static const nm_vals long_types[] = {{0, "Initial"}, {1, "0-RTT"}, {2, "Handshake"}, {3, "Retry"}, {0, NULL}};
static const nm_vals long_types_v2[] = {{0, "Retry"}, {1, "Initial"}, {2, "0-RTT"}, {3, "Handshake"}, {0, NULL}};

static const nm_field fields[] = {
    [F_PACKET_LENGTH] = {"quic.packet_length", "Packet Length", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
                         "Size of the QUIC packet"},
    [F_HEADER_FORM] = {"quic.header_form", "Header Form", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x80, NULL},
    [F_LONG_TYPE] = {"quic.long.packet_type", "Packet Type", NM_FT_UINT8, NM_BASE_DEC, long_types, 0x30, NULL},
    [F_LONG_TYPE_V2] = {"quic.long.packet_type_v2", "Packet Type", NM_FT_UINT8, NM_BASE_DEC, long_types_v2, 0x30, NULL},
    [F_DCID] = NM_F_BYTES("quic.dcid", "Destination Connection ID"),
    [F_SCID] = NM_F_BYTES("quic.scid", "Source Connection ID"),
    [F_DCIL] = {"quic.dcil", "Destination Connection ID Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_SCIL] = {"quic.scil", "Source Connection ID Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_TOKEN_LENGTH] = {"quic.token_length", "Token Length", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
    [F_TOKEN] = NM_F_BYTES("quic.token", "Token"),
    [F_LENGTH] = {"quic.length", "Length", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
    [F_VERSION] = {"quic.version", "Version", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_SUPPORTED_VERSION] = {"quic.supported_version", "Supported Version", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
    [F_VN_UNUSED] = {"quic.vn.unused", "Unused", NM_FT_UINT8, NM_BASE_HEX, NULL, 0x7f, NULL},
    [F_FIXED_BIT] = {"quic.fixed_bit", "Fixed Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x40, NULL},
    [F_SPIN_BIT] = {"quic.spin_bit", "Spin Bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x20, NULL},
    [F_REMAINING_PAYLOAD] = NM_F_BYTES("quic.remaining_payload", "Remaining Payload"),
    [F_RETRY_TOKEN] = NM_F_BYTES("quic.retry_token", "Retry Token"),
    [F_RETRY_TAG] = NM_F_BYTES("quic.retry_integrity_tag", "Retry Integrity Tag"),
};

#define QUIC_V2 0x6b3343cfu

/* A variable-length integer (RFC 9000 section 16). */
static uint64_t varint(nm_cursor *c)
{
	bool ok;
	uint8_t b = nm_cur_peek(c, 0, &ok);
	uint32_t n = 1u << (b >> 6);
	const uint8_t *p = nm_cur_take(c, n);
	if (!p)
		return 0;
	uint64_t v = p[0] & 0x3f;
	for (uint32_t i = 1; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static bool known_version(uint32_t v)
{
	return v == 0 || v == 1 || v == QUIC_V2 || (v >> 8) == 0xff0000 || (v & 0x0f0f0f0f) == 0x0a0a0a0a;
}

static void add_cid(nm_packet *pk, int t, nm_cursor *c, int flen, int fcid, uint8_t *len_out, char *hex, size_t hn)
{
	uint32_t at = c->pos;
	uint8_t n = nm_cur_u8(c);
	const uint8_t *id = nm_cur_take(c, n);
	if (!id)
		return;
	nm_add_uint(pk, t, &fields[flen], at, 1, n);
	if (n)
		nm_add_bytes(pk, t, &fields[fcid], at + 1, n, id);
	*len_out = n;
	size_t used = 0;
	for (uint32_t i = 0; i < n && used + 3 <= hn; i++)
		used += (size_t)snprintf(hex + used, hn - used, "%02x", id[i]);
}

static void version_negotiation(nm_packet *pk, int t, nm_cursor *c, uint8_t first, uint32_t at)
{
	nm_add_uint(pk, t, &fields[F_VN_UNUSED], at, 1, first);
	while (nm_cur_left(c) >= 4) {
		uint32_t p = c->pos;
		nm_add_uint(pk, t, &fields[F_SUPPORTED_VERSION], p, 4, nm_cur_be32(c));
	}
}

static void retry(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t n = nm_cur_left(c);
	if (n < 16)
		return;
	nm_add_bytes(pk, t, &fields[F_RETRY_TOKEN], c->pos, n - 16, nm_cur_take(c, n - 16));
	nm_add_bytes(pk, t, &fields[F_RETRY_TAG], c->pos, 16, nm_cur_take(c, 16));
}

/* Token (Initial), Length and the protected rest of one long-header packet;
 * false when a length runs past the datagram. */
static bool long_body(nm_packet *pk, int t, nm_cursor *c, bool initial)
{
	if (initial) {
		uint32_t at = c->pos;
		uint64_t tl = varint(c);
		if (c->err || tl > nm_cur_left(c))
			return false;
		nm_add_uint(pk, t, &fields[F_TOKEN_LENGTH], at, c->pos - at, tl);
		if (tl)
			nm_add_bytes(pk, t, &fields[F_TOKEN], c->pos, (uint32_t)tl, nm_cur_take(c, (uint32_t)tl));
	}
	uint32_t at = c->pos;
	uint64_t len = varint(c);
	if (c->err)
		return false;
	nm_add_uint(pk, t, &fields[F_LENGTH], at, c->pos - at, len);
	if (len > nm_cur_left(c))
		return false;
	if (!initial)
		nm_add_bytes(pk, t, &fields[F_REMAINING_PAYLOAD], c->pos, (uint32_t)len, c->data + c->pos);
	nm_cur_skip(c, (uint32_t)len);
	return true;
}

static void cid_info(nm_packet *pk, uint8_t dcil, const char *dcid, uint8_t scil, const char *scid)
{
	if (dcil)
		nm_append_info(pk, ", DCID=%s", dcid);
	if (scil)
		nm_append_info(pk, ", SCID=%s", scid);
}

/* One long-header packet; false when the datagram is malformed. */
static bool long_packet(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint8_t first = nm_cur_u8(c);
	uint32_t version = nm_cur_be32(c);
	if (c->err)
		return false;
	bool v2 = version == QUIC_V2;
	uint8_t type = (first >> 4) & 3;
	const char *name = nm_val_label(v2 ? long_types_v2 : long_types, type, "Unknown");
	nm_add_uint(pk, t, &fields[F_HEADER_FORM], at, 1, first);
	if (version && strcmp(name, "Retry") != 0)
		nm_add_bool(pk, t, &fields[F_FIXED_BIT], at, 1, first);
	if (version)
		nm_add_uint(pk, t, &fields[v2 ? F_LONG_TYPE_V2 : F_LONG_TYPE], at, 1, first);
	nm_add_uint(pk, t, &fields[F_VERSION], at + 1, 4, version);
	char dcid[41] = "", scid[41] = "";
	uint8_t dcil = 0, scil = 0;
	add_cid(pk, t, c, F_DCIL, F_DCID, &dcil, dcid, sizeof dcid);
	add_cid(pk, t, c, F_SCIL, F_SCID, &scil, scid, sizeof scid);
	if (c->err || dcil > 20 || scil > 20)
		return false;
	nm_append_info(pk, "%s%s", pk->info[0] ? ", " : "", version ? name : "Version Negotiation");
	cid_info(pk, dcil, dcid, scil, scid);
	if (!version)
		version_negotiation(pk, t, c, first, at);
	else if (!strcmp(name, "Retry"))
		retry(pk, t, c);
	else
		return long_body(pk, t, c, !strcmp(name, "Initial"));
	return true;
}

static void short_packet(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint8_t first = nm_cur_u8(c);
	nm_add_uint(pk, t, &fields[F_HEADER_FORM], at, 1, first);
	nm_add_bool(pk, t, &fields[F_FIXED_BIT], at, 1, first);
	nm_add_bool(pk, t, &fields[F_SPIN_BIT], at, 1, first);
	uint32_t n = nm_cur_left(c);
	if (n)
		nm_add_bytes(pk, t, &fields[F_REMAINING_PAYLOAD], c->pos, n, nm_cur_take(c, n));
	nm_append_info(pk, "%sProtected Payload (KP%u)", pk->info[0] ? ", " : "", (first >> 2) & 1u);
}

static int dissect_quic(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	nm_set_info(pk, "%s", "");
	int r = NM_OK;
	while (nm_cur_left(c) > 0 && r == NM_OK) {
		bool ok;
		uint32_t at = c->pos;
		uint8_t first = nm_cur_peek(c, 0, &ok);
		int t = nm_add_proto(pk, -1, &nm_proto_quic, at, nm_cur_left(c));
		if (first & 0x80) {
			if (!long_packet(pk, t, c)) {
				/* a length past the datagram: cut at the snap length
				 * (the framework tells that from malformed) */
				r = NM_TRUNCATED;
				nm_cur_skip(c, nm_cur_left(c));
			}
		} else {
			short_packet(pk, t, c);
		}
		/* The last packet of a datagram cut by the snap length counts its
		 * bytes on the wire, as tshark's reported length does. */
		uint32_t plen = c->pos - at;
		if (nm_cur_left(c) == 0 && c->end == pk->caplen && pk->wirelen > pk->caplen)
			plen += pk->wirelen - pk->caplen;
		nm_add_uint(pk, t, &fields[F_PACKET_LENGTH], at, 0, plen);
		if (pk->tree && t >= 0)
			pk->tree->nodes[t].length = c->pos - at;
	}
	nm_cur_skip(c, nm_cur_left(c));
	return r;
}

/* A long header with a QUIC version (not Google QUIC's "Qnnn"), or a short
 * header on port 443. */
static bool quic_heur(const nm_packet *pk, const nm_cursor *c)
{
	bool ok;
	uint8_t b[6];
	for (uint32_t i = 0; i < 6; i++)
		b[i] = nm_cur_peek(c, i, &ok);
	if (!ok)
		return false;
	uint32_t v = (uint32_t)b[1] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 8 | b[4];
	if (b[0] & 0x80)
		return known_version(v) && b[5] <= 20 && (v == 0 || (b[0] & 0x40));
	return (b[0] & 0x40) && (pk->flow.sport == 443 || pk->flow.dport == 443) && nm_cur_left(c) >= 21;
}

static void init_quic(void)
{
	nm_heur_add(NM_TAB_UDP_PORT, quic_heur, &nm_proto_quic);
}

nm_protocol nm_proto_quic = {
    "quic", "QUIC", "QUIC IETF", fields, F_COUNT, dissect_quic, init_quic, 0,
};
