/*
 * proto_null.c - BSD loopback encapsulation: LINKTYPE_NULL (0) and
 * LINKTYPE_LOOP (108).
 *
 * The 4-byte header is an AF_ value.  For NULL it is in the byte order of
 * the host that wrote the file, which the file does not record; AF values
 * are small, so a value with only its top 16 bits set was written in the
 * other order and is swapped back (Wireshark's rule).  LOOP is always in
 * network order.  A value above 1500 is taken as an ethertype (null.type),
 * as some old captures did.  AF_INET6 differs between BSDs: 24 (NetBSD,
 * OpenBSD), 28 (FreeBSD), 30 (Darwin).
 */
#include "protos.h"

enum { F_TYPE, F_FAMILY, F_COUNT };

static const nm_vals family_vals[] = {
	{2, "IP"},       {7, "OSI"},      {11, "Appletalk"}, {23, "Netware IPX/SPX"},
	{24, "IPv6"},    {28, "IPv6"},    {30, "IPv6"},      {0, NULL},
};

static const nm_field fields[] = {
	[F_TYPE] = {"null.type", "Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_FAMILY] = {"null.family", "Family", NM_FT_UINT32, NM_BASE_DEC, family_vals, 0, NULL},
};

static uint32_t bswap32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

static int dispatch_family(nm_packet *pk, nm_cursor *c, uint32_t af)
{
	uint16_t ethertype = 0;
	if (af == 2)
		ethertype = 0x0800;
	else if (af == 24 || af == 28 || af == 30)
		ethertype = 0x86dd;
	const nm_protocol *p = ethertype ? nm_handoff_find(NM_TAB_ETHERTYPE, ethertype) : NULL;
	return p ? nm_call(p, pk, c, -1) : nm_call_data(pk, c, -1);
}

static int dissect_null(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint32_t v;
	if (pk->linktype == 108) {
		v = nm_cur_be32(c);
	} else {
		v = nm_cur_le32(c);
		if ((v & 0xffff0000u) && !(v & 0xffffu))
			v = bswap32(v);
	}
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_null, start, 4);
	if (v > 1500) {
		nm_add_uint(pk, t, &fields[F_TYPE], start, 4, v & 0xffff);
		return nm_eth_handoff(pk, c, (uint16_t)v);
	}
	nm_add_uint(pk, t, &fields[F_FAMILY], start, 4, v);
	return dispatch_family(pk, c, v);
}

static void init_null(void)
{
	nm_handoff_add(NM_TAB_LINKTYPE, 0, &nm_proto_null);   /* LINKTYPE_NULL */
	nm_handoff_add(NM_TAB_LINKTYPE, 108, &nm_proto_null); /* LINKTYPE_LOOP */
}

nm_protocol nm_proto_null = {
	"null", "Null", "Null/Loopback", fields, F_COUNT, dissect_null, init_null, 0,
};
