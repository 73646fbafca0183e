/*
 * textfmt.c - tshark-compatible text renderings for the application
 * parsers (see textfmt.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "textfmt.h"

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static unsigned utf8_seq(const uint8_t *s, uint32_t n)
{
	unsigned len = 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	if (len == 0 || len > n)
		return 0;
	for (unsigned i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void nm_text_escape(char *out, size_t cap, const uint8_t *s, uint32_t n)
{
	static const char cesc[] = "abtnvfr"; /* bytes 7..13 */
	size_t o = 0;
	if (!cap)
		return;
	for (uint32_t i = 0; i < n && o + 5 < cap; i++) {
		uint8_t ch = s[i];
		unsigned u = ch >= 0x80 ? utf8_seq(s + i, n - i) : 0;
		if (ch == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (ch >= 0x20 && ch < 0x7f) {
			out[o++] = (char)ch;
		} else if (ch >= 7 && ch <= 13) {
			out[o++] = '\\';
			out[o++] = cesc[ch - 7];
		} else if (ch < 0x80) {
			o += (size_t)snprintf(out + o, cap - o, "\\%03o", ch);
		} else if (u) {
			memcpy(out + o, s + i, u);
			o += u;
			i += u - 1;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
		}
	}
	out[o] = '\0';
}

void nm_textz_escape(char *out, size_t cap, const uint8_t *s, uint32_t n)
{
	const uint8_t *nul = memchr(s, 0, n);
	nm_text_escape(out, cap, s, nul ? (uint32_t)(nul - s) : n);
}

void nm_fmt_abstime(char *out, size_t cap, int64_t secs, uint32_t nsecs)
{
	static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)secs;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(out, cap, "Not representable");
		return;
	}
	snprintf(out, cap, "%s %2d, %d %02d:%02d:%02d.%09u UTC", mon[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, nsecs);
}

int nm_add_text_field(nm_packet *pk, int parent, const nm_field *f, nm_cursor *c, uint32_t n, int z)
{
	uint32_t at = c->pos;
	const uint8_t *p = nm_cur_take(c, n);
	if (!p || !pk->tree)
		return -1;
	char buf[4 * 512 + 1];
	uint32_t shown = n > 512 ? 512 : n;
	if (z)
		nm_textz_escape(buf, sizeof buf, p, shown);
	else
		nm_text_escape(buf, sizeof buf, p, shown);
	return nm_add_string(pk, parent, f, at, n, buf);
}
