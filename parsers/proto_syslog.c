/*
 * proto_syslog.c - BSD syslog over UDP (RFC 3164), with the RFC 5424
 * header fields where a version follows the priority.
 *
 * "<PRI>" gives facility and level; the text after it is syslog.msg.  As
 * Wireshark 4.0 does for an RFC 3164 message, a leading "Mmm dd hh:mm:ss "
 * is split into timestamp and hostname, then the tag up to ':' (which it
 * files as syslog.procid) and the rest, colon included (syslog.msgid).
 * String values stop at a NUL as tshark prints them; the Info line shows
 * the whole text escaped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "protos.h"
#include "text_lines.h"
#include "textfmt.h"

enum { F_FACILITY, F_LEVEL, F_MSG, F_VERSION, F_TS3164, F_HOSTNAME, F_APPNAME, F_PROCID, F_MSGID, F_COUNT };

static const nm_vals fac_vals[] = {
	{0, "KERN"},	 {1, "USER"},	  {2, "MAIL"},	   {3, "DAEMON"},   {4, "AUTH"},     {5, "SYSLOG"},
	{6, "LPR"},	 {7, "NEWS"},	  {8, "UUCP"},	   {9, "CRON"},	    {10, "AUTHPRIV"}, {11, "FTP"},
	{12, "NTP"},	 {13, "AUDIT"},	  {14, "ALERT"},   {15, "CRON2"},   {16, "LOCAL0"},  {17, "LOCAL1"},
	{18, "LOCAL2"},	 {19, "LOCAL3"},  {20, "LOCAL4"},  {21, "LOCAL5"},  {22, "LOCAL6"},  {23, "LOCAL7"},
	{0, NULL},
};

static const nm_vals level_vals[] = {
	{0, "EMERG"}, {1, "ALERT"}, {2, "CRIT"}, {3, "ERR"}, {4, "WARNING"}, {5, "NOTICE"}, {6, "INFO"},
	{7, "DEBUG"}, {0, NULL},
};

static const nm_field fields[] = {
	[F_FACILITY] = {"syslog.facility", "Facility", NM_FT_UINT8, NM_BASE_DEC, fac_vals, 0x3f8, "Message facility"},
	[F_LEVEL] = {"syslog.level", "Level", NM_FT_UINT8, NM_BASE_DEC, level_vals, 0x7, "Message level"},
	[F_MSG] = {"syslog.msg", "Message", NM_FT_STRING, NM_BASE_NONE, NULL, 0, "Message Text"},
	[F_VERSION] = {"syslog.version", "Syslog version", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_TS3164] = {"syslog.timestamp_rfc3164", "Syslog timestamp (RFC3164)", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
		      NULL},
	[F_HOSTNAME] = {"syslog.hostname", "Syslog hostname", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_APPNAME] = {"syslog.appname", "Syslog app name", NM_FT_STRING, NM_BASE_NONE, NULL, 0,
		       "The name of the app that generated this message"},
	[F_PROCID] = {"syslog.procid", "Syslog process id", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
	[F_MSGID] = {"syslog.msgid", "Syslog message id", NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL},
};

/* The priority: Wireshark reads '<', then up to three digits (none gives
 * 0), then an optional '>'; returns the bytes it takes, 0 without '<'. */
static uint32_t parse_pri(const uint8_t *p, uint32_t n, unsigned *pri)
{
	unsigned v = 0;
	uint32_t i = 1;
	if (n < 1 || p[0] != '<')
		return 0;
	for (; i < n && i <= 3 && isdigit(p[i]); i++)
		v = v * 10 + (p[i] - '0');
	if (i < n && p[i] == '>')
		i++;
	*pri = v;
	return i;
}

/* "Mmm dd hh:mm:ss " */
static bool is_3164_time(const uint8_t *p, uint32_t n)
{
	return n >= 16 && isalpha(p[0]) && p[3] == ' ' && p[6] == ' ' && p[9] == ':' && p[12] == ':' &&
	       p[15] == ' ';
}

static uint32_t span_until(const uint8_t *p, uint32_t n, const char *stops)
{
	uint32_t i = 0;
	while (i < n && p[i] && !strchr(stops, p[i]))
		i++;
	return i;
}

static void add_str(nm_packet *pk, int t, int f, const uint8_t *base, uint32_t at, uint32_t n)
{
	nm_cursor c = nm_cursor_make(base, at, at + n);
	nm_add_text_field(pk, t, &fields[f], &c, n, true);
}

static void dissect_3164(nm_packet *pk, int m, const uint8_t *base, uint32_t at, uint32_t n)
{
	const uint8_t *p = base + at;
	add_str(pk, m, F_TS3164, base, at, 15);
	uint32_t o = 16, h = span_until(p + o, n - o, " ");
	if (o + h >= n)
		return;
	add_str(pk, m, F_HOSTNAME, base, at + o, h);
	o += h + 1;
	uint32_t tag = span_until(p + o, n - o, ":");
	if (o + tag >= n || p[o + tag] != ':')
		return;
	add_str(pk, m, F_PROCID, base, at + o, tag);
	o += tag;
	add_str(pk, m, F_MSGID, base, at + o, n - o);
}

/* The Info text: tshark's format_text, which (unlike a field value) goes
 * on past a NUL and shows it as \000. */
static void info_text(char *out, size_t cap, const uint8_t *p, uint32_t n)
{
	size_t o = 0;
	out[0] = '\0';
	while (o + 1 < cap) {
		const uint8_t *nul = memchr(p, 0, n);
		uint32_t seg = nul ? (uint32_t)(nul - p) : n;
		nm_text_info(out + o, cap - o, p, seg);
		o += strlen(out + o);
		if (!nul)
			break;
		o += (size_t)snprintf(out + o, cap - o, "\\000");
		p += seg + 1;
		n -= seg + 1;
	}
}

static int dissect_syslog(nm_packet *pk, nm_cursor *c, int parent)
{
	uint32_t s = c->pos, n = nm_cur_left(c);
	const uint8_t *p = nm_cur_take(c, n);
	unsigned pri = 0;
	uint32_t pl = p ? parse_pri(p, n, &pri) : 0;
	int t = nm_add_proto(pk, parent, &nm_proto_syslog, s, n);
	char text[4 * 256 + 1];
	info_text(text, sizeof text, p + pl, n - pl > 256 ? 256 : n - pl);
	if (pl) {
		nm_set_info(pk, "%s.%s: %s", nm_val_label(fac_vals, pri >> 3, "UNKNOWN"),
			    nm_val_label(level_vals, pri & 7, "UNKNOWN"), text);
		nm_add_uint(pk, t, &fields[F_FACILITY], s, pl, pri);
		nm_add_uint(pk, t, &fields[F_LEVEL], s, pl, pri);
	} else {
		nm_set_info(pk, "%s", text);
	}
	if (n == pl)
		return NM_OK;
	nm_cursor mc = nm_cursor_make(pk->data, s + pl, s + n);
	int m = nm_add_text_field(pk, t, &fields[F_MSG], &mc, n - pl, true);
	if (is_3164_time(p + pl, n - pl))
		dissect_3164(pk, m, pk->data, s + pl, n - pl);
	return NM_OK;
}

static void init_syslog(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 514, &nm_proto_syslog);
}

nm_protocol nm_proto_syslog = {
	"syslog", "Syslog", "Syslog message", fields, F_COUNT, dissect_syslog, init_syslog, 0,
};
