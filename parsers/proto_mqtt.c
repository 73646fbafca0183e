/*
 * proto_mqtt.c - MQTT 3.1/3.1.1 control packets (and the CONNECT of 5.0),
 * TCP 1883.
 *
 * Each packet whole in the segment is decoded: the fixed header (type,
 * flags, remaining length) and the variable header and payload of
 * CONNECT, CONNACK, PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE and the
 * acknowledgements.  A packet cut by the segment end is left alone, as
 * tshark leaves it for reassembly.  Which protocol level a session speaks
 * is in its CONNECT; without that state, packets after it are read as
 * 3.1.1 (no MQTT 5.0 properties).
 */
#include <stdio.h>

#include "protos.h"
#include "text_lines.h"

enum {
	F_LEN,
	F_HDRFLAGS,
	F_MSGTYPE,
	F_HDR_RESERVED,
	F_DUPFLAG,
	F_QOS,
	F_RETAIN,
	F_PROTO_LEN,
	F_PROTONAME,
	F_VER,
	F_CONFLAGS,
	F_CF_UNAME,
	F_CF_PASSWD,
	F_CF_RETAIN,
	F_CF_QOS,
	F_CF_WILLFLAG,
	F_CF_CLEANSESS,
	F_CF_RESERVED,
	F_KALIVE,
	F_CLIENTID_LEN,
	F_CLIENTID,
	F_WILLTOPIC_LEN,
	F_WILLTOPIC,
	F_WILLMSG_LEN,
	F_WILLMSG,
	F_USERNAME_LEN,
	F_USERNAME,
	F_PASSWD_LEN,
	F_PASSWD,
	F_CONACK_FLAGS,
	F_CONACK_RESERVED,
	F_CONACK_SP,
	F_CONACK_VAL,
	F_MSGID,
	F_TOPIC_LEN,
	F_TOPIC,
	F_SUB_QOS,
	F_SUBACK_QOS,
	F_MSG,
	F_COUNT
};

static const nm_vals msgtypes[] = {
    {1, "Connect Command"},  {2, "Connect Ack"},          {3, "Publish Message"},          {4, "Publish Ack"},
    {5, "Publish Received"}, {6, "Publish Release"},      {7, "Publish Complete"},         {8, "Subscribe Request"},
    {9, "Subscribe Ack"},    {10, "Unsubscribe Request"}, {11, "Unsubscribe Ack"},         {12, "Ping Request"},
    {13, "Ping Response"},   {14, "Disconnect Req"},      {15, "Authentication Exchange"}, {0, NULL},
};

#define U8D(n, l, m)                                                                                                   \
	{                                                                                                              \
		n, l, NM_FT_UINT8, NM_BASE_DEC, NULL, m, NULL                                                          \
	}
#define FLAG(n, l, m)                                                                                                  \
	{                                                                                                              \
		n, l, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, m, NULL                                                       \
	}

