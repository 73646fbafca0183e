/*
 * proto_sip.c - Session Initiation Protocol (RFC 3261) over UDP and TCP.
 *
 * The request or status line and the header lines up to the blank line
 * are decoded; To, From, Contact, Via and CSeq are split into their parts
 * as tshark does (addresses, user and host, tags, branch).  The body (SDP
 * and others) is not decoded.  Port 5060 and a content heuristic ("SIP/2.0"
 * in the first line) hand messages here.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"
#include "text_lines.h"

enum {
	F_METHOD,
	F_REQUEST_LINE,
	F_RURI,
	F_RURI_USER,
	F_RURI_HOST,
	F_RURI_PORT,
	F_STATUS_CODE,
	F_STATUS_LINE,
	F_MSG_HDR,
	F_DISPLAY_INFO,
	F_TAG,
	F_TO_DISPLAY,
	F_TO_ADDR,
	F_TO_USER,
	F_TO_HOST,
	F_TO_PORT,
	F_TO_TAG,
	F_FROM_DISPLAY,
	F_FROM_ADDR,
	F_FROM_USER,
	F_FROM_HOST,
	F_FROM_PORT,
	F_FROM_TAG,
	F_CONTACT_URI,
	F_CONTACT_USER,
	F_CONTACT_HOST,
	F_CONTACT_PORT,
	F_VIA_TRANSPORT,
	F_VIA_ADDRESS,
	F_VIA_PORT,
	F_VIA_BRANCH,
	F_CSEQ_SEQ,
	F_CSEQ_METHOD,
	F_VIA,
	F_MAX_FORWARDS,
	F_TO,
	F_FROM,
	F_CALL_ID,
	F_CSEQ,
	F_CONTACT,
	F_CONTENT_TYPE,
	F_CONTENT_LENGTH,
	F_EXPIRES,
	F_USER_AGENT,
	F_ALLOW,
	F_SUPPORTED,
	F_SERVER,
	F_ACCEPT,
	F_ROUTE,
	F_RECORD_ROUTE,
	F_SUBJECT,
	F_EVENT,
	F_DATE,
	F_COUNT
};


static const nm_field fields[] = {
    [F_METHOD] = NM_F_STR("sip.Method", "Method"),
    [F_REQUEST_LINE] = NM_F_STR("sip.Request-Line", "Request-Line"),
    [F_RURI] = NM_F_STR("sip.r-uri", "Request-URI"),
    [F_RURI_USER] = NM_F_STR("sip.r-uri.user", "Request-URI User Part"),
    [F_RURI_HOST] = NM_F_STR("sip.r-uri.host", "Request-URI Host Part"),
    [F_RURI_PORT] = NM_F_STR("sip.r-uri.port", "Request-URI Host Port"),
    [F_STATUS_CODE] = NM_F_NUM("sip.Status-Code", "Status-Code", NM_FT_UINT32, NM_BASE_DEC),
    [F_STATUS_LINE] = NM_F_STR("sip.Status-Line", "Status-Line"),
    [F_MSG_HDR] = NM_F_STR("sip.msg_hdr", "Message Header"),
    [F_DISPLAY_INFO] = NM_F_STR("sip.display.info", "SIP Display info"),
    [F_TAG] = NM_F_STR("sip.tag", "SIP tag"),
    [F_TO_DISPLAY] = NM_F_STR("sip.to.display.info", "SIP to display info"),
    [F_TO_ADDR] = NM_F_STR("sip.to.addr", "SIP to address"),
    [F_TO_USER] = NM_F_STR("sip.to.user", "SIP to address User Part"),
    [F_TO_HOST] = NM_F_STR("sip.to.host", "SIP to address Host Part"),
    [F_TO_PORT] = NM_F_STR("sip.to.port", "SIP to address Host Port"),
    [F_TO_TAG] = NM_F_STR("sip.to.tag", "SIP to tag"),
    [F_FROM_DISPLAY] = NM_F_STR("sip.from.display.info", "SIP from display info"),
    [F_FROM_ADDR] = NM_F_STR("sip.from.addr", "SIP from address"),
    [F_FROM_USER] = NM_F_STR("sip.from.user", "SIP from address User Part"),
    [F_FROM_HOST] = NM_F_STR("sip.from.host", "SIP from address Host Part"),
    [F_FROM_PORT] = NM_F_STR("sip.from.port", "SIP from address Host Port"),
    [F_FROM_TAG] = NM_F_STR("sip.from.tag", "SIP from tag"),
    [F_CONTACT_URI] = NM_F_STR("sip.contact.uri", "Contact URI"),
    [F_CONTACT_USER] = NM_F_STR("sip.contact.user", "Contact URI User Part"),
    [F_CONTACT_HOST] = NM_F_STR("sip.contact.host", "Contact URI Host Part"),
    [F_CONTACT_PORT] = NM_F_STR("sip.contact.port", "Contact URI Host Port"),
    [F_VIA_TRANSPORT] = NM_F_STR("sip.Via.transport", "Transport"),
    [F_VIA_ADDRESS] = NM_F_STR("sip.Via.sent-by.address", "Sent-by Address"),
    [F_VIA_PORT] = {"sip.Via.sent-by.port", "Sent-by port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
    [F_VIA_BRANCH] = NM_F_STR("sip.Via.branch", "Branch"),
    [F_CSEQ_SEQ] = NM_F_NUM("sip.CSeq.seq", "Sequence Number", NM_FT_UINT32, NM_BASE_DEC),
    [F_CSEQ_METHOD] = NM_F_STR("sip.CSeq.method", "Method"),
    [F_VIA] = NM_F_STR("sip.Via", "Via"),
    [F_MAX_FORWARDS] = NM_F_NUM("sip.Max-Forwards", "Max-Forwards", NM_FT_UINT32, NM_BASE_DEC),
    [F_TO] = NM_F_STR("sip.To", "To"),
    [F_FROM] = NM_F_STR("sip.From", "From"),
    [F_CALL_ID] = NM_F_STR("sip.Call-ID", "Call-ID"),
    [F_CSEQ] = NM_F_STR("sip.CSeq", "CSeq"),
    [F_CONTACT] = NM_F_STR("sip.Contact", "Contact"),
    [F_CONTENT_TYPE] = NM_F_STR("sip.Content-Type", "Content-Type"),
    [F_CONTENT_LENGTH] = NM_F_NUM("sip.Content-Length", "Content-Length", NM_FT_UINT32, NM_BASE_DEC),
    [F_EXPIRES] = NM_F_NUM("sip.Expires", "Expires", NM_FT_UINT32, NM_BASE_DEC),
    [F_USER_AGENT] = NM_F_STR("sip.User-Agent", "User-Agent"),
    [F_ALLOW] = NM_F_STR("sip.Allow", "Allow"),
    [F_SUPPORTED] = NM_F_STR("sip.Supported", "Supported"),
    [F_SERVER] = NM_F_STR("sip.Server", "Server"),
    [F_ACCEPT] = NM_F_STR("sip.Accept", "Accept"),
    [F_ROUTE] = NM_F_STR("sip.Route", "Route"),
    [F_RECORD_ROUTE] = NM_F_STR("sip.Record-Route", "Record-Route"),
    [F_SUBJECT] = NM_F_STR("sip.Subject", "Subject"),
    [F_EVENT] = NM_F_STR("sip.Event", "Event"),
    [F_DATE] = NM_F_STR("sip.Date", "Date"),
};

/* Header names (and RFC 3261 compact forms) with a field of their own. */
static const struct {
	const char *name, *compact;
	int field;
} headers[] = {
    {"via", "v", F_VIA},
    {"max-forwards", NULL, F_MAX_FORWARDS},
    {"to", "t", F_TO},
    {"from", "f", F_FROM},
    {"call-id", "i", F_CALL_ID},
    {"cseq", NULL, F_CSEQ},
    {"contact", "m", F_CONTACT},
    {"content-type", "c", F_CONTENT_TYPE},
    {"content-length", "l", F_CONTENT_LENGTH},
    {"expires", NULL, F_EXPIRES},
    {"user-agent", NULL, F_USER_AGENT},
    {"allow", NULL, F_ALLOW},
    {"supported", "k", F_SUPPORTED},
    {"server", NULL, F_SERVER},
    {"accept", NULL, F_ACCEPT},
    {"route", NULL, F_ROUTE},
    {"record-route", NULL, F_RECORD_ROUTE},
    {"subject", "s", F_SUBJECT},
    {"event", "o", F_EVENT},
    {"date", NULL, F_DATE},
};

