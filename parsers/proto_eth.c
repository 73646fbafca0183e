/*
 * proto_eth.c - Ethernet II and IEEE 802.3 framing.
 *
 * This file is the model for a protocol: a field table, a dissector that
 * reads through the cursor, fills the summary columns and hands off, and an
 * init that registers it in the handoff tables.
 *
 * A type/length value of 1536 (0x0600) or more is an ethertype (Ethernet
 * II); 1500 or less is an 802.3 length followed by LLC.  Bytes after an
 * 802.3 length are trailer/padding, not payload.
 */
#include <string.h>

#include "protos.h"

enum {
	F_DST,
	F_DST_LG,
	F_DST_IG,
	F_SRC,
	F_SRC_LG,
	F_SRC_IG,
	F_ADDR,
	F_LG,
	F_IG,
	F_TYPE,
	F_LEN,
	F_PADDING,
	F_TRAILER,
	F_FCS,
	F_FCS_STATUS,
	F_COUNT
};

static const nm_vals fcs_status_vals[] = {{0, "Bad"}, {1, "Good"}, {2, "Unverified"}, {0, NULL}};

static const nm_field fields[] = {
	[F_DST] = {"eth.dst", "Destination", NM_FT_ETHER, NM_BASE_NONE, NULL, 0, "Destination Hardware Address"},
	[F_DST_LG] = {"eth.dst.lg", "LG bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x20000,
		      "Locally administered or globally unique (IEEE assigned) address"},
	[F_DST_IG] = {"eth.dst.ig", "IG bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x10000,
		      "Individual (unicast) or group (broadcast/multicast) address"},
	[F_SRC] = {"eth.src", "Source", NM_FT_ETHER, NM_BASE_NONE, NULL, 0, "Source Hardware Address"},
	[F_SRC_LG] = {"eth.src.lg", "LG bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x20000,
		      "Locally administered or globally unique (IEEE assigned) address"},
	[F_SRC_IG] = {"eth.src.ig", "IG bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x10000,
		      "Individual (unicast) or group (broadcast/multicast) address"},
	[F_ADDR] = {"eth.addr", "Address", NM_FT_ETHER, NM_BASE_NONE, NULL, 0,
		    "Source or Destination Hardware Address"},
	[F_LG] = {"eth.lg", "LG bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x20000, NULL},
	[F_IG] = {"eth.ig", "IG bit", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x10000, NULL},
	[F_TYPE] = {"eth.type", "Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_LEN] = {"eth.len", "Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_PADDING] = {"eth.padding", "Padding", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "Ethernet Padding"},
	[F_TRAILER] = {"eth.trailer", "Trailer", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "Ethernet Trailer or Checksum"},
	[F_FCS] = {"eth.fcs", "Frame check sequence", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, "Ethernet checksum"},
	[F_FCS_STATUS] = {"eth.fcs.status", "FCS Status", NM_FT_UINT8, NM_BASE_DEC, fcs_status_vals, 0, NULL},
};


static void add_mac(nm_packet *pk, int t, int f, int lg, int ig, uint32_t off, const uint8_t *mac)
{
	uint32_t oui = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2];
	int n = nm_add_ether(pk, t, &fields[f], off, mac);
	nm_add_bool(pk, n, &fields[lg], off, 3, oui);
	nm_add_bool(pk, n, &fields[ig], off, 3, oui);
	int a = nm_add_ether(pk, t, &fields[F_ADDR], off, mac);
	nm_hide(pk, a);
	nm_hide(pk, nm_add_bool(pk, a, &fields[F_LG], off, 3, oui));
	nm_hide(pk, nm_add_bool(pk, a, &fields[F_IG], off, 3, oui));
}

static void mark_cast(nm_packet *pk, const uint8_t *dst)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	if (memcmp(dst, bcast, 6) == 0)
		pk->flags |= NM_PKT_BROADCAST;
	else if (dst[0] & 1)
		pk->flags |= NM_PKT_MULTICAST;
}

/* Hand off by ethertype; unknown types become "data". Shared with VLAN. */
int nm_eth_handoff(nm_packet *pk, nm_cursor *c, uint16_t type)
{
	int r = NM_OK;
	nm_path_push(pk, "ethertype");
	if (!nm_call_table(NM_TAB_ETHERTYPE, type, pk, c, -1, &r))
		r = nm_call_data(pk, c, -1);
	return r;
}

