/*
 * proto_ssh.c - Secure Shell (RFC 4253): the identification string and the
 * binary packets of the key exchange, which travel in clear (Key Exchange
 * Init with its algorithm lists, New Keys, ...).
 *
 * Which packets are encrypted is conversation state (after New Keys);
 * without it, a packet counts as clear text when its length fields are
 * consistent, its padding is at least 4 bytes and its message code is a
 * transport or key-exchange one.  Anything else is shown as an encrypted
 * packet.  Codes 30 and 31 mean different messages in the ECDH and the
 * group-exchange methods; which one applies is negotiated earlier, so the
 * ECDH names (today's common case) are shown.
 */
#include <stdio.h>

#include "protos.h"
#include "text_lines.h"

enum {
	F_PROTOCOL,
	F_PACKET_LENGTH,
	F_PADDING_LENGTH,
	F_MESSAGE_CODE,
	F_COOKIE,
	F_KEX_LEN,
	F_KEX,
	F_HOSTKEY_LEN,
	F_HOSTKEY,
	F_ENC_CS_LEN,
	F_ENC_CS,
	F_ENC_SC_LEN,
	F_ENC_SC,
	F_MAC_CS_LEN,
	F_MAC_CS,
	F_MAC_SC_LEN,
	F_MAC_SC,
	F_COMP_CS_LEN,
	F_COMP_CS,
	F_COMP_SC_LEN,
	F_COMP_SC,
	F_LANG_CS_LEN,
	F_LANG_CS,
	F_LANG_SC_LEN,
	F_LANG_SC,
	F_FIRST_KEX_FOLLOWS,
	F_KEX_RESERVED,
	F_PADDING_STRING,
	F_DIRECTION,
	F_COUNT
};


static const nm_vals msg_codes[] = {
    {1, "Disconnect"},
    {2, "Ignore"},
    {3, "Unimplemented"},
    {4, "Debug"},
    {5, "Service Request"},
    {6, "Service Accept"},
    {7, "Extension Information"},
    {20, "Key Exchange Init"},
    {21, "New Keys"},
    {30, "Elliptic Curve Diffie-Hellman Key Exchange Init"},
    {31, "Elliptic Curve Diffie-Hellman Key Exchange Reply"},
    {32, "Diffie-Hellman Group Exchange Init"},
    {33, "Diffie-Hellman Group Exchange Reply"},
    {34, "Diffie-Hellman Group Exchange Request"},
    {0, NULL},
};

