/*
 * api_capture_ctl.c - capture control:
 *
 *   POST /api/v1/captures                 {interface|file, filter (string or object), snaplen, promiscuous,
 *                                          limits, trigger}
 *   POST /api/v1/captures/{id}/pause|resume|stop
 *
 * and the live part of a capture's JSON (state and counters), which
 * GET /api/v1/captures[/{id}] and /status add to what the database says.
 */
#include <stdio.h>
#include <string.h>

#include "capture/manager.h"
#include "capture/nmfilter.h"
#include "capture/trigger.h"
#include "server/api.h"
#include "server/api_ctl.h"
#include "server/runtime.h"

static double secs(int64_t ns)
{
	return (double)(ns / 1000000) / 1000;
}

static void add_trigger(cJSON *o, const nm_trigger_view *t)
{
	if (!t->set)
		return;
	const nm_trigger_spec *s = &t->spec;
	cJSON *j = cJSON_AddObjectToObject(o, "trigger");
	cJSON_AddStringToObject(j, "when", nm_trigger_when_name(s->when));
	if (nm_trigger_needs_pattern(s->when)) {
		char hex[2 * NM_TRIGGER_MAX_PATTERN + 1] = "";
		for (size_t i = 0; i < s->pattern_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", s->pattern[i]);
		cJSON *p = cJSON_AddObjectToObject(j, "pattern");
		nm_json_add_u64(p, "offset", s->offset);
		cJSON_AddStringToObject(p, "from", nm_trigger_from_name(s->from));
		cJSON_AddStringToObject(p, "hex", hex);
	}
	if (nm_trigger_needs_buffer(s->when))
		nm_json_add_u64(j, "buffer_percent", s->buffer_percent);
	cJSON_AddStringToObject(j, "action", nm_trigger_action_name(s->action));
	cJSON_AddStringToObject(j, "state", nm_trigger_state_name(t->state));
	nm_json_add_time(j, "fired_ts", "fired_time", t->fired_ns, t->state == NM_TRIG_FIRED);
}

void nm_api_capture_view_add(cJSON *o, const nm_capture_view *v)
{
	cJSON_AddStringToObject(o, "state", nm_cap_state_name(v->state));
	cJSON_AddBoolToObject(o, "promiscuous", v->promisc);
	nm_json_add_u64(o, "snaplen", (uint64_t)v->snaplen);
	nm_json_add_time(o, "started_ts", "started_time", v->started_ns, 1);
	nm_json_add_time(o, "ended_ts", "ended_time", v->ended_ns, v->ended_ns != 0);
	cJSON_AddNumberToObject(o, "paused_s", secs(v->paused_ns));
	cJSON *c = cJSON_AddObjectToObject(o, "counters");
	nm_json_add_u64(c, "frames", v->c.frames);
	nm_json_add_u64(c, "bytes", v->c.bytes);
	nm_json_add_u64(c, "paused_frames", v->c.paused_frames);
	nm_json_add_u64(c, "stored_frames", v->c.stored_frames);
	nm_json_add_u64(c, "stored_bytes", v->c.stored_bytes);
	nm_json_add_u64(c, "stations_flushed", v->c.stations_flushed);
	nm_json_add_u64(c, "kernel_received", v->c.kernel_received);
	cJSON *d = cJSON_AddObjectToObject(c, "dropped");
	nm_json_add_u64(d, "queue", v->c.dropped_queue);
	nm_json_add_u64(d, "kernel", v->c.dropped_kernel);
	nm_json_add_u64(d, "buffer", v->c.dropped_buffer);
	nm_api_limits_add(o, "limits", &v->limits);
	if (v->nic_start.ok) { /* live: the NIC's counters since the start */
		nm_nic_stats now;
		if (!v->ended_ns)
			nm_nic_read(v->source, &now);
		cJSON_AddItemToObject(c, "nic", nm_api_nic_json(v->ended_ns ? &v->nic_end : &now, &v->nic_start));
	}
	nm_json_add_str_or_null(o, "error", v->error);
	add_trigger(o, &v->trigger);
}

/* Limits as given; a zero member (no limit) is null. */
void nm_api_limits_add(cJSON *o, const char *name, const nm_limits *l)
{
	cJSON *j = cJSON_AddObjectToObject(o, name);
	if (l->frames)
		nm_json_add_u64(j, "frames", l->frames);
	else
		cJSON_AddNullToObject(j, "frames");
	if (l->bytes)
		nm_json_add_u64(j, "bytes", l->bytes);
	else
		cJSON_AddNullToObject(j, "bytes");
	if (l->age_s > 0)
		nm_json_add_i64(j, "age_s", l->age_s);
	else
		cJSON_AddNullToObject(j, "age_s");
}

cJSON *nm_api_capture_view_json(const nm_capture_view *v)
{
	cJSON *o = cJSON_CreateObject();
	nm_json_add_i64(o, "id", v->id);
	cJSON_AddStringToObject(o, "source", v->source);
	cJSON_AddStringToObject(o, "kind", v->kind);
	cJSON_AddStringToObject(o, "filter", v->filter);
	nm_api_capture_view_add(o, v);
	return o;
}

void nm_api_capture_live(cJSON *o, int64_t id, bool running)
{
	nm_capture_view v;
	if (nm_mgr_get(id, &v)) {
		nm_api_capture_view_add(o, &v);
		return;
	}
	/* a capture from an earlier run of the daemon, or forgotten */
	cJSON_AddStringToObject(o, "state", running ? "running" : "stopped");
}

static enum MHD_Result mgr_error(nm_req *r, int rc, const char *err)
{
	unsigned status = (unsigned)-rc;
	const char *code = rc == NM_MGR_BAD	  ? "bad_parameter"
			   : rc == NM_MGR_NOT_FOUND ? "not_found"
			   : rc == NM_MGR_CONFLICT  ? "conflict"
						    : "internal";
	return nm_json_error(r->conn, status, code, "%s", err);
}

static enum MHD_Result answer_view(nm_req *r, unsigned status, int64_t id)
{
	nm_capture_view v;
	if (!nm_mgr_get(id, &v))
		return nm_api_not_found(r, "capture %lld vanished", (long long)id);
	return nm_json_respond(r->conn, status, nm_api_capture_view_json(&v));
}

/* A string member, or NULL; false (after answering 400) if it has another type. */
static bool opt_string(nm_req *r, const cJSON *b, const char *name, const char **out, enum MHD_Result *ret)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(b, name);
	*out = NULL;
	if (!it || cJSON_IsNull(it))
		return true;
	if (!cJSON_IsString(it)) {
		*ret = nm_api_bad(r, "%s: must be a string", name);
		return false;
	}
	*out = it->valuestring;
	return true;
}

