/*
 * dissect.h - the parser framework: field tables, protocol descriptors,
 * protocol trees and handoff tables.
 *
 * Shape (after Wireshark's header-field registration and Network Monitor's
 * property database):
 *
 *   - Each protocol lives in one file, parsers/proto_NAME.c, and declares its
 *     fields in one static table of nm_field (Wireshark display-filter name,
 *     label, type, display base, value labels, bit mask).
 *   - It exports one nm_protocol descriptor; parsers/registry.c lists them.
 *     At start-up nm_parsers_init() registers every field into the property
 *     database and calls each protocol's `init` to fill the handoff tables
 *     (ethertype 0x0800 -> ip, udp port 53 -> dns, ...).
 *   - A dissector reads bytes only through nm_cursor (cursor.h), sets the
 *     summary columns (src, dst, protocol, info) and the flow key in the
 *     nm_packet, and adds fields to the tree.  When pk->tree is NULL (the
 *     ingest path) the nm_add_* calls return at once, so the same code serves
 *     the fast path and the detail view: one implementation per protocol.
 *
 * Tree values are rendered the way `tshark -T fields -e FIELD` renders them
 * (see tree.c), so the API and tshark can be compared field by field.
 */
#ifndef NETMON_DISSECT_H
#define NETMON_DISSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* ---- field types and display bases (a subset of Wireshark's ftypes) ---- */

typedef enum nm_ftype {
	NM_FT_NONE,     /* a label-only text node */
	NM_FT_PROTOCOL, /* a protocol's own node (ip, tcp, ...) */
	NM_FT_UINT8,
	NM_FT_UINT16,
	NM_FT_UINT24,
	NM_FT_UINT32,
	NM_FT_UINT64,
	NM_FT_INT8,
	NM_FT_INT16,
	NM_FT_INT32,
	NM_FT_INT64,
	NM_FT_BOOLEAN,
	NM_FT_ETHER,
	NM_FT_IPv4,
	NM_FT_IPv6,
	NM_FT_STRING,
	NM_FT_BYTES,
	NM_FT_ABSOLUTE_TIME,
	NM_FT_RELATIVE_TIME,
	NM_FT_FRAMENUM,
	NM_FT_DOUBLE,
	NM_FT_OID,
} nm_ftype;

typedef enum nm_base {
	NM_BASE_NONE,
	NM_BASE_DEC,
	NM_BASE_HEX,
	NM_BASE_OCT,
	NM_BASE_DEC_HEX,
	NM_BASE_HEX_DEC,
} nm_base;

/* Value-to-label pairs ("value_string"); a table ends with {0, NULL}. */
typedef struct nm_vals {
	uint32_t value;
	const char *label;
} nm_vals;

const char *nm_val_label(const nm_vals *vals, uint32_t v, const char *fallback);

/*
 * One field of the property database.  `name` is the display-filter name
 * ("ip.ttl"), `label` the tree label ("Time to Live").  For a field cut out
 * of a larger word, `mask` selects its bits and the value is shifted down
 * (as in Wireshark); for NM_FT_BOOLEAN the value is (word & mask) != 0.
 */
typedef struct nm_field {
	const char *name;
	const char *label;
	nm_ftype type;
	nm_base base;
	const nm_vals *vals;
	uint64_t mask;
	const char *blurb;
} nm_field;

/* Field-table shorthands for the common cases: no value labels, no mask. */
#define NM_F_STR(name, label) {name, label, NM_FT_STRING, NM_BASE_NONE, NULL, 0, NULL}
#define NM_F_BYTES(name, label) {name, label, NM_FT_BYTES, NM_BASE_NONE, NULL, 0, NULL}
#define NM_F_NUM(name, label, type, base) {name, label, type, base, NULL, 0, NULL}

/* ---- the packet being dissected ---- */

#define NM_SUMMARY_ADDR 64
#define NM_SUMMARY_INFO 256
#define NM_PROTOCOLS_LEN 160

enum {
	NM_PKT_TRUNCATED = 1 << 0, /* a header ran past the captured bytes */
	NM_PKT_MALFORMED = 1 << 1, /* a length or field contradicts the frame */
	NM_PKT_BROADCAST = 1 << 2, /* link-layer broadcast destination */
	NM_PKT_MULTICAST = 1 << 3, /* link-layer group (multicast) destination */
	/* an IPv4 fragment of a UDP datagram: reading it back (detail view,
	 * filters, extraction) needs the other fragments to show what tshark
	 * shows, and its own bytes may hold none of what a filter looks for */
	NM_PKT_UDP_FRAGMENT = 1 << 4,
};

/* Flow key: the innermost IP 5-tuple seen in the frame. */
typedef struct nm_flow_key {
	uint8_t family;   /* 4 or 6; 0 when the frame has no IP layer */
	uint8_t proto;    /* IP protocol number */
	uint16_t sport, dport;
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	uint8_t tcp_flags;        /* TCP: this segment's flags (for flow state) */
} nm_flow_key;

