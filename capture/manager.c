/* manager.c - see manager.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/manager.h"
#include "capture/retention.h"
#include "server/runtime.h"

/* Captures remembered in memory; older finished ones are forgotten (the
 * database still has them). */
#define MAX_SLOTS 64

typedef struct slot {
	bool used;
	nm_pipeline *p; /* NULL once joined */
	bool stopping;  /* a stop is waiting for the writer to drain */
	nm_capture_view v;
	int64_t paused_at; /* wall ns the current pause began, 0 if running */
	uint64_t seq;      /* start order, for listing and reuse */
} slot;

static struct {
	pthread_mutex_t mu;
	pthread_mutex_t store_mu; /* serialises the writers on the shared store */
	nm_pipeline_opts tmpl;
	nm_store *store;
	slot slots[MAX_SLOTS];
	uint64_t seq;
	int failed_writes;
	nm_mgr_change_fn on_change;
} mgr = {.mu = PTHREAD_MUTEX_INITIALIZER, .store_mu = PTHREAD_MUTEX_INITIALIZER};

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void nm_mgr_on_change(nm_mgr_change_fn fn)
{
	pthread_mutex_lock(&mgr.mu);
	mgr.on_change = fn;
	pthread_mutex_unlock(&mgr.mu);
}

static void changed(const slot *s, int old)
{
	if (mgr.on_change)
		mgr.on_change(&s->v, old);
}

void nm_mgr_init(const nm_pipeline_opts *tmpl)
{
	mgr.tmpl = *tmpl;
	mgr.tmpl.src = (nm_source_opts){0};
}

static bool active(const slot *s)
{
	return s->used && s->p && !s->stopping && (s->v.state == NM_CAP_RUNNING || s->v.state == NM_CAP_PAUSED);
}

/* A stop trigger ends a file import early: a stop, not the end of file. */
static bool trigger_stopped(const nm_capture_view *v)
{
	return v->trigger.set && v->trigger.state == NM_TRIG_FIRED && v->trigger.spec.action == NM_TRIG_STOP;
}

static void mark_ended(slot *s)
{
	s->v.ended_ns = wall_ns();
	if (s->v.nic_start.ok)
		nm_nic_read(s->v.source, &s->v.nic_end);
}

/* Refresh a slot's view from its pipeline (under mgr.mu). */
static void refresh(slot *s)
{
	if (!s->p)
		return;
	nm_pipeline_counters_get(s->p, &s->v.c);
	nm_pipeline_trigger_get(s->p, &s->v.trigger);
	if (s->v.c.finished && (s->v.state == NM_CAP_RUNNING || s->v.state == NM_CAP_PAUSED)) {
		const char *why = nm_pipeline_error(s->p);
		int old = s->v.state;
		s->v.state = s->v.c.failed ? NM_CAP_FAILED : strcmp(s->v.kind, "file") == 0 && !trigger_stopped(&s->v)
			     ? NM_CAP_DONE
			     : NM_CAP_STOPPED;
		snprintf(s->v.error, sizeof s->v.error, "%s", why);
		if (!s->v.ended_ns)
			mark_ended(s);
		changed(s, old);
	}
}

static slot *find(int64_t id)
{
	for (int i = 0; i < MAX_SLOTS; i++)
		if (mgr.slots[i].used && mgr.slots[i].v.id == id)
			return &mgr.slots[i];
	return NULL;
}

/* A free slot, or the oldest finished one (joined here if need be). */
static slot *take_slot(void)
{
	slot *best = NULL;
	for (int i = 0; i < MAX_SLOTS; i++) {
		slot *s = &mgr.slots[i];
		if (!s->used)
			return s;
		refresh(s);
		bool over = !s->p || (s->v.c.finished && !s->stopping);
		if (over && (!best || s->seq < best->seq))
			best = s;
	}
	if (best && best->p) {
		if (nm_pipeline_join(best->p) < 0)
			mgr.failed_writes++;
		best->p = NULL;
	}
	return best;
}

static int open_store(char *err, size_t errlen)
{
	if (mgr.store)
		return 0;
	mgr.store = nm_store_open(mgr.tmpl.db_path, false, err, errlen);
	if (!mgr.store)
		return -1;
	/* before any writer runs: counts what earlier captures keep */
	if (nm_ret_init(mgr.store, &mgr.tmpl.db_limits, mgr.tmpl.db_ceiling) < 0) {
		snprintf(err, errlen, "retention: %s", nm_store_errmsg(mgr.store));
		nm_store_close(mgr.store);
		mgr.store = NULL;
		return -1;
	}
	return 0;
}

static int conflict(const nm_source_opts *src, char *err, size_t errlen)
{
	for (int i = 0; src->iface && i < MAX_SLOTS; i++) {
		slot *s = &mgr.slots[i];
		refresh(s);
		if (active(s) && strcmp(s->v.kind, "live") == 0 && strcmp(s->v.source, src->iface) == 0) {
			snprintf(err, errlen, "interface %s is already being captured (capture %lld, %s)", src->iface,
				 (long long)s->v.id, nm_cap_state_name(s->v.state));
			return NM_MGR_CONFLICT;
		}
	}
	return NM_MGR_OK;
}

