/*
 * api.h - the JSON API handlers under /api/v1, one file per resource
 * (api_status.c, api_captures.c, api_frames.c, api_stats.c,
 * api_protocols.c) and their shared request helpers (api_common.c).
 */
#ifndef NETMON_API_H
#define NETMON_API_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/store.h"
#include "server/json.h"

/* One API request, as the router hands it to a handler. */
typedef struct nm_req {
	struct MHD_Connection *conn;
	const char *path; /* after "/api/v1/" ("frames/12"), no query */
	const char *arg;  /* the part after "resource/", or NULL */
	const char *db_path;
	const char *method; /* "GET", "HEAD" or "POST" */
	const char *body;   /* POST body, NUL-terminated, or NULL */
	size_t body_len;
} nm_req;

typedef enum MHD_Result (*nm_api_fn)(nm_req *r);

/* Route one /api/v1/ request; answers 404 JSON for unknown paths. */
enum MHD_Result nm_api_dispatch(struct MHD_Connection *conn, const char *method, const char *path,
				const char *db_path, const char *body, size_t body_len);

/* This worker thread's read-only store, opened on first use and kept for
 * the thread's life.  NULL (after answering 500) when it cannot open. */
nm_store *nm_api_store(nm_req *r);

/*
 * Strict decimal parsing ("12abc", "-1", "", overflow are errors).
 * nm_api_param_u64 reads query parameter `name`: returns 0 when absent
 * (*out untouched), 1 when present and in [min, max], and -1 after
 * answering 400 otherwise (the handler then returns *ret).
 */
bool nm_parse_u64(const char *s, uint64_t *out);
int nm_api_param_u64(nm_req *r, const char *name, uint64_t min, uint64_t max, uint64_t *out, enum MHD_Result *ret);

/* Shorthands for the common error answers. */
enum MHD_Result nm_api_bad(nm_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum MHD_Result nm_api_not_found(nm_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum MHD_Result nm_api_internal(nm_req *r, const char *what, nm_store *s);

/* Shared renderings. */
cJSON *nm_api_frame_summary(const nm_frame_row *f);
cJSON *nm_api_capture_json(const nm_capture_row *c);

/* Look `capture` up: 1 found (row filled), 0 after answering 404, -1 after
 * answering 500. */
int nm_api_capture_exists(nm_req *r, nm_store *s, int64_t id, nm_capture_row *row, enum MHD_Result *ret);

enum MHD_Result nm_api_status(nm_req *r);
enum MHD_Result nm_api_captures(nm_req *r);
enum MHD_Result nm_api_frames(nm_req *r);
enum MHD_Result nm_api_stats(nm_req *r);
enum MHD_Result nm_api_protocols(nm_req *r);
/* capture control, interfaces, statistics, events (api_capture_ctl.c,
 * api_interfaces.c, api_stats_*.c, events.c) */
enum MHD_Result nm_api_capture_post(nm_req *r);
enum MHD_Result nm_api_capture_delete(nm_req *r); /* DELETE /captures/{id} */
enum MHD_Result nm_api_interfaces(nm_req *r);
enum MHD_Result nm_api_events(nm_req *r);
/* Fired triggers (api_alerts.c); the object is also events.c's `alert`. */
struct nm_alert;
enum MHD_Result nm_api_alerts(nm_req *r);
cJSON *nm_api_alert_json(const struct nm_alert *a);
/* End every event stream (before stopping the HTTP daemon). */
void nm_events_close_all(void);

#endif
