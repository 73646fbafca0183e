/*
 * proto_example.c - an example third-party dissector, built as a plugin
 * (nmexample.so) against the installed API only: <netmon/dissector.h>.
 *
 * "nmexample" is a made-up protocol on UDP port 9999:
 *
 *	0      1      2      3      4 ...
 *	+------+------+------+------+---------
 *	| type |   length    | payload (length bytes)
 *	+------+------+------+---------------
 *
 * type 1 is a request, 2 a reply; length counts the payload bytes.  A
 * length past the datagram's end is malformed, like any built-in protocol's
 * would be: the plugin reads only through the cursor.
 */
#include <netmon/dissector.h>

enum { F_TYPE, F_LENGTH, F_PAYLOAD, F_COUNT };

static const nm_vals type_names[] = {
	{1, "Request"},
	{2, "Reply"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_TYPE] = {"nmexample.type", "Type", NM_FT_UINT8, NM_BASE_DEC, type_names, 0, "Message type"},
	[F_LENGTH] = {"nmexample.length", "Length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, "Payload length"},
	[F_PAYLOAD] = {"nmexample.payload", "Payload", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
};

static nm_protocol proto_example;

static int dissect_example(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t start = c->pos;
	uint8_t type = nm_cur_u8(c);
	uint16_t len = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	uint32_t avail = nm_cur_left(c);
	int t = nm_add_proto(pk, -1, &proto_example, start, 3 + (len < avail ? len : avail));
	nm_add_uint(pk, t, &fields[F_TYPE], start, 1, type);
	nm_add_uint(pk, t, &fields[F_LENGTH], start + 1, 2, len);
	nm_set_info(pk, "%s, %u bytes", nm_val_label(type_names, type, "Unknown"), len);
	const uint8_t *payload = nm_cur_take(c, len);
	if (!payload)
		return NM_MALFORMED;
	if (len)
		nm_add_bytes(pk, t, &fields[F_PAYLOAD], start + 3, len, payload);
	return NM_OK;
}

static void init_example(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 9999, &proto_example);
}

static nm_protocol proto_example = {
	"nmexample", "NMEXAMPLE", "netmon example plugin protocol",
	fields,      F_COUNT,     dissect_example,
	init_example, 0,
};

static int register_example(void)
{
	return nm_register_protocol(&proto_example);
}

const nm_plugin_info netmon_plugin = {NETMON_DISSECTOR_ABI, "nmexample", "1.0", register_example};
