/*
 * proto_dns.c - the Domain Name System (RFC 1035) over UDP and TCP, and
 * multicast DNS (RFC 6762), which Wireshark shows as protocol "mdns" with
 * the same dns.* fields.  nm_dns_message is the one message dissector;
 * LLMNR (proto_llmnr.c) uses it too.
 *
 * A message is dissected inside its own window [start, end): compression
 * pointers are offsets from the message start and may never leave it.
 * Over TCP each message has a 2-byte length prefix (dns.length) and one
 * segment may hold several messages.
 *
 * Names are decoded the way Wireshark 4.0 shows them: raw label bytes
 * joined with dots ("<Root>" for the empty name), a name longer than 253
 * characters becomes "<Name too long>", and a pointer chain that has
 * visited as many bytes as the message holds is a loop ("<Name contains a
 * pointer that loops>").  The text is then escaped like tshark's string
 * output (backslash doubled, control bytes as C escapes, bytes that are not
 * UTF-8 as U+FFFD).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"

enum {
	F_LENGTH,
	F_ID,
	F_FLAGS,
	F_FL_RESPONSE,
	F_FL_OPCODE,
	F_FL_AUTH,
	F_FL_CONFLICT,
	F_FL_TRUNC,
	F_FL_RD,
	F_FL_TENTATIVE,
	F_FL_RA,
	F_FL_Z,
	F_FL_AD,
	F_FL_CD,
	F_FL_RCODE,
	F_QDCOUNT,
	F_ANCOUNT,
	F_NSCOUNT,
	F_ARCOUNT,
	F_ZOCOUNT,
	F_PRCOUNT,
	F_UPCOUNT,
	F_QRY_NAME,
	F_QRY_NAME_LEN,
	F_LABELS,
	F_QRY_TYPE,
	F_QRY_CLASS,
	F_QRY_QU,
	F_RESP_NAME,
	F_RESP_TYPE,
	F_RESP_CLASS,
	F_RESP_CACHE_FLUSH,
	F_RESP_TTL,
	F_RESP_LEN,
	F_UDP_PAYLOAD,
	F_EXT_RCODE,
	F_EDNS_VERSION,
	F_RESP_Z,
	F_Z_DO,
	F_Z_RESERVED,
	F_OPT_CODE,
	F_OPT_LEN,
	F_OPT_DATA,
	F_OPT_COOKIE_CLIENT,
	F_OPT_COOKIE_SERVER,
	F_OPT_PADDING,
	F_A,
	F_AAAA,
	F_CNAME,
	F_NS,
	F_PTR,
	F_MX_PREF,
	F_MX_EXCH,
	F_TXT_LEN,
	F_TXT,
	F_SOA_MNAME,
	F_SOA_RNAME,
	F_SOA_SERIAL,
	F_SOA_REFRESH,
	F_SOA_RETRY,
	F_SOA_EXPIRE,
	F_SOA_MINIMUM,
	F_SRV_SERVICE,
	F_SRV_PROTO,
	F_SRV_NAME,
	F_SRV_PRIORITY,
	F_SRV_WEIGHT,
	F_SRV_PORT,
	F_SRV_TARGET,
	F_DATA,
	F_COUNT
};

static const nm_vals opcode_vals[] = {
	{0, "Standard query"},
	{1, "Inverse query"},
	{2, "Server status request"},
	{4, "Zone change notification"},
	{5, "Dynamic update"},
	{6, "DNS Stateful operations (DSO)"},
	{0, NULL},
};

static const nm_vals rcode_vals[] = {
	{0, "No error"},
	{1, "Format error"},
	{2, "Server failure"},
	{3, "No such name"},
	{4, "Not implemented"},
	{5, "Refused"},
	{6, "Name exists"},
	{7, "RRset exists"},
	{8, "RRset does not exist"},
	{9, "Not authoritative"},
	{10, "Name out of zone"},
	{11, "DSO-Type not implemented"},
	{0, NULL},
};

/* Short type names, as the Info column shows them (tshark 4.0 has MAILA and
 * MAILB the other way round from RFC 1035; we follow tshark). */
static const nm_vals type_vals[] = {
	{0, "Unused"},	{1, "A"},	 {2, "NS"},	 {3, "MD"},	     {4, "MF"},		 {5, "CNAME"},
	{6, "SOA"},	{7, "MB"},	 {8, "MG"},	 {9, "MR"},	     {10, "NULL"},	 {11, "WKS"},
	{12, "PTR"},	{13, "HINFO"},	 {14, "MINFO"},	 {15, "MX"},	     {16, "TXT"},	 {17, "RP"},
	{18, "AFSDB"},	{19, "X25"},	 {20, "ISDN"},	 {21, "RT"},	     {22, "NSAP"},	 {23, "NSAP-PTR"},
	{24, "SIG"},	{25, "KEY"},	 {26, "PX"},	 {27, "GPOS"},	     {28, "AAAA"},	 {29, "LOC"},
	{30, "NXT"},	{31, "EID"},	 {32, "NIMLOC"}, {33, "SRV"},	     {34, "ATMA"},	 {35, "NAPTR"},
	{36, "KX"},	{37, "CERT"},	 {38, "A6"},	 {39, "DNAME"},	     {40, "SINK"},	 {41, "OPT"},
	{42, "APL"},	{43, "DS"},	 {44, "SSHFP"},	 {45, "IPSECKEY"},   {46, "RRSIG"},	 {47, "NSEC"},
	{48, "DNSKEY"}, {49, "DHCID"},	 {50, "NSEC3"},	 {51, "NSEC3PARAM"}, {52, "TLSA"},	 {55, "HIP"},
	{57, "RKEY"},	{58, "TALINK"},	 {59, "CDS"},	 {60, "CDNSKEY"},    {61, "OPENPGPKEY"}, {62, "CSYNC"},
	{63, "ZONEMD"}, {64, "SVCB"},	 {65, "HTTPS"},	 {99, "SPF"},	     {100, "UINFO"},	 {101, "UID"},
	{102, "GID"},	{103, "UNSPEC"}, {104, "NID"},	 {105, "L32"},	     {106, "L64"},	 {107, "LP"},
	{108, "EUI48"}, {109, "EUI64"},	 {249, "TKEY"},	 {250, "TSIG"},	     {251, "IXFR"},	 {252, "AXFR"},
	{253, "MAILA"}, {254, "MAILB"},	 {255, "ANY"},	 {256, "URI"},	     {257, "CAA"},	 {32768, "TA"},
	{32769, "DLV"}, {0, NULL},
};

