/*
 * api_common.c - the /api/v1 router and what every handler shares: the
 * per-thread store, strict parameter parsing, error answers and the
 * frame/capture renderings.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect.h"
#include "server/api.h"
#include "server/api_filter.h"
#include "server/api_stats.h"

/* ---- per-thread store ---- */

/* Each MHD worker keeps its own read-only connection: SQLite connections
 * must not be shared between threads without locking, and opening one per
 * request would cost more than most queries.  The pthread key's destructor
 * closes it when the worker exits (at nm_http_stop). */
static _Thread_local nm_store *tl_store;
static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;

static void store_close(void *p)
{
	nm_store_close(p);
}

static void store_key_init(void)
{
	pthread_key_create(&store_key, store_close);
}

nm_store *nm_api_store(nm_req *r)
{
	if (tl_store)
		return tl_store;
	char err[256] = "";
	/* A failure is not cached: the database may appear a moment later,
	 * when the capture starts. */
	nm_store *s = nm_store_open(r->db_path, true, err, sizeof err);
	if (!s) {
		nm_json_error(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "cannot open the database: %s", err);
		return NULL;
	}
	pthread_once(&store_once, store_key_init);
	pthread_setspecific(store_key, s);
	tl_store = s;
	return s;
}

/* ---- parameters ---- */

bool nm_parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || strlen(s) > 20)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

int nm_api_param_u64(nm_req *r, const char *name, uint64_t min, uint64_t max, uint64_t *out, enum MHD_Result *ret)
{
	const char *s = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	if (!s)
		return 0;
	uint64_t v;
	if (!nm_parse_u64(s, &v) || v < min || v > max) {
		*ret = nm_api_bad(r, "%s: must be an integer between %llu and %llu", name, (unsigned long long)min,
				  (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 1;
}

/* ---- errors ---- */

enum MHD_Result nm_api_bad(nm_req *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return nm_json_error(r->conn, MHD_HTTP_BAD_REQUEST, "bad_parameter", "%s", msg);
}

enum MHD_Result nm_api_not_found(nm_req *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return nm_json_error(r->conn, MHD_HTTP_NOT_FOUND, "not_found", "%s", msg);
}

enum MHD_Result nm_api_internal(nm_req *r, const char *what, nm_store *s)
{
	const char *why = s ? nm_store_errmsg(s) : NULL;
	return nm_json_error(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "%s: %s", what,
			     why ? why : "storage error");
}

int nm_api_capture_exists(nm_req *r, nm_store *s, int64_t id, nm_capture_row *row, enum MHD_Result *ret)
{
	int found = nm_store_capture_get(s, id, row);
	if (found < 0) {
		*ret = nm_api_internal(r, "reading the capture", s);
		return -1;
	}
	if (found == 0) {
		*ret = nm_api_not_found(r, "no capture %lld", (long long)id);
		return 0;
	}
	return 1;
}

/* ---- renderings ---- */

cJSON *nm_api_frame_summary(const nm_frame_row *f)
{
	cJSON *o = cJSON_CreateObject();
	nm_json_add_i64(o, "capture", f->capture_id);
	nm_json_add_u64(o, "number", f->number);
	nm_json_add_time(o, "ts", "time", f->ts_ns, 1);
	nm_json_add_u64(o, "len", f->len);
	nm_json_add_u64(o, "caplen", f->caplen);
	cJSON_AddStringToObject(o, "src", f->src);
	cJSON_AddStringToObject(o, "dst", f->dst);
	cJSON_AddStringToObject(o, "protocol", f->protocol);
	cJSON_AddStringToObject(o, "info", f->info);
	cJSON_AddBoolToObject(o, "malformed", (f->flags & NM_PKT_MALFORMED) != 0);
	cJSON_AddBoolToObject(o, "truncated", (f->flags & NM_PKT_TRUNCATED) != 0);
	return o;
}

cJSON *nm_api_capture_json(const nm_capture_row *c)
{
	cJSON *o = cJSON_CreateObject();
	nm_json_add_i64(o, "id", c->id);
	cJSON_AddStringToObject(o, "source", c->source);
	cJSON_AddStringToObject(o, "kind", c->kind);
	cJSON_AddStringToObject(o, "filter", c->filter);
	nm_json_add_u64(o, "linktype", c->linktype);
	nm_json_add_time(o, "first_ts", "first_time", c->first_ns, c->frames > 0);
	nm_json_add_time(o, "last_ts", "last_time", c->last_ns, c->frames > 0);
	nm_json_add_u64(o, "frames", c->frames);
	nm_json_add_u64(o, "bytes", c->bytes);
	/* what the frame list holds: the limits evict the oldest frames */
	nm_json_add_u64(o, "stored_frames", c->frames - (c->evicted < c->frames ? c->evicted : c->frames));
	cJSON_AddBoolToObject(o, "running", c->running);
	return o;
}

/* ---- router ---- */

static const struct route {
	const char *name;
	nm_api_fn fn;
	bool takes_arg;
	nm_api_fn post; /* POST handler; NULL: GET/HEAD only */
	nm_api_fn del;  /* DELETE handler */
} routes[] = {
	{.name = "status", .fn = nm_api_status},
	{.name = "captures",
	 .fn = nm_api_captures,
	 .takes_arg = true,
	 .post = nm_api_capture_post,
	 .del = nm_api_capture_delete},
	{.name = "interfaces", .fn = nm_api_interfaces},
	{.name = "events", .fn = nm_api_events},
	{.name = "alerts", .fn = nm_api_alerts},
	{.name = "frames", .fn = nm_api_frames_routed, .takes_arg = true}, /* filters: api_filter.c */
	{.name = "filter", .fn = nm_api_filter, .takes_arg = true},
	{.name = "stats", .fn = nm_api_stats_any, .takes_arg = true},
	{.name = "protocols", .fn = nm_api_protocols, .takes_arg = true},
};

enum MHD_Result nm_api_dispatch(struct MHD_Connection *conn, const char *method, const char *path,
				const char *db_path, const char *body, size_t body_len)
{
	nm_req r = {conn, path, NULL, db_path, method, body, body_len};
	bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	bool del = strcmp(method, MHD_HTTP_METHOD_DELETE) == 0;
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	if (slash && slash[1])
		r.arg = slash + 1;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (strlen(routes[i].name) != n || memcmp(routes[i].name, path, n) != 0)
			continue;
		if (del)
			return routes[i].del ? routes[i].del(&r)
					     : nm_json_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
							     "DELETE not allowed on /api/v1/%s", path);
		if (post) /* captures/{id}/pause: the handler parses its own arg */
			return routes[i].post ? routes[i].post(&r)
					      : nm_json_error(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
							      "POST not allowed on /api/v1/%s", path);
		if (r.arg && (!routes[i].takes_arg || strchr(r.arg, '/')))
			break;
		return routes[i].fn(&r);
	}
	return nm_api_not_found(&r, "no such API path: /api/v1/%s", path);
}
