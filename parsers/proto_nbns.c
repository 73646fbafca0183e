/*
 * proto_nbns.c - NetBIOS Name Service (RFC 1001/1002), UDP 137.
 *
 * A DNS-shaped message whose names are NetBIOS names in "first-level
 * encoding": a 32-character label of 'A'..'P' pairs, one per nibble,
 * giving 15 name bytes (space padded) and a type byte.  Wireshark shows
 * them as "NAME<1b>", non-printable bytes as "<xx>", then any scope labels
 * after a dot; in resource records the name type's meaning follows in
 * parentheses.  Name reads follow compression pointers inside the message
 * only, with a hop limit, so a pointer loop ends.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "protos.h"

enum {
	F_ID, F_FLAGS, F_FL_RESPONSE, F_FL_OPCODE, F_FL_AUTH, F_FL_TRUNC, F_FL_RD, F_FL_RA, F_FL_BCAST,
	F_FL_RCODE, F_QDCOUNT, F_ANCOUNT, F_NSCOUNT, F_ARCOUNT, F_NAME, F_TYPE, F_CLASS, F_TTL, F_DATA_LEN,
	F_NB_FLAGS, F_NB_GROUP, F_NB_ONT, F_ADDR, F_COUNT
};

static const nm_vals opcode_vals[] = {
	{0, "Name query"}, {5, "Registration"}, {6, "Release"}, {7, "Wait for acknowledgment"},
	{8, "Refresh"},	   {9, "Refresh (alternate opcode)"}, {15, "Multi-homed registration"}, {0, NULL},
};

static const nm_vals rcode_vals[] = {
	{0, "No error"}, {1, "Request was invalidly formatted"}, {2, "Server failure"},
	{3, "Requested name does not exist"}, {4, "Request is not implemented"}, {5, "Request was refused"},
	{6, "Name is owned by another node"}, {7, "Name is in conflict"}, {0, NULL},
};

static const nm_vals type_vals[] = {
	{1, "A"}, {2, "NS"}, {10, "NULL"}, {32, "NB"}, {33, "NBSTAT"}, {0, NULL},
};

static const nm_vals class_vals[] = {{1, "IN"}, {0, NULL}};

static const nm_vals ont_vals[] = {{0, "B-node"}, {1, "P-node"}, {2, "M-node"}, {3, "Unknown"}, {0, NULL}};

static const nm_vals name_type_vals[] = {
	{0x00, "Workstation/Redirector"},
	{0x01, "Browser"},
	{0x02, "Workstation/Redirector"},
	{0x03, "Messenger service/Main name"},
	{0x05, "Forwarded name"},
	{0x06, "RAS Server service"},
	{0x1b, "Domain Master Browser"},
	{0x1c, "Domain Controllers"},
	{0x1d, "Local Master Browser"},
	{0x1e, "Browser Election Service"},
	{0x1f, "Net DDE Service"},
	{0x20, "Server service"},
	{0x21, "RAS client service"},
	{0x22, "Exchange Interchange (MSMail Connector)"},
	{0x23, "Exchange Store"},
	{0x24, "Exchange Directory"},
	{0x2b, "Lotus Notes Server service"},
	{0x30, "Modem sharing server service"},
	{0x31, "Modem sharing client service"},
	{0x43, "SMS Clients Remote Control"},
	{0x44, "SMS Administrators Remote Control Tool"},
	{0x45, "SMS Clients Remote Chat"},
	{0x46, "SMS Clients Remote Transfer"},
	{0x4c, "DEC Pathworks TCP/IP Service on Windows NT"},
	{0x52, "DEC Pathworks TCP/IP Service on Windows NT"},
	{0x6a, "Microsoft Exchange IMC"},
	{0x87, "Microsoft Exchange MTA"},
	{0xbe, "Network Monitor Agent"},
	{0xbf, "Network Monitor Analyzer"},
	{0, NULL},
};

#define BOOL16(n, l, m) {n, l, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, m, NULL}

static const nm_field fields[] = {
	[F_ID] = {"nbns.id", "Transaction ID", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_FLAGS] = {"nbns.flags", "Flags", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_FL_RESPONSE] = BOOL16("nbns.flags.response", "Response", 0x8000),
	[F_FL_OPCODE] = {"nbns.flags.opcode", "Opcode", NM_FT_UINT16, NM_BASE_DEC, opcode_vals, 0x7800, NULL},
	[F_FL_AUTH] = BOOL16("nbns.flags.authoritative", "Authoritative", 0x0400),
	[F_FL_TRUNC] = BOOL16("nbns.flags.truncated", "Truncated", 0x0200),
	[F_FL_RD] = BOOL16("nbns.flags.recdesired", "Recursion desired", 0x0100),
	[F_FL_RA] = BOOL16("nbns.flags.recavail", "Recursion available", 0x0080),
	[F_FL_BCAST] = BOOL16("nbns.flags.broadcast", "Broadcast", 0x0010),
	[F_FL_RCODE] = {"nbns.flags.rcode", "Reply code", NM_FT_UINT16, NM_BASE_DEC, rcode_vals, 0x000f, NULL},
	[F_QDCOUNT] = {"nbns.count.queries", "Questions", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_ANCOUNT] = {"nbns.count.answers", "Answer RRs", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_NSCOUNT] = {"nbns.count.auth_rr", "Authority RRs", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_ARCOUNT] = {"nbns.count.add_rr", "Additional RRs", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_NAME] = {"nbns.name", "Name", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_TYPE] = {"nbns.type", "Type", NM_FT_UINT16, NM_BASE_DEC, type_vals, 0, NULL},
	[F_CLASS] = {"nbns.class", "Class", NM_FT_UINT16, NM_BASE_DEC, class_vals, 0, NULL},
	[F_TTL] = {"nbns.ttl", "Time to live", NM_FT_UINT32, NM_BASE_DEC, NULL, 0, NULL},
	[F_DATA_LEN] = {"nbns.data_length", "Data length", NM_FT_UINT16, NM_BASE_DEC, NULL, 0, NULL},
	[F_NB_FLAGS] = {"nbns.nb_flags", "Name flags", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_NB_GROUP] = BOOL16("nbns.nb_flags.group", "Name type", 0x8000),
	[F_NB_ONT] = {"nbns.nb_flags.ont", "ONT", NM_FT_UINT16, NM_BASE_DEC, ont_vals, 0x6000, NULL},
	[F_ADDR] = {"nbns.addr", "Addr", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
};

typedef struct nb_msg {
	nm_packet *pk;
	uint32_t start, end;
	bool response;
} nb_msg;

typedef struct nb_name {
	char text[256];
	int type; /* the 16th byte, -1 when not a first-level encoded name */
	uint32_t wirelen;
	bool ok;
} nb_name;