/* ---- "trigger": strict, a 400 names the member and the reason ---- */

static bool trig_bad(nm_req *r, enum MHD_Result *ret, const char *member, const char *why)
{
	*ret = nm_api_bad(r, "%s: %s", member, why);
	return false;
}

/* Refuse members we do not know: a typo must not silently mean "default". */
static bool only_members(nm_req *r, const cJSON *o, const char *where, const char *allowed, enum MHD_Result *ret)
{
	for (const cJSON *it = o->child; it; it = it->next) {
		char key[48];
		snprintf(key, sizeof key, " %s ", it->string);
		if (!strstr(allowed, key)) {
			*ret = nm_api_bad(r, "%s.%s: unknown member (known:%s)", where, it->string, allowed);
			return false;
		}
	}
	return true;
}

/* A name member: *out keeps its default when absent and dflt is true. */
static bool trig_name(nm_req *r, const cJSON *o, const char *name, const char *member, int (*parse)(const char *),
		      const char *choices, bool dflt, int *out, enum MHD_Result *ret)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!it && dflt)
		return true;
	int v = cJSON_IsString(it) ? parse(it->valuestring) : -1;
	if (v < 0)
		return trig_bad(r, ret, member, choices);
	*out = v;
	return true;
}

static bool trig_uint(nm_req *r, const cJSON *o, const char *name, const char *member, unsigned max, unsigned *out,
		      enum MHD_Result *ret)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!it)
		return true;
	if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > max ||
	    it->valuedouble != (double)(unsigned)it->valuedouble) {
		char why[64];
		snprintf(why, sizeof why, "must be an integer from 0 to %u", max);
		return trig_bad(r, ret, member, why);
	}
	*out = (unsigned)it->valuedouble;
	return true;
}

