/* addrs.c - see addrs.h.  Open addressing with linear probing over an
 * index of 32-bit slots into a dense entry array.  With the entries in the
 * slots themselves (104 bytes each, 13 MB at the default capacity) a few
 * thousand addresses were spread over as many pages, and each of the six
 * lookups per frame missed the cache and TLB; the index also starts small
 * and doubles as entries come (at most half full), so a second's worth of
 * addresses stays in L1.  The table is emptied as a whole, so entries are
 * never deleted one by one. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/addrs.h"
#include "parsers/cursor.h"

#define LINKTYPE_ETHERNET 1
#define FIRST_SLOTS       4096u

enum { K_ETH, K_IP, K_IPV6 };

/* Addresses as little-endian words (a in w[0..1], b in w[2..3]), built in
 * registers from the frame's bytes: words loaded over the bytes memcpy had
 * just stored stalled on store forwarding. */
typedef struct addr_key {
	uint64_t w[4];
	uint32_t tag; /* conv << 8 | kind */
} addr_key;

struct nm_addr_ent {
	addr_key k;
	uint64_t frames_ab, bytes_ab, frames_ba, bytes_ba, bcast, mcast;
	int64_t first_ns, last_ns;
};

static uint32_t max_slots(uint32_t cap)
{
	uint32_t n = 64;
	while (n < 2 * cap)
		n *= 2;
	return n;
}

