/*
 * proto_ldap.c - Lightweight Directory Access Protocol v3 (RFC 4511) over
 * TCP 389 (and connectionless LDAP on UDP 389, Wireshark's "CLDAP").
 *
 * LDAPMessage ::= SEQUENCE { messageID, protocolOp (an [APPLICATION n]
 * choice, shown as its tag n), controls [0] OPTIONAL }.  A segment may
 * hold several messages; each is bounded by its BER length, and a message
 * cut by the segment end is marked truncated (no reassembly).  Bind, search
 * and result messages get their fields; other operations their DN.  The
 * Info line is Wireshark's: "op(id) detail " per message, joined by " | ".
 */
#include <stdio.h>
#include <string.h>

#include "ber.h"
#include "protos.h"
#include "text_lines.h"
#include "textfmt.h"

enum {
	F_MESSAGE_ID, F_PROTOCOL_OP, F_VERSION, F_NAME, F_AUTHENTICATION, F_SIMPLE, F_MECHANISM,
	F_RESULT_CODE, F_MATCHED_DN, F_ERROR_MESSAGE, F_BASE_OBJECT, F_SCOPE, F_DEREF, F_SIZE_LIMIT,
	F_TIME_LIMIT, F_TYPES_ONLY, F_FILTER, F_ATTRIBUTES, F_ATTR_DESC, F_OBJECT_NAME, F_TYPE, F_VALS,
	F_ATTR_VALUE, F_ENTRY, F_OBJECT, F_DEL_REQUEST, F_LDAPURL, F_COUNT
};

static const nm_vals op_vals[] = {
	{0, "bindRequest"},   {1, "bindResponse"},    {2, "unbindRequest"},	 {3, "searchRequest"},
	{4, "searchResEntry"}, {5, "searchResDone"},  {19, "searchResRef"},	 {6, "modifyRequest"},
	{7, "modifyResponse"}, {8, "addRequest"},     {9, "addResponse"},	 {10, "delRequest"},
	{11, "delResponse"},  {12, "modDNRequest"},   {13, "modDNResponse"},	 {14, "compareRequest"},
	{15, "compareResponse"}, {16, "abandonRequest"}, {23, "extendedReq"},	 {24, "extendedResp"},
	{25, "intermediateResponse"}, {0, NULL},
};

static const nm_vals result_vals[] = {
	{0, "success"}, {1, "operationsError"}, {2, "protocolError"}, {3, "timeLimitExceeded"},
	{4, "sizeLimitExceeded"}, {5, "compareFalse"}, {6, "compareTrue"}, {7, "authMethodNotSupported"},
	{8, "strongerAuthRequired"}, {10, "referral"}, {11, "adminLimitExceeded"},
	{12, "unavailableCriticalExtension"}, {13, "confidentialityRequired"}, {14, "saslBindInProgress"},
	{16, "noSuchAttribute"}, {17, "undefinedAttributeType"}, {18, "inappropriateMatching"},
	{19, "constraintViolation"}, {20, "attributeOrValueExists"}, {21, "invalidAttributeSyntax"},
	{32, "noSuchObject"}, {33, "aliasProblem"}, {34, "invalidDNSyntax"}, {36, "aliasDereferencingProblem"},
	{48, "inappropriateAuthentication"}, {49, "invalidCredentials"}, {50, "insufficientAccessRights"},
	{51, "busy"}, {52, "unavailable"}, {53, "unwillingToPerform"}, {54, "loopDetect"},
	{64, "namingViolation"}, {65, "objectClassViolation"}, {66, "notAllowedOnNonLeaf"},
	{67, "notAllowedOnRDN"}, {68, "entryAlreadyExists"}, {69, "objectClassModsProhibited"},
	{71, "affectsMultipleDSAs"}, {80, "other"}, {0, NULL},
};

static const nm_vals scope_vals[] = {{0, "baseObject"}, {1, "singleLevel"}, {2, "wholeSubtree"}, {0, NULL}};
static const nm_vals auth_vals[] = {{0, "simple"}, {3, "sasl"}, {0, NULL}};
static const nm_vals filter_vals[] = {
	{0, "and"}, {1, "or"}, {2, "not"}, {3, "equalityMatch"}, {4, "substrings"}, {5, "greaterOrEqual"},
	{6, "lessOrEqual"}, {7, "present"}, {8, "approxMatch"}, {9, "extensibleMatch"}, {0, NULL},
};

#define U(n, l, v) {n, l, NM_FT_UINT32, NM_BASE_DEC, v, 0, NULL}

