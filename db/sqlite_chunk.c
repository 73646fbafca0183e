/*
 * sqlite_chunk.c - packs the bytes of consecutive frames into one chunk:
 * one append to the frames file and one frame_data row per chunk.
 *
 * A chunk holds frames first_number .. first_number + count - 1 of one
 * capture, with no gaps; a gap, another capture, a full chunk or a commit
 * starts a new chunk.
 */
#include <stdlib.h>
#include <string.h>

#include "db/sqlite_int.h"

void sq_chunk_free(sq_chunk *c)
{
	free(c->data);
	c->data = NULL;
	c->cap = c->len = 0;
	c->count = 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int sq_chunk_write(sq_store *s)
{
	sq_chunk *c = &s->chunk;
	uint64_t at;
	if (!c->count)
		return 0;
	uint8_t offs[4 * (SQ_CHUNK_FRAMES + 1)];
	for (uint32_t i = 0; i <= c->count; i++)
		put_le32(offs + 4 * i, c->offsets[i]);
	sqlite3_stmt *st = sq_stmt(s, SQ_CHUNK_INS);
	if (!st || sq_data_append(s, c->data, c->len, &at))
		return -1;
	sqlite3_bind_int64(st, 1, c->capture_id);
	sqlite3_bind_int64(st, 2, (int64_t)c->first_number);
	sqlite3_bind_int(st, 3, (int)c->count);
	sqlite3_bind_int64(st, 4, (int64_t)at);
	sqlite3_bind_int64(st, 5, (int64_t)c->len);
	sqlite3_bind_blob(st, 6, offs, (int)(4 * (c->count + 1)), SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	c->count = 0;
	c->len = 0;
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "storing frame bytes");
}

static bool continues(const sq_chunk *c, int64_t capture_id, const nm_frame_rec *f)
{
	return c->count && c->capture_id == capture_id && f->number == c->next_number &&
	       c->count < SQ_CHUNK_FRAMES && c->len + f->caplen <= SQ_CHUNK_BYTES;
}

static int reserve(sq_store *s, size_t need)
{
	sq_chunk *c = &s->chunk;
	if (need <= c->cap)
		return 0;
	size_t cap = need > SQ_CHUNK_BYTES ? need : SQ_CHUNK_BYTES;
	uint8_t *p = realloc(c->data, cap);
	if (!p)
		return nm_store_fail(&s->base, "out of memory for frame bytes");
	c->data = p;
	c->cap = cap;
	return 0;
}

int sq_chunk_append(sq_store *s, int64_t capture_id, const nm_frame_rec *f)
{
	sq_chunk *c = &s->chunk;
	if (!continues(c, capture_id, f) && sq_chunk_write(s))
		return -1;
	if (reserve(s, c->len + f->caplen))
		return -1;
	if (!c->count) {
		c->capture_id = capture_id;
		c->first_number = f->number;
		c->offsets[0] = 0;
	}
	if (f->caplen)
		memcpy(c->data + c->len, f->bytes, f->caplen);
	c->len += f->caplen;
	c->offsets[++c->count] = (uint32_t)c->len;
	c->next_number = f->number + 1;
	return 0;
}
