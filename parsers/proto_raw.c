/*
 * proto_raw.c - frames that start with an IP header and nothing else.
 *
 * LINKTYPE_RAW (101, and the DLT_RAW values 12 and 14 some platforms wrote
 * into files) can hold IPv4 or IPv6, told apart by the version nibble;
 * tshark shows a "raw" layer for them.  LINKTYPE_IPV4 (228) and
 * LINKTYPE_IPV6 (229) name their protocol outright and tshark hands them
 * straight to ip/ipv6 with no "raw" layer, whatever the version nibble says.
 * IP lives in another file; it is found through the ethertype table so this
 * file does not depend on its symbols.
 */
#include <string.h>

#include "protos.h"

enum { LT_RAW = 101, LT_IPV4 = 228, LT_IPV6 = 229 };

static int call_ethertype(nm_packet *pk, nm_cursor *c, uint16_t type)
{
	const nm_protocol *p = nm_handoff_find(NM_TAB_ETHERTYPE, type);
	return p ? nm_call(p, pk, c, -1) : nm_call_data(pk, c, -1);
}

/* Undo the bookkeeping nm_call did for this layer: for 228/229 tshark has
 * no layer of its own, and frame.protocols and statistics must agree. */
static void forget_raw_layer(nm_packet *pk)
{
	size_t n = strlen(pk->protocols), k = strlen(nm_proto_raw.name);
	if (n >= k && strcmp(pk->protocols + n - k, nm_proto_raw.name) == 0) {
		n -= k;
		if (n > 0 && pk->protocols[n - 1] == ':')
			n--;
		pk->protocols[n] = '\0';
	}
	if (pk->nprotos > 0 && pk->proto_ids[pk->nprotos - 1] == nm_proto_raw.id)
		pk->nprotos--;
}

static int dissect_raw(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	if (pk->linktype == LT_IPV4 || pk->linktype == LT_IPV6) {
		forget_raw_layer(pk);
		return call_ethertype(pk, c, pk->linktype == LT_IPV4 ? 0x0800 : 0x86dd);
	}
	nm_add_proto(pk, -1, &nm_proto_raw, c->pos, nm_cur_left(c));
	bool ok;
	uint8_t b0 = nm_cur_peek(c, 0, &ok);
	if (!ok)
		return NM_OK; /* an empty frame: nothing to show */
	switch (b0 >> 4) {
	case 4:
		return call_ethertype(pk, c, 0x0800);
	case 6:
		return call_ethertype(pk, c, 0x86dd);
	default:
		return nm_call_data(pk, c, -1);
	}
}

static void init_raw(void)
{
	static const uint32_t linktypes[] = {12, 14, LT_RAW, LT_IPV4, LT_IPV6};
	for (size_t i = 0; i < sizeof linktypes / sizeof linktypes[0]; i++)
		nm_handoff_add(NM_TAB_LINKTYPE, linktypes[i], &nm_proto_raw);
}

nm_protocol nm_proto_raw = {
	"raw", "Raw", "Raw packet data", NULL, 0, dissect_raw, init_raw, 0,
};