static void fill_view(slot *s, const nm_source_opts *src, nm_pipeline *p)
{
	memset(&s->v, 0, sizeof s->v);
	nm_pipeline_counters_get(p, &s->v.c);
	nm_pipeline_trigger_get(p, &s->v.trigger); /* the pipeline keeps a copy of src->trigger */
	s->v.id = s->v.c.capture_id;
	s->v.state = NM_CAP_RUNNING;
	snprintf(s->v.source, sizeof s->v.source, "%s", src->file ? src->file : src->iface);
	snprintf(s->v.kind, sizeof s->v.kind, "%s", src->file ? "file" : "live");
	snprintf(s->v.filter, sizeof s->v.filter, "%s", src->filter ? src->filter : "");
	s->v.snaplen = src->snaplen > 0 ? src->snaplen : 262144;
	s->v.promisc = src->promisc;
	s->v.limits = src->limits;
	s->v.started_ns = wall_ns();
	if (src->iface)
		nm_nic_read(src->iface, &s->v.nic_start);
}

static int start_locked(const nm_source_opts *src, int64_t *id, char *err, size_t errlen)
{
	int rc = conflict(src, err, errlen);
	if (rc != NM_MGR_OK)
		return rc;
	slot *s = take_slot();
	if (!s) {
		snprintf(err, errlen, "too many active captures (at most %d)", MAX_SLOTS);
		return NM_MGR_CONFLICT;
	}
	if (open_store(err, errlen) < 0)
		return NM_MGR_FAIL;
	nm_pipeline_opts o = mgr.tmpl;
	o.src = *src;
	o.shared_store = mgr.store;
	o.store_lock = &mgr.store_mu;
	nm_pipeline *p = nm_pipeline_start(&o, err, errlen);
	if (!p) /* pcap refused the interface or the filter */
		return strstr(err, "filter") ? NM_MGR_BAD : strstr(err, "no such") ? NM_MGR_BAD : NM_MGR_FAIL;
	s->used = true;
	s->p = p;
	s->stopping = false;
	s->paused_at = 0;
	s->seq = ++mgr.seq;
	fill_view(s, src, p);
	*id = s->v.id;
	changed(s, NM_CAP_IDLE);
	return NM_MGR_OK;
}

int nm_mgr_start(const nm_source_opts *src, int64_t *id, char *err, size_t errlen)
{
	if (!src->file == !src->iface) {
		snprintf(err, errlen, "give exactly one of interface or file");
		return NM_MGR_BAD;
	}
	pthread_mutex_lock(&mgr.mu);
	int rc = start_locked(src, id, err, errlen);
	pthread_mutex_unlock(&mgr.mu);
	return rc;
}

static void set_rt_state(const slot *s)
{
	if (atomic_load(&nm_rt.capture_id) == s->v.id)
		atomic_store(&nm_rt.state, s->v.state);
}

static int pause_resume(slot *s, bool pause, char *err, size_t errlen)
{
	int want = pause ? NM_CAP_RUNNING : NM_CAP_PAUSED;
	if (s->v.state != want || s->stopping) {
		snprintf(err, errlen, "cannot %s capture %lld: it is %s", pause ? "pause" : "resume",
			 (long long)s->v.id, s->stopping ? "stopping" : nm_cap_state_name(s->v.state));
		return NM_MGR_CONFLICT;
	}
	nm_pipeline_pause(s->p, pause);
	int64_t now = wall_ns();
	if (pause)
		s->paused_at = now;
	else {
		s->v.paused_ns += now - s->paused_at;
		s->paused_at = 0;
	}
	s->v.state = pause ? NM_CAP_PAUSED : NM_CAP_RUNNING;
	set_rt_state(s);
	changed(s, want);
	return NM_MGR_OK;
}

/* Stop, then wait (without the lock) until the writer has stored
 * everything, so that a client reading after the answer sees it all. */
static int stop(slot *s, char *err, size_t errlen)
{
	if (!active(s)) {
		snprintf(err, errlen, "cannot stop capture %lld: it is %s", (long long)s->v.id,
			 s->stopping ? "stopping" : nm_cap_state_name(s->v.state));
		return NM_MGR_CONFLICT;
	}
	s->stopping = true;
	int old = s->v.state;
	nm_pipeline *p = s->p;
	nm_pipeline_pause(p, false);
	nm_pipeline_stop(p);
	pthread_mutex_unlock(&mgr.mu);
	struct timespec tick = {0, 10000000};
	while (!nm_pipeline_finished(p))
		nanosleep(&tick, NULL);
	pthread_mutex_lock(&mgr.mu);
	nm_pipeline_counters_get(p, &s->v.c);
	nm_pipeline_trigger_get(p, &s->v.trigger);
	if (s->paused_at)
		s->v.paused_ns += wall_ns() - s->paused_at;
	s->paused_at = 0;
	s->v.state = s->v.c.failed ? NM_CAP_FAILED : NM_CAP_STOPPED;
	snprintf(s->v.error, sizeof s->v.error, "%s", nm_pipeline_error(p));
	mark_ended(s);
	s->p = NULL;
	s->stopping = false;
	if (nm_pipeline_join(p) < 0)
		mgr.failed_writes++;
	set_rt_state(s);
	changed(s, old);
	return NM_MGR_OK;
}

