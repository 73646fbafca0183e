/*
 * cursor.h - the one way parsers read packet bytes.
 *
 * Every read of frame bytes goes through a cursor, which knows the window of
 * bytes a layer may read ([start, end)) and refuses to read past it.  A failed
 * read sets the sticky `err` flag and returns zero, so a dissector can read a
 * whole header and check once ("if (c->err) goto truncated"), the way
 * tcpdump's GET_ macros let a printer bail out in one place.
 *
 * Offsets are absolute offsets into the frame, so tree items built from a
 * cursor position point at the right bytes in the hex view without any
 * translation.
 */
#ifndef NETMON_CURSOR_H
#define NETMON_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nm_cursor {
	const uint8_t *data; /* the whole frame */
	uint32_t pos;        /* absolute offset of the next read */
	uint32_t end;        /* one past the last byte this layer may read */
	bool err;            /* a read ran past `end` */
} nm_cursor;

static inline nm_cursor nm_cursor_make(const uint8_t *data, uint32_t start, uint32_t end)
{
	nm_cursor c = {data, start, end, false};
	if (start > end)
		c.err = true, c.pos = end;
	return c;
}

/* Bytes left to read. */
static inline uint32_t nm_cur_left(const nm_cursor *c)
{
	return c->end - c->pos;
}

/* True when `n` more bytes can be read; never sets err. */
static inline bool nm_cur_has(const nm_cursor *c, uint32_t n)
{
	return n <= c->end - c->pos;
}

/* Reserve `n` bytes: returns a pointer to them, or NULL and sets err. */
static inline const uint8_t *nm_cur_take(nm_cursor *c, uint32_t n)
{
	if (c->err || n > c->end - c->pos) {
		c->err = true;
		return NULL;
	}
	const uint8_t *p = c->data + c->pos;
	c->pos += n;
	return p;
}

static inline bool nm_cur_skip(nm_cursor *c, uint32_t n)
{
	return nm_cur_take(c, n) != NULL;
}

static inline uint8_t nm_cur_u8(nm_cursor *c)
{
	const uint8_t *p = nm_cur_take(c, 1);
	return p ? p[0] : 0;
}

static inline uint16_t nm_cur_be16(nm_cursor *c)
{
	const uint8_t *p = nm_cur_take(c, 2);
	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint32_t nm_cur_be24(nm_cursor *c)
{
	const uint8_t *p = nm_cur_take(c, 3);
	return p ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : 0;
}

static inline uint32_t nm_cur_be32(nm_cursor *c)
{
	const uint8_t *p = nm_cur_take(c, 4);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

static inline uint64_t nm_cur_be64(nm_cursor *c)
{
	uint64_t hi = nm_cur_be32(c);
	return hi << 32 | nm_cur_be32(c);
}

static inline uint16_t nm_cur_le16(nm_cursor *c)
{
	const uint8_t *p = nm_cur_take(c, 2);
	return p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

static inline uint32_t nm_cur_le32(nm_cursor *c)
{
	const uint8_t *p = nm_cur_take(c, 4);
	return p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0] : 0;
}

/* Look at a byte `off` bytes ahead without consuming; `ok` is false past end. */
static inline uint8_t nm_cur_peek(const nm_cursor *c, uint32_t off, bool *ok)
{
	if (c->err || off >= c->end - c->pos) {
		*ok = false;
		return 0;
	}
	*ok = true;
	return c->data[c->pos + off];
}

/*
 * A sub-cursor over the next `n` bytes (clipped to what this cursor has);
 * the caller's cursor is advanced past them.  Used where a length field
 * bounds an inner structure (an IP payload, a DNS record's RDATA).
 */
static inline nm_cursor nm_cur_sub(nm_cursor *c, uint32_t n)
{
	uint32_t avail = c->err ? 0 : c->end - c->pos;
	uint32_t take = n < avail ? n : avail;
	nm_cursor s = nm_cursor_make(c->data, c->pos, c->pos + take);
	c->pos += take;
	return s;
}

#endif