/* What the Info column needs from the headers. */
typedef struct sip_msg {
	char cseq_method[32];
	unsigned contacts;
} sip_msg;

/* A span of frame bytes. */
typedef struct span {
	uint32_t off, len;
} span;

static int add_span(nm_packet *pk, int t, int f, const nm_cursor *c, span s)
{
	return nm_add_text_bytes(pk, t, &fields[f], s.off, c->data + s.off, s.len, true);
}

/* Index of the first byte in `stop` within s, or s.len. */
static uint32_t find_any(const nm_cursor *c, span s, const char *stop)
{
	for (uint32_t i = 0; i < s.len; i++)
		if (strchr(stop, c->data[s.off + i]))
			return i;
	return s.len;
}

static span sub(span s, uint32_t from, uint32_t to)
{
	return (span){s.off + from, to > from ? to - from : 0};
}

/* "sip:user@host:port;params" -> user, host and port fields (f0, f0+1, f0+2). */
static void add_uri_parts(nm_packet *pk, int t, const nm_cursor *c, span uri, int fuser)
{
	uint32_t colon = find_any(c, uri, ":");
	if (colon == uri.len)
		return;
	span rest = sub(uri, colon + 1, uri.len);
	uint32_t end = find_any(c, rest, ";?>");
	rest.len = end;
	uint32_t at = find_any(c, rest, "@");
	span hostport = rest;
	if (at < rest.len) {
		add_span(pk, t, fuser, c, sub(rest, 0, at));
		hostport = sub(rest, at + 1, rest.len);
	}
	uint32_t pc = find_any(c, hostport, ":");
	add_span(pk, t, fuser + 1, c, sub(hostport, 0, pc));
	if (pc < hostport.len)
		add_span(pk, t, fuser + 2, c, sub(hostport, pc + 1, hostport.len));
}

