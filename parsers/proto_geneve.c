/*
 * proto_geneve.c - Geneve (RFC 8926) on UDP 6081.
 *
 * An 8-byte header (version, options length in 4-byte words, O and C
 * flags, protocol type, 24-bit VNI), then the TLV options, then the inner
 * frame named by the protocol type, looked up in the ethertype table
 * (0x6558 is a whole Ethernet frame).  Options are shown generically, plus
 * Google Cloud's three (class 0x0132) that Wireshark decodes.  Wireshark
 * reuses geneve.option.length for the header's options length, so the
 * field appears once for the header and once per option.
 */
#include "protos.h"

enum {
	F_VERSION,
	F_FLAGS,
	F_OAM,
	F_CRITICAL,
	F_FLAGS_RES,
	F_PROTO,
	F_VNI,
	F_RESERVED,
	F_OPTIONS,
	F_OPT,
	F_OPT_CLASS,
	F_OPT_TYPE,
	F_OPT_TYPE_CRIT,
	F_OPT_FLAGS,
	F_OPT_FLAGS_RES,
	F_OPT_LEN,
	F_GCP_VNID,
	F_GCP_RES,
	F_GCP_DIR,
	F_GCP_ENDPOINT,
	F_GCP_PROFILE,
	F_OPT_UNKNOWN,
	F_COUNT
};

