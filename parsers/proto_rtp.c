/*
 * proto_rtp.c - Real-time Transport Protocol (RFC 3550) fixed header, CSRC
 * list, header extension (RFC 8285 one-byte elements) and padding.
 *
 * RTP has no port of its own; tshark finds it through the signalling (SIP
 * and SDP) or, when asked, a heuristic that is off by default.  To agree
 * with tshark on the corpus this dissector is not in any handoff table:
 * it is there for callers that know a flow is RTP (and for the tests).
 */
#include <stdio.h>

#include "protos.h"

enum {
	F_VERSION,
	F_PADDING,
	F_EXT,
	F_CC,
	F_MARKER,
	F_P_TYPE,
	F_SEQ,
	F_TIMESTAMP,
	F_SSRC,
	F_CSRC_ITEM,
	F_EXT_PROFILE,
	F_EXT_LEN,
	F_HDR_EXT,
	F_EXT_ID,
	F_EXT_ELEN,
	F_PAYLOAD,
	F_PADDING_DATA,
	F_PADDING_COUNT,
	F_COUNT
};

static const nm_vals payload_types[] = {
    {0, "ITU-T G.711 PCMU"},
    {2, "ITU-T G.721"},
    {3, "GSM 06.10"},
    {4, "ITU-T G.723"},
    {5, "DVI4 8000 samples/s"},
    {6, "DVI4 16000 samples/s"},
    {7, "Experimental linear predictive encoding from Xerox PARC"},
    {8, "ITU-T G.711 PCMA"},
    {9, "ITU-T G.722"},
    {10, "16-bit uncompressed audio, stereo"},
    {11, "16-bit uncompressed audio, monaural"},
    {12, "Qualcomm Code Excited Linear Predictive coding"},
    {13, "Comfort noise"},
    {14, "MPEG-I/II Audio"},
    {15, "ITU-T G.728"},
    {16, "DVI4 11025 samples/s"},
    {17, "DVI4 22050 samples/s"},
    {18, "ITU-T G.729"},
    {25, "Sun CellB video encoding"},
    {26, "JPEG-compressed video"},
    {28, "'nv' program"},
    {31, "ITU-T H.261"},
    {32, "MPEG-I/II Video"},
    {33, "MPEG-II transport streams"},
    {34, "ITU-T H.263"},
    {0, NULL},
};

#define FLAG(n, l, m)                                                                                                  \
	{                                                                                                              \
		n, l, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, m, NULL                                                       \
	}

