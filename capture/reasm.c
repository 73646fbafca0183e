/* reasm.c - see reasm.h.  Fragments are rare next to whole datagrams, so a
 * linear scan of the (small, capped) slot array is enough: it also finds
 * the timed-out and least recently used datagram in the same pass. */
#include <stdlib.h>
#include <string.h>

#include "capture/reasm.h"

#define MAX_DATAGRAM 65535u /* an IPv4 payload cannot be longer */
#define MAX_PIECES   512u   /* per datagram: 8-byte fragments would be absurd */

uint32_t nm_reasm_max_datagrams = 1024;
size_t nm_reasm_max_bytes = 16u << 20;
int64_t nm_reasm_timeout_ns = 60 * (int64_t)1000000000;

struct nm_reasm_dgram {
	bool used;
	bool have_last; /* the fragment without MF was seen: `total` is known */
	uint8_t src[4], dst[4], proto;
	uint16_t id;
	uint32_t total;
	uint8_t *data;
	uint32_t size;         /* bytes allocated in data */
	nm_frag_piece *pieces; /* sorted by offset */
	uint32_t npieces, pieces_cap;
	uint64_t tick;
	int64_t first_ts;
};

static void slot_free(nm_reasm_table *t, nm_reasm_dgram *d, bool count)
{
	free(d->data);
	free(d->pieces);
	t->bytes -= d->size;
	t->count--;
	t->evicted += count;
	memset(d, 0, sizeof *d);
}

/* The slot holding f's datagram; on the way, drop the timed-out ones and
 * note the least recently used and a free slot. */
static nm_reasm_dgram *find(nm_reasm_table *t, const nm_ip_frag *f, int64_t now, nm_reasm_dgram **lru,
                            nm_reasm_dgram **free_slot)
{
	*lru = *free_slot = NULL;
	for (uint32_t i = 0; i < t->cap; i++) {
		nm_reasm_dgram *d = &t->slots[i];
		if (d->used && now - d->first_ts > t->timeout_ns)
			slot_free(t, d, true);
		if (!d->used) {
			if (!*free_slot)
				*free_slot = d;
			continue;
		}
		if (d->id == f->id && d->proto == f->proto && !memcmp(d->src, f->src, 4) && !memcmp(d->dst, f->dst, 4))
			return d;
		if (!*lru || d->tick < (*lru)->tick)
			*lru = d;
	}
	return NULL;
}

static nm_reasm_dgram *lookup(nm_reasm_table *t, const nm_ip_frag *f, int64_t now)
{
	nm_reasm_dgram *lru, *slot;
	nm_reasm_dgram *d = find(t, f, now, &lru, &slot);
	if (d)
		return d;
	if (!slot) {
		slot_free(t, lru, true);
		slot = lru;
	}
	slot->used = true;
	memcpy(slot->src, f->src, 4);
	memcpy(slot->dst, f->dst, 4);
	slot->id = f->id;
	slot->proto = f->proto;
	slot->first_ts = now;
	t->count++;
	return slot;
}

/* Room for `end` payload bytes and one more piece; false when refused. */
static bool grow(nm_reasm_table *t, nm_reasm_dgram *d, uint32_t end)
{
	if (d->npieces == d->pieces_cap) {
		if (d->pieces_cap >= MAX_PIECES)
			return false;
		uint32_t n = d->pieces_cap ? d->pieces_cap * 2 : 4;
		nm_frag_piece *p = realloc(d->pieces, n * sizeof *p);
		if (!p)
			return false;
		d->pieces = p;
		d->pieces_cap = n;
	}
	if (end <= d->size)
		return true;
	uint8_t *b = realloc(d->data, end);
	if (!b)
		return false;
	memset(b + d->size, 0, end - d->size);
	t->bytes += end - d->size;
	d->data = b;
	d->size = end;
	return true;
}

/* Make room for `need` more bytes by dropping other datagrams, LRU first. */
static void fit_bytes(nm_reasm_table *t, const nm_reasm_dgram *keep, size_t need)
{
	while (t->bytes + need > t->max_bytes) {
		nm_reasm_dgram *lru = NULL;
		for (uint32_t i = 0; i < t->cap; i++) {
			nm_reasm_dgram *d = &t->slots[i];
			if (d->used && d != keep && (!lru || d->tick < lru->tick))
				lru = d;
		}
		if (!lru)
			return;
		slot_free(t, lru, true);
	}
}

