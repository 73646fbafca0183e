/* pipeline.c - see pipeline.h.  The capture thread's per-frame work is in
 * on_frame(); everything else runs once per batch or once per second. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "capture/addrs.h"
#include "capture/flows.h"
#include "capture/paths.h"
#include "capture/pipeline.h"
#include "capture/queue.h"
#include "capture/trigger.h"
#include "capture/reasm.h"
#include "capture/series.h"
#include "capture/retention.h"
#include "db/store.h"
#include "parsers/dissect.h"
#include "server/runtime.h"

struct nm_pipeline {
	nm_pipeline_opts o;
	pcap_t *pcap;
	bool live;
	nm_store *store;
	int64_t capture_id;
	pthread_t cap_thread, wr_thread;
	nm_queue q, pool; /* work for the writer; free batches */
	_Atomic bool stop, finished, paused;
	int write_failed;
	bool has_trigger;
	nm_trigger trigger; /* watched by both threads; its state is atomic */
	nm_series series; /* the writer's time series accumulator */
	char error[256]; /* written by the capture thread before finished */

	/* published for other threads (nm_pipeline_counters_get) */
	_Atomic uint64_t a_frames, a_bytes, a_paused, a_stored, a_stored_bytes;
	_Atomic uint64_t a_dropped_queue, a_dropped_kernel, a_recv;
	_Atomic uint64_t a_addrs_flushed;

	/* capture thread state */
	nm_batch *cur;
	int64_t cur_since_ns; /* monotonic time the current batch got its first frame */
	nm_flow_table flows;
	nm_addr_table addrs;
	nm_path_table paths; /* protocol path deltas, shipped like addrs */
	nm_reasm_table reasm; /* IPv4 fragments of UDP datagrams in progress */
	uint64_t frags_evicted_sent; /* reasm.evicted already added to nm_rt */
	nm_stats stats;
	uint64_t number;
	int64_t first_ts;
	const char *proto_names[NM_STATS_MAX_PROTOS];
};

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void store_lock(nm_pipeline *p)
{
	if (p->o.store_lock)
		pthread_mutex_lock(p->o.store_lock);
}

static void store_unlock(nm_pipeline *p)
{
	if (p->o.store_lock)
		pthread_mutex_unlock(p->o.store_lock);
}

/* nm_rt (the status page's "capture") follows the latest capture started. */
static bool owns_rt(const nm_pipeline *p)
{
	return atomic_load(&nm_rt.capture_id) == p->capture_id;
}

/* Old time series buckets deleted per level and second (a bounded delay). */
#define SERIES_TRIM_ROWS 1000

/* Distinct addresses and pairs accounted between two writes (each second). */
#define ADDRS_CAP 65536

/* Distinct protocol paths counted between two writes. */
#define PATHS_CAP 4096

/* ---- capture thread ---- */

static void send_msg(nm_pipeline *p, nm_msg m)
{
	m.capture_id = p->capture_id;
	nm_queue_push(&p->q, &m, true);
}

/* After the batch holding their earlier fragments, so the writer can mark
 * those frames' Info as reassembled. */
static void ship_frag_links(nm_pipeline *p)
{
	size_t n;
	nm_frag_link *l = nm_reasm_take_links(&p->reasm, &n);
	if (n)
		send_msg(p, (nm_msg){.type = NM_MSG_FRAG_LINKS, .links = l, .nlinks = n});
	else
		free(l);
	atomic_fetch_add(&nm_rt.frags_evicted, p->reasm.evicted - p->frags_evicted_sent);
	p->frags_evicted_sent = p->reasm.evicted;
}

/* Hand the current batch to the writer and take a free one.  Live: if no
 * batch is free, the frames of the current one are dropped and counted. */
static void ship_batch(nm_pipeline *p)
{
	if (!p->cur->count)
		return;
	nm_msg free_b;
	if (!nm_queue_pop(&p->pool, &free_b, p->live ? 0 : 1 << 30)) {
		p->stats.dropped_queue += p->cur->count;
		atomic_fetch_add(&p->a_dropped_queue, p->cur->count);
		atomic_fetch_add(&nm_rt.dropped_queue, p->cur->count);
		nm_batch_reset(p->cur);
		return;
	}
	send_msg(p, (nm_msg){.type = NM_MSG_BATCH, .batch = p->cur});
	p->cur = free_b.batch;
	nm_batch_reset(p->cur);
	ship_frag_links(p);
}