static bool parse_pattern(nm_req *r, const cJSON *p, nm_trigger_spec *t, enum MHD_Result *ret)
{
	if (!p)
		return true; /* nm_trigger_check says whether it was needed */
	if (!cJSON_IsObject(p))
		return trig_bad(r, ret, "trigger.pattern", "must be an object {offset, from, hex}");
	if (!only_members(r, p, "trigger.pattern", " offset from hex ", ret))
		return false;
	int from = NM_TRIG_FROM_FRAME;
	unsigned off = 0;
	if (!trig_uint(r, p, "offset", "trigger.pattern.offset", NM_TRIGGER_MAX_OFFSET, &off, ret) ||
	    !trig_name(r, p, "from", "trigger.pattern.from", nm_trigger_from_parse,
		       "must be one of frame, network, transport", true, &from, ret))
		return false;
	t->offset = off;
	t->from = (nm_trigger_from)from;
	const cJSON *hex = cJSON_GetObjectItemCaseSensitive(p, "hex");
	if (!cJSON_IsString(hex))
		return trig_bad(r, ret, "trigger.pattern.hex", "is required: the bytes as hex digits, like \"474554\"");
	const char *why = nm_trigger_set_hex(t, hex->valuestring);
	return why ? trig_bad(r, ret, "trigger.pattern.hex", why) : true;
}

/* Fills *t and points src->trigger at it; needs src->limits parsed first. */
static bool parse_trigger(nm_req *r, const cJSON *b, nm_source_opts *src, nm_trigger_spec *t, enum MHD_Result *ret)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(b, "trigger");
	if (!j || cJSON_IsNull(j))
		return true;
	if (!cJSON_IsObject(j))
		return trig_bad(r, ret, "trigger", "must be an object {when, pattern, buffer_percent, action}");
	if (!only_members(r, j, "trigger", " when pattern buffer_percent action ", ret))
		return false;
	int when = 0, action = 0;
	if (!trig_name(r, j, "when", "trigger.when", nm_trigger_when_parse,
		       "is required, one of pattern, buffer, pattern_then_buffer, buffer_then_pattern", false, &when,
		       ret) ||
	    !trig_name(r, j, "action", "trigger.action", nm_trigger_action_parse,
		       "is required, one of stop, pause, notify, command", false, &action, ret) ||
	    !trig_uint(r, j, "buffer_percent", "trigger.buffer_percent", 100, &t->buffer_percent, ret) ||
	    !parse_pattern(r, cJSON_GetObjectItemCaseSensitive(j, "pattern"), t, ret))
		return false;
	t->when = (nm_trigger_when)when;
	t->action = (nm_trigger_action)action;
	const char *member, *why = nm_trigger_check(t, &src->limits, &member);
	if (why)
		return trig_bad(r, ret, member, why);
	src->trigger = t;
	return true;
}

/* "filter": a BPF expression, or Network Monitor's structured filter (an
 * object), compiled here to the expression that runs and is stored. */
