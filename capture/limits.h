/*
 * limits.h - how much a capture buffer may hold.  Network Monitor's
 * capture buffer evicted its oldest frames when full and counted them;
 * netmon does the same per capture and for the whole database, by frame
 * count, stored bytes and age.  Zero means "no limit" in every member.
 */
#ifndef NETMON_LIMITS_H
#define NETMON_LIMITS_H

#include <stdint.h>

typedef struct nm_limits {
	uint64_t frames; /* keep at most this many frames */
	uint64_t bytes;  /* captured bytes kept (frame data, not overhead) */
	int64_t age_s;   /* evict frames older than this many seconds */
} nm_limits;

#endif
