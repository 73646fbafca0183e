/*
 * text_lines.c - bounded line reading and string rendering for text
 * protocols.  Nothing here reads outside [c->pos, c->end).
 */
#include <stdlib.h>
#include <string.h>

#include "text_lines.h"

bool nm_line_next(nm_cursor *c, nm_line *ln)
{
	if (c->err || c->pos >= c->end)
		return false;
	const uint8_t *b = c->data + c->pos;
	uint32_t n = c->end - c->pos;
	const uint8_t *lf = memchr(b, '\n', n);
	ln->off = c->pos;
	if (!lf) {
		ln->len = n;
		ln->eol = 0;
		c->pos = c->end;
		return true;
	}
	uint32_t i = (uint32_t)(lf - b);
	ln->len = i > 0 && b[i - 1] == '\r' ? i - 1 : i;
	ln->eol = i + 1 - ln->len;
	c->pos += i + 1;
	return true;
}

uint32_t nm_text_token(const uint8_t *b, uint32_t n, uint32_t *rest)
{
	uint32_t i = 0;
	while (i < n && b[i] != ' ')
		i++;
	uint32_t j = i;
	while (j < n && b[j] == ' ')
		j++;
	if (rest)
		*rest = j;
	return i;
}

/* Length of a valid UTF-8 sequence at b (n bytes available), or 0. */
static uint32_t utf8_len(const uint8_t *b, uint32_t n)
{
	uint32_t len;
	uint32_t cp;
	if (b[0] >= 0xc2 && b[0] <= 0xdf)
		len = 2, cp = b[0] & 0x1f;
	else if (b[0] >= 0xe0 && b[0] <= 0xef)
		len = 3, cp = b[0] & 0x0f;
	else if (b[0] >= 0xf0 && b[0] <= 0xf4)
		len = 4, cp = b[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (uint32_t i = 1; i < len; i++) {
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (b[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Append `s` (k bytes) if it fits whole; false when out is full. */
static bool put(char *out, size_t size, size_t *used, const char *s, size_t k)
{
	if (*used + k + 1 > size)
		return false;
	memcpy(out + *used, s, k);
	*used += k;
	return true;
}

static const char *escape_of(uint8_t ch)
{
	switch (ch) {
	case '\t':
		return "\\t";
	case '\r':
		return "\\r";
	case '\n':
		return "\\n";
	default:
		return NULL;
	}
}

/* Render the character at b[0] (n bytes available) into out; returns the
 * bytes consumed, or 0 when out is full. */
static uint32_t render_one(char *out, size_t size, size_t *used, const uint8_t *b, uint32_t n, bool utf8, bool info)
{
	static const char repl[] = "\xef\xbf\xbd";
	const char *e = escape_of(b[0]);
	if (e)
		return put(out, size, used, e, 2) ? 1 : 0;
	if (b[0] >= 0x80) {
		uint32_t k = utf8 ? utf8_len(b, n) : 0;
		if (k)
			return put(out, size, used, (const char *)b, k) ? k : 0;
		return put(out, size, used, repl, 3) ? 1 : 0;
	}
	if (info && (b[0] < 0x20 || b[0] == 0x7f)) {
		char oct[4] = {'\\', (char)('0' + (b[0] >> 6)), (char)('0' + ((b[0] >> 3) & 7)),
		               (char)('0' + (b[0] & 7))};
		return put(out, size, used, oct, 4) ? 1 : 0;
	}
	return put(out, size, used, (const char *)b, 1) ? 1 : 0;
}

static void render(char *out, size_t size, const uint8_t *b, uint32_t n, bool utf8, bool info)
{
	size_t used = 0;
	if (!size)
		return;
	for (uint32_t i = 0; i < n && b[i];) {
		uint32_t k = render_one(out, size, &used, b + i, n - i, utf8, info);
		if (!k)
			break;
		i += k;
	}
	out[used] = '\0';
}

void nm_text_render(char *out, size_t size, const uint8_t *b, uint32_t n, bool utf8)
{
	render(out, size, b, n, utf8, false);
}

void nm_text_info(char *out, size_t size, const uint8_t *b, uint32_t n)
{
	render(out, size, b, n, true, true);
}

int nm_add_text_bytes(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *b, uint32_t n,
                      bool utf8)
{
	if (!pk->tree)
		return -1;
	char small[512];
	size_t need = (size_t)n * 3 + 1; /* worst case: every byte U+FFFD */
	char *v = need <= sizeof small ? small : malloc(need);
	if (!v)
		return -1;
	nm_text_render(v, need, b, n, utf8);
	int r = nm_add_string(pk, parent, f, off, n, v);
	if (v != small)
		free(v);
	return r;
}

bool nm_text_ieq(const uint8_t *b, uint32_t n, const char *s)
{
	if (strlen(s) != n)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t x = b[i], y = (uint8_t)s[i];
		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

bool nm_text_uint(const uint8_t *b, uint32_t n, uint32_t *v)
{
	if (n == 0 || n > 9)
		return false;
	uint32_t x = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (b[i] < '0' || b[i] > '9')
			return false;
		x = x * 10 + (uint32_t)(b[i] - '0');
	}
	*v = x;
	return true;
}
