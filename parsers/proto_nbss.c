/*
 * proto_nbss.c - NetBIOS Session Service (RFC 1002 section 4.3), TCP 139,
 * and the same framing for direct-hosted SMB on TCP 445.
 *
 * A session message carries SMB ("\xffSMB") or SMB2 ("\xfeSMB"); its
 * length is 24 bits.  The control packets (session request and responses,
 * keep-alive) have a flags byte whose low bit extends a 16-bit length.
 * Several messages in one segment are walked in turn; one cut by the
 * segment end is dissected as far as it goes (tshark would reassemble).
 */
#include <stdio.h>

#include "protos.h"

enum {
	F_TYPE,
	F_FLAGS,
	F_FLAGS_E,
	F_LENGTH,
	F_ERROR_CODE,
	F_RETARGET_IP,
	F_RETARGET_PORT,
	F_CONTINUATION,
	F_CALLED,
	F_CALLING,
	F_COUNT
};

static const nm_vals types[] = {
    {0x00, "Session message"},
    {0x81, "Session request"},
    {0x82, "Positive session response"},
    {0x83, "Negative session response"},
    {0x84, "Retarget session response"},
    {0x85, "Session keep-alive"},
    {0, NULL},
};

static const nm_vals errors[] = {
    {0x80, "Not listening on called name"},
    {0x81, "Not listening for calling name"},
    {0x82, "Called name not present"},
    {0x83, "Called name present, but insufficient resources"},
    {0x8f, "Unspecified error"},
    {0, NULL},
};