static void ship_flows(nm_pipeline *p, bool evicted_only)
{
	nm_flow_rec *f;
	size_t n = nm_flows_take_dirty(&p->flows, &f, evicted_only);
	if (n)
		send_msg(p, (nm_msg){.type = NM_MSG_FLOWS, .flows = f, .nflows = n});
}

static void ship_addrs(nm_pipeline *p)
{
	nm_addr_rec *r;
	size_t n = nm_addrs_take(&p->addrs, &r);
	if (n)
		send_msg(p, (nm_msg){.type = NM_MSG_ADDRS, .addrs = r, .naddrs = n});
}

/* Every frame seen counts in the hierarchy, as in the statistics: also
 * those the retention limits evict later or the queue drops. */
static void ship_paths(nm_pipeline *p)
{
	nm_path_rec *r;
	size_t n = nm_paths_take(&p->paths, &r);
	if (n)
		send_msg(p, (nm_msg){.type = NM_MSG_PATHS, .paths = r, .npaths = n});
	else
		free(r);
}

static void ship_stats(nm_pipeline *p)
{
	if (p->live) {
		struct pcap_stat ps;
		if (pcap_stats(p->pcap, &ps) == 0) {
			uint64_t d = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
			/* nm_rt sums every capture: add what is new */
			atomic_fetch_add(&nm_rt.dropped_kernel, d - p->stats.dropped_kernel);
			p->stats.dropped_kernel = d;
			atomic_store(&p->a_dropped_kernel, d);
			atomic_store(&p->a_recv, ps.ps_recv);
		}
	}
	p->stats.flows_evicted = p->flows.evicted;
	p->stats.reasm_evicted = p->reasm.evicted;
	nm_stats *s = malloc(sizeof *s);
	if (!s)
		return;
	*s = p->stats;
	send_msg(p, (nm_msg){.type = NM_MSG_STATS, .stats = s});
}

static void count_frame(nm_pipeline *p, const nm_packet *pk)
{
	nm_stats *s = &p->stats;
	s->frames++;
	s->bytes += pk->wirelen;
	s->broadcast += !!(pk->flags & NM_PKT_BROADCAST);
	s->multicast += !!(pk->flags & NM_PKT_MULTICAST);
	s->truncated += !!(pk->flags & NM_PKT_TRUNCATED);
	s->malformed += !!(pk->flags & NM_PKT_MALFORMED);
	if (s->frames == 1)
		s->first_ns = pk->ts_ns;
	s->last_ns = pk->ts_ns;
	/* Each protocol counts once per frame, even when tunnels repeat it. */
	for (int i = 0; i < pk->nprotos; i++) {
		uint16_t id = pk->proto_ids[i];
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = pk->proto_ids[j] == id;
		if (!seen && id < NM_STATS_MAX_PROTOS) {
			s->proto_frames[id]++;
			s->proto_bytes[id] += pk->wirelen;
		}
	}
}

/* The action takes effect on this capture at once (no frame after the one
 * that fired is counted); the manager learns of it from the notifier. */
static void trigger_fired(nm_pipeline *p, const char *what)
{
	if (p->trigger.spec.action == NM_TRIG_STOP)
		nm_pipeline_stop(p);
	else if (p->trigger.spec.action == NM_TRIG_PAUSE)
		atomic_store(&p->paused, true);
	nm_trigger_fire(p->capture_id, &p->trigger.spec, &p->trigger.lim, what);
}

/* Both threads: the writer when stored counters grow, the capture thread
 * when a pattern has just armed the level. */
static void trigger_level(nm_pipeline *p)
{
	uint64_t frames = atomic_load(&p->a_stored), bytes = atomic_load(&p->a_stored_bytes);
	if (!nm_trigger_on_level(&p->trigger, frames, bytes))
		return;
	char what[96];
	snprintf(what, sizeof what, "with %llu frames, %llu bytes stored", (unsigned long long)frames,
		 (unsigned long long)bytes);
	trigger_fired(p, what);
}

