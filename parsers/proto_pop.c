/*
 * proto_pop.c - Post Office Protocol version 3 (RFC 1939), per segment.
 *
 * To port 110 a line is a command and its parameter; from it, the first
 * line is "+OK text" or "-ERR text" and further lines (a listing or a
 * message) are response data.
 */
#include "protos.h"
#include "text_lines.h"

enum { F_REQ_COMMAND, F_REQ_PARAMETER, F_RESP_INDICATOR, F_RESP_DESCRIPTION, F_RESP_DATA, F_COUNT };


static const nm_field fields[] = {
    [F_REQ_COMMAND] = NM_F_STR("pop.request.command", "Request command"),
    [F_REQ_PARAMETER] = NM_F_STR("pop.request.parameter", "Request parameter"),
    [F_RESP_INDICATOR] = NM_F_STR("pop.response.indicator", "Response indicator"),
    [F_RESP_DESCRIPTION] = NM_F_STR("pop.response.description", "Response description"),
    [F_RESP_DATA] = NM_F_STR("pop.response.data", "Data"),
};

static void first_line(nm_packet *pk, int t, const nm_line *ln, const uint8_t *b, bool req)
{
	char info[NM_SUMMARY_INFO];
	nm_text_info(info, sizeof info, b, ln->len);
	nm_set_info(pk, "%s: %s", req ? "C" : "S", info);
	uint32_t rest, tl = nm_text_token(b, ln->len, &rest);
	nm_add_text_bytes(pk, t, &fields[req ? F_REQ_COMMAND : F_RESP_INDICATOR], ln->off, b, tl, false);
	if (rest < ln->len)
		nm_add_text_bytes(pk, t, &fields[req ? F_REQ_PARAMETER : F_RESP_DESCRIPTION], ln->off + rest, b + rest,
		                  ln->len - rest, false);
}

static int dissect_pop(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	bool req = pk->flow.dport == 110;
	int t = nm_add_proto(pk, -1, &nm_proto_pop, start, len);
	nm_cursor lc = *c;
	nm_line ln;
	if (nm_line_next(&lc, &ln))
		first_line(pk, t, &ln, nm_line_bytes(&lc, &ln), req);
	/* tshark shows each further response line as a data item with an empty
	 * value (its text is in the label). */
	while (!req && nm_line_next(&lc, &ln))
		nm_add_string(pk, t, &fields[F_RESP_DATA], ln.off, ln.len, "");
	nm_cur_skip(c, len);
	return NM_OK;
}

static void init_pop(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 110, &nm_proto_pop);
}

nm_protocol nm_proto_pop = {
    "pop", "POP", "Post Office Protocol", fields, F_COUNT, dissect_pop, init_pop, 0,
};
