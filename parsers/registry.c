/*
 * registry.c - the property database, handoff tables and the frame entry
 * point.
 *
 * The list of built-in protocols is parsers/protocols.def (an X-macro list:
 * adding a protocol is one line there plus its proto_NAME.c).  Field lookup
 * by name is a binary search over a sorted index built once at start-up;
 * the registry is immutable after nm_parsers_init(), so dissection and
 * lookups from many threads need no locks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "infofmt.h"

#define NM_PROTO(sym) extern nm_protocol sym;
#include "protocols.def"
#undef NM_PROTO

#define NM_PROTO(sym) &sym,
static nm_protocol *builtin[] = {
#include "protocols.def"
};
#undef NM_PROTO

#define MAX_PROTOCOLS 256
static nm_protocol *protocols[MAX_PROTOCOLS];
static size_t nprotocols;

typedef struct field_ref {
	const nm_field *field;
	const nm_protocol *proto;
} field_ref;
static field_ref *field_index;
static size_t nfields;

/* Handoff tables: small sorted arrays; they are filled once and read often. */
typedef struct handoff {
	uint32_t key;
	const nm_protocol *proto;
} handoff;
static handoff *tables[NM_TAB_COUNT];
static size_t table_len[NM_TAB_COUNT];

const char *nm_val_label(const nm_vals *vals, uint32_t v, const char *fallback)
{
	for (; vals && vals->label; vals++)
		if (vals->value == v)
			return vals->label;
	return fallback;
}

static int cmp_field(const void *a, const void *b)
{
	return strcmp(((const field_ref *)a)->field->name, ((const field_ref *)b)->field->name);
}

static int cmp_handoff(const void *a, const void *b)
{
	uint32_t x = ((const handoff *)a)->key, y = ((const handoff *)b)->key;
	return x < y ? -1 : x > y;
}

/* Register one protocol (built-in or from a plugin) and index its fields. */
static int register_protocol(nm_protocol *p)
{
	if (nprotocols >= MAX_PROTOCOLS)
		return -1;
	field_ref *fi = realloc(field_index, (nfields + p->nfields) * sizeof *fi);
	if (!fi)
		return -1;
	field_index = fi;
	p->id = (int)nprotocols;
	protocols[nprotocols++] = p;
	for (size_t i = 0; i < p->nfields; i++)
		field_index[nfields++] = (field_ref){&p->fields[i], p};
	return 0;
}

/* Set by nm_parsers_finish(): the field index and tables are sorted and
 * protocols can no longer be added. */
static bool finished;

void nm_parsers_begin(void)
{
	if (nprotocols)
		return;
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		register_protocol(builtin[i]);
}

/* A field name already in the (not yet sorted) index. */
static bool field_taken(const char *name)
{
	for (size_t i = 0; i < nfields; i++)
		if (strcmp(field_index[i].field->name, name) == 0)
			return true;
	return false;
}

/* For plugins, between nm_parsers_begin() and nm_parsers_finish(): names
 * must be new, so a plugin cannot shadow a built-in protocol or field. */
int nm_register_protocol(nm_protocol *p)
{
	if (finished || !p || !p->name || !p->short_name || !p->dissect || nm_protocol_find(p->name))
		return -1;
	for (size_t i = 0; i < p->nfields; i++)
		if (!p->fields[i].name || field_taken(p->fields[i].name))
			return -1;
	return register_protocol(p);
}

void nm_parsers_finish(void)
{
	if (finished)
		return;
	finished = true;
	if (nfields)
		qsort(field_index, nfields, sizeof *field_index, cmp_field);
	for (size_t i = 0; i < nprotocols; i++)
		if (protocols[i]->init)
			protocols[i]->init();
	for (int t = 0; t < NM_TAB_COUNT; t++)
		if (table_len[t])
			qsort(tables[t], table_len[t], sizeof(handoff), cmp_handoff);
}

void nm_parsers_init(void)
{
	nm_parsers_begin();
	nm_parsers_finish();
}

size_t nm_protocol_count(void)
{
	return nprotocols;
}

const nm_protocol *nm_protocol_at(size_t i)
{
	return i < nprotocols ? protocols[i] : NULL;
}

const nm_protocol *nm_protocol_find(const char *name)
{
	for (size_t i = 0; i < nprotocols; i++)
		if (strcmp(protocols[i]->name, name) == 0)
			return protocols[i];
	return NULL;
}

static const field_ref *field_ref_find(const char *name)
{
	nm_field key = {.name = name};
	field_ref k = {&key, NULL};
	return bsearch(&k, field_index, nfields, sizeof *field_index, cmp_field);
}

const nm_field *nm_field_find(const char *name)
{
	const field_ref *r = field_ref_find(name);
	return r ? r->field : NULL;
}

const nm_protocol *nm_field_protocol(const nm_field *f)
{
	const field_ref *r = f ? field_ref_find(f->name) : NULL;
	return r ? r->proto : NULL;
}

