/*
 * runtime.h - the daemon's live state, shared between the capture and
 * writer threads (which update it) and the HTTP threads (which report it).
 * Counters are atomics: readers may see a slightly stale but never torn
 * value, and nobody takes a lock on the per-frame path.
 */
#ifndef NETMON_RUNTIME_H
#define NETMON_RUNTIME_H

#include <stdatomic.h>
#include <stdint.h>

enum nm_cap_state { NM_CAP_IDLE, NM_CAP_RUNNING, NM_CAP_DONE, NM_CAP_FAILED, NM_CAP_PAUSED, NM_CAP_STOPPED };

typedef struct nm_runtime {
	const char *db_path;
	int64_t started_ns; /* daemon start, wall clock */
	char source[256];   /* capture source: file path or interface */
	char kind[8];       /* "file" or "live" */
	char error[256];    /* why the capture failed, when it did */
	_Atomic int state;  /* enum nm_cap_state */
	_Atomic int64_t capture_id;
	_Atomic uint64_t frames_seen, frames_stored, bytes_stored;
	_Atomic uint64_t dropped_queue, dropped_kernel;
	_Atomic uint64_t frags_evicted; /* IPv4 datagrams dropped unfinished (capture/reasm.h) */
} nm_runtime;

extern nm_runtime nm_rt;

static inline const char *nm_cap_state_name(int s)
{
	switch (s) {
	case NM_CAP_RUNNING:
		return "running";
	case NM_CAP_DONE:
		return "done";
	case NM_CAP_FAILED:
		return "failed";
	case NM_CAP_PAUSED:
		return "paused";
	case NM_CAP_STOPPED:
		return "stopped";
	default:
		return "idle";
	}
}

#endif
