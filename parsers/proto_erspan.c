/*
 * proto_erspan.c - Cisco ERSPAN (GRE types 0x88be and 0x22eb) and Cisco
 * MetaData (ethertype 0x8909), the two GRE payloads of the corpus that
 * wrap another frame.
 *
 * ERSPAN type I has no header at all: GRE without a sequence number and
 * type 0x88be means a bare Ethernet frame follows.  Type II (0x88be with a
 * sequence number) has an 8-byte header, type III (0x22eb) a 12-byte one,
 * plus an 8-byte platform sub-header when its O bit is set.  Only GRE knows
 * whether the sequence number was there, so it calls type I's descriptor
 * (nm_proto_erspan_i) itself.  That descriptor is not registered (protocol
 * names are unique); it borrows the registered "erspan"'s id at init, so
 * statistics and frame.protocols count both types as "erspan".
 */
#include "protos.h"

enum {
	F_VERSION,
	F_VLAN,
	F_COS,
	F_ENCAP,
	F_BSO,
	F_TRUNC,
	F_SPANID,
	F_RESERVED,
	F_INDEX,
	F_TIMESTAMP,
	F_SGT,
	F_P,
	F_FT,
	F_HW,
	F_DIRECTION,
	F_GRA,
	F_O,
	F_COUNT
};

static const nm_field fields[] = {
	[F_VERSION] = {"erspan.version", "Version", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xf000, NULL},
	[F_VLAN] = {"erspan.vlan", "Vlan", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xfff, NULL},
	[F_COS] = {"erspan.cos", "COS", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xe000, NULL},
	[F_ENCAP] = {"erspan.encap", "Encap", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x1800, NULL},
	[F_BSO] = {"erspan.bso", "Bad/Short/Oversized", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x1800, NULL},
	[F_TRUNC] = {"erspan.truncated", "Truncated", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x400, NULL},
	[F_SPANID] = {"erspan.spanid", "SpanID", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x3ff, NULL},
	[F_RESERVED] = {"erspan.reserved", "Reserved", NM_FT_UINT32, NM_BASE_DEC, NULL, 0xfff00000, NULL},
	[F_INDEX] = {"erspan.index", "Index", NM_FT_UINT32, NM_BASE_DEC, NULL, 0xfffff, NULL},
	[F_TIMESTAMP] = {"erspan.timestamp", "Timestamp", NM_FT_UINT32, NM_BASE_DEC, NULL, 0xffffffff, NULL},
	[F_SGT] = {"erspan.sgt", "Security Group Tag", NM_FT_UINT16, NM_BASE_DEC, NULL, 0xffff, NULL},
	[F_P] = {"erspan.p", "Has Ethernet PDU", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x8000, NULL},
	[F_FT] = {"erspan.ft", "Frame Type", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x7c00, NULL},
	[F_HW] = {"erspan.hw", "Hardware ID", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x3f0, NULL},
	[F_DIRECTION] = {"erspan.direction", "Direction", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8, NULL},
	[F_GRA] = {"erspan.gra", "Timestamp granularity", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x6, NULL},
	[F_O] = {"erspan.o", "Optional Sub headers", NM_FT_UINT16, NM_BASE_DEC, NULL, 0x1, NULL},
};

/* The first two words, common to types II and III. */
static void common(nm_packet *pk, int t, uint32_t off, uint16_t w0, uint16_t w1, int mid)
{
	nm_add_uint(pk, t, &fields[F_VERSION], off, 2, w0);
	nm_add_uint(pk, t, &fields[F_VLAN], off, 2, w0);
	nm_add_uint(pk, t, &fields[F_COS], off + 2, 2, w1);
	nm_add_uint(pk, t, &fields[mid], off + 2, 2, w1);
	nm_add_uint(pk, t, &fields[F_TRUNC], off + 2, 2, w1);
	nm_add_uint(pk, t, &fields[F_SPANID], off + 2, 2, w1);
}

static int type2(nm_packet *pk, nm_cursor *c, uint32_t start, uint16_t w0, uint16_t w1)
{
	uint32_t w2 = nm_cur_be32(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_erspan, start, 8);
	common(pk, t, start, w0, w1, F_ENCAP);
	nm_add_uint(pk, t, &fields[F_RESERVED], start + 4, 4, w2);
	nm_add_uint(pk, t, &fields[F_INDEX], start + 4, 4, w2);
	return nm_call(&nm_proto_eth, pk, c, -1);
}