static void trigger_frame(nm_pipeline *p, const nm_packet *pk)
{
	if (nm_trigger_on_frame(&p->trigger, pk)) {
		char what[48];
		snprintf(what, sizeof what, "on frame %llu", (unsigned long long)pk->number);
		trigger_fired(p, what);
	} else if (p->trigger.spec.when == NM_TRIG_PATTERN_THEN_BUFFER &&
		   atomic_load_explicit(&p->trigger.state, memory_order_relaxed) == NM_TRIG_ARMED_SECOND)
		trigger_level(p);
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	nm_pipeline *p = (nm_pipeline *)user;
	if (atomic_load_explicit(&p->paused, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&p->a_paused, 1, memory_order_relaxed);
		return;
	}
	nm_packet pk;
	pk.data = data;
	pk.caplen = h->caplen;
	pk.wirelen = h->len;
	pk.linktype = (uint32_t)pcap_datalink(p->pcap);
	/* With PCAP_TSTAMP_PRECISION_NANO, tv_usec holds nanoseconds. */
	pk.ts_ns = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
	pk.number = ++p->number;
	if (pk.number == 1)
		p->first_ts = pk.ts_ns;
	pk.first_ts_ns = p->first_ts;
	pk.tree = NULL;
	pk.nkeys = 0;
	pk.keys_lost = false;
	nm_dissect_frame_with(&pk, &p->reasm.base);
	nm_pkt_key_ports(&pk); /* the last transport's */
	count_frame(p, &pk);
	if (!nm_addrs_update(&p->addrs, &pk)) {
		/* no count is lost: the deltas are written now instead of in a second */
		atomic_fetch_add_explicit(&p->a_addrs_flushed, 1, memory_order_relaxed);
		ship_addrs(p);
		nm_addrs_update(&p->addrs, &pk);
	}
	if (!nm_paths_add(&p->paths, pk.protocols, pk.wirelen)) {
		ship_paths(p); /* full: no count is lost */
		nm_paths_add(&p->paths, pk.protocols, pk.wirelen);
	}
	atomic_fetch_add_explicit(&nm_rt.frames_seen, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&p->a_frames, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&p->a_bytes, pk.wirelen, memory_order_relaxed);

	nm_frame_rec r = {
		.number = pk.number,
		.ts_ns = pk.ts_ns,
		.len = pk.wirelen,
		.caplen = pk.caplen,
		.flags = pk.flags,
		.flow_id = nm_flows_update(&p->flows, &pk.flow, pk.ts_ns, pk.wirelen),
		.src = pk.src,
		.dst = pk.dst,
		.protocol = pk.protocol,
		.info = pk.info,
		.protocols = pk.protocols,
		.bytes = data,
		.keys_known = !pk.keys_lost && pk.nkeys <= NM_FRAME_KEYS,
	};
	r.nkeys = r.keys_known ? pk.nkeys : 0;
	memcpy(r.keys, pk.keys, r.nkeys * sizeof r.keys[0]);
	if (!p->cur->count)
		p->cur_since_ns = mono_ns();
	if (!nm_batch_add(p->cur, &r)) {
		ship_batch(p);
		if (!p->cur->count)
			p->cur_since_ns = mono_ns();
		if (!nm_batch_add(p->cur, &r)) { /* larger than a whole batch arena */
			p->stats.dropped_queue++;
			atomic_fetch_add(&p->a_dropped_queue, 1);
			atomic_fetch_add(&nm_rt.dropped_queue, 1);
		}
	}
	if (nm_flows_pending(&p->flows) >= 4096)
		ship_flows(p, true);
	if (p->has_trigger && atomic_load_explicit(&p->trigger.state, memory_order_relaxed) != NM_TRIG_FIRED)
		trigger_frame(p, &pk);
}