static bool all_zero(const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * What the payload left unread.  As Wireshark does: on a frame of at least
 * the 60-byte Ethernet minimum, zero bytes from the payload's end up to
 * offset 60 are padding (non-zero ones mean it was not padding at all), and
 * everything after that is a trailer, shown under the layer that framed the
 * payload (eth.trailer, vlan.trailer, sll.trailer ...).  Ethernet itself
 * (`fcs`) also guesses, like Wireshark, that a frame of 64 bytes or more
 * whose trailer has room for it ends with a 4-byte FCS (unverified).
 */
static void trailer(nm_packet *pk, nm_cursor *c, int tree, const nm_field *tf, bool fcs)
{
	uint32_t at = c->pos, n = nm_cur_left(c);
	if (c->err || n == 0)
		return;
	const uint8_t *b = nm_cur_take(c, n);
	uint32_t pad = 0;
	if (pk->wirelen >= 60 && at < 60) {
		pad = 60 - at < n ? 60 - at : n;
		if (!all_zero(b, pad))
			pad = 0;
	}
	if (pad)
		nm_add_bytes(pk, tree, &fields[F_PADDING], at, pad, b);
	uint32_t rest = n - pad, fcs_len = fcs && rest >= 4 ? 4 : 0;
	if (rest > fcs_len)
		nm_add_bytes(pk, tree, tf, at + pad, rest - fcs_len, b + pad);
	if (fcs_len) {
		const uint8_t *f = b + n - 4;
		uint32_t v = (uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
		nm_add_uint(pk, tree, &fields[F_FCS], at + n - 4, 4, v);
		nm_add_uint(pk, tree, &fields[F_FCS_STATUS], at + n - 4, 0, 2);
	}
}

void nm_eth_trailer(nm_packet *pk, nm_cursor *c, int tree, const nm_field *tf)
{
	trailer(pk, c, tree, tf, false);
}

/* An IEEE 802.3 length bounds the LLC payload; a type hands off. */
static int payload(nm_packet *pk, nm_cursor *c, uint16_t type, int tree, const nm_field *tf, bool fcs)
{
	int r;
	if (type <= 1500) {
		nm_cursor llc = nm_cur_sub(c, type);
		r = nm_call(&nm_proto_llc, pk, &llc, -1);
	} else {
		r = nm_eth_handoff(pk, c, type);
	}
	/* As Wireshark: a payload that is malformed inside the length its own
	 * header gave still leaves the bytes past that length as a trailer.
	 * (A capture that ran out leaves nothing past it; a header too bogus
	 * to give a length consumes the rest itself.) */
	if (r == NM_OK || (!c->err && nm_cur_left(c)))
		trailer(pk, c, tree, tf, fcs);
	return r;
}

int nm_eth_payload(nm_packet *pk, nm_cursor *c, uint16_t type, int tree, const nm_field *tf)
{
	return payload(pk, c, type, tree, tf, false);
}

static int dissect_eth(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	const uint8_t *dst = nm_cur_take(c, 6);
	const uint8_t *src = nm_cur_take(c, 6);
	uint16_t type = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;

	nm_set_src_dst_fmt(pk, nm_fmt_ether, src, dst);
	mark_cast(pk, dst);

	int t = nm_add_proto(pk, -1, &nm_proto_eth, start, 14);
	if (pk->tree) { /* ingest: fourteen calls that would add nothing */
		add_mac(pk, t, F_DST, F_DST_LG, F_DST_IG, start, dst);
		add_mac(pk, t, F_SRC, F_SRC_LG, F_SRC_IG, start + 6, src);
		nm_add_uint(pk, t, &fields[type >= 0x600 ? F_TYPE : F_LEN], start + 12, 2, type);
	}
	if (type > 1500 && type < 0x600) {
		/* Neither a length nor an ethertype (Wireshark: eth.invalid_lentype). */
		nm_set_info(pk, "Invalid length/type: 0x%04x (%u)", type, type);
		return NM_MALFORMED;
	}
	/* The FCS guess needs the frame's length on the wire from here on. */
	uint32_t end = c->end == pk->caplen && pk->wirelen > pk->caplen ? pk->wirelen : c->end;
	return payload(pk, c, type, t, &fields[F_TRAILER], end - start >= 64);
}

static void init_eth(void)
{
	nm_handoff_add(NM_TAB_LINKTYPE, 1, &nm_proto_eth); /* LINKTYPE_ETHERNET */
}

nm_protocol nm_proto_eth = {
	"eth", "Ethernet", "Ethernet II", fields, F_COUNT, dissect_eth, init_eth, 0,
};
