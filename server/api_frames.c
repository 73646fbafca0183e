/*
 * api_frames.c - GET /api/v1/frames (the packet list, keyset-paginated)
 * and GET /api/v1/frames/{number} (one frame, re-dissected with a tree).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reasm.h"
#include "dissect.h"
#include "server/api.h"
#include "server/api_filter.h"

#define LIMIT_DEFAULT 100
#define LIMIT_MAX 10000

typedef struct page {
	cJSON *arr;
	unsigned count;
	int64_t last_capture;
	uint64_t last_number;
} page;

static int add_frame(void *ctx, const nm_frame_row *f)
{
	page *p = ctx;
	cJSON_AddItemToArray(p->arr, nm_api_frame_summary(f));
	p->count++;
	p->last_capture = f->capture_id;
	p->last_number = f->number;
	return 0;
}

/* The cursor is "CAPTURE:NUMBER" of the last frame delivered. */
static bool parse_cursor(const char *s, int64_t *cap, uint64_t *num)
{
	const char *colon = strchr(s, ':');
	char head[24];
	uint64_t c;
	if (!colon || (size_t)(colon - s) >= sizeof head)
		return false;
	memcpy(head, s, (size_t)(colon - s));
	head[colon - s] = '\0';
	if (!nm_parse_u64(head, &c) || c > INT64_MAX || !nm_parse_u64(colon + 1, num))
		return false;
	*cap = (int64_t)c;
	return true;
}

typedef struct list_args {
	uint64_t capture, limit;
	bool desc, has_cursor;
	int64_t after_capture;
	uint64_t after_number;
} list_args;

/* Read and check the query; false after answering 400. */
static bool list_params(nm_req *r, list_args *a, enum MHD_Result *ret)
{
	a->limit = LIMIT_DEFAULT;
	if (nm_api_param_u64(r, "capture", 1, INT64_MAX, &a->capture, ret) < 0 ||
	    nm_api_param_u64(r, "limit", 1, LIMIT_MAX, &a->limit, ret) < 0)
		return false;
	const char *order = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "order");
	if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0) {
		*ret = nm_api_bad(r, "order: must be \"asc\" or \"desc\"");
		return false;
	}
	a->desc = order && strcmp(order, "desc") == 0;
	const char *cursor = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "cursor");
	a->has_cursor = cursor != NULL;
	if (cursor && a->desc) {
		*ret = nm_api_bad(r, "cursor: not supported with order=desc");
		return false;
	}
	if (cursor && !parse_cursor(cursor, &a->after_capture, &a->after_number)) {
		*ret = nm_api_bad(r, "cursor: malformed (pass back next_cursor unchanged)");
		return false;
	}
	return true;
}

static enum MHD_Result list(nm_req *r)
{
	list_args a = {0};
	enum MHD_Result ret;
	if (!list_params(r, &a, &ret))
		return ret;
	nm_store *s = nm_api_store(r);
	if (!s)
		return MHD_YES;
	nm_capture_row row;
	if (a.capture && nm_api_capture_exists(r, s, (int64_t)a.capture, &row, &ret) <= 0)
		return ret;

	cJSON *o = cJSON_CreateObject();
	page p = {cJSON_AddArrayToObject(o, "frames"), 0, 0, 0};
	if (!p.arr) {
		cJSON_Delete(o);
		return nm_json_respond(r->conn, MHD_HTTP_OK, NULL);
	}
	int n = a.desc ? nm_store_frames_latest(s, (int64_t)a.capture, (unsigned)a.limit, add_frame, &p)
		       : nm_store_frames(s, (int64_t)a.capture, a.after_capture, a.after_number, (unsigned)a.limit,
					 add_frame, &p);
	if (n < 0) {
		cJSON_Delete(o);
		return nm_api_internal(r, "reading frames", s);
	}
	if (!a.desc && p.count == a.limit) {
		char cur[48];
		snprintf(cur, sizeof cur, "%" PRId64 ":%" PRIu64, p.last_capture, p.last_number);
		cJSON_AddStringToObject(o, "next_cursor", cur);
	} else {
		cJSON_AddNullToObject(o, "next_cursor");
	}
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

/* ---- one frame ---- */

static int max_capture(void *ctx, const nm_capture_row *c)
{
	int64_t *max = ctx;
	if (c->id > *max)
		*max = c->id;
	return 0;
}

/* The JSON tree from the flat node array.  Parents precede their children
 * (a node's parent exists when it is added), so one pass suffices; hidden
 * nodes and everything under them are left out. */
static cJSON *tree_json(const nm_tree *t)
{
	cJSON *root = cJSON_CreateArray();
	cJSON **kids = calloc((size_t)t->count + 1, sizeof *kids);
	if (!root || !kids) {
		free(kids);
		cJSON_Delete(root);
		return NULL;
	}
	for (int i = 0; i < t->count; i++) {
		const nm_node *n = &t->nodes[i];
		int p = n->parent;
		cJSON *into = p < 0 || p >= i ? root : kids[p];
		if (n->hidden || !into)
			continue; /* kids[i] stays NULL: its subtree is skipped too */
		cJSON *o = cJSON_CreateObject();
		const char *field = n->proto ? n->proto->name : n->field ? n->field->name : NULL;
		nm_json_add_str_or_null(o, "field", field);
		cJSON_AddStringToObject(o, "label", n->label ? n->label : "");
		if (n->value && n->field && !n->proto)
			cJSON_AddStringToObject(o, "value", n->value);
		else
			cJSON_AddNullToObject(o, "value");
		nm_json_add_u64(o, "offset", n->offset);
		nm_json_add_u64(o, "length", n->length);
		if (n->source == NM_SRC_REASSEMBLED) /* offsets into "reassembled" */
			cJSON_AddStringToObject(o, "source", "reassembled");
		kids[i] = cJSON_AddArrayToObject(o, "children");
		cJSON_AddItemToArray(into, o);
	}
	free(kids);
	return root;
}

static char *hex_string(const uint8_t *b, uint32_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc((size_t)n * 2 + 1);
	if (!s)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 15];
	}
	s[2 * (size_t)n] = '\0';
	return s;
}

