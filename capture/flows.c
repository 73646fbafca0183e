/* flows.c - see flows.h. */
#include <stdlib.h>
#include <string.h>

#include "flows.h"

#define FIRST_BUCKETS 4096u

enum { ST_NONE, ST_SYN, ST_ESTABLISHED, ST_FIN, ST_RESET };
static const char *state_names[] = {"", "SYN", "ESTABLISHED", "FIN", "RESET"};

struct nm_flow {
	nm_flow_key key; /* as first seen: key.src is side "a" */
	int64_t id;
	int64_t first_ns, last_ns;
	uint64_t frames_ab, bytes_ab, frames_ba, bytes_ba;
	uint8_t state;
	uint8_t dirty;
	int32_t hnext, lprev, lnext;
};

int nm_flows_init(nm_flow_table *t, uint32_t cap)
{
	memset(t, 0, sizeof *t);
	if (cap < 16)
		cap = 16;
	t->nbuckets_max = 1;
	while (t->nbuckets_max < cap * 2)
		t->nbuckets_max <<= 1;
	/* Start small and double (grow): a few hundred flows over the 2 MB of
	 * buckets for the default cap missed the cache on every frame. */
	t->nbuckets = t->nbuckets_max < FIRST_BUCKETS ? t->nbuckets_max : FIRST_BUCKETS;
	t->pool = calloc(cap, sizeof *t->pool);
	t->buckets = malloc(t->nbuckets_max * sizeof *t->buckets);
	if (!t->pool || !t->buckets) {
		nm_flows_free(t);
		return -1;
	}
	memset(t->buckets, 0xff, t->nbuckets * sizeof *t->buckets); /* all -1 */
	t->cap = cap;
	t->lru_head = t->lru_tail = -1;
	for (uint32_t i = 0; i < cap; i++)
		t->pool[i].hnext = i + 1 < cap ? (int32_t)i + 1 : -1;
	t->free_head = 0;
	t->next_id = 1;
	return 0;
}

void nm_flows_free(nm_flow_table *t)
{
	free(t->pool);
	free(t->buckets);
	free(t->pending);
	memset(t, 0, sizeof *t);
}

/* Word-wise (a byte-wise FNV over both addresses was 32 multiplies in a
 * row per frame); the top half of the last product depends on every byte. */
static uint64_t hash_side(const uint8_t *addr, uint16_t port)
{
	uint64_t w[2];
	memcpy(w, addr, 16);
	uint64_t h = w[0] * 0x9e3779b97f4a7c15ull + w[1] * 0xff51afd7ed558ccdull + port;
	return (h ^ h >> 32) * 0xc4ceb9fe1a85ec53ull;
}

/* Symmetric: both directions of a flow hash alike. */
static uint32_t hash_key(const nm_flow_key *k)
{
	uint64_t h = hash_side(k->src, k->sport) ^ hash_side(k->dst, k->dport);
	return (uint32_t)(h >> 32) + k->proto * 0x9e3779b1u + k->family;
}

/* 1: same direction as stored, -1: reversed, 0: another flow. */
static int match(const nm_flow_key *a, const nm_flow_key *b)
{
	if (a->family != b->family || a->proto != b->proto)
		return 0;
	if (a->sport == b->sport && a->dport == b->dport && !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16))
		return 1;
	if (a->sport == b->dport && a->dport == b->sport && !memcmp(a->src, b->dst, 16) && !memcmp(a->dst, b->src, 16))
		return -1;
	return 0;
}

static void lru_unlink(nm_flow_table *t, int32_t i)
{
	nm_flow *f = &t->pool[i];
	if (f->lprev >= 0)
		t->pool[f->lprev].lnext = f->lnext;
	else
		t->lru_head = f->lnext;
	if (f->lnext >= 0)
		t->pool[f->lnext].lprev = f->lprev;
	else
		t->lru_tail = f->lprev;
}

static void lru_push_front(nm_flow_table *t, int32_t i)
{
	nm_flow *f = &t->pool[i];
	f->lprev = -1;
	f->lnext = t->lru_head;
	if (t->lru_head >= 0)
		t->pool[t->lru_head].lprev = i;
	t->lru_head = i;
	if (t->lru_tail < 0)
		t->lru_tail = i;
}

static void to_rec(const nm_flow *f, nm_flow_rec *r)
{
	memset(r, 0, sizeof *r);
	r->id = f->id;
	r->family = f->key.family;
	r->proto = f->key.proto;
	if (f->key.family == 4) {
		nm_fmt_ipv4(r->src, sizeof r->src, f->key.src);
		nm_fmt_ipv4(r->dst, sizeof r->dst, f->key.dst);
	} else {
		nm_fmt_ipv6(r->src, sizeof r->src, f->key.src);
		nm_fmt_ipv6(r->dst, sizeof r->dst, f->key.dst);
	}
	r->sport = f->key.sport;
	r->dport = f->key.dport;
	r->first_ns = f->first_ns;
	r->last_ns = f->last_ns;
	r->frames_ab = f->frames_ab;
	r->bytes_ab = f->bytes_ab;
	r->frames_ba = f->frames_ba;
	r->bytes_ba = f->bytes_ba;
	r->state = state_names[f->state];
}

