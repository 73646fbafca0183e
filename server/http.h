/*
 * http.h - the embedded HTTP server (libmicrohttpd): JSON API under
 * /api/v1 and the static dashboard.
 */
#ifndef NETMON_HTTP_H
#define NETMON_HTTP_H

#include <stddef.h>

typedef struct nm_http nm_http;

/* Start serving on `listen` ("ADDR:PORT", IPv4 or [IPv6]:PORT).  Each HTTP
 * worker thread opens its own read-only store on `db_path`.  Returns NULL
 * with a message in err on failure. */
nm_http *nm_http_start(const char *listen, const char *db_path, const char *webdir, char *err, size_t errlen);
void nm_http_stop(nm_http *h);

#endif
