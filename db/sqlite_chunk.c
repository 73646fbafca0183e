/*
 * sqlite_chunk.c - packs the bytes of consecutive frames into one chunk:
 * one append to the frames file and one frame_data row per chunk.
 *
 * A chunk holds frames first_number .. first_number + count - 1 of one
 * capture, with no gaps; a gap, another capture, a full chunk or a commit
 * starts a new chunk.
 *
 * The chunk's chunk_keys rows (its distinct protocols / flow pairs, each
 * with its first and last frame) are gathered here as frames come and
 * written with the frame_data row.  A trigger used to compute them by
 * reading the chunk's frames rows back and grouping them: about a third of
 * the writer's time.
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

static int write_keys(sq_store *s, sqlite3_stmt *st, const sq_chunk *c)
{
	sqlite3_bind_int64(st, 1, c->capture_id);
	sqlite3_bind_int64(st, 2, (int64_t)c->first_number);
	for (uint32_t i = 0; i < c->nkeys; i++) {
		const sq_chunk_key *k = &c->keys[i];
		sqlite3_bind_int64(st, 3, k->protocols);
		sqlite3_bind_int64(st, 4, k->flow_id);
		sqlite3_bind_int64(st, 5, (int64_t)k->lo);
		sqlite3_bind_int64(st, 6, (int64_t)k->hi);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return sq_fail_db(s, "storing chunk keys");
	}
	return 0;
}

static int insert_chunk(sq_store *s, sqlite3_stmt *st, const sq_chunk *c, uint64_t at)
{
	uint8_t offs[4 * (SQ_CHUNK_FRAMES + 1)];
	for (uint32_t i = 0; i <= c->count; i++)
		put_le32(offs + 4 * i, c->offsets[i]);
	sqlite3_bind_int64(st, 1, c->capture_id);
	sqlite3_bind_int64(st, 2, (int64_t)c->first_number);
	sqlite3_bind_int(st, 3, (int)c->count);
	sqlite3_bind_int64(st, 4, (int64_t)at);
	sqlite3_bind_int64(st, 5, (int64_t)c->len);
	sqlite3_bind_blob(st, 6, offs, (int)(4 * (c->count + 1)), SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "storing frame bytes");
}

/* Once its bytes are handed to the file (sq_data_append) the chunk is done
 * with, stored or not. */
int sq_chunk_write(sq_store *s)
{
	sq_chunk *c = &s->chunk;
	uint64_t at;
	if (!c->count)
		return 0;
	sqlite3_stmt *ins = sq_stmt(s, SQ_CHUNK_INS);
	sqlite3_stmt *keys = sq_stmt(s, SQ_CHUNK_KEY_INS);
	if (!ins || !keys || sq_data_append(s, &c->data, &c->cap, c->len, &at))
		return -1;
	int rc = insert_chunk(s, ins, c, at);
	if (!rc)
		rc = write_keys(s, keys, c);
	c->count = 0;
	c->len = 0;
	return rc;
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

static uint32_t key_hash(int64_t protocols, int64_t flow_id)
{
	uint64_t h = ((uint64_t)flow_id ^ ((uint64_t)protocols << 40)) * 0x9e3779b97f4a7c15u;
	return (uint32_t)(h >> 40) & (SQ_KEY_SLOTS - 1);
}

/* Frames come in number order, so the first frame with a key is its lo
 * and the latest its hi.  A chunk has at most SQ_CHUNK_FRAMES keys and
 * twice as many slots, so an empty slot is always found. */
static void note_key(sq_chunk *c, int64_t protocols, int64_t flow_id, uint64_t number)
{
	uint32_t i = key_hash(protocols, flow_id);
	for (uint16_t k; (k = c->key_slot[i]) != 0; i = (i + 1) & (SQ_KEY_SLOTS - 1)) {
		sq_chunk_key *e = &c->keys[k - 1];
		if (e->protocols == protocols && e->flow_id == flow_id) {
			e->hi = number;
			return;
		}
	}
	c->keys[c->nkeys] = (sq_chunk_key){protocols, flow_id, number, number};
	c->key_slot[i] = (uint16_t)++c->nkeys;
}

static void start_chunk(sq_chunk *c, int64_t capture_id, uint64_t number)
{
	c->capture_id = capture_id;
	c->first_number = number;
	c->offsets[0] = 0;
	c->nkeys = 0;
	memset(c->key_slot, 0, sizeof c->key_slot);
}

/* protocols_id: f's interned protocols string (0 for none), as stored in
 * its frames row. */
int sq_chunk_append(sq_store *s, int64_t capture_id, const nm_frame_rec *f, int64_t protocols_id)
{
	sq_chunk *c = &s->chunk;
	if (!continues(c, capture_id, f) && sq_chunk_write(s))
		return -1;
	if (reserve(s, c->len + f->caplen))
		return -1;
	if (!c->count)
		start_chunk(c, capture_id, f->number);
	if (f->caplen)
		memcpy(c->data + c->len, f->bytes, f->caplen);
	c->len += f->caplen;
	c->offsets[++c->count] = (uint32_t)c->len;
	c->next_number = f->number + 1;
	note_key(c, protocols_id, f->flow_id, f->number);
	return 0;
}
