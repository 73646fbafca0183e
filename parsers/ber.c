/*
 * ber.c - bounded BER identifier/length reader (see ber.h).
 */
#include <stdio.h>

#include "ber.h"

static bool read_tag(nm_cursor *c, nm_ber *e)
{
	uint8_t id = nm_cur_u8(c);
	e->cls = id >> 6;
	e->constructed = (id & 0x20) != 0;
	e->tag = id & 0x1f;
	if (e->tag != 0x1f)
		return !c->err;
	e->tag = 0;
	for (int i = 0; i < 5; i++) {
		uint8_t b = nm_cur_u8(c);
		if (c->err)
			return false;
		e->tag = e->tag << 7 | (b & 0x7f);
		if (!(b & 0x80))
			return true;
	}
	c->err = true; /* a tag number this large is not one we use */
	return false;
}

static bool read_len(nm_cursor *c, nm_ber *e)
{
	uint8_t b = nm_cur_u8(c);
	e->indefinite = false;
	if (c->err)
		return false;
	if (b < 0x80) {
		e->len = b;
		return true;
	}
	unsigned n = b & 0x7f;
	if (n == 0) {
		if (!e->constructed) {
			c->err = true;
			return false;
		}
		e->indefinite = true;
		e->len = nm_cur_left(c);
		return true;
	}
	if (n > 4) {
		c->err = true;
		return false;
	}
	uint32_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | nm_cur_u8(c);
	e->len = v;
	return !c->err;
}

bool nm_ber_read(nm_cursor *c, nm_ber *e)
{
	e->start = c->pos;
	if (!read_tag(c, e) || !read_len(c, e))
		return false;
	e->hdr_len = c->pos - e->start;
	return true;
}

nm_cursor nm_ber_sub(nm_cursor *c, nm_ber *e, bool *cut)
{
	bool over = c->err || e->len > nm_cur_left(c);
	if (cut)
		*cut = over;
	nm_cursor s = nm_cur_sub(c, e->len);
	e->len = nm_cur_left(&s);
	return s;
}

bool nm_ber_expect(nm_cursor *c, nm_ber *e, uint8_t cls, uint32_t tag)
{
	nm_cursor save = *c;
	if (nm_ber_read(c, e) && e->cls == cls && e->tag == tag)
		return true;
	*c = save;
	return false;
}

unsigned nm_ber_count(nm_cursor list)
{
	unsigned n = 0;
	nm_ber e;
	while (nm_cur_left(&list) && nm_ber_read(&list, &e) && nm_cur_skip(&list, e.len))
		n++;
	return n;
}

int64_t nm_ber_int(const uint8_t *p, uint32_t n)
{
	if (!n)
		return 0;
	uint64_t v = (p[0] & 0x80) ? ~(uint64_t)0 : 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

uint64_t nm_ber_uint(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Append one arc; false when the text no longer fits. */
static bool put_arc(char *out, size_t cap, size_t *o, uint64_t arc)
{
	int w = snprintf(out + *o, cap - *o, "%s%llu", *o ? "." : "", (unsigned long long)arc);
	if (w < 0 || (size_t)w >= cap - *o)
		return false;
	*o += (size_t)w;
	return true;
}

bool nm_ber_oid(char *out, size_t cap, const uint8_t *p, uint32_t n)
{
	size_t o = 0;
	uint64_t arc = 0;
	bool first = true;
	if (!cap)
		return false;
	out[0] = '\0';
	if (n == 0)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		if (arc > (UINT64_MAX >> 7))
			return false;
		arc = arc << 7 | (p[i] & 0x7f);
		if (p[i] & 0x80)
			continue;
		if (first) {
			unsigned top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
			if (!put_arc(out, cap, &o, top) || !put_arc(out, cap, &o, arc - 40u * top))
				return false;
			first = false;
		} else if (!put_arc(out, cap, &o, arc)) {
			return false;
		}
		arc = 0;
	}
	return (p[n - 1] & 0x80) == 0;
}