/* Frames one datagram may come from, at most (a table's piece limit). */
#define MAX_FRAGS 512

nm_packet nm_api_packet_of(const nm_frame_full *f, nm_tree *tree)
{
	nm_packet pk = {0};
	pk.data = f->bytes;
	pk.caplen = f->bytes ? f->row.caplen : 0;
	pk.wirelen = f->row.len;
	pk.linktype = f->linktype;
	pk.ts_ns = f->row.ts_ns;
	pk.number = f->row.number;
	pk.first_ts_ns = f->first_ns;
	pk.tree = tree;
	return pk;
}

static void feed_fragment(nm_reasm_table *t, const nm_frame_full *g)
{
	nm_packet pk = nm_api_packet_of(g, NULL);
	nm_dissect_frame_with(&pk, &t->base);
}

/* IPv4 reassembly, which ingest recorded as links: a fragment learns the
 * frame it is reassembled in; that frame's table is first fed the other
 * fragments, so dissecting the frame itself completes the datagram. */
static void prepare_reasm(nm_store *s, const nm_frame_full *f, nm_reasm_table *t)
{
	uint64_t in, *frames = malloc(MAX_FRAGS * sizeof *frames);
	int n = frames ? nm_store_frag_frames(s, f->row.capture_id, f->row.number, &in, frames, MAX_FRAGS) : -1;
	if (n > 0 && in != f->row.number)
		t->known_in = in;
	for (int i = 0; n > 0 && in == f->row.number && i < n; i++) {
		nm_frame_full g = {0};
		if (frames[i] != in && nm_store_frame_get(s, f->row.capture_id, frames[i], &g) == 1)
			feed_fragment(t, &g);
		nm_frame_full_free(&g);
	}
	free(frames);
}

bool nm_api_dissect_reasm(nm_store *s, const nm_frame_full *f, nm_packet *pk, nm_reasm_table *t, bool *completed)
{
	bool reasm = nm_reasm_init(t, 8, MAX_FRAGS * 65536u, INT64_MAX) == 0;
	if (reasm)
		prepare_reasm(s, f, t);
	uint64_t before = reasm ? t->completed : 0;
	nm_dissect_frame_with(pk, reasm ? &t->base : NULL);
	*completed = reasm && t->completed > before;
	return reasm;
}

/* The datagram this frame completed: the data source of the nodes that
 * were dissected from it (Wireshark's "Reassembled IPv4" tab). */
static void add_reassembled(cJSON *o, const nm_reasm_table *t)
{
	cJSON *r = cJSON_AddObjectToObject(o, "reassembled");
	char *hex = hex_string(t->done_data, t->done_len);
	if (!r || !hex) {
		free(hex);
		return;
	}
	nm_json_add_u64(r, "length", t->done_len);
	cJSON_AddStringToObject(r, "bytes", hex);
	free(hex);
}

/* Summary + tree + bytes; NULL when out of memory. */
static cJSON *frame_detail(nm_store *s, const nm_frame_full *f)
{
	nm_tree *t = nm_tree_new(4096, 1 << 20);
	char *hex = hex_string(f->bytes ? f->bytes : (const uint8_t *)"", f->bytes ? f->row.caplen : 0);
	cJSON *o = nm_api_frame_summary(&f->row);
	if (!t || !hex || !o) {
		nm_tree_free(t);
		free(hex);
		cJSON_Delete(o);
		return NULL;
	}
	nm_packet pk = nm_api_packet_of(f, t);
	nm_reasm_table rt;
	bool completed;
	if (nm_api_dissect_reasm(s, f, &pk, &rt, &completed)) {
		if (completed)
			add_reassembled(o, &rt);
		nm_reasm_free(&rt);
	}
	nm_json_add_u64(o, "linktype", f->linktype);
	cJSON_AddItemToObject(o, "tree", tree_json(t));
	nm_json_add_u64(o, "tree_dropped", t->dropped);
	cJSON_AddStringToObject(o, "bytes", hex);
	nm_tree_free(t);
	free(hex);
	return o;
}

static enum MHD_Result one(nm_req *r)
{
	uint64_t number, capture = 0;
	enum MHD_Result ret;
	if (!nm_parse_u64(r->arg, &number) || number == 0)
		return nm_api_bad(r, "frame number: must be a positive integer");
	if (nm_api_param_u64(r, "capture", 1, INT64_MAX, &capture, &ret) < 0)
		return ret;
	nm_store *s = nm_api_store(r);
	if (!s)
		return MHD_YES;
	if (!capture) {
		int64_t latest = 0;
		if (nm_store_captures(s, max_capture, &latest) < 0)
			return nm_api_internal(r, "listing captures", s);
		if (!latest)
			return nm_api_not_found(r, "no captures yet");
		capture = (uint64_t)latest;
	}
	nm_frame_full f = {0};
	int found = nm_store_frame_get(s, (int64_t)capture, number, &f);
	if (found < 0)
		return nm_api_internal(r, "reading the frame", s);
	if (found == 0)
		return nm_api_not_found(r, "no frame %" PRIu64 " in capture %" PRIu64, number, capture);
	cJSON *o = frame_detail(s, &f);
	nm_frame_full_free(&f);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

enum MHD_Result nm_api_frames(nm_req *r)
{
	return r->arg ? one(r) : list(r);
}