const char *nm_ftype_name(nm_ftype t)
{
	static const char *names[] = {
		[NM_FT_NONE] = "FT_NONE",
		[NM_FT_PROTOCOL] = "FT_PROTOCOL",
		[NM_FT_UINT8] = "FT_UINT8",
		[NM_FT_UINT16] = "FT_UINT16",
		[NM_FT_UINT24] = "FT_UINT24",
		[NM_FT_UINT32] = "FT_UINT32",
		[NM_FT_UINT64] = "FT_UINT64",
		[NM_FT_INT8] = "FT_INT8",
		[NM_FT_INT16] = "FT_INT16",
		[NM_FT_INT32] = "FT_INT32",
		[NM_FT_INT64] = "FT_INT64",
		[NM_FT_BOOLEAN] = "FT_BOOLEAN",
		[NM_FT_ETHER] = "FT_ETHER",
		[NM_FT_IPv4] = "FT_IPv4",
		[NM_FT_IPv6] = "FT_IPv6",
		[NM_FT_STRING] = "FT_STRING",
		[NM_FT_BYTES] = "FT_BYTES",
		[NM_FT_ABSOLUTE_TIME] = "FT_ABSOLUTE_TIME",
		[NM_FT_RELATIVE_TIME] = "FT_RELATIVE_TIME",
		[NM_FT_FRAMENUM] = "FT_FRAMENUM",
		[NM_FT_DOUBLE] = "FT_DOUBLE",
		[NM_FT_OID] = "FT_OID",
	};
	return (unsigned)t < sizeof names / sizeof names[0] && names[t] ? names[t] : "FT_NONE";
}

void nm_handoff_add(nm_table t, uint32_t key, const nm_protocol *p)
{
	handoff *n = realloc(tables[t], (table_len[t] + 1) * sizeof *n);
	if (!n)
		return;
	tables[t] = n;
	tables[t][table_len[t]++] = (handoff){key, p};
}

/* bsearch's probe sequence (so a key registered twice finds the entry it
 * always found), without a call through the comparator at every probe:
 * three to five lookups per frame. */
const nm_protocol *nm_handoff_find(nm_table t, uint32_t key)
{
	const handoff *h = tables[t];
	size_t lo = 0, hi = table_len[t];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (key < h[mid].key)
			hi = mid;
		else if (key > h[mid].key)
			lo = mid + 1;
		else
			return h[mid].proto;
	}
	return NULL;
}

void nm_handoff_set(nm_table t, uint32_t key, const nm_protocol *p)
{
	size_t n = table_len[t], w = 0;
	for (size_t i = 0; i < n; i++) /* drop every entry for key */
		if (tables[t][i].key != key)
			tables[t][w++] = tables[t][i];
	table_len[t] = w;
	if (p)
		nm_handoff_add(t, key, p);
	if (table_len[t])
		qsort(tables[t], table_len[t], sizeof(handoff), cmp_handoff);
}

/* ---- content heuristics ---- */

#define MAX_HEURISTICS 32
typedef struct heuristic {
	nm_heur_fn test;
	const nm_protocol *proto;
} heuristic;
static heuristic heuristics[NM_TAB_COUNT][MAX_HEURISTICS];
static size_t nheuristics[NM_TAB_COUNT];

void nm_heur_add(nm_table t, nm_heur_fn test, const nm_protocol *p)
{
	if (nheuristics[t] < MAX_HEURISTICS)
		heuristics[t][nheuristics[t]++] = (heuristic){test, p};
}

const nm_protocol *nm_heur_find(nm_table t, const nm_packet *pk, const nm_cursor *c)
{
	if (c->err || c->pos >= c->end)
		return NULL;
	for (size_t i = 0; i < nheuristics[t]; i++)
		if (heuristics[t][i].test(pk, c))
			return heuristics[t][i].proto;
	return NULL;
}

/* ---- summary columns ---- */

/* Filters dissect with a label-less tree and never read the summary
 * columns: skip formatting them there (it was a third of the cost). */
static bool no_summary(const nm_packet *pk)
{
	return pk->tree && pk->tree->no_labels;
}

static void info_at(nm_packet *pk, size_t at, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	if (!nm_info_vformat(pk->info + at, sizeof pk->info - at, fmt, &cp))
		vsnprintf(pk->info + at, sizeof pk->info - at, fmt, ap);
	va_end(cp);
}

void nm_set_info(nm_packet *pk, const char *fmt, ...)
{
	if (no_summary(pk))
		return;
	va_list ap;
	va_start(ap, fmt);
	info_at(pk, 0, fmt, ap);
	va_end(ap);
}

void nm_append_info(nm_packet *pk, const char *fmt, ...)
{
	size_t n = strlen(pk->info);
	if (n + 1 >= sizeof pk->info || no_summary(pk))
		return;
	va_list ap;
	va_start(ap, fmt);
	info_at(pk, n, fmt, ap);
	va_end(ap);
}

