/*
 * api_alerts.c - GET /api/v1/alerts?after=ID&limit=N: the fired triggers
 * the daemon remembers (capture/trigger.h keeps the last NM_ALERTS_MAX in
 * memory; "dropped" counts the older ones it has forgotten).  A client
 * polls with after = the last id it has seen, or follows `event: alert`
 * on /api/v1/events, which carries the same object.
 */
#include <stdlib.h>

#include "capture/trigger.h"
#include "server/api.h"

#define DEFAULT_LIMIT 100

cJSON *nm_api_alert_json(const nm_alert *a)
{
	cJSON *o = cJSON_CreateObject();
	nm_json_add_u64(o, "id", a->id);
	nm_json_add_time(o, "ts", "time", a->ts_ns, 1);
	nm_json_add_i64(o, "capture_id", a->capture_id);
	cJSON_AddStringToObject(o, "kind", "trigger");
	cJSON_AddStringToObject(o, "trigger", nm_trigger_when_name(a->when));
	cJSON_AddStringToObject(o, "action", nm_trigger_action_name(a->action));
	cJSON_AddStringToObject(o, "message", a->message);
	return o;
}

enum MHD_Result nm_api_alerts(nm_req *r)
{
	if (r->arg)
		return nm_api_not_found(r, "no such API path: /api/v1/%s", r->path);
	uint64_t after = 0, limit = DEFAULT_LIMIT, dropped = 0;
	enum MHD_Result ret;
	if (nm_api_param_u64(r, "after", 0, UINT64_MAX, &after, &ret) < 0 ||
	    nm_api_param_u64(r, "limit", 1, NM_ALERTS_MAX, &limit, &ret) < 0)
		return ret;
	nm_alert *a = malloc(limit * sizeof *a);
	if (!a)
		return nm_json_error(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
	size_t n = nm_alerts_list(after, a, (size_t)limit, &dropped);
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "alerts");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, nm_api_alert_json(&a[i]));
	nm_json_add_u64(o, "dropped", dropped);
	free(a);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
