/*
 * proto_http.c - HTTP/1.x requests and responses, one TCP segment at a
 * time.
 *
 * A segment that starts with a request line (a known method) or a status
 * line ("HTTP/x.y NNN") is a message head: its header lines are read until
 * the blank line, and what follows (up to Content-Length, if given) is
 * http.file_data.  Any other segment on an HTTP port is "Continuation",
 * its bytes http.file_data, as tshark shows a body segment when it does
 * not reassemble.  A head cut by the segment end is shown as far as it
 * goes: tshark would reassemble it, so it is not malformed.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"
#include "text_lines.h"

enum {
	F_REQUEST,
	F_RESPONSE,
	F_METHOD,
	F_URI,
	F_URI_PATH,
	F_URI_QUERY,
	F_URI_PARAM,
	F_REQ_VERSION,
	F_RESP_VERSION,
	F_CODE,
	F_CODE_DESC,
	F_PHRASE,
	F_REQ_LINE,
	F_RESP_LINE,
	F_FULL_URI,
	F_HOST,
	F_USER_AGENT,
	F_CONTENT_TYPE,
	F_CL_HEADER,
	F_CONTENT_LENGTH,
	F_ACCEPT,
	F_ACCEPT_ENC,
	F_ACCEPT_LANG,
	F_CONNECTION,
	F_COOKIE,
	F_COOKIE_PAIR,
	F_REFERER,
	F_AUTHORIZATION,
	F_CACHE_CONTROL,
	F_SERVER,
	F_LOCATION,
	F_DATE,
	F_TRANSFER_ENC,
	F_XFF,
	F_FILE_DATA,
	F_COUNT
};

#define STR(n, l, b)                                                                                                   \
	{                                                                                                              \
		n, l, NM_FT_STRING, NM_BASE_NONE, NULL, 0, b                                                           \
	}

static const nm_field fields[] = {
    [F_REQUEST] = {"http.request", "Request", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, "TRUE if HTTP request"},
    [F_RESPONSE] = {"http.response", "Response", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, "TRUE if HTTP response"},
    [F_METHOD] = STR("http.request.method", "Request Method", "HTTP Request Method"),
    [F_URI] = STR("http.request.uri", "Request URI", "HTTP Request-URI"),
    [F_URI_PATH] = STR("http.request.uri.path", "Request URI Path", "HTTP Request-URI Path"),
    [F_URI_QUERY] = STR("http.request.uri.query", "Request URI Query", "HTTP Request-URI Query"),
    [F_URI_PARAM] =
        STR("http.request.uri.query.parameter", "Request URI Query Parameter", "HTTP Request-URI Query Parameter"),
    [F_REQ_VERSION] = STR("http.request.version", "Request Version", "HTTP Request HTTP-Version"),
    [F_RESP_VERSION] = STR("http.response.version", "Response Version", "HTTP Response HTTP-Version"),
    [F_CODE] = {"http.response.code", "Status Code", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, "HTTP Response Status Code"},
    [F_CODE_DESC] = STR("http.response.code.desc", "Status Code Description", "HTTP Response Status Code Description"),
    [F_PHRASE] = STR("http.response.phrase", "Response Phrase", "HTTP Response Reason Phrase"),
    [F_REQ_LINE] = STR("http.request.line", "Request line", NULL),
    [F_RESP_LINE] = STR("http.response.line", "Response line", NULL),
    [F_FULL_URI] = STR("http.request.full_uri", "Full request URI", "The full requested URI (including host name)"),
    [F_HOST] = STR("http.host", "Host", "HTTP Host"),
    [F_USER_AGENT] = STR("http.user_agent", "User-Agent", "HTTP User-Agent header"),
    [F_CONTENT_TYPE] = STR("http.content_type", "Content-Type", "HTTP Content-Type header"),
    [F_CL_HEADER] = STR("http.content_length_header", "Content-Length", "HTTP Content-Length header"),
    [F_CONTENT_LENGTH] = {"http.content_length", "Content length", NM_FT_UINT64, NM_BASE_DEC, NULL, 0, NULL},
    [F_ACCEPT] = STR("http.accept", "Accept", "HTTP Accept"),
    [F_ACCEPT_ENC] = STR("http.accept_encoding", "Accept Encoding", "HTTP Accept Encoding"),
    [F_ACCEPT_LANG] = STR("http.accept_language", "Accept-Language", "HTTP Accept Language"),
    [F_CONNECTION] = STR("http.connection", "Connection", "HTTP Connection"),
    [F_COOKIE] = STR("http.cookie", "Cookie", "HTTP Cookie"),
    [F_COOKIE_PAIR] = STR("http.cookie_pair", "Cookie pair", "A name/value HTTP cookie pair"),
    [F_REFERER] = STR("http.referer", "Referer", "HTTP Referer"),
    [F_AUTHORIZATION] = STR("http.authorization", "Authorization", "HTTP Authorization header"),
    [F_CACHE_CONTROL] = STR("http.cache_control", "Cache-Control", "HTTP Cache Control"),
    [F_SERVER] = STR("http.server", "Server", "HTTP Server"),
    [F_LOCATION] = STR("http.location", "Location", "HTTP Location"),
    [F_DATE] = STR("http.date", "Date", "HTTP Date"),
    [F_TRANSFER_ENC] = STR("http.transfer_encoding", "Transfer-Encoding", "HTTP Transfer-Encoding header"),
    [F_XFF] = STR("http.x_forwarded_for", "X-Forwarded-For", "HTTP X-Forwarded-For"),
    [F_FILE_DATA] = STR("http.file_data", "File Data", NULL),
};

/* Header names with a field of their own (compared case-insensitively). */
static const struct {
	const char *name;
	int field;
} headers[] = {
    {"host", F_HOST},
    {"user-agent", F_USER_AGENT},
    {"content-type", F_CONTENT_TYPE},
    {"content-length", F_CL_HEADER},
    {"accept", F_ACCEPT},
    {"accept-encoding", F_ACCEPT_ENC},
    {"accept-language", F_ACCEPT_LANG},
    {"connection", F_CONNECTION},
    {"cookie", F_COOKIE},
    {"referer", F_REFERER},
    {"authorization", F_AUTHORIZATION},
    {"cache-control", F_CACHE_CONTROL},
    {"server", F_SERVER},
    {"location", F_LOCATION},
    {"date", F_DATE},
    {"transfer-encoding", F_TRANSFER_ENC},
    {"x-forwarded-for", F_XFF},
};