#define NM_NO_OFFSET UINT32_MAX

/* Address and port keys (nm_packet.keys): the kinds of value hashed (a
 * port is one kind whatever its transport), how many a frame keeps, and
 * the key of a block that must be read whatever the value. */
enum { NM_KEY_PORT = 2, NM_KEY_IPV4 = 4, NM_KEY_IPV6 = 6, NM_PKT_KEYS = 12 };
#define NM_KEY_ANY 1

typedef struct nm_tree nm_tree;
typedef struct nm_protocol nm_protocol;
typedef struct nm_defrag nm_defrag;

typedef struct nm_packet {
	/* input */
	const uint8_t *data;
	uint32_t caplen, wirelen;
	uint32_t linktype; /* DLT_/LINKTYPE_ value */
	int64_t ts_ns;     /* capture time, ns since the epoch */
	uint64_t number;   /* frame number within its capture, from 1 */
	int64_t first_ts_ns; /* capture's first frame time, for time_relative */

	/* output: summary columns */
	char src[NM_SUMMARY_ADDR];
	char dst[NM_SUMMARY_ADDR];
	const char *protocol; /* short name of the topmost protocol ("DNS") */
	char info[NM_SUMMARY_INFO];
	char protocols[NM_PROTOCOLS_LEN]; /* "eth:ethertype:ip:udp:dns" */
	uint32_t flags;                   /* NM_PKT_* */
	nm_flow_key flow;
	/* Set by the innermost IP layer for the transport above it: the TTL or
	 * hop limit (ICMP's info shows it) and the payload length the IP header
	 * announces (tcp.len counts bytes on the wire, not captured ones). */
	uint8_t ip_ttl;
	uint32_t ip_plen;
	/* Where the first network header (IPv4/IPv6) and what it carries begin
	 * (capture triggers match patterns there); NM_NO_OFFSET when absent. */
	uint32_t net_off, transport_off;

	/* protocols present, as registry indexes, in order (for statistics) */
	uint16_t proto_ids[16];
	uint8_t nprotos;

	int depth;    /* nesting guard against tunnel loops */
	nm_tree *tree; /* NULL on the ingest path */
	nm_defrag *defrag; /* IPv4 reassembly; set by nm_dissect_frame_with */
	/* Which bytes tree offsets refer to: NM_SRC_FRAME, or NM_SRC_REASSEMBLED
	 * while a reassembled datagram is dissected (Wireshark's second data
	 * source tab); copied into each node. */
	uint8_t source;

	/* Every IPv4/IPv6 address and TCP/UDP/SCTP port of the frame's layers,
	 * tunnelled and ICMP-quoted ones included, as nm_key_hash values.  The
	 * flow holds only the innermost ones, so for frames with several layers
	 * the capture stores these per block of frames and an address filter
	 * skips blocks without its value (filter/sql_flow.c).  The ingest path
	 * clears nkeys and keys_lost before dissecting; keys_lost: some did not
	 * fit. */
	uint64_t keys[NM_PKT_KEYS];
	uint8_t nkeys;
	bool keys_lost;
} nm_packet;

/* A key is 63 bits of an FNV-1a hash of the value (kind, bytes), never
 * NM_KEY_ANY (a block the filter must read anyway): a collision only
 * makes a block be read for nothing. */
static inline uint64_t nm_key_hash(int kind, const uint8_t *b, size_t n)
{
	uint64_t h = 14695981039346656037ull ^ (uint64_t)kind;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return (h >> 1) | 2;
}

static inline void nm_pkt_key(nm_packet *pk, int kind, const uint8_t *b, size_t n)
{
	uint64_t k = nm_key_hash(kind, b, n);
	for (size_t i = 0; i < pk->nkeys && i < NM_PKT_KEYS; i++)
		if (pk->keys[i] == k)
			return;
	if (pk->nkeys >= NM_PKT_KEYS)
		pk->keys_lost = true;
	else
		pk->keys[pk->nkeys++] = k;
}

/* The ports the flow holds now (the last transport's, or zeros). */
static inline void nm_pkt_key_ports(nm_packet *pk)
{
	uint8_t p[4] = {(uint8_t)(pk->flow.sport >> 8), (uint8_t)pk->flow.sport, (uint8_t)(pk->flow.dport >> 8),
	                (uint8_t)pk->flow.dport};
	nm_pkt_key(pk, NM_KEY_PORT, p, 2);
	nm_pkt_key(pk, NM_KEY_PORT, p + 2, 2);
}

enum { NM_SRC_FRAME = 0, NM_SRC_REASSEMBLED = 1 };

