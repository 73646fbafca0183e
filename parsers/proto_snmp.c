/*
 * proto_snmp.c - SNMP v1/v2c (RFC 1157, 3416) over UDP 161/162.
 *
 * Message ::= SEQUENCE { version, community, PDU }; the PDU is a context-
 * tagged choice whose tag is snmp.data.  Every element is read with the
 * BER reader (ber.h) inside the window of its parent, so a length that
 * lies cannot reach past the message, and the varbind loop stops at the
 * end of its SEQUENCE.  SNMPv3 messages get msgVersion only.
 * OIDs are shown dotted, as tshark prints them without MIB resolution.
 */
#include <stdio.h>
#include <string.h>

#include "ber.h"
#include "protos.h"
#include "textfmt.h"

enum {
	F_VERSION, F_MSGVERSION, F_COMMUNITY, F_DATA, F_REQUEST_ID, F_ERROR_STATUS, F_ERROR_INDEX,
	F_NON_REPEATERS, F_MAX_REPETITIONS, F_VARBINDS, F_NAME, F_ENTERPRISE, F_AGENT_ADDR, F_GENERIC_TRAP,
	F_SPECIFIC_TRAP, F_TIME_STAMP, F_V_INT, F_V_OCTETS, F_V_OID, F_V_NULL, F_V_IPV4, F_V_COUNTER,
	F_V_G32, F_V_TIMETICKS, F_V_OPAQUE, F_V_UNK, F_NOSUCHOBJECT, F_NOSUCHINSTANCE,
	F_ENDOFMIBVIEW, F_COUNT
};

static const nm_vals version_vals[] = {{0, "version-1"}, {1, "v2c"}, {3, "v3"}, {0, NULL}};

static const nm_vals pdu_vals[] = {
	{0, "get-request"}, {1, "get-next-request"}, {2, "get-response"}, {3, "set-request"},
	{4, "trap"},	    {5, "getBulkRequest"},   {6, "informRequest"}, {7, "snmpV2-trap"},
	{8, "report"},	    {0, NULL},
};

static const nm_vals error_vals[] = {
	{0, "noError"}, {1, "tooBig"}, {2, "noSuchName"}, {3, "badValue"}, {4, "readOnly"}, {5, "genErr"},
	{6, "noAccess"}, {7, "wrongType"}, {8, "wrongLength"}, {9, "wrongEncoding"}, {10, "wrongValue"},
	{11, "noCreation"}, {12, "inconsistentValue"}, {13, "resourceUnavailable"}, {14, "commitFailed"},
	{15, "undoFailed"}, {16, "authorizationError"}, {17, "notWritable"}, {18, "inconsistentName"},
	{0, NULL},
};

static const nm_vals generic_trap_vals[] = {
	{0, "coldStart"}, {1, "warmStart"}, {2, "linkDown"}, {3, "linkUp"}, {4, "authenticationFailure"},
	{5, "egpNeighborLoss"}, {6, "enterpriseSpecific"}, {0, NULL},
};

