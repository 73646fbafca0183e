/*
 * proto_imap.c - Internet Message Access Protocol (RFC 9051), per segment.
 *
 * Every complete line is shown (imap.line).  A tagged line is decoded into
 * tag and command (requests, to port 143) or tag, status and the word
 * after it (responses, which tshark calls the response "command");
 * untagged "*" lines are shown as text only.  A line cut by the segment
 * end is left for reassembly, as tshark does.
 */
#include "protos.h"
#include "text_lines.h"

enum {
	F_ISREQUEST,
	F_LINE,
	F_REQUEST,
	F_REQUEST_TAG,
	F_RESPONSE,
	F_RESPONSE_TAG,
	F_REQ_COMMAND,
	F_RESP_COMMAND,
	F_RESP_STATUS,
	F_TAG,
	F_COMMAND,
	F_FOLDER,
	F_UID,
	F_USERNAME,
	F_PASSWORD,
	F_COUNT
};


static const nm_field fields[] = {
    [F_ISREQUEST] = {"imap.isrequest", "Request", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, "TRUE if IMAP request"},
    [F_LINE] = NM_F_STR("imap.line", "Line"),
    [F_REQUEST] = NM_F_STR("imap.request", "Request"),
    [F_REQUEST_TAG] = NM_F_STR("imap.request_tag", "Request Tag"),
    [F_RESPONSE] = NM_F_STR("imap.response", "Response"),
    [F_RESPONSE_TAG] = NM_F_STR("imap.response_tag", "Response Tag"),
    [F_REQ_COMMAND] = NM_F_STR("imap.request.command", "Request Command"),
    [F_RESP_COMMAND] = NM_F_STR("imap.response.command", "Response Command"),
    [F_RESP_STATUS] = NM_F_STR("imap.response.status", "Response Status"),
    [F_TAG] = NM_F_STR("imap.tag", "Tag"),
    [F_COMMAND] = NM_F_STR("imap.command", "Command"),
    [F_FOLDER] = NM_F_STR("imap.request.folder", "Request Folder"),
    [F_UID] = {"imap.request.command.uid", "Request isUID", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0, NULL},
    [F_USERNAME] = NM_F_STR("imap.request.username", "Request Username"),
    [F_PASSWORD] = NM_F_STR("imap.request.password", "Request Password"),
};

/* Commands whose first argument is a mailbox name. */
static const char *const folder_commands[] = {
    "select", "examine", "create", "delete", "rename", "subscribe", "unsubscribe", "status", "append", NULL,
};

typedef struct tok {
	uint32_t off, len;
} tok;

/* Split a line into up to n space-separated tokens; returns how many. */
static int tokens(const uint8_t *b, uint32_t len, uint32_t base, tok *out, int n)
{
	int k = 0;
	uint32_t i = 0;
	while (k < n && i < len) {
		uint32_t rest, tl = nm_text_token(b + i, len - i, &rest);
		out[k++] = (tok){base + i, tl};
		i += rest;
	}
	return k;
}

static void add_tok(nm_packet *pk, int t, int f, const nm_cursor *c, tok k)
{
	nm_add_text_bytes(pk, t, &fields[f], k.off, c->data + k.off, k.len, false);
}

static bool is_folder_command(const nm_cursor *c, tok k)
{
	for (int i = 0; folder_commands[i]; i++)
		if (nm_text_ieq(c->data + k.off, k.len, folder_commands[i]))
			return true;
	return false;
}

static void request_line(nm_packet *pk, int t, const nm_cursor *c, const tok *tk, int n)
{
	bool uid = n > 1 && nm_text_ieq(c->data + tk[1].off, tk[1].len, "uid");
	add_tok(pk, t, F_REQUEST_TAG, c, tk[0]);
	if (n > 1 + uid) /* after UID, tshark's request command is the next word */
		add_tok(pk, t, F_REQ_COMMAND, c, tk[1 + uid]);
	add_tok(pk, t, F_TAG, c, tk[0]);
	if (n < 2)
		return;
	add_tok(pk, t, F_COMMAND, c, tk[1]);
	if (uid)
		nm_add_bool(pk, t, &fields[F_UID], tk[1].off, tk[1].len, 1);
	int a = uid ? 3 : 2; /* first argument */
	if (a < n && is_folder_command(c, tk[a - 1]))
		add_tok(pk, t, F_FOLDER, c, tk[a]);
	if (n > 3 && nm_text_ieq(c->data + tk[1].off, tk[1].len, "login")) {
		add_tok(pk, t, F_USERNAME, c, tk[2]);
		add_tok(pk, t, F_PASSWORD, c, tk[3]);
	}
}

static void response_line(nm_packet *pk, int t, const nm_cursor *c, const tok *tk, int n)
{
	add_tok(pk, t, F_RESPONSE_TAG, c, tk[0]);
	if (n > 1)
		add_tok(pk, t, F_RESP_STATUS, c, tk[1]);
	if (n > 2)
		add_tok(pk, t, F_RESP_COMMAND, c, tk[2]);
	add_tok(pk, t, F_TAG, c, tk[0]);
	if (n > 2)
		add_tok(pk, t, F_COMMAND, c, tk[2]);
}

static void one_line(nm_packet *pk, int t, const nm_cursor *c, const nm_line *ln, bool req)
{
	const uint8_t *b = nm_line_bytes(c, ln);
	int l = nm_add_text_bytes(pk, t, &fields[F_LINE], ln->off, b, ln->len + ln->eol, false);
	tok tk[4];
	int n = tokens(b, ln->len, ln->off, tk, 4);
	if (n == 0 || (tk[0].len == 1 && (b[0] == '*' || b[0] == '+')))
		return;
	nm_add_text_bytes(pk, l, &fields[req ? F_REQUEST : F_RESPONSE], ln->off, b, ln->len, false);
	if (req)
		request_line(pk, l, c, tk, n);
	else
		response_line(pk, l, c, tk, n);
}

static int dissect_imap(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	bool req = pk->flow.dport == 143;
	int t = nm_add_proto(pk, -1, &nm_proto_imap, start, len);
	nm_cursor lc = *c;
	nm_line ln;
	for (bool first = true; nm_line_next(&lc, &ln) && ln.eol; first = false) {
		/* tshark rewrites the Info column for each line: the last one shows. */
		char info[NM_SUMMARY_INFO];
		nm_text_info(info, sizeof info, nm_line_bytes(&lc, &ln), ln.len);
		nm_set_info(pk, "%s: %s", req ? "Request" : "Response", info);
		if (first)
			nm_add_bool(pk, t, &fields[F_ISREQUEST], start, 0, req);
		one_line(pk, t, &lc, &ln, req);
	}
	nm_cur_skip(c, len);
	return NM_OK;
}

static void init_imap(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 143, &nm_proto_imap);
}

nm_protocol nm_proto_imap = {
    "imap", "IMAP", "Internet Message Access Protocol", fields, F_COUNT, dissect_imap, init_imap, 0,
};
