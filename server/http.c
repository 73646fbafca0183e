/*
 * http.c - the embedded HTTP server: libmicrohttpd with a pool of worker
 * threads, the request life cycle (method and body-size checks) and the
 * static dashboard files.  The JSON API itself is in api_*.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dissect.h"
#include "server/api.h"
#include "server/http.h"
#include "server/upload.h"

#define BODY_MAX (1u << 20)
#define BODY_DISCARD_MAX (16u << 20)
#define POOL_SIZE 4

struct nm_http {
	struct MHD_Daemon *daemon;
	char *db_path;
	char *webdir; /* realpath of webdir, NULL when it does not exist */
};

/* Per-request state, from the first call of the handler to completion. */
typedef struct conn_state {
	size_t body; /* request body bytes seen */
	char *buf;   /* a POST body (up to BODY_MAX), NUL-terminated */
	nm_upload *up; /* POST /api/v1/captures/upload: the body goes to disk */
	bool answered;
} conn_state;

/* ---- listening socket ---- */

/* Split "ADDR:PORT" / "[ADDR]:PORT" into host and port. */
static bool split_listen(const char *addr, char *host, size_t hn, char *port, size_t pn)
{
	const char *colon;
	const char *h = addr;
	size_t hl;
	if (addr[0] == '[') {
		const char *rb = strchr(addr, ']');
		if (!rb || rb[1] != ':')
			return false;
		h = addr + 1, hl = (size_t)(rb - h), colon = rb + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon)
			return false;
		hl = (size_t)(colon - addr);
	}
	if (hl >= hn || strlen(colon + 1) >= pn || !colon[1])
		return false;
	memcpy(host, h, hl);
	host[hl] = '\0';
	strcpy(port, colon + 1);
	return true;
}

/* We bind the socket ourselves (rather than letting MHD do it) to report
 * why it failed: "Address already in use" beats "cannot start daemon". */
static int open_listener(const char *addr, bool *v6, char *err, size_t errlen)
{
	char host[256], port[16];
	if (!split_listen(addr, host, sizeof host, port, sizeof port)) {
		snprintf(err, errlen, "bad listen address \"%s\" (want ADDR:PORT or [ADDR]:PORT)", addr);
		return -1;
	}
	struct addrinfo hints = {.ai_flags = AI_PASSIVE, .ai_socktype = SOCK_STREAM}, *ai;
	int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "bad listen address \"%s\": %s", addr, gai_strerror(rc));
		return -1;
	}
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return fd;
}

/* ---- static files ---- */

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".json", "application/json"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
		{".map", "application/json"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Open url's file under webdir; -1 when missing or outside webdir.  The
 * ".." test stops the obvious traversal, realpath + prefix check also
 * stops symlinks that lead out. */
static int open_static(const nm_http *h, const char *url, struct stat *st, char *real)
{
	char path[PATH_MAX];
	size_t wl = strlen(h->webdir);
	if (strstr(url, "..") || url[0] != '/')
		return -1;
	int n = snprintf(path, sizeof path, "%s%s%s", h->webdir, url, url[strlen(url) - 1] == '/' ? "index.html" : "");
	if (n < 0 || (size_t)n >= sizeof path || !realpath(path, real))
		return -1;
	if (strncmp(real, h->webdir, wl) != 0 || real[wl] != '/')
		return -1;
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static enum MHD_Result serve_static(const nm_http *h, struct MHD_Connection *c, const char *url)
{
	struct stat st;
	char real[PATH_MAX];
	int fd = h->webdir ? open_static(h, url, &st, real) : -1;
	if (fd < 0)
		return plain(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(real));
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- request life cycle ---- */

static bool is_api(const char *url)
{
	return strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;
}

static enum MHD_Result route(const nm_http *h, struct MHD_Connection *c, const char *url, const char *method,
			     const conn_state *st)
{
	if (strncmp(url, "/api/v1/", 8) == 0)
		return nm_api_dispatch(c, method, url + 8, h->db_path, st->buf, st->buf ? st->body : 0);
	if (is_api(url))
		return nm_json_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such API path: %s", url);
	return serve_static(h, c, url);
}

static enum MHD_Result too_large(conn_state *st, struct MHD_Connection *c)
{
	st->answered = true;
	/* 413 Content Too Large: the macro name is newer than MHD 0.9.70 */
	return nm_json_error(c, 413, "too_large", "request body over %u bytes", BODY_MAX);
}

/* First call, headers only: refuse early what we will refuse anyway, so a
 * client does not upload a large body for nothing. */
static enum MHD_Result upload_headers(const nm_http *h, conn_state *st, struct MHD_Connection *c, uint64_t len)
{
	char err[512];
	if (len > nm_upload_max) {
		st->answered = true;
		return nm_json_error(c, 413, "too_large", "upload of %llu bytes over the limit of %llu",
				     (unsigned long long)len, (unsigned long long)nm_upload_max);
	}
	if (!(st->up = nm_upload_begin(h->db_path, err, sizeof err))) {
		st->answered = true;
		return nm_json_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "%s", err);
	}
	return MHD_YES;
}

static enum MHD_Result on_headers(const nm_http *h, conn_state *st, struct MHD_Connection *c, const char *url,
				  const char *method)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t len = 0;
	bool has_len = cl && nm_parse_u64(cl, &len);
	if (nm_upload_is(method, url))
		return upload_headers(h, st, c, len);
	if (has_len && len > BODY_MAX)
		return too_large(st, c);
	/* POST and DELETE are for the API's control endpoints (the router
	 * checks which) */
	bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0 || strcmp(method, MHD_HTTP_METHOD_DELETE) == 0;
	if (post && strncmp(url, "/api/", 5) == 0)
		return MHD_YES;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		st->answered = true;
		return nm_json_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
				     "method %s not allowed (only GET and HEAD)", method);
	}
	return MHD_YES;
}

