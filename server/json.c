/*
 * json.c - JSON responses and timestamp renderings for the HTTP API.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/json.h"

void nm_json_rfc3339(char *out, size_t n, int64_t ns)
{
	/* Floor division so times before 1970 keep a positive fraction. */
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	if (frac < 0)
		frac += 1000000000, sec--;
	time_t t = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		snprintf(out, n, "invalid");
		return;
	}
	char date[32];
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%09" PRId64 "Z", date, frac);
}

cJSON *nm_json_i64(int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	return cJSON_CreateRaw(buf);
}

cJSON *nm_json_u64(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	return cJSON_CreateRaw(buf);
}

void nm_json_add_i64(cJSON *o, const char *name, int64_t v)
{
	cJSON_AddItemToObject(o, name, nm_json_i64(v));
}

void nm_json_add_u64(cJSON *o, const char *name, uint64_t v)
{
	cJSON_AddItemToObject(o, name, nm_json_u64(v));
}

void nm_json_add_str_or_null(cJSON *o, const char *name, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

void nm_json_add_time(cJSON *o, const char *ts_name, const char *time_name, int64_t ns, int valid)
{
	if (!valid) {
		cJSON_AddNullToObject(o, ts_name);
		cJSON_AddNullToObject(o, time_name);
		return;
	}
	char buf[40];
	nm_json_rfc3339(buf, sizeof buf, ns);
	nm_json_add_i64(o, ts_name, ns);
	cJSON_AddStringToObject(o, time_name, buf);
}

static enum MHD_Result queue_text(struct MHD_Connection *c, unsigned status, char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The body of last resort: a static error that needs no allocation. */
static enum MHD_Result respond_oom(struct MHD_Connection *c)
{
	static const char body[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
	char *copy = strdup(body);
	return copy ? queue_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, copy) : MHD_NO;
}

enum MHD_Result nm_json_respond(struct MHD_Connection *c, unsigned status, cJSON *body)
{
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (!text)
		return respond_oom(c);
	/* cJSON allocates with malloc by default, so MHD may free() it. */
	return queue_text(c, status, text);
}

enum MHD_Result nm_json_error(struct MHD_Connection *c, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cJSON *root = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", msg);
	return nm_json_respond(c, status, err ? root : (cJSON_Delete(root), NULL));
}