static const nm_field fields[] = {
    [F_LEN] = {"mqtt.len", "Msg Len", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
    [F_HDRFLAGS] = {"mqtt.hdrflags", "Header Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
    [F_MSGTYPE] = {"mqtt.msgtype", "Message Type", NM_FT_UINT8, NM_BASE_DEC, msgtypes, 0xf0, NULL},
    [F_HDR_RESERVED] = U8D("mqtt.hdr_reserved", "Reserved", 0x0f),
    [F_DUPFLAG] = FLAG("mqtt.dupflag", "DUP Flag", 0x08),
    [F_QOS] = U8D("mqtt.qos", "QoS Level", 0x06),
    [F_RETAIN] = FLAG("mqtt.retain", "Retain", 0x01),
    [F_PROTO_LEN] = NM_F_NUM("mqtt.proto_len", "Protocol Name Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_PROTONAME] = NM_F_STR("mqtt.protoname", "Protocol Name"),
    [F_VER] = U8D("mqtt.ver", "Version", 0),
    [F_CONFLAGS] = {"mqtt.conflags", "Connect Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
    [F_CF_UNAME] = FLAG("mqtt.conflag.uname", "User Name Flag", 0x80),
    [F_CF_PASSWD] = FLAG("mqtt.conflag.passwd", "Password Flag", 0x40),
    [F_CF_RETAIN] = FLAG("mqtt.conflag.retain", "Will Retain", 0x20),
    [F_CF_QOS] = U8D("mqtt.conflag.qos", "QoS Level", 0x18),
    [F_CF_WILLFLAG] = FLAG("mqtt.conflag.willflag", "Will Flag", 0x04),
    [F_CF_CLEANSESS] = FLAG("mqtt.conflag.cleansess", "Clean Session Flag", 0x02),
    [F_CF_RESERVED] = FLAG("mqtt.conflag.reserved", "(Reserved)", 0x01),
    [F_KALIVE] = NM_F_NUM("mqtt.kalive", "Keep Alive", NM_FT_UINT16, NM_BASE_DEC),
    [F_CLIENTID_LEN] = NM_F_NUM("mqtt.clientid_len", "Client ID Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_CLIENTID] = NM_F_STR("mqtt.clientid", "Client ID"),
    [F_WILLTOPIC_LEN] = NM_F_NUM("mqtt.willtopic_len", "Will Topic Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_WILLTOPIC] = NM_F_STR("mqtt.willtopic", "Will Topic"),
    [F_WILLMSG_LEN] = NM_F_NUM("mqtt.willmsg_len", "Will Message Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_WILLMSG] = {"mqtt.willmsg", "Will Message", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_USERNAME_LEN] = NM_F_NUM("mqtt.username_len", "User Name Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_USERNAME] = NM_F_STR("mqtt.username", "User Name"),
    [F_PASSWD_LEN] = NM_F_NUM("mqtt.passwd_len", "Password Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_PASSWD] = NM_F_STR("mqtt.passwd", "Password"),
    [F_CONACK_FLAGS] = {"mqtt.conack.flags", "Acknowledge Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
    [F_CONACK_RESERVED] = FLAG("mqtt.conack.flags.reserved", "Reserved", 0xfe),
    [F_CONACK_SP] = FLAG("mqtt.conack.flags.sp", "Session Present", 0x01),
    [F_CONACK_VAL] = U8D("mqtt.conack.val", "Return Code", 0),
    [F_MSGID] = NM_F_NUM("mqtt.msgid", "Message Identifier", NM_FT_UINT16, NM_BASE_DEC),
    [F_TOPIC_LEN] = NM_F_NUM("mqtt.topic_len", "Topic Length", NM_FT_UINT16, NM_BASE_DEC),
    [F_TOPIC] = NM_F_STR("mqtt.topic", "Topic"),
    [F_SUB_QOS] = U8D("mqtt.sub.qos", "Requested QoS", 0),
    [F_SUBACK_QOS] = U8D("mqtt.suback.qos", "Granted QoS", 0),
    [F_MSG] = {"mqtt.msg", "Message", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

static uint32_t add_u8(nm_packet *pk, int t, nm_cursor *c, int f)
{
	uint32_t at = c->pos;
	uint8_t v = nm_cur_u8(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[f], at, 1, v);
	return v;
}

static uint32_t add_u16(nm_packet *pk, int t, nm_cursor *c, int f)
{
	uint32_t at = c->pos;
	uint16_t v = nm_cur_be16(c);
	if (!c->err)
		nm_add_uint(pk, t, &fields[f], at, 2, v);
	return v;
}

/* A length-prefixed UTF-8 string (flen, fstr); the text goes to `out`. */
static bool add_lstring(nm_packet *pk, int t, nm_cursor *c, int flen, int fstr, char *out, size_t n)
{
	uint32_t len = add_u16(pk, t, c, flen), at = c->pos;
	const uint8_t *s = nm_cur_take(c, len);
	if (!s)
		return false;
	if (fields[fstr].type == NM_FT_BYTES)
		nm_add_bytes(pk, t, &fields[fstr], at, len, s);
	else
		nm_add_text_bytes(pk, t, &fields[fstr], at, s, len, true);
	if (out)
		nm_text_render(out, n, s, len, true);
	return true;
}

static void add_bits(nm_packet *pk, int t, uint32_t at, uint8_t v, int from, int to)
{
	for (int f = from; f <= to; f++) {
		if (fields[f].type == NM_FT_BOOLEAN)
			nm_add_bool(pk, t, &fields[f], at, 1, v);
		else
			nm_add_uint(pk, t, &fields[f], at, 1, v);
	}
}

/* MQTT 5.0 properties: a variable-length total, skipped. */
static void skip_properties(nm_cursor *c)
{
	uint32_t n = 0;
	for (int i = 0, shift = 0; i < 4; i++, shift += 7) {
		uint8_t b = nm_cur_u8(c);
		n |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
	}
	nm_cur_skip(c, n);
}

static void connect(nm_packet *pk, int t, nm_cursor *c)
{
	add_lstring(pk, t, c, F_PROTO_LEN, F_PROTONAME, NULL, 0);
	uint8_t ver = (uint8_t)add_u8(pk, t, c, F_VER);
	uint32_t at = c->pos;
	uint8_t fl = nm_cur_u8(c);
	if (c->err)
		return;
	int f = nm_add_uint(pk, t, &fields[F_CONFLAGS], at, 1, fl);
	add_bits(pk, f, at, fl, F_CF_UNAME, F_CF_RESERVED);
	add_u16(pk, t, c, F_KALIVE);
	if (ver == 5)
		skip_properties(c);
	add_lstring(pk, t, c, F_CLIENTID_LEN, F_CLIENTID, NULL, 0);
	if (fl & 0x04) {
		if (ver == 5)
			skip_properties(c);
		add_lstring(pk, t, c, F_WILLTOPIC_LEN, F_WILLTOPIC, NULL, 0);
		add_lstring(pk, t, c, F_WILLMSG_LEN, F_WILLMSG, NULL, 0);
	}
	if (fl & 0x80)
		add_lstring(pk, t, c, F_USERNAME_LEN, F_USERNAME, NULL, 0);
	if (fl & 0x40)
		add_lstring(pk, t, c, F_PASSWD_LEN, F_PASSWD, NULL, 0);
}

static void connack(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint8_t fl = nm_cur_u8(c);
	if (c->err)
		return;
	int f = nm_add_uint(pk, t, &fields[F_CONACK_FLAGS], at, 1, fl);
	add_bits(pk, f, at, fl, F_CONACK_RESERVED, F_CONACK_SP);
	add_u8(pk, t, c, F_CONACK_VAL);
}

static void publish(nm_packet *pk, int t, nm_cursor *c, uint8_t flags)
{
	char topic[256];
	if (!add_lstring(pk, t, c, F_TOPIC_LEN, F_TOPIC, topic, sizeof topic))
		return;
	if (flags & 0x06)
		nm_append_info(pk, " (id=%u)", add_u16(pk, t, c, F_MSGID));
	nm_append_info(pk, " [%s]", topic);
	uint32_t n = nm_cur_left(c);
	if (n)
		nm_add_bytes(pk, t, &fields[F_MSG], c->pos, n, nm_cur_take(c, n));
}

/* SUBSCRIBE and UNSUBSCRIBE: a message ID and topic filters. */
static void subscribe(nm_packet *pk, int t, nm_cursor *c, bool sub)
{
	nm_append_info(pk, " (id=%u)", add_u16(pk, t, c, F_MSGID));
	char topic[256];
	while (nm_cur_left(c) >= 2 && add_lstring(pk, t, c, F_TOPIC_LEN, F_TOPIC, topic, sizeof topic)) {
		nm_append_info(pk, " [%s]", topic);
		if (sub)
			add_u8(pk, t, c, F_SUB_QOS);
	}
}

static void body(nm_packet *pk, int t, nm_cursor *c, uint8_t type, uint8_t flags)
{
	if (type == 1)
		connect(pk, t, c);
	else if (type == 2)
		connack(pk, t, c);
	else if (type == 3)
		publish(pk, t, c, flags);
	else if (type == 8 || type == 10)
		subscribe(pk, t, c, type == 8);
	else if (type == 9) {
		nm_append_info(pk, " (id=%u)", add_u16(pk, t, c, F_MSGID));
		/* a failed ID read (1-byte body) reads nothing more: err is sticky */
		while (!c->err && nm_cur_left(c) > 0)
			add_u8(pk, t, c, F_SUBACK_QOS);
	} else if ((type >= 4 && type <= 7) || type == 11)
		nm_append_info(pk, " (id=%u)", add_u16(pk, t, c, F_MSGID));
}

/* The remaining-length field: up to four 7-bit groups; false if invalid. */
static bool remaining_length(nm_cursor *c, uint32_t *len)
{
	uint32_t n = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t b = nm_cur_u8(c);
		if (c->err)
			return false;
		n |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*len = n;
			return true;
		}
	}
	return false;
}

/* One control packet; false when it is not whole in the segment. */
static bool packet(nm_packet *pk, nm_cursor *c)
{
	nm_cursor h = *c;
	uint32_t at = c->pos, len;
	uint8_t b0 = nm_cur_u8(&h);
	if (!remaining_length(&h, &len) || !nm_cur_has(&h, len))
		return false;
	*c = h;
	uint8_t type = b0 >> 4;
	int t = nm_add_proto(pk, -1, &nm_proto_mqtt, at, c->pos - at + len);
	int hf = nm_add_uint(pk, t, &fields[F_HDRFLAGS], at, 1, b0);
	nm_add_uint(pk, hf, &fields[F_MSGTYPE], at, 1, b0);
	if (type == 3)
		add_bits(pk, hf, at, b0, F_DUPFLAG, F_RETAIN);
	else
		nm_add_uint(pk, hf, &fields[F_HDR_RESERVED], at, 1, b0);
	nm_add_uint(pk, t, &fields[F_LEN], at + 1, c->pos - at - 1, len);
	nm_append_info(pk, "%s%s", pk->info[0] ? ", " : "", nm_val_label(msgtypes, type, "Unknown"));
	nm_cursor m = nm_cur_sub(c, len);
	body(pk, t, &m, type, b0 & 0x0f);
	return true;
}

static int dissect_mqtt(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	nm_set_info(pk, "%s", "");
	while (nm_cur_left(c) >= 2 && packet(pk, c))
		;
	nm_cur_skip(c, nm_cur_left(c));
	return NM_OK;
}

static void init_mqtt(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 1883, &nm_proto_mqtt);
}

nm_protocol nm_proto_mqtt = {
    "mqtt", "MQTT", "MQ Telemetry Transport Protocol", fields, F_COUNT, dissect_mqtt, init_mqtt, 0,
};
