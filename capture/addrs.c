/* addrs.c - see addrs.h.  Open addressing with linear probing over an
 * index of 32-bit slots into a dense entry array: with the entries in the
 * slots themselves (104 bytes each, 13 MB at the default capacity) a few
 * thousand addresses were spread over as many pages and each of the six
 * lookups per frame missed the cache and TLB.  The table is emptied as a
 * whole, so entries are never deleted one by one. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/addrs.h"
#include "parsers/cursor.h"

#define LINKTYPE_ETHERNET 1

enum { K_ETH, K_IP, K_IPV6 };

typedef struct addr_key {
	uint8_t conv, kind;
	uint8_t a[16], b[16];
} addr_key;

struct nm_addr_ent {
	addr_key k;
	uint64_t frames_ab, bytes_ab, frames_ba, bytes_ba, bcast, mcast;
	int64_t first_ns, last_ns;
};

int nm_addrs_init(nm_addr_table *t, uint32_t cap)
{
	memset(t, 0, sizeof *t);
	uint32_t n = 64;
	while (n < 2 * cap)
		n *= 2;
	t->slots = calloc(n, sizeof *t->slots);
	t->ents = malloc(((size_t)cap + 1) * sizeof *t->ents);
	t->nslots = n;
	t->cap = cap;
	if (t->slots && t->ents)
		return 0;
	nm_addrs_free(t);
	return -1;
}

void nm_addrs_free(nm_addr_table *t)
{
	free(t->slots);
	free(t->ents);
	t->slots = NULL;
	t->ents = NULL;
}

/* Word-at-a-time multiply-xorshift: six lookups per frame made a
 * byte-wise FNV over the 34-byte key a visible share of ingest time. */
static uint32_t hash(const addr_key *k)
{
	uint64_t h = (uint64_t)k->conv << 8 | k->kind, w;
	for (int i = 0; i < 2; i++) {
		memcpy(&w, k->a + 8 * i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		memcpy(&w, k->b + 8 * i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	/* A multiply carries bits only upwards: fold and take the top half, or
	 * the last byte of each word (an IPv6 host's) would not count at all. */
	h = (h ^ h >> 32) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

static nm_addr_ent *lookup(nm_addr_table *t, const addr_key *k, int64_t ts)
{
	uint32_t i = hash(k) & (t->nslots - 1), s;
	while ((s = t->slots[i]) != 0) {
		nm_addr_ent *e = &t->ents[s - 1];
		if (memcmp(&e->k, k, sizeof *k) == 0) {
			e->last_ns = ts;
			return e;
		}
		i = (i + 1) & (t->nslots - 1);
	}
	nm_addr_ent *e = &t->ents[t->count];
	memset(e, 0, sizeof *e);
	e->k = *k;
	e->first_ns = e->last_ns = ts;
	t->slots[i] = ++t->count;
	return e;
}

static void station(nm_addr_table *t, const nm_packet *pk, uint8_t kind, const uint8_t *addr, bool sent)
{
	addr_key k = {.conv = 0, .kind = kind};
	memcpy(k.a, addr, kind == K_IPV6 ? 16 : kind == K_IP ? 4 : 6);
	nm_addr_ent *e = lookup(t, &k, pk->ts_ns);
	if (sent) {
		e->frames_ab++, e->bytes_ab += pk->wirelen;
		e->bcast += !!(pk->flags & NM_PKT_BROADCAST);
		e->mcast += !!(pk->flags & NM_PKT_MULTICAST);
	} else {
		e->frames_ba++, e->bytes_ba += pk->wirelen;
	}
}

/* One pair in a fixed order, whoever sends: ab counts a -> b. */
static void conversation(nm_addr_table *t, const nm_packet *pk, uint8_t kind, const uint8_t *src,
			 const uint8_t *dst)
{
	size_t n = kind == K_IPV6 ? 16 : kind == K_IP ? 4 : 6;
	bool ab = memcmp(src, dst, n) <= 0;
	addr_key k = {.conv = 1, .kind = kind};
	memcpy(k.a, ab ? src : dst, n);
	memcpy(k.b, ab ? dst : src, n);
	nm_addr_ent *e = lookup(t, &k, pk->ts_ns);
	if (ab)
		e->frames_ab++, e->bytes_ab += pk->wirelen;
	else
		e->frames_ba++, e->bytes_ba += pk->wirelen;
}

static void account(nm_addr_table *t, const nm_packet *pk, uint8_t kind, const uint8_t *src, const uint8_t *dst)
{
	station(t, pk, kind, src, true);
	station(t, pk, kind, dst, false);
	conversation(t, pk, kind, src, dst);
}

bool nm_addrs_update(nm_addr_table *t, const nm_packet *pk)
{
	if (t->count + 6 > t->cap) {
		t->flushes_full++;
		return false;
	}
	if (pk->linktype == LINKTYPE_ETHERNET) {
		nm_cursor c = nm_cursor_make(pk->data, 0, pk->caplen);
		const uint8_t *dst = nm_cur_take(&c, 6), *src = nm_cur_take(&c, 6);
		if (dst && src && nm_cur_has(&c, 2))
			account(t, pk, K_ETH, src, dst);
	}
	if (pk->flow.family == 4 || pk->flow.family == 6)
		account(t, pk, pk->flow.family == 4 ? K_IP : K_IPV6, pk->flow.src, pk->flow.dst);
	return true;
}

static void format_addr(char *out, size_t n, uint8_t kind, const uint8_t *a)
{
	if (kind == K_ETH)
		snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
	else
		inet_ntop(kind == K_IP ? AF_INET : AF_INET6, a, out, (socklen_t)n);
}

static void to_rec(const nm_addr_ent *e, nm_addr_rec *r)
{
	static const char *const kinds[] = {"eth", "ip", "ipv6"};
	memset(r, 0, sizeof *r);
	r->conv = e->k.conv;
	r->kind = kinds[e->k.kind];
	format_addr(r->a, sizeof r->a, e->k.kind, e->k.a);
	if (e->k.conv)
		format_addr(r->b, sizeof r->b, e->k.kind, e->k.b);
	r->frames_ab = e->frames_ab, r->bytes_ab = e->bytes_ab;
	r->frames_ba = e->frames_ba, r->bytes_ba = e->bytes_ba;
	r->bcast = e->bcast, r->mcast = e->mcast;
	r->first_ns = e->first_ns, r->last_ns = e->last_ns;
}

size_t nm_addrs_take(nm_addr_table *t, nm_addr_rec **out)
{
	*out = NULL;
	if (!t->count)
		return 0;
	nm_addr_rec *r = malloc(t->count * sizeof *r);
	if (!r)
		return 0; /* keep counting; the next take may succeed */
	size_t n = t->count;
	for (size_t i = 0; i < n; i++)
		to_rec(&t->ents[i], &r[i]);
	memset(t->slots, 0, t->nslots * sizeof *t->slots);
	t->count = 0;
	*out = r;
	return n;
}
