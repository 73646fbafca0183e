/*
 * proto_udp.c - User Datagram Protocol (RFC 768).
 *
 * udp.length bounds the payload (the rest is IP-level slack); a length
 * below the header size, or above what the IP layer announced, makes the
 * datagram malformed and its payload is not interpreted.
 */
#include "protos.h"

enum {
	F_SRCPORT,
	F_DSTPORT,
	F_PORT,
	F_LENGTH,
	F_CHECKSUM,
	F_PAYLOAD,
	F_COUNT
};

static const nm_field fields[] = {
	[F_SRCPORT] = {"udp.srcport", "Source Port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_DSTPORT] = {"udp.dstport", "Destination Port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_PORT] = {"udp.port", "Source or Destination Port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_LENGTH] = {"udp.length", "Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0,
		      "Length in octets including this header and the data"},
	[F_CHECKSUM] = {"udp.checksum", "Checksum", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_PAYLOAD] = {"udp.payload", "Payload", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

int nm_port_handoff(nm_table tab, uint16_t sport, uint16_t dport, nm_packet *pk, nm_cursor *c)
{
	uint16_t lo = sport < dport ? sport : dport, hi = sport < dport ? dport : sport;
	int r = NM_OK;
	if (nm_cur_left(c) == 0) /* no payload: nothing to hand on (a bare SYN is not DNS) */
		return NM_OK;
	if (nm_call_table(tab, lo, pk, c, -1, &r))
		return r;
	if (hi != lo && nm_call_table(tab, hi, pk, c, -1, &r))
		return r;
	const nm_protocol *heur = nm_heur_find(tab, pk, c); /* content heuristics, after ports as in tshark */
	if (heur)
		return nm_call(heur, pk, c, -1);
	return nm_call_data(pk, c, -1);
}

static int dissect_udp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	uint16_t sport = nm_cur_be16(c);
	uint16_t dport = nm_cur_be16(c);
	uint16_t len = nm_cur_be16(c);
	uint16_t sum = nm_cur_be16(c);
	int t = nm_add_proto(pk, -1, &nm_proto_udp, s, c->err ? nm_cur_left(c) + (c->pos - s) : 8);
	if (s + 4 <= c->pos) {
		nm_add_uint(pk, t, &fields[F_SRCPORT], s, 2, sport);
		nm_add_uint(pk, t, &fields[F_DSTPORT], s + 2, 2, dport);
		nm_hide(pk, nm_add_uint(pk, t, &fields[F_PORT], s, 2, sport));
		nm_hide(pk, nm_add_uint(pk, t, &fields[F_PORT], s + 2, 2, dport));
		pk->flow.sport = sport;
		pk->flow.dport = dport;
	}
	/* Info in one call on each path (an append measures the text again). */
	if (c->err) {
		if (s + 4 <= c->pos)
			nm_set_info(pk, "%u → %u", sport, dport);
		return NM_TRUNCATED;
	}
	nm_add_uint(pk, t, &fields[F_LENGTH], s + 4, 2, len);
	/* Length 0 is an IPv6 jumbogram's: the IP layer gives the length. */
	uint32_t ulen = len == 0 && pk->flow.family == 6 ? pk->ip_plen : len;
	if (ulen < 8) {
		nm_set_info(pk, "%u → %u [BAD UDP LENGTH %u < 8]", sport, dport, ulen);
		return NM_MALFORMED;
	}
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 6, 2, sum);
	/* A length past the IP payload is flagged, but (as Wireshark) the IP
	 * payload is still shown and handed on. */
	bool bogus = pk->ip_plen && ulen > pk->ip_plen;
	if (bogus)
		nm_set_info(pk, "%u → %u [BAD UDP LENGTH %u > IP PAYLOAD LENGTH] Len=%u", sport, dport, ulen, ulen - 8);
	else
		nm_set_info(pk, "%u → %u Len=%u", sport, dport, ulen - 8);
	nm_cursor pl = nm_cur_sub(c, (bogus && pk->ip_plen >= 8 ? pk->ip_plen : ulen) - 8);
	/* Wireshark's udp.payload runs to the end of the IP payload even when
	 * the UDP length ends sooner; the next protocol gets the UDP length. */
	if (nm_cur_left(&pl))
		nm_add_bytes(pk, t, &fields[F_PAYLOAD], pl.pos, nm_cur_left(&pl) + nm_cur_left(c), pk->data + pl.pos);
	int r = nm_port_handoff(NM_TAB_UDP_PORT, sport, dport, pk, &pl);
	return r == NM_OK && bogus ? NM_MALFORMED : r;
}

static void init_udp(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 17, &nm_proto_udp);
}

nm_protocol nm_proto_udp = {
	"udp", "UDP", "User Datagram Protocol", fields, F_COUNT, dissect_udp, init_udp, 0,
};