/* The value of parameter `name` ("tag", "branch") after position from. */
static bool param(const nm_cursor *c, span s, const char *name, span *out)
{
	size_t n = strlen(name);
	for (uint32_t i = 0; i + n + 2 <= s.len; i++) {
		const uint8_t *p = c->data + s.off + i;
		if (p[0] == ';' && nm_text_ieq(p + 1, (uint32_t)n, name) && p[n + 1] == '=') {
			span v = sub(s, i + (uint32_t)n + 2, s.len);
			v.len = find_any(c, v, ";, ");
			*out = v;
			return true;
		}
	}
	return false;
}

/* To and From: display name, address and its parts, tag.  `base` is the
 * display-info field; the others follow it in the enum. */
static void name_addr(nm_packet *pk, int t, const nm_cursor *c, span v, int base)
{
	uint32_t lt = find_any(c, v, "<");
	span addr, after;
	if (lt < v.len) {
		if (lt > 0) {
			add_span(pk, t, base, c, sub(v, 0, lt));
			nm_hide(pk, add_span(pk, t, F_DISPLAY_INFO, c, sub(v, 0, lt)));
		}
		span in = sub(v, lt + 1, v.len);
		addr = sub(in, 0, find_any(c, in, ">"));
		after = sub(in, addr.len, in.len);
	} else {
		addr = sub(v, 0, find_any(c, v, ";"));
		after = sub(v, addr.len, v.len);
	}
	add_span(pk, t, base + 1, c, addr);
	add_uri_parts(pk, t, c, addr, base + 2);
	span tag;
	if (param(c, after, "tag", &tag)) {
		add_span(pk, t, base + 5, c, tag);
		nm_hide(pk, add_span(pk, t, F_TAG, c, tag));
	}
}

static void contact(nm_packet *pk, int t, const nm_cursor *c, span v)
{
	uint32_t lt = find_any(c, v, "<");
	if (lt == v.len)
		return;
	span in = sub(v, lt + 1, v.len);
	span uri = sub(in, 0, find_any(c, in, ">"));
	add_span(pk, t, F_CONTACT_URI, c, uri);
	add_uri_parts(pk, t, c, uri, F_CONTACT_USER);
}

