/*
 * proto_dhcp.c - BOOTP (RFC 951) and DHCP (RFC 2131/2132), Wireshark's
 * "dhcp" protocol.
 *
 * The fixed 236-byte header is followed by the magic cookie and a TLV
 * option list.  Each option is read through a length-bounded sub-cursor,
 * and the loop always advances, so hostile lengths end it at the window's
 * end.  As Wireshark 4.0 does, the End option's dhcp.option.type shows 0
 * (its End item carries the 255), bytes after End are dhcp.option.padding,
 * and the Protocol column says "BOOTP" until option 53 makes it DHCP.
 */
#include <stdio.h>
#include <string.h>

#include "protos.h"
#include "textfmt.h"

enum {
	F_TYPE, F_HW_TYPE, F_HW_LEN, F_HOPS, F_ID, F_SECS, F_FLAGS, F_FLAGS_BC, F_FLAGS_RES,
	F_IP_CLIENT, F_IP_YOUR, F_IP_SERVER, F_IP_RELAY, F_HW_MAC, F_HW_ADDR, F_HW_PAD,
	F_SERVER, F_FILE, F_COOKIE,
	F_OPT_TYPE, F_OPT_LEN, F_OPT_VALUE, F_OPT_PADDING, F_OPT_END,
	F_OPT_DHCP, F_OPT_SUBNET, F_OPT_ROUTER, F_OPT_DNS, F_OPT_HOSTNAME, F_OPT_DOMAIN,
	F_OPT_BCAST, F_OPT_REQ_IP, F_OPT_LEASE, F_OPT_SERVER_ID, F_OPT_REQ_ITEM, F_OPT_MESSAGE,
	F_OPT_MAXSIZE, F_OPT_RENEWAL, F_OPT_REBIND, F_OPT_VENDOR_CLASS,
	F_COUNT
};