static const nm_field fields[] = {
    [F_VERSION] = {"rtp.version", "Version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0xc0, NULL},
    [F_PADDING] = FLAG("rtp.padding", "Padding", 0x20),
    [F_EXT] = FLAG("rtp.ext", "Extension", 0x10),
    [F_CC] = {"rtp.cc", "Contributing source identifiers count", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x0f, NULL},
    [F_MARKER] = FLAG("rtp.marker", "Marker", 0x80),
    [F_P_TYPE] = {"rtp.p_type", "Payload type", NM_FT_UINT8, NM_BASE_DEC, payload_types, 0x7f, NULL},
    [F_SEQ] = {"rtp.seq", "Sequence number", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
    [F_TIMESTAMP] = {"rtp.timestamp", "Timestamp", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
    [F_SSRC] = {"rtp.ssrc", "Synchronization Source identifier", NM_FT_UINT32, NM_BASE_HEX_DEC, NULL, 0, NULL},
    [F_CSRC_ITEM] = {"rtp.csrc.item", "CSRC item", NM_FT_UINT32, NM_BASE_HEX_DEC, NULL, 0, NULL},
    [F_EXT_PROFILE] = {"rtp.ext.profile", "Defined by profile", NM_FT_UINT16, NM_BASE_HEX_DEC, NULL, 0, NULL},
    [F_EXT_LEN] = {"rtp.ext.len", "Extension length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
    [F_HDR_EXT] = {"rtp.hdr_ext", "Header extension", NM_FT_UINT32, NM_BASE_HEX_DEC, NULL, 0, NULL},
    [F_EXT_ID] = {"rtp.ext.rfc5285.id", "Identifier", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_EXT_ELEN] = {"rtp.ext.rfc5285.len", "Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_PAYLOAD] = {"rtp.payload", "Payload", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_PADDING_DATA] = {"rtp.padding.data", "Padding data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_PADDING_COUNT] = {"rtp.padding.count", "Padding count", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
};

/* RFC 8285 one-byte elements: ID and length nibbles, 0 bytes are padding. */
static void one_byte_elements(nm_packet *pk, int t, nm_cursor *e)
{
	while (nm_cur_left(e) > 0) {
		uint32_t at = e->pos;
		uint8_t b = nm_cur_u8(e);
		if (b == 0)
			continue;
		if ((b >> 4) == 15)
			break;
		uint8_t len = (uint8_t)((b & 0x0f) + 1);
		nm_add_uint(pk, t, &fields[F_EXT_ID], at, 1, b >> 4);
		nm_add_uint(pk, t, &fields[F_EXT_ELEN], at, 1, len);
		if (!nm_cur_skip(e, len))
			break;
	}
}

static bool extension(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint16_t profile = nm_cur_be16(c), words = nm_cur_be16(c);
	if (c->err || !nm_cur_has(c, words * 4u))
		return false;
	nm_add_uint(pk, t, &fields[F_EXT_PROFILE], at, 2, profile);
	nm_add_uint(pk, t, &fields[F_EXT_LEN], at + 2, 2, words);
	nm_cursor e = nm_cur_sub(c, words * 4u);
	if (profile == 0xbede) {
		one_byte_elements(pk, t, &e);
		return true;
	}
	while (nm_cur_left(&e) >= 4) {
		uint32_t p = e.pos;
		nm_add_uint(pk, t, &fields[F_HDR_EXT], p, 4, nm_cur_be32(&e));
	}
	return true;
}

/* Payload and, with the P bit, the padding whose count is the last byte. */
static bool payload(nm_packet *pk, int t, nm_cursor *c, bool padded)
{
	uint32_t n = nm_cur_left(c), pad = 0;
	if (padded) {
		pad = n ? c->data[c->pos + n - 1] : 0;
		if (pad == 0 || pad > n)
			return false;
	}
	if (n > pad)
		nm_add_bytes(pk, t, &fields[F_PAYLOAD], c->pos, n - pad, c->data + c->pos);
	if (pad > 1)
		nm_add_bytes(pk, t, &fields[F_PADDING_DATA], c->pos + n - pad, pad - 1, c->data + c->pos + n - pad);
	if (pad)
		nm_add_uint(pk, t, &fields[F_PADDING_COUNT], c->pos + n - 1, 1, pad);
	nm_cur_skip(c, n);
	return true;
}

static int dissect_rtp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	int t = nm_add_proto(pk, -1, &nm_proto_rtp, s, nm_cur_left(c));
	uint8_t b0 = nm_cur_u8(c), b1 = nm_cur_u8(c);
	uint16_t seq = nm_cur_be16(c);
	uint32_t ts = nm_cur_be32(c), ssrc = nm_cur_be32(c);
	if (c->err)
		return NM_TRUNCATED;
	if ((b0 >> 6) != 2)
		return NM_MALFORMED;
	nm_add_uint(pk, t, &fields[F_VERSION], s, 1, b0);
	nm_add_bool(pk, t, &fields[F_PADDING], s, 1, b0);
	nm_add_bool(pk, t, &fields[F_EXT], s, 1, b0);
	nm_add_uint(pk, t, &fields[F_CC], s, 1, b0);
	nm_add_bool(pk, t, &fields[F_MARKER], s + 1, 1, b1);
	nm_add_uint(pk, t, &fields[F_P_TYPE], s + 1, 1, b1);
	nm_add_uint(pk, t, &fields[F_SEQ], s + 2, 2, seq);
	nm_add_uint(pk, t, &fields[F_TIMESTAMP], s + 4, 4, ts);
	nm_add_uint(pk, t, &fields[F_SSRC], s + 8, 4, ssrc);
	char dyn[32];
	snprintf(dyn, sizeof dyn, "%s-%u", (b1 & 0x7f) >= 96 ? "DynamicRTP-Type" : "Unknown", b1 & 0x7fu);
	nm_set_info(pk, "PT=%s, SSRC=0x%X, Seq=%u, Time=%u%s", nm_val_label(payload_types, b1 & 0x7fu, dyn), ssrc, seq,
	            ts, b1 & 0x80 ? ", Mark" : "");
	for (unsigned i = 0; i < (b0 & 0x0fu); i++) {
		uint32_t at = c->pos;
		uint32_t csrc = nm_cur_be32(c);
		if (c->err)
			return NM_MALFORMED;
		nm_add_uint(pk, t, &fields[F_CSRC_ITEM], at, 4, csrc);
	}
	if ((b0 & 0x10) && !extension(pk, t, c))
		return NM_MALFORMED;
	return payload(pk, t, c, b0 & 0x20) ? NM_OK : NM_MALFORMED;
}

nm_protocol nm_proto_rtp = {
    "rtp", "RTP", "Real-Time Transport Protocol", fields, F_COUNT, dissect_rtp, NULL, 0,
};