static bool parse_filter(nm_req *r, const cJSON *b, nm_source_opts *src, enum MHD_Result *ret)
{
	static _Thread_local char expr[NM_NF_EXPR_MAX]; /* until nm_mgr_start copies it */
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(b, "filter");
	char err[256];
	if (f && !cJSON_IsObject(f) && !cJSON_IsString(f) && !cJSON_IsNull(f)) {
		*ret = nm_api_bad(r, "filter: must be a BPF expression (string) or a structured filter (object)");
		return false;
	}
	if (!cJSON_IsObject(f))
		return opt_string(r, b, "filter", &src->filter, ret);
	if (nm_nmfilter_compile(f, expr, sizeof expr, err, sizeof err) < 0) {
		*ret = nm_api_bad(r, "%s", err);
		return false;
	}
	src->filter = expr;
	return true;
}

/* ---- "limits": {frames, bytes, age}, each optional, 0 or absent: none ---- */

static bool lim_count(nm_req *r, const cJSON *l, const char *name, uint64_t *out, enum MHD_Result *ret)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(l, name);
	if (!it || cJSON_IsNull(it))
		return true;
	/* 2^53: every larger double is not an exact integer */
	if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > 9007199254740992.0 ||
	    it->valuedouble != (double)(uint64_t)it->valuedouble) {
		*ret = nm_api_bad(r, "limits.%s: must be a non-negative integer (0: no limit)", name);
		return false;
	}
	*out = (uint64_t)it->valuedouble;
	return true;
}

/* Seconds as a number, or a string of digits with an optional unit s, m,
 * h, d or w ("90", "15m", "7d"). */
static bool lim_age(nm_req *r, const cJSON *l, int64_t *out, enum MHD_Result *ret)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(l, "age");
	if (!it || cJSON_IsNull(it))
		return true;
	uint64_t v = 0;
	const char *unit = "";
	char num[24];
	if (cJSON_IsString(it)) {
		size_t n = strspn(it->valuestring, "0123456789");
		unit = it->valuestring + n;
		snprintf(num, sizeof num, "%.*s", (int)(n < sizeof num ? n : sizeof num - 1), it->valuestring);
	}
	static const char units[] = "smhdw";
	static const uint64_t mult[] = {1, 60, 3600, 86400, 604800};
	const char *u = *unit && !unit[1] ? strchr(units, *unit) : NULL;
	bool ok = cJSON_IsNumber(it) ? lim_count(r, l, "age", &v, ret)
				     : cJSON_IsString(it) && *num && (!*unit || u) && nm_parse_u64(num, &v);
	uint64_t m = u ? mult[u - units] : 1;
	if (!ok || v > (uint64_t)INT64_MAX / 1000000000 / m) {
		if (ok || !cJSON_IsNumber(it))
			*ret = nm_api_bad(r, "limits.age: must be seconds, a number or a string like \"3600\","
					     " \"90m\", \"7d\" (units s, m, h, d, w; 0: no limit)");
		return false;
	}
	*out = (int64_t)(v * m);
	return true;
}

static bool parse_limits(nm_req *r, const cJSON *l, nm_limits *out, enum MHD_Result *ret)
{
	memset(out, 0, sizeof *out);
	if (!l || cJSON_IsNull(l))
		return true;
	if (!cJSON_IsObject(l)) {
		*ret = nm_api_bad(r, "limits: must be an object {frames, bytes, age}");
		return false;
	}
	return only_members(r, l, "limits", " frames bytes age ", ret) &&
	       lim_count(r, l, "frames", &out->frames, ret) && lim_count(r, l, "bytes", &out->bytes, ret) &&
	       lim_age(r, l, &out->age_s, ret);
}

/* "bad capture filter 'EXPR': REASON" would lose pcap's reason to the
 * length of a compiled structured filter in a 512-byte message: keep the
 * reason (the capture answer shows the expression when it works). */
