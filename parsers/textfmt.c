/*
 * textfmt.c - time and string-field helpers for the application parsers
 * (see textfmt.h).
 */
#include <stdio.h>
#include <time.h>

#include "text_lines.h"
#include "textfmt.h"

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

int nm_add_text_field(nm_packet *pk, int parent, const nm_field *f, nm_cursor *c, uint32_t n, bool utf8)
{
	uint32_t at = c->pos;
	const uint8_t *p = nm_cur_take(c, n);
	if (!p)
		return -1;
	return nm_add_text_bytes(pk, parent, f, at, p, n, utf8);
}
