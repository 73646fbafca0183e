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
 * for re-dissection when its block of frames may hold the value (the
 * keys db/sqlite_keys.c stores for such frames):
 *  - for addresses, paths with several IP layers; for ports, a transport
 *    twice or followed by another IP layer or transport (odd_paths); ICMP
 *    (it quotes inner headers while the flow stays the outer one); a path
 *    clipped at NM_PROTOCOLS_LEN;
 *  - frames with flow id 0.
 * Frames whose flow row is not written yet are let through in any case
 * (the capture writes flows after frames, about once a second): flow ids
 * are dense from 1 per capture, so every such frame has a flow id at or
 * above the capture's first missing id (c.flow_gap, worked out in
 * db/sqlite_scan.c).
 * The result is a superset, never exact.
 */
#include <inttypes.h>
#include <string.h>

#include "db/scan.h"
#include "filter/sql_int.h"
#include "parsers/dissect.h"

typedef struct flow_atom {
	const char *proto; /* the protocol the path must name: ip, ipv6, tcp, udp */
	char addr[64];     /* address text as the flows table has it, or "" */
	unsigned port;
	uint64_t key; /* the value's nm_key_hash, as block_keys has it */
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
		a->key = nm_key_hash(NM_KEY_IPV4, ip, 4);
	} else {
		nm_fmt_ipv6(a->addr, sizeof a->addr, v->ip);
		a->key = nm_key_hash(NM_KEY_IPV6, v->ip, 16);
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
	uint8_t be[2] = {(uint8_t)(a->port >> 8), (uint8_t)a->port};
	a->key = nm_key_hash(NM_KEY_PORT, be, 2);
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

/* Blocks (x.block) of a capture that may hold the value in a frame the
 * flow cannot vouch for: odd_paths are a subset of the frames whose keys
 * db/sqlite_keys.c stores. */
static void block_has(sbuf *b, const flow_atom *a, const char *cap)
{
	flt_put(b,
	        "EXISTS (SELECT 1 FROM block_keys x WHERE x.key IN (%" PRIu64 ", %d) AND x.capture_id = %s AND x.block",
	        a->key, NM_KEY_ANY, cap);
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
	flt_put(b, ") AND (f.flow_id >= (SELECT min(flow_gap) FROM c) OR ((f.flow_id = 0 OR " PATH_IN);
	odd_paths(b, &a);
	flt_put(b, ")) AND ");
	block_has(b, &a, "f.capture_id");
	flt_put(b, " = f.number >> %d)) OR (f.capture_id, f.flow_id) IN", NM_KEY_BLOCK_SHIFT);
	flt_put(b, " (SELECT w.capture_id, w.id FROM flows w WHERE ");
	flow_cond(b, &a);
	flt_put(b, "))");
	return SQL_SUPERSET;
}

/* Rows k of chunk_keys (one distinct path and flow id of a chunk of
 * frames, found in frames lo..hi) that flt_flow_sql lets through, so
 * frames lo..hi of the chunk hold every frame of it that condition lets
 * through.  Three parts, each driven by an index rather than a pass over
 * chunk_keys (40 ms a query on a million frames): the flows holding the
 * value, the flows not written yet, and the blocks whose keys hold it
 * (their chunks start at most NM_SCAN_CHUNK_FRAMES before the block). */
#define K_COLS "SELECT k.capture_id, k.first_number, k.lo, k.hi FROM "

bool flt_flow_cand(sbuf *b, const expr *e)
{
	flow_atom a;
	if (!atom(e, &a))
		return false;
	flt_put(b, K_COLS "flows w JOIN chunk_keys k INDEXED BY chunk_keys_flow ON k.capture_id = w.capture_id"
	                  " AND k.flow_id = w.id WHERE ");
	flow_cond(b, &a);
	flt_put(b, " AND k.protocols IN (SELECT id FROM strings WHERE ");
	has(b, a.proto);
	flt_put(b, ") UNION ALL " K_COLS "c g JOIN chunk_keys k INDEXED BY chunk_keys_flow ON k.capture_id = g.id"
	           " AND k.flow_id >= g.flow_gap WHERE k.protocols IN (SELECT id FROM strings WHERE ");
	has(b, a.proto);
	flt_put(b,
	        ") UNION ALL " K_COLS "block_keys x JOIN chunk_keys k ON k.capture_id = x.capture_id AND"
	        " k.first_number BETWEEN (x.block << %d) - %d AND ((x.block + 1) << %d) - 1 WHERE x.key IN (%" PRIu64
	        ", %d) AND k.protocols IN (SELECT id FROM strings WHERE ",
	        NM_KEY_BLOCK_SHIFT, NM_SCAN_CHUNK_FRAMES, NM_KEY_BLOCK_SHIFT, a.key, NM_KEY_ANY);
	has(b, a.proto);
	flt_put(b, ") AND (k.flow_id = 0 OR k.protocols IN (SELECT id FROM strings WHERE ");
	odd_paths(b, &a);
	/* hi 0: a row from before lo and hi were kept, the whole chunk */
	flt_put(b,
	        ")) AND k.lo < (x.block + 1) << %d AND (CASE WHEN k.hi = 0 THEN k.first_number + %d ELSE k.hi END)"
	        " >= x.block << %d",
	        NM_KEY_BLOCK_SHIFT, NM_SCAN_CHUNK_FRAMES, NM_KEY_BLOCK_SHIFT);
	return true;
}