static const nm_vals class_vals[] = {
	{1, "IN"}, {3, "CH"}, {4, "HS"}, {254, "NONE"}, {255, "ANY"}, {0, NULL},
};

static const nm_vals opt_code_vals[] = {
	{3, "NSID"},
	{5, "DAU"},
	{6, "DHU"},
	{7, "N3U"},
	{8, "CSUBNET - Client subnet"},
	{9, "EXPIRE"},
	{10, "COOKIE"},
	{11, "EDNS TCP KEEPALIVE"},
	{12, "PADDING"},
	{13, "CHAIN"},
	{14, "EDNS KEY TAG"},
	{15, "Extended DNS Error"},
	{0, NULL},
};

#define BOOL16(name, label, mask)                                                                                      \
	{                                                                                                              \
		name, label, NM_FT_BOOLEAN, NM_BASE_NONE, NULL, mask, NULL                                             \
	}

static const nm_field fields[] = {
	[F_LENGTH] = NM_F_NUM("dns.length", "Length", NM_FT_UINT16, NM_BASE_DEC),
	[F_ID] = {"dns.id", "Transaction ID", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_FLAGS] = {"dns.flags", "Flags", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_FL_RESPONSE] = BOOL16("dns.flags.response", "Response", 0x8000),
	[F_FL_OPCODE] = {"dns.flags.opcode", "Opcode", NM_FT_UINT16, NM_BASE_DEC, opcode_vals, 0x7800, NULL},
	[F_FL_AUTH] = BOOL16("dns.flags.authoritative", "Authoritative", 0x400),
	[F_FL_CONFLICT] = BOOL16("dns.flags.conflict", "Conflict", 0x400),
	[F_FL_TRUNC] = BOOL16("dns.flags.truncated", "Truncated", 0x200),
	[F_FL_RD] = BOOL16("dns.flags.recdesired", "Recursion desired", 0x100),
	[F_FL_TENTATIVE] = BOOL16("dns.flags.tentative", "Tentative", 0x100),
	[F_FL_RA] = BOOL16("dns.flags.recavail", "Recursion available", 0x80),
	[F_FL_Z] = BOOL16("dns.flags.z", "Z", 0x40),
	[F_FL_AD] = BOOL16("dns.flags.authenticated", "Answer authenticated", 0x20),
	[F_FL_CD] = BOOL16("dns.flags.checkdisable", "Non-authenticated data", 0x10),
	[F_FL_RCODE] = {"dns.flags.rcode", "Reply code", NM_FT_UINT16, NM_BASE_DEC, rcode_vals, 0xf, NULL},
	[F_QDCOUNT] = NM_F_NUM("dns.count.queries", "Questions", NM_FT_UINT16, NM_BASE_DEC),
	[F_ANCOUNT] = NM_F_NUM("dns.count.answers", "Answer RRs", NM_FT_UINT16, NM_BASE_DEC),
	[F_NSCOUNT] = NM_F_NUM("dns.count.auth_rr", "Authority RRs", NM_FT_UINT16, NM_BASE_DEC),
	[F_ARCOUNT] = NM_F_NUM("dns.count.add_rr", "Additional RRs", NM_FT_UINT16, NM_BASE_DEC),
	[F_ZOCOUNT] = NM_F_NUM("dns.count.zones", "Zones", NM_FT_UINT16, NM_BASE_DEC),
	[F_PRCOUNT] = NM_F_NUM("dns.count.prerequisites", "Prerequisites", NM_FT_UINT16, NM_BASE_DEC),
	[F_UPCOUNT] = NM_F_NUM("dns.count.updates", "Updates", NM_FT_UINT16, NM_BASE_DEC),
	[F_QRY_NAME] = NM_F_STR("dns.qry.name", "Name"),
	[F_QRY_NAME_LEN] = NM_F_NUM("dns.qry.name.len", "Name Length", NM_FT_UINT16, NM_BASE_DEC),
	[F_LABELS] = NM_F_NUM("dns.count.labels", "Label Count", NM_FT_UINT16, NM_BASE_DEC),
	[F_QRY_TYPE] = {"dns.qry.type", "Type", NM_FT_UINT16, NM_BASE_DEC, type_vals, 0, NULL},
	[F_QRY_CLASS] = {"dns.qry.class", "Class", NM_FT_UINT16, NM_BASE_HEX, class_vals, 0, NULL},
	[F_QRY_QU] = BOOL16("dns.qry.qu", "\"QU\" question", 0x8000),
	[F_RESP_NAME] = NM_F_STR("dns.resp.name", "Name"),
	[F_RESP_TYPE] = {"dns.resp.type", "Type", NM_FT_UINT16, NM_BASE_DEC, type_vals, 0, NULL},
	[F_RESP_CLASS] = {"dns.resp.class", "Class", NM_FT_UINT16, NM_BASE_HEX, class_vals, 0, NULL},
	[F_RESP_CACHE_FLUSH] = BOOL16("dns.resp.cache_flush", "Cache flush", 0x8000),
	[F_RESP_TTL] = NM_F_NUM("dns.resp.ttl", "Time to live", NM_FT_UINT32, NM_BASE_DEC),
	[F_RESP_LEN] = NM_F_NUM("dns.resp.len", "Data length", NM_FT_UINT16, NM_BASE_DEC),
	/* Wireshark declares this one BASE_HEX but tshark prints it in decimal. */
	[F_UDP_PAYLOAD] = NM_F_NUM("dns.rr.udp_payload_size", "UDP payload size", NM_FT_UINT16, NM_BASE_DEC),
	[F_EXT_RCODE] = {"dns.resp.ext_rcode", "Higher bits in extended RCODE", NM_FT_UINT8, NM_BASE_HEX, NULL, 0,
			 NULL},
	[F_EDNS_VERSION] = {"dns.resp.edns0_version", "EDNS0 version", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_RESP_Z] = {"dns.resp.z", "Z", NM_FT_UINT16, NM_BASE_HEX, NULL, 0, NULL},
	[F_Z_DO] = BOOL16("dns.resp.z.do", "DO bit", 0x8000),
	[F_Z_RESERVED] = {"dns.resp.z.reserved", "Reserved", NM_FT_UINT16, NM_BASE_HEX, NULL, 0x7fff, NULL},
	[F_OPT_CODE] = {"dns.opt.code", "Option Code", NM_FT_UINT16, NM_BASE_DEC, opt_code_vals, 0, NULL},
	[F_OPT_LEN] = NM_F_NUM("dns.opt.len", "Option Length", NM_FT_UINT16, NM_BASE_DEC),
	[F_OPT_DATA] = NM_F_BYTES("dns.opt.data", "Option Data"),
	[F_OPT_COOKIE_CLIENT] = NM_F_BYTES("dns.opt.cookie.client", "Client Cookie"),
	[F_OPT_COOKIE_SERVER] = NM_F_BYTES("dns.opt.cookie.server", "Server Cookie"),
	[F_OPT_PADDING] = NM_F_BYTES("dns.opt.padding", "Padding"),
	[F_A] = {"dns.a", "Address", NM_FT_IPv4, NM_BASE_NONE, NULL, 0, NULL},
	[F_AAAA] = {"dns.aaaa", "AAAA Address", NM_FT_IPv6, NM_BASE_NONE, NULL, 0, NULL},
	[F_CNAME] = NM_F_STR("dns.cname", "CNAME"),
	[F_NS] = NM_F_STR("dns.ns", "Name Server"),
	[F_PTR] = NM_F_STR("dns.ptr.domain_name", "Domain Name"),
	[F_MX_PREF] = NM_F_NUM("dns.mx.preference", "Preference", NM_FT_UINT16, NM_BASE_DEC),
	[F_MX_EXCH] = NM_F_STR("dns.mx.mail_exchange", "Mail Exchange"),
	[F_TXT_LEN] = {"dns.txt.length", "TXT Length", NM_FT_UINT8, NM_BASE_DEC, NULL, 0, NULL},
	[F_TXT] = NM_F_STR("dns.txt", "TXT"),
	[F_SOA_MNAME] = NM_F_STR("dns.soa.mname", "Primary name server"),
	[F_SOA_RNAME] = NM_F_STR("dns.soa.rname", "Responsible authority's mailbox"),
	[F_SOA_SERIAL] = NM_F_NUM("dns.soa.serial_number", "Serial Number", NM_FT_UINT32, NM_BASE_DEC),
	[F_SOA_REFRESH] = NM_F_NUM("dns.soa.refresh_interval", "Refresh Interval", NM_FT_UINT32, NM_BASE_DEC),
	[F_SOA_RETRY] = NM_F_NUM("dns.soa.retry_interval", "Retry Interval", NM_FT_UINT32, NM_BASE_DEC),
	[F_SOA_EXPIRE] = NM_F_NUM("dns.soa.expire_limit", "Expire limit", NM_FT_UINT32, NM_BASE_DEC),
	[F_SOA_MINIMUM] = NM_F_NUM("dns.soa.minimum_ttl", "Minimum TTL", NM_FT_UINT32, NM_BASE_DEC),
	[F_SRV_SERVICE] = NM_F_STR("dns.srv.service", "Service"),
	[F_SRV_PROTO] = NM_F_STR("dns.srv.proto", "Protocol"),
	[F_SRV_NAME] = NM_F_STR("dns.srv.name", "Name"),
	[F_SRV_PRIORITY] = NM_F_NUM("dns.srv.priority", "Priority", NM_FT_UINT16, NM_BASE_DEC),
	[F_SRV_WEIGHT] = NM_F_NUM("dns.srv.weight", "Weight", NM_FT_UINT16, NM_BASE_DEC),
	[F_SRV_PORT] = NM_F_NUM("dns.srv.port", "Port", NM_FT_UINT16, NM_BASE_DEC),
	[F_SRV_TARGET] = NM_F_STR("dns.srv.target", "Target"),
	[F_DATA] = NM_F_BYTES("dns.data", "Data"),
};