static const nm_field fields[] = {
	[F_MESSAGE_ID] = U("ldap.messageID", "messageID", NULL),
	[F_PROTOCOL_OP] = U("ldap.protocolOp", "protocolOp", op_vals),
	[F_VERSION] = U("ldap.version", "version", NULL),
	[F_NAME] = NM_F_STR("ldap.name", "name"),
	[F_AUTHENTICATION] = U("ldap.authentication", "authentication", auth_vals),
	[F_SIMPLE] = NM_F_STR("ldap.simple", "simple"),
	[F_MECHANISM] = NM_F_STR("ldap.mechanism", "mechanism"),
	[F_RESULT_CODE] = U("ldap.resultCode", "resultCode", result_vals),
	[F_MATCHED_DN] = NM_F_STR("ldap.matchedDN", "matchedDN"),
	[F_ERROR_MESSAGE] = NM_F_STR("ldap.errorMessage", "errorMessage"),
	[F_BASE_OBJECT] = NM_F_STR("ldap.baseObject", "baseObject"),
	[F_SCOPE] = U("ldap.scope", "scope", scope_vals),
	[F_DEREF] = U("ldap.derefAliases", "derefAliases", NULL),
	[F_SIZE_LIMIT] = U("ldap.sizeLimit", "sizeLimit", NULL),
	[F_TIME_LIMIT] = U("ldap.timeLimit", "timeLimit", NULL),
	[F_TYPES_ONLY] = {"ldap.typesOnly", "typesOnly", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, NULL},
	[F_FILTER] = U("ldap.filter", "filter", filter_vals),
	[F_ATTRIBUTES] = U("ldap.attributes", "attributes", NULL),
	[F_ATTR_DESC] = NM_F_STR("ldap.AttributeDescription", "AttributeDescription"),
	[F_OBJECT_NAME] = NM_F_STR("ldap.objectName", "objectName"),
	[F_TYPE] = NM_F_STR("ldap.type", "type"),
	[F_VALS] = U("ldap.vals", "vals", NULL),
	[F_ATTR_VALUE] = {"ldap.AttributeValue", "AttributeValue", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_ENTRY] = NM_F_STR("ldap.entry", "entry"),
	[F_OBJECT] = NM_F_STR("ldap.object", "object"),
	[F_DEL_REQUEST] = NM_F_STR("ldap.delRequest", "delRequest"),
	[F_LDAPURL] = NM_F_STR("ldap.LDAPURL", "LDAPURL"),
};

typedef struct ldap_ctx {
	nm_packet *pk;
	bool bad;
} ldap_ctx;

/* The next element of `c`, which must carry class/tag; its contents. */
static bool next(ldap_ctx *x, nm_cursor *c, uint8_t cls, uint32_t tag, nm_ber *e, nm_cursor *body)
{
	bool cut = false;
	if (!nm_ber_expect(c, e, cls, tag)) {
		x->bad = true;
		return false;
	}
	*body = nm_ber_sub(c, e, &cut);
	x->bad |= cut;
	return !cut;
}

static bool get_uint(ldap_ctx *x, nm_cursor *c, uint32_t tag, int parent, int f, uint32_t *out)
{
	nm_ber e;
	nm_cursor b;
	if (!next(x, c, NM_BER_UNIVERSAL, tag, &e, &b) || e.len == 0 || e.len > 5)
		return x->bad = true, false;
	*out = (uint32_t)nm_ber_int(x->pk->data + b.pos, e.len);
	if (f >= 0)
		nm_add_uint(x->pk, parent, &fields[f], e.start, e.hdr_len + e.len, *out);
	return true;
}

/* An OCTET STRING (or context-tagged string) as a UTF-8 string field; the
 * text also goes to `text` (escaped for the Info line) when given. */
static bool get_string(ldap_ctx *x, nm_cursor *c, uint8_t cls, uint32_t tag, int parent, int f, char *text,
		       size_t cap)
{
	nm_ber e;
	nm_cursor b;
	if (!next(x, c, cls, tag, &e, &b))
		return false;
	if (text)
		nm_text_render(text, cap, x->pk->data + b.pos, e.len, true);
	nm_add_text_field(x->pk, parent, &fields[f], &b, e.len, true);
	return true;
}

