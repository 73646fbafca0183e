/*
 * sql_flow.c - address and port comparisons (ip.addr == X, tcp.port == N,
 * ...) pushed down through the flows table.
 *
 * A frame with an IP flow stores its flow id; the flow row holds the
 * innermost IP addresses and transport ports, both directions in one row.
 * So for a frame whose path has one IP layer and no ICMP, "some flow with
 * src or dst = X" is exactly "ip.addr == X" (ip.src too: the flow's a->b
 * direction need not be the frame's), and likewise for a port of the last
 * transport.  Every other frame the flow cannot vouch for is let through
 * for re-dissection:
 *  - for addresses, paths with several IP layers; for ports, a transport
 *    twice or followed by another IP layer or transport (odd_paths); ICMP
 *    (it quotes inner headers while the flow stays the outer one); a path
 *    clipped at NM_PROTOCOLS_LEN;
 *  - frames with flow id 0, and frames whose flow row is not written yet
 *    (the capture writes flows after frames, about once a second): flow
 *    ids are dense from 1 per capture, so every such frame has a flow id
 *    at or above the capture's first missing id (c.flow_gap, worked out
 *    in db/sqlite_scan.c).
 * The result is a superset, never exact.
 */
#include <inttypes.h>
#include <string.h>

#include "filter/sql_int.h"

typedef struct flow_atom {
	const char *proto; /* the protocol the path must name: ip, ipv6, tcp, udp */
	char addr[64];     /* address text as the flows table has it, or "" */
	unsigned port;
} flow_atom;

static const char *const addr_fields[] = {"ip.addr", "ip.src", "ip.dst", "ipv6.addr", "ipv6.src", "ipv6.dst"};
static const char *const port_fields[] = {"tcp.port", "tcp.srcport", "tcp.dstport",
                                          "udp.port", "udp.srcport", "udp.dstport"};

static bool in_list(const char *n, const char *const *list, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strcmp(n, list[i]))
			return true;
	return false;
}

static bool addr_atom(const expr *e, const char *n, flow_atom *a)
{
	const val *v = &e->r->v;
	bool v4 = e->r->cls == C_IPV4;
	if (!in_list(n, addr_fields, 6) || (!v4 && e->r->cls != C_IPV6) || v->prefix != (v4 ? 32 : 128))
		return false;
	a->proto = v4 ? "ip" : "ipv6";
	if (v4) {
		uint8_t ip[4] = {(uint8_t)(v->u >> 24), (uint8_t)(v->u >> 16), (uint8_t)(v->u >> 8), (uint8_t)v->u};
		nm_fmt_ipv4(a->addr, sizeof a->addr, ip);
	} else {
		nm_fmt_ipv6(a->addr, sizeof a->addr, v->ip);
	}
	return true;
}

/* The comparison as a flow atom: == (or ===) with a literal. */
static bool atom(const expr *e, flow_atom *a)
{
	memset(a, 0, sizeof *a);
	if (e->kind != E_CMP || (e->op != T_EQ && e->op != T_ALL_EQ) || e->l->kind != O_FIELD || e->r->kind != O_LIT)
		return false;
	const char *n = e->l->field->name;
	if (addr_atom(e, n, a))
		return true;
	if (!in_list(n, port_fields, 6) || e->r->cls != C_UINT || e->r->v.u > 65535)
		return false;
	a->proto = n[0] == 't' ? "tcp" : "udp";
	a->port = (unsigned)e->r->v.u;
	return true;
}

static void has(sbuf *b, const char *p)
{
	flt_put(b, "instr(" PATH_TEXT ", ':%s:') > 0", p);
}

static void twice(sbuf *b, const char *p)
{
	flt_put(b, "instr(substr(" PATH_TEXT ", instr(" PATH_TEXT ", ':%s:') + 1), ':%s:') > 0", p, p);
}

/* Path names after the first a->proto, as ':x:...'. */
static void after(sbuf *b, const char *p, const char *name)
{
	flt_put(b, "instr(substr(" PATH_TEXT ", instr(" PATH_TEXT ", ':%s:') + %zu), ':%s:') > 0", p, strlen(p) + 1,
	        name);
}

/* Paths (of frames naming a->proto) whose flow may not show the values.
 * Each IP layer starts the flow afresh and each transport sets its ports,
 * so the flow holds the last IP layer's addresses and the last transport's
 * ports, except that ICMP puts the outer flow back after a quoted packet.
 * An address is safe with one IP layer; a port when its transport comes
 * once, after the last IP layer and with no transport after it. */
static void odd_paths(sbuf *b, const flow_atom *a)
{
	static const char *const later[] = {"ip", "ipv6", "tcp", "udp", "sctp"};
	flt_put(b, "(length(text) >= %d", NM_PROTOCOLS_LEN - 1);
	if (a->addr[0]) {
		flt_put(b, " OR ");
		twice(b, a->proto);
		flt_put(b, " OR ");
		has(b, strcmp(a->proto, "ip") ? "ip" : "ipv6");
	} else {
		flt_put(b, " OR ");
		twice(b, a->proto);
		for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
			flt_put(b, " OR ");
			after(b, a->proto, later[i]);
		}
		flt_put(b, " OR ");
		has(b, "icmp");
		flt_put(b, " OR ");
		has(b, "icmpv6");
	}
	flt_put(b, ")");
}

/* The condition on a flows row w. */
static void flow_cond(sbuf *b, const flow_atom *a)
{
	if (a->addr[0])
		flt_put(b, "(w.src = '%s' OR w.dst = '%s')", a->addr, a->addr);
	else
		flt_put(b, "(w.sport = %u OR w.dport = %u)", a->port, a->port);
}

int flt_flow_sql(sbuf *b, const expr *e)
{
	flow_atom a;
	if (!atom(e, &a))
		return SQL_NONE;
	flt_put(b, PATH_IN);
	has(b, a.proto);
	/* the least gap of all captures (a superset): a per-row c.flow_gap
	 * would join every frame to its capture before this could reject it */
	flt_put(b, ") AND (f.flow_id = 0 OR f.flow_id >= (SELECT min(flow_gap) FROM c) OR " PATH_IN);
	odd_paths(b, &a);
	flt_put(b, ") OR (f.capture_id, f.flow_id) IN (SELECT w.capture_id, w.id FROM flows w WHERE ");
	flow_cond(b, &a);
	flt_put(b, "))");
	return SQL_SUPERSET;
}

/* The condition on a chunk_keys row k (one distinct path and flow id of a
 * chunk of frames, found in frames lo..hi) joined with its capture g: the
 * same as flt_flow_sql's on a frame, so frames lo..hi of the chunk hold
 * every frame of it that condition lets through. */
bool flt_flow_cand(sbuf *b, const expr *e)
{
	flow_atom a;
	if (!atom(e, &a))
		return false;
	flt_put(b, "SELECT k.capture_id, k.first_number, k.lo, k.hi FROM chunk_keys k JOIN c g ON g.id = k.capture_id"
	           " WHERE k.protocols IN (SELECT id FROM strings WHERE ");
	has(b, a.proto);
	flt_put(b, ") AND (k.flow_id = 0 OR k.flow_id >= g.flow_gap OR k.protocols IN (SELECT id FROM strings WHERE ");
	odd_paths(b, &a);
	flt_put(b, ") OR (k.capture_id, k.flow_id) IN (SELECT w.capture_id, w.id FROM flows w WHERE ");
	flow_cond(b, &a);
	flt_put(b, "))");
	return true;
}
