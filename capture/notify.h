/*
 * notify.h - where trigger notifications go.  Set once at start-up from
 * the configuration (server/config.c) before any capture starts; read-only
 * afterwards, so no lock.
 */
#ifndef NETMON_NOTIFY_H
#define NETMON_NOTIFY_H

#include <stdbool.h>

typedef struct nm_notify_conf {
	const char *webhook_url; /* http://host[:port]/path: a JSON POST per notification */
	const char *command;     /* run with /bin/sh -c, the event as JSON on stdin */
	bool syslog;             /* one syslog line per notification (default on) */
} nm_notify_conf;

extern nm_notify_conf nm_notify;

#endif