static const char *const methods[] = {
    "GET",      "POST",      "HEAD",        "PUT",      "DELETE",     "OPTIONS",  "TRACE",  "CONNECT", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL",       "COPY",     "MOVE",       "LOCK",     "UNLOCK", "SEARCH",  "REPORT",
    "NOTIFY",   "SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH", "MKCALENDAR", "CHECKOUT", "MERGE",  NULL,
};

static const nm_vals status_codes[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {102, "Processing"},
    {103, "Early Hints"},
    {199, "Informational - Others"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {207, "Multi-Status"},
    {208, "Already Reported"},
    {226, "IM Used"},
    {299, "Success - Others"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {399, "Redirection - Others"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Time-out"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Requested Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {418, "I'm a teapot"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Entity"},
    {423, "Locked"},
    {424, "Failed Dependency"},
    {425, "Too Early"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {499, "Client Error - Others"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Time-out"},
    {505, "HTTP Version not supported"},
    {506, "Variant Also Negotiates"},
    {507, "Insufficient Storage"},
    {508, "Loop Detected"},
    {510, "Not Extended"},
    {511, "Network Authentication Required"},
    {599, "Server Error - Others"},
    {0, NULL},
};

/* What the head of a message told us, for the body and the Info column. */
typedef struct http_msg {
	bool request;
	char host[256];
	char uri[1024];
	char media[128]; /* Content-Type without parameters */
	bool have_cl;
	uint64_t cl;
} http_msg;

static void add_str(nm_packet *pk, int t, int f, uint32_t off, uint32_t len, const uint8_t *b)
{
	nm_add_text_bytes(pk, t, &fields[f], off, b, len, false);
}

static bool is_method(const uint8_t *b, uint32_t n)
{
	for (int i = 0; methods[i]; i++)
		if (strlen(methods[i]) == n && memcmp(b, methods[i], n) == 0)
			return true;
	return false;
}

/* "HTTP/1.1 200 ..." : a version, a space, three digits. */
static bool is_status_line(const uint8_t *b, uint32_t n)
{
	if (n < 12 || memcmp(b, "HTTP/", 5) != 0)
		return false;
	uint32_t rest, v = nm_text_token(b, n, &rest);
	return v >= 8 && rest + 3 <= n && b[rest] >= '0' && b[rest] <= '9' && b[rest + 1] >= '0' &&
	       b[rest + 1] <= '9' && b[rest + 2] >= '0' && b[rest + 2] <= '9' && (rest + 3 == n || b[rest + 3] == ' ');
}

/* "METHOD SP URI SP HTTP/x.y" (the version may be missing in HTTP/0.9). */
static bool is_request_line(const uint8_t *b, uint32_t n)
{
	uint32_t rest, m = nm_text_token(b, n, &rest);
	return m > 0 && m < n && b[m] == ' ' && is_method(b, m) && rest < n;
}

static void add_query(nm_packet *pk, int t, uint32_t off, const uint8_t *q, uint32_t n)
{
	add_str(pk, t, F_URI_QUERY, off, n, q);
	uint32_t i = 0;
	while (i <= n) {
		uint32_t j = i;
		while (j < n && q[j] != '&')
			j++;
		add_str(pk, t, F_URI_PARAM, off + i, j - i, q + i);
		i = j + 1;
	}
}

static void add_uri(nm_packet *pk, int t, uint32_t off, const uint8_t *u, uint32_t n, http_msg *m)
{
	add_str(pk, t, F_URI, off, n, u);
	nm_text_render(m->uri, sizeof m->uri, u, n, false);
	const uint8_t *qm = memchr(u, '?', n);
	if (!qm)
		return;
	uint32_t p = (uint32_t)(qm - u);
	add_str(pk, t, F_URI_PATH, off, p, u);
	add_query(pk, t, off + p + 1, qm + 1, n - p - 1);
}

static void request_line(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b, http_msg *m)
{
	uint32_t rest, ml = nm_text_token(b, ln->len, &rest);
	uint32_t ul = nm_text_token(b + rest, ln->len - rest, NULL);
	uint32_t vstart = rest + ul < ln->len ? rest + ul + 1 : ln->len;
	m->request = true;
	add_str(pk, t, F_METHOD, ln->off, ml, b);
	add_uri(pk, t, ln->off + rest, b + rest, ul, m);
	if (vstart < ln->len)
		add_str(pk, t, F_REQ_VERSION, ln->off + vstart, ln->len - vstart, b + vstart);
}

static void status_line(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b)
{
	uint32_t rest, vl = nm_text_token(b, ln->len, &rest);
	uint32_t code =
	    (uint32_t)(b[rest] - '0') * 100 + (uint32_t)(b[rest + 1] - '0') * 10 + (uint32_t)(b[rest + 2] - '0');
	add_str(pk, t, F_RESP_VERSION, ln->off, vl, b);
	nm_add_uint(pk, t, &fields[F_CODE], ln->off + rest, 3, code);
	if (pk->tree) {
		char unk[32];
		snprintf(unk, sizeof unk, "Unknown (%u)", code);
		const char *d = nm_val_label(status_codes, code, unk);
		nm_add_string(pk, t, &fields[F_CODE_DESC], ln->off + rest, 3, d);
	}
	uint32_t p = rest + 4;
	if (p < ln->len)
		add_str(pk, t, F_PHRASE, ln->off + p, ln->len - p, b + p);
}

/* Cookie: "a=b; c=d" -> pairs "a=b" and "c=d". */
static void add_cookie_pairs(nm_packet *pk, int t, uint32_t off, const uint8_t *v, uint32_t n)
{
	uint32_t i = 0;
	while (i < n) {
		while (i < n && v[i] == ' ')
			i++;
		uint32_t j = i;
		while (j < n && v[j] != ';')
			j++;
		if (j > i)
			add_str(pk, t, F_COOKIE_PAIR, off + i, j - i, v + i);
		i = j + 1;
	}
}

static void note_header(int f, const uint8_t *v, uint32_t n, http_msg *m)
{
	if (f == F_HOST) {
		nm_text_render(m->host, sizeof m->host, v, n, false);
	} else if (f == F_CONTENT_TYPE) {
		uint32_t k = 0;
		while (k < n && v[k] != ';' && v[k] != ' ')
			k++;
		nm_text_render(m->media, sizeof m->media, v, k, false);
	} else if (f == F_CL_HEADER) {
		uint32_t x;
		m->have_cl = nm_text_uint(v, n, &x);
		m->cl = x;
	}
}

static void header_line(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b, http_msg *m)
{
	/* tshark's *.line value is the whole line with its line end. */
	add_str(pk, t, m->request ? F_REQ_LINE : F_RESP_LINE, ln->off, ln->len + ln->eol, b);
	const uint8_t *colon = memchr(b, ':', ln->len);
	if (!colon)
		return;
	uint32_t nl = (uint32_t)(colon - b), v = nl + 1;
	while (v < ln->len && (b[v] == ' ' || b[v] == '\t'))
		v++;
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		if (!nm_text_ieq(b, nl, headers[i].name))
			continue;
		int f = headers[i].field;
		add_str(pk, t, f, ln->off + v, ln->len - v, b + v);
		note_header(f, b + v, ln->len - v, m);
		if (f == F_CL_HEADER && m->have_cl)
			nm_add_uint(pk, t, &fields[F_CONTENT_LENGTH], ln->off + v, ln->len - v, m->cl);
		if (f == F_COOKIE)
			add_cookie_pairs(pk, t, ln->off + v, b + v, ln->len - v);
		break;
	}
}

static void add_full_uri(nm_packet *pk, int t, const http_msg *m)
{
	if (!pk->tree || !m->request || !m->host[0])
		return;
	char full[1400];
	if (strncmp(m->uri, "http://", 7) == 0 || strncmp(m->uri, "https://", 8) == 0)
		snprintf(full, sizeof full, "%s", m->uri);
	else
		snprintf(full, sizeof full, "http://%s%s", m->host, m->uri);
	nm_add_string(pk, t, &fields[F_FULL_URI], 0, 0, full);
}

/* Bytes after the head: the body, bounded by Content-Length if given.  A
 * request without Content-Length has no body. */
static void add_body(nm_packet *pk, int t, nm_cursor *c, const http_msg *m)
{
	uint32_t n = nm_cur_left(c);
	if (m->have_cl && m->cl < n)
		n = (uint32_t)m->cl;
	if (n == 0 || (m->request && !m->have_cl))
		return;
	add_str(pk, t, F_FILE_DATA, c->pos, n, c->data + c->pos);
	nm_cur_skip(c, n);
}

static void first_line_info(nm_packet *pk, const nm_line *ln, const uint8_t *b)
{
	char line[NM_SUMMARY_INFO];
	nm_text_info(line, sizeof line, b, ln->len);
	nm_set_info(pk, "%s ", line);
}

/* Header lines up to the blank line; false when the segment ends first. */
static bool read_headers(nm_packet *pk, int t, nm_cursor *c, http_msg *m)
{
	nm_line ln;
	while (nm_line_next(c, &ln)) {
		if (!ln.eol)
			return false; /* cut mid-line: tshark would reassemble */
		if (ln.len == 0)
			return true;
		header_line(pk, t, &ln, nm_line_bytes(c, &ln), m);
	}
	return false;
}

static int dissect_http(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	int t = nm_add_proto(pk, -1, &nm_proto_http, start, len);
	nm_cursor lc = *c;
	nm_line ln;
	if (!nm_line_next(&lc, &ln))
		return NM_OK;
	const uint8_t *b = nm_line_bytes(&lc, &ln);
	http_msg m;
	memset(&m, 0, sizeof m);
	if (is_request_line(b, ln.len))
		request_line(pk, t, &ln, b, &m);
	else if (is_status_line(b, ln.len))
		status_line(pk, t, &ln, b);
	else {
		nm_set_info(pk, "Continuation");
		add_str(pk, t, F_FILE_DATA, start, len, c->data + start);
		nm_path_push(pk, "data"); /* tshark hands a body segment to "data" */
		nm_cur_skip(c, len);
		return NM_OK;
	}
	first_line_info(pk, &ln, b);
	if (ln.eol && read_headers(pk, t, &lc, &m)) {
		nm_add_bool(pk, t, &fields[m.request ? F_REQUEST : F_RESPONSE], start, 0, 1);
		add_full_uri(pk, t, &m);
		add_body(pk, t, &lc, &m);
		if (m.media[0])
			nm_append_info(pk, " (%s)", m.media);
	}
	nm_cur_skip(c, len);
	return NM_OK;
}

/* Heuristic for other ports: a request line with a known method or a status
 * line, complete in the first 1 KiB of the segment. */
static bool http_heur(const nm_packet *pk, const nm_cursor *c)
{
	(void)pk;
	bool ok;
	uint8_t first = nm_cur_peek(c, 0, &ok);
	if (!ok || first < 'A' || first > 'Z')
		return false; /* cheap reject: this runs on every unclaimed segment */
	nm_cursor lc = nm_cursor_make(c->data, c->pos, c->pos + (nm_cur_left(c) < 1024 ? nm_cur_left(c) : 1024));
	nm_line ln;
	if (!nm_line_next(&lc, &ln) || !ln.eol)
		return false;
	const uint8_t *b = nm_line_bytes(&lc, &ln);
	if (is_status_line(b, ln.len))
		return true;
	uint32_t vl = ln.len >= 8 ? 8 : 0;
	return is_request_line(b, ln.len) && vl && memcmp(b + ln.len - 8, "HTTP/1.", 7) == 0;
}

static void init_http(void)
{
	static const uint16_t ports[] = {80, 631, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371};
	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		nm_handoff_add(NM_TAB_TCP_PORT, ports[i], &nm_proto_http);
	nm_heur_add(NM_TAB_TCP_PORT, http_heur, &nm_proto_http);
}

nm_protocol nm_proto_http = {
    "http", "HTTP", "Hypertext Transfer Protocol", fields, F_COUNT, dissect_http, init_http, 0,
};
