/*
 * dns_gen.c - see dns_gen.h.  Messages come in three shapes:
 *
 *   crafted: questions that fill the Info column, then questions that are
 *     lone pointers, mostly to one target and some to others (a good name,
 *     a bad one, a chain of pointer hops around the 128-jump cap, a name
 *     too long to show that ends in that chain); the names pointed at lie
 *     after the questions.  Which outcome each has, only an exact walk of
 *     its own target decides.
 *   chain: one long chain of short labels read as the first question's
 *     name, then thousands of questions pointing into it.
 *   records: every section with random names (labels, pointers to earlier
 *     names or anywhere, bad label types), types and RDATA, lying RDLENGTHs.
 *
 * Any message may be cut short, and counts may claim 65,535 entries.
 */
#include <string.h>

#include "tests/dns_gen.h"

/* ---- randomness (splitmix64: small, and the same everywhere) ---- */

static uint64_t next(dns_gen *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A number in [lo, hi]. */
static uint32_t range(dns_gen *g, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(next(g) % ((uint64_t)hi - lo + 1));
}

/* True `percent` times in a hundred. */
static int chance(dns_gen *g, unsigned percent)
{
	return next(g) % 100 < percent;
}

static uint32_t pick(dns_gen *g, const uint32_t *v, size_t n)
{
	return v[next(g) % n];
}

#define PICK(g, arr) pick(g, arr, sizeof arr / sizeof arr[0])

void dns_gen_seed(dns_gen *g, uint64_t seed)
{
	g->state = seed;
}

/* ---- an output buffer that stops quietly at its capacity ---- */

typedef struct obuf {
	uint8_t *b;
	uint32_t len, cap;
} obuf;

static void put(obuf *o, const void *p, uint32_t n)
{
	if (n > o->cap - o->len)
		n = o->cap - o->len;
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put8(obuf *o, uint32_t v)
{
	uint8_t b = (uint8_t)v;
	put(o, &b, 1);
}

static void put16(obuf *o, uint32_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(o, b, 2);
}

static void put32(obuf *o, uint32_t v)
{
	put16(o, v >> 16);
	put16(o, v);
}

static void put_random(dns_gen *g, obuf *o, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		put8(o, (uint32_t)next(g));
}

static void put_ptr(obuf *o, uint32_t to)
{
	put16(o, 0xc000 | (to & 0x3fff));
}

/* ---- names ---- */

static const uint32_t types[] = {1, 2, 5, 6, 12, 15, 16, 28, 33, 41, 0, 99, 255, 507, 32769, 65535};

/* One label: mostly letters, some bytes a shown name must escape (a
 * backslash, a dot, NUL, BEL, UTF-8, bytes that are not UTF-8).  With
 * maxlen 0, 1 to 20 bytes: never empty, never past 63. */
static void put_label(dns_gen *g, obuf *o, uint32_t maxlen)
{
	static const char *const odd[] = {"\\", ".", "", "\a", "\xc3\xa9", "\xff", "\x80"};
	const uint32_t lens[] = {1, 1, 2, 3, 5, 10, 30, 63, range(g, 0, maxlen)};
	uint32_t n = maxlen ? PICK(g, lens) : range(g, 1, 20), len = 0;
	uint8_t s[255];
	while (len < n) {
		if (!chance(g, 20)) {
			s[len++] = (uint8_t)range(g, 'a', 'z');
			continue;
		}
		const char *p = odd[next(g) % 7];
		size_t k = *p ? strlen(p) : 1; /* "" stands for a NUL byte */
		for (size_t i = 0; i < k && len < n; i++)
			s[len++] = (uint8_t)p[i];
	}
	put8(o, len);
	put(o, s, len);
}

typedef struct targets {
	uint32_t at[64];
	unsigned n;
	int good; /* names and records as a real server writes them */
} targets;

static void target_add(targets *t, uint32_t at)
{
	if (t->n < sizeof t->at / sizeof t->at[0])
		t->at[t->n++] = at;
}

/* One to four labels (never empty ones, which would end the name early),
 * then the root or a pointer to an earlier good name. */
static void put_good_name(dns_gen *g, obuf *o, const targets *t)
{
	for (uint32_t i = range(g, 1, 4); i > 0; i--)
		put_label(g, o, 0);
	if (t->n && chance(g, 60))
		put_ptr(o, t->at[next(g) % t->n]);
	else
		put8(o, 0);
}

/* Labels, then an end: a pointer to an earlier name, a pointer anywhere
 * (maybe past the end), a reserved label type, or the root. */
static void put_name(dns_gen *g, obuf *o, const targets *t)
{
	if (t->good) {
		put_good_name(g, o, t);
		return;
	}
	static const uint32_t nlabels[] = {0, 1, 2, 3, 5, 20, 60, 130};
	static const uint32_t bad[] = {0x40, 0x80, 0x7f, 0xbf};
	uint32_t n = PICK(g, nlabels);
	for (uint32_t i = 0; i < n; i++)
		put_label(g, o, 63);
	uint32_t r = range(g, 0, 99);
	if (r < 45 && t->n)
		put_ptr(o, t->at[next(g) % t->n]);
	else if (r < 50)
		put_ptr(o, range(g, 0, o->len + 20));
	else if (r < 53)
		put8(o, PICK(g, bad));
	else
		put8(o, 0);
}

/* ---- records ---- */

static void put_rdata(dns_gen *g, obuf *o, const targets *t, uint32_t type)
{
	static const uint32_t alen[] = {4, 4, 4, 3, 5}, aaaalen[] = {16, 16, 15}, soatail[] = {20, 20, 7};
	static const uint32_t optcodes[] = {10, 12, 3, 99};
	if ((type == 1 || type == 28) && t->good) {
		put_random(g, o, type == 1 ? 4 : 16);
	} else if (type == 1 || type == 28) {
		put_random(g, o, type == 1 ? PICK(g, alen) : PICK(g, aaaalen));
	} else if (type == 2 || type == 5 || type == 12 || type == 15 || type == 33) {
		if (type == 15)
			put16(o, range(g, 0, 65535));
		if (type == 33)
			put16(o, 1), put16(o, 2), put16(o, 3);
		put_name(g, o, t);
	} else if (type == 6) {
		put_name(g, o, t);
		put_name(g, o, t);
		put_random(g, o, t->good ? 20 : PICK(g, soatail));
	} else if (type == 16) {
		for (uint32_t i = range(g, 0, 4); i > 0; i--)
			put_label(g, o, 255);
	} else if (type == 41) {
		for (uint32_t i = range(g, 0, 3); i > 0; i--)
			put16(o, PICK(g, optcodes)), put16(o, 4), put(o, "abcd", 4);
	} else {
		put_random(g, o, range(g, 0, 12));
	}
}

/* A record whose RDLENGTH is right nine times in ten (always, good). */
static void put_rr(dns_gen *g, obuf *o, targets *t)
{
	static const uint32_t classes[] = {1, 0x8001, 4096};
	static const uint32_t good_types[] = {1, 1, 28, 2, 5, 6, 12, 12, 15, 16, 33, 33, 41, 99, 507};
	target_add(t, o->len);
	put_name(g, o, t);
	uint32_t type = t->good ? PICK(g, good_types) : PICK(g, types);
	put16(o, type), put16(o, PICK(g, classes)), put32(o, (uint32_t)next(g));
	uint32_t at = o->len;
	put16(o, 0);
	put_rdata(g, o, t, type);
	uint32_t rdlen = t->good || chance(g, 90) ? o->len - at - 2 : range(g, 0, 300);
	if (at + 2 <= o->len)
		o->b[at] = (uint8_t)(rdlen >> 8), o->b[at + 1] = (uint8_t)rdlen;
}

static void put_header(obuf *o, uint32_t id, uint32_t flags, const uint32_t counts[4])
{
	put16(o, id), put16(o, flags);
	for (int i = 0; i < 4; i++)
		put16(o, counts[i]);
}

/* ---- the three shapes ---- */

static void msg_records(dns_gen *g, obuf *o)
{
	static const uint32_t cnt[] = {0, 1, 1, 2, 3, 10, 300, 65535}, qclasses[] = {1, 0x8001, 3, 254};
	uint32_t counts[4];
	for (int i = 0; i < 4; i++)
		counts[i] = PICK(g, cnt);
	uint32_t id = (uint32_t)next(g);
	put_header(o, id, (uint32_t)next(g), counts);
	targets t = {.at = {12}, .n = 1};
	for (uint32_t i = 0; i < counts[0] && i < 40; i++) {
		target_add(&t, o->len);
		put_name(g, o, &t);
		put16(o, PICK(g, types)), put16(o, PICK(g, qclasses));
	}
	for (int s = 1; s < 4; s++)
		for (uint32_t i = 0; i < counts[s] && i < 40; i++)
			put_rr(g, o, &t);
}

/* A big, well-formed answer (as an mDNS responder's): every name and
 * record reads cleanly, so the fast path must also get each record's
 * length right for the message to end clean. */
static void msg_good(dns_gen *g, obuf *o)
{
	uint32_t counts[4] = {0};
	counts[0] = range(g, 1, 5);
	counts[1] = range(g, 10, 80);
	counts[2] = range(g, 0, 5);
	counts[3] = range(g, 0, 10);
	uint32_t id = (uint32_t)next(g);
	put_header(o, id, chance(g, 80) ? 0x8400 : 0x8180 | (uint32_t)range(g, 0, 5), counts);
	targets t = {.n = 0, .good = 1};
	for (uint32_t i = 0; i < counts[0]; i++) {
		target_add(&t, o->len);
		put_name(g, o, &t);
		put16(o, PICK(g, types)), put16(o, chance(g, 50) ? 1 : 0x8001);
	}
	for (int s = 1; s < 4; s++)
		for (uint32_t i = 0; i < counts[s]; i++)
			put_rr(g, o, &t);
}

/* A long chain of short labels (the first question's name), then many
 * questions pointing into it. */
static void msg_chain(dns_gen *g, obuf *o)
{
	static const uint32_t qclasses[] = {1, 0x8001, 3};
	/* one draw per statement: argument order is unspecified in C */
	uint32_t counts[4] = {0};
	counts[0] = chance(g, 50) ? 0xffff : range(g, 1, 4000);
	counts[1] = range(g, 0, 3);
	counts[3] = range(g, 0, 2);
	uint32_t id = (uint32_t)next(g);
	put_header(o, id, (uint32_t)next(g), counts);
	for (uint32_t i = range(g, 50, 400); i > 0; i--)
		put_label(g, o, 3);
	uint32_t chain_end = o->len, end = range(g, 0, 4);
	if (end == 0 || end == 1)
		put8(o, end ? 0x40 : 0);
	else if (end < 4)
		put_ptr(o, end == 2 ? 12 : range(g, 12, chain_end));
	uint32_t pts[4], npts = range(g, 1, 4);
	for (uint32_t i = 0; i < npts; i++)
		pts[i] = range(g, 12, chain_end);
	for (uint32_t i = range(g, 50, 3000); i > 0; i--) {
		put_ptr(o, pts[next(g) % npts]);
		put16(o, PICK(g, types)), put16(o, PICK(g, qclasses));
	}
}

/* The names crafted questions point at, placed at `base`: see the top. */
static void crafted_area(dns_gen *g, obuf *a, uint32_t base, uint32_t tg[6])
{
	static const uint32_t hopcounts[] = {3, 100, 127, 128, 129, 130, 140, 300};
	tg[0] = base;
	for (uint32_t i = range(g, 1, 6); i > 0; i--)
		put_label(g, a, 63);
	put8(a, 0);
	tg[1] = base + a->len;
	put_label(g, a, 10);
	const uint32_t bad_ends[] = {0x40, 0x80, 0xc000 | (tg[1] & 0x3fff), 0xc000 | (65000 & 0x3fff)};
	uint32_t e = PICK(g, bad_ends);
	e > 0xff ? put16(a, e) : put8(a, e);
	uint32_t hops = tg[2] = base + a->len, nh = PICK(g, hopcounts);
	for (uint32_t i = 0; i < nh; i++)
		put_ptr(a, hops + 2 * (i + 1));
	put_label(g, a, 5);
	const uint32_t chain_ends[] = {0, 0x40, 0x80, 0xc000 | (hops & 0x3fff)};
	e = PICK(g, chain_ends);
	e > 0xff ? put16(a, e) : put8(a, e);
	tg[3] = base + a->len;
	for (uint32_t i = range(g, 4, 5); i > 0; i--) { /* > 253 characters */
		put8(a, 63);
		for (int k = 0; k < 63; k++)
			put8(a, 'x');
	}
	/* Too long already: only the tail decides (loop, bad label, clean). */
	const uint32_t long_ends[] = {hops, hops, hops, tg[0], tg[1], tg[3]};
	put_ptr(a, PICK(g, long_ends));
	tg[4] = hops + 1, tg[5] = tg[3] + 64;
}

static void msg_crafted(dns_gen *g, obuf *o, uint8_t *scratch, uint32_t scratch_cap)
{
	uint32_t nfill = range(g, 0, 60), nq = range(g, 1, 300);
	uint32_t counts[4] = {0};
	counts[0] = chance(g, 80) ? nfill + nq : 0xffff;
	uint32_t id = (uint32_t)next(g);
	put_header(o, id, chance(g, 80) ? 0x0100 : (uint32_t)next(g), counts);
	for (uint32_t i = 0; i < nfill; i++) {
		put_label(g, o, 6);
		put8(o, 0), put16(o, 1), put16(o, 1);
	}
	obuf area = {scratch, 0, scratch_cap};
	uint32_t tg[6];
	crafted_area(g, &area, o->len + 6 * nq, tg);
	uint32_t first = tg[next(g) % 6];
	for (uint32_t i = 0; i < nq; i++) {
		uint32_t to = i >= nq / 2 && chance(g, 30) ? tg[next(g) % 6] : first;
		put_ptr(o, to);
		put16(o, PICK(g, types)), put16(o, 1);
	}
	put(o, area.b, area.len);
}

/* One message into o (o->cap bounds it); one in ten is cut short. */
static void gen_message(dns_gen *g, obuf *o)
{
	static uint8_t scratch[65536];
	uint32_t from = o->len, shape = range(g, 0, 99);
	if (shape < 35)
		msg_crafted(g, o, scratch, sizeof scratch);
	else if (shape < 50)
		msg_chain(g, o);
	else if (shape < 70)
		msg_good(g, o);
	else
		msg_records(g, o);
	if (chance(g, 10))
		o->len = from + range(g, 0, o->len - from);
}

/* ---- framing ---- */

static uint16_t csum(const uint8_t *b, uint32_t n)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The MAC and IPv4 headers before a payload of `len` bytes at b + 34. */
static void put_eth_ip(uint8_t *b, uint32_t proto, uint32_t len)
{
	static const uint8_t mac[14] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 8, 0};
	obuf o = {b, 0, 34};
	put(&o, mac, 14);
	put16(&o, 0x4500), put16(&o, 20 + len), put16(&o, 1), put16(&o, 0);
	put16(&o, 0x4000 | proto), put16(&o, 0); /* TTL 64 */
	put32(&o, 0x0a000001), put32(&o, 0x0a000002);
	uint16_t s = csum(b + 14, 20);
	b[24] = (uint8_t)(s >> 8), b[25] = (uint8_t)s;
}

/* UDP to or from the service port (a query or an answer). */
static uint32_t udp_frame(dns_gen *g, uint8_t *b, uint32_t port)
{
	obuf o = {b + 42, 0, 65000};
	gen_message(g, &o);
	int answer = chance(g, 30);
	obuf h = {b + 34, 0, 8};
	put16(&h, answer ? port : 40000), put16(&h, answer ? 40000 : port), put16(&h, 8 + o.len), put16(&h, 0);
	put_eth_ip(b, 17, 8 + o.len);
	return 42 + o.len;
}

/* A TCP segment of one to three length-prefixed messages (prefixes lie
 * now and then). */
static uint32_t tcp_frame(dns_gen *g, uint8_t *b)
{
	obuf o = {b + 54, 0, 3 * 3002};
	for (uint32_t i = range(g, 1, 3); i > 0; i--) {
		uint32_t at = o.len;
		put16(&o, 0);
		obuf m = {o.b + o.len, 0, 3000};
		gen_message(g, &m);
		o.len += m.len;
		uint32_t n = chance(g, 85) ? m.len : range(g, 0, 65535);
		o.b[at] = (uint8_t)(n >> 8), o.b[at + 1] = (uint8_t)n;
	}
	obuf h = {b + 34, 0, 20};
	put16(&h, 40000), put16(&h, 53), put32(&h, 1), put32(&h, 1);
	put16(&h, 0x5018), put16(&h, 65535), put16(&h, 0), put16(&h, 0);
	put_eth_ip(b, 6, 20 + o.len);
	return 54 + o.len;
}

void dns_gen_frame(dns_gen *g, dns_frame *f)
{
	static const uint32_t kinds[] = {DNS_GEN_UDP53, DNS_GEN_UDP53, DNS_GEN_UDP53, DNS_GEN_MDNS, DNS_GEN_LLMNR};
	static const uint32_t ports[] = {53, 5353, 5355};
	if (chance(g, 75)) {
		f->kind = (int)PICK(g, kinds);
		f->wirelen = udp_frame(g, f->bytes, ports[f->kind]);
	} else {
		f->kind = DNS_GEN_TCP53;
		f->wirelen = tcp_frame(g, f->bytes);
	}
	f->caplen = chance(g, 8) ? range(g, 14, f->wirelen) : f->wirelen;
}
