/*
 * manager.h - the daemon's captures: several pipelines at once, each with
 * the id of its row in the captures table, and their life cycle.
 *
 * Network Monitor's semantics:
 *
 *   start -> running <-> paused
 *              |          |
 *              +-> stopped <+      (a file import ends by itself: done)
 *
 * Stop is final: starting again makes a new capture with fresh statistics.
 * Pause and resume keep one capture and one set of statistics.  Any other
 * transition is refused (NM_MGR_CONFLICT, HTTP 409), as is a second
 * capture on an interface already being captured.
 *
 * All captures write through one store (one SQLite writer connection, one
 * frames file), opened on the first start and shared under a mutex.
 */
#ifndef NETMON_MANAGER_H
#define NETMON_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/nicstats.h"
#include "capture/pipeline.h"

/* Results; the negative values are the HTTP statuses they map to. */
enum {
	NM_MGR_OK = 0,
	NM_MGR_BAD = -400,
	NM_MGR_NOT_FOUND = -404,
	NM_MGR_CONFLICT = -409,
	NM_MGR_FAIL = -500,
};

/* What the API and status page see of one capture. */
typedef struct nm_capture_view {
	int64_t id;
	int state; /* enum nm_cap_state (server/runtime.h) */
	char source[256], kind[8], error[256];
	char filter[4096]; /* a compiled structured filter is long (NM_NF_EXPR_MAX) */
	int snaplen;
	bool promisc;
	int64_t started_ns, ended_ns; /* wall clock; ended 0 while active */
	int64_t paused_ns;            /* total time spent paused */
	nm_pipeline_counters c;
	nm_limits limits; /* this capture's buffer limits (zero: none) */
	nm_trigger_view trigger; /* .set false: none */
	/* live: the NIC's counters at start and, once ended, at the end (the
	 * API shows their difference; .ok false: not a live capture) */
	nm_nic_stats nic_start, nic_end;
} nm_capture_view;

typedef enum nm_mgr_action { NM_MGR_PAUSE, NM_MGR_RESUME, NM_MGR_STOP } nm_mgr_action;

/* `tmpl` gives db_path and the buffer sizes every capture gets. */
void nm_mgr_init(const nm_pipeline_opts *tmpl);
/* Start a capture (live or file); fills *id.  Returns NM_MGR_OK or an error
 * with the reason in err (a bad filter is NM_MGR_BAD with pcap's words). */
int nm_mgr_start(const nm_source_opts *src, int64_t *id, char *err, size_t errlen);
int nm_mgr_control(int64_t id, nm_mgr_action a, char *err, size_t errlen);
/* Delete a capture that is not active and all it stored: NM_MGR_OK,
 * NM_MGR_CONFLICT while it runs or is paused, NM_MGR_NOT_FOUND. */
int nm_mgr_delete(int64_t id, char *err, size_t errlen);
/* 1 and *out filled when the manager knows capture id, else 0. */
int nm_mgr_get(int64_t id, nm_capture_view *out);
/* Up to max captures, oldest first; returns how many. */
size_t nm_mgr_list(nm_capture_view *out, size_t max);
/* True when no capture is active (every one stopped, done or failed). */
bool nm_mgr_idle(void);
/* Called (under the manager's lock: it must not call back) on every state
 * change of a capture: start, pause, resume, stop, end of file, failure. */
typedef void (*nm_mgr_change_fn)(const nm_capture_view *v, int old_state);
void nm_mgr_on_change(nm_mgr_change_fn fn);
/* Stop every capture, wait for their writers, close the store.  Returns 0,
 * or -1 when some capture failed to store its frames. */
int nm_mgr_shutdown(void);

#endif
