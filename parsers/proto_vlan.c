/*
 * proto_vlan.c - IEEE 802.1Q VLAN tags and the 802.1ad service tag.
 *
 * A tag is 2 bytes of TCI (priority, DEI, VLAN id) and the inner
 * type/length word.  Wireshark decodes ethertypes 0x8100 and 0x9100 (the
 * old pre-standard QinQ type) as "vlan", but 0x88a8 as a protocol of its
 * own, "ieee8021ad", with field names from its 802.1ah dissector; tshark
 * is our oracle, so both are here.  The innermost tag frames the payload,
 * so padding and trailer are shown under it, as Wireshark does.
 */
#include "protos.h"

enum { F_PRIORITY, F_DEI, F_ID, F_ETYPE, F_LEN, F_TRAILER, F_COUNT };

static const nm_vals priority_vals[] = {
	{0, "Best Effort (default)"},
	{1, "Background"},
	{2, "Excellent Effort"},
	{3, "Critical Applications"},
	{4, "Video, < 100ms latency and jitter"},
	{5, "Voice, < 10ms latency and jitter"},
	{6, "Internetwork Control"},
	{7, "Network Control"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_PRIORITY] = {"vlan.priority", "Priority", NM_FT_UINT16, NM_BASE_DEC, priority_vals, 0xe000,
			"Descriptions are recommendations from IEEE standard 802.1D-2004"},
	[F_DEI] = {"vlan.dei", "DEI", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x1000, "Drop Eligible Indicator"},
	[F_ID] = {"vlan.id", "ID", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x0fff, "VLAN ID"},
	[F_ETYPE] = {"vlan.etype", "Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, "Ethertype"},
	[F_LEN] = {"vlan.len", "Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_TRAILER] = {"vlan.trailer", "Trailer", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "VLAN Trailer"},
};

enum { A_PRIORITY, A_DEI, A_ID, A_ETYPE, A_TRAILER, A_COUNT };

static const nm_field ad_fields[] = {
	[A_PRIORITY] = {"ieee8021ad.priority", "Priority", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xe000, NULL},
	/* An integer, not a boolean, in Wireshark's 802.1ad dissector. */
	[A_DEI] = {"ieee8021ad.dei", "DEI", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x1000, NULL},
	[A_ID] = {"ieee8021ad.id", "ID", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x0fff, NULL},
	[A_ETYPE] = {"ieee8021ah.etype", "Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[A_TRAILER] = {"ieee8021ah.trailer", "Trailer", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

static int dissect_vlan(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint16_t tci = nm_cur_be16(c);
	uint16_t type = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	unsigned pri = tci >> 13, dei = (tci >> 12) & 1, id = tci & 0xfff;
	nm_set_info(pk, "PRI: %u  DEI: %u  ID: %u", pri, dei, id);
	int t = nm_add_proto(pk, -1, &nm_proto_vlan, start, 4);
	nm_add_uint(pk, t, &fields[F_PRIORITY], start, 2, tci);
	nm_add_bool(pk, t, &fields[F_DEI], start, 2, tci);
	nm_add_uint(pk, t, &fields[F_ID], start, 2, tci);
	nm_add_uint(pk, t, &fields[type >= 0x600 ? F_ETYPE : F_LEN], start + 2, 2, type);
	if (type > 1500 && type < 0x600)
		return NM_MALFORMED;
	return nm_eth_payload(pk, c, type, t, &fields[F_TRAILER]);
}

static int dissect_8021ad(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint16_t tci = nm_cur_be16(c);
	uint16_t type = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	nm_set_info(pk, "PRI: %u  DEI: %u  ID: %u", tci >> 13, (tci >> 12) & 1, tci & 0xfff);
	int t = nm_add_proto(pk, -1, &nm_proto_ieee8021ad, start, 4);
	nm_add_uint(pk, t, &ad_fields[A_PRIORITY], start, 1, tci);
	nm_add_uint(pk, t, &ad_fields[A_DEI], start, 1, tci);
	nm_add_uint(pk, t, &ad_fields[A_ID], start, 2, tci);
	nm_add_uint(pk, t, &ad_fields[A_ETYPE], start + 2, 2, type);
	if (type < 0x600)
		return NM_MALFORMED; /* 802.1ad carries an ethertype, never a length */
	return nm_eth_payload(pk, c, type, t, &ad_fields[A_TRAILER]);
}

static void init_vlan(void)
{
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x8100, &nm_proto_vlan);
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x9100, &nm_proto_vlan);
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x88a8, &nm_proto_ieee8021ad);
}

nm_protocol nm_proto_vlan = {
	"vlan", "VLAN", "802.1Q Virtual LAN", fields, F_COUNT, dissect_vlan, init_vlan, 0,
};

nm_protocol nm_proto_ieee8021ad = {
	"ieee8021ad", "IEEE 802.1ad", "IEEE 802.1ad", ad_fields, A_COUNT, dissect_8021ad, NULL, 0,
};
