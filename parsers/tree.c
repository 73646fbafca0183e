/*
 * tree.c - protocol trees and the tshark-compatible rendering of values.
 *
 * Values are rendered once, when a node is added, into the tree's string
 * arena.  The rendering is tshark's `-T fields` one, because that is the
 * oracle our tests compare with and what users paste into filters:
 * unsigned integers in decimal, or "0x" plus two hex digits per byte of the
 * field type for BASE_HEX; booleans as 1/0; MACs with colons; byte strings
 * as unseparated lower-case hex; times as seconds with nine decimals.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"

/* The common adders run for every frame on the ingest path, where there is
 * no tree: they test that before the out-of-line body sets up its frame
 * (six saved registers and ~700 bytes of buffers, on every call). */
#define NOINLINE __attribute__((noinline))

nm_tree *nm_tree_new(int cap, size_t strcap)
{
	nm_tree *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->nodes = calloc((size_t)cap, sizeof *t->nodes);
	t->strbuf = malloc(strcap);
	if (!t->nodes || !t->strbuf) {
		nm_tree_free(t);
		return NULL;
	}
	t->cap = cap;
	t->strcap = strcap;
	return t;
}

void nm_tree_free(nm_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->strbuf);
	free(t);
}

/* Copy `s` into the arena; NULL when the arena is full. */
static char *arena_dup(nm_tree *t, const char *s)
{
	size_t n = strlen(s) + 1;
	if (n > t->strcap - t->strused)
		return NULL;
	char *p = t->strbuf + t->strused;
	memcpy(p, s, n);
	t->strused += n;
	return p;
}

static int add_node(nm_packet *pk, int parent, const nm_field *f, const nm_protocol *p, uint32_t off,
		    uint32_t len, const char *value, const char *label)
{
	nm_tree *t = pk->tree;
	if (t->count >= t->cap) {
		t->dropped++;
		return -1;
	}
	char *v = value ? arena_dup(t, value) : NULL;
	char *l = arena_dup(t, label);
	if ((value && !v) || !l) {
		t->dropped++;
		return -1;
	}
	nm_node *n = &t->nodes[t->count];
	n->field = f;
	n->proto = p;
	n->parent = parent;
	n->offset = off;
	n->length = len;
	n->value = v;
	n->label = l;
	n->source = pk->source;
	return t->count++;
}

/* Add a field node whose value is already rendered; the label is built from
 * the field label and `shown` (the human form, e.g. with a value label). */
static int add_field(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const char *value,
		     const char *shown)
{
	char label[512];
	if (pk->tree->no_labels)
		label[0] = '\0';
	else
		snprintf(label, sizeof label, "%s: %s", f->label, shown ? shown : value);
	return add_node(pk, parent, f, NULL, off, len, value, label);
}

int nm_add_proto(nm_packet *pk, int parent, const nm_protocol *p, uint32_t off, uint32_t len)
{
	if (!pk->tree)
		return -1;
	return add_node(pk, parent, NULL, p, off, len, NULL, p->long_name);
}

static unsigned type_bytes(nm_ftype t)
{
	switch (t) {
	case NM_FT_UINT8:
	case NM_FT_INT8:
		return 1;
	case NM_FT_UINT16:
	case NM_FT_INT16:
		return 2;
	case NM_FT_UINT24:
		return 3;
	case NM_FT_UINT64:
	case NM_FT_INT64:
		return 8;
	default:
		return 4;
	}
}

static unsigned mask_shift(uint64_t mask)
{
	unsigned s = 0;
	if (!mask)
		return 0;
	while (!(mask & 1))
		mask >>= 1, s++;
	return s;
}

/* Render an unsigned value as tshark does for the field's base. */
static void render_uint(char *out, size_t n, const nm_field *f, uint64_t v)
{
	switch (f->base) {
	case NM_BASE_HEX:
	case NM_BASE_HEX_DEC: {
		unsigned digits = type_bytes(f->type) * 2;
		if (digits + 3 > n || (digits < 16 && v >> (4 * digits))) {
			snprintf(out, n, "0x%0*" PRIx64, (int)digits, v);
			break;
		}
		out[0] = '0', out[1] = 'x';
		for (unsigned i = 0; i < digits; i++)
			out[2 + i] = "0123456789abcdef"[(v >> (4 * (digits - 1 - i))) & 15];
		out[2 + digits] = '\0';
		break;
	}
	case NM_BASE_OCT:
		snprintf(out, n, "0%" PRIo64, v);
		break;
	default: { /* the common case; snprintf dominated the cost of filtering */
		char tmp[24];
		size_t k = 0;
		do
			tmp[k++] = (char)('0' + v % 10);
		while ((v /= 10) && k < sizeof tmp);
		for (size_t i = 0; i < k && i + 1 < n; i++)
			out[i] = tmp[k - 1 - i];
		out[k < n ? k : n - 1] = '\0';
	}
	}
}

