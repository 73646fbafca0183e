/*
 * proto_icmp.c - Internet Control Message Protocol (RFC 792).
 *
 * Error messages quote the start of the datagram that caused them; that
 * quote is dissected as IP again, with the summary columns, flow key and
 * error marks of the frame saved around it, because the frame is the ICMP
 * message, not the quoted datagram (a quote is short by design).
 */
#include <string.h>

#include "protos.h"

enum {
	F_TYPE,
	F_CODE,
	F_CHECKSUM,
	F_IDENT,
	F_IDENT_LE,
	F_SEQ,
	F_SEQ_LE,
	F_MTU,
	F_REDIR_GW,
	F_POINTER,
	F_COUNT
};

static const nm_vals type_vals[] = {
	{0, "Echo (ping) reply"},
	{3, "Destination unreachable"},
	{4, "Source quench (flow control)"},
	{5, "Redirect"},
	{8, "Echo (ping) request"},
	{9, "Router advertisement"},
	{10, "Router solicitation"},
	{11, "Time-to-live exceeded"},
	{12, "Parameter problem"},
	{13, "Timestamp request"},
	{14, "Timestamp reply"},
	{15, "Information request"},
	{16, "Information reply"},
	{17, "Address mask request"},
	{18, "Address mask reply"},
	{0, NULL},
};

static const nm_vals unreach_vals[] = {
	{0, "Network unreachable"},
	{1, "Host unreachable"},
	{2, "Protocol unreachable"},
	{3, "Port unreachable"},
	{4, "Fragmentation needed"},
	{5, "Source route failed"},
	{6, "Destination network unknown"},
	{7, "Destination host unknown"},
	{8, "Source host isolated"},
	{9, "Network administratively prohibited"},
	{10, "Host administratively prohibited"},
	{11, "Network unreachable for TOS"},
	{12, "Host unreachable for TOS"},
	{13, "Communication administratively filtered"},
	{14, "Host precedence violation"},
	{15, "Precedence cutoff in effect"},
	{0, NULL},
};

static const nm_vals redirect_vals[] = {
	{0, "Redirect for network"},
	{1, "Redirect for host"},
	{2, "Redirect for TOS and network"},
	{3, "Redirect for TOS and host"},
	{0, NULL},
};

static const nm_vals ttl_vals[] = {
	{0, "Time to live exceeded in transit"},
	{1, "Fragment reassembly time exceeded"},
	{0, NULL},
};

static const nm_vals param_vals[] = {
	{0, "Pointer indicates the error"},
	{1, "Required option missing"},
	{2, "Bad length"},
	{0, NULL},
};

