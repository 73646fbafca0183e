/*
 * proto_radius.c - RADIUS (RFC 2865/2866, 5176) over UDP.
 *
 * Header (code, identifier, length, authenticator) then attributes as
 * type/length/value.  radius.length bounds the attribute list; an
 * attribute length below 2 or past that bound ends the list (malformed).
 * Common attributes get Wireshark's named fields; EAP-Message content is
 * left undecoded (Wireshark hands it to its EAP dissector).
 */
#include <stdio.h>

#include "protos.h"
#include "textfmt.h"

enum {
	F_CODE, F_ID, F_LENGTH, F_AUTH, F_AVP_TYPE, F_AVP_LENGTH, F_VENDOR_ID,
	F_USER_NAME, F_NAS_IP, F_NAS_PORT, F_SERVICE_TYPE, F_FRAMED_PROTO, F_FRAMED_IP, F_FILTER_ID,
	F_FRAMED_MTU, F_REPLY_MSG, F_STATE, F_CLASS, F_SESSION_TIMEOUT, F_IDLE_TIMEOUT, F_CALLED_ID,
	F_CALLING_ID, F_NAS_ID, F_ACCT_STATUS, F_ACCT_DELAY, F_ACCT_IN, F_ACCT_OUT, F_ACCT_SESSION_ID,
	F_ACCT_AUTHENTIC, F_ACCT_SESSION_TIME, F_ACCT_TERMINATE, F_NAS_PORT_TYPE, F_CONNECT_INFO,
	F_MSG_AUTH, F_NAS_IPV6, F_ERROR_CAUSE, F_COUNT
};

static const nm_vals code_vals[] = {
	{1, "Access-Request"},	   {2, "Access-Accept"},       {3, "Access-Reject"},  {4, "Accounting-Request"},
	{5, "Accounting-Response"}, {11, "Access-Challenge"},   {12, "Status-Server"}, {13, "Status-Client"},
	{40, "Disconnect-Request"}, {41, "Disconnect-ACK"},     {42, "Disconnect-NAK"}, {43, "CoA-Request"},
	{44, "CoA-ACK"},	   {45, "CoA-NAK"},	       {0, NULL},
};

#define ATTR(name, label, type) {"radius." name, label, type, type == NM_FT_UINT32 ? NM_BASE_DEC : NM_BASE_NONE, NULL, 0, NULL}

static const nm_field fields[] = {
	[F_CODE] = {"radius.code", "Code", NM_FT_UINT8, NM_BASE_DEC, code_vals, 0, NULL},
	[F_ID] = {"radius.id", "Identifier", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_LENGTH] = {"radius.length", "Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_AUTH] = {"radius.authenticator", "Authenticator", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_AVP_TYPE] = {"radius.avp.type", "Type", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_AVP_LENGTH] = {"radius.avp.length", "Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_VENDOR_ID] = {"radius.avp.vendor_id", "Vendor ID", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_USER_NAME] = ATTR("User_Name", "User-Name", NM_FT_STRING),
	[F_NAS_IP] = ATTR("NAS_IP_Address", "NAS-IP-Address", NM_FT_IPv4),
	[F_NAS_PORT] = ATTR("NAS_Port", "NAS-Port", NM_FT_UINT32),
	[F_SERVICE_TYPE] = ATTR("Service_Type", "Service-Type", NM_FT_UINT32),
	[F_FRAMED_PROTO] = ATTR("Framed_Protocol", "Framed-Protocol", NM_FT_UINT32),
	[F_FRAMED_IP] = ATTR("Framed_IP_Address", "Framed-IP-Address", NM_FT_IPv4),
	[F_FILTER_ID] = ATTR("Filter_Id", "Filter-Id", NM_FT_STRING),
	[F_FRAMED_MTU] = ATTR("Framed_MTU", "Framed-MTU", NM_FT_UINT32),
	[F_REPLY_MSG] = ATTR("Reply_Message", "Reply-Message", NM_FT_STRING),
	[F_STATE] = ATTR("State", "State", NM_FT_BYTES),
	[F_CLASS] = ATTR("Class", "Class", NM_FT_BYTES),
	[F_SESSION_TIMEOUT] = ATTR("Session_Timeout", "Session-Timeout", NM_FT_UINT32),
	[F_IDLE_TIMEOUT] = ATTR("Idle_Timeout", "Idle-Timeout", NM_FT_UINT32),
	[F_CALLED_ID] = ATTR("Called_Station_Id", "Called-Station-Id", NM_FT_STRING),
	[F_CALLING_ID] = ATTR("Calling_Station_Id", "Calling-Station-Id", NM_FT_STRING),
	[F_NAS_ID] = ATTR("NAS_Identifier", "NAS-Identifier", NM_FT_STRING),
	[F_ACCT_STATUS] = ATTR("Acct_Status_Type", "Acct-Status-Type", NM_FT_UINT32),
	[F_ACCT_DELAY] = ATTR("Acct_Delay_Time", "Acct-Delay-Time", NM_FT_UINT32),
	[F_ACCT_IN] = ATTR("Acct_Input_Octets", "Acct-Input-Octets", NM_FT_UINT32),
	[F_ACCT_OUT] = ATTR("Acct_Output_Octets", "Acct-Output-Octets", NM_FT_UINT32),
	[F_ACCT_SESSION_ID] = ATTR("Acct_Session_Id", "Acct-Session-Id", NM_FT_STRING),
	[F_ACCT_AUTHENTIC] = ATTR("Acct_Authentic", "Acct-Authentic", NM_FT_UINT32),
	[F_ACCT_SESSION_TIME] = ATTR("Acct_Session_Time", "Acct-Session-Time", NM_FT_UINT32),
	[F_ACCT_TERMINATE] = ATTR("Acct_Terminate_Cause", "Acct-Terminate-Cause", NM_FT_UINT32),
	[F_NAS_PORT_TYPE] = ATTR("NAS_Port_Type", "NAS-Port-Type", NM_FT_UINT32),
	[F_CONNECT_INFO] = ATTR("Connect_Info", "Connect-Info", NM_FT_STRING),
	[F_MSG_AUTH] = ATTR("Message_Authenticator", "Message-Authenticator", NM_FT_BYTES),
	[F_NAS_IPV6] = ATTR("NAS_IPv6_Address", "NAS-IPv6-Address", NM_FT_IPv6),
	[F_ERROR_CAUSE] = ATTR("Error_Cause", "Error-Cause", NM_FT_UINT32),
};

