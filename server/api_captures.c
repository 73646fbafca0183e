/*
 * api_captures.c - GET /api/v1/captures and /api/v1/captures/{id}.
 */
#include <string.h>

#include "capture/manager.h"
#include "server/api.h"
#include "server/api_ctl.h"

static int add_capture(void *ctx, const nm_capture_row *c)
{
	cJSON *o = nm_api_capture_json(c);
	nm_api_capture_live(o, c->id, c->running);
	cJSON_AddItemToArray(ctx, o);
	return 0;
}

static enum MHD_Result list(nm_req *r, nm_store *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "captures");
	if (!arr) {
		cJSON_Delete(o);
		return nm_json_respond(r->conn, MHD_HTTP_OK, NULL);
	}
	if (nm_store_captures(s, add_capture, arr) < 0) {
		cJSON_Delete(o);
		return nm_api_internal(r, "listing captures", s);
	}
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

enum MHD_Result nm_api_capture_delete(nm_req *r)
{
	uint64_t id = 0;
	if (!r->arg || strchr(r->arg, '/'))
		return nm_api_not_found(r, "DELETE /api/v1/captures/{id}");
	if (!nm_parse_u64(r->arg, &id) || id == 0 || id > INT64_MAX)
		return nm_api_bad(r, "capture id: must be a positive integer");
	char err[512] = "";
	int rc = nm_mgr_delete((int64_t)id, err, sizeof err);
	if (rc == NM_MGR_OK) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (!resp)
			return MHD_NO;
		enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_NO_CONTENT, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	return nm_json_error(r->conn, (unsigned)-rc, rc == NM_MGR_NOT_FOUND ? "not_found"
					       : rc == NM_MGR_CONFLICT ? "conflict"
								     : "internal",
			     "%s", err);
}

enum MHD_Result nm_api_captures(nm_req *r)
{
	uint64_t id = 0;
	if (r->arg && (!nm_parse_u64(r->arg, &id) || id == 0 || id > INT64_MAX))
		return nm_api_bad(r, "capture id: must be a positive integer");
	nm_store *s = nm_api_store(r);
	if (!s)
		return MHD_YES;
	if (!r->arg)
		return list(r, s);
	nm_capture_row row;
	enum MHD_Result ret;
	if (nm_api_capture_exists(r, s, (int64_t)id, &row, &ret) <= 0)
		return ret;
	cJSON *o = nm_api_capture_json(&row);
	nm_api_capture_live(o, row.id, row.running);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
