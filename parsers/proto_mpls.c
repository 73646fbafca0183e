/*
 * proto_mpls.c - MPLS label stacks (RFC 3032), on ethertypes 0x8847/0x8848,
 * PPP protocol 0x0281/0x0283 and MPLS-in-UDP (RFC 7510, port 6635).
 *
 * A label stack entry is one 32-bit word: label (20 bits), traffic class
 * (Wireshark still calls it "exp"), bottom-of-stack bit and TTL.  Wireshark
 * adds one "mpls" tree per entry but names the protocol once in
 * frame.protocols, so the whole stack is one call here.  Nothing in the
 * header says what follows the bottom entry: like tshark's default we look
 * at the first nibble (4: IPv4, 6: IPv6) and leave anything else as data.
 */
#include "protos.h"

enum { F_LABEL, F_EXP, F_BOTTOM, F_TTL, F_COUNT };

static const nm_field fields[] = {
	[F_LABEL] = {"mpls.label", "MPLS Label", NM_FT_UINT32, NM_BASE_DEC_HEX, NULL, 0xfffff000, NULL},
	[F_EXP] = {"mpls.exp", "MPLS Experimental Bits", NM_FT_UINT32, NM_BASE_DEC, NULL, 0xe00, NULL},
	[F_BOTTOM] = {"mpls.bottom", "MPLS Bottom Of Label Stack", NM_FT_UINT32, NM_BASE_DEC, NULL, 0x100, NULL},
	[F_TTL] = {"mpls.ttl", "MPLS TTL", NM_FT_UINT32, NM_BASE_DEC, NULL, 0xff, NULL},
};

/* Stacks deeper than this are not real traffic; stop walking (the rest is data). */
#define MAX_LABELS 32

static void add_entry(nm_packet *pk, uint32_t off, uint32_t w)
{
	if (!pk->tree)
		return;
	int t = nm_add_proto(pk, -1, &nm_proto_mpls, off, 4);
	nm_add_uint(pk, t, &fields[F_LABEL], off, 3, w);
	nm_add_uint(pk, t, &fields[F_EXP], off + 2, 1, w);
	nm_add_uint(pk, t, &fields[F_BOTTOM], off + 2, 1, w);
	nm_add_uint(pk, t, &fields[F_TTL], off + 3, 1, w);
}

/* What follows the bottom of the stack, guessed from its first nibble. */
static int payload(nm_packet *pk, nm_cursor *c)
{
	bool ok;
	uint8_t b = nm_cur_peek(c, 0, &ok);
	if (!ok)
		return NM_OK;
	if (b >> 4 == 4)
		return nm_call(&nm_proto_ip, pk, c, -1);
	if (b >> 4 == 6)
		return nm_call(&nm_proto_ipv6, pk, c, -1);
	return nm_call_data(pk, c, -1);
}

static int dissect_mpls(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	for (int i = 0; i < MAX_LABELS; i++) {
		uint32_t off = c->pos;
		uint32_t w = nm_cur_be32(c);
		if (c->err)
			return NM_TRUNCATED;
		add_entry(pk, off, w);
		if (i == 0)
			nm_set_info(pk, "MPLS Label: %u", w >> 12);
		if (w & 0x100)
			return payload(pk, c);
	}
	return nm_call_data(pk, c, -1);
}

static void init_mpls(void)
{
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x8847, &nm_proto_mpls);
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x8848, &nm_proto_mpls); /* multicast */
	nm_handoff_add(NM_TAB_UDP_PORT, 6635, &nm_proto_mpls);
}

nm_protocol nm_proto_mpls = {
	"mpls", "MPLS", "MultiProtocol Label Switching Header", fields, F_COUNT, dissect_mpls, init_mpls, 0,
};