static void bind_request(ldap_ctx *x, int t, nm_cursor *op)
{
	uint32_t v;
	char dn[256];
	nm_ber e;
	if (!get_uint(x, op, 2, t, F_VERSION, &v) ||
	    !get_string(x, op, NM_BER_UNIVERSAL, 4, t, F_NAME, dn, sizeof dn))
		return;
	bool cut = false;
	if (!nm_ber_read(op, &e) || e.cls != NM_BER_CONTEXT)
		return (void)(x->bad = true);
	nm_cursor b = nm_ber_sub(op, &e, &cut);
	nm_add_uint(x->pk, t, &fields[F_AUTHENTICATION], e.start, e.hdr_len + e.len, e.tag);
	nm_append_info(x->pk, "\"%s\" %s ", dn, nm_val_label(auth_vals, e.tag, "unknown"));
	if (e.tag == 0)
		nm_add_text_field(x->pk, t, &fields[F_SIMPLE], &b, nm_cur_left(&b), true);
	else if (e.tag == 3)
		get_string(x, &b, NM_BER_UNIVERSAL, 4, t, F_MECHANISM, NULL, 0);
}

/* LDAPResult: resultCode, matchedDN, errorMessage. */
static void result(ldap_ctx *x, int t, nm_cursor *op)
{
	uint32_t code;
	char msg[256];
	if (!get_uint(x, op, 10, t, F_RESULT_CODE, &code))
		return;
	nm_append_info(x->pk, "%s ", nm_val_label(result_vals, code, "unknown"));
	if (!get_string(x, op, NM_BER_UNIVERSAL, 4, t, F_MATCHED_DN, NULL, 0) ||
	    !get_string(x, op, NM_BER_UNIVERSAL, 4, t, F_ERROR_MESSAGE, msg, sizeof msg))
		return;
	if (msg[0]) {
		size_t n = strlen(x->pk->info);
		if (n) /* "code (message) " */
			x->pk->info[n - 1] = '\0';
		nm_append_info(x->pk, " (%s) ", msg);
	}
}

static void attribute_list(ldap_ctx *x, int t, nm_cursor *c)
{
	nm_ber e;
	nm_cursor list;
	if (!next(x, c, NM_BER_UNIVERSAL, 16, &e, &list))
		return;
	int a = nm_add_uint(x->pk, t, &fields[F_ATTRIBUTES], list.pos, nm_cur_left(&list), nm_ber_count(list));
	while (nm_cur_left(&list) && !x->bad)
		get_string(x, &list, NM_BER_UNIVERSAL, 4, a, F_ATTR_DESC, NULL, 0);
}

static void search_request(ldap_ctx *x, int t, nm_cursor *op)
{
	char base[256];
	uint32_t scope, v;
	nm_ber e;
	if (!get_string(x, op, NM_BER_UNIVERSAL, 4, t, F_BASE_OBJECT, base, sizeof base) ||
	    !get_uint(x, op, 10, t, F_SCOPE, &scope))
		return;
	nm_append_info(x->pk, "\"%s\" %s ", base, nm_val_label(scope_vals, scope, "unknown"));
	if (!get_uint(x, op, 10, t, F_DEREF, &v) || !get_uint(x, op, 2, t, F_SIZE_LIMIT, &v) ||
	    !get_uint(x, op, 2, t, F_TIME_LIMIT, &v) || !get_uint(x, op, 1, -1, -1, &v))
		return;
	nm_add_bool(x->pk, t, &fields[F_TYPES_ONLY], op->pos - 1, 1, v != 0);
	bool cut = false;
	if (!nm_ber_read(op, &e) || e.cls != NM_BER_CONTEXT)
		return (void)(x->bad = true);
	nm_ber_sub(op, &e, &cut);
	nm_add_uint(x->pk, t, &fields[F_FILTER], e.start, e.hdr_len + e.len, e.tag);
	attribute_list(x, t, op);
}

/* searchResEntry: objectName, then SEQUENCE OF { type, SET OF value }. */
static void search_entry(ldap_ctx *x, int t, nm_cursor *op)
{
	char dn[256];
	nm_ber e;
	nm_cursor attrs, pa, vals;
	if (!get_string(x, op, NM_BER_UNIVERSAL, 4, t, F_OBJECT_NAME, dn, sizeof dn))
		return;
	nm_append_info(x->pk, "\"%s\" ", dn);
	if (!next(x, op, NM_BER_UNIVERSAL, 16, &e, &attrs))
		return;
	t = nm_add_uint(x->pk, t, &fields[F_ATTRIBUTES], attrs.pos, nm_cur_left(&attrs), nm_ber_count(attrs));
	while (nm_cur_left(&attrs) && !x->bad) {
		if (!next(x, &attrs, NM_BER_UNIVERSAL, 16, &e, &pa) ||
		    !get_string(x, &pa, NM_BER_UNIVERSAL, 4, t, F_TYPE, NULL, 0) ||
		    !next(x, &pa, NM_BER_UNIVERSAL, 17, &e, &vals))
			return;
		int v = nm_add_uint(x->pk, t, &fields[F_VALS], vals.pos, nm_cur_left(&vals), nm_ber_count(vals));
		while (nm_cur_left(&vals) && !x->bad) {
			nm_cursor b;
			if (!next(x, &vals, NM_BER_UNIVERSAL, 4, &e, &b))
				return;
			nm_add_bytes(x->pk, v, &fields[F_ATTR_VALUE], b.pos, e.len, x->pk->data + b.pos);
		}
	}
}

