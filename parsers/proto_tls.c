/*
 * proto_tls.c - Transport Layer Security records (RFC 5246, RFC 8446) and
 * the plaintext handshake: ClientHello and ServerHello with SNI, ALPN,
 * supported versions and groups, and Certificate messages (lengths, and in
 * the detail tree each certificate's fields: x509.c).
 *
 * Every record whole in this segment is decoded; a record cut by the
 * segment end is left alone, as tshark leaves it for reassembly.  A
 * handshake record whose first message does not parse is encrypted
 * ("Encrypted Handshake Message").  The Protocol column names the record
 * version (TLSv1.3 when a ServerHello selects 1.3), since without
 * conversation state that is all one segment says.
 */
#include <stdio.h>

#include "protos.h"
#include "x509.h"

enum {
	F_CONTENT_TYPE,
	F_OPAQUE_TYPE,
	F_VERSION,
	F_LENGTH,
	F_HS_TYPE,
	F_HS_LENGTH,
	F_HS_VERSION,
	F_RANDOM,
	F_SID_LEN,
	F_SID,
	F_CS_LEN,
	F_CIPHERSUITE,
	F_COMP_LEN,
	F_COMP,
	F_EXTS_LEN,
	F_EXT_TYPE,
	F_EXT_LEN,
	F_SNI_LIST_LEN,
	F_SNI_TYPE,
	F_SNI_LEN,
	F_SNI,
	F_ALPN_LEN,
	F_ALPN_STR_LEN,
	F_ALPN_STR,
	F_SV_LEN,
	F_SV,
	F_GROUPS_LEN,
	F_GROUP,
	F_CERTS_LEN,
	F_CERT_LEN,
	F_CERT,
	F_APP_DATA,
	F_ALERT_LEVEL,
	F_ALERT_DESC,
	F_COUNT
};


static const nm_vals content_types[] = {
    {20, "Change Cipher Spec"}, {21, "Alert"},     {22, "Handshake"},
    {23, "Application Data"},   {24, "Heartbeat"}, {0, NULL},
};

static const nm_vals hs_types[] = {
    {0, "Hello Request"},
    {1, "Client Hello"},
    {2, "Server Hello"},
    {3, "Hello Verify Request"},
    {4, "New Session Ticket"},
    {5, "End of Early Data"},
    {6, "Hello Retry Request"},
    {8, "Encrypted Extensions"},
    {11, "Certificate"},
    {12, "Server Key Exchange"},
    {13, "Certificate Request"},
    {14, "Server Hello Done"},
    {15, "Certificate Verify"},
    {16, "Client Key Exchange"},
    {20, "Finished"},
    {21, "Certificate URL"},
    {22, "Certificate Status"},
    {23, "Supplemental Data"},
    {24, "Key Update"},
    {25, "Compressed Certificate"},
    {254, "Message Hash"},
    {0, NULL},
};

static const nm_vals alert_levels[] = {{1, "Warning"}, {2, "Fatal"}, {0, NULL}};

static const nm_vals alert_descs[] = {
    {0, "Close Notify"},
    {10, "Unexpected Message"},
    {20, "Bad Record MAC"},
    {21, "Decryption Failed"},
    {22, "Record Overflow"},
    {30, "Decompression Failure"},
    {40, "Handshake Failure"},
    {41, "No Certificate"},
    {42, "Bad Certificate"},
    {43, "Unsupported Certificate"},
    {44, "Certificate Revoked"},
    {45, "Certificate Expired"},
    {46, "Certificate Unknown"},
    {47, "Illegal Parameter"},
    {48, "Unknown CA"},
    {49, "Access Denied"},
    {50, "Decode Error"},
    {51, "Decrypt Error"},
    {60, "Export Restriction"},
    {70, "Protocol Version"},
    {71, "Insufficient Security"},
    {80, "Internal Error"},
    {86, "Inappropriate Fallback"},
    {90, "User Canceled"},
    {100, "No Renegotiation"},
    {109, "Missing Extension"},
    {110, "Unsupported Extension"},
    {111, "Certificate Unobtainable"},
    {112, "Unrecognized Name"},
    {113, "Bad Certificate Status Response"},
    {114, "Bad Certificate Hash Value"},
    {115, "Unknown PSK Identity"},
    {116, "Certificate Required"},
    {120, "No application Protocol"},
    {0, NULL},
};