static const nm_field fields[] = {
	[F_VERSION] = {"snmp.version", "version", NM_FT_INT32, NM_BASE_DEC, version_vals, 0, NULL},
	[F_MSGVERSION] = {"snmp.msgVersion", "msgVersion", NM_FT_INT32, NM_BASE_DEC, version_vals, 0, NULL},
	[F_COMMUNITY] = {"snmp.community", "community", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_DATA] = {"snmp.data", "data", NM_FT_UINT32, NM_BASE_DEC, pdu_vals, 0, "PDUs"},
	[F_REQUEST_ID] = {"snmp.request_id", "request-id", NM_FT_INT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_ERROR_STATUS] = {"snmp.error_status", "error-status", NM_FT_INT32, NM_BASE_DEC, error_vals, 0, NULL},
	[F_ERROR_INDEX] = {"snmp.error_index", "error-index", NM_FT_INT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_NON_REPEATERS] = {"snmp.non_repeaters", "non-repeaters", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_MAX_REPETITIONS] = {"snmp.max_repetitions", "max-repetitions", NM_FT_UINT32, NM_BASE_DEC, NULL, 0,
			       NULL},
	[F_VARBINDS] = {"snmp.variable_bindings", "variable-bindings", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_NAME] = {"snmp.name", "Object Name", NM_FT_OID, NM_BASE_NONE, NULL, 0, NULL},
	[F_ENTERPRISE] = {"snmp.enterprise", "enterprise", NM_FT_OID, NM_BASE_NONE, NULL, 0, NULL},
	[F_AGENT_ADDR] = {"snmp.agent_addr", "agent-addr", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_GENERIC_TRAP] = {"snmp.generic_trap", "generic-trap", NM_FT_INT32, NM_BASE_DEC, generic_trap_vals, 0,
			    NULL},
	[F_SPECIFIC_TRAP] = {"snmp.specific_trap", "specific-trap", NM_FT_INT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_TIME_STAMP] = {"snmp.time_stamp", "time-stamp", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_V_INT] = {"snmp.value.int", "Value (Integer32)", NM_FT_INT64, NM_BASE_DEC, NULL, 0, NULL},
	[F_V_OCTETS] = {"snmp.value.octets", "Value (OctetString)", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_V_OID] = {"snmp.value.oid", "Value (OID)", NM_FT_OID, NM_BASE_NONE, NULL, 0, NULL},
	[F_V_NULL] = {"snmp.value.null", "Value (Null)", NM_FT_NONE, NM_BASE_NONE, NULL, 0, NULL},
	[F_V_IPV4] = {"snmp.value.ipv4", "Value (IpAddress)", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_V_COUNTER] = {"snmp.value.counter", "Value (Counter32)", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
	[F_V_G32] = {"snmp.value.g32", "Value (Gauge32)", NM_FT_INT64, NM_BASE_DEC, NULL, 0, NULL},
	[F_V_TIMETICKS] = {"snmp.value.timeticks", "Value (Timeticks)", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
	[F_V_OPAQUE] = {"snmp.value.opaque", "Value (Opaque)", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_V_UNK] = {"snmp.value.unk", "Value (Unknown)", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_NOSUCHOBJECT] = {"snmp.noSuchObject", "noSuchObject", NM_FT_NONE, NM_BASE_NONE, NULL, 0, NULL},
	[F_NOSUCHINSTANCE] = {"snmp.noSuchInstance", "noSuchInstance", NM_FT_NONE, NM_BASE_NONE, NULL, 0, NULL},
	[F_ENDOFMIBVIEW] = {"snmp.endOfMibView", "endOfMibView", NM_FT_NONE, NM_BASE_NONE, NULL, 0, NULL},
};

typedef struct snmp_ctx {
	nm_packet *pk;
	bool bad; /* an element did not fit or had the wrong tag */
} snmp_ctx;

/* Read the next element of the window, which must be class/tag; gives its
 * contents cursor.  Marks the message bad and returns false otherwise. */
static bool next(snmp_ctx *x, nm_cursor *c, uint8_t cls, uint32_t tag, nm_ber *e, nm_cursor *body)
{
	bool cut = false;
	if (!nm_ber_expect(c, e, cls, tag)) {
		x->bad = true;
		return false;
	}
	*body = nm_ber_sub(c, e, &cut);
	if (cut)
		x->bad = true;
	return !cut;
}

static bool get_int(snmp_ctx *x, nm_cursor *c, int parent, int f, int64_t *out)
{
	nm_ber e;
	nm_cursor b;
	if (!next(x, c, NM_BER_UNIVERSAL, 2, &e, &b) || e.len == 0 || e.len > 8) {
		x->bad = true;
		return false;
	}
	*out = nm_ber_int(x->pk->data + b.pos, e.len);
	if (f >= 0)
		nm_add_int(x->pk, parent, &fields[f], e.start, e.hdr_len + e.len, *out);
	return true;
}

static void add_oid(snmp_ctx *x, int parent, int f, const nm_ber *e, const uint8_t *p, char *out, size_t cap)
{
	char tmp[512];
	char *buf = out ? out : tmp;
	size_t n = out ? cap : sizeof tmp;
	if (!nm_ber_oid(buf, n, p, e->len))
		snprintf(buf, n, "<invalid OID>");
	nm_add_string(x->pk, parent, &fields[f], e->start, e->hdr_len + e->len, buf);
}

/* Unsigned application types: at most 9 content octets (a leading 0). */
static void add_app_uint(snmp_ctx *x, int parent, int f, const nm_ber *e, const uint8_t *p)
{
	if (e->len > 9 || e->len == 0)
		nm_add_bytes(x->pk, parent, &fields[F_V_UNK], e->start + e->hdr_len, e->len, p);
	else
		nm_add_uint(x->pk, parent, &fields[f], e->start, e->hdr_len + e->len, nm_ber_uint(p, e->len));
}

static void add_value(snmp_ctx *x, int parent, const nm_ber *e, const uint8_t *p)
{
	nm_packet *pk = x->pk;
	uint32_t at = e->start, n = e->hdr_len + e->len;
	if (e->cls == NM_BER_UNIVERSAL && e->tag == 2 && e->len && e->len <= 8)
		nm_add_int(pk, parent, &fields[F_V_INT], at, n, nm_ber_int(p, e->len));
	else if (e->cls == NM_BER_UNIVERSAL && e->tag == 4)
		nm_add_bytes(pk, parent, &fields[F_V_OCTETS], at + e->hdr_len, e->len, p);
	else if (e->cls == NM_BER_UNIVERSAL && e->tag == 5)
		nm_add_string(pk, parent, &fields[F_V_NULL], at, n, "1"); /* tshark: FT_NONE present */
	else if (e->cls == NM_BER_UNIVERSAL && e->tag == 6)
		add_oid(x, parent, F_V_OID, e, p, NULL, 0);
	else if (e->cls == NM_BER_APPLICATION && e->tag == 0 && e->len == 4)
		nm_add_ipv4(pk, parent, &fields[F_V_IPV4], at, p);
	else if (e->cls == NM_BER_APPLICATION && e->tag == 1)
		add_app_uint(x, parent, F_V_COUNTER, e, p);
	else if (e->cls == NM_BER_APPLICATION && e->tag == 2 && e->len <= 8)
		nm_add_int(pk, parent, &fields[F_V_G32], at, n, (int64_t)nm_ber_uint(p, e->len));
	else if (e->cls == NM_BER_APPLICATION && e->tag == 3)
		add_app_uint(x, parent, F_V_TIMETICKS, e, p);
	else if (e->cls == NM_BER_APPLICATION && e->tag == 4)
		nm_add_bytes(pk, parent, &fields[F_V_OPAQUE], at + e->hdr_len, e->len, p);
	else if (e->cls == NM_BER_APPLICATION && e->tag == 6)
		add_app_uint(x, parent, F_V_COUNTER, e, p); /* Counter64 shares the field */
	else if (e->cls == NM_BER_CONTEXT && e->tag <= 2)
		nm_add_string(pk, parent, &fields[F_NOSUCHOBJECT + (int)e->tag], at, n, "1");
	else
		nm_add_bytes(pk, parent, &fields[F_V_UNK], at + e->hdr_len, e->len, p);
}

static void dissect_varbind(snmp_ctx *x, int parent, nm_cursor *vb)
{
	nm_ber e;
	nm_cursor name;
	if (!next(x, vb, NM_BER_UNIVERSAL, 6, &e, &name))
		return;
	char oid[512];
	add_oid(x, parent, F_NAME, &e, x->pk->data + name.pos, oid, sizeof oid);
	nm_append_info(x->pk, " %s", oid);
	bool cut = false;
	if (!nm_ber_read(vb, &e)) {
		x->bad = true;
		return;
	}
	nm_cursor v = nm_ber_sub(vb, &e, &cut);
	if (cut) {
		x->bad = true;
		return;
	}
	add_value(x, parent, &e, x->pk->data + v.pos);
}

static void dissect_varbinds(snmp_ctx *x, int parent, nm_cursor *c)
{
	nm_ber e;
	nm_cursor list;
	if (!next(x, c, NM_BER_UNIVERSAL, 16, &e, &list))
		return;
	int t = nm_add_uint(x->pk, parent, &fields[F_VARBINDS], e.start, e.hdr_len + e.len, nm_ber_count(list));
	while (nm_cur_left(&list) && !x->bad) {
		nm_ber ve;
		nm_cursor vb;
		if (!next(x, &list, NM_BER_UNIVERSAL, 16, &ve, &vb))
			break;
		int n = nm_add_text(x->pk, t, ve.start, ve.hdr_len + ve.len, "VarBind");
		dissect_varbind(x, n, &vb);
	}
}

/* Trap-PDU (v1): enterprise, agent-addr, generic/specific trap, time-stamp. */
static void dissect_trap(snmp_ctx *x, int t, nm_cursor *c)
{
	nm_ber e;
	nm_cursor b;
	int64_t v;
	char ent[512];
	if (!next(x, c, NM_BER_UNIVERSAL, 6, &e, &b))
		return;
	add_oid(x, t, F_ENTERPRISE, &e, x->pk->data + b.pos, ent, sizeof ent);
	/* Wireshark names the first arc of the enterprise OID in the Info line. */
	bool iso = strncmp(ent, "1.", 2) == 0;
	nm_append_info(x->pk, " %s%s", iso ? "iso." : "", iso ? ent + 2 : ent);
	if (!next(x, c, NM_BER_APPLICATION, 0, &e, &b))
		return;
	if (e.len == 4)
		nm_add_ipv4(x->pk, t, &fields[F_AGENT_ADDR], e.start, x->pk->data + b.pos);
	if (!get_int(x, c, t, F_GENERIC_TRAP, &v) || !get_int(x, c, t, F_SPECIFIC_TRAP, &v))
		return;
	if (!next(x, c, NM_BER_APPLICATION, 3, &e, &b) || e.len > 5)
		return;
	nm_add_uint(x->pk, t, &fields[F_TIME_STAMP], e.start, e.hdr_len + e.len,
		    nm_ber_uint(x->pk->data + b.pos, e.len));
	dissect_varbinds(x, t, c);
}

static void dissect_pdu(snmp_ctx *x, int t, nm_cursor *c)
{
	nm_ber e;
	bool cut = false;
	if (!nm_ber_read(c, &e) || e.cls != NM_BER_CONTEXT || e.tag > 8) {
		x->bad = true;
		return;
	}
	nm_cursor pdu = nm_ber_sub(c, &e, &cut);
	x->bad |= cut;
	nm_add_uint(x->pk, t, &fields[F_DATA], e.start, e.hdr_len + e.len, e.tag);
	nm_set_info(x->pk, "%s", nm_val_label(pdu_vals, e.tag, "unknown"));
	if (e.tag == 4) {
		dissect_trap(x, t, &pdu);
		return;
	}
	int64_t v;
	bool bulk = e.tag == 5;
	if (!get_int(x, &pdu, t, F_REQUEST_ID, &v))
		return;
	if (!get_int(x, &pdu, bulk ? -1 : t, bulk ? -1 : F_ERROR_STATUS, &v))
		return;
	if (bulk)
		nm_add_uint(x->pk, t, &fields[F_NON_REPEATERS], pdu.pos, 0, (uint64_t)v);
	if (!get_int(x, &pdu, bulk ? -1 : t, bulk ? -1 : F_ERROR_INDEX, &v))
		return;
	if (bulk)
		nm_add_uint(x->pk, t, &fields[F_MAX_REPETITIONS], pdu.pos, 0, (uint64_t)v);
	dissect_varbinds(x, t, &pdu);
}

static int dissect_snmp(nm_packet *pk, nm_cursor *c, int parent)
{
	snmp_ctx x = {pk, false};
	nm_ber e;
	nm_cursor msg, b;
	int t = nm_add_proto(pk, parent, &nm_proto_snmp, c->pos, nm_cur_left(c));
	if (!nm_ber_expect(c, &e, NM_BER_UNIVERSAL, 16))
		return NM_MALFORMED;
	/* A message cut short (by the snap length, or handed on from a UDP
	 * length past the IP payload) still shows what it holds, as tshark
	 * shows the version of one: only the message's end is missing. */
	bool cut = false;
	msg = nm_ber_sub(c, &e, &cut);
	int64_t ver;
	if (!get_int(&x, &msg, -1, -1, &ver))
		return cut ? NM_TRUNCATED : NM_MALFORMED;
	nm_cursor vc = nm_cursor_make(pk->data, e.start + e.hdr_len, msg.pos);
	nm_ber ve;
	nm_ber_read(&vc, &ve);
	nm_add_int(pk, t, &fields[ver == 3 ? F_MSGVERSION : F_VERSION], ve.start, msg.pos - ve.start, ver);
	if (ver == 3) {
		nm_set_info(pk, "SNMPv3");
		c->pos = c->end;
		return cut ? NM_TRUNCATED : NM_OK;
	}
	if (!next(&x, &msg, NM_BER_UNIVERSAL, 4, &e, &b))
		return cut ? NM_TRUNCATED : NM_MALFORMED;
	nm_add_text_field(pk, t, &fields[F_COMMUNITY], &b, e.len, false);
	dissect_pdu(&x, t, &msg);
	c->pos = c->end;
	return cut ? NM_TRUNCATED : x.bad ? NM_MALFORMED : NM_OK;
}

static void init_snmp(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 161, &nm_proto_snmp);
	nm_handoff_add(NM_TAB_UDP_PORT, 162, &nm_proto_snmp);
}

nm_protocol nm_proto_snmp = {
	"snmp", "SNMP", "Simple Network Management Protocol", fields, F_COUNT, dissect_snmp, init_snmp, 0,
};