static NOINLINE int tree_uint(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, uint64_t v)
{
	if (f->mask)
		v = (v & f->mask) >> mask_shift(f->mask);
	char value[32], shown[160];
	render_uint(value, sizeof value, f, v);
	const char *lab = f->vals && !pk->tree->no_labels ? nm_val_label(f->vals, (uint32_t)v, NULL) : NULL;
	if (lab)
		snprintf(shown, sizeof shown, "%s (%s)", lab, value);
	return add_field(pk, parent, f, off, len, value, lab ? shown : NULL);
}

int nm_add_uint(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, uint64_t v)
{
	return pk->tree ? tree_uint(pk, parent, f, off, len, v) : -1;
}

static NOINLINE int tree_int(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, int64_t v)
{
	char value[32];
	snprintf(value, sizeof value, "%" PRId64, v);
	return add_field(pk, parent, f, off, len, value, NULL);
}

int nm_add_int(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, int64_t v)
{
	return pk->tree ? tree_int(pk, parent, f, off, len, v) : -1;
}

static NOINLINE int tree_bool(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, uint64_t word)
{
	bool set = f->mask ? (word & f->mask) != 0 : word != 0;
	return add_field(pk, parent, f, off, len, set ? "1" : "0", set ? "Set" : "Not set");
}

int nm_add_bool(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, uint64_t word)
{
	return pk->tree ? tree_bool(pk, parent, f, off, len, word) : -1;
}

void nm_fmt_ether(char *out, size_t n, const uint8_t *m)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[18]; /* by hand: every Ethernet frame formats two of these */
	char *p = n >= sizeof tmp ? out : tmp; /* straight into a buffer that fits */
	for (int i = 0; i < 6; i++) {
		p[3 * i] = hex[m[i] >> 4];
		p[3 * i + 1] = hex[m[i] & 15];
		p[3 * i + 2] = i < 5 ? ':' : '\0';
	}
	if (p == tmp && n) {
		memcpy(out, tmp, n - 1);
		out[n - 1] = '\0';
	}
}

void nm_fmt_ipv4(char *out, size_t n, const uint8_t *a)
{
	char tmp[16], *p = n >= sizeof tmp ? out : tmp; /* by hand: snprintf was a hot spot in filtering */
	char *start = p;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	if (start == out)
		return;
	size_t len = (size_t)(p - tmp);
	if (n) {
		memcpy(out, tmp, len < n ? len : n);
		out[n - 1 < len - 1 ? n - 1 : len - 1] = '\0';
	}
}

/* The longest run of two or more zero words (the first of equal ones), as
 * inet_ntop picks it; *len is 0 when there is none. */
static int zero_run(const uint16_t *w, int *len)
{
	int base = -1, best = 0, cur = 0;
	for (int i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			cur++;
			continue;
		}
		if (cur > best)
			best = cur, base = i - cur;
		cur = 0;
	}
	*len = best >= 2 ? best : 0;
	return best >= 2 ? base : -1;
}

static char *put_hex16(char *p, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	for (int s = v >= 0x1000 ? 12 : v >= 0x100 ? 8 : v >= 0x10 ? 4 : 0; s >= 0; s -= 4)
		*p++ = hex[(v >> s) & 15];
	return p;
}

/*
 * RFC 5952 text (lower case, longest zero run as "::"), as Wireshark shows
 * it; by hand, with glibc inet_ntop's output to the byte (including its
 * "::a.b.c.d" and "::ffff:a.b.c.d" forms): inet_ntop formats each word with
 * sprintf, a hot spot of ingest on IPv6 traffic.
 */
void nm_fmt_ipv6(char *out, size_t n, const uint8_t *a)
{
	uint16_t w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	int len, base = zero_run(w, &len);
	char tmp[48], *p = tmp;
	for (int i = 0; i < 8; i++) {
		if (base >= 0 && i >= base && i < base + len) {
			if (i == base)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && base == 0 && (len == 6 || (len == 5 && w[5] == 0xffff))) {
			nm_fmt_ipv4(p, 16, a + 12);
			p += strlen(p);
			break;
		}
		p = put_hex16(p, w[i]);
	}
	if (base >= 0 && base + len == 8)
		*p++ = ':';
	*p = '\0';
	size_t k = (size_t)(p - tmp) + 1;
	if (k <= n)
		memcpy(out, tmp, k);
	else if (n)
		out[0] = '\0'; /* inet_ntop fails when it does not fit */
}