static const nm_field fields[] = {
    [F_CONTENT_TYPE] = {"tls.record.content_type", "Content Type", NM_FT_UINT8, NM_BASE_DEC, content_types, 0, NULL},
    [F_OPAQUE_TYPE] = {"tls.record.opaque_type", "Opaque Type", NM_FT_UINT8, NM_BASE_DEC, content_types, 0, NULL},
    [F_VERSION] = NM_F_NUM("tls.record.version", "Version", NM_FT_UINT16, NM_BASE_HEX),
    [F_LENGTH] = NM_F_NUM("tls.record.length", "Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_HS_TYPE] = {"tls.handshake.type", "Handshake Type", NM_FT_UINT8, NM_BASE_DEC, hs_types, 0, NULL},
    [F_HS_LENGTH] = NM_F_NUM("tls.handshake.length", "Length", NM_FT_UINT24, NM_BASE_DEC),
    [F_HS_VERSION] = NM_F_NUM("tls.handshake.version", "Version", NM_FT_UINT16, NM_BASE_HEX),
    [F_RANDOM] = NM_F_BYTES("tls.handshake.random", "Random"),
    [F_SID_LEN] = NM_F_NUM("tls.handshake.session_id_length", "Session ID Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_SID] = NM_F_BYTES("tls.handshake.session_id", "Session ID"),
    [F_CS_LEN] = NM_F_NUM("tls.handshake.cipher_suites_length", "Cipher Suites Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_CIPHERSUITE] = NM_F_NUM("tls.handshake.ciphersuite", "Cipher Suite", NM_FT_UINT16, NM_BASE_HEX),
    [F_COMP_LEN] = NM_F_NUM("tls.handshake.comp_methods_length", "Compression Methods Length", NM_FT_UINT8, NM_BASE_DEC),
    [F_COMP] = NM_F_NUM("tls.handshake.comp_method", "Compression Method", NM_FT_UINT8, NM_BASE_DEC),
    [F_EXTS_LEN] = NM_F_NUM("tls.handshake.extensions_length", "Extensions Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_EXT_TYPE] = NM_F_NUM("tls.handshake.extension.type", "Type", NM_FT_UINT16, NM_BASE_DEC),
    [F_EXT_LEN] = NM_F_NUM("tls.handshake.extension.len", "Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_SNI_LIST_LEN] = NM_F_NUM("tls.handshake.extensions_server_name_list_len", "Server Name list length", NM_FT_UINT16, NM_BASE_DEC),
    [F_SNI_TYPE] = NM_F_NUM("tls.handshake.extensions_server_name_type", "Server Name Type", NM_FT_UINT8, NM_BASE_DEC),
    [F_SNI_LEN] = NM_F_NUM("tls.handshake.extensions_server_name_len", "Server Name length", NM_FT_UINT16, NM_BASE_DEC),
    [F_SNI] = NM_F_STR("tls.handshake.extensions_server_name", "Server Name"),
    [F_ALPN_LEN] = NM_F_NUM("tls.handshake.extensions_alpn_len", "ALPN Extension Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_ALPN_STR_LEN] = NM_F_NUM("tls.handshake.extensions_alpn_str_len", "ALPN string length", NM_FT_UINT8, NM_BASE_DEC),
    [F_ALPN_STR] = NM_F_STR("tls.handshake.extensions_alpn_str", "ALPN Next Protocol"),
    [F_SV_LEN] = NM_F_NUM("tls.handshake.extensions.supported_versions_len", "Supported Versions length", NM_FT_UINT8, NM_BASE_DEC),
    [F_SV] = NM_F_NUM("tls.handshake.extensions.supported_version", "Supported Version", NM_FT_UINT16, NM_BASE_HEX),
    [F_GROUPS_LEN] = NM_F_NUM("tls.handshake.extensions_supported_groups_length", "Supported Groups List Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_GROUP] = NM_F_NUM("tls.handshake.extensions_supported_group", "Supported Group", NM_FT_UINT16, NM_BASE_HEX),
    [F_CERTS_LEN] = NM_F_NUM("tls.handshake.certificates_length", "Certificates Length", NM_FT_UINT24, NM_BASE_DEC),
    [F_CERT_LEN] = NM_F_NUM("tls.handshake.certificate_length", "Certificate Length", NM_FT_UINT24, NM_BASE_DEC),
    [F_CERT] = NM_F_BYTES("tls.handshake.certificate", "Certificate"),
    [F_APP_DATA] = NM_F_BYTES("tls.app_data", "Encrypted Application Data"),
    [F_ALERT_LEVEL] = {"tls.alert_message.level", "Level", NM_FT_UINT8, NM_BASE_DEC, alert_levels, 0, NULL},
    [F_ALERT_DESC] = {"tls.alert_message.desc", "Description", NM_FT_UINT8, NM_BASE_DEC, alert_descs, 0, NULL},
};

static const char *version_name(uint16_t v)
{
	switch (v) {
	case 0x0300:
		return "SSLv3";
	case 0x0301:
		return "TLSv1";
	case 0x0302:
		return "TLSv1.1";
	case 0x0303:
		return "TLSv1.2";
	case 0x0304:
		return "TLSv1.3";
	default:
		return NULL;
	}
}

/* Add an integer field read from the cursor (n = 1, 2 or 3 bytes). */
static uint32_t add_u(nm_packet *pk, int t, nm_cursor *c, int f, uint32_t n)
{
	uint32_t at = c->pos;
	uint32_t v = n == 1 ? nm_cur_u8(c) : n == 2 ? nm_cur_be16(c) : nm_cur_be24(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[f], at, n, v);
	return v;
}

static void add_b(nm_packet *pk, int t, nm_cursor *c, int f, uint32_t n)
{
	uint32_t at = c->pos;
	const uint8_t *b = nm_cur_take(c, n);
	if (b && n)
		nm_add_bytes(pk, t, &fields[f], at, n, b);
}

/* A length-prefixed list of 16-bit values (cipher suites, groups, versions). */
static void add_u16_list(nm_packet *pk, int t, nm_cursor *c, int flen, uint32_t lenbytes, int fitem)
{
	uint32_t n = add_u(pk, t, c, flen, lenbytes);
	nm_cursor l = nm_cur_sub(c, n);
	while (nm_cur_left(&l) >= 2)
		add_u(pk, t, &l, fitem, 2);
}

static void ext_sni(nm_packet *pk, int t, nm_cursor *e)
{
	uint32_t n = add_u(pk, t, e, F_SNI_LIST_LEN, 2);
	nm_cursor l = nm_cur_sub(e, n);
	while (nm_cur_left(&l) >= 3 && !l.err) {
		add_u(pk, t, &l, F_SNI_TYPE, 1);
		uint32_t sl = add_u(pk, t, &l, F_SNI_LEN, 2), at = l.pos;
		const uint8_t *s = nm_cur_take(&l, sl);
		if (s) {
			char name[256];
			snprintf(name, sizeof name, "%.*s", (int)sl, (const char *)s);
			nm_add_string(pk, t, &fields[F_SNI], at, sl, name);
		}
	}
}

static void ext_alpn(nm_packet *pk, int t, nm_cursor *e)
{
	uint32_t n = add_u(pk, t, e, F_ALPN_LEN, 2);
	nm_cursor l = nm_cur_sub(e, n);
	while (nm_cur_left(&l) >= 1 && !l.err) {
		uint32_t sl = add_u(pk, t, &l, F_ALPN_STR_LEN, 1), at = l.pos;
		const uint8_t *s = nm_cur_take(&l, sl);
		if (s) {
			char name[256];
			snprintf(name, sizeof name, "%.*s", (int)sl, (const char *)s);
			nm_add_string(pk, t, &fields[F_ALPN_STR], at, sl, name);
		}
	}
}

/* supported_versions: a list in a ClientHello, one version in a ServerHello. */
static uint16_t ext_versions(nm_packet *pk, int t, nm_cursor *e, uint8_t hs)
{
	if (hs != 1)
		return (uint16_t)add_u(pk, t, e, F_SV, 2);
	add_u16_list(pk, t, e, F_SV_LEN, 1, F_SV);
	return 0;
}

/* Extensions; returns the version a ServerHello selects (0 if none). */
static uint16_t extensions(nm_packet *pk, int t, nm_cursor *c, uint8_t hs)
{
	uint16_t selected = 0;
	if (nm_cur_left(c) < 2)
		return 0;
	uint32_t n = add_u(pk, t, c, F_EXTS_LEN, 2);
	nm_cursor l = nm_cur_sub(c, n);
	while (nm_cur_left(&l) >= 4 && !l.err) {
		uint32_t type = add_u(pk, t, &l, F_EXT_TYPE, 2);
		uint32_t len = add_u(pk, t, &l, F_EXT_LEN, 2);
		nm_cursor e = nm_cur_sub(&l, len);
		if (type == 0 && hs == 1)
			ext_sni(pk, t, &e);
		else if (type == 16)
			ext_alpn(pk, t, &e);
		else if (type == 43)
			selected = ext_versions(pk, t, &e, hs);
		else if (type == 10)
			add_u16_list(pk, t, &e, F_GROUPS_LEN, 2, F_GROUP);
	}
	return selected;
}

static uint16_t hello(nm_packet *pk, int t, nm_cursor *c, uint8_t hs)
{
	add_u(pk, t, c, F_HS_VERSION, 2);
	add_b(pk, t, c, F_RANDOM, 32);
	uint32_t sid = add_u(pk, t, c, F_SID_LEN, 1);
	add_b(pk, t, c, F_SID, sid);
	if (hs == 1) {
		add_u16_list(pk, t, c, F_CS_LEN, 2, F_CIPHERSUITE);
		uint32_t n = add_u(pk, t, c, F_COMP_LEN, 1);
		for (uint32_t i = 0; i < n && !c->err; i++)
			add_u(pk, t, c, F_COMP, 1);
	} else {
		add_u(pk, t, c, F_CIPHERSUITE, 2);
		add_u(pk, t, c, F_COMP, 1);
	}
	return c->err ? 0 : extensions(pk, t, c, hs);
}

static void certificates(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t n = add_u(pk, t, c, F_CERTS_LEN, 3);
	nm_cursor l = nm_cur_sub(c, n);
	while (nm_cur_left(&l) >= 3 && !l.err) {
		uint32_t len = add_u(pk, t, &l, F_CERT_LEN, 3);
		uint32_t at = l.pos;
		const uint8_t *b = nm_cur_take(&l, len);
		if (!b || !len)
			continue;
		int node = nm_add_bytes(pk, t, &fields[F_CERT], at, len, b);
		/* Only the detail tree shows a certificate's contents. */
		if (node >= 0)
			nm_x509_certificate(pk, node, nm_cursor_make(l.data, at, at + len));
	}
}

/* True when the record holds a sequence of well-formed handshake headers. */
static bool plausible_handshake(const nm_cursor *r)
{
	nm_cursor c = *r;
	while (nm_cur_left(&c) > 0) {
		uint8_t type = nm_cur_u8(&c);
		uint32_t len = nm_cur_be24(&c);
		if (c.err || !nm_val_label(hs_types, type, NULL) || !nm_cur_skip(&c, len))
			return false;
	}
	return true;
}

/* Handshake messages of one record; returns a version a ServerHello selects. */
static uint16_t handshake(nm_packet *pk, int t, nm_cursor *r, bool *first)
{
	uint16_t selected = 0;
	if (!plausible_handshake(r)) {
		nm_append_info(pk, "%sEncrypted Handshake Message", *first ? "" : ", ");
		*first = false;
		return 0;
	}
	while (nm_cur_left(r) >= 4) {
		uint8_t type = (uint8_t)add_u(pk, t, r, F_HS_TYPE, 1);
		uint32_t len = add_u(pk, t, r, F_HS_LENGTH, 3);
		nm_cursor m = nm_cur_sub(r, len);
		nm_append_info(pk, "%s%s", *first ? "" : ", ", nm_val_label(hs_types, type, "Unknown"));
		*first = false;
		if (type == 1 || type == 2)
			selected = hello(pk, t, &m, type);
		else if (type == 11)
			certificates(pk, t, &m);
	}
	return selected;
}

static void alert(nm_packet *pk, int t, nm_cursor *r, bool *first)
{
	const char *sep = *first ? "" : ", ";
	*first = false;
	if (nm_cur_left(r) != 2) {
		nm_append_info(pk, "%sEncrypted Alert", sep);
		return;
	}
	uint8_t level = (uint8_t)add_u(pk, t, r, F_ALERT_LEVEL, 1);
	uint8_t desc = (uint8_t)add_u(pk, t, r, F_ALERT_DESC, 1);
	nm_append_info(pk, "%sAlert (Level: %s, Description: %s)", sep, nm_val_label(alert_levels, level, "Unknown"),
	               nm_val_label(alert_descs, desc, "Unknown"));
}

static bool record_header_ok(uint8_t type, uint16_t version)
{
	return type >= 20 && type <= 24 && (version >> 8) == 3 && (version & 0xff) <= 4;
}

/* One record whole in the segment; returns a version a ServerHello selects.
 * After a TLS 1.3 ServerHello (`tls13`), the content type of protected
 * records is only an outer "opaque type", as tshark names it. */
static uint16_t record(nm_packet *pk, nm_cursor *c, bool *first, bool tls13)
{
	uint32_t at = c->pos;
	uint8_t type = nm_cur_u8(c);
	uint16_t version = nm_cur_be16(c);
	uint16_t len = nm_cur_be16(c);
	int t = nm_add_text(pk, -1, at, 5u + len, "TLS Record Layer");
	nm_add_uint(pk, t, &fields[tls13 && type == 23 ? F_OPAQUE_TYPE : F_CONTENT_TYPE], at, 1, type);
	nm_add_uint(pk, t, &fields[F_VERSION], at + 1, 2, version);
	nm_add_uint(pk, t, &fields[F_LENGTH], at + 3, 2, len);
	nm_cursor r = nm_cur_sub(c, len);
	if (type == 22)
		return handshake(pk, t, &r, first);
	if (type == 21) {
		alert(pk, t, &r, first);
		return 0;
	}
	if (type == 23)
		add_b(pk, t, &r, F_APP_DATA, len);
	nm_append_info(pk, "%s%s", *first ? "" : ", ", nm_val_label(content_types, type, "Unknown"));
	*first = false;
	return 0;
}

static int dissect_tls(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	nm_add_proto(pk, -1, &nm_proto_tls, start, len);
	nm_set_info(pk, "%s", "");
	bool first = true;
	const char *proto = NULL;
	bool tls13 = false;
	while (nm_cur_left(c) >= 5) {
		bool ok;
		uint8_t type = nm_cur_peek(c, 0, &ok);
		uint16_t version = (uint16_t)(nm_cur_peek(c, 1, &ok) << 8 | nm_cur_peek(c, 2, &ok));
		uint32_t rlen = (uint32_t)nm_cur_peek(c, 3, &ok) << 8 | nm_cur_peek(c, 4, &ok);
		if (!record_header_ok(type, version)) {
			nm_append_info(pk, "%sContinuation Data", first ? "" : ", ");
			break;
		}
		if (!proto)
			proto = version_name(version);
		if (!nm_cur_has(c, 5 + rlen))
			break; /* cut by the segment end: tshark would reassemble */
		if (record(pk, c, &first, tls13) == 0x0304)
			proto = "TLSv1.3", tls13 = true;
	}
	if (proto)
		pk->protocol = proto;
	nm_cur_skip(c, nm_cur_left(c));
	return NM_OK;
}

/* Other ports: a handshake record starting a ClientHello or ServerHello. */
static bool tls_heur(const nm_packet *pk, const nm_cursor *c)
{
	(void)pk;
	bool ok;
	uint8_t b[6];
	for (uint32_t i = 0; i < 6; i++)
		b[i] = nm_cur_peek(c, i, &ok);
	if (!ok)
		return false;
	uint32_t len = (uint32_t)b[3] << 8 | b[4];
	return b[0] == 22 && b[1] == 3 && b[2] <= 3 && len >= 4 && len <= 18432 && (b[5] == 1 || b[5] == 2);
}

static void init_tls(void)
{
	static const uint16_t ports[] = {324,  443,  465,  636,  802,  853,  993,  995,  1300, 2221,  2443,  3249,
	                                 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017};
	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		nm_handoff_add(NM_TAB_TCP_PORT, ports[i], &nm_proto_tls);
	nm_heur_add(NM_TAB_TCP_PORT, tls_heur, &nm_proto_tls);
}

nm_protocol nm_proto_tls = {
    "tls", "TLS", "Transport Layer Security", fields, F_COUNT, dissect_tls, init_tls, 0,
};