/* Attribute type -> field (0: no named field). */
static const struct {
	uint8_t type;
	uint8_t field;
} attrs[] = {
	{1, F_USER_NAME},	{4, F_NAS_IP},		 {5, F_NAS_PORT},	  {6, F_SERVICE_TYPE},
	{7, F_FRAMED_PROTO},	{8, F_FRAMED_IP},	 {11, F_FILTER_ID},	  {12, F_FRAMED_MTU},
	{18, F_REPLY_MSG},	{24, F_STATE},		 {25, F_CLASS},		  {27, F_SESSION_TIMEOUT},
	{28, F_IDLE_TIMEOUT},	{30, F_CALLED_ID},	 {31, F_CALLING_ID},	  {32, F_NAS_ID},
	{40, F_ACCT_STATUS},	{41, F_ACCT_DELAY},	 {42, F_ACCT_IN},	  {43, F_ACCT_OUT},
	{44, F_ACCT_SESSION_ID}, {45, F_ACCT_AUTHENTIC}, {46, F_ACCT_SESSION_TIME}, {49, F_ACCT_TERMINATE},
	{61, F_NAS_PORT_TYPE},	{77, F_CONNECT_INFO},	 {80, F_MSG_AUTH},	  {95, F_NAS_IPV6},
	{101, F_ERROR_CAUSE},
};

static int attr_field(uint8_t type)
{
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (attrs[i].type == type)
			return attrs[i].field;
	return -1;
}

/* 255.255.255.254 and .255 mean "Assigned"/"Negotiated" (RFC 2865 5.8);
 * Wireshark shows them as text, with no address value. */
static bool special_address(const nm_cursor *v)
{
	const uint8_t *a = v->data + v->pos;
	return a[0] == 0xff && a[1] == 0xff && a[2] == 0xff && a[3] >= 0xfe;
}

/* The typed value, when its size fits the type (else only type/length). */
static void attr_value(nm_packet *pk, int t, int f, nm_cursor *v)
{
	const nm_field *fd = &fields[f];
	uint32_t n = nm_cur_left(v), at = v->pos;
	if (fd->type == NM_FT_UINT32 && n == 4)
		nm_add_uint(pk, t, fd, at, 4, nm_cur_be32(v));
	else if (fd->type == NM_FT_IPv4 && n == 4 && !special_address(v))
		nm_add_ipv4(pk, t, fd, at, nm_cur_take(v, 4));
	else if (fd->type == NM_FT_IPv6 && n == 16)
		nm_add_ipv6(pk, t, fd, at, nm_cur_take(v, 16));
	else if (fd->type == NM_FT_STRING)
		nm_add_text_field(pk, t, fd, v, n, true);
	else if (fd->type == NM_FT_BYTES && n)
		nm_add_bytes(pk, t, fd, at, n, pk->data + at);
}

