/*
 * proto_vxlan.c - VXLAN (RFC 7348) on UDP 4789, with the Group Based
 * Policy extension's fields as Wireshark shows them.
 *
 * 8 bytes: a 16-bit flags word, the 16-bit group policy id (reserved
 * unless the G flag is set, but Wireshark shows it either way), a 24-bit
 * VNI and a reserved byte; then a whole Ethernet frame, dissected fully, so
 * the flow key ends up being the inner one.
 */
#include "protos.h"

enum { F_FLAGS, F_G, F_I, F_D, F_A, F_RESERVED, F_GBP, F_VNI, F_RES8, F_COUNT };

static const nm_field fields[] = {
	[F_FLAGS] = {"vxlan.flags", "Flags", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_G] = {"vxlan.flag_g", "GBP Extension", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8000, NULL},
	[F_I] = {"vxlan.flag_i", "VXLAN Network ID (VNI)", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x800, NULL},
	[F_D] = {"vxlan.flag_d", "Don't Learn", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x40, NULL},
	[F_A] = {"vxlan.flag_a", "Policy Applied", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8, NULL},
	[F_RESERVED] = {"vxlan.flags_reserved", "Reserved(R)", NM_FT_UINT16, NM_BASE_HEX, NULL, 0x77b7, NULL},
	[F_GBP] = {"vxlan.gbp", "Group Policy ID", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_VNI] = {"vxlan.vni", "VXLAN Network Identifier (VNI)", NM_FT_UINT24, NM_BASE_DEC, NULL, 0, NULL},
	[F_RES8] = {"vxlan.reserved8", "Reserved", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
};

static void add_header(nm_packet *pk, uint32_t off, uint16_t flags, uint16_t gbp, uint32_t vni, uint8_t res)
{
	if (!pk->tree)
		return;
	int t = nm_add_proto(pk, -1, &nm_proto_vxlan, off, 8);
	int f = nm_add_uint(pk, t, &fields[F_FLAGS], off, 2, flags);
	for (int i = F_G; i <= F_A; i++)
		nm_add_bool(pk, f, &fields[i], off, 2, flags);
	nm_add_uint(pk, f, &fields[F_RESERVED], off, 2, flags);
	nm_add_uint(pk, t, &fields[F_GBP], off + 2, 2, gbp);
	nm_add_uint(pk, t, &fields[F_VNI], off + 4, 3, vni);
	nm_add_uint(pk, t, &fields[F_RES8], off + 7, 1, res);
}

static int dissect_vxlan(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint16_t flags = nm_cur_be16(c), gbp = nm_cur_be16(c);
	uint32_t vni = nm_cur_be24(c);
	uint8_t res = nm_cur_u8(c);
	if (c->err)
		return NM_TRUNCATED;
	add_header(pk, start, flags, gbp, vni, res);
	if (nm_cur_left(c) == 0)
		return NM_OK;
	return nm_call(&nm_proto_eth, pk, c, -1);
}

static void init_vxlan(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 4789, &nm_proto_vxlan);
}

nm_protocol nm_proto_vxlan = {
	"vxlan", "VXLAN", "Virtual eXtensible Local Area Network", fields, F_COUNT, dissect_vxlan, init_vxlan, 0,
};
