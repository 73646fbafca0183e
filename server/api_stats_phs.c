/*
 * api_stats_phs.c - GET /api/v1/stats/protocols[?capture=]: the protocol
 * hierarchy, like `tshark -q -z io,phs`: every frame counts once in each
 * node along its frame.protocols path ("eth:ethertype:ip:udp:dns").
 *
 * The store gives frames and bytes per distinct path, counted as frames
 * are ingested (capture/paths.c, table path_stats), so frames the limits
 * evicted since still count, as in every other statistic; the tree is
 * built here.  The root is "frame" (every frame).
 *
 * io,phs counts only the protocols at the top of Wireshark's tree, while
 * frame.protocols lists every protocol at any depth.  So a path is read
 * with the differences seen against tshark on the corpus
 * (tests/phs_tshark.py): some names are no tree node of their own (folded:
 * their children hang under their parent), and some protocols put all
 * that follows inside their own subtree (the path ends with them).
 */
#include <stdlib.h>
#include <string.h>

#include "server/api_stats.h"

#define MAX_NODES 8192

typedef struct node {
	char name[32];
	int parent, child, next; /* -1: none */
	uint64_t frames, bytes;
} node;

typedef struct tree {
	node *n;
	int count;
	bool full;
} tree;

static int child_of(tree *t, int parent, const char *name, size_t len)
{
	int last = -1;
	for (int c = t->n[parent].child; c >= 0; last = c, c = t->n[c].next)
		if (strlen(t->n[c].name) == len && memcmp(t->n[c].name, name, len) == 0)
			return c;
	if (t->count >= MAX_NODES) {
		t->full = true;
		return -1;
	}
	int k = t->count++;
	node *n = &t->n[k];
	memset(n, 0, sizeof *n);
	memcpy(n->name, name, len < sizeof n->name ? len : sizeof n->name - 1);
	n->parent = parent, n->child = -1, n->next = -1;
	if (last < 0)
		t->n[parent].child = k;
	else
		t->n[last].next = k; /* siblings in first-seen order */
	return k;
}

static bool listed(const char *const *names, const char *p, size_t len)
{
	for (; *names; names++)
		if (strlen(*names) == len && memcmp(*names, p, len) == 0)
			return true;
	return false;
}

/* "ethertype" adds no protocol item; the IPv6 extension headers and AH
 * are subtrees of the IPv6 item. */
static const char *const folded[] = {"ethertype", "ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts", "ah",
                                     NULL};
/* ICMP quotes the offending packet and its data inside its own tree; IGMP
 * its version's message (igmp:igmp), QUIC its TLS handshake. */
static const char *const enclosing[] = {"icmp", "icmpv6", "igmp", "quic", NULL};

static int add_path(void *ctx, const nm_stat_cell *c, int n)
{
	tree *t = ctx;
	if (n < 3 || !c[0].is_text || !c[0].s)
		return 0;
	uint64_t frames = (uint64_t)c[1].i, bytes = (uint64_t)c[2].i;
	t->n[0].frames += frames, t->n[0].bytes += bytes;
	int at = 0;
	bool end = false;
	for (const char *p = c[0].s; *p && at >= 0 && !end;) {
		size_t len = strcspn(p, ":");
		if (len && !(len == 5 && memcmp(p, "frame", 5) == 0 && at == 0) && !listed(folded, p, len)) {
			at = child_of(t, at, p, len);
			if (at >= 0)
				t->n[at].frames += frames, t->n[at].bytes += bytes;
			end = listed(enclosing, p, len);
		}
		p += len + (p[len] == ':');
	}
	return 0;
}

static cJSON *node_json(const tree *t, int k, int depth)
{
	const node *n = &t->n[k];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", n->name);
	nm_json_add_u64(o, "frames", n->frames);
	nm_json_add_u64(o, "bytes", n->bytes);
	if (n->child >= 0 && depth < 64) {
		cJSON *arr = cJSON_AddArrayToObject(o, "children");
		for (int c = n->child; c >= 0; c = t->n[c].next)
			cJSON_AddItemToArray(arr, node_json(t, c, depth + 1));
	}
	return o;
}

enum MHD_Result nm_api_stats_protocols(nm_req *r)
{
	uint64_t capture = 0;
	enum MHD_Result ret;
	if (nm_api_param_u64(r, "capture", 1, INT64_MAX, &capture, &ret) < 0)
		return ret;
	nm_store *s = nm_api_store(r);
	if (!s)
		return MHD_YES;
	nm_capture_row row;
	if (capture && nm_api_capture_exists(r, s, (int64_t)capture, &row, &ret) <= 0)
		return ret;
	tree t = {.n = malloc(MAX_NODES * sizeof(node)), .count = 1};
	if (!t.n)
		return nm_json_respond(r->conn, MHD_HTTP_OK, NULL);
	memset(&t.n[0], 0, sizeof t.n[0]);
	strcpy(t.n[0].name, "frame");
	t.n[0].parent = t.n[0].child = t.n[0].next = -1;
	nm_stat_query q = {.kind = NM_STAT_PROTO_PATHS, .capture_id = (int64_t)capture};
	if (nm_store_stat_rows(s, &q, add_path, &t) < 0) {
		free(t.n);
		return nm_api_internal(r, "reading the protocol hierarchy", s);
	}
	cJSON *o = cJSON_CreateObject();
	if (capture)
		nm_json_add_i64(o, "capture", (int64_t)capture);
	else
		cJSON_AddNullToObject(o, "capture");
	cJSON_AddBoolToObject(o, "truncated", t.full);
	cJSON_AddItemToObject(o, "hierarchy", node_json(&t, 0, 0));
	free(t.n);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
