/*
 * source.h - opening a capture source with libpcap: a file (pcap or pcapng)
 * or a live interface, with nanosecond timestamps and an optional BPF
 * filter compiled for the source's link type.
 */
#ifndef NETMON_SOURCE_H
#define NETMON_SOURCE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>

#include "capture/limits.h"

struct nm_trigger_spec; /* capture/trigger.h */

typedef struct nm_source_opts {
	const char *file;   /* read this file, or */
	const char *iface;  /* capture on this interface */
	const char *filter; /* BPF expression; NULL or "" for none */
	int snaplen;        /* 0: libpcap's default (262144) */
	bool promisc;
	int timeout_ms; /* live: how long the kernel may hold packets */
	nm_limits limits; /* this capture's buffer; zero members: no limit */
	const struct nm_trigger_spec *trigger; /* NULL: none; owned by the caller */
} nm_source_opts;

/* Returns an activated pcap_t, or NULL with a one-line reason in err. */
pcap_t *nm_source_open(const nm_source_opts *o, char *err, size_t errlen);

#endif