static const nm_field fields[] = {
    [F_PROTOCOL] = NM_F_STR("ssh.protocol", "Protocol"),
    [F_PACKET_LENGTH] = NM_F_NUM("ssh.packet_length", "Packet Length", NM_FT_UINT32, NM_BASE_DEC),
    [F_PADDING_LENGTH] = {"ssh.padding_length", "Padding Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
    [F_MESSAGE_CODE] = {"ssh.message_code", "Message Code", NM_FT_UINT8, NM_BASE_DEC, msg_codes, 0, NULL},
    [F_COOKIE] = {"ssh.cookie", "Cookie", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_KEX_LEN] = NM_F_NUM("ssh.kex_algorithms_length", "kex_algorithms length", NM_FT_UINT32, NM_BASE_DEC),
    [F_KEX] = NM_F_STR("ssh.kex_algorithms", "kex_algorithms string"),
    [F_HOSTKEY_LEN] = NM_F_NUM("ssh.server_host_key_algorithms_length", "server_host_key_algorithms length", NM_FT_UINT32, NM_BASE_DEC),
    [F_HOSTKEY] = NM_F_STR("ssh.server_host_key_algorithms", "server_host_key_algorithms string"),
    [F_ENC_CS_LEN] =
        NM_F_NUM("ssh.encryption_algorithms_client_to_server_length", "encryption_algorithms_client_to_server length", NM_FT_UINT32, NM_BASE_DEC),
    [F_ENC_CS] = NM_F_STR("ssh.encryption_algorithms_client_to_server", "encryption_algorithms_client_to_server string"),
    [F_ENC_SC_LEN] =
        NM_F_NUM("ssh.encryption_algorithms_server_to_client_length", "encryption_algorithms_server_to_client length", NM_FT_UINT32, NM_BASE_DEC),
    [F_ENC_SC] = NM_F_STR("ssh.encryption_algorithms_server_to_client", "encryption_algorithms_server_to_client string"),
    [F_MAC_CS_LEN] = NM_F_NUM("ssh.mac_algorithms_client_to_server_length", "mac_algorithms_client_to_server length", NM_FT_UINT32, NM_BASE_DEC),
    [F_MAC_CS] = NM_F_STR("ssh.mac_algorithms_client_to_server", "mac_algorithms_client_to_server string"),
    [F_MAC_SC_LEN] = NM_F_NUM("ssh.mac_algorithms_server_to_client_length", "mac_algorithms_server_to_client length", NM_FT_UINT32, NM_BASE_DEC),
    [F_MAC_SC] = NM_F_STR("ssh.mac_algorithms_server_to_client", "mac_algorithms_server_to_client string"),
    [F_COMP_CS_LEN] =
        NM_F_NUM("ssh.compression_algorithms_client_to_server_length", "compression_algorithms_client_to_server length", NM_FT_UINT32, NM_BASE_DEC),
    [F_COMP_CS] = NM_F_STR("ssh.compression_algorithms_client_to_server", "compression_algorithms_client_to_server string"),
    [F_COMP_SC_LEN] =
        NM_F_NUM("ssh.compression_algorithms_server_to_client_length", "compression_algorithms_server_to_client length", NM_FT_UINT32, NM_BASE_DEC),
    [F_COMP_SC] = NM_F_STR("ssh.compression_algorithms_server_to_client", "compression_algorithms_server_to_client string"),
    [F_LANG_CS_LEN] = NM_F_NUM("ssh.languages_client_to_server_length", "languages_client_to_server length", NM_FT_UINT32, NM_BASE_DEC),
    [F_LANG_CS] = NM_F_STR("ssh.languages_client_to_server", "languages_client_to_server string"),
    [F_LANG_SC_LEN] = NM_F_NUM("ssh.languages_server_to_client_length", "languages_server_to_client length", NM_FT_UINT32, NM_BASE_DEC),
    [F_LANG_SC] = NM_F_STR("ssh.languages_server_to_client", "languages_server_to_client string"),
    [F_FIRST_KEX_FOLLOWS] = {"ssh.first_kex_packet_follows", "First KEX Packet Follows", NM_FT_UINT8, NM_BASE_DEC, NULL,
                             0, NULL},
    [F_KEX_RESERVED] = {"ssh.kex.reserved", "Reserved", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_PADDING_STRING] = {"ssh.padding_string", "Padding String", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
    [F_DIRECTION] = {"ssh.direction", "Direction", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0,
                     "Message direction (server-to-client when set)"},
};

static bool is_server_port(uint16_t p)
{
	return p == 22 || p == 29418;
}

/* Key Exchange Init: cookie, ten name-lists, a flag and a reserved word. */
static void kexinit(nm_packet *pk, int t, nm_cursor *c)
{
	uint32_t at = c->pos;
	const uint8_t *cookie = nm_cur_take(c, 16);
	if (cookie)
		nm_add_bytes(pk, t, &fields[F_COOKIE], at, 16, cookie);
	for (int f = F_KEX_LEN; f <= F_LANG_SC_LEN && !c->err; f += 2) {
		at = c->pos;
		uint32_t n = nm_cur_be32(c);
		const uint8_t *s = nm_cur_take(c, n);
		if (!s)
			return;
		nm_add_uint(pk, t, &fields[f], at, 4, n);
		nm_add_text_bytes(pk, t, &fields[f + 1], at + 4, s, n, false);
	}
	at = c->pos;
	uint8_t follows = nm_cur_u8(c);
	const uint8_t *res = nm_cur_take(c, 4);
	if (res) {
		nm_add_uint(pk, t, &fields[F_FIRST_KEX_FOLLOWS], at, 1, follows);
		nm_add_bytes(pk, t, &fields[F_KEX_RESERVED], at + 1, 4, res);
	}
}

static bool plausible_packet(uint32_t plen, uint8_t pad, uint8_t code)
{
	return plen >= 5 && plen <= 35000 && pad >= 4 && pad < plen && nm_val_label(msg_codes, code, NULL);
}

/* One binary packet; false when the rest is not a clear-text packet. */
static bool packet(nm_packet *pk, int t, nm_cursor *c, bool *first)
{
	bool ok;
	uint32_t at = c->pos;
	uint32_t plen = (uint32_t)nm_cur_peek(c, 0, &ok) << 24 | (uint32_t)nm_cur_peek(c, 1, &ok) << 16 |
	                (uint32_t)nm_cur_peek(c, 2, &ok) << 8 | nm_cur_peek(c, 3, &ok);
	uint8_t pad = nm_cur_peek(c, 4, &ok);
	uint8_t code = nm_cur_peek(c, 5, &ok);
	if (!ok || !plausible_packet(plen, pad, code) || !nm_cur_has(c, 4 + plen))
		return false;
	nm_cur_skip(c, 6);
	nm_add_uint(pk, t, &fields[F_PACKET_LENGTH], at, 4, plen);
	nm_add_uint(pk, t, &fields[F_PADDING_LENGTH], at + 4, 1, pad);
	nm_add_uint(pk, t, &fields[F_MESSAGE_CODE], at + 5, 1, code);
	nm_cursor body = nm_cur_sub(c, plen - 2u - pad);
	if (code == 20)
		kexinit(pk, t, &body);
	/* A padding length of plen - 1 leaves the body's length negative: the
	 * body then took the padding too, and there is none left to show. */
	uint32_t pat = c->pos;
	const uint8_t *padding = nm_cur_take(c, pad);
	if (padding)
		nm_add_bytes(pk, t, &fields[F_PADDING_STRING], pat, pad, padding);
	nm_append_info(pk, "%s%s", *first ? "" : ", ", nm_val_label(msg_codes, code, "Unknown"));
	*first = false;
	return true;
}

static void identification(nm_packet *pk, int t, nm_cursor *c)
{
	nm_line ln;
	nm_line_next(c, &ln);
	const uint8_t *b = nm_line_bytes(c, &ln);
	char v[256];
	nm_text_info(v, sizeof v, b, ln.len);
	nm_append_info(pk, "Protocol (%s)", v);
	nm_add_text_bytes(pk, t, &fields[F_PROTOCOL], ln.off, b, ln.len, false);
}

static int dissect_ssh(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos, len = nm_cur_left(c);
	bool from_server = is_server_port(pk->flow.sport);
	int t = nm_add_proto(pk, -1, &nm_proto_ssh, start, len);
	nm_set_info(pk, "%s: ", from_server ? "Server" : "Client");
	bool ok;
	if (nm_cur_peek(c, 0, &ok) == 'S' && nm_cur_peek(c, 1, &ok) == 'S' && nm_cur_peek(c, 2, &ok) == 'H' &&
	    nm_cur_peek(c, 3, &ok) == '-' && ok) {
		identification(pk, t, c);
	} else {
		pk->protocol = "SSHv2";
		bool first = true;
		while (nm_cur_left(c) >= 6 && packet(pk, t, c, &first))
			;
		if (nm_cur_left(c) > 0)
			nm_append_info(pk, "%sEncrypted packet (len=%u)", first ? "" : ", ", nm_cur_left(c));
	}
	nm_add_bool(pk, t, &fields[F_DIRECTION], start, 0, from_server);
	nm_cur_skip(c, nm_cur_left(c));
	return NM_OK;
}

static void init_ssh(void)
{
	nm_handoff_add(NM_TAB_TCP_PORT, 22, &nm_proto_ssh);
	nm_handoff_add(NM_TAB_TCP_PORT, 29418, &nm_proto_ssh);
}

nm_protocol nm_proto_ssh = {
    "ssh", "SSH", "SSH Protocol", fields, F_COUNT, dissect_ssh, init_ssh, 0,
};