int nm_add_ether(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *mac)
{
	if (!pk->tree)
		return -1;
	char value[20];
	nm_fmt_ether(value, sizeof value, mac);
	return add_field(pk, parent, f, off, 6, value, NULL);
}

int nm_add_ipv4(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *a)
{
	if (!pk->tree)
		return -1;
	char value[16];
	nm_fmt_ipv4(value, sizeof value, a);
	return add_field(pk, parent, f, off, 4, value, NULL);
}

int nm_add_ipv6(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *a)
{
	if (!pk->tree)
		return -1;
	char value[48];
	nm_fmt_ipv6(value, sizeof value, a);
	return add_field(pk, parent, f, off, 16, value, NULL);
}

static NOINLINE int tree_string(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const char *s)
{
	return add_field(pk, parent, f, off, len, s, NULL);
}

int nm_add_string(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const char *s)
{
	return pk->tree ? tree_string(pk, parent, f, off, len, s) : -1;
}

static NOINLINE int tree_bytes(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len,
			       const uint8_t *b)
{
	/* Long payloads are common; render at most 4 KiB of them into the arena. */
	uint32_t shown = len > 4096 ? 4096 : len;
	char *value = malloc((size_t)shown * 2 + 1);
	if (!value)
		return -1;
	static const char hex[] = "0123456789abcdef";
	for (uint32_t i = 0; i < shown; i++) {
		value[2 * i] = hex[b[i] >> 4];
		value[2 * i + 1] = hex[b[i] & 15];
	}
	value[shown * 2] = '\0';
	int r = add_field(pk, parent, f, off, len, value, NULL);
	free(value);
	return r;
}

int nm_add_bytes(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const uint8_t *b)
{
	return pk->tree ? tree_bytes(pk, parent, f, off, len, b) : -1;
}

int nm_add_double(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, double v)
{
	if (!pk->tree)
		return -1;
	char value[40];
	snprintf(value, sizeof value, "%g", v);
	return add_field(pk, parent, f, off, len, value, NULL);
}

int nm_add_time(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, int64_t ns, bool relative)
{
	(void)relative;
	if (!pk->tree)
		return -1;
	char value[40];
	const char *sign = ns < 0 ? "-" : "";
	uint64_t a = ns < 0 ? (uint64_t)(-(ns + 1)) + 1 : (uint64_t)ns;
	/* "[-]SECONDS.NNNNNNNNN", by hand (snprintf was a hot spot) */
	char digits[24], *p = value;
	size_t k = 0;
	uint64_t secs = a / 1000000000u, frac = a % 1000000000u;
	do
		digits[k++] = (char)('0' + secs % 10);
	while ((secs /= 10) && k < sizeof digits);
	if (*sign)
		*p++ = '-';
	while (k)
		*p++ = digits[--k];
	*p++ = '.';
	for (int i = 8; i >= 0; i--, frac /= 10)
		p[i] = (char)('0' + frac % 10);
	p[9] = '\0';
	return add_field(pk, parent, f, off, len, value, NULL);
}

int nm_add_text(nm_packet *pk, int parent, uint32_t off, uint32_t len, const char *fmt, ...)
{
	if (!pk->tree)
		return -1;
	char label[512];
	va_list ap;
	va_start(ap, fmt);
	if (pk->tree->no_labels)
		label[0] = '\0';
	else
		vsnprintf(label, sizeof label, fmt, ap);
	va_end(ap);
	return add_node(pk, parent, NULL, NULL, off, len, NULL, label);
}

int nm_add_none(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const char *fmt, ...)
{
	if (!pk->tree)
		return -1;
	char label[512];
	va_list ap;
	va_start(ap, fmt);
	if (pk->tree->no_labels)
		label[0] = '\0';
	else
		vsnprintf(label, sizeof label, fmt, ap);
	va_end(ap);
	return add_node(pk, parent, f, NULL, off, len, NULL, label);
}

void nm_hide(nm_packet *pk, int node)
{
	if (pk->tree && node >= 0 && node < pk->tree->count)
		pk->tree->nodes[node].hidden = true;
}
