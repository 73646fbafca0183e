/*
 * json.h - JSON helpers for the HTTP API: responses, error bodies and the
 * two timestamp forms (exact integer nanoseconds and RFC 3339).
 */
#ifndef NETMON_JSON_H
#define NETMON_JSON_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

/* "2020-06-10T09:21:03.720289000Z" (needs 31 bytes). */
void nm_json_rfc3339(char *out, size_t n, int64_t ns);

/* Integers as exact JSON numbers: cJSON keeps numbers as doubles, which
 * lose digits past 2^53 (ns timestamps are ~2^60), so emit raw text. */
cJSON *nm_json_i64(int64_t v);
cJSON *nm_json_u64(uint64_t v);
void nm_json_add_i64(cJSON *o, const char *name, int64_t v);
void nm_json_add_u64(cJSON *o, const char *name, uint64_t v);
/* A string, or null when s is NULL or empty. */
void nm_json_add_str_or_null(cJSON *o, const char *name, const char *s);
/* `ts_name`: ns integer, `time_name`: RFC 3339; both null if !valid. */
void nm_json_add_time(cJSON *o, const char *ts_name, const char *time_name, int64_t ns, int valid);

/* Queue `body` (consumed, may be NULL = out of memory) with `status`. */
enum MHD_Result nm_json_respond(struct MHD_Connection *c, unsigned status, cJSON *body);
/* {"error": {"code": code, "message": ...}} */
enum MHD_Result nm_json_error(struct MHD_Connection *c, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