/* "SIP/2.0/UDP host:port;branch=..." */
static void via(nm_packet *pk, int t, const nm_cursor *c, span v)
{
	uint32_t sp = find_any(c, v, " ");
	span proto = sub(v, 0, sp);
	uint32_t s1 = find_any(c, proto, "/");
	span tr = sub(proto, s1 + 1, proto.len);
	tr = sub(tr, find_any(c, tr, "/") + 1, tr.len);
	add_span(pk, t, F_VIA_TRANSPORT, c, tr);
	span sent = sub(v, sp + 1, v.len);
	sent.len = find_any(c, sent, ";, ");
	uint32_t pc = find_any(c, sent, ":");
	add_span(pk, t, F_VIA_ADDRESS, c, sub(sent, 0, pc));
	uint32_t port;
	if (pc < sent.len && nm_text_uint(c->data + sent.off + pc + 1, sent.len - pc - 1, &port) && port <= 65535)
		nm_add_uint(pk, t, &fields[F_VIA_PORT], sent.off + pc + 1, sent.len - pc - 1, port);
	span br;
	if (param(c, v, "branch", &br))
		add_span(pk, t, F_VIA_BRANCH, c, br);
}

static void cseq(nm_packet *pk, int t, const nm_cursor *c, span v, sip_msg *msg)
{
	uint32_t sp = find_any(c, v, " "), seq;
	if (nm_text_uint(c->data + v.off, sp, &seq))
		nm_add_uint(pk, t, &fields[F_CSEQ_SEQ], v.off, sp, seq);
	uint32_t m = sp;
	while (m < v.len && c->data[v.off + m] == ' ')
		m++;
	if (m < v.len) {
		add_span(pk, t, F_CSEQ_METHOD, c, sub(v, m, v.len));
		nm_text_info(msg->cseq_method, sizeof msg->cseq_method, c->data + v.off + m, v.len - m);
	}
}

static void header_value(nm_packet *pk, int t, const nm_cursor *c, int f, span v, sip_msg *msg)
{
	uint32_t n;
	int h = fields[f].type == NM_FT_UINT32 ? -1 : add_span(pk, t, f, c, v);
	if (fields[f].type == NM_FT_UINT32 && nm_text_uint(c->data + v.off, v.len, &n))
		nm_add_uint(pk, t, &fields[f], v.off, v.len, n);
	if (f == F_TO || f == F_FROM)
		name_addr(pk, h, c, v, f == F_TO ? F_TO_DISPLAY : F_FROM_DISPLAY);
	else if (f == F_CONTACT)
		contact(pk, h, c, v), msg->contacts++;
	else if (f == F_VIA)
		via(pk, h, c, v);
	else if (f == F_CSEQ)
		cseq(pk, h, c, v, msg);
}

static void header_line(nm_packet *pk, int t, const nm_cursor *c, const nm_line *ln, sip_msg *msg)
{
	const uint8_t *b = c->data + ln->off;
	const uint8_t *colon = memchr(b, ':', ln->len);
	if (!colon)
		return;
	uint32_t nl = (uint32_t)(colon - b), v = nl + 1;
	while (nl > 0 && b[nl - 1] == ' ')
		nl--;
	while (v < ln->len && (b[v] == ' ' || b[v] == '\t'))
		v++;
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		if (nm_text_ieq(b, nl, headers[i].name) ||
		    (headers[i].compact && nm_text_ieq(b, nl, headers[i].compact))) {
			header_value(pk, t, c, headers[i].field, (span){ln->off + v, ln->len - v}, msg);
			return;
		}
	}
}

static bool is_status_line(const uint8_t *b, uint32_t n)
{
	return n >= 12 && memcmp(b, "SIP/2.0 ", 8) == 0;
}

static bool is_request_line(const uint8_t *b, uint32_t n)
{
	return n > 12 && memcmp(b + n - 8, " SIP/2.0", 8) == 0 && b[0] >= 'A' && b[0] <= 'Z';
}