/* strlcpy: these run for every frame, where snprintf("%s") showed up in
 * profiles of the ingest path. */
static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void nm_set_src_dst(nm_packet *pk, const char *src, const char *dst)
{
	if (no_summary(pk))
		return;
	copy_str(pk->src, sizeof pk->src, src);
	copy_str(pk->dst, sizeof pk->dst, dst);
}

void nm_set_src_dst_fmt(nm_packet *pk, nm_addr_fmt fmt, const uint8_t *src, const uint8_t *dst)
{
	if (no_summary(pk))
		return;
	fmt(pk->src, sizeof pk->src, src);
	fmt(pk->dst, sizeof pk->dst, dst);
}

/* A byte loop: names are a few letters, for which strlen and memcpy calls
 * cost more than the copy (this runs four or five times per frame). */
void nm_path_push(nm_packet *pk, const char *name)
{
	char *p = pk->protocols + strlen(pk->protocols), *end = pk->protocols + sizeof pk->protocols - 1;
	if (p > pk->protocols && p < end)
		*p++ = ':';
	while (*name && p < end)
		*p++ = *name++;
	*p = '\0';
}

/* ---- calling dissectors ---- */

/* Tunnels can nest (IP in IP in GRE ...); past this depth a frame is
 * treated as malformed rather than followed further. */
#define MAX_DEPTH 24

static void mark_bad(nm_packet *pk, const nm_protocol *p, int r, uint32_t at)
{
	/* A read past the captured bytes of a frame that was longer on the wire
	 * is a snap-length cut (tshark: "Packet size limited during capture");
	 * anything else is a malformed frame. */
	bool cut = r == NM_TRUNCATED && pk->caplen < pk->wirelen;
	pk->flags |= cut ? NM_PKT_TRUNCATED : NM_PKT_MALFORMED;
	if (cut)
		nm_add_text(pk, -1, at, 0, "[Packet size limited during capture: %s truncated]", p->short_name);
	else
		nm_add_text(pk, -1, at, 0, "[Malformed Packet: %s]", p->short_name);
}

int nm_call(const nm_protocol *p, nm_packet *pk, nm_cursor *c, int parent)
{
	if (!p)
		return NM_OK;
	if (pk->depth >= MAX_DEPTH) {
		mark_bad(pk, p, NM_MALFORMED, c->pos);
		return NM_MALFORMED;
	}
	if (pk->net_off == NM_NO_OFFSET && (p == &nm_proto_ip || p == &nm_proto_ipv6))
		pk->net_off = c->pos;
	nm_path_push(pk, p->name);
	if (pk->nprotos < sizeof pk->proto_ids / sizeof pk->proto_ids[0])
		pk->proto_ids[pk->nprotos++] = (uint16_t)p->id;
	pk->protocol = p->short_name;
	pk->depth++;
	int r = p->dissect(pk, c, parent);
	pk->depth--;
	if (r != NM_OK && !(pk->flags & (NM_PKT_TRUNCATED | NM_PKT_MALFORMED)))
		mark_bad(pk, p, r, c->pos);
	return r;
}

bool nm_call_table(nm_table t, uint32_t key, nm_packet *pk, nm_cursor *c, int parent, int *result)
{
	if (t == NM_TAB_IP_PROTO && pk->transport_off == NM_NO_OFFSET)
		pk->transport_off = c->pos; /* also when no protocol claims it */
	const nm_protocol *p = nm_handoff_find(t, key);
	if (!p)
		return false;
	int r = nm_call(p, pk, c, parent);
	if (result)
		*result = r;
	return true;
}

void nm_dissect_frame(nm_packet *pk)
{
	nm_dissect_frame_with(pk, NULL);
}

void nm_dissect_frame_with(nm_packet *pk, nm_defrag *d)
{
	pk->defrag = d;
	pk->src[0] = pk->dst[0] = pk->info[0] = pk->protocols[0] = '\0';
	pk->protocol = NULL;
	pk->flags = 0;
	pk->nprotos = 0;
	pk->depth = 0;
	memset(&pk->flow, 0, sizeof pk->flow);
	pk->net_off = pk->transport_off = NM_NO_OFFSET;
	pk->source = NM_SRC_FRAME;
	pk->nkeys = 0;
	pk->keys_lost = false;

	nm_cursor c = nm_cursor_make(pk->data, 0, pk->caplen);
	nm_dissect_frame_proto(pk); /* the "frame" pseudo-protocol's tree */
	const nm_protocol *link = nm_handoff_find(NM_TAB_LINKTYPE, pk->linktype);
	if (link)
		nm_call(link, pk, &c, -1);
	else
		nm_set_info(pk, "Unsupported link type %u", pk->linktype);
	if (!pk->protocol)
		pk->protocol = "UNKNOWN";
	nm_frame_tree_finish(pk);
}