static const nm_field fields[] = {
    [F_TYPE] = {"nbss.type", "Message Type", NM_FT_UINT8, NM_BASE_HEX, types, 0, NULL},
    [F_FLAGS] = {"nbss.flags", "Flags", NM_FT_UINT8, NM_BASE_HEX, NULL, 0, NULL},
    [F_FLAGS_E] = {"nbss.flags.e", "Extend", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x1, NULL},
    [F_LENGTH] = {"nbss.length", "Length", NM_FT_UINT24, NM_BASE_DEC, NULL, 0,
                  "Length of trailer (payload) following this field in bytes"},
    [F_ERROR_CODE] = {"nbss.error_code", "Error code", NM_FT_UINT8, NM_BASE_HEX, errors, 0, NULL},
    [F_RETARGET_IP] = {"nbss.retarget_ip_address", "Retarget IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
    [F_RETARGET_PORT] = {"nbss.retarget_port", "Retarget port", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
    [F_CONTINUATION] = {"nbss.continuation_data", "Continuation data", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_CALLED] = {"nbss.called_name", "Called name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
    [F_CALLING] = {"nbss.calling_name", "Calling name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
};

/* A first-level encoded NetBIOS name (length 32, "CKFDENEC..."): the name
 * with trailing spaces removed and its suffix byte, "NAME<20>". */
static bool netbios_name(nm_cursor *c, char *out, size_t n)
{
	uint8_t len = nm_cur_u8(c);
	const uint8_t *p = nm_cur_take(c, len);
	if (!p || len != 32 || !nm_cur_skip(c, 1)) /* skip the scope's 0 */
		return false;
	char name[16];
	for (int i = 0; i < 16; i++) {
		uint8_t hi = (uint8_t)(p[2 * i] - 'A'), lo = (uint8_t)(p[2 * i + 1] - 'A');
		if (hi > 15 || lo > 15)
			return false;
		name[i] = (char)(hi << 4 | lo);
	}
	int end = 15;
	while (end > 0 && name[end - 1] == ' ')
		end--;
	for (int i = 0; i < end; i++)
		if ((uint8_t)name[i] < 0x20 || (uint8_t)name[i] >= 0x7f)
			name[i] = '.';
	snprintf(out, n, "%.*s<%02x>", end, name, (uint8_t)name[15]);
	return true;
}

static void session_request(nm_packet *pk, int t, nm_cursor *m)
{
	char called[32], calling[32];
	uint32_t a = m->pos;
	if (!netbios_name(m, called, sizeof called))
		return;
	nm_add_string(pk, t, &fields[F_CALLED], a, m->pos - a, called);
	uint32_t b = m->pos;
	if (!netbios_name(m, calling, sizeof calling))
		return;
	nm_add_string(pk, t, &fields[F_CALLING], b, m->pos - b, calling);
	nm_append_info(pk, ", to %s from %s", called, calling);
}

static int session_message(nm_packet *pk, nm_cursor *m)
{
	bool ok;
	uint8_t b0 = nm_cur_peek(m, 0, &ok);
	bool smb = ok && (b0 == 0xff || b0 == 0xfe) && nm_cur_peek(m, 1, &ok) == 'S' && nm_cur_peek(m, 2, &ok) == 'M' &&
	           nm_cur_peek(m, 3, &ok) == 'B' && ok;
	if (!smb)
		return nm_call_data(pk, m, -1);
	pk->info[0] = '\0';
	return nm_call(b0 == 0xff ? &nm_proto_smb : &nm_proto_smb2, pk, m, -1);
}

static void control(nm_packet *pk, int t, uint8_t type, nm_cursor *m)
{
	uint32_t at = m->pos;
	if (type == 0x81) {
		session_request(pk, t, m);
	} else if (type == 0x83 && nm_cur_left(m) >= 1) {
		uint8_t e = nm_cur_u8(m);
		nm_add_uint(pk, t, &fields[F_ERROR_CODE], at, 1, e);
		nm_append_info(pk, ", %s", nm_val_label(errors, e, "Unknown"));
	} else if (type == 0x84 && nm_cur_left(m) >= 6) {
		const uint8_t *ip = nm_cur_take(m, 4);
		nm_add_ipv4(pk, t, &fields[F_RETARGET_IP], at, ip);
		nm_add_uint(pk, t, &fields[F_RETARGET_PORT], at + 4, 2, nm_cur_be16(m));
	}
}

/* One NBSS packet; returns the result of what it carries. */
static int nbss_packet(nm_packet *pk, nm_cursor *c)
{
	uint32_t at = c->pos;
	uint8_t type = nm_cur_u8(c);
	uint8_t flags = 0;
	uint32_t len;
	if (type == 0) {
		len = nm_cur_be24(c);
	} else {
		flags = nm_cur_u8(c);
		len = nm_cur_be16(c) + ((flags & 1u) << 16);
	}
	int t = nm_add_proto(pk, -1, &nm_proto_nbss, at, 4 + len);
	nm_add_uint(pk, t, &fields[F_TYPE], at, 1, type);
	if (type != 0) {
		int f = nm_add_uint(pk, t, &fields[F_FLAGS], at + 1, 1, flags);
		nm_add_bool(pk, f, &fields[F_FLAGS_E], at + 1, 1, flags);
	}
	nm_add_uint(pk, t, &fields[F_LENGTH], type ? at + 2 : at + 1, type ? 2 : 3, len);
	nm_set_info(pk, "%s", nm_val_label(types, type, "Unknown"));
	bool cut = len > nm_cur_left(c);
	nm_cursor m = nm_cur_sub(c, len);
	if (type == 0) {
		/* A message cut by the segment end is shown as far as it goes:
		 * tshark would reassemble it, so running out is not an error. */
		int r = session_message(pk, &m);
		return cut && r == NM_TRUNCATED ? NM_OK : r;
	}
	control(pk, t, type, &m);
	return NM_OK;
}

/* A known type, and a session message is not empty (tshark's test for a
 * header, as opposed to the middle of a message). */
static bool header_ok(const nm_cursor *c)
{
	bool ok;
	uint8_t type = nm_cur_peek(c, 0, &ok);
	if (!ok || !nm_val_label(types, type, NULL))
		return false;
	uint32_t len =
	    (uint32_t)nm_cur_peek(c, 1, &ok) << 16 | (uint32_t)nm_cur_peek(c, 2, &ok) << 8 | nm_cur_peek(c, 3, &ok);
	return ok && (type != 0 || len != 0);
}

static void continuation(nm_packet *pk, nm_cursor *c, bool first)
{
	uint32_t n = nm_cur_left(c);
	int t = nm_add_proto(pk, -1, &nm_proto_nbss, c->pos, n);
	nm_add_bytes(pk, t, &fields[F_CONTINUATION], c->pos, n, nm_cur_take(c, n));
	if (first)
		nm_set_info(pk, "NBSS Continuation Message");
}

static int dissect_nbss(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	int r = NM_OK;
	for (bool first = true; r == NM_OK && nm_cur_left(c) > 0; first = false) {
		if (nm_cur_left(c) < 4 || !header_ok(c)) {
			continuation(pk, c, first);
			break;
		}
		r = nbss_packet(pk, c);
	}
	return r;
}

static void init_nbss(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 139, &nm_proto_nbss);
	nm_handoff_add(NM_TAB_TCP_PORT, 445, &nm_proto_nbss);
}

nm_protocol nm_proto_nbss = {
    "nbss", "NBSS", "NetBIOS Session Service", fields, F_COUNT, dissect_nbss, init_nbss, 0,
};
