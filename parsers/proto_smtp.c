/*
 * proto_smtp.c - Simple Mail Transfer Protocol (RFC 5321), per segment.
 *
 * To the server port a line is a command and its parameter; from it, each
 * line is a reply "NNN text" or "NNN-text" (multi-line).  tshark follows
 * the DATA state across segments and shows message text as "DATA
 * fragment"; without that state, message text here is decoded as commands
 * (listed in tests/known-differences.txt).
 */
#include "protos.h"
#include "text_lines.h"

enum {
	F_REQ,
	F_RSP,
	F_COMMAND_LINE,
	F_REQ_COMMAND,
	F_REQ_PARAMETER,
	F_RESPONSE,
	F_RESPONSE_CODE,
	F_RSP_PARAMETER,
	F_COUNT
};


static const nm_field fields[] = {
    [F_REQ] = {"smtp.req", "Request", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, NULL},
    [F_RSP] = {"smtp.rsp", "Response", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, NULL},
    [F_COMMAND_LINE] = NM_F_STR("smtp.command_line", "Command Line"),
    [F_REQ_COMMAND] = NM_F_STR("smtp.req.command", "Command"),
    [F_REQ_PARAMETER] = NM_F_STR("smtp.req.parameter", "Request parameter"),
    [F_RESPONSE] = NM_F_STR("smtp.response", "Response"),
    [F_RESPONSE_CODE] = {"smtp.response.code", "Response code", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
    [F_RSP_PARAMETER] = NM_F_STR("smtp.rsp.parameter", "Response parameter"),
};

static bool is_server_port(uint16_t p)
{
	return p == 25 || p == 587;
}

static void request(nm_packet *pk, int t, nm_cursor *c)
{
	nm_line ln;
	if (!nm_line_next(c, &ln))
		return;
	const uint8_t *b = nm_line_bytes(c, &ln);
	char info[NM_SUMMARY_INFO];
	nm_text_info(info, sizeof info, b, ln.len);
	nm_set_info(pk, "C: %s", info);
	nm_add_bool(pk, t, &fields[F_REQ], ln.off, 0, 1);
	int l = nm_add_text_bytes(pk, t, &fields[F_COMMAND_LINE], ln.off, b, ln.len + ln.eol, false);
	uint32_t rest, cl = nm_text_token(b, ln.len, &rest);
	nm_add_text_bytes(pk, l, &fields[F_REQ_COMMAND], ln.off, b, cl, false);
	if (rest < ln.len)
		nm_add_text_bytes(pk, l, &fields[F_REQ_PARAMETER], ln.off + rest, b + rest, ln.len - rest, false);
}

/* One reply line; the first also gives smtp.response and the code. */
static void reply_line(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b, bool first)
{
	uint32_t code;
	if (ln->len < 3 || !nm_text_uint(b, 3, &code))
		return;
	int l = t;
	if (first) {
		l = nm_add_text_bytes(pk, t, &fields[F_RESPONSE], ln->off, b, ln->len + ln->eol, false);
		nm_add_uint(pk, l, &fields[F_RESPONSE_CODE], ln->off, 3, code);
	}
	if (ln->len > 4)
		nm_add_text_bytes(pk, l, &fields[F_RSP_PARAMETER], ln->off + 4, b + 4, ln->len - 4, false);
}

static void response(nm_packet *pk, int t, nm_cursor *c)
{
	nm_line ln;
	nm_add_bool(pk, t, &fields[F_RSP], c->pos, 0, 1);
	nm_set_info(pk, "S: ");
	for (bool first = true; nm_line_next(c, &ln); first = false) {
		const uint8_t *b = nm_line_bytes(c, &ln);
		char info[NM_SUMMARY_INFO];
		uint32_t skip = !first && ln.len >= 4 ? 4 : 0;
		nm_text_info(info, sizeof info, b + skip, ln.len - skip);
		if (!ln.eol)
			break; /* a cut reply line: tshark waits for the rest */
		nm_append_info(pk, "%s%s", first ? "" : " | ", info);
		reply_line(pk, t, &ln, b, first);
	}
}

static int dissect_smtp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	int t = nm_add_proto(pk, -1, &nm_proto_smtp, start, len);
	nm_cursor lc = *c;
	if (is_server_port(pk->flow.dport))
		request(pk, t, &lc);
	else
		response(pk, t, &lc);
	nm_cur_skip(c, len);
	return NM_OK;
}

static void init_smtp(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 25, &nm_proto_smtp);
	nm_handoff_add(NM_TAB_TCP_PORT, 587, &nm_proto_smtp);
}

nm_protocol nm_proto_smtp = {
    "smtp", "SMTP", "Simple Mail Transfer Protocol", fields, F_COUNT, dissect_smtp, init_smtp, 0,
};