static void add_piece(nm_reasm_dgram *d, uint64_t frame, const nm_ip_frag *f)
{
	uint32_t i = d->npieces;
	while (i > 0 && d->pieces[i - 1].offset > f->offset) {
		d->pieces[i] = d->pieces[i - 1];
		i--;
	}
	d->pieces[i] = (nm_frag_piece){frame, f->offset, f->len};
	d->npieces++;
	if (f->len) /* an empty fragment may come before any byte is held */
		memcpy(d->data + f->offset, f->data, f->len);
	if (!f->more) {
		d->have_last = true;
		d->total = f->offset + f->len;
	}
}

static bool complete(const nm_reasm_dgram *d)
{
	if (!d->have_last)
		return false;
	uint32_t covered = 0;
	for (uint32_t i = 0; i < d->npieces && covered < d->total; i++) {
		if (d->pieces[i].offset > covered)
			return false;
		uint32_t end = d->pieces[i].offset + d->pieces[i].len;
		covered = end > covered ? end : covered;
	}
	return covered >= d->total;
}

static void queue_links(nm_reasm_table *t, const nm_reasm_dgram *d, uint64_t in)
{
	if (!t->keep_links)
		return;
	if (t->nlinks + d->npieces > t->links_cap) {
		size_t n = (t->links_cap ? t->links_cap * 2 : 64) + d->npieces;
		nm_frag_link *l = realloc(t->links, n * sizeof *l);
		if (!l)
			return; /* the detail view then shows the fragments as data */
		t->links = l;
		t->links_cap = n;
	}
	for (uint32_t i = 0; i < d->npieces; i++)
		t->links[t->nlinks++] = (nm_frag_link){d->pieces[i].frame, in};
}

/* Hand the finished datagram to `out`; the table keeps it until the next call. */
static void finish(nm_reasm_table *t, nm_reasm_dgram *d, uint64_t frame, nm_ip_reasm *out)
{
	queue_links(t, d, frame);
	free(t->done_data);
	free(t->done_pieces);
	t->done_data = d->data;
	t->done_len = d->total;
	t->done_pieces = d->pieces;
	out->data = d->data;
	out->len = d->total;
	out->pieces = d->pieces;
	out->npieces = d->npieces;
	d->data = NULL;
	d->pieces = NULL;
	slot_free(t, d, false);
	t->completed++;
}

static void on_fragment(nm_defrag *base, const nm_packet *pk, const nm_ip_frag *f, nm_ip_reasm *out)
{
	nm_reasm_table *t = (nm_reasm_table *)base;
	uint32_t end = f->offset + f->len;
	if (end > MAX_DATAGRAM || (f->more && f->len % 8) || end > t->max_bytes)
		return; /* cannot be part of a valid datagram */
	nm_reasm_dgram *d = lookup(t, f, pk->ts_ns);
	d->tick = ++t->tick;
	fit_bytes(t, d, end > d->size ? end - d->size : 0);
	if (!grow(t, d, end) || (d->have_last && (end > d->total || !f->more))) {
		slot_free(t, d, true); /* too many pieces, or two different ends */
		return;
	}
	add_piece(d, pk->number, f);
	if (complete(d))
		finish(t, d, pk->number, out);
	else
		out->reassembled_in = t->known_in;
}

int nm_reasm_init(nm_reasm_table *t, uint32_t cap, size_t max_bytes, int64_t timeout_ns)
{
	memset(t, 0, sizeof *t);
	t->slots = calloc(cap ? cap : 1, sizeof *t->slots);
	if (!t->slots)
		return -1;
	t->base.ipv4 = on_fragment;
	t->cap = cap ? cap : 1;
	t->max_bytes = max_bytes;
	t->timeout_ns = timeout_ns;
	return 0;
}

int nm_reasm_start(nm_reasm_table *t)
{
	if (nm_reasm_init(t, nm_reasm_max_datagrams, nm_reasm_max_bytes, nm_reasm_timeout_ns) < 0)
		return -1;
	t->keep_links = true;
	return 0;
}

void nm_reasm_free(nm_reasm_table *t)
{
	for (uint32_t i = 0; t->slots && i < t->cap; i++)
		if (t->slots[i].used)
			slot_free(t, &t->slots[i], false);
	free(t->slots);
	free(t->done_data);
	free(t->done_pieces);
	free(t->links);
	memset(t, 0, sizeof *t);
}

nm_frag_link *nm_reasm_take_links(nm_reasm_table *t, size_t *n)
{
	nm_frag_link *l = t->links;
	*n = t->nlinks;
	t->links = NULL;
	t->nlinks = t->links_cap = 0;
	return l;
}