/*
 * IPv4 reassembly across frames.  Dissecting one frame cannot see the
 * others, so proto_ipv4 offers each UDP fragment to pk->defrag (the capture
 * path's table, or the detail view's, which is fed the other fragments of
 * the datagram first).  When this fragment completes the datagram, the
 * answer carries the whole payload and the pieces (by offset); otherwise
 * only the frame it is reassembled in, when the caller knows it.
 */
typedef struct nm_ip_frag {
	const uint8_t *src, *dst; /* 4 bytes each */
	uint16_t id;
	uint8_t proto;
	bool more;
	uint32_t offset, len; /* bytes into the datagram's payload */
	const uint8_t *data;  /* the fragment's payload, len bytes */
} nm_ip_frag;

typedef struct nm_frag_piece {
	uint64_t frame;
	uint32_t offset, len;
} nm_frag_piece;

typedef struct nm_ip_reasm {
	uint64_t reassembled_in; /* 0: not known */
	const uint8_t *data;     /* non-NULL: this frame completes the datagram */
	uint32_t len;
	const nm_frag_piece *pieces;
	uint32_t npieces;
} nm_ip_reasm;

struct nm_defrag {
	void (*ipv4)(nm_defrag *d, const nm_packet *pk, const nm_ip_frag *f, nm_ip_reasm *out);
};

/*
 * A dissector gets the packet, a cursor over its layer and the tree node to
 * hang its fields under (-1 at the top).  It returns NM_OK, or
 * NM_TRUNCATED/NM_MALFORMED after marking what it could; the framework
 * records the mark in pk->flags and adds Wireshark's expert node.
 */
enum { NM_OK = 0, NM_TRUNCATED = 1, NM_MALFORMED = 2 };
typedef int (*nm_dissect_fn)(nm_packet *pk, nm_cursor *c, int parent);

struct nm_protocol {
	const char *name;       /* filter name: "ip" */
	const char *short_name; /* Protocol column: "IPv4" */
	const char *long_name;  /* "Internet Protocol Version 4" */
	const nm_field *fields;
	size_t nfields;
	nm_dissect_fn dissect;
	void (*init)(void); /* registers handoffs; may be NULL */
	int id;             /* set at registration; index in the registry */
};

/* ---- registry (property database) ---- */

/*
 * Start-up is begin (the built-in protocols), then any nm_register_protocol
 * calls (plugins: nm_plugins_load), then finish (sort the field index, run
 * every protocol's init, sort the handoff tables).  nm_parsers_init() is
 * begin + finish; all three are idempotent.  nm_register_protocol returns
 * -1 after finish, or when the protocol's name or a field name is taken.
 */
void nm_parsers_init(void);
void nm_parsers_begin(void);
void nm_parsers_finish(void);
int nm_register_protocol(nm_protocol *p);
/* dlopen each *.so in `dir` and register its protocols (parsers/plugins.c):
 * returns how many plugins loaded, or -1 with `err` set when `dir` cannot be
 * read.  A plugin that fails is logged to stderr and skipped. */
int nm_plugins_load(const char *dir, char *err, size_t n);
size_t nm_protocol_count(void);
const nm_protocol *nm_protocol_at(size_t i);
const nm_protocol *nm_protocol_find(const char *name);
const nm_field *nm_field_find(const char *name);
const nm_protocol *nm_field_protocol(const nm_field *f);
const char *nm_ftype_name(nm_ftype t);

/* ---- handoff tables ---- */

typedef enum nm_table {
	NM_TAB_LINKTYPE,
	NM_TAB_ETHERTYPE,
	NM_TAB_IP_PROTO,
	NM_TAB_TCP_PORT,
	NM_TAB_UDP_PORT,
	NM_TAB_COUNT
} nm_table;

void nm_handoff_add(nm_table t, uint32_t key, const nm_protocol *p);
const nm_protocol *nm_handoff_find(nm_table t, uint32_t key);
/* Decode As: after nm_parsers_finish() and before any dissection starts
 * (not thread-safe), make key hand off to p, replacing what the protocol
 * registered; p == NULL removes the entry. */
void nm_handoff_set(nm_table t, uint32_t key, const nm_protocol *p);

/*
 * Content heuristics, for protocols found by their bytes rather than their
 * port (HTTP on any port, TLS by its record header, QUIC).  When no port
 * entry matches, the TCP/UDP handoff asks each heuristic registered for its
 * table, in registration order; the first whose test accepts the payload
 * dissects it.  A test only looks (through the const cursor) and must be cheap.
 */
typedef bool (*nm_heur_fn)(const nm_packet *pk, const nm_cursor *c);
void nm_heur_add(nm_table t, nm_heur_fn test, const nm_protocol *p);
const nm_protocol *nm_heur_find(nm_table t, const nm_packet *pk, const nm_cursor *c);