static void request_line(nm_packet *pk, int t, const nm_cursor *c, const nm_line *ln)
{
	span line = {ln->off, ln->len};
	uint32_t sp = find_any(c, line, " ");
	span method = sub(line, 0, sp);
	span rest = sub(line, sp + 1, line.len);
	span uri = sub(rest, 0, find_any(c, rest, " "));
	add_span(pk, t, F_METHOD, c, method);
	int r = add_span(pk, t, F_REQUEST_LINE, c, line);
	add_span(pk, r, F_RURI, c, uri);
	add_uri_parts(pk, r, c, uri, F_RURI_USER);
	char m[64], u[192];
	nm_text_info(m, sizeof m, c->data + method.off, method.len);
	nm_text_info(u, sizeof u, c->data + uri.off, uri.len);
	nm_set_info(pk, "Request: %s %s", m, u);
}

static void status_line(nm_packet *pk, int t, const nm_cursor *c, const nm_line *ln)
{
	const uint8_t *b = c->data + ln->off;
	uint32_t code;
	int s = add_span(pk, t, F_STATUS_LINE, c, (span){ln->off, ln->len});
	if (ln->len >= 11 && nm_text_uint(b + 8, 3, &code))
		nm_add_uint(pk, s, &fields[F_STATUS_CODE], ln->off + 8, 3, code);
	char text[NM_SUMMARY_INFO];
	nm_text_info(text, sizeof text, b + 8, ln->len - 8);
	nm_set_info(pk, "Status: %s", text);
}

/* tshark's additions: a REGISTER's binding count, a 2xx's CSeq method. */
static void finish_info(nm_packet *pk, bool request, uint32_t code, const sip_msg *msg)
{
	if (request && !strncmp(pk->info, "Request: REGISTER ", 18) && msg->contacts)
		nm_append_info(pk, "  (%u binding%s)", msg->contacts, msg->contacts == 1 ? "" : "s");
	else if (!request && code >= 200 && code < 300 && msg->cseq_method[0])
		nm_append_info(pk, " (%s)", msg->cseq_method);
	nm_append_info(pk, " | ");
}

static int dissect_sip(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	int t = nm_add_proto(pk, -1, &nm_proto_sip, start, len);
	nm_line ln;
	if (!nm_line_next(c, &ln))
		return NM_OK;
	const uint8_t *b = c->data + ln.off;
	bool request = is_request_line(b, ln.len), status = !request && is_status_line(b, ln.len);
	uint32_t code = 0;
	if (request)
		request_line(pk, t, c, &ln);
	else if (status)
		status_line(pk, t, c, &ln), nm_text_uint(b + 8, 3, &code);
	else
		nm_set_info(pk, "Continuation");
	sip_msg msg = {"", 0};
	uint32_t hdr = c->pos;
	int h = -1;
	while (nm_line_next(c, &ln)) {
		if (h < 0) /* the header block, up to and with the blank line */
			h = nm_add_text(pk, t, hdr, 0, "Message Header");
		header_line(pk, h, c, &ln, &msg);
		if (ln.len == 0 && ln.eol)
			break;
	}
	if (c->pos > hdr)
		add_span(pk, t, F_MSG_HDR, c, (span){hdr, c->pos - hdr});
	if (request || status)
		finish_info(pk, request, code, &msg);
	nm_cur_skip(c, nm_cur_left(c));
	return NM_OK;
}

static bool sip_heur(const nm_packet *pk, const nm_cursor *c)
{
	(void)pk;
	bool ok;
	uint8_t first = nm_cur_peek(c, 0, &ok);
	if (!ok || first < 'A' || first > 'Z')
		return false; /* cheap reject: this runs on every unclaimed datagram */
	nm_cursor lc = nm_cursor_make(c->data, c->pos, c->pos + (nm_cur_left(c) < 1024 ? nm_cur_left(c) : 1024));
	nm_line ln;
	if (!nm_line_next(&lc, &ln) || !ln.eol)
		return false;
	const uint8_t *b = lc.data + ln.off;
	return is_request_line(b, ln.len) || is_status_line(b, ln.len);
}

static void init_sip(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 5060, &nm_proto_sip);
	nm_handoff_add(NM_TAB_TCP_PORT, 5060, &nm_proto_sip);
	nm_heur_add(NM_TAB_UDP_PORT, sip_heur, &nm_proto_sip);
	nm_heur_add(NM_TAB_TCP_PORT, sip_heur, &nm_proto_sip);
}

nm_protocol nm_proto_sip = {
    "sip", "SIP", "Session Initiation Protocol", fields, F_COUNT, dissect_sip, init_sip, 0,
};