int nm_mgr_control(int64_t id, nm_mgr_action a, char *err, size_t errlen)
{
	pthread_mutex_lock(&mgr.mu);
	slot *s = find(id);
	int rc;
	if (!s) {
		snprintf(err, errlen, "capture %lld is not under this daemon's control", (long long)id);
		rc = NM_MGR_NOT_FOUND;
	} else {
		refresh(s);
		rc = a == NM_MGR_STOP ? stop(s, err, errlen) : pause_resume(s, a == NM_MGR_PAUSE, err, errlen);
	}
	pthread_mutex_unlock(&mgr.mu);
	return rc;
}

/* Under both locks: no capture can start writing meanwhile. */
static int delete_stored(int64_t id, char *err, size_t errlen)
{
	nm_capture_row row;
	pthread_mutex_lock(&mgr.store_mu);
	int found = nm_store_capture_get(mgr.store, id, &row);
	int rc = found > 0 ? nm_store_delete_capture(mgr.store, id) : found;
	if (found > 0 && rc == 0)
		nm_ret_deleted(mgr.store, id); /* its frame files can go now */
	if (found == 0)
		snprintf(err, errlen, "no capture %lld", (long long)id);
	else if (rc < 0)
		snprintf(err, errlen, "deleting capture %lld: %s", (long long)id, nm_store_errmsg(mgr.store));
	pthread_mutex_unlock(&mgr.store_mu);
	return found == 0 ? NM_MGR_NOT_FOUND : rc < 0 ? NM_MGR_FAIL : NM_MGR_OK;
}

int nm_mgr_delete(int64_t id, char *err, size_t errlen)
{
	pthread_mutex_lock(&mgr.mu);
	slot *s = find(id);
	if (s)
		refresh(s);
	int rc = NM_MGR_OK;
	if (s && (active(s) || s->stopping)) {
		snprintf(err, errlen, "capture %lld is %s: stop it before deleting it", (long long)id,
			 s->stopping ? "stopping" : nm_cap_state_name(s->v.state));
		rc = NM_MGR_CONFLICT;
	} else if (open_store(err, errlen) < 0) {
		rc = NM_MGR_FAIL;
	} else if ((rc = delete_stored(id, err, errlen)) == NM_MGR_OK && s) {
		if (s->p && nm_pipeline_join(s->p) < 0) /* a finished import */
			mgr.failed_writes++;
		memset(s, 0, sizeof *s);
	}
	pthread_mutex_unlock(&mgr.mu);
	return rc;
}

int nm_mgr_get(int64_t id, nm_capture_view *out)
{
	pthread_mutex_lock(&mgr.mu);
	slot *s = find(id);
	if (s) {
		refresh(s);
		*out = s->v;
	}
	pthread_mutex_unlock(&mgr.mu);
	return s != NULL;
}

size_t nm_mgr_list(nm_capture_view *out, size_t max)
{
	pthread_mutex_lock(&mgr.mu);
	size_t n = 0;
	for (uint64_t seq = 1; seq <= mgr.seq && n < max; seq++)
		for (int i = 0; i < MAX_SLOTS; i++)
			if (mgr.slots[i].used && mgr.slots[i].seq == seq) {
				refresh(&mgr.slots[i]);
				out[n++] = mgr.slots[i].v;
			}
	pthread_mutex_unlock(&mgr.mu);
	return n;
}

bool nm_mgr_idle(void)
{
	pthread_mutex_lock(&mgr.mu);
	bool idle = true;
	for (int i = 0; i < MAX_SLOTS && idle; i++) {
		refresh(&mgr.slots[i]);
		idle = !active(&mgr.slots[i]);
	}
	pthread_mutex_unlock(&mgr.mu);
	return idle;
}

int nm_mgr_shutdown(void)
{
	pthread_mutex_lock(&mgr.mu);
	for (int i = 0; i < MAX_SLOTS; i++)
		if (mgr.slots[i].p)
			nm_pipeline_stop(mgr.slots[i].p);
	for (int i = 0; i < MAX_SLOTS; i++) {
		slot *s = &mgr.slots[i];
		if (s->p && nm_pipeline_join(s->p) < 0)
			mgr.failed_writes++;
		s->p = NULL;
	}
	if (mgr.store)
		nm_store_close(mgr.store);
	mgr.store = NULL;
	nm_ret_shutdown();
	int rc = mgr.failed_writes ? -1 : 0;
	pthread_mutex_unlock(&mgr.mu);
	return rc;
}