static const nm_field fields[] = {
	[F_VERSION] = {"geneve.version", "Version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_FLAGS] = {"geneve.flags", "Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_OAM] = {"geneve.flags.oam", "Operations, Administration and Management Frame", NM_FT_BOOLEAN,
		   NM_BASE_NONE, NULL, 0x80, NULL},
	[F_CRITICAL] = {"geneve.flags.critical", "Critical Options Present", NM_FT_BOOLEAN, NM_BASE_NONE, NULL,
			0x40, NULL},
	[F_FLAGS_RES] = {"geneve.flags.reserved", "Reserved", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x3f, NULL},
	[F_PROTO] = {"geneve.proto_type", "Protocol Type", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_VNI] = {"geneve.vni", "Virtual Network Identifier (VNI)", NM_FT_UINT24, NM_BASE_HEX_DEC, NULL, 0, NULL},
	[F_RESERVED] = {"geneve.reserved", "Reserved", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_OPTIONS] = {"geneve.options", "Geneve Options", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT] = {"geneve.option", "Option", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT_CLASS] = {"geneve.option.class", "Class", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_OPT_TYPE] = {"geneve.option.type", "Type", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_OPT_TYPE_CRIT] = {"geneve.option.type.critical", "Critical Option", NM_FT_BOOLEAN, NM_BASE_NONE, NULL,
			     0x80, NULL},
	[F_OPT_FLAGS] = {"geneve.option.flags", "Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
	[F_OPT_FLAGS_RES] = {"geneve.option.flags.reserved", "Reserved", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0xe0,
			     NULL},
	[F_OPT_LEN] = {"geneve.option.length", "Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_GCP_VNID] = {"geneve.option.gcp.vnid", "GCP Virtual Network ID", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
			NULL},
	[F_GCP_RES] = {"geneve.option.gcp.reserved", "GCP Reserved bits", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0xe,
		       NULL},
	[F_GCP_DIR] = {"geneve.option.gcp.direction", "GCP Traffic Direction", NM_FT_BOOLEAN, NM_BASE_NONE, NULL,
		       0x1, NULL},
	[F_GCP_ENDPOINT] = {"geneve.option.gcp.endpoint", "GCP Endpoint ID", NM_FT_BYTES, NM_BASE_NONE, NULL, 0,
			    NULL},
	[F_GCP_PROFILE] = {"geneve.option.gcp.profile", "GCP Profile ID", NM_FT_UINT64, NM_BASE_DEC, NULL, 0,
			   NULL},
	[F_OPT_UNKNOWN] = {"geneve.option.unknown.data", "Unknown Option Data", NM_FT_BYTES, NM_BASE_NONE, NULL,
			   0, NULL},
};

#define GCP_CLASS 0x0132

/* An option's data: Google Cloud's known ones, else raw bytes. */
static void option_data(nm_packet *pk, int t, uint16_t cls, uint8_t type, nm_cursor *d)
{
	uint32_t off = d->pos, n = nm_cur_left(d);
	if (cls == GCP_CLASS && type == 1 && n == 4) {
		uint32_t w = nm_cur_be32(d);
		nm_add_uint(pk, t, &fields[F_GCP_VNID], off, 4, w >> 4);
		nm_add_bool(pk, t, &fields[F_GCP_DIR], off, 4, w);
		nm_add_bool(pk, t, &fields[F_GCP_RES], off, 4, w);
	} else if (cls == GCP_CLASS && type == 2 && n > 0) {
		nm_add_bytes(pk, t, &fields[F_GCP_ENDPOINT], off, n, nm_cur_take(d, n));
	} else if (cls == GCP_CLASS && type == 3 && n == 8) {
		nm_add_uint(pk, t, &fields[F_GCP_PROFILE], off, 8, nm_cur_be64(d));
	} else if (n > 0) {
		nm_add_bytes(pk, t, &fields[F_OPT_UNKNOWN], off, n, nm_cur_take(d, n));
	}
}

/* One option; false when its length runs past the options area. */
static bool option(nm_packet *pk, int t, nm_cursor *o)
{
	uint32_t off = o->pos;
	uint16_t cls = nm_cur_be16(o);
	uint8_t type = nm_cur_u8(o), fl = nm_cur_u8(o);
	uint32_t len = ((uint32_t)(fl & 0x1f) + 1) * 4;
	if (o->err || !nm_cur_has(o, len - 4))
		return false;
	const uint8_t *all = o->data + off;
	int n = nm_add_bytes(pk, t, &fields[F_OPT], off, len, all);
	nm_add_uint(pk, n, &fields[F_OPT_CLASS], off, 2, cls);
	int ty = nm_add_uint(pk, n, &fields[F_OPT_TYPE], off + 2, 1, type);
	nm_add_bool(pk, ty, &fields[F_OPT_TYPE_CRIT], off + 2, 1, type);
	int f = nm_add_uint(pk, n, &fields[F_OPT_FLAGS], off + 3, 1, fl & 0xe0);
	nm_add_bool(pk, f, &fields[F_OPT_FLAGS_RES], off + 3, 1, fl);
	nm_add_uint(pk, n, &fields[F_OPT_LEN], off + 3, 1, len);
	nm_cursor d = nm_cur_sub(o, len - 4);
	option_data(pk, n, cls, type, &d);
	return true;
}

static int options(nm_packet *pk, int t, nm_cursor *c, uint32_t optlen)
{
	if (optlen == 0)
		return NM_OK;
	uint32_t off = c->pos;
	if (!nm_cur_has(c, optlen))
		return NM_TRUNCATED;
	nm_cursor o = nm_cur_sub(c, optlen);
	int n = nm_add_bytes(pk, t, &fields[F_OPTIONS], off, optlen, o.data + off);
	while (nm_cur_left(&o) > 0)
		if (!option(pk, n, &o))
			return NM_MALFORMED;
	return NM_OK;
}

static void add_header(nm_packet *pk, int t, uint32_t off, const uint8_t *h)
{
	uint32_t vni = (uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6];
	nm_add_uint(pk, t, &fields[F_VERSION], off, 1, h[0] >> 6);
	nm_add_uint(pk, t, &fields[F_OPT_LEN], off, 1, (h[0] & 0x3fu) * 4);
	int f = nm_add_uint(pk, t, &fields[F_FLAGS], off + 1, 1, h[1]);
	nm_add_bool(pk, f, &fields[F_OAM], off + 1, 1, h[1]);
	nm_add_bool(pk, f, &fields[F_CRITICAL], off + 1, 1, h[1]);
	nm_add_bool(pk, f, &fields[F_FLAGS_RES], off + 1, 1, h[1]);
	nm_add_uint(pk, t, &fields[F_PROTO], off + 2, 2, (uint32_t)h[2] << 8 | h[3]);
	nm_add_uint(pk, t, &fields[F_VNI], off + 4, 3, vni);
	nm_add_uint(pk, t, &fields[F_RESERVED], off + 7, 1, h[7]);
}

static int dissect_geneve(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	const uint8_t *h = nm_cur_take(c, 8);
	if (!h)
		return NM_TRUNCATED;
	uint32_t optlen = (h[0] & 0x3fu) * 4;
	uint16_t proto = (uint16_t)(h[2] << 8 | h[3]);
	int t = nm_add_proto(pk, -1, &nm_proto_geneve, start, 8 + optlen);
	add_header(pk, t, start, h);
	if (h[0] >> 6 != 0)
		return nm_call_data(pk, c, -1); /* an unknown version: layout unknown */
	int r = options(pk, t, c, optlen);
	if (r != NM_OK || nm_cur_left(c) == 0)
		return r;
	if (!nm_call_table(NM_TAB_ETHERTYPE, proto, pk, c, -1, &r))
		r = nm_call_data(pk, c, -1);
	return r;
}

static void init_geneve(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 6081, &nm_proto_geneve);
}

nm_protocol nm_proto_geneve = {
	"geneve", "Geneve", "Generic Network Virtualization Encapsulation", fields, F_COUNT, dissect_geneve,
	init_geneve, 0,
};
