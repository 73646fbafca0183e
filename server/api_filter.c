/*
 * api_filter.c - display filters in the API: filter= on the frame list,
 * frames/count, frames/find, filter/check and filter/complete.
 *
 * Each request compiles the filter, pushes what it can down to SQL
 * (filter/sql.c) and re-dissects only the frames SQL lets through, under a
 * time budget so that a slow filter answers 503 instead of holding a
 * worker thread.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reasm.h"
#include "server/api_filter.h"

#define BUDGET_MS_DEFAULT 30000
#define LIMIT_DEFAULT 100
#define LIMIT_MAX 10000

static const char *param(nm_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result filter_error(nm_req *r, const char *text, const nm_filter_error *e)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(err, "code", "bad_filter");
	cJSON_AddStringToObject(err, "message", e->msg);
	cJSON_AddStringToObject(err, "filter", text);
	cJSON_AddNumberToObject(err, "position", e->pos);
	cJSON_AddNumberToObject(err, "length", e->len);
	nm_json_add_str_or_null(err, "suggest", e->suggest[0] ? e->suggest : NULL);
	return nm_json_respond(r->conn, MHD_HTTP_BAD_REQUEST, o);
}

bool nm_fscan_open(nm_req *r, nm_fscan *fs, enum MHD_Result *ret)
{
	memset(fs, 0, sizeof *fs);
	uint64_t cap = 0, budget = BUDGET_MS_DEFAULT, dissect = 0;
	if (nm_api_param_u64(r, "capture", 1, INT64_MAX, &cap, ret) < 0 ||
	    nm_api_param_u64(r, "budget_ms", 1, 3600000, &budget, ret) < 0 ||
	    nm_api_param_u64(r, "dissect", 0, 1, &dissect, ret) < 0)
		return false;
	const char *text = param(r, "filter");
	nm_filter_error e;
	fs->filter = nm_filter_compile(text ? text : "", &e);
	if (!fs->filter) {
		*ret = filter_error(r, text, &e);
		return false;
	}
	fs->capture_id = (int64_t)cap;
	fs->budget_ns = (int64_t)budget * 1000000;
	fs->force_dissect = dissect != 0;
	fs->where = nm_filter_sql(fs->filter, &fs->exact);
	fs->cand = nm_filter_candidates(fs->filter);
	if (fs->force_dissect) {
		free(fs->where);
		free(fs->cand);
		fs->where = fs->cand = NULL;
		fs->exact = false;
	}
	fs->tree = nm_tree_new(4096, 1 << 20);
	if (fs->tree)
		fs->tree->no_labels = true;
	if ((!fs->where && !fs->force_dissect) || !fs->tree) {
		nm_fscan_close(fs);
		*ret = nm_json_error(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
		return false;
	}
	if (!(fs->store = nm_api_store(r))) { /* answered 500 */
		nm_fscan_close(fs);
		*ret = MHD_YES;
		return false;
	}
	return true;
}

void nm_fscan_close(nm_fscan *fs)
{
	nm_filter_free(fs->filter);
	free(fs->where);
	free(fs->cand);
	nm_tree_free(fs->tree);
	memset(fs, 0, sizeof *fs);
}

static void tree_reset(nm_tree *t)
{
	t->count = 0;
	t->strused = 0;
	t->dropped = 0;
}

/* Filters see what the detail view shows: a UDP fragment (ingest flagged
 * it) is dissected with the datagram's other fragments. */
void nm_fscan_dissect(nm_fscan *fs, const nm_frame_full *f)
{
	nm_tree *t = fs->tree;
	tree_reset(t);
	nm_packet pk = nm_api_packet_of(f, t);
	nm_reasm_table rt;
	bool completed;
	if (!(f->row.flags & NM_PKT_UDP_FRAGMENT) || !fs->store)
		nm_dissect_frame(&pk);
	else if (nm_api_dissect_reasm(fs->store, f, &pk, &rt, &completed))
		nm_reasm_free(&rt);
}

bool nm_fscan_match(nm_fscan *fs, const nm_frame_full *f, bool need_tree)
{
	if (fs->exact && !need_tree)
		return true;
	/* a fragment's own bytes may lack what its datagram has */
	if (!fs->exact && !(f->row.flags & NM_PKT_UDP_FRAGMENT) &&
	    !nm_filter_bytes_may_match(fs->filter, f->bytes, f->bytes ? f->row.caplen : 0))
		return false;
	nm_fscan_dissect(fs, f);
	return fs->exact || nm_filter_match(fs->filter, fs->tree, f->bytes, f->bytes ? f->row.caplen : 0);
}

nm_scan nm_fscan_query(const nm_fscan *fs, int64_t after_cap, uint64_t after_num, bool desc, bool bytes)
{
	nm_scan q = {
		.capture_id = fs->capture_id,
		.where = fs->where,
		.cand = fs->cand,
		.after_capture = after_cap,
		.after_number = after_num,
		.desc = desc,
		.want_bytes = bytes,
		.deadline_ns = nm_scan_now_ns() + fs->budget_ns,
	};
	return q;
}