static void *capture_main(void *arg)
{
	nm_pipeline *p = arg;
	prctl(PR_SET_NAME, "nm-capture"); /* top -H, perf and ps name the threads */
	int64_t last_report = mono_ns();
	while (!atomic_load(&p->stop)) {
		int n = pcap_dispatch(p->pcap, 4096, on_frame, (u_char *)p);
		if (n == PCAP_ERROR) {
			snprintf(p->error, sizeof p->error, "capture stopped: %s", pcap_geterr(p->pcap));
			if (owns_rt(p))
				snprintf(nm_rt.error, sizeof nm_rt.error, "%s", p->error);
			fprintf(stderr, "netmond: %s\n", p->error);
			break;
		}
		if (n == 0 && !p->live)
			break; /* end of file */
		if (n == PCAP_ERROR_BREAK)
			break;
		int64_t now = mono_ns();
		if (p->live && p->cur->count && now - p->cur_since_ns > 100000000)
			ship_batch(p); /* live readers see frames within ~0.1 s */
		if (now - last_report >= 1000000000) {
			ship_flows(p, false);
			ship_addrs(p);
			ship_paths(p);
			ship_stats(p);
			last_report = now;
		}
	}
	ship_batch(p);
	ship_frag_links(p);
	ship_flows(p, false);
	ship_addrs(p);
	ship_paths(p);
	ship_stats(p);
	send_msg(p, (nm_msg){.type = NM_MSG_END});
	return NULL;
}

/* ---- writer thread ---- */

static void write_failed(nm_pipeline *p, const char *what)
{
	if (!p->write_failed++)
		fprintf(stderr, "netmond: storing %s failed: %s\n", what, nm_store_errmsg(p->store));
}

/* Once a second: drops into the time series, then its retention. */
static void series_tick(nm_pipeline *p, const nm_stats *st)
{
	if (nm_series_drops(&p->series, st->dropped_kernel + st->dropped_queue) < 0 ||
	    nm_series_trim(&p->series, SERIES_TRIM_ROWS) < 0)
		write_failed(p, "the time series");
}

static void write_msg(nm_pipeline *p, nm_msg *m)
{
	switch (m->type) {
	case NM_MSG_BATCH: {
		nm_batch *b = m->batch;
		b->capture_id = m->capture_id;
		if (nm_store_write_batch(p->store, b) < 0)
			write_failed(p, "frames");
		else {
			uint64_t bytes = 0;
			for (size_t i = 0; i < b->count; i++)
				bytes += b->frames[i].len;
			atomic_fetch_add(&nm_rt.frames_stored, b->count);
			atomic_fetch_add(&nm_rt.bytes_stored, bytes);
			atomic_fetch_add(&p->a_stored, b->count);
			atomic_fetch_add(&p->a_stored_bytes, bytes);
			nm_ret_stored(b);
			nm_ret_run(p->store); /* bounded: see retention.h */
		}
		if (p->has_trigger)
			trigger_level(p);
		if (nm_series_add_batch(&p->series, b) < 0)
			write_failed(p, "the time series");
		nm_queue_push(&p->pool, &(nm_msg){.type = NM_MSG_BATCH, .batch = b}, true);
		break;
	}
	case NM_MSG_FLOWS:
		if (nm_store_write_flows(p->store, m->capture_id, m->flows, m->nflows) < 0)
			write_failed(p, "flows");
		free(m->flows);
		break;
	case NM_MSG_STATS:
		m->stats->dropped_buffer = nm_ret_evicted(m->capture_id);
		if (nm_store_write_stats(p->store, m->capture_id, m->stats, p->proto_names) < 0)
			write_failed(p, "statistics");
		series_tick(p, m->stats);
		free(m->stats);
		break;
	case NM_MSG_ADDRS:
		if (nm_store_write_addrs(p->store, m->capture_id, m->addrs, m->naddrs) < 0)
			write_failed(p, "address statistics");
		free(m->addrs);
		break;
	case NM_MSG_FRAG_LINKS:
		if (nm_store_write_frag_links(p->store, m->capture_id, m->links, m->nlinks) < 0)
			write_failed(p, "reassembly links");
		free(m->links);
		break;
	case NM_MSG_PATHS:
		if (nm_store_write_paths(p->store, m->capture_id, m->paths, m->npaths) < 0)
			write_failed(p, "protocol path statistics");
		free(m->paths);
		break;
	case NM_MSG_END:
		break;
	}
}

static int end_state(const nm_pipeline *p)
{
	if (p->write_failed || p->error[0])
		return NM_CAP_FAILED;
	/* a live capture ends only when asked to */
	return p->live ? NM_CAP_STOPPED : NM_CAP_DONE;
}

