/*
 * api_stats.c - GET /api/v1/stats: totals of one capture or of all.
 */
#include <stdatomic.h>

#include "server/api.h"
#include "server/runtime.h"

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The stored drop counters lag behind the pipeline's by up to one stats
 * snapshot; while the capture runs, prefer the live ones. */
static void add_dropped(cJSON *o, const nm_totals *t, uint64_t capture)
{
	uint64_t kernel = t->dropped_kernel, queue = t->dropped_queue;
	int64_t live = atomic_load(&nm_rt.capture_id);
	if (atomic_load(&nm_rt.state) == NM_CAP_RUNNING && live > 0 && (capture == 0 || capture == (uint64_t)live)) {
		kernel = max_u64(kernel, atomic_load(&nm_rt.dropped_kernel));
		queue = max_u64(queue, atomic_load(&nm_rt.dropped_queue));
	}
	cJSON *d = cJSON_AddObjectToObject(o, "dropped");
	nm_json_add_u64(d, "kernel", kernel);
	nm_json_add_u64(d, "queue", queue);
	nm_json_add_u64(d, "buffer", t->dropped_buffer); /* evicted by the retention limits */
}

static cJSON *totals_json(const nm_totals *t, uint64_t capture)
{
	cJSON *o = cJSON_CreateObject();
	nm_json_add_u64(o, "frames", t->frames);
	nm_json_add_u64(o, "bytes", t->bytes);
	nm_json_add_u64(o, "broadcast", t->broadcast);
	nm_json_add_u64(o, "multicast", t->multicast);
	nm_json_add_u64(o, "truncated", t->truncated);
	nm_json_add_u64(o, "malformed", t->malformed);
	add_dropped(o, t, capture);
	nm_json_add_u64(o, "flows_evicted", t->flows_evicted);
	nm_json_add_u64(o, "reassembly_evicted", t->reasm_evicted);
	cJSON *arr = cJSON_AddArrayToObject(o, "protocols");
	for (size_t i = 0; arr && i < t->nprotos; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", t->protos[i].name);
		nm_json_add_u64(p, "frames", t->protos[i].frames);
		nm_json_add_u64(p, "bytes", t->protos[i].bytes);
		cJSON_AddItemToArray(arr, p);
	}
	return o;
}

enum MHD_Result nm_api_stats(nm_req *r)
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
	nm_totals t = {0};
	if (nm_store_totals(s, (int64_t)capture, &t) < 0) {
		nm_totals_free(&t);
		return nm_api_internal(r, "reading statistics", s);
	}
	cJSON *o = totals_json(&t, capture);
	nm_totals_free(&t);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