enum MHD_Result nm_fscan_fail(nm_req *r, nm_store *s, int rc)
{
	if (rc == NM_SCAN_TIMEOUT)
		return nm_json_error(r->conn, MHD_HTTP_SERVICE_UNAVAILABLE, "filter_timeout",
				     "%s; narrow the filter (frame.number, frame.time_epoch, protocols) or raise budget_ms",
				     nm_store_errmsg(s));
	return nm_api_internal(r, "scanning frames", s);
}

/* ---- count ---- */

typedef struct counter {
	nm_fscan *fs;
	uint64_t n;
} counter;

static int count_one(void *ctx, const nm_frame_full *f)
{
	counter *c = ctx;
	c->n += nm_fscan_match(c->fs, f, false);
	return 0;
}

static enum MHD_Result count(nm_req *r)
{
	nm_fscan fs;
	enum MHD_Result ret;
	if (!nm_fscan_open(r, &fs, &ret))
		return ret;
	nm_store *s = nm_api_store(r);
	if (!s) {
		nm_fscan_close(&fs);
		return MHD_YES;
	}
	counter c = {&fs, 0};
	nm_scan q = nm_fscan_query(&fs, 0, 0, false, !fs.exact);
	int rc = nm_store_scan(s, &q, count_one, &c);
	bool exact = fs.exact;
	nm_fscan_close(&fs);
	if (rc < 0)
		return nm_fscan_fail(r, s, rc);
	cJSON *o = cJSON_CreateObject();
	nm_json_add_u64(o, "count", c.n);
	cJSON_AddBoolToObject(o, "pushed_down", exact);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

/* ---- pages and find ---- */

typedef struct pager {
	nm_fscan *fs;
	cJSON *arr;
	uint64_t limit, n;
	uint64_t skip; /* matches still to pass over (offset of a residual filter) */
	int64_t last_cap;
	uint64_t last_num;
} pager;

static int page_one(void *ctx, const nm_frame_full *f)
{
	pager *p = ctx;
	if (!nm_fscan_match(p->fs, f, false))
		return 0;
	if (p->skip) {
		p->skip--;
		return 0;
	}
	cJSON_AddItemToArray(p->arr, nm_api_frame_summary(&f->row));
	p->last_cap = f->row.capture_id;
	p->last_num = f->row.number;
	return ++p->n >= p->limit;
}

static bool parse_cursor(const char *s, int64_t *cap, uint64_t *num)
{
	unsigned long long c, n;
	char tail;
	if (!s || sscanf(s, "%llu:%llu%c", &c, &n, &tail) != 2 || c > INT64_MAX)
		return false;
	*cap = (int64_t)c;
	*num = n;
	return true;
}

/* offset: SQL skips it when the filter is exact; otherwise every frame
 * before the page is re-dissected, as it has to be to know it matches. */
static enum MHD_Result run_page(nm_req *r, nm_fscan *fs, nm_scan *q, uint64_t limit, uint64_t offset)
{
	nm_store *s = nm_api_store(r);
	if (!s)
		return MHD_YES;
	cJSON *o = cJSON_CreateObject();
	pager p = {.fs = fs, .arr = cJSON_AddArrayToObject(o, "frames"), .limit = limit, .skip = fs->exact ? 0 : offset};
	q->offset = fs->exact ? offset : 0;
	int rc = nm_store_scan(s, q, page_one, &p);
	if (rc < 0) {
		cJSON_Delete(o);
		return nm_fscan_fail(r, s, rc);
	}
	if (p.n == limit && !q->desc) {
		char cur[48];
		snprintf(cur, sizeof cur, "%" PRId64 ":%" PRIu64, p.last_cap, p.last_num);
		cJSON_AddStringToObject(o, "next_cursor", cur);
	} else {
		cJSON_AddNullToObject(o, "next_cursor");
	}
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

static enum MHD_Result filtered_list(nm_req *r)
{
	uint64_t limit = LIMIT_DEFAULT, offset = 0;
	enum MHD_Result ret;
	if (nm_api_param_u64(r, "limit", 1, LIMIT_MAX, &limit, &ret) < 0 ||
	    nm_api_param_u64(r, "offset", 0, INT64_MAX, &offset, &ret) < 0)
		return ret;
	const char *order = param(r, "order"), *cursor = param(r, "cursor");
	if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
		return nm_api_bad(r, "order: must be \"asc\" or \"desc\"");
	bool desc = order && strcmp(order, "desc") == 0;
	int64_t cap = 0;
	uint64_t num = 0;
	if (cursor && desc)
		return nm_api_bad(r, "cursor: not supported with order=desc");
	if (cursor && !parse_cursor(cursor, &cap, &num))
		return nm_api_bad(r, "cursor: malformed (pass back next_cursor unchanged)");
	nm_fscan fs;
	if (!nm_fscan_open(r, &fs, &ret))
		return ret;
	nm_scan q = nm_fscan_query(&fs, cap, num, desc, !fs.exact);
	ret = run_page(r, &fs, &q, limit, offset);
	nm_fscan_close(&fs);
	return ret;
}

static int latest_capture(void *ctx, const nm_capture_row *c)
{
	int64_t *max = ctx;
	if (c->id > *max)
		*max = c->id;
	return 0;
}

/* find?from=N&direction=next|prev: the nearest matching frame after (or
 * before) frame N of the capture (the latest one by default). */
static enum MHD_Result find(nm_req *r)
{
	uint64_t from = 0;
	enum MHD_Result ret;
	if (nm_api_param_u64(r, "from", 0, INT64_MAX, &from, &ret) < 0)
		return ret;
	const char *dir = param(r, "direction");
	if (dir && strcmp(dir, "next") != 0 && strcmp(dir, "prev") != 0)
		return nm_api_bad(r, "direction: must be \"next\" or \"prev\"");
	bool prev = dir && strcmp(dir, "prev") == 0;
	nm_store *s = nm_api_store(r);
	if (!s)
		return MHD_YES;
	nm_fscan fs;
	if (!nm_fscan_open(r, &fs, &ret))
		return ret;
	if (!fs.capture_id && nm_store_captures(s, latest_capture, &fs.capture_id) < 0) {
		nm_fscan_close(&fs);
		return nm_api_internal(r, "listing captures", s);
	}
	nm_scan q = nm_fscan_query(&fs, fs.capture_id, prev && from == 0 ? UINT64_MAX : from, prev, !fs.exact);
	cJSON *arr = cJSON_CreateArray();
	pager p = {.fs = &fs, .arr = arr, .limit = 1};
	int rc = fs.capture_id ? nm_store_scan(s, &q, page_one, &p) : 0;
	nm_fscan_close(&fs);
	if (rc < 0) {
		cJSON_Delete(arr);
		return nm_fscan_fail(r, s, rc);
	}
	cJSON *o = cJSON_CreateObject();
	cJSON *hit = cJSON_DetachItemFromArray(arr, 0);
	cJSON_Delete(arr);
	cJSON_AddItemToObject(o, "frame", hit ? hit : cJSON_CreateNull());
	return nm_json_respond(r->conn, hit ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, o);
}

enum MHD_Result nm_api_frames_routed(nm_req *r)
{
	if (r->arg && strcmp(r->arg, "count") == 0)
		return count(r);
	if (r->arg && strcmp(r->arg, "find") == 0)
		return find(r);
	if (r->arg && strcmp(r->arg, "fields") == 0)
		return nm_api_frames_fields(r);
	if (r->arg && strcmp(r->arg, "export") == 0)
		return nm_api_frames_export(r);
	if (!r->arg && param(r, "filter"))
		return filtered_list(r);
	return nm_api_frames(r);
}

/* ---- check and complete ---- */

static enum MHD_Result check(nm_req *r)
{
	const char *text = param(r, "filter");
	if (!text)
		return nm_api_bad(r, "filter: required");
	nm_filter_error e;
	nm_filter *f = nm_filter_compile(text, &e);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "valid", f != NULL);
	if (f) {
		bool exact;
		char *sql = nm_filter_sql(f, &exact);
		nm_json_add_str_or_null(o, "sql", sql);
		cJSON_AddBoolToObject(o, "pushed_down", exact);
		free(sql);
		nm_filter_free(f);
	} else {
		cJSON_AddStringToObject(o, "error", e.msg);
		cJSON_AddNumberToObject(o, "position", e.pos);
		cJSON_AddNumberToObject(o, "length", e.len);
		nm_json_add_str_or_null(o, "suggest", e.suggest[0] ? e.suggest : NULL);
	}
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

static enum MHD_Result complete(nm_req *r)
{
	const char *prefix = param(r, "prefix");
	const char *names[200];
	size_t n = nm_filter_complete(prefix ? prefix : "", names, 200);
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "names");
	for (size_t i = 0; i < n && i < 200; i++) {
		const nm_field *f = nm_field_find(names[i]);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", names[i]);
		cJSON_AddStringToObject(e, "type", f ? nm_ftype_name(f->type) : "Protocol");
		cJSON_AddItemToArray(arr, e);
	}
	nm_json_add_u64(o, "total", n);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

enum MHD_Result nm_api_filter(nm_req *r)
{
	if (r->arg && strcmp(r->arg, "check") == 0)
		return check(r);
	if (r->arg && strcmp(r->arg, "complete") == 0)
		return complete(r);
	return nm_api_not_found(r, "no such resource: filter/%s", r->arg ? r->arg : "");
}