/* Keep a POST body (JSON for the control endpoints); others are dropped. */
static void keep_body(conn_state *st, const char *method, const char *data, size_t n)
{
	if (strcmp(method, MHD_HTTP_METHOD_POST) != 0 || st->body + n > BODY_MAX)
		return;
	char *b = realloc(st->buf, st->body + n + 1);
	if (!b)
		return;
	memcpy(b + st->body, data, n);
	b[st->body + n] = '\0';
	st->buf = b;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	conn_state *st = *con_cls;
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st)
			return MHD_NO;
		*con_cls = st;
		return on_headers(cls, st, c, url, method);
	}
	if (*upload_data_size && st->up) {
		nm_upload_data(st->up, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* A GET body means nothing to us: count it and drop it.  MHD
		 * cannot queue a response in mid-body, so an oversized body
		 * without Content-Length (chunked) is answered at its end, and
		 * one that goes on far past the limit gets the connection cut. */
		keep_body(st, method, upload_data, *upload_data_size);
		st->body += *upload_data_size;
		*upload_data_size = 0;
		return st->body > BODY_DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (st->answered)
		return MHD_YES;
	if (st->body > BODY_MAX)
		return too_large(st, c);
	st->answered = true;
	if (st->up)
		return nm_upload_answer(st->up, c);
	return route(cls, c, url, method, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode tc)
{
	(void)cls, (void)c, (void)tc;
	conn_state *st = *con_cls;
	if (st) {
		free(st->buf);
		nm_upload_free(st->up);
	}
	free(st);
	*con_cls = NULL;
}

/* ---- start / stop ---- */

static void http_free(nm_http *h)
{
	if (!h)
		return;
	free(h->db_path);
	free(h->webdir);
	free(h);
}

nm_http *nm_http_start(const char *listen_addr, const char *db_path, const char *webdir, char *err, size_t errlen)
{
	nm_parsers_init(); /* idempotent; the detail view dissects */
	nm_http *h = calloc(1, sizeof *h);
	if (!h || !(h->db_path = strdup(db_path))) {
		snprintf(err, errlen, "out of memory");
		http_free(h);
		return NULL;
	}
	/* A missing webdir still serves the API; static paths answer 404. */
	h->webdir = webdir ? realpath(webdir, NULL) : NULL;
	bool v6 = false;
	int fd = open_listener(listen_addr, &v6, err, errlen);
	if (fd < 0) {
		http_free(h);
		return NULL;
	}
	/* suspend/resume: the event stream (events.c) waits without a thread */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			 (v6 ? MHD_USE_IPv6 : 0);
	h->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_SIZE, MHD_OPTION_NOTIFY_COMPLETED,
				     on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	if (!h->daemon) {
		snprintf(err, errlen, "cannot start the HTTP server on %s", listen_addr);
		close(fd);
		http_free(h);
		return NULL;
	}
	return h;
}

void nm_http_stop(nm_http *h)
{
	if (!h)
		return;
	nm_events_close_all(); /* MHD may not stop with suspended streams */
	MHD_stop_daemon(h->daemon);
	http_free(h);
}