static const char *structured_reason(const char *err, const char *expr)
{
	static _Thread_local char out[512];
	static const char lead[] = "bad capture filter '";
	size_t n = strlen(lead), e = strlen(expr);
	if (strncmp(err, lead, n) != 0 || strncmp(err + n, expr, e) != 0 || strncmp(err + n + e, "': ", 3) != 0)
		return err;
	snprintf(out, sizeof out, "filter: libpcap refuses the compiled expression for this source: %s",
		 err + n + e + 3);
	return out;
}

static bool parse_opts(nm_req *r, const cJSON *b, nm_source_opts *src, enum MHD_Result *ret)
{
	if (!opt_string(r, b, "interface", &src->iface, ret) || !opt_string(r, b, "file", &src->file, ret) ||
	    !parse_filter(r, b, src, ret))
		return false;
	const cJSON *snap = cJSON_GetObjectItemCaseSensitive(b, "snaplen");
	if (snap && (!cJSON_IsNumber(snap) || snap->valuedouble < 1 || snap->valuedouble > 262144 ||
		     snap->valuedouble != (int)snap->valuedouble)) {
		*ret = nm_api_bad(r, "snaplen: must be an integer from 1 to 262144");
		return false;
	}
	src->snaplen = snap ? snap->valueint : 0;
	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(b, "promiscuous");
	if (pr && !cJSON_IsBool(pr)) {
		*ret = nm_api_bad(r, "promiscuous: must be true or false");
		return false;
	}
	src->promisc = pr ? cJSON_IsTrue(pr) : true;
	return parse_limits(r, cJSON_GetObjectItemCaseSensitive(b, "limits"), &src->limits, ret);
}

static enum MHD_Result start(nm_req *r)
{
	cJSON *b = r->body ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		return nm_api_bad(r, "the body must be a JSON object like {\"interface\": \"eth0\"}");
	}
	nm_source_opts src = {0};
	nm_trigger_spec trig = {0};
	enum MHD_Result ret;
	if (!parse_opts(r, b, &src, &ret) || !parse_trigger(r, b, &src, &trig, &ret)) {
		cJSON_Delete(b);
		return ret;
	}
	char err[NM_NF_EXPR_MAX + 512] = ""; /* pcap's reason follows the filter text */
	int64_t id = 0;
	bool structured = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(b, "filter"));
	int rc = nm_mgr_start(&src, &id, err, sizeof err); /* copies what it keeps */
	cJSON_Delete(b);
	if (rc != NM_MGR_OK && structured)
		return mgr_error(r, rc, structured_reason(err, src.filter));
	if (rc != NM_MGR_OK)
		return mgr_error(r, rc, err);
	return answer_view(r, MHD_HTTP_CREATED, id);
}

static enum MHD_Result control(nm_req *r)
{
	char idbuf[24];
	const char *slash = strchr(r->arg, '/');
	size_t n = slash ? (size_t)(slash - r->arg) : 0;
	uint64_t id;
	if (!slash || n >= sizeof idbuf)
		return nm_api_not_found(r, "POST /api/v1/captures/{id}/pause|resume|stop");
	memcpy(idbuf, r->arg, n);
	idbuf[n] = '\0';
	if (!nm_parse_u64(idbuf, &id) || id == 0 || id > INT64_MAX)
		return nm_api_bad(r, "capture id: must be a positive integer");
	static const struct {
		const char *name;
		nm_mgr_action a;
	} acts[] = {{"pause", NM_MGR_PAUSE}, {"resume", NM_MGR_RESUME}, {"stop", NM_MGR_STOP}};
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		if (strcmp(slash + 1, acts[i].name) != 0)
			continue;
		char err[512] = "";
		int rc = nm_mgr_control((int64_t)id, acts[i].a, err, sizeof err);
		return rc == NM_MGR_OK ? answer_view(r, MHD_HTTP_OK, (int64_t)id) : mgr_error(r, rc, err);
	}
	return nm_api_not_found(r, "no such capture action '%s' (pause, resume, stop)", slash + 1);
}

enum MHD_Result nm_api_capture_post(nm_req *r)
{
	return r->arg ? control(r) : start(r);
}