/*
 * Hand the rest of the frame to protocol `p` (does the bookkeeping: depth
 * guard, protocols path, protocol column, truncation marks).  Returns the
 * protocol's result, or NM_OK when p is NULL (unknown payload: left as data).
 */
int nm_call(const nm_protocol *p, nm_packet *pk, nm_cursor *c, int parent);

/* Look `key` up in table `t` and call what is found; false if nothing. */
bool nm_call_table(nm_table t, uint32_t key, nm_packet *pk, nm_cursor *c, int parent, int *result);

/* Dissect a whole frame from its link type: the entry point for callers. */
void nm_dissect_frame(nm_packet *pk);
/* The same with IPv4 reassembly through `d` (NULL: none, as above). */
void nm_dissect_frame_with(nm_packet *pk, nm_defrag *d);

/* Helpers for summary columns. */
void nm_set_info(nm_packet *pk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nm_append_info(nm_packet *pk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nm_set_src_dst(nm_packet *pk, const char *src, const char *dst);
/* The same from address bytes, formatted straight into the columns by one
 * of the nm_fmt_* functions below (this runs for every frame). */
typedef void (*nm_addr_fmt)(char *out, size_t n, const uint8_t *a);
void nm_set_src_dst_fmt(nm_packet *pk, nm_addr_fmt fmt, const uint8_t *src, const uint8_t *dst);

/* Add a name to frame.protocols without a dissector of its own, as
 * Wireshark's "ethertype" step in "eth:ethertype:ip". */
void nm_path_push(nm_packet *pk, const char *name);

/* Leftover payload no dissector claims: Wireshark's "data" protocol. */
int nm_call_data(nm_packet *pk, nm_cursor *c, int parent);
extern nm_protocol nm_proto_data;

/* The "frame" pseudo-protocol (proto_frame.c), called by nm_dissect_frame. */
void nm_dissect_frame_proto(nm_packet *pk);
void nm_frame_tree_finish(nm_packet *pk);

/* Text renderings shared by parsers, the tree and the summary columns. */
void nm_fmt_ether(char *out, size_t n, const uint8_t *mac);
void nm_fmt_ipv4(char *out, size_t n, const uint8_t *a);
void nm_fmt_ipv6(char *out, size_t n, const uint8_t *a); /* RFC 5952 */

/* ---- the protocol tree ---- */

/*
 * A tree is a flat array of nodes with parent links, allocated once per
 * detail request.  It has a fixed capacity; past it, adds are counted in
 * `dropped` and ignored, so a hostile frame cannot make it grow unbounded.
 */
typedef struct nm_node {
	const nm_field *field;   /* NULL for a text-only node */
	const nm_protocol *proto; /* set on protocol nodes */
	int parent;               /* -1 at the top */
	uint32_t offset, length;
	char *value; /* tshark -T fields rendering; NULL for text nodes */
	char *label; /* what the tree shows: "Time to Live: 64" */
	bool hidden; /* filterable but not shown (Wireshark's hidden items: ip.addr) */
	uint8_t source; /* NM_SRC_*: the frame's bytes or the reassembled ones */
} nm_node;

struct nm_tree {
	nm_node *nodes;
	int count, cap;
	unsigned dropped;
	/* Filters and field extraction read only values: skip rendering the
	 * labels (most of the cost of building a tree). */
	bool no_labels;
	char *strbuf; /* arena for value and label strings */
	size_t strused, strcap;
};

nm_tree *nm_tree_new(int cap, size_t strcap);
void nm_tree_free(nm_tree *t);

/*
 * Adders.  Each returns the new node's index (to pass as `parent` of
 * children), or -1 when there is no tree or it is full.  `off`/`len` are
 * absolute frame offsets (nm_cursor positions).
 */
int nm_add_proto(nm_packet *pk, int parent, const nm_protocol *p, uint32_t off, uint32_t len);
/* For a field with a mask, pass the whole word: the value is (v & mask) >> shift. */
int nm_add_uint(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, uint64_t v);
int nm_add_int(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, int64_t v);
int nm_add_bool(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, uint64_t word);
int nm_add_ether(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *mac);
int nm_add_ipv4(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *a);
int nm_add_ipv6(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *a);
int nm_add_string(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const char *s);
int nm_add_bytes(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const uint8_t *b);
int nm_add_double(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, double v);
int nm_add_time(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, int64_t ns, bool relative);
int nm_add_text(nm_packet *pk, int parent, uint32_t off, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A field of type NM_FT_NONE (no value, like Wireshark's): a labelled subtree. */
int nm_add_none(nm_packet *pk, int parent, const nm_field *f, uint32_t off, uint32_t len, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Mark a node hidden (e.g. the ip.addr copies of ip.src and ip.dst). */
void nm_hide(nm_packet *pk, int node);

#endif