static const nm_field fields[] = {
	[F_TYPE] = {"icmp.type", "Type", NM_FT_UINT8, NM_BASE_DEC, type_vals, 0, NULL},
	[F_CODE] = {"icmp.code", "Code", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_CHECKSUM] = {"icmp.checksum", "Checksum", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_IDENT] = {"icmp.ident", "Identifier (BE)", NM_FT_UINT16, NM_BASE_DEC_HEX, NULL, 0, NULL},
	[F_IDENT_LE] = {"icmp.ident_le", "Identifier (LE)", NM_FT_UINT16, NM_BASE_DEC_HEX, NULL, 0, NULL},
	[F_SEQ] = {"icmp.seq", "Sequence Number (BE)", NM_FT_UINT16, NM_BASE_DEC_HEX, NULL, 0, NULL},
	[F_SEQ_LE] = {"icmp.seq_le", "Sequence Number (LE)", NM_FT_UINT16, NM_BASE_DEC_HEX, NULL, 0, NULL},
	[F_MTU] = {"icmp.mtu", "MTU of next hop", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_REDIR_GW] = {"icmp.redir_gw", "Gateway Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_POINTER] = {"icmp.pointer", "Pointer", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
};

static const nm_vals *code_vals(uint8_t type)
{
	switch (type) {
	case 3: return unreach_vals;
	case 5: return redirect_vals;
	case 11: return ttl_vals;
	case 12: return param_vals;
	default: return NULL;
	}
}

static bool is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* Types whose second word is an identifier and a sequence number. */
static bool has_ident(uint8_t type)
{
	return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

static uint16_t swap16(uint16_t v)
{
	return (uint16_t)(v >> 8 | v << 8);
}

static void add_ident(nm_packet *pk, int t, uint32_t at, uint16_t id, uint16_t seq)
{
	nm_add_uint(pk, t, &fields[F_IDENT], at, 2, id);
	nm_add_uint(pk, t, &fields[F_IDENT_LE], at, 2, swap16(id));
	nm_add_uint(pk, t, &fields[F_SEQ], at + 2, 2, seq);
	nm_add_uint(pk, t, &fields[F_SEQ_LE], at + 2, 2, swap16(seq));
	nm_append_info(pk, " id=0x%04x, seq=%u/%u, ttl=%u", id, seq, swap16(seq), pk->ip_ttl);
}

/* What a quoted datagram may change and the frame must keep. */
typedef struct saved_state {
	char src[NM_SUMMARY_ADDR], dst[NM_SUMMARY_ADDR], info[NM_SUMMARY_INFO];
	const char *protocol;
	uint32_t flags, ip_plen;
	nm_flow_key flow;
	uint8_t ip_ttl;
} saved_state;

static void dissect_quote(nm_packet *pk, nm_cursor *c)
{
	saved_state s;
	memcpy(s.src, pk->src, sizeof s.src);
	memcpy(s.dst, pk->dst, sizeof s.dst);
	memcpy(s.info, pk->info, sizeof s.info);
	s.protocol = pk->protocol, s.flags = pk->flags, s.flow = pk->flow;
	s.ip_ttl = pk->ip_ttl, s.ip_plen = pk->ip_plen;
	nm_call(&nm_proto_ip, pk, c, -1);
	nm_pkt_key_ports(pk); /* the quoted transport's, before the flow goes back */
	memcpy(pk->src, s.src, sizeof s.src);
	memcpy(pk->dst, s.dst, sizeof s.dst);
	memcpy(pk->info, s.info, sizeof s.info);
	pk->protocol = s.protocol, pk->flags = s.flags, pk->flow = s.flow;
	pk->ip_ttl = s.ip_ttl, pk->ip_plen = s.ip_plen;
}

static void add_error_word(nm_packet *pk, int t, uint8_t type, uint8_t code, uint32_t at, const uint8_t *w)
{
	if (type == 3 && code == 4)
		nm_add_uint(pk, t, &fields[F_MTU], at + 2, 2, (uint32_t)w[2] << 8 | w[3]);
	else if (type == 5)
		nm_add_ipv4(pk, t, &fields[F_REDIR_GW], at, w);
	else if (type == 12)
		nm_add_uint(pk, t, &fields[F_POINTER], at, 1, w[0]);
}

static int dissect_icmp(nm_packet *pk, nm_cursor *c, int parent)
{
	(void)parent;
	uint32_t s = c->pos;
	uint8_t type = nm_cur_u8(c);
	uint8_t code = nm_cur_u8(c);
	uint16_t sum = nm_cur_be16(c);
	int t = nm_add_proto(pk, -1, &nm_proto_icmp, s, nm_cur_left(c) + (uint32_t)(c->pos - s));
	if (c->err)
		return NM_TRUNCATED;
	const char *tname = nm_val_label(type_vals, type, "Unknown ICMP (obsolete or malformed?)");
	const char *cname = nm_val_label(code_vals(type), code, NULL);
	nm_set_info(pk, "%-20s", tname);
	if (cname)
		nm_append_info(pk, " (%s)", cname);
	nm_add_uint(pk, t, &fields[F_TYPE], s, 1, type);
	nm_add_uint(pk, t, &fields[F_CODE], s + 1, 1, code);
	nm_add_uint(pk, t, &fields[F_CHECKSUM], s + 2, 2, sum);
	const uint8_t *w = nm_cur_take(c, 4);
	if (!w)
		return NM_TRUNCATED;
	if (has_ident(type)) {
		add_ident(pk, t, s + 4, (uint16_t)(w[0] << 8 | w[1]), (uint16_t)(w[2] << 8 | w[3]));
	} else if (is_error(type)) {
		add_error_word(pk, t, type, code, s + 4, w);
		if (nm_cur_left(c))
			dissect_quote(pk, c);
		return NM_OK;
	}
	return nm_call_data(pk, c, -1);
}

static void init_icmp(void)
{
	nm_handoff_add(NM_TAB_IP_PROTO, 1, &nm_proto_icmp);
}

nm_protocol nm_proto_icmp = {
	"icmp", "ICMP", "Internet Control Message Protocol", fields, F_COUNT, dissect_icmp, init_icmp, 0,
};
