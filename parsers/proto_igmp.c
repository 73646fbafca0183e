/*
 * proto_igmp.c - Internet Group Management Protocol v1/v2/v3 (RFC 1112,
 * 2236, 3376), IP protocol 2.
 *
 * The version follows Wireshark's rule: a query of 8 bytes is v1 when its
 * max-response code is 0, else v2; a longer query is v3; reports carry
 * their version in the type.  Wireshark hands the message to a per-version
 * sub-dissector also named "igmp", so frame.protocols shows "igmp:igmp".
 * Group records and source lists are bounded by their counts and by the
 * window; a count larger than the bytes present stops at the end.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_VERSION, F_TYPE, F_MAX_RESP, F_CHECKSUM, F_CHECKSUM_STATUS, F_MADDR, F_S, F_QRV, F_QQIC,
	F_NUM_SRC, F_SADDR, F_RESERVED, F_NUM_GRP_RECS, F_RECORD_TYPE, F_AUX_DATA_LEN, F_COUNT
};

static const nm_vals type_vals[] = {
	{0x11, "Membership Query"}, {0x12, "Membership Report"}, {0x13, "DVMRP Protocol"},
	{0x14, "PIM Protocol"},	    {0x15, "Cisco Trace Messages"}, {0x16, "Membership Report"},
	{0x17, "Leave Group"},	    {0x1e, "Traceroute Response"}, {0x1f, "Traceroute Query or Request"},
	{0x22, "Membership Report"}, {0x30, "Multicast Router Advertisement"},
	{0x31, "Multicast Router Solicitation"}, {0x32, "Multicast Router Termination"}, {0, NULL},
};

static const nm_vals status_vals[] = {{0, "Bad"}, {1, "Good"}, {2, "Unverified"}, {0, NULL}};

static const nm_vals record_vals[] = {
	{1, "Mode Is Include"}, {2, "Mode Is Exclude"}, {3, "Change To Include Mode"},
	{4, "Change To Exclude Mode"}, {5, "Allow New Sources"}, {6, "Block Old Sources"}, {0, NULL},
};

static const nm_field fields[] = {
	[F_VERSION] = {"igmp.version", "IGMP Version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_TYPE] = {"igmp.type", "Type", NM_FT_UINT8, NM_BASE_HEX, type_vals, 0, "IGMP Packet Type"},
	[F_MAX_RESP] = {"igmp.max_resp", "Max Resp Time", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, "Max Response Time"},
	[F_CHECKSUM] = {"igmp.checksum", "Checksum", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, "IGMP Checksum"},
	[F_CHECKSUM_STATUS] = {"igmp.checksum.status", "Checksum Status", NM_FT_UINT8, NM_BASE_NONE, status_vals,
			       0, NULL},
	[F_MADDR] = {"igmp.maddr", "Multicast Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_S] = {"igmp.s", "S", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8, "Suppress Router Side Processing"},
	[F_QRV] = {"igmp.qrv", "QRV", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x7, "Querier's Robustness Value"},
	[F_QQIC] = {"igmp.qqic", "QQIC", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, "Querier's Query Interval Code"},
	[F_NUM_SRC] = {"igmp.num_src", "Num Src", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, "Number Of Sources"},
	[F_SADDR] = {"igmp.saddr", "Source Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_RESERVED] = {"igmp.reserved", "Reserved", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, "IGMP Reserved"},
	[F_NUM_GRP_RECS] = {"igmp.num_grp_recs", "Num Group Records", NM_FT_UINT16, NM_BASE_DEC, NULL, 0,
			    "Number Of Group Records"},
	[F_RECORD_TYPE] = {"igmp.record_type", "Record Type", NM_FT_UINT8, NM_BASE_DEC, record_vals, 0, NULL},
	[F_AUX_DATA_LEN] = {"igmp.aux_data_len", "Aux Data Len", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
			    "Aux Data Len, In units of 32bit words"},
};

static uint16_t inet_sum(const uint8_t *p, uint32_t n)
{
	uint32_t sum = 0;
	for (uint32_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* v3 codes of 128 and up are a float: (mantissa | 0x10) << (exp + 3). */
static unsigned v3_max_resp(uint8_t code)
{
	return code < 128 ? code : (unsigned)((code & 0x0f) | 0x10) << (((code >> 4) & 7) + 3);
}

static int version_of(uint8_t type, uint8_t code, uint32_t len)
{
	switch (type) {
	case 0x11:
		return len > 8 ? 3 : code == 0 ? 1 : 2;
	case 0x12:
		return 1;
	case 0x16:
	case 0x17:
		return 2;
	case 0x22:
		return 3;
	default:
		return 0;
	}
}

static void add_sources(nm_packet *pk, int t, nm_cursor *c, unsigned n)
{
	for (unsigned i = 0; i < n && nm_cur_has(c, 4); i++) {
		uint32_t at = c->pos;
		nm_add_ipv4(pk, t, &fields[F_SADDR], at, nm_cur_take(c, 4));
	}
	if (n && !nm_cur_has(c, 4))
		c->err = c->err || nm_cur_left(c) < 4;
}

static void v3_query(nm_packet *pk, int t, nm_cursor *c, const uint8_t *maddr)
{
	uint32_t at = c->pos;
	uint8_t sq = nm_cur_u8(c), qqic = nm_cur_u8(c);
	uint16_t nsrc = nm_cur_be16(c);
	if (c->err)
		return;
	nm_add_bool(pk, t, &fields[F_S], at, 1, sq);
	nm_add_uint(pk, t, &fields[F_QRV], at, 1, sq);
	nm_add_uint(pk, t, &fields[F_QQIC], at + 1, 1, qqic);
	nm_add_uint(pk, t, &fields[F_NUM_SRC], at + 2, 2, nsrc);
	char g[16];
	nm_fmt_ipv4(g, sizeof g, maddr);
	if (memcmp(maddr, "\0\0\0\0", 4) == 0)
		nm_append_info(pk, ", general");
	else if (nsrc == 0)
		nm_append_info(pk, ", specific for group %s", g);
	else
		nm_append_info(pk, ", specific for source/group %s", g);
	add_sources(pk, t, c, nsrc);
}