static void put(nb_name *n, size_t *o, const char *s)
{
	size_t len = strlen(s);
	if (*o + len < sizeof n->text) {
		memcpy(n->text + *o, s, len + 1);
		*o += len;
	}
}

/* Decode a 32-character first-level label; false when it is not one. */
static bool decode_first_level(nb_name *n, size_t *o, const uint8_t *l, uint32_t len)
{
	uint8_t b[16];
	if (len != 32)
		return false;
	for (int i = 0; i < 16; i++) {
		uint8_t hi = l[2 * i] - 'A', lo = l[2 * i + 1] - 'A';
		if (hi > 15 || lo > 15)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	int last = 14;
	while (last >= 0 && b[last] == ' ')
		last--;
	char ch[8];
	for (int i = 0; i <= last; i++) {
		snprintf(ch, sizeof ch, isprint(b[i]) ? "%c" : "<%02x>", b[i]);
		put(n, o, ch);
	}
	snprintf(ch, sizeof ch, "<%02x>", b[15]);
	put(n, o, ch);
	n->type = b[15];
	return true;
}

static void append_label(nb_name *n, size_t *o, const uint8_t *l, uint32_t len, bool first)
{
	if (first && decode_first_level(n, o, l, len))
		return;
	if (!first)
		put(n, o, ".");
	char ch[8];
	for (uint32_t i = 0; i < len; i++) {
		snprintf(ch, sizeof ch, isprint(l[i]) ? "%c" : "\\%03o", l[i]);
		put(n, o, ch);
	}
}

/* Read a (possibly compressed) name at `at`; hops bound pointer chains. */
static void read_name(const nb_msg *m, uint32_t at, nb_name *n)
{
	nm_cursor c = nm_cursor_make(m->pk->data, at, m->end);
	size_t o = 0;
	int hops = 0;
	bool jumped = false;
	n->text[0] = '\0';
	n->type = -1;
	n->ok = false;
	n->wirelen = 0;
	for (;;) {
		uint8_t len = nm_cur_u8(&c);
		if (c.err)
			return;
		if ((len & 0xc0) == 0xc0) {
			uint32_t ptr = (uint32_t)(len & 0x3f) << 8 | nm_cur_u8(&c);
			if (c.err || m->start + ptr >= m->end || ++hops > 32)
				return;
			if (!jumped)
				n->wirelen = c.pos - at;
			jumped = true;
			c = nm_cursor_make(m->pk->data, m->start + ptr, m->end);
			continue;
		}
		if (len == 0)
			break;
		const uint8_t *l = nm_cur_take(&c, len);
		if (!l)
			return;
		append_label(n, &o, l, len, o == 0);
	}
	if (!jumped)
		n->wirelen = c.pos - at;
	if (o == 0)
		put(n, &o, "<Root>");
	n->ok = true;
}

static void add_flags(nb_msg *m, int t, uint32_t at, uint16_t fl)
{
	int f = nm_add_uint(m->pk, t, &fields[F_FLAGS], at, 2, fl);
	nm_add_bool(m->pk, f, &fields[F_FL_RESPONSE], at, 2, fl);
	nm_add_uint(m->pk, f, &fields[F_FL_OPCODE], at, 2, fl);
	if (m->response)
		nm_add_bool(m->pk, f, &fields[F_FL_AUTH], at, 2, fl);
	nm_add_bool(m->pk, f, &fields[F_FL_TRUNC], at, 2, fl);
	nm_add_bool(m->pk, f, &fields[F_FL_RD], at, 2, fl);
	if (m->response)
		nm_add_bool(m->pk, f, &fields[F_FL_RA], at, 2, fl);
	nm_add_bool(m->pk, f, &fields[F_FL_BCAST], at, 2, fl);
	if (m->response)
		nm_add_uint(m->pk, f, &fields[F_FL_RCODE], at, 2, fl);
}

typedef struct owner {
	uint16_t type;
	int node;	/* the question's or record's tree node */
	char name[256]; /* the decoded name without its type meaning */
} owner;

/* Name, type and class of a question or record; returns the offset after
 * them, or 0 when they do not fit. */
static uint32_t add_owner(nb_msg *m, int t, uint32_t at, bool rr, owner *ow)
{
	nb_name n;
	read_name(m, at, &n);
	nm_cursor c = nm_cursor_make(m->pk->data, at + n.wirelen, m->end);
	uint16_t type = nm_cur_be16(&c), cls = nm_cur_be16(&c);
	if (!n.ok || c.err)
		return 0;
	char shown[320];
	if (rr && n.type >= 0)
		snprintf(shown, sizeof shown, "%s (%s)", n.text, nm_val_label(name_type_vals, (uint32_t)n.type, "Unknown"));
	else
		snprintf(shown, sizeof shown, "%s", n.text);
	int q = nm_add_text(m->pk, t, at, n.wirelen + 4, "%s: type %s, class %s", n.text,
			    nm_val_label(type_vals, type, "Unknown"), nm_val_label(class_vals, cls, "Unknown"));
	nm_add_string(m->pk, q, &fields[F_NAME], at, n.wirelen, shown);
	nm_add_uint(m->pk, q, &fields[F_TYPE], at + n.wirelen, 2, type);
	nm_add_uint(m->pk, q, &fields[F_CLASS], at + n.wirelen + 2, 2, cls);
	ow->type = type;
	ow->node = q;
	snprintf(ow->name, sizeof ow->name, "%s", n.text);
	return c.pos;
}

static void add_nb_rdata(nb_msg *m, int t, nm_cursor *rd)
{
	bool first = true;
	while (nm_cur_left(rd) >= 6) {
		uint32_t at = rd->pos;
		uint16_t fl = nm_cur_be16(rd);
		const uint8_t *a = nm_cur_take(rd, 4);
		int f = nm_add_uint(m->pk, t, &fields[F_NB_FLAGS], at, 2, fl);
		nm_add_bool(m->pk, f, &fields[F_NB_GROUP], at, 2, fl);
		nm_add_uint(m->pk, f, &fields[F_NB_ONT], at, 2, fl);
		nm_add_ipv4(m->pk, t, &fields[F_ADDR], at + 2, a);
		if (m->response && first) /* the Info line names the first address */
			nm_append_info(m->pk, " %u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		first = false;
	}
}

static uint32_t add_rr(nb_msg *m, int t, uint32_t at, bool answer)
{
	owner ow;
	uint32_t p = add_owner(m, t, at, true, &ow);
	if (!p)
		return 0;
	int q = ow.node;
	nm_cursor c = nm_cursor_make(m->pk->data, p, m->end);
	uint32_t ttl = nm_cur_be32(&c);
	uint16_t len = nm_cur_be16(&c);
	if (c.err || !nm_cur_has(&c, len))
		return 0;
	nm_add_uint(m->pk, q, &fields[F_TTL], p, 4, ttl);
	nm_add_uint(m->pk, q, &fields[F_DATA_LEN], p + 4, 2, len);
	nm_cursor rd = nm_cur_sub(&c, len);
	if (answer && m->response)
		nm_append_info(m->pk, " %s", nm_val_label(type_vals, ow.type, "Unknown"));
	if (ow.type == 32)
		add_nb_rdata(m, q, &rd);
	return c.pos;
}

static int dissect_body(nb_msg *m, int t, const uint16_t counts[4], uint32_t at)
{
	for (unsigned i = 0; i < counts[0]; i++) {
		owner ow;
		at = add_owner(m, t, at, false, &ow);
		if (!at)
			return NM_MALFORMED;
		if (!m->response)
			nm_append_info(m->pk, " %s %s", nm_val_label(type_vals, ow.type, "Unknown"), ow.name);
	}
	for (int s = 1; s < 4; s++)
		for (unsigned i = 0; i < counts[s]; i++)
			if (!(at = add_rr(m, t, at, s == 1)))
				return NM_MALFORMED;
	return NM_OK;
}

static int dissect_nbns(nm_packet *pk, nm_cursor *c, int parent)
{
	nb_msg m = {pk, c->pos, c->end, false};
	int t = nm_add_proto(pk, parent, &nm_proto_nbns, c->pos, nm_cur_left(c));
	uint16_t id = nm_cur_be16(c), fl = nm_cur_be16(c), counts[4];
	for (int i = 0; i < 4; i++)
		counts[i] = nm_cur_be16(c);
	if (c->err)
		return NM_TRUNCATED;
	m.response = (fl & 0x8000) != 0;
	unsigned rcode = fl & 0xf;
	nm_set_info(pk, "%s%s", nm_val_label(opcode_vals, (fl >> 11) & 0xf, "Unknown operation"),
		    m.response ? " response" : "");
	if (m.response && rcode)
		nm_append_info(pk, ", %s", nm_val_label(rcode_vals, rcode, "Unknown error"));
	nm_add_uint(pk, t, &fields[F_ID], m.start, 2, id);
	add_flags(&m, t, m.start + 2, fl);
	for (int i = 0; i < 4; i++)
		nm_add_uint(pk, t, &fields[F_QDCOUNT + i], m.start + 4 + 2u * i, 2, counts[i]);
	int r = dissect_body(&m, t, counts, c->pos);
	c->pos = c->end;
	return r == NM_OK ? NM_OK : (pk->caplen < pk->wirelen ? NM_TRUNCATED : r);
}

static void init_nbns(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 137, &nm_proto_nbns);
}

nm_protocol nm_proto_nbns = {
	"nbns", "NBNS", "NetBIOS Name Service", fields, F_COUNT, dissect_nbns, init_nbns, 0,
};