static void *writer_main(void *arg)
{
	nm_pipeline *p = arg;
	prctl(PR_SET_NAME, "nm-writer");
	int64_t last_flush = mono_ns();
	bool dirty = false;
	for (;;) {
		nm_msg m;
		bool got = nm_queue_pop(&p->q, &m, 100);
		if (got) {
			store_lock(p);
			write_msg(p, &m);
			store_unlock(p);
			dirty = true;
		}
		int64_t now = mono_ns();
		/* Commit when idle or every 250 ms, so the API sees new frames. */
		if (dirty && (!got || now - last_flush > 250000000 || m.type == NM_MSG_END)) {
			store_lock(p);
			if (nm_series_write(&p->series) < 0)
				write_failed(p, "the time series");
			if (nm_store_flush(p->store) < 0)
				write_failed(p, "a transaction");
			nm_ret_committed(p->store);
			store_unlock(p);
			last_flush = now;
			dirty = false;
		}
		if (got && m.type == NM_MSG_END)
			break;
	}
	store_lock(p);
	while (nm_series_trim(&p->series, SERIES_TRIM_ROWS) >= SERIES_TRIM_ROWS)
		nm_store_flush(p->store); /* an import's whole backlog, a chunk per commit */
	if (nm_store_end_capture(p->store, p->capture_id) < 0 || nm_store_flush(p->store) < 0)
		write_failed(p, "the end of the capture");
	nm_ret_committed(p->store);
	store_unlock(p);
	if (owns_rt(p))
		atomic_store(&nm_rt.state, end_state(p));
	atomic_store(&p->finished, true);
	return NULL;
}

/* ---- set-up ---- */

static int make_pool(nm_pipeline *p)
{
	const nm_pipeline_opts *o = &p->o;
	if (nm_queue_init(&p->q, o->pool_batches + 64) < 0 || nm_queue_init(&p->pool, o->pool_batches + 1) < 0)
		return -1;
	p->cur = nm_batch_new(o->batch_frames, o->batch_bytes);
	if (!p->cur)
		return -1;
	for (size_t i = 0; i < o->pool_batches; i++) {
		nm_batch *b = nm_batch_new(o->batch_frames, o->batch_bytes);
		if (!b)
			return -1;
		nm_queue_push(&p->pool, &(nm_msg){.type = NM_MSG_BATCH, .batch = b}, false);
	}
	return 0;
}

static void free_pool(nm_pipeline *p)
{
	nm_msg m;
	if (p->pool.slots)
		while (nm_queue_pop(&p->pool, &m, 0))
			nm_batch_free(m.batch);
	nm_batch_free(p->cur);
	if (p->pool.slots)
		nm_queue_destroy(&p->pool);
	if (p->q.slots)
		nm_queue_destroy(&p->q);
}

static void pipeline_free(nm_pipeline *p)
{
	free_pool(p);
	nm_flows_free(&p->flows);
	nm_reasm_free(&p->reasm);
	nm_addrs_free(&p->addrs);
	nm_paths_free(&p->paths);
	nm_series_free(&p->series);
	if (p->store && !p->o.shared_store)
		nm_store_close(p->store);
	if (p->pcap)
		pcap_close(p->pcap);
	free(p);
}

static int begin_capture(nm_pipeline *p, char *err, size_t errlen)
{
	const nm_source_opts *s = &p->o.src;
	nm_capture_info ci = {
		.source = s->file ? s->file : s->iface,
		.kind = p->live ? "live" : "file",
		.filter = s->filter ? s->filter : "",
		.linktype = (uint32_t)pcap_datalink(p->pcap),
		.snaplen = (uint32_t)pcap_snapshot(p->pcap),
		.started_ns = wall_ns(),
	};
	store_lock(p);
	int rc = nm_store_begin_capture(p->store, &ci) < 0 || nm_store_flush(p->store) < 0 ? -1 : 0;
	if (rc < 0)
		snprintf(err, errlen, "cannot record the capture: %s", nm_store_errmsg(p->store));
	else
		nm_ret_add_capture(ci.id, &s->limits);
	store_unlock(p);
	if (rc < 0)
		return -1;
	p->capture_id = ci.id;
	snprintf(nm_rt.source, sizeof nm_rt.source, "%s", ci.source);
	snprintf(nm_rt.kind, sizeof nm_rt.kind, "%s", ci.kind);
	atomic_store(&nm_rt.capture_id, ci.id);
	return 0;
}

