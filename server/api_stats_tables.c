/*
 * api_stats_tables.c - the statistics tables under /api/v1/stats/:
 *
 *   conversations?type=eth|ip|ipv6|tcp|udp   (like tshark -z conv,TYPE)
 *   stations[?type=eth|ip|ipv6]               (like tshark -z endpoints,TYPE)
 *   timeseries?interval=1s|1m|1h&from=&to=    (the stored series: frames,
 *                                             bytes, drops, broadcast,
 *                                             multicast per bucket)
 *
 * each with capture=, sort=COLUMN, order=asc|desc, limit=, offset=.  The
 * protocol hierarchy (stats/protocols) is in api_stats_phs.c.
 */
#include <stdio.h>
#include <string.h>

#include "server/api.h"
#include "server/api_stats.h"

#define LIMIT_DEFAULT 100
#define LIMIT_MAX 100000

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* One row as a JSON object; *_ns columns also get an RFC 3339 twin. */
static int add_row(void *ctx, const nm_stat_cell *c, int n)
{
	cJSON *o = cJSON_CreateObject();
	for (int i = 0; i < n; i++) {
		if (c[i].is_text) {
			cJSON_AddStringToObject(o, c[i].name, c[i].s ? c[i].s : "");
			continue;
		}
		nm_json_add_i64(o, c[i].name, c[i].i);
		if (ends_with(c[i].name, "_ns") && !ends_with(c[i].name, "duration_ns")) {
			char name[64], t[40];
			snprintf(name, sizeof name, "%.*s_time", (int)strlen(c[i].name) - 3, c[i].name);
			nm_json_rfc3339(t, sizeof t, c[i].i);
			cJSON_AddStringToObject(o, name, t);
		}
	}
	cJSON_AddItemToArray(ctx, o);
	return 0;
}

int nm_api_stat_common(nm_req *r, nm_stat_query *q, enum MHD_Result *ret)
{
	uint64_t capture = 0, limit = LIMIT_DEFAULT, offset = 0;
	if (nm_api_param_u64(r, "capture", 1, INT64_MAX, &capture, ret) < 0 ||
	    nm_api_param_u64(r, "limit", 1, LIMIT_MAX, &limit, ret) < 0 ||
	    nm_api_param_u64(r, "offset", 0, INT64_MAX, &offset, ret) < 0)
		return -1;
	q->capture_id = (int64_t)capture;
	q->limit = limit;
	q->offset = offset;
	q->sort = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "sort");
	const char *order = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "order");
	if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0) {
		*ret = nm_api_bad(r, "order: must be asc or desc");
		return -1;
	}
	q->asc = order && strcmp(order, "asc") == 0;
	return 0;
}

/* Run q and answer {..., "<list>": [rows]}; `o` carries the echo fields. */
enum MHD_Result nm_api_stat_answer(nm_req *r, const nm_stat_query *q, cJSON *o, const char *list)
{
	nm_store *s = nm_api_store(r);
	if (!s) {
		cJSON_Delete(o);
		return MHD_YES;
	}
	enum MHD_Result ret;
	nm_capture_row row;
	if (q->capture_id && nm_api_capture_exists(r, s, q->capture_id, &row, &ret) <= 0) {
		cJSON_Delete(o);
		return ret;
	}
	if (q->capture_id)
		nm_json_add_i64(o, "capture", q->capture_id);
	else
		cJSON_AddNullToObject(o, "capture");
	nm_json_add_u64(o, "limit", q->limit);
	nm_json_add_u64(o, "offset", q->offset);
	cJSON *arr = cJSON_AddArrayToObject(o, list);
	int rc = nm_store_stat_rows(s, q, add_row, arr);
	if (rc == -2) {
		ret = nm_api_bad(r, "%s", nm_store_errmsg(s));
		cJSON_Delete(o);
		return ret;
	}
	if (rc < 0) {
		cJSON_Delete(o);
		return nm_api_internal(r, "reading statistics", s);
	}
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}

static const char *addr_type(nm_req *r, bool flows_too, enum MHD_Result *ret)
{
	static const char *const types[] = {"eth", "ip", "ipv6", "tcp", "udp"};
	const char *t = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "type");
	for (size_t i = 0; t && i < (flows_too ? 5u : 3u); i++)
		if (strcmp(t, types[i]) == 0)
			return types[i];
	*ret = nm_api_bad(r, "type: must be one of eth, ip, ipv6%s", flows_too ? ", tcp, udp" : "");
	return NULL;
}

static enum MHD_Result conversations(nm_req *r)
{
	enum MHD_Result ret;
	nm_stat_query q = {0};
	const char *type = addr_type(r, true, &ret);
	if (!type || nm_api_stat_common(r, &q, &ret) < 0)
		return ret;
	bool flow = strcmp(type, "tcp") == 0 || strcmp(type, "udp") == 0;
	q.kind = flow ? NM_STAT_FLOWS : NM_STAT_ADDR_CONVS;
	q.filter = strcmp(type, "tcp") == 0 ? 6 : 17;
	q.addr_kind = type;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", type);
	return nm_api_stat_answer(r, &q, o, "conversations");
}

static enum MHD_Result stations(nm_req *r)
{
	enum MHD_Result ret;
	nm_stat_query q = {.kind = NM_STAT_STATIONS};
	bool typed = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "type") != NULL;
	if (typed && !(q.addr_kind = addr_type(r, false, &ret)))
		return ret;
	if (nm_api_stat_common(r, &q, &ret) < 0)
		return ret;
	cJSON *o = cJSON_CreateObject();
	nm_json_add_str_or_null(o, "type", q.addr_kind);
	return nm_api_stat_answer(r, &q, o, "stations");
}

static int64_t interval_ns(const char *s)
{
	static const struct {
		const char *name;
		int64_t ns;
	} iv[] = {{"1s", 1000000000LL}, {"1m", 60000000000LL}, {"1h", 3600000000000LL}};
	for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++)
		if (strcmp(s, iv[i].name) == 0)
			return iv[i].ns;
	return 0;
}

static enum MHD_Result timeseries(nm_req *r)
{
	enum MHD_Result ret;
	nm_stat_query q = {.kind = NM_STAT_TIMESERIES, .to_ns = INT64_MAX};
	const char *iv = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "interval");
	q.interval_ns = interval_ns(iv ? iv : "1s");
	if (!q.interval_ns)
		return nm_api_bad(r, "interval: must be 1s, 1m or 1h");
	uint64_t from = 0, to = INT64_MAX;
	if (nm_api_param_u64(r, "from", 0, INT64_MAX, &from, &ret) < 0 ||
	    nm_api_param_u64(r, "to", 0, INT64_MAX, &to, &ret) < 0 || nm_api_stat_common(r, &q, &ret) < 0)
		return ret;
	/* without from=, also the buckets of pre-1970 timestamps */
	bool has_from = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "from") != NULL;
	q.from_ns = has_from ? (int64_t)from : INT64_MIN, q.to_ns = (int64_t)to;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "interval", iv ? iv : "1s");
	return nm_api_stat_answer(r, &q, o, "buckets");
}

enum MHD_Result nm_api_stats_any(nm_req *r)
{
	if (!r->arg)
		return nm_api_stats(r);
	if (strcmp(r->arg, "conversations") == 0)
		return conversations(r);
	if (strcmp(r->arg, "stations") == 0)
		return stations(r);
	if (strcmp(r->arg, "timeseries") == 0)
		return timeseries(r);
	if (strcmp(r->arg, "protocols") == 0)
		return nm_api_stats_protocols(r);
	return nm_api_not_found(r, "no such statistics: /api/v1/stats/%s", r->arg);
}