static void v3_report(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	const uint8_t *res = nm_cur_take(c, 2);
	uint16_t nrec = nm_cur_be16(c);
	if (c->err)
		return;
	nm_add_bytes(pk, t, &fields[F_RESERVED], at, 2, res);
	nm_add_uint(pk, t, &fields[F_NUM_GRP_RECS], at + 2, 2, nrec);
	for (unsigned i = 0; i < nrec && !c->err; i++) {
		at = c->pos;
		uint8_t rtype = nm_cur_u8(c), aux = nm_cur_u8(c);
		uint16_t nsrc = nm_cur_be16(c);
		const uint8_t *g = nm_cur_take(c, 4);
		if (c->err)
			return;
		char gs[16];
		nm_fmt_ipv4(gs, sizeof gs, g);
		nm_append_info(pk, " / %s group %s", nm_val_label(record_vals, rtype, "Unknown"), gs);
		int r = nm_add_text(pk, t, at, 8, "Group Record : %s  %s", gs,
				    nm_val_label(record_vals, rtype, "Unknown"));
		nm_add_uint(pk, r, &fields[F_RECORD_TYPE], at, 1, rtype);
		nm_add_uint(pk, r, &fields[F_AUX_DATA_LEN], at + 1, 1, aux);
		nm_add_uint(pk, r, &fields[F_NUM_SRC], at + 2, 2, nsrc);
		nm_add_ipv4(pk, r, &fields[F_MADDR], at + 4, g);
		add_sources(pk, r, c, nsrc);
		nm_cur_skip(c, 4u * aux);
	}
}

static void set_info(nm_packet *pk, int ver, uint8_t type, const uint8_t *maddr)
{
	char g[16];
	nm_fmt_ipv4(g, sizeof g, maddr);
	const char *name = nm_val_label(type_vals, type, "Unknown Type");
	if (ver == 2 && type == 0x11)
		nm_set_info(pk, memcmp(maddr, "\0\0\0\0", 4) ? "%s, specific for group %s" : "%s, general", name, g);
	else if (ver == 2 && type == 0x17)
		nm_set_info(pk, "%s %s", name, g);
	else if (ver == 2)
		nm_set_info(pk, "%s group %s", name, g);
	else if (type == 0x1f)
		/* An mtrace query has no response blocks yet; a request has some. */
		nm_set_info(pk, "%s", pk->ip_plen > 24 ? "Traceroute Request" : "Traceroute Query");
	else
		nm_set_info(pk, "%s", name);
}

static const char *short_names[] = {"IGMP", "IGMPv1", "IGMPv2", "IGMPv3"};

static int dissect_igmp(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t s = c->pos, len = nm_cur_left(c);
	uint8_t type = nm_cur_u8(c), code = nm_cur_u8(c);
	uint16_t sum = nm_cur_be16(c);
	const uint8_t *maddr = nm_cur_take(c, 4);
	int t = nm_add_proto(pk, parent, &nm_proto_igmp, s, len);
	if (c->err)
		return NM_TRUNCATED;
	if (type == 0x13 || type == 0x14) {
		/* DVMRP and PIMv1 have dissectors of their own in Wireshark; not
		 * decoded here. */
		nm_path_push(pk, type == 0x13 ? "dvmrp" : "pim");
		pk->protocol = type == 0x13 ? "DVMRP" : "PIMv1";
		nm_set_info(pk, "%s", pk->protocol);
		c->pos = c->end;
		return NM_OK;
	}
	int ver = version_of(type, code, len);
	nm_path_push(pk, "igmp"); /* the per-version sub-dissector */
	pk->protocol = short_names[ver];
	set_info(pk, ver, type, maddr);
	if (ver)
		nm_add_uint(pk, t, &fields[F_VERSION], s, 0, (unsigned)ver);
	nm_add_uint(pk, t, &fields[F_TYPE], s, 1, type);
	if (ver == 1 || (ver == 3 && type == 0x22))
		nm_add_bytes(pk, t, &fields[F_RESERVED], s + 1, 1, pk->data + s + 1);
	else if (ver == 2)
		nm_add_uint(pk, t, &fields[F_MAX_RESP], s + 1, 1, code);
	else if (ver == 3 && type == 0x11)
		nm_add_uint(pk, t, &fields[F_MAX_RESP], s + 1, 1, v3_max_resp(code));
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 2, 2, sum);
	if (pk->ip_plen == 0 || pk->ip_plen == len)
		nm_add_uint(pk, t, &fields[F_CHECKSUM_STATUS], s + 2, 0, inet_sum(pk->data + s, len) == 0);
	if (ver == 3 && type == 0x22) {
		c->pos = s + 4;
		v3_report(pk, t, c);
	} else if (ver || type == 0x1e || type == 0x1f) {
		nm_add_ipv4(pk, t, &fields[F_MADDR], s + 4, maddr);
		if (ver == 3)
			v3_query(pk, t, c, maddr);
	}
	if (c->err)
		return NM_TRUNCATED;
	c->pos = c->end;
	return NM_OK;
}

static void init_igmp(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 2, &nm_proto_igmp);
}

nm_protocol nm_proto_igmp = {
	"igmp", "IGMP", "Internet Group Management Protocol", fields, F_COUNT, dissect_igmp, init_igmp, 0,
};