static int type3(nm_packet *pk, nm_cursor *c, uint32_t start, uint16_t w0, uint16_t w1)
{
	uint32_t ts = nm_cur_be32(c);
	uint16_t sgt = nm_cur_be16(c), w3 = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_erspan, start, 12);
	common(pk, t, start, w0, w1, F_BSO);
	nm_add_uint(pk, t, &fields[F_TIMESTAMP], start + 4, 4, ts);
	nm_add_uint(pk, t, &fields[F_SGT], start + 8, 2, sgt);
	for (int f = F_P; f <= F_O; f++) {
		if (fields[f].type == NM_FT_BOOLEAN)
			nm_add_bool(pk, t, &fields[f], start + 10, 2, w3);
		else
			nm_add_uint(pk, t, &fields[f], start + 10, 2, w3);
	}
	if ((w3 & 1) && !nm_cur_skip(c, 8))
		return NM_TRUNCATED; /* the platform sub-header (not decoded) */
	if ((w3 & 0x7c00) == 0)
		return nm_call(&nm_proto_eth, pk, c, -1);
	return nm_call_data(pk, c, -1);
}

static int dissect_erspan(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint16_t w0 = nm_cur_be16(c), w1 = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	switch (w0 >> 12) {
	case 1:
		return type2(pk, c, start, w0, w1);
	case 2:
		return type3(pk, c, start, w0, w1);
	default:
		/* An unknown version (Wireshark: erspan.version.unknown). */
		nm_add_proto(pk, -1, &nm_proto_erspan, start, 4);
		nm_add_uint(pk, -1, &fields[F_VERSION], start, 2, w0);
		return NM_MALFORMED;
	}
}

static int dissect_erspan_i(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	nm_add_proto(pk, -1, &nm_proto_erspan_i, c->pos, 0);
	return nm_call(&nm_proto_eth, pk, c, -1);
}

static void init_erspan(void)
{
	nm_proto_erspan_i.id = nm_proto_erspan.id;
}

nm_protocol nm_proto_erspan = {
	"erspan", "ERSPAN", "Encapsulated Remote Switch Packet ANalysis", fields, F_COUNT, dissect_erspan, init_erspan, 0,
};

nm_protocol nm_proto_erspan_i = {
	"erspan", "ERSPAN", "Encapsulated Remote Switch Packet ANalysis Type I", NULL, 0, dissect_erspan_i, NULL,
	0,
};

/*
 * ---- Cisco MetaData (an SGT tag) as GRE carries it: the inner type
 * comes first, then version, length, option and SGT (the corpus's GRE
 * frames and tshark agree on this; on Ethernet the type word is last, a
 * layout we have no capture of, so only GRE hands off to it). ----
 */

enum { C_VERSION, C_LENGTH, C_OPTIONS, C_SGT, C_TYPE, C_COUNT };

static const nm_field cmd_fields[] = {
	[C_VERSION] = {"cmd.version", "Version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[C_LENGTH] = {"cmd.length", "Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[C_OPTIONS] = {"cmd.options", "Options", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[C_SGT] = {"cmd.sgt", "SGT", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[C_TYPE] = {"cmd.type", "Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
};

static int dissect_cmd(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	uint16_t type = nm_cur_be16(c);
	uint8_t ver = nm_cur_u8(c), len = nm_cur_u8(c);
	uint16_t opt = nm_cur_be16(c), sgt = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	int t = nm_add_proto(pk, -1, &nm_proto_cmd, s, 8);
	nm_add_uint(pk, t, &cmd_fields[C_TYPE], s, 2, type);
	nm_add_uint(pk, t, &cmd_fields[C_VERSION], s + 2, 1, ver);
	nm_add_uint(pk, t, &cmd_fields[C_LENGTH], s + 3, 1, len);
	nm_add_uint(pk, t, &cmd_fields[C_OPTIONS], s + 4, 2, opt);
	nm_add_uint(pk, t, &cmd_fields[C_SGT], s + 6, 2, sgt);
	int r = NM_OK;
	if (!nm_call_table(NM_TAB_ETHERTYPE, type, pk, c, -1, &r))
		r = nm_call_data(pk, c, -1);
	return r;
}

nm_protocol nm_proto_cmd = {
	"cmd", "CiscoMetaData", "Cisco MetaData", cmd_fields, C_COUNT, dissect_cmd, NULL, 0,
};