/* Operations whose body is (or starts with) an LDAPDN: modify's is
 * "object", delete's the delRequest itself, the others' "entry". */
static void dn_only(ldap_ctx *x, int t, const nm_ber *op_e, nm_cursor *op)
{
	char dn[256];
	int f = op_e->tag == 6 ? F_OBJECT : F_ENTRY;
	if (!op_e->constructed) { /* delRequest: [APPLICATION 10] LDAPDN */
		nm_text_render(dn, sizeof dn, x->pk->data + op->pos, nm_cur_left(op), true);
		nm_add_text_field(x->pk, t, &fields[F_DEL_REQUEST], op, nm_cur_left(op), true);
	} else if (!get_string(x, op, NM_BER_UNIVERSAL, 4, t, f, dn, sizeof dn)) {
		return;
	}
	nm_append_info(x->pk, "\"%s\" ", dn);
}

static void protocol_op(ldap_ctx *x, int t, const nm_ber *e, nm_cursor *op)
{
	switch (e->tag) {
	case 0:
		bind_request(x, t, op);
		break;
	case 1: case 5: case 7: case 9: case 11: case 13: case 15: case 24:
		result(x, t, op);
		break;
	case 3:
		search_request(x, t, op);
		break;
	case 4:
		search_entry(x, t, op);
		break;
	case 6: case 8: case 10: case 12: case 14:
		dn_only(x, t, e, op);
		break;
	case 19:
		while (nm_cur_left(op) && !x->bad)
			get_string(x, op, NM_BER_UNIVERSAL, 4, t, F_LDAPURL, NULL, 0);
		break;
	}
}

/* One LDAPMessage at the cursor; false when the stream cannot go on. */
static bool message(ldap_ctx *x, int parent, nm_cursor *c, const nm_protocol *p)
{
	nm_ber e, oe;
	nm_cursor msg;
	bool cut = false;
	if (!nm_ber_read(c, &e) || e.cls != NM_BER_UNIVERSAL || e.tag != 16)
		return x->bad = true, false;
	msg = nm_ber_sub(c, &e, &cut);
	int t = nm_add_proto(x->pk, parent, p, e.start, e.hdr_len + nm_cur_left(&msg));
	uint32_t id;
	if (!get_uint(x, &msg, 2, t, F_MESSAGE_ID, &id))
		return false;
	if (!nm_ber_read(&msg, &oe) || oe.cls != NM_BER_APPLICATION)
		return x->bad = true, false;
	bool opcut = false;
	nm_cursor op = nm_ber_sub(&msg, &oe, &opcut);
	if (x->pk->info[0])
		nm_append_info(x->pk, " | ");
	nm_append_info(x->pk, "%s(%u) ", nm_val_label(op_vals, oe.tag, "unknown"), id);
	nm_add_uint(x->pk, t, &fields[F_PROTOCOL_OP], oe.start, oe.hdr_len + oe.len, oe.tag);
	protocol_op(x, t, &oe, &op);
	x->bad |= cut || opcut;
	return !cut;
}

static int dissect_messages(nm_packet *pk, nm_cursor *c, int parent, const nm_protocol *p)
{
	ldap_ctx x = {pk, false};
	pk->info[0] = '\0';
	while (nm_cur_left(c) && !x.bad)
		if (!message(&x, parent, c, p))
			break;
	c->pos = c->end;
	return x.bad ? NM_MALFORMED : NM_OK;
}

static int dissect_ldap(nm_packet *pk, nm_cursor *c, int parent)
{
	bool udp = pk->nprotos >= 2 && pk->proto_ids[pk->nprotos - 2] == nm_proto_udp.id;
	if (udp)
		pk->protocol = "CLDAP";
	return dissect_messages(pk, c, parent, &nm_proto_ldap);
}

static void init_ldap(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 389, &nm_proto_ldap);
	nm_handoff_add(NM_TAB_UDP_PORT, 389, &nm_proto_ldap);
}

nm_protocol nm_proto_ldap = {
	"ldap", "LDAP", "Lightweight Directory Access Protocol", fields, F_COUNT, dissect_ldap, init_ldap, 0,
};