nm_pipeline *nm_pipeline_start(const nm_pipeline_opts *o, char *err, size_t errlen)
{
	nm_pipeline *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->o = *o;
	if (o->src.trigger) {
		p->has_trigger = true;
		nm_trigger_init(&p->trigger, o->src.trigger, &o->src.limits);
	}
	p->o.src.trigger = NULL; /* the caller's; ours is p->trigger */
	p->live = o->src.file == NULL;
	for (size_t i = 0; i < nm_protocol_count() && i < NM_STATS_MAX_PROTOS; i++)
		p->proto_names[i] = nm_protocol_at(i)->name;
	if (!(p->pcap = nm_source_open(&o->src, err, errlen)))
		goto fail;
	if (o->shared_store)
		p->store = o->shared_store;
	else if (!(p->store = nm_store_open(o->db_path, false, err, errlen)))
		goto fail;
	if (make_pool(p) < 0 || nm_flows_init(&p->flows, o->max_flows) < 0 || nm_reasm_start(&p->reasm) < 0 ||
	    nm_addrs_init(&p->addrs, o->max_stations ? o->max_stations : ADDRS_CAP) < 0 ||
	    nm_paths_init(&p->paths, PATHS_CAP) < 0) {
		snprintf(err, errlen, "out of memory for the capture buffers");
		goto fail;
	}
	if (begin_capture(p, err, errlen) < 0)
		goto fail;
	if (nm_series_init(&p->series, p->store, p->capture_id) < 0) {
		snprintf(err, errlen, "out of memory for the time series");
		goto fail;
	}
	atomic_store(&nm_rt.state, NM_CAP_RUNNING);
	if (pthread_create(&p->wr_thread, NULL, writer_main, p) != 0)
		goto fail;
	if (pthread_create(&p->cap_thread, NULL, capture_main, p) != 0) {
		nm_queue_push(&p->q, &(nm_msg){.type = NM_MSG_END}, true);
		pthread_join(p->wr_thread, NULL);
		goto fail;
	}
	return p;
fail:
	if (atomic_load(&nm_rt.capture_id) == 0) { /* the daemon's first capture */
		atomic_store(&nm_rt.state, NM_CAP_FAILED);
		snprintf(nm_rt.error, sizeof nm_rt.error, "%s", err);
	}
	pipeline_free(p);
	return NULL;
}

void nm_pipeline_stop(nm_pipeline *p)
{
	atomic_store(&p->stop, true);
	pcap_breakloop(p->pcap);
}

bool nm_pipeline_finished(nm_pipeline *p)
{
	return atomic_load(&p->finished);
}

int nm_pipeline_join(nm_pipeline *p)
{
	pthread_join(p->cap_thread, NULL);
	pthread_join(p->wr_thread, NULL);
	int rc = p->write_failed ? -1 : 0;
	pipeline_free(p);
	return rc;
}

void nm_pipeline_pause(nm_pipeline *p, bool paused)
{
	atomic_store(&p->paused, paused);
}

void nm_pipeline_counters_get(nm_pipeline *p, nm_pipeline_counters *c)
{
	c->capture_id = p->capture_id;
	c->dropped_buffer = nm_ret_evicted(p->capture_id);
	c->frames = atomic_load(&p->a_frames);
	c->bytes = atomic_load(&p->a_bytes);
	c->paused_frames = atomic_load(&p->a_paused);
	c->stored_frames = atomic_load(&p->a_stored);
	c->stored_bytes = atomic_load(&p->a_stored_bytes);
	c->dropped_queue = atomic_load(&p->a_dropped_queue);
	c->dropped_kernel = atomic_load(&p->a_dropped_kernel);
	c->kernel_received = atomic_load(&p->a_recv);
	c->stations_flushed = atomic_load(&p->a_addrs_flushed);
	c->finished = atomic_load(&p->finished);
	c->failed = c->finished && (p->write_failed || p->error[0]);
}

void nm_pipeline_trigger_get(nm_pipeline *p, nm_trigger_view *v)
{
	if (p->has_trigger)
		nm_trigger_view_get(&p->trigger, v);
	else
		v->set = false;
}

const char *nm_pipeline_error(nm_pipeline *p)
{
	return atomic_load(&p->finished) ? p->error : "";
}
