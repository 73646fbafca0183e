/*
 * bytes.c - a quick necessary condition on a frame's raw bytes, checked
 * before re-dissecting it.
 *
 * Addresses are read from the frame verbatim (network order), so a frame
 * whose bytes do not hold 10.1.2.3 anywhere cannot have ip.addr ==
 * 10.1.2.3.  This matters for the frames the push-down cannot answer
 * (tunnels, ICMP errors: see sql_flow.c), which would otherwise all be
 * dissected when an address matches nothing.  Ports likewise (two bytes
 * rule out less, but cost nothing).
 */
#include <string.h>

#include "filter/filter.h"
#include "filter/ast.h"

/* Fields whose every value is a copy of bytes of the frame. */
static const char *const raw_fields[] = {"ip.addr",  "ip.src",   "ip.dst",  "ipv6.addr", "ipv6.src",
                                         "ipv6.dst", "eth.addr", "eth.src", "eth.dst"};

static bool raw_field(const opd *o)
{
	if (o->kind != O_FIELD)
		return false;
	for (size_t i = 0; i < sizeof raw_fields / sizeof raw_fields[0]; i++)
		if (!strcmp(o->field->name, raw_fields[i]))
			return true;
	return false;
}

/* Port fields: two bytes of the frame, big-endian. */
static const char *const port_fields[] = {"tcp.port", "tcp.srcport", "tcp.dstport",
                                          "udp.port", "udp.srcport", "udp.dstport"};

static bool port_field(const opd *o)
{
	if (o->kind != O_FIELD)
		return false;
	for (size_t i = 0; i < sizeof port_fields / sizeof port_fields[0]; i++)
		if (!strcmp(o->field->name, port_fields[i]))
			return true;
	return false;
}

/* The bytes a literal stands for, or 0 (CIDR prefixes do not count). */
static size_t lit_bytes(const opd *l, const opd *r, uint8_t *buf)
{
	const val *v = &r->v;
	if (r->kind != O_LIT)
		return 0;
	if (port_field(l))
		return r->cls == C_UINT && v->u <= 65535 ? (buf[0] = (uint8_t)(v->u >> 8), buf[1] = (uint8_t)v->u, 2)
		                                         : 0;
	if (!raw_field(l))
		return 0;
	if (r->cls == C_IPV4 && v->prefix == 32) {
		for (int i = 0; i < 4; i++)
			buf[i] = (uint8_t)(v->u >> (24 - 8 * i));
		return 4;
	}
	if (r->cls == C_IPV6 && v->prefix == 128) {
		memcpy(buf, v->ip, 16);
		return 16;
	}
	if (r->cls == C_BYTES && v->n == 6 && v->p) {
		memcpy(buf, v->p, 6);
		return 6;
	}
	return 0;
}

static bool holds(const uint8_t *p, size_t n, const uint8_t *pat, size_t k)
{
	for (const uint8_t *q = p; n >= k && (q = memchr(q, pat[0], n - k + 1 - (size_t)(q - p))) != NULL; q++)
		if (!memcmp(q, pat, k))
			return true;
	return false;
}

static bool may(const expr *e, const uint8_t *p, size_t n)
{
	uint8_t pat[16];
	size_t k;
	switch (e->kind) {
	case E_AND:
		return may(e->a, p, n) && may(e->b, p, n);
	case E_OR:
		return may(e->a, p, n) || may(e->b, p, n);
	case E_CMP:
		if ((e->op != T_EQ && e->op != T_ALL_EQ) || !(k = lit_bytes(e->l, e->r, pat)))
			return true;
		return holds(p, n, pat, k);
	default: /* not, xor, tests, sets: no condition */
		return true;
	}
}

bool nm_filter_bytes_may_match(const nm_filter *f, const uint8_t *data, uint32_t caplen)
{
	return !f->root || !data || may(f->root, data, caplen);
}