/* ---- one message ---- */

typedef struct dns_msg {
	nm_packet *pk;
	const nm_protocol *proto; /* dns, mdns or llmnr */
	uint32_t start, end;	  /* the message window, absolute offsets */
	bool mdns;
	bool llmnr;	/* RFC 4795 flags: conflict, tentative */
	int err;	/* first NM_TRUNCATED / NM_MALFORMED met */
	uint8_t *tails; /* see name_tail; allocated on first use */
	/* The ingest path (no tree) reads names and types only for the Info
	 * column; once that is full, a message claiming 60,000 questions would
	 * still build and escape every name for nothing.  skim: no text is
	 * wanted, only the outcome and wire length of each name and record.
	 * info_len follows strlen(pk->info) without re-reading it per append. */
	uint32_t info_len;
	bool skim;
	/* The last skimmed name that was only a pointer: see read_name. */
	bool memo_set;
	uint32_t memo_to;
	int memo_r;
} dns_msg;

/* After an Info change: skim once nothing more fits (nm_append_info's own
 * test).  The column only grows until the next message's header. */
static void info_sync(dns_msg *m)
{
	m->info_len += (uint32_t)strlen(m->pk->info + m->info_len);
	m->skim = !m->pk->tree && m->info_len + 1 >= sizeof m->pk->info;
}

#define INFO_ADD(m, ...)                                                                                               \
	do {                                                                                                           \
		if (!(m)->skim) {                                                                                      \
			nm_append_info((m)->pk, __VA_ARGS__);                                                          \
			info_sync(m);                                                                                  \
		}                                                                                                      \
	} while (0)

/* ---- names ---- */

#define NAME_MAX_CHARS 253 /* a 255-byte wire name, shown with dots */
enum { NAME_OK, NAME_LOOP, NAME_LONG };

typedef struct dns_name {
	char raw[NAME_MAX_CHARS + 1]; /* label bytes joined by '.', may hold NULs */
	uint32_t rawlen;
	uint32_t wirelen; /* bytes the name takes at its own position */
	int status;
	char text[4 * NAME_MAX_CHARS + 48]; /* escaped, what the tree shows */
	uint32_t textlen;		    /* Wireshark's "Name Length" */
	uint16_t labels;
} dns_name;

/* Pointers one name may follow before it is taken for a loop. */
#define NAME_MAX_JUMPS 128

/* Without `copy` only the length is kept: it decides NAME_LONG, and with
 * it how read_name goes on, so a skimmed name ends exactly as a shown one. */
