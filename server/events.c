/*
 * events.c - GET /api/v1/events: a Server-Sent Events stream.
 *
 *   event: totals   every second: daemon counters and each capture's
 *   event: state    every capture state change (from the manager's hook)
 *   event: alert    every fired trigger (api_alerts.c's object)
 *
 * A stream must not hold an HTTP worker thread (four serve everyone), so
 * the content callback suspends its connection when it has nothing to
 * send, and the ticker thread resumes the waiting ones after queueing new
 * events.  Streams are bounded (MAX_CLIENTS; more answer 503) and so is
 * each one's backlog: a client that stops reading is cut off.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/manager.h"
#include "capture/trigger.h"
#include "server/api.h"
#include "server/api_ctl.h"
#include "server/runtime.h"

#define MAX_CLIENTS 8
#define MAX_BACKLOG (256 * 1024)
#define MAX_LISTED 64

typedef struct client {
	bool used, suspended, dead;
	struct MHD_Connection *conn;
	char *buf; /* queued event text, [off, len) not yet sent */
	size_t off, len;
} client;

static struct {
	pthread_mutex_t mu;
	pthread_once_t once;
	client clients[MAX_CLIENTS];
	bool closing;
} ev = {.mu = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT};

/* Queue text for one client (under ev.mu); too much backlog ends it. */
static void queue_text(client *c, const char *text, size_t n)
{
	if (c->dead)
		return;
	if (c->off == c->len)
		c->off = c->len = 0;
	if (c->len - c->off + n > MAX_BACKLOG) {
		c->dead = true;
		return;
	}
	char *b = realloc(c->buf, c->len + n);
	if (!b) {
		c->dead = true;
		return;
	}
	memcpy(b + c->len, text, n);
	c->buf = b;
	c->len += n;
}

/* Wake the waiting streams (under ev.mu). */
static void wake_all(void)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		client *c = &ev.clients[i];
		if (c->used && c->suspended && (c->len > c->off || c->dead)) {
			c->suspended = false;
			MHD_resume_connection(c->conn);
		}
	}
}

static void broadcast(const char *type, cJSON *data)
{
	char *json = cJSON_PrintUnformatted(data);
	cJSON_Delete(data);
	if (!json)
		return;
	size_t n = strlen(type) + strlen(json) + 20;
	char *text = malloc(n);
	if (text) {
		int len = snprintf(text, n, "event: %s\ndata: %s\n\n", type, json);
		pthread_mutex_lock(&ev.mu);
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (ev.clients[i].used)
				queue_text(&ev.clients[i], text, (size_t)len);
		wake_all();
		pthread_mutex_unlock(&ev.mu);
	}
	free(text);
	free(json);
}

static void on_change(const nm_capture_view *v, int old)
{
	cJSON *o = nm_api_capture_view_json(v);
	cJSON_AddStringToObject(o, "previous", nm_cap_state_name(old));
	broadcast("state", o);
}

/* On the notifier thread (capture/notify.c), never the capture thread. */
static void on_alert(const nm_alert *a, const char *json)
{
	(void)json;
	broadcast("alert", nm_api_alert_json(a));
}

static cJSON *totals_json(void)
{
	cJSON *o = cJSON_CreateObject();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	nm_json_add_time(o, "ts", "time", (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, 1);
	nm_json_add_u64(o, "frames_seen", atomic_load(&nm_rt.frames_seen));
	nm_json_add_u64(o, "frames_stored", atomic_load(&nm_rt.frames_stored));
	nm_json_add_u64(o, "bytes_stored", atomic_load(&nm_rt.bytes_stored));
	cJSON *d = cJSON_AddObjectToObject(o, "dropped");
	nm_json_add_u64(d, "queue", atomic_load(&nm_rt.dropped_queue));
	nm_json_add_u64(d, "kernel", atomic_load(&nm_rt.dropped_kernel));
	static nm_capture_view views[MAX_LISTED]; /* ticker thread only */
	size_t n = nm_mgr_list(views, MAX_LISTED);
	cJSON *arr = cJSON_AddArrayToObject(o, "captures");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, nm_api_capture_view_json(&views[i]));
	return o;
}

static bool any_client(void)
{
	pthread_mutex_lock(&ev.mu);
	bool any = false;
	for (int i = 0; i < MAX_CLIENTS; i++)
		any |= ev.clients[i].used;
	pthread_mutex_unlock(&ev.mu);
	return any;
}

static void *ticker(void *arg)
{
	(void)arg;
	struct timespec sec = {1, 0};
	for (;;) {
		nanosleep(&sec, NULL);
		if (any_client())
			broadcast("totals", totals_json());
	}
	return NULL;
}

static void start_ticker(void)
{
	pthread_t t;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old); /* signals stay with main */
	if (pthread_create(&t, NULL, ticker, NULL) == 0)
		pthread_detach(t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	nm_mgr_on_change(on_change);
	nm_alerts_on_fire(on_alert);
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	client *c = cls;
	pthread_mutex_lock(&ev.mu);
	ssize_t n = 0;
	if (c->len > c->off) {
		size_t k = c->len - c->off < max ? c->len - c->off : max;
		memcpy(out, c->buf + c->off, k);
		c->off += k;
		n = (ssize_t)k;
	} else if (c->dead) {
		n = MHD_CONTENT_READER_END_WITH_ERROR;
	} else {
		c->suspended = true;
		MHD_suspend_connection(c->conn);
	}
	pthread_mutex_unlock(&ev.mu);
	return n;
}

static void release(void *cls)
{
	client *c = cls;
	pthread_mutex_lock(&ev.mu);
	free(c->buf);
	memset(c, 0, sizeof *c);
	pthread_mutex_unlock(&ev.mu);
}

static client *new_client(struct MHD_Connection *conn)
{
	client *c = NULL;
	pthread_mutex_lock(&ev.mu);
	for (int i = 0; i < MAX_CLIENTS && !c && !ev.closing; i++)
		if (!ev.clients[i].used)
			c = &ev.clients[i];
	if (c) {
		memset(c, 0, sizeof *c);
		c->used = true;
		c->conn = conn;
		queue_text(c, "retry: 2000\n\n", 13);
	}
	pthread_mutex_unlock(&ev.mu);
	return c;
}

/* MHD refuses to stop with suspended connections: end every stream and
 * wait (a little) until MHD has released them. */
void nm_events_close_all(void)
{
	pthread_mutex_lock(&ev.mu);
	ev.closing = true;
	for (int i = 0; i < MAX_CLIENTS; i++)
		ev.clients[i].dead = true;
	wake_all();
	pthread_mutex_unlock(&ev.mu);
	struct timespec tick = {0, 10000000};
	for (int t = 0; t < 300 && any_client(); t++)
		nanosleep(&tick, NULL);
}

enum MHD_Result nm_api_events(nm_req *r)
{
	if (r->arg)
		return nm_api_not_found(r, "no such API path: /api/v1/%s", r->path);
	pthread_once(&ev.once, start_ticker);
	client *c = new_client(r->conn);
	if (!c)
		return nm_json_error(r->conn, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
				     "too many event streams open (at most %d)", MAX_CLIENTS);
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, c, release);
	if (!resp) {
		release(c);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}
