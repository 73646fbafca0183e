/*
 * proto_ftp.c - File Transfer Protocol control connection (RFC 959).
 *
 * As tshark does, only the first line of a segment is decoded: a request
 * (to port 21) is a command and its argument, a response a three-digit
 * code and text.  The PASV reply and PORT command carry the data
 * connection's address, which is decoded too.
 */
#include <stdio.h>

#include "protos.h"
#include "text_lines.h"

enum {
	F_RESPONSE,
	F_REQUEST,
	F_REQ_COMMAND,
	F_REQ_ARG,
	F_RESP_CODE,
	F_RESP_ARG,
	F_PASSIVE_IP,
	F_PASSIVE_PORT,
	F_ACTIVE_IP,
	F_ACTIVE_PORT,
	F_COUNT
};

static const nm_field fields[] = {
    [F_RESPONSE] = {"ftp.response", "Response", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, "TRUE if FTP response"},
    [F_REQUEST] = {"ftp.request", "Request", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, "TRUE if FTP request"},
    [F_REQ_COMMAND] = {"ftp.request.command", "Request command", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
    [F_REQ_ARG] = {"ftp.request.arg", "Request arg", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
    [F_RESP_CODE] = {"ftp.response.code", "Response code", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
    [F_RESP_ARG] = {"ftp.response.arg", "Response arg", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
    [F_PASSIVE_IP] = {"ftp.passive.ip", "Passive IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0,
                      "Passive IP address (check NAT)"},
    [F_PASSIVE_PORT] = {"ftp.passive.port", "Passive port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0,
                        "Passive FTP server port"},
    [F_ACTIVE_IP] = {"ftp.active.cip", "Active IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0,
                     "Active FTP client IP address"},
    [F_ACTIVE_PORT] = {"ftp.active.port", "Active port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, "Active FTP client port"},
};

static void add_text(nm_packet *pk, int t, int f, uint32_t off, const uint8_t *b, uint32_t n)
{
	nm_add_text_bytes(pk, t, &fields[f], off, b, n, false);
}

/* "h1,h2,h3,h4,p1,p2" starting at the first digit of b: address and port. */
static bool parse_hostport(const uint8_t *b, uint32_t n, uint8_t ip[4], uint16_t *port)
{
	uint32_t i = 0, v[6];
	while (i < n && (b[i] < '0' || b[i] > '9'))
		i++;
	for (int k = 0; k < 6; k++) {
		uint32_t x = 0, digits = 0;
		while (i < n && b[i] >= '0' && b[i] <= '9' && digits < 4)
			x = x * 10 + (uint32_t)(b[i++] - '0'), digits++;
		if (!digits || x > 255 || (k < 5 && (i >= n || b[i++] != ',')))
			return false;
		v[k] = x;
	}
	for (int k = 0; k < 4; k++)
		ip[k] = (uint8_t)v[k];
	*port = (uint16_t)(v[4] << 8 | v[5]);
	return true;
}

static void add_hostport(nm_packet *pk, int t, int fip, uint32_t off, const uint8_t *b, uint32_t n)
{
	uint8_t ip[4];
	uint16_t port;
	if (!parse_hostport(b, n, ip, &port))
		return;
	nm_add_ipv4(pk, t, &fields[fip], off, ip);
	nm_add_uint(pk, t, &fields[fip + 1], off, n, port);
}

static void request(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b)
{
	uint32_t rest, cl = nm_text_token(b, ln->len, &rest);
	add_text(pk, t, F_REQ_COMMAND, ln->off, b, cl);
	if (rest < ln->len)
		add_text(pk, t, F_REQ_ARG, ln->off + rest, b + rest, ln->len - rest);
	if (nm_text_ieq(b, cl, "PORT") && rest < ln->len)
		add_hostport(pk, t, F_ACTIVE_IP, ln->off + rest, b + rest, ln->len - rest);
}

static void response(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b)
{
	uint32_t code, a = 0;
	if (ln->len >= 3 && nm_text_uint(b, 3, &code)) {
		nm_add_uint(pk, t, &fields[F_RESP_CODE], ln->off, 3, code);
		a = ln->len > 3 ? 4 : 3;
		if (code == 227)
			add_hostport(pk, t, F_PASSIVE_IP, ln->off + a, b + a, ln->len - a);
	}
	if (a < ln->len)
		add_text(pk, t, F_RESP_ARG, ln->off + a, b + a, ln->len - a);
}

static int dissect_ftp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	bool is_req = pk->flow.dport == 21;
	int t = nm_add_proto(pk, -1, &nm_proto_ftp, start, len);
	nm_add_bool(pk, t, &fields[F_RESPONSE], start, 0, !is_req);
	nm_add_bool(pk, t, &fields[F_REQUEST], start, 0, is_req);
	nm_line ln;
	nm_cursor lc = *c;
	if (nm_line_next(&lc, &ln)) {
		const uint8_t *b = nm_line_bytes(&lc, &ln);
		char info[NM_SUMMARY_INFO];
		nm_text_info(info, sizeof info, b, ln.len);
		nm_set_info(pk, "%s: %s", is_req ? "Request" : "Response", info);
		if (is_req)
			request(pk, t, &ln, b);
		else
			response(pk, t, &ln, b);
	}
	nm_cur_skip(c, len);
	return NM_OK;
}

static void init_ftp(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 21, &nm_proto_ftp);
}

nm_protocol nm_proto_ftp = {
    "ftp", "FTP", "File Transfer Protocol (FTP)", fields, F_COUNT, dissect_ftp, init_ftp, 0,
};