static bool dissect_avp(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint8_t type = nm_cur_u8(c), len = nm_cur_u8(c);
	if (c->err || len < 2 || !nm_cur_has(c, len - 2u))
		return false;
	int a = nm_add_text(pk, t, at, len, "AVP: t=%u l=%u", type, len);
	nm_add_uint(pk, a, &fields[F_AVP_TYPE], at, 1, type);
	nm_add_uint(pk, a, &fields[F_AVP_LENGTH], at + 1, 1, len);
	nm_cursor v = nm_cur_sub(c, len - 2u);
	if (type == 26 && len >= 6) {
		nm_add_uint(pk, a, &fields[F_VENDOR_ID], at + 2, 4, nm_cur_be32(&v));
		return true;
	}
	int f = attr_field(type);
	if (f >= 0)
		attr_value(pk, a, f, &v);
	return true;
}

/* Wireshark checks the whole attribute list before showing any of it. */
static bool avps_valid(nm_cursor c)
{
	while (nm_cur_left(&c)) {
		nm_cur_u8(&c);
		uint8_t len = nm_cur_u8(&c);
		if (c.err || len < 2 || !nm_cur_skip(&c, len - 2u))
			return false;
	}
	return true;
}

static int dissect_radius(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t s = c->pos;
	uint8_t code = nm_cur_u8(c), id = nm_cur_u8(c);
	uint16_t len = nm_cur_be16(c);
	const uint8_t *auth = nm_cur_take(c, 16);
	int t = nm_add_proto(pk, parent, &nm_proto_radius, s, nm_cur_left(c) + (c->pos - s));
	if (c->err)
		return NM_TRUNCATED;
	nm_set_info(pk, "%s id=%u", nm_val_label(code_vals, code, "Unknown Packet"), id);
	nm_add_uint(pk, t, &fields[F_CODE], s, 1, code);
	nm_add_uint(pk, t, &fields[F_ID], s + 1, 1, id);
	nm_add_uint(pk, t, &fields[F_LENGTH], s + 2, 2, len);
	nm_add_bytes(pk, t, &fields[F_AUTH], s + 4, 16, auth);
	if (len < 20)
		return NM_MALFORMED;
	bool cut = len - 20u > nm_cur_left(c);
	nm_cursor avps = nm_cur_sub(c, len - 20u);
	/* Wireshark reads the whole announced length first: a cut message
	 * shows no attributes at all. */
	if (cut)
		return NM_TRUNCATED;
	if (!avps_valid(avps))
		return NM_MALFORMED;
	while (nm_cur_left(&avps))
		if (!dissect_avp(pk, t, &avps))
			return NM_MALFORMED;
	c->pos = c->end;
	return NM_OK;
}

static bool radius_port(uint16_t port)
{
	static const uint16_t ports[] = {1645, 1646, 1700, 1812, 1813, 3799};
	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/* Packet type codes Wireshark 4.0 knows (its radius_pkt_type_codes). */
static bool known_code(uint8_t code)
{
	return (code >= 1 && code <= 13) || (code >= 21 && code <= 27) || (code >= 29 && code <= 34) ||
	       (code >= 40 && code <= 45) || code == 50 || code == 51 || (code >= 129 && code <= 132);
}

/*
 * Wireshark's RADIUS dissector, though registered on the RADIUS ports,
 * declines a payload whose code it does not know or whose length is
 * outside 20..4096 (RFC 2865 3); the payload is then data.  Our port table
 * cannot decline, so RADIUS is found by this test instead, which runs
 * when no port entry matched: the same ports, the same check.  A payload
 * too short for the length word is RADIUS (Wireshark's read throws there).
 */
static bool is_radius(const nm_packet *pk, const nm_cursor *c)
{
	if (!radius_port(pk->flow.sport) && !radius_port(pk->flow.dport))
		return false;
	nm_cursor r = *c;
	uint8_t code = nm_cur_u8(&r);
	if (r.err || !known_code(code))
		return false;
	nm_cur_u8(&r);
	uint16_t len = nm_cur_be16(&r);
	return r.err || (len >= 20 && len <= 4096);
}

static void init_radius(void)
{
	nm_heur_add(NM_TAB_UDP_PORT, is_radius, &nm_proto_radius);
}

nm_protocol nm_proto_radius = {
	"radius", "RADIUS", "RADIUS Protocol", fields, F_COUNT, dissect_radius, init_radius, 0,
};