static void push_pending(nm_flow_table *t, const nm_flow *f)
{
	if (t->npending == t->pending_cap) {
		size_t n = t->pending_cap ? t->pending_cap * 2 : 256;
		nm_flow_rec *p = realloc(t->pending, n * sizeof *p);
		if (!p)
			return; /* out of memory: the flow's last counts are lost, not the frames */
		t->pending = p;
		t->pending_cap = n;
	}
	to_rec(f, &t->pending[t->npending++]);
}

/* Remove the least recently seen flow, keeping its counts for the writer. */
static void evict_one(nm_flow_table *t)
{
	int32_t i = t->lru_tail;
	nm_flow *f = &t->pool[i];
	if (f->dirty)
		push_pending(t, f);
	int32_t *pp = &t->buckets[hash_key(&f->key) & (t->nbuckets - 1)];
	while (*pp != i)
		pp = &t->pool[*pp].hnext;
	*pp = f->hnext;
	lru_unlink(t, i);
	f->hnext = t->free_head;
	t->free_head = i;
	t->count--;
	t->evicted++;
}

/* Double the buckets and rechain every flow (all are on the LRU list). */
static void grow(nm_flow_table *t)
{
	t->nbuckets *= 2;
	memset(t->buckets, 0xff, t->nbuckets * sizeof *t->buckets);
	for (int32_t i = t->lru_head; i >= 0; i = t->pool[i].lnext) {
		uint32_t h = hash_key(&t->pool[i].key) & (t->nbuckets - 1);
		t->pool[i].hnext = t->buckets[h];
		t->buckets[h] = i;
	}
}

static int32_t insert(nm_flow_table *t, const nm_flow_key *k, uint32_t h, int64_t ts)
{
	if (t->free_head < 0)
		evict_one(t);
	int32_t i = t->free_head;
	nm_flow *f = &t->pool[i];
	t->free_head = f->hnext;
	memset(f, 0, sizeof *f);
	f->key = *k;
	f->key.tcp_flags = 0;
	f->id = t->next_id++;
	f->first_ns = ts;
	f->hnext = t->buckets[h];
	t->buckets[h] = i;
	lru_push_front(t, i);
	t->count++;
	if (t->count > t->nbuckets / 2 && t->nbuckets < t->nbuckets_max)
		grow(t);
	return i;
}

static void tcp_state(nm_flow *f, uint8_t flags)
{
	if (flags & 0x04)
		f->state = ST_RESET;
	else if (flags & 0x01)
		f->state = f->state == ST_RESET ? ST_RESET : ST_FIN;
	else if ((flags & 0x12) == 0x12 || (f->state == ST_SYN && (flags & 0x10)))
		f->state = ST_ESTABLISHED;
	else if ((flags & 0x02) && f->state == ST_NONE)
		f->state = ST_SYN;
	else if (f->state == ST_NONE && (flags & 0x10))
		f->state = ST_ESTABLISHED; /* joined mid-stream */
}

int64_t nm_flows_update(nm_flow_table *t, const nm_flow_key *k, int64_t ts_ns, uint32_t len)
{
	if (k->family != 4 && k->family != 6)
		return 0;
	uint32_t h = hash_key(k) & (t->nbuckets - 1);
	int dir = 0;
	int32_t i = t->buckets[h];
	for (; i >= 0; i = t->pool[i].hnext)
		if ((dir = match(&t->pool[i].key, k)) != 0)
			break;
	if (i < 0) {
		i = insert(t, k, h, ts_ns);
		dir = 1;
	} else if (i != t->lru_head) {
		lru_unlink(t, i);
		lru_push_front(t, i);
	}
	nm_flow *f = &t->pool[i];
	if (dir > 0)
		f->frames_ab++, f->bytes_ab += len;
	else
		f->frames_ba++, f->bytes_ba += len;
	if (ts_ns > f->last_ns)
		f->last_ns = ts_ns;
	if (k->proto == 6)
		tcp_state(f, k->tcp_flags);
	f->dirty = 1;
	return f->id;
}

size_t nm_flows_take_dirty(nm_flow_table *t, nm_flow_rec **out, bool evicted_only)
{
	size_t n = t->npending;
	for (int32_t i = t->lru_head; i >= 0 && !evicted_only; i = t->pool[i].lnext)
		n += t->pool[i].dirty;
	*out = NULL;
	if (n == 0)
		return 0;
	nm_flow_rec *r = malloc(n * sizeof *r);
	if (!r)
		return 0;
	if (t->npending)
		memcpy(r, t->pending, t->npending * sizeof *r);
	size_t k = t->npending;
	t->npending = 0;
	for (int32_t i = t->lru_head; i >= 0 && !evicted_only; i = t->pool[i].lnext)
		if (t->pool[i].dirty) {
			to_rec(&t->pool[i], &r[k++]);
			t->pool[i].dirty = 0;
		}
	*out = r;
	return k;
}