static void name_append(dns_name *n, const uint8_t *label, uint32_t len, bool copy)
{
	uint32_t need = n->rawlen + (n->rawlen ? 1 : 0) + len;
	if (n->status != NAME_OK)
		return;
	if (need > NAME_MAX_CHARS) {
		n->status = NAME_LONG;
		return;
	}
	if (!copy) {
		n->rawlen = need;
		return;
	}
	if (n->rawlen)
		n->raw[n->rawlen++] = '.';
	memcpy(n->raw + n->rawlen, label, len);
	n->rawlen += len;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static unsigned utf8_len(const uint8_t *s, uint32_t n)
{
	unsigned len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	if (len == 0 || len > n)
		return 0;
	for (unsigned i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Escape bytes the way tshark prints a string field; out has 4*n+1 bytes. */
static void escape_text(char *out, size_t cap, const uint8_t *s, uint32_t n)
{
	static const char cesc[] = "abtnvfr";
	size_t o = 0;
	for (uint32_t i = 0; i < n && o + 5 < cap; i++) {
		uint8_t ch = s[i];
		unsigned u = ch >= 0x80 ? utf8_len(s + i, n - i) : 0;
		if (ch == '\\') {
			out[o++] = '\\', out[o++] = '\\';
		} else if (ch >= 0x20 && ch < 0x7f) {
			out[o++] = (char)ch;
		} else if (ch >= 7 && ch <= 13) {
			out[o++] = '\\', out[o++] = cesc[ch - 7];
		} else if (ch < 0x80) {
			o += (size_t)snprintf(out + o, cap - o, "\\%03o", ch);
		} else if (u) {
			memcpy(out + o, s + i, u);
			o += u, i += u - 1;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
		}
	}
	out[o] = '\0';
}

static void name_finish(dns_name *n)
{
	const char *special = n->status == NAME_LOOP   ? "<Name contains a pointer that loops>"
			      : n->status == NAME_LONG ? "<Name too long>"
			      : n->rawlen == 0	       ? "<Root>"
						       : NULL;
	if (special) {
		snprintf(n->text, sizeof n->text, "%s", special);
		n->textlen = (uint32_t)strlen(special);
	} else {
		escape_text(n->text, sizeof n->text, (const uint8_t *)n->raw, n->rawlen);
		n->textlen = n->rawlen;
	}
	n->labels = 1;
	for (const char *p = n->text; *p; p++)
		n->labels += *p == '.';
}

/*
 * Follow one compression pointer; false when it points outside the message.
 * A pointer to a place already visited is a loop (the walk from there would
 * repeat forever), which is found at once instead of after reading the
 * whole message again and again: that made a 10,000-question message with
 * looping names cost seconds.
 */
static bool name_jump(const dns_msg *m, nm_cursor *c, uint8_t hi, uint32_t *seen, unsigned *njumps, bool *loop)
{
	uint8_t lo = nm_cur_u8(c);
	uint32_t to = m->start + ((uint32_t)(hi & 0x3f) << 8 | lo);
	if (c->err || to >= m->end)
		return false;
	for (unsigned i = 0; i < *njumps; i++)
		if (seen[i] == to)
			*loop = true;
	if (*njumps == NAME_MAX_JUMPS)
		*loop = true; /* a valid name (<= 255 bytes) needs far fewer */
	else
		seen[(*njumps)++] = to;
	c->pos = to;
	return true;
}

/*
 * Where the labels from `at` lead once a name is already too long to show:
 * Wireshark reads on to the end (an invalid label type there throws, and
 * ends the message), but re-reading a long chain for every name pointing
 * into it is quadratic.  So each label position's outcome is remembered in
 * m->tails (one byte per message byte): every position is walked once.
 */
enum { TAIL_UNKNOWN, TAIL_WALKING, TAIL_OK, TAIL_BAD, TAIL_CUT, TAIL_LOOP };

static uint32_t tail_step(const dns_msg *m, uint32_t at, int *outcome)
{
	nm_cursor c = nm_cursor_make(m->pk->data, at, m->end);
	uint8_t len = nm_cur_u8(&c);
	*outcome = c.err ? TAIL_CUT : len == 0 ? TAIL_OK : TAIL_UNKNOWN;
	if (*outcome != TAIL_UNKNOWN)
		return at;
	if ((len & 0xc0) == 0xc0) {
		uint32_t to = m->start + ((uint32_t)(len & 0x3f) << 8 | nm_cur_u8(&c));
		if (c.err || to >= m->end)
			*outcome = TAIL_CUT;
		return to;
	}
	if (len & 0xc0)
		*outcome = TAIL_BAD;
	else if (!nm_cur_skip(&c, len))
		*outcome = TAIL_CUT;
	return c.pos;
}

static int name_tail(dns_msg *m, uint32_t at)
{
	if (at >= m->end)
		return TAIL_CUT;
	if (!m->tails && !(m->tails = calloc(m->end - m->start, 1)))
		return TAIL_OK; /* no memory: show the name as it stands */
	int out = TAIL_UNKNOWN;
	uint32_t p = at;
	while (out == TAIL_UNKNOWN) {
		if (p >= m->end) {
			out = TAIL_CUT;
			break;
		}
		uint8_t *st = &m->tails[p - m->start];
		if (*st != TAIL_UNKNOWN) {
			out = *st == TAIL_WALKING ? TAIL_LOOP : *st;
			break;
		}
		*st = TAIL_WALKING;
		p = tail_step(m, p, &out);
	}
	/* The walk is deterministic: take the same path again to record it. */
	for (p = at; m->tails[p - m->start] == TAIL_WALKING;) {
		int dummy;
		m->tails[p - m->start] = (uint8_t)out;
		p = tail_step(m, p, &dummy);
		if (p >= m->end)
			break;
	}
	return out;
}

static void name_blank(dns_name *n)
{
	n->text[0] = '\0', n->textlen = 0, n->labels = 0;
}

/*
 * Decode the name at `at`.  Returns NM_OK, NM_TRUNCATED (a label or pointer
 * runs past the message) or NM_MALFORMED (label types 0x40/0x80).  The work
 * is bounded: labels are read once per pointer target, and a target seen
 * twice ends the name as a loop.
 */
static int walk_name(dns_msg *m, uint32_t at, dns_name *n)
{
	nm_cursor c = nm_cursor_make(m->pk->data, at, m->end);
	uint32_t targets[NAME_MAX_JUMPS];
	unsigned njumps = 0;
	bool jumped = false, loop = false;
	n->rawlen = 0, n->status = NAME_OK;
	for (;;) {
		uint8_t len = nm_cur_u8(&c);
		if (c.err)
			return NM_TRUNCATED;
		if (len == 0)
			break;
		if ((len & 0xc0) == 0x40 || (len & 0xc0) == 0x80)
			return NM_MALFORMED;
		if (len < 0x40) {
			const uint8_t *label = nm_cur_take(&c, len);
			if (!label)
				return NM_TRUNCATED;
			name_append(n, label, len, !m->skim);
			/* Too long already, and its wire length is known: the rest
			 * cannot change what is shown, only whether it is valid,
			 * which name_tail knows without re-reading the chain. */
			if (n->status == NAME_LONG && jumped) {
				int tail = name_tail(m, c.pos);
				if (tail == TAIL_BAD)
					return NM_MALFORMED;
				if (tail == TAIL_CUT)
					return NM_TRUNCATED;
				if (tail == TAIL_LOOP)
					n->status = NAME_LOOP;
				break;
			}
			continue;
		}
		if (!jumped)
			n->wirelen = c.pos + 1 - at;
		jumped = true;
		if (!name_jump(m, &c, len, targets, &njumps, &loop))
			return NM_TRUNCATED;
		if (loop) {
			n->status = NAME_LOOP;
			break;
		}
	}
	if (!jumped)
		n->wirelen = c.pos - at;
	if (m->skim)
		name_blank(n);
	else
		name_finish(n);
	return NM_OK;
}

/* Whether the name at `at` is a lone pointer to a place in the message. */
static bool name_is_pointer(const dns_msg *m, uint32_t at, uint32_t *to)
{
	nm_cursor c = nm_cursor_make(m->pk->data, at, m->end);
	uint8_t hi = nm_cur_u8(&c), lo = nm_cur_u8(&c);
	*to = m->start + ((uint32_t)(hi & 0x3f) << 8 | lo);
	return !c.err && (hi & 0xc0) == 0xc0 && *to < m->end;
}

/*
 * A name that is only a pointer is walked from its target in the same
 * state every time (nothing shown yet, one target seen), so its outcome
 * depends on the target alone.  Skimming, that outcome is all we need:
 * remember the last one.  A crafted message of 64,259 questions each
 * pointing at one 250-character chain otherwise reads the chain once per
 * question: most of what DNS cost in the ingest benchmark even skimming.
 */
static int read_name(dns_msg *m, uint32_t at, dns_name *n)
{
	uint32_t to;
	bool memo = m->skim && name_is_pointer(m, at, &to);
	if (memo && m->memo_set && m->memo_to == to) {
		n->wirelen = 2;
		name_blank(n);
		return m->memo_r;
	}
	int r = walk_name(m, at, n);
	if (memo)
		m->memo_set = true, m->memo_to = to, m->memo_r = r;
	return r;
}

/* ---- small helpers ---- */

static void set_err(dns_msg *m, int r)
{
	if (r != NM_OK && m->err == NM_OK)
		m->err = r;
}

static const char *type_name(uint16_t type, char *buf, size_t n)
{
	const char *s = nm_val_label(type_vals, type, NULL);
	if (s)
		return s;
	snprintf(buf, n, "Unknown (%u)", type);
	return buf;
}

/* Add a name-valued field for the name at `at`; returns its wire length, or
 * 0 with m->err set when it cannot be read. */
static uint32_t add_name(dns_msg *m, int t, int f, uint32_t at, dns_name *n)
{
	int r = read_name(m, at, n);
	if (r != NM_OK) {
		set_err(m, r);
		return 0;
	}
	nm_add_string(m->pk, t, &fields[f], at, n->wirelen, n->text);
	return n->wirelen;
}

/* ---- header ---- */

/* LLMNR's flag word (RFC 4795 2.1.1): C, TC, T, then zeros and RCODE. */
static void add_llmnr_flags(nm_packet *pk, int f, uint32_t at, uint16_t flags)
{
	nm_add_bool(pk, f, &fields[F_FL_CONFLICT], at, 2, flags);
	nm_add_bool(pk, f, &fields[F_FL_TRUNC], at, 2, flags);
	nm_add_bool(pk, f, &fields[F_FL_TENTATIVE], at, 2, flags);
	if (flags & 0x8000)
		nm_add_uint(pk, f, &fields[F_FL_RCODE], at, 2, flags);
}

static void add_flags(dns_msg *m, int t, uint32_t at, uint16_t flags)
{
	nm_packet *pk = m->pk;
	bool resp = flags & 0x8000;
	int f = nm_add_uint(pk, t, &fields[F_FLAGS], at, 2, flags);
	nm_add_bool(pk, f, &fields[F_FL_RESPONSE], at, 2, flags);
	nm_add_uint(pk, f, &fields[F_FL_OPCODE], at, 2, flags);
	if (m->llmnr) {
		add_llmnr_flags(pk, f, at, flags);
		return;
	}
	if (resp)
		nm_add_bool(pk, f, &fields[m->mdns ? F_FL_CONFLICT : F_FL_AUTH], at, 2, flags);
	nm_add_bool(pk, f, &fields[F_FL_TRUNC], at, 2, flags);
	nm_add_bool(pk, f, &fields[m->mdns && !resp ? F_FL_TENTATIVE : F_FL_RD], at, 2, flags);
	if (resp)
		nm_add_bool(pk, f, &fields[F_FL_RA], at, 2, flags);
	nm_add_bool(pk, f, &fields[F_FL_Z], at, 2, flags);
	if (resp || (flags & 0x20)) /* a query shows AD only when set */
		nm_add_bool(pk, f, &fields[F_FL_AD], at, 2, flags);
	nm_add_bool(pk, f, &fields[F_FL_CD], at, 2, flags);
	if (resp)
		nm_add_uint(pk, f, &fields[F_FL_RCODE], at, 2, flags);
}

static void set_info_head(dns_msg *m, uint16_t id, uint16_t flags)
{
	unsigned op = (flags >> 11) & 0xf, rc = flags & 0xf;
	char buf[48];
	const char *opname = nm_val_label(opcode_vals, op, NULL);
	if (!opname)
		snprintf(buf, sizeof buf, "Unknown operation (%u)", op), opname = buf;
	nm_set_info(m->pk, "%s%s 0x%04x", opname, flags & 0x8000 ? " response" : "", id);
	if ((flags & 0x8000) && rc) {
		const char *rcname = nm_val_label(rcode_vals, rc, NULL);
		if (rcname)
			nm_append_info(m->pk, " %s", rcname);
		else
			nm_append_info(m->pk, " Unknown error (%u)", rc);
	}
	m->info_len = 0;
	info_sync(m);
}

/* ---- questions ---- */

static const char *class_name(uint16_t cls, char *buf, size_t n)
{
	const char *s = nm_val_label(class_vals, cls, NULL);
	if (s)
		return s;
	snprintf(buf, n, "Unknown");
	return buf;
}

/* One question; returns the offset after it, or 0 (m->err set). */
static uint32_t dissect_query(dns_msg *m, int parent, uint32_t at)
{
	dns_name n;
	int r = read_name(m, at, &n);
	nm_cursor c = nm_cursor_make(m->pk->data, at + n.wirelen, m->end);
	uint16_t type = nm_cur_be16(&c), cls = nm_cur_be16(&c);
	if (r == NM_OK && c.err)
		r = NM_TRUNCATED;
	if (r != NM_OK) {
		set_err(m, r);
		return 0;
	}
	if (m->skim)
		return c.pos;
	char tb[24], cb[16];
	uint16_t shown_cls = m->mdns ? cls & 0x7fff : cls;
	const char *tn = type_name(type, tb, sizeof tb);
	INFO_ADD(m, " %s %s", tn, n.text);
	nm_packet *pk = m->pk;
	int q = nm_add_text(pk, parent, at, c.pos - at, "%s: type %s, class %s", n.text, tn,
			    class_name(shown_cls, cb, sizeof cb));
	nm_add_string(pk, q, &fields[F_QRY_NAME], at, n.wirelen, n.text);
	nm_add_uint(pk, q, &fields[F_QRY_NAME_LEN], at, n.wirelen, n.textlen);
	nm_add_uint(pk, q, &fields[F_LABELS], at, n.wirelen, n.labels);
	nm_add_uint(pk, q, &fields[F_QRY_TYPE], at + n.wirelen, 2, type);
	nm_add_uint(pk, q, &fields[F_QRY_CLASS], at + n.wirelen + 2, 2, shown_cls);
	if (m->mdns)
		nm_add_bool(pk, q, &fields[F_QRY_QU], at + n.wirelen + 2, 2, cls);
	return c.pos;
}

/* ---- resource record data ---- */

/* A name inside RDATA: it may point anywhere in the message. */
static bool rd_name(dns_msg *m, int t, int f, nm_cursor *rd, dns_name *n)
{
	uint32_t len = add_name(m, t, f, rd->pos, n);
	return len && nm_cur_skip(rd, len);
}

static int rd_address(dns_msg *m, int t, nm_cursor *rd, bool v6)
{
	uint32_t at = rd->pos;
	const uint8_t *a = nm_cur_take(rd, v6 ? 16 : 4);
	if (!a)
		return NM_MALFORMED;
	if (m->skim)
		return NM_OK;
	char s[48];
	if (v6) {
		nm_fmt_ipv6(s, sizeof s, a);
		nm_add_ipv6(m->pk, t, &fields[F_AAAA], at, a);
	} else {
		nm_fmt_ipv4(s, sizeof s, a);
		nm_add_ipv4(m->pk, t, &fields[F_A], at, a);
	}
	INFO_ADD(m, " %s", s);
	return NM_OK;
}

static int rd_one_name(dns_msg *m, int t, int f, nm_cursor *rd)
{
	dns_name n;
	if (!rd_name(m, t, f, rd, &n))
		return m->err ? m->err : NM_MALFORMED;
	INFO_ADD(m, " %s", n.text);
	return NM_OK;
}

static int rd_mx(dns_msg *m, int t, nm_cursor *rd)
{
	uint32_t at = rd->pos;
	uint16_t pref = nm_cur_be16(rd);
	if (rd->err)
		return NM_MALFORMED;
	nm_add_uint(m->pk, t, &fields[F_MX_PREF], at, 2, pref);
	dns_name n;
	if (!rd_name(m, t, F_MX_EXCH, rd, &n))
		return m->err ? m->err : NM_MALFORMED;
	INFO_ADD(m, " %u %s", pref, n.text);
	return NM_OK;
}

static int rd_soa(dns_msg *m, int t, nm_cursor *rd)
{
	dns_name mname, rname;
	if (!rd_name(m, t, F_SOA_MNAME, rd, &mname))
		return m->err ? m->err : NM_MALFORMED;
	INFO_ADD(m, " %s", mname.text);
	if (!rd_name(m, t, F_SOA_RNAME, rd, &rname))
		return m->err ? m->err : NM_MALFORMED;
	for (int f = F_SOA_SERIAL; f <= F_SOA_MINIMUM; f++) {
		uint32_t at = rd->pos, v = nm_cur_be32(rd);
		if (rd->err)
			return NM_MALFORMED;
		nm_add_uint(m->pk, t, &fields[f], at, 4, v);
	}
	return NM_OK;
}

static int rd_txt(dns_msg *m, int t, nm_cursor *rd)
{
	while (nm_cur_left(rd) > 0) {
		uint32_t at = rd->pos;
		uint8_t len = nm_cur_u8(rd);
		const uint8_t *s = nm_cur_take(rd, len);
		if (!s)
			return NM_MALFORMED;
		if (!m->pk->tree)
			continue;
		char text[4 * 255 + 1];
		escape_text(text, sizeof text, s, len);
		nm_add_uint(m->pk, t, &fields[F_TXT_LEN], at, 1, len);
		nm_add_string(m->pk, t, &fields[F_TXT], at + 1, len, text);
	}
	return NM_OK;
}

static int rd_srv(dns_msg *m, int t, nm_cursor *rd)
{
	uint32_t at = rd->pos;
	uint16_t prio = nm_cur_be16(rd), weight = nm_cur_be16(rd), port = nm_cur_be16(rd);
	if (rd->err)
		return NM_MALFORMED;
	nm_add_uint(m->pk, t, &fields[F_SRV_PRIORITY], at, 2, prio);
	nm_add_uint(m->pk, t, &fields[F_SRV_WEIGHT], at + 2, 2, weight);
	nm_add_uint(m->pk, t, &fields[F_SRV_PORT], at + 4, 2, port);
	dns_name n;
	if (!rd_name(m, t, F_SRV_TARGET, rd, &n))
		return m->err ? m->err : NM_MALFORMED;
	INFO_ADD(m, " %u %u %u %s", prio, weight, port, n.text);
	return NM_OK;
}

/* tshark prints an empty byte field as "<MISSING>"; so do we. */
static void add_bytes_or_missing(dns_msg *m, int t, int f, uint32_t at, uint32_t len, const uint8_t *d)
{
	if (len)
		nm_add_bytes(m->pk, t, &fields[f], at, len, d);
	else
		nm_add_string(m->pk, t, &fields[f], at, 0, "<MISSING>");
}

static void opt_cookie(dns_msg *m, int o, uint32_t at, uint16_t len, const uint8_t *d)
{
	uint16_t client = len < 8 ? len : 8;
	nm_add_bytes(m->pk, o, &fields[F_OPT_COOKIE_CLIENT], at, client, d);
	if (len >= 8)
		add_bytes_or_missing(m, o, F_OPT_COOKIE_SERVER, at + 8, len - 8u, d + 8);
}

static int rd_opt(dns_msg *m, int t, nm_cursor *rd)
{
	while (nm_cur_left(rd) > 0) {
		uint32_t at = rd->pos;
		uint16_t code = nm_cur_be16(rd), len = nm_cur_be16(rd);
		const uint8_t *d = nm_cur_take(rd, len);
		if (rd->err)
			return NM_MALFORMED;
		if (!m->pk->tree)
			continue;
		int o = nm_add_text(m->pk, t, at, 4u + len, "Option: %s", nm_val_label(opt_code_vals, code, "Unknown"));
		nm_add_uint(m->pk, o, &fields[F_OPT_CODE], at, 2, code);
		nm_add_uint(m->pk, o, &fields[F_OPT_LEN], at + 2, 2, len);
		add_bytes_or_missing(m, o, F_OPT_DATA, at + 4, len, d);
		if (code == 10)
			opt_cookie(m, o, at + 4, len, d);
		else if (code == 12)
			nm_add_bytes(m->pk, o, &fields[F_OPT_PADDING], at + 4, len, d);
	}
	return NM_OK;
}

/* Whether Wireshark shows this type's RDATA as plain dns.data: unknown
 * types and these known ones (measured with tshark 4.0).  Other known types
 * have fields of their own there, so when we do not decode them we show
 * nothing rather than a field tshark would not have. */
static bool shown_as_data(uint16_t type)
{
	static const uint16_t raw[] = {0,   31,	 32,  34,  40,	53,  56,  57,  58,  100, 101,  102,
				       103, 251, 252, 253, 254, 255, 256, 258, 259, 260, 32768};
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
		if (raw[i] == type)
			return true;
	return !nm_val_label(type_vals, type, NULL);
}

static int rd_data(dns_msg *m, int t, uint16_t type, nm_cursor *rd)
{
	uint32_t at = rd->pos, n = nm_cur_left(rd);
	if (n && m->pk->tree && shown_as_data(type))
		nm_add_bytes(m->pk, t, &fields[F_DATA], at, n, nm_cur_take(rd, n));
	return NM_OK;
}

static int dissect_rdata(dns_msg *m, int t, uint16_t type, nm_cursor *rd)
{
	switch (type) {
	case 1:
		return rd_address(m, t, rd, false);
	case 28:
		return rd_address(m, t, rd, true);
	case 2:
		return rd_one_name(m, t, F_NS, rd);
	case 5:
		return rd_one_name(m, t, F_CNAME, rd);
	case 12:
		return rd_one_name(m, t, F_PTR, rd);
	case 6:
		return rd_soa(m, t, rd);
	case 15:
		return rd_mx(m, t, rd);
	case 16:
		return rd_txt(m, t, rd);
	case 33:
		return rd_srv(m, t, rd);
	case 41:
		return rd_opt(m, t, rd);
	default:
		return rd_data(m, t, type, rd);
	}
}

/* ---- resource records ---- */

typedef struct rr_head {
	uint16_t type, cls, rdlen;
	uint32_t ttl;
} rr_head;

/* SRV owners ("_sip._tcp.example.com") are shown split in three, as
 * Wireshark does; other owners as dns.resp.name. */
static void add_owner(dns_msg *m, int t, uint32_t at, const dns_name *n, uint16_t type)
{
	const char *a = strchr(n->text, '.'), *b = a ? strchr(a + 1, '.') : NULL;
	if (type != 33 || !b || n->status != NAME_OK) {
		nm_add_string(m->pk, t, &fields[F_RESP_NAME], at, n->wirelen, n->text);
		return;
	}
	char part[sizeof n->text];
	snprintf(part, sizeof part, "%.*s", (int)(a - n->text), n->text);
	nm_add_string(m->pk, t, &fields[F_SRV_SERVICE], at, n->wirelen, part);
	snprintf(part, sizeof part, "%.*s", (int)(b - a - 1), a + 1);
	nm_add_string(m->pk, t, &fields[F_SRV_PROTO], at, n->wirelen, part);
	nm_add_string(m->pk, t, &fields[F_SRV_NAME], at, n->wirelen, b + 1);
}

/* OPT reuses CLASS as the UDP payload size and TTL as extended RCODE,
 * version and flags (RFC 6891). */
static void add_rr_head(dns_msg *m, int t, uint32_t at, const rr_head *h)
{
	nm_packet *pk = m->pk;
	nm_add_uint(pk, t, &fields[F_RESP_TYPE], at, 2, h->type);
	if (h->type == 41) {
		nm_add_uint(pk, t, &fields[F_UDP_PAYLOAD], at + 2, 2, h->cls);
		nm_add_uint(pk, t, &fields[F_EXT_RCODE], at + 4, 1, h->ttl >> 24);
		nm_add_uint(pk, t, &fields[F_EDNS_VERSION], at + 5, 1, (h->ttl >> 16) & 0xff);
		int z = nm_add_uint(pk, t, &fields[F_RESP_Z], at + 6, 2, h->ttl & 0xffff);
		nm_add_bool(pk, z, &fields[F_Z_DO], at + 6, 2, h->ttl & 0xffff);
		nm_add_uint(pk, z, &fields[F_Z_RESERVED], at + 6, 2, h->ttl & 0xffff);
	} else {
		nm_add_uint(pk, t, &fields[F_RESP_CLASS], at + 2, 2, m->mdns ? h->cls & 0x7fff : h->cls);
		if (m->mdns)
			nm_add_bool(pk, t, &fields[F_RESP_CACHE_FLUSH], at + 2, 2, h->cls);
		nm_add_uint(pk, t, &fields[F_RESP_TTL], at + 4, 4, h->ttl);
	}
	nm_add_uint(pk, t, &fields[F_RESP_LEN], at + 8, 2, h->rdlen);
}

/* The record's Info text and tree node, with its name, type and class. */
static int describe_rr(dns_msg *m, int parent, uint32_t at, const dns_name *n, const rr_head *h)
{
	char tb[24], cb[16];
	const char *tn = type_name(h->type, tb, sizeof tb);
	INFO_ADD(m, " %s", tn);
	int t = nm_add_text(m->pk, parent, at, n->wirelen + 10u + h->rdlen, "%s: type %s, class %s", n->text, tn,
			    class_name(h->cls, cb, sizeof cb));
	add_owner(m, t, at, n, h->type);
	add_rr_head(m, t, at + n->wirelen, h);
	return t;
}

/* One resource record; returns the offset after it, or 0 (m->err set). */
static uint32_t dissect_rr(dns_msg *m, int parent, uint32_t at)
{
	dns_name n;
	int r = read_name(m, at, &n);
	if (r != NM_OK) {
		set_err(m, r);
		return 0;
	}
	nm_cursor c = nm_cursor_make(m->pk->data, at + n.wirelen, m->end);
	rr_head h;
	h.type = nm_cur_be16(&c), h.cls = nm_cur_be16(&c);
	h.ttl = nm_cur_be32(&c), h.rdlen = nm_cur_be16(&c);
	if (c.err) {
		set_err(m, NM_TRUNCATED);
		return 0;
	}
	int t = m->skim ? -1 : describe_rr(m, parent, at, &n, &h);
	bool clipped = h.rdlen > nm_cur_left(&c);
	nm_cursor rd = nm_cur_sub(&c, h.rdlen);
	int rr = dissect_rdata(m, t, h.type, &rd);
	if (clipped)
		set_err(m, NM_TRUNCATED);
	set_err(m, rr);
	return m->err ? 0 : c.pos;
}

/* ---- the message ---- */

typedef struct section {
	const char *title;
	int count_field;
	bool questions;
} section;

static const section std_sections[4] = {
	{"Queries", F_QDCOUNT, true},
	{"Answers", F_ANCOUNT, false},
	{"Authoritative nameservers", F_NSCOUNT, false},
	{"Additional records", F_ARCOUNT, false},
};

static const section update_sections[4] = {
	{"Zone", F_ZOCOUNT, true},
	{"Prerequisites", F_PRCOUNT, false},
	{"Updates", F_UPCOUNT, false},
	{"Additional records", F_ARCOUNT, false},
};

/* Records of one section; false once one cannot be read (the counts may
 * lie, so this stops at the first record that runs out of bytes). */
static bool dissect_section(dns_msg *m, int t, const section *s, unsigned count, uint32_t *at)
{
	if (count == 0)
		return true;
	int st = nm_add_text(m->pk, t, *at, 0, "%s", s->title);
	uint32_t from = *at;
	for (unsigned i = 0; i < count; i++) {
		uint32_t next = s->questions ? dissect_query(m, st, *at) : dissect_rr(m, st, *at);
		if (!next)
			return false;
		*at = next;
	}
	if (st >= 0)
		m->pk->tree->nodes[st].length = *at - from;
	return true;
}

static void dissect_counted(dns_msg *m, int t)
{
	nm_cursor c = nm_cursor_make(m->pk->data, m->start, m->end);
	uint16_t id = nm_cur_be16(&c), flags = nm_cur_be16(&c);
	if (c.err) {
		nm_set_info(m->pk, "%s", ""); /* tshark clears it before reading */
		set_err(m, NM_TRUNCATED);
		return;
	}
	set_info_head(m, id, flags);
	nm_add_uint(m->pk, t, &fields[F_ID], m->start, 2, id);
	add_flags(m, t, m->start + 2, flags);
	const section *secs = ((flags >> 11) & 0xf) == 5 ? update_sections : std_sections;
	/* A cut header shows the counts that are there, as tshark does. */
	uint16_t counts[4];
	for (int i = 0; i < 4; i++) {
		counts[i] = nm_cur_be16(&c);
		if (c.err) {
			set_err(m, NM_TRUNCATED);
			return;
		}
		nm_add_uint(m->pk, t, &fields[secs[i].count_field], c.pos - 2, 2, counts[i]);
	}
	uint32_t at = c.pos;
	for (int i = 0; i < 4; i++)
		if (!dissect_section(m, t, &secs[i], counts[i], &at))
			return;
}

static void dissect_message(dns_msg *m, int t)
{
	dissect_counted(m, t);
	free(m->tails);
	m->tails = NULL;
}

int nm_dns_message(nm_packet *pk, nm_cursor *c, int parent, const nm_protocol *p)
{
	dns_msg m = {.pk = pk,
		     .proto = p,
		     .start = c->pos,
		     .end = c->end,
		     .mdns = p == &nm_proto_mdns,
		     .llmnr = p == &nm_proto_llmnr,
		     .err = NM_OK};
	int t = nm_add_proto(pk, parent, p, c->pos, nm_cur_left(c));
	dissect_message(&m, t);
	c->pos = c->end;
	return m.err;
}

static int dissect_dns_udp(nm_packet *pk, nm_cursor *c, int parent)
{
	return nm_dns_message(pk, c, parent, &nm_proto_dns);
}

static int dissect_mdns(nm_packet *pk, nm_cursor *c, int parent)
{
	return nm_dns_message(pk, c, parent, &nm_proto_mdns);
}

/* DNS over TCP: messages with a 2-byte length prefix, possibly several in
 * one segment; a message cut by the segment end is dissected as far as it
 * goes and reported truncated. */
static int dissect_dns_tcp(nm_packet *pk, nm_cursor *c, int parent)
{
	int r = NM_OK;
	while (r == NM_OK && nm_cur_left(c) > 0) {
		uint32_t at = c->pos;
		uint16_t len = nm_cur_be16(c);
		if (c->err)
			return NM_TRUNCATED;
		bool cut = len > nm_cur_left(c);
		nm_cursor body = nm_cur_sub(c, len);
		int t = nm_add_proto(pk, parent, &nm_proto_dns, at, body.end - at);
		nm_add_uint(pk, t, &fields[F_LENGTH], at, 2, len);
		dns_msg m = {.pk = pk, .proto = &nm_proto_dns, .start = body.pos, .end = body.end, .err = NM_OK};
		dissect_message(&m, t);
		r = cut && m.err == NM_OK ? NM_TRUNCATED : m.err;
	}
	return r;
}

static void init_dns(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 53, &nm_proto_dns);
	nm_handoff_add(NM_TAB_TCP_PORT, 53, &nm_proto_dns);
	nm_handoff_add(NM_TAB_TCP_PORT, 5353, &nm_proto_dns);
	nm_handoff_add(NM_TAB_UDP_PORT, 5353, &nm_proto_mdns);
}

/* One protocol serves UDP and TCP (frame.protocols says "dns" for both);
 * the framing follows the layer that called us, the one before "dns" in
 * the packet's protocol list. */
static int dissect_dns(nm_packet *pk, nm_cursor *c, int parent)
{
	if (pk->nprotos >= 2 && pk->proto_ids[pk->nprotos - 2] == nm_proto_tcp.id)
		return dissect_dns_tcp(pk, c, parent);
	return dissect_dns_udp(pk, c, parent);
}

nm_protocol nm_proto_dns = {
	"dns", "DNS", "Domain Name System", fields, F_COUNT, dissect_dns, init_dns, 0,
};

nm_protocol nm_proto_mdns = {
	"mdns", "MDNS", "Multicast Domain Name System", NULL, 0, dissect_mdns, NULL, 0,
};