int nm_addrs_init(nm_addr_table *t, uint32_t cap)
{
	memset(t, 0, sizeof *t);
	uint32_t n = max_slots(cap);
	t->slots = calloc(n, sizeof *t->slots);
	t->ents = malloc(((size_t)cap + 1) * sizeof *t->ents);
	t->nslots = n < FIRST_SLOTS ? n : FIRST_SLOTS;
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

/* Four independent products (a chain of them made each lookup wait on
 * eight multiplies in a row); a multiply carries bits only upwards, so the
 * sum is folded and the top half taken, and every key byte counts. */
static uint32_t hash(const addr_key *k)
{
	uint64_t h = k->w[0] * 0x9e3779b97f4a7c15ull + k->w[1] * 0xff51afd7ed558ccdull +
		     k->w[2] * 0xc4ceb9fe1a85ec53ull + k->w[3] * 0xd6e8feb86659fd93ull + k->tag;
	h = (h ^ h >> 32) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

static bool key_eq(const addr_key *x, const addr_key *y)
{
	return x->w[0] == y->w[0] && x->w[1] == y->w[1] && x->w[2] == y->w[2] && x->w[3] == y->w[3] && x->tag == y->tag;
}

/* The empty slot where key k goes (k is not in the index). */
static uint32_t *free_slot(nm_addr_table *t, const addr_key *k)
{
	uint32_t i = hash(k) & (t->nslots - 1);
	while (t->slots[i])
		i = (i + 1) & (t->nslots - 1);
	return &t->slots[i];
}

/* Double the index: it is kept at most half full, so it never outgrows the
 * slots allocated for `cap` entries. */
static void grow(nm_addr_table *t)
{
	t->nslots *= 2;
	memset(t->slots, 0, t->nslots * sizeof *t->slots);
	for (uint32_t e = 0; e < t->count; e++)
		*free_slot(t, &t->ents[e].k) = e + 1;
}

static nm_addr_ent *lookup(nm_addr_table *t, const addr_key *k, int64_t ts)
{
	uint32_t i = hash(k) & (t->nslots - 1), s;
	while ((s = t->slots[i]) != 0) {
		nm_addr_ent *e = &t->ents[s - 1];
		if (key_eq(&e->k, k)) {
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
	if (2 * t->count > t->nslots)
		grow(t);
	return e;
}

/* n <= 8 bytes as a little-endian number (b[0] lowest); with a constant n
 * the memcpy is a load or two (a byte loop here was not unrolled). */
static inline uint64_t le_bytes(const uint8_t *b, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, b, n);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* An address's words: a MAC, an IPv4 or an IPv6 address by its kind (each
 * le_bytes with a constant count). */
static void addr_words(uint64_t w[2], uint8_t kind, const uint8_t *a)
{
	if (kind == K_IPV6) {
		w[0] = le_bytes(a, 8);
		w[1] = le_bytes(a + 8, 8);
		return;
	}
	w[0] = kind == K_IP ? le_bytes(a, 4) : le_bytes(a, 6);
	w[1] = 0;
}

/* Whether x's bytes sort after y's (memcmp > 0): the words hold the bytes
 * little-endian, so swapped they compare as the bytes do. */
static bool bytes_after(const uint64_t *x, const uint64_t *y)
{
	uint64_t x0 = __builtin_bswap64(x[0]), y0 = __builtin_bswap64(y[0]);
	if (x0 != y0)
		return x0 > y0;
	return __builtin_bswap64(x[1]) > __builtin_bswap64(y[1]);
}

/* An address's station key (conv 0) from a pair key's words. */
static addr_key station_key(uint8_t kind, const uint64_t *w)
{
	return (addr_key){{w[0], w[1], 0, 0}, kind};
}

static void count_sent(nm_addr_ent *e, const nm_packet *pk)
{
	e->frames_ab++, e->bytes_ab += pk->wirelen;
	e->bcast += !!(pk->flags & NM_PKT_BROADCAST);
	e->mcast += !!(pk->flags & NM_PKT_MULTICAST);
}

/* The entries of a pair (conversation) and its two stations: from the
 * memo when the frame is between the same two addresses as the last one
 * of its kind (two frames in three are, on the bench capture), which
 * saves three lookups. */
static void pair_entries(nm_addr_table *t, const addr_key *k, int64_t ts, nm_addr_ent *e[3])
{
	nm_addr_memo *m = &t->memo[k->tag & 0xff];
	if (m->valid && key_eq(&t->ents[m->ent[2]].k, k)) {
		for (int i = 0; i < 3; i++) {
			e[i] = &t->ents[m->ent[i]];
			e[i]->last_ns = ts;
		}
		return;
	}
	addr_key a = station_key((uint8_t)k->tag, k->w), b = station_key((uint8_t)k->tag, k->w + 2);
	e[0] = lookup(t, &a, ts);
	e[1] = lookup(t, &b, ts);
	e[2] = lookup(t, k, ts);
	for (int i = 0; i < 3; i++)
		m->ent[i] = (uint32_t)(e[i] - t->ents);
	m->valid = true;
}

/* Both stations (sent, received) and the pair in a fixed order, whoever
 * sends: ab counts a -> b. */
static void account(nm_addr_table *t, const nm_packet *pk, uint8_t kind, const uint8_t *src, const uint8_t *dst)
{
	uint64_t s[2], d[2];
	addr_words(s, kind, src);
	addr_words(d, kind, dst);
	bool ab = !bytes_after(s, d);
	addr_key k = {{ab ? s[0] : d[0], ab ? s[1] : d[1], ab ? d[0] : s[0], ab ? d[1] : s[1]}, 1u << 8 | kind};
	nm_addr_ent *e[3];
	pair_entries(t, &k, pk->ts_ns, e);
	nm_addr_ent *from = e[ab ? 0 : 1], *to = e[ab ? 1 : 0];
	count_sent(from, pk);
	to->frames_ba++, to->bytes_ba += pk->wirelen;
	if (ab)
		e[2]->frames_ab++, e[2]->bytes_ab += pk->wirelen;
	else
		e[2]->frames_ba++, e[2]->bytes_ba += pk->wirelen;
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

static void format_addr(char *out, size_t n, uint8_t kind, const uint64_t *w)
{
	uint8_t a[16];
	for (int i = 0; i < 16; i++)
		a[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
	if (kind == K_ETH)
		snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
	else
		inet_ntop(kind == K_IP ? AF_INET : AF_INET6, a, out, (socklen_t)n);
}

static void to_rec(const nm_addr_ent *e, nm_addr_rec *r)
{
	static const char *const kinds[] = {"eth", "ip", "ipv6"};
	memset(r, 0, sizeof *r);
	uint8_t kind = (uint8_t)e->k.tag;
	r->conv = (e->k.tag >> 8) != 0;
	r->kind = kinds[kind];
	format_addr(r->a, sizeof r->a, kind, e->k.w);
	if (r->conv)
		format_addr(r->b, sizeof r->b, kind, e->k.w + 2);
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
	memset(t->memo, 0, sizeof t->memo);
	t->count = 0;
	*out = r;
	return n;
}
