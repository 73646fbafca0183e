/*
 * proto_pppoe.c - PPP over Ethernet (RFC 2516): discovery (ethertype
 * 0x8863, Wireshark's "pppoed") and session (0x8864, "pppoes").
 *
 * Both share a 6-byte header (version/type nibbles, code, session id,
 * payload length) whose fields Wireshark names pppoe.*.  Discovery carries
 * TLV tags; session carries a PPP frame bounded by the payload length (what
 * is left is the Ethernet padding/trailer, reported by the Ethernet layer).
 */
#include "protos.h"

enum {
	F_VERSION,
	F_TYPE,
	F_CODE,
	F_SESSION,
	F_PLEN,
	F_SERVICE_NAME,
	F_AC_NAME,
	F_HOST_UNIQ,
	F_AC_COOKIE,
	F_RELAY_SESSION,
	F_MAX_PAYLOAD,
	F_SERVICE_NAME_ERR,
	F_AC_SYSTEM_ERR,
	F_GENERIC_ERR,
	F_UNKNOWN,
	F_COUNT
};

static const nm_vals code_vals[] = {
	{0x00, "Session Data"},
	{0x07, "Active Discovery Offer (PADO)"},
	{0x09, "Active Discovery Initiation (PADI)"},
	{0x0a, "Active Discovery Session-Grant (PADG)"},
	{0x0b, "Active Discovery Session-Credit Response (PADC)"},
	{0x0c, "Active Discovery Quality (PADQ)"},
	{0x19, "Active Discovery Request (PADR)"},
	{0x65, "Active Discovery Session-confirmation (PADS)"},
	{0xa7, "Active Discovery Terminate (PADT)"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_VERSION] = {"pppoe.version", "Version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0xf0, NULL},
	[F_TYPE] = {"pppoe.type", "Type", NM_FT_UINT8, NM_BASE_DEC, NULL, 0x0f, NULL},
	[F_CODE] = {"pppoe.code", "Code", NM_FT_UINT8, NM_BASE_HEX, code_vals, 0, NULL},
	[F_SESSION] = {"pppoe.session_id", "Session ID", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_PLEN] = {"pppoe.payload_length", "Payload Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_SERVICE_NAME] = {"pppoed.tags.service_name", "Service-Name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_AC_NAME] = {"pppoed.tags.ac_name", "AC-Name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_HOST_UNIQ] = {"pppoed.tags.host_uniq", "Host-Uniq", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_AC_COOKIE] = {"pppoed.tags.ac_cookie", "AC-Cookie", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_RELAY_SESSION] = {"pppoed.tags.relay_session_id", "Relay-Session-Id", NM_FT_BYTES, NM_BASE_NONE, NULL,
			     0, NULL},
	[F_MAX_PAYLOAD] = {"pppoed.tags.max_payload", "PPP-Max-Payload", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_SERVICE_NAME_ERR] = {"pppoed.tags.service_name_error", "Service-Name-Error", NM_FT_STRING,
				NM_BASE_NONE, NULL, 0, NULL},
	[F_AC_SYSTEM_ERR] = {"pppoed.tags.ac_system_error", "AC-System-Error", NM_FT_STRING, NM_BASE_NONE, NULL,
			     0, NULL},
	[F_GENERIC_ERR] = {"pppoed.tags.generic_error", "Generic-Error", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
			   NULL},
	[F_UNKNOWN] = {"pppoed.tag.unknown_data", "Unknown Data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

/* Tag type -> field; -1 for tags shown without a value (End-Of-List). */
static int tag_field(uint16_t tag)
{
	switch (tag) {
	case 0x0000: return -1;
	case 0x0101: return F_SERVICE_NAME;
	case 0x0102: return F_AC_NAME;
	case 0x0103: return F_HOST_UNIQ;
	case 0x0104: return F_AC_COOKIE;
	case 0x0110: return F_RELAY_SESSION;
	case 0x0120: return F_MAX_PAYLOAD;
	case 0x0201: return F_SERVICE_NAME_ERR;
	case 0x0202: return F_AC_SYSTEM_ERR;
	case 0x0203: return F_GENERIC_ERR;
	default: return F_UNKNOWN;
	}
}

/* The common 6-byte header; returns the payload length, or -1 if cut. */
static int header(nm_packet *pk, nm_cursor *c, const nm_protocol *p, int *tree)
{
	uint32_t start = c->pos;
	uint8_t vt = nm_cur_u8(c), code = nm_cur_u8(c);
	uint16_t sid = nm_cur_be16(c), plen = nm_cur_be16(c);
	if (c->err)
		return -1;
	int t = nm_add_proto(pk, -1, p, start, 6);
	nm_add_uint(pk, t, &fields[F_VERSION], start, 1, vt);
	nm_add_uint(pk, t, &fields[F_TYPE], start, 1, vt);
	nm_add_uint(pk, t, &fields[F_CODE], start + 1, 1, code);
	nm_add_uint(pk, t, &fields[F_SESSION], start + 2, 2, sid);
	nm_add_uint(pk, t, &fields[F_PLEN], start + 4, 2, plen);
	*tree = t;
	return plen;
}

static void add_tag(nm_packet *pk, int t, int f, uint32_t off, uint16_t len, const uint8_t *v)
{
	if (f < 0 || !pk->tree)
		return;
	if (fields[f].type != NM_FT_STRING) {
		nm_add_bytes(pk, t, &fields[f], off, len, v);
		return;
	}
	char s[256];
	uint32_t n = len < sizeof s - 1 ? len : (uint32_t)sizeof s - 1;
	for (uint32_t i = 0; i < n; i++)
		s[i] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '.';
	s[n] = '\0';
	nm_add_string(pk, t, &fields[f], off, len, s);
}

static int dissect_pppoed(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	int t, plen = header(pk, c, &nm_proto_pppoed, &t);
	if (plen < 0)
		return NM_TRUNCATED;
	nm_cursor tags = nm_cur_sub(c, (uint32_t)plen);
	while (nm_cur_left(&tags) > 0) {
		uint16_t tag = nm_cur_be16(&tags), len = nm_cur_be16(&tags);
		uint32_t off = tags.pos;
		const uint8_t *v = nm_cur_take(&tags, len);
		if (tags.err)
			return NM_MALFORMED;
		add_tag(pk, t, tag_field(tag), off, len, v);
	}
	return NM_OK;
}

static int dissect_pppoes(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	int t, plen = header(pk, c, &nm_proto_pppoes, &t);
	if (plen < 0)
		return NM_TRUNCATED;
	nm_cursor ppp = nm_cur_sub(c, (uint32_t)plen);
	return nm_call(&nm_proto_ppp, pk, &ppp, -1);
}

static void init_pppoe(void)
{
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x8863, &nm_proto_pppoed);
	nm_handoff_add(NM_TAB_ETHERTYPE, 0x8864, &nm_proto_pppoes);
	nm_handoff_add(NM_TAB_LINKTYPE, 51, &nm_proto_pppoes); /* LINKTYPE_PPP_ETHER */
}

nm_protocol nm_proto_pppoed = {
	"pppoed", "PPPoED", "PPP-over-Ethernet Discovery", fields, F_COUNT, dissect_pppoed, init_pppoe, 0,
};

nm_protocol nm_proto_pppoes = {
	"pppoes", "PPPoES", "PPP-over-Ethernet Session", NULL, 0, dissect_pppoes, NULL, 0,
};
