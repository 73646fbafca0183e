/*
 * api_status.c - GET /api/v1/status: the daemon and its capture, from the
 * live runtime counters (no database access, so it answers even before
 * the database exists).
 */
#include "config.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "capture/manager.h"
#include "capture/retention.h"
#include "server/api.h"
#include "server/api_ctl.h"
#include "server/runtime.h"

/* The strings in nm_rt are written by the capture thread before it
 * publishes the state; copy them bounded in case one is being rewritten. */
static void add_rt_string(cJSON *o, const char *name, const char *s, size_t cap)
{
	char buf[256];
	size_t n = strnlen(s, cap < sizeof buf ? cap : sizeof buf - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	nm_json_add_str_or_null(o, name, buf);
}

static cJSON *capture_json(void)
{
	cJSON *c = cJSON_CreateObject();
	int state = atomic_load(&nm_rt.state);
	int64_t id = atomic_load(&nm_rt.capture_id);
	cJSON_AddStringToObject(c, "state", nm_cap_state_name(state));
	add_rt_string(c, "source", nm_rt.source, sizeof nm_rt.source);
	add_rt_string(c, "kind", nm_rt.kind, sizeof nm_rt.kind);
	if (id > 0)
		nm_json_add_i64(c, "capture_id", id);
	else
		cJSON_AddNullToObject(c, "capture_id");
	if (state == NM_CAP_FAILED)
		add_rt_string(c, "error", nm_rt.error, sizeof nm_rt.error);
	else
		cJSON_AddNullToObject(c, "error");
	return c;
}

/* The database on disk and the retention that bounds it.  disk_bytes
 * counts every file (SQLite, WAL, frame bytes) as du does; the ceiling
 * applies to that sum. */
static cJSON *storage_json(const nm_ret_status *rs)
{
	cJSON *s = cJSON_CreateObject();
	nm_json_add_str_or_null(s, "path", nm_rt.db_path);
	nm_json_add_u64(s, "disk_bytes", nm_rt.db_path ? nm_ret_disk_bytes(nm_rt.db_path) : 0);
	if (rs->ceiling)
		nm_json_add_u64(s, "ceiling", rs->ceiling);
	else
		cJSON_AddNullToObject(s, "ceiling");
	nm_api_limits_add(s, "limits", &rs->db_limits);
	nm_json_add_u64(s, "frames_evicted", rs->evicted_frames);
	nm_json_add_u64(s, "bytes_evicted", rs->evicted_bytes);
	cJSON_AddNumberToObject(s, "evict_s", (double)(rs->evict_ns / 1000000) / 1000);
	cJSON_AddNumberToObject(s, "longest_evict_ms", (double)(rs->longest_stall_ns / 1000) / 1000);
	return s;
}

enum MHD_Result nm_api_status(nm_req *r)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	double uptime = nm_rt.started_ns ? (double)(now_ns - nm_rt.started_ns) / 1e9 : 0.0;

	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
	cJSON_AddNumberToObject(o, "uptime_s", uptime < 0 ? 0 : (double)(int64_t)(uptime * 1000) / 1000);
	cJSON_AddItemToObject(o, "capture", capture_json());
	nm_json_add_u64(o, "frames_seen", atomic_load(&nm_rt.frames_seen));
	nm_json_add_u64(o, "frames_stored", atomic_load(&nm_rt.frames_stored));
	nm_json_add_u64(o, "bytes_stored", atomic_load(&nm_rt.bytes_stored));
	cJSON *d = cJSON_AddObjectToObject(o, "dropped");
	nm_json_add_u64(d, "queue", atomic_load(&nm_rt.dropped_queue));
	nm_json_add_u64(d, "kernel", atomic_load(&nm_rt.dropped_kernel));
	nm_ret_status rs;
	nm_ret_status_get(&rs);
	nm_json_add_u64(d, "buffer", rs.evicted_frames); /* evicted by the limits */
	cJSON_AddItemToObject(o, "storage", storage_json(&rs));
	/* IPv4 datagrams whose fragments were dropped unfinished (bounded table) */
	nm_json_add_u64(o, "reassembly_evicted", atomic_load(&nm_rt.frags_evicted));
	/* every capture this daemon runs or ran, oldest first; "capture"
	 * above is the latest one started */
	static _Thread_local nm_capture_view views[64];
	size_t n = nm_mgr_list(views, 64);
	cJSON *arr = cJSON_AddArrayToObject(o, "captures");
	for (size_t i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, nm_api_capture_view_json(&views[i]));
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