static const nm_vals op_vals[] = {{1, "Boot Request"}, {2, "Boot Reply"}, {0, NULL}};
static const nm_vals hw_vals[] = {{1, "Ethernet"}, {6, "IEEE 802 Networks"}, {0, NULL}};
static const nm_vals msg_vals[] = {
	{1, "Discover"}, {2, "Offer"},	  {3, "Request"},	{4, "Decline"},	      {5, "ACK"},
	{6, "NAK"},	 {7, "Release"},  {8, "Inform"},	{9, "Force Renew"},   {10, "Lease query"},
	{11, "Lease Unassigned"},	  {12, "Lease Unknown"}, {13, "Lease Active"}, {14, "Bulk Lease Query"},
	{15, "Lease Query Done"},	  {16, "Active LeaseQuery"}, {17, "Lease Query Status"}, {18, "TLS"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_TYPE] = {"dhcp.type", "Message type", NM_FT_UINT8, NM_BASE_DEC, op_vals, 0, NULL},
	[F_HW_TYPE] = {"dhcp.hw.type", "Hardware type", NM_FT_UINT8, NM_BASE_HEX, hw_vals, 0, NULL},
	[F_HW_LEN] = {"dhcp.hw.len", "Hardware address length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_HOPS] = {"dhcp.hops", "Hops", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_ID] = {"dhcp.id", "Transaction ID", NM_FT_UINT32, NM_BASE_HEX, NULL, 0, NULL},
	[F_SECS] = {"dhcp.secs", "Seconds elapsed", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_FLAGS] = {"dhcp.flags", "Bootp flags", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_FLAGS_BC] = {"dhcp.flags.bc", "Broadcast flag", NM_FT_BOOLEAN, NM_BASE_NONE, NULL, 0x8000, NULL},
	[F_FLAGS_RES] = {"dhcp.flags.reserved", "Reserved flags", NM_FT_UINT16, NM_BASE_HEX, NULL, 0x7fff, NULL},
	[F_IP_CLIENT] = {"dhcp.ip.client", "Client IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_IP_YOUR] = {"dhcp.ip.your", "Your (client) IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_IP_SERVER] = {"dhcp.ip.server", "Next server IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_IP_RELAY] = {"dhcp.ip.relay", "Relay agent IP address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_HW_MAC] = {"dhcp.hw.mac_addr", "Client MAC address", NM_FT_ETHER, NM_BASE_NONE, NULL, 0, NULL},
	[F_HW_ADDR] = {"dhcp.hw.addr", "Client hardware address", NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL},
	[F_HW_PAD] = {"dhcp.hw.addr_padding", "Client hardware address padding", NM_FT_BYTES, NM_BASE_NONE, NULL,
		      0, NULL},
	[F_SERVER] = {"dhcp.server", "Server host name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_FILE] = {"dhcp.file", "Boot file name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_COOKIE] = {"dhcp.cookie", "Magic cookie", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_OPT_TYPE] = {"dhcp.option.type", "Option", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, "DHCP/BOOTP option type"},
	[F_OPT_LEN] = {"dhcp.option.length", "Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0,
		       "DHCP/BOOTP option length"},
	[F_OPT_VALUE] = {"dhcp.option.value", "Value", NM_FT_BYTES, NM_BASE_NONE, NULL, 0,
			 "DHCP/BOOTP option value"},
	[F_OPT_PADDING] = {"dhcp.option.padding", "Padding", NM_FT_BYTES, NM_BASE_NONE, NULL, 0,
			   "Option 0: Padding"},
	[F_OPT_END] = {"dhcp.option.end", "Option End", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, "Option 255: End"},
	[F_OPT_DHCP] = {"dhcp.option.dhcp", "DHCP", NM_FT_UINT8, NM_BASE_DEC, msg_vals, 0,
			"Option 53: DHCP option"},
	[F_OPT_SUBNET] = {"dhcp.option.subnet_mask", "Subnet Mask", NM_FT_IPv4, NM_BASE_NONE, NULL, 0,
			  "Option 1: Subnet Mask"},
	[F_OPT_ROUTER] = {"dhcp.option.router", "Router", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, "Option 3: Router"},
	[F_OPT_DNS] = {"dhcp.option.domain_name_server", "Domain Name Server", NM_FT_IPv4, NM_BASE_NONE, NULL, 0,
		       "Option 6: Domain Name Server"},
	[F_OPT_HOSTNAME] = {"dhcp.option.hostname", "Host Name", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
			    "Option 12: Host Name"},
	[F_OPT_DOMAIN] = {"dhcp.option.domain_name", "Domain Name", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
			  "Option 15: Domain Name"},
	[F_OPT_BCAST] = {"dhcp.option.broadcast_address", "Broadcast Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0,
			 "Option 28: Broadcast Address"},
	[F_OPT_REQ_IP] = {"dhcp.option.requested_ip_address", "Requested IP Address", NM_FT_IPv4, NM_BASE_NONE,
			  NULL, 0, "Option 50: Requested IP Address"},
	[F_OPT_LEASE] = {"dhcp.option.ip_address_lease_time", "IP Address Lease Time", NM_FT_UINT32, NM_BASE_DEC,
			 NULL, 0, "Option 51: IP Address Lease Time"},
	[F_OPT_SERVER_ID] = {"dhcp.option.dhcp_server_id", "DHCP Server Identifier", NM_FT_IPv4, NM_BASE_NONE,
			     NULL, 0, "Option 54: DHCP Server Identifier"},
	[F_OPT_REQ_ITEM] = {"dhcp.option.request_list_item", "Parameter Request List Item", NM_FT_UINT8,
			    NM_BASE_DEC, NULL, 0, "Option 55: Parameter Request List Item"},
	[F_OPT_MESSAGE] = {"dhcp.option.message", "Message", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
			   "Option 56: Option message"},
	[F_OPT_MAXSIZE] = {"dhcp.option.dhcp_max_message_size", "Maximum DHCP Message Size", NM_FT_UINT16,
			   NM_BASE_DEC, NULL, 0, "Option 57: Maximum DHCP Message Size"},
	[F_OPT_RENEWAL] = {"dhcp.option.renewal_time_value", "Renewal Time Value", NM_FT_UINT32, NM_BASE_DEC, NULL,
			   0, "Option 58: Renewal Time Value"},
	[F_OPT_REBIND] = {"dhcp.option.rebinding_time_value", "Rebinding Time Value", NM_FT_UINT32, NM_BASE_DEC,
			  NULL, 0, "Option 59: Rebinding Time Value"},
	[F_OPT_VENDOR_CLASS] = {"dhcp.option.vendor_class_id", "Vendor class identifier", NM_FT_STRING,
				NM_BASE_NONE, NULL, 0, "Option 60: Vendor class identifier"},
};

/* How an option's value is shown: a list of addresses, one integer, a
 * string, or a list of request items. */
typedef enum { V_ADDRS, V_U8, V_U16, V_U32, V_STR, V_ITEMS } vkind;

typedef struct opt_kind {
	uint8_t code;
	int field;
	vkind kind;
} opt_kind;

static const opt_kind opt_kinds[] = {
	{1, F_OPT_SUBNET, V_ADDRS},	{3, F_OPT_ROUTER, V_ADDRS},	  {6, F_OPT_DNS, V_ADDRS},
	{12, F_OPT_HOSTNAME, V_STR},	{15, F_OPT_DOMAIN, V_STR},	  {28, F_OPT_BCAST, V_ADDRS},
	{50, F_OPT_REQ_IP, V_ADDRS},	{51, F_OPT_LEASE, V_U32},	  {53, F_OPT_DHCP, V_U8},
	{54, F_OPT_SERVER_ID, V_ADDRS}, {55, F_OPT_REQ_ITEM, V_ITEMS},	  {56, F_OPT_MESSAGE, V_STR},
	{57, F_OPT_MAXSIZE, V_U16},	{58, F_OPT_RENEWAL, V_U32},	  {59, F_OPT_REBIND, V_U32},
	{60, F_OPT_VENDOR_CLASS, V_STR},
};

static const opt_kind *find_kind(uint8_t code)
{
	for (size_t i = 0; i < sizeof opt_kinds / sizeof opt_kinds[0]; i++)
		if (opt_kinds[i].code == code)
			return &opt_kinds[i];
	return NULL;
}

/* The typed item(s) of a known option; a value of the wrong size for its
 * type is left as bytes only (Wireshark flags it as an expert item). */
static void option_value(nm_packet *pk, int t, const opt_kind *k, nm_cursor *v)
{
	const nm_field *f = &fields[k->field];
	uint32_t n = nm_cur_left(v), at = v->pos;
	switch (k->kind) {
	case V_ADDRS:
		for (; n >= 4 && n % 4 == 0 && nm_cur_left(v) >= 4; at += 4)
			nm_add_ipv4(pk, t, f, at, nm_cur_take(v, 4));
		break;
	case V_U8:
		if (n == 1)
			nm_add_uint(pk, t, f, at, 1, nm_cur_u8(v));
		break;
	case V_U16:
		if (n == 2)
			nm_add_uint(pk, t, f, at, 2, nm_cur_be16(v));
		break;
	case V_U32:
		if (n == 4)
			nm_add_uint(pk, t, f, at, 4, nm_cur_be32(v));
		break;
	case V_STR:
		nm_add_text_field(pk, t, f, v, n, false);
		break;
	case V_ITEMS:
		for (; nm_cur_left(v); at++)
			nm_add_uint(pk, t, f, at, 1, nm_cur_u8(v));
		break;
	}
}

static void set_msgtype_info(nm_packet *pk, uint8_t type, uint32_t xid)
{
	const char *name = nm_val_label(msg_vals, type, "Unknown");
	pk->protocol = "DHCP";
	nm_set_info(pk, "DHCP %-8s - Transaction ID 0x%x", name, xid);
}

/* One option at the cursor; returns false at End. */
static bool dissect_option(nm_packet *pk, int t, nm_cursor *c, uint32_t xid)
{
	uint32_t at = c->pos;
	uint8_t code = nm_cur_u8(c);
	if (code == 0) {
		while (nm_cur_left(c) && c->data[c->pos] == 0)
			c->pos++;
		nm_add_bytes(pk, t, &fields[F_OPT_PADDING], at, c->pos - at, c->data + at);
		return true;
	}
	if (code == 255) {
		int o = nm_add_uint(pk, t, &fields[F_OPT_TYPE], at, 1, 0);
		nm_add_uint(pk, o, &fields[F_OPT_END], at, 1, 255);
		return false;
	}
	uint8_t len = nm_cur_u8(c);
	if (c->err || !nm_cur_has(c, len)) {
		c->err = true;
		return false;
	}
	int o = nm_add_uint(pk, t, &fields[F_OPT_TYPE], at, 2u + len, code);
	nm_add_uint(pk, o, &fields[F_OPT_LEN], at + 1, 1, len);
	nm_cursor v = nm_cur_sub(c, len);
	if (len)
		nm_add_bytes(pk, o, &fields[F_OPT_VALUE], v.pos, len, c->data + v.pos);
	else /* tshark prints an empty option value this way */
		nm_add_string(pk, o, &fields[F_OPT_VALUE], v.pos, 0, "<MISSING>");
	if (code == 53 && len == 1)
		set_msgtype_info(pk, c->data[v.pos], xid);
	/* A client identifier of hardware type + MAC repeats the header's items. */
	if (code == 61 && len == 7 && c->data[v.pos] == 1) {
		nm_add_uint(pk, o, &fields[F_HW_TYPE], v.pos, 1, 1);
		nm_add_ether(pk, o, &fields[F_HW_MAC], v.pos + 1, c->data + v.pos + 1);
	}
	const opt_kind *k = find_kind(code);
	if (k)
		option_value(pk, o, k, &v);
	return true;
}

static void dissect_options(nm_packet *pk, int t, nm_cursor *c, uint32_t xid)
{
	while (nm_cur_left(c) && !c->err)
		if (!dissect_option(pk, t, c, xid))
			break;
	if (!c->err && nm_cur_left(c)) {
		uint32_t n = nm_cur_left(c);
		nm_add_bytes(pk, t, &fields[F_OPT_PADDING], c->pos, n, c->data + c->pos);
		c->pos = c->end;
	}
}

/* A fixed-size string field: "not given" (no item) when it starts with NUL. */
static void add_fixed_string(nm_packet *pk, int t, int f, nm_cursor *c, uint32_t n)
{
	bool ok;
	uint8_t first = nm_cur_peek(c, 0, &ok);
	if (ok && first && nm_cur_has(c, n))
		nm_add_text_field(pk, t, &fields[f], c, n, false);
	else
		nm_cur_skip(c, n);
}

static void add_hwaddr(nm_packet *pk, int t, uint8_t htype, uint8_t hlen, uint32_t at, const uint8_t *ch)
{
	if (htype == 1 && hlen == 6) {
		nm_add_ether(pk, t, &fields[F_HW_MAC], at, ch);
		nm_add_bytes(pk, t, &fields[F_HW_PAD], at + 6, 10, ch + 6);
	} else if (hlen > 0 && hlen <= 16) {
		nm_add_bytes(pk, t, &fields[F_HW_ADDR], at, hlen, ch);
		if (hlen < 16)
			nm_add_bytes(pk, t, &fields[F_HW_PAD], at + hlen, 16u - hlen, ch + hlen);
	}
}

static void set_bootp_info(nm_packet *pk, uint8_t op, const uint8_t *ch)
{
	char mac[20];
	pk->protocol = "BOOTP";
	if (op == 1) {
		nm_fmt_ether(mac, sizeof mac, ch);
		nm_set_info(pk, "Boot Request from %s (%s)", mac, mac);
	} else if (op == 2) {
		nm_set_info(pk, "Boot Reply");
	} else {
		nm_set_info(pk, "Unknown BOOTP message type (%u)", op);
	}
}

static int dissect_dhcp(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t s = c->pos;
	int t = nm_add_proto(pk, parent, &nm_proto_dhcp, s, nm_cur_left(c));
	const uint8_t *h = nm_cur_take(c, 44);
	if (!h) {
		bool ok;
		set_bootp_info(pk, nm_cur_peek(c, 0, &ok), (const uint8_t *)"\0\0\0\0\0\0");
		return NM_TRUNCATED;
	}
	uint32_t xid = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
	uint16_t flags = (uint16_t)(h[10] << 8 | h[11]);
	set_bootp_info(pk, h[0], h + 28);
	nm_add_uint(pk, t, &fields[F_TYPE], s, 1, h[0]);
	nm_add_uint(pk, t, &fields[F_HW_TYPE], s + 1, 1, h[1]);
	nm_add_uint(pk, t, &fields[F_HW_LEN], s + 2, 1, h[2]);
	nm_add_uint(pk, t, &fields[F_HOPS], s + 3, 1, h[3]);
	nm_add_uint(pk, t, &fields[F_ID], s + 4, 4, xid);
	nm_add_uint(pk, t, &fields[F_SECS], s + 8, 2, (uint16_t)(h[8] << 8 | h[9]));
	int fl = nm_add_uint(pk, t, &fields[F_FLAGS], s + 10, 2, flags);
	nm_add_bool(pk, fl, &fields[F_FLAGS_BC], s + 10, 2, flags);
	nm_add_uint(pk, fl, &fields[F_FLAGS_RES], s + 10, 2, flags);
	static const int ips[] = {F_IP_CLIENT, F_IP_YOUR, F_IP_SERVER, F_IP_RELAY};
	for (int i = 0; i < 4; i++)
		nm_add_ipv4(pk, t, &fields[ips[i]], s + 12 + 4u * i, h + 12 + 4 * i);
	add_hwaddr(pk, t, h[1], h[2], s + 28, h + 28);
	add_fixed_string(pk, t, F_SERVER, c, 64);
	add_fixed_string(pk, t, F_FILE, c, 128);
	uint32_t at = c->pos;
	const uint8_t *cookie = nm_cur_take(c, 4);
	if (c->err)
		return NM_TRUNCATED;
	/* Without the magic cookie the rest is BOOTP vendor data, not options. */
	if (memcmp(cookie, "\x63\x82\x53\x63", 4) != 0) {
		c->pos = c->end;
		return NM_OK;
	}
	nm_add_ipv4(pk, t, &fields[F_COOKIE], at, cookie);
	dissect_options(pk, t, c, xid);
	return c->err ? NM_TRUNCATED : NM_OK;
}

static void init_dhcp(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 67, &nm_proto_dhcp);
	nm_handoff_add(NM_TAB_UDP_PORT, 68, &nm_proto_dhcp);
}

nm_protocol nm_proto_dhcp = {
	"dhcp", "DHCP", "Dynamic Host Configuration Protocol", fields, F_COUNT, dissect_dhcp, init_dhcp, 0,
};
