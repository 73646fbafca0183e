/* retention.c - see retention.h. */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "capture/retention.h"

/* Frames per store call, and the time one nm_ret_run may take: the writer
 * goes back to its queue after that, so capture waits at most this long. */
#define CHUNK     2048
#define BUDGET_NS 20000000
/* The WAL reaches about 4-6 MiB between checkpoints (sqlite_datafile.c sets
 * them at 4 MiB) and may be empty when measured: count it as this much. */
#define WAL_ALLOW ((uint64_t)6 << 20)

typedef struct ret_cap {
	int64_t id;
	nm_limits lim;
	uint64_t frames, bytes; /* kept */
	int64_t oldest_ns, newest_ns;
	uint64_t evicted;
} ret_cap;

static struct {
	pthread_mutex_t mu; /* for the status readers; writers hold the store lock */
	bool on, global;    /* global: database limits or a ceiling */
	nm_limits db;
	uint64_t ceiling;
	ret_cap *caps;
	size_t n, cap;
	uint64_t evicted, evicted_bytes, evict_ns;
	uint64_t batch_max; /* most frame bytes one batch brought */
	uint64_t owed;      /* frames stored since the last nm_ret_run */
	uint64_t db_high;   /* most SQLite file + WAL bytes seen (db_estimate) */
	int64_t longest_ns;
} R = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool any_limit(const nm_limits *l)
{
	return l->frames || l->bytes || l->age_s > 0;
}

static ret_cap *find(int64_t id)
{
	for (size_t i = 0; i < R.n; i++)
		if (R.caps[i].id == id)
			return &R.caps[i];
	return NULL;
}

static ret_cap *add(int64_t id)
{
	ret_cap *c = find(id);
	if (c)
		return c;
	if (R.n == R.cap) {
		size_t cap = R.cap ? R.cap * 2 : 16;
		ret_cap *p = realloc(R.caps, cap * sizeof *p);
		if (!p)
			return NULL;
		R.caps = p;
		R.cap = cap;
	}
	c = &R.caps[R.n++];
	memset(c, 0, sizeof *c);
	c->id = id;
	return c;
}

static int load_cb(void *ctx, const nm_capture_row *row)
{
	nm_store *s = ctx;
	nm_kept k;
	if (nm_store_kept(s, row->id, &k) < 0)
		return 1;
	ret_cap *c = k.frames ? add(row->id) : NULL;
	if (c) {
		c->frames = k.frames;
		c->bytes = k.bytes;
		c->oldest_ns = k.oldest_ns;
		c->newest_ns = k.newest_ns;
	}
	return 0;
}

int nm_ret_init(nm_store *s, const nm_limits *db_limits, uint64_t ceiling)
{
	pthread_mutex_lock(&R.mu);
	R.on = true;
	R.db = *db_limits;
	R.ceiling = ceiling;
	R.global = any_limit(db_limits) || ceiling;
	nm_store_set_ceiling(s, ceiling);
	int rc = R.global && nm_store_captures(s, load_cb, s) < 0 ? -1 : 0;
	pthread_mutex_unlock(&R.mu);
	return rc;
}

void nm_ret_add_capture(int64_t capture_id, const nm_limits *limits)
{
	pthread_mutex_lock(&R.mu);
	ret_cap *c = R.on ? add(capture_id) : NULL;
	if (c)
		c->lim = *limits;
	pthread_mutex_unlock(&R.mu);
}

void nm_ret_stored(const nm_batch *b)
{
	if (!b->count)
		return;
	pthread_mutex_lock(&R.mu);
	ret_cap *c = R.on ? find(b->capture_id) : NULL;
	uint64_t bytes = 0;
	for (size_t i = 0; c && i < b->count; i++) {
		const nm_frame_rec *f = &b->frames[i];
		if (!c->frames)
			c->oldest_ns = f->ts_ns;
		c->frames++;
		c->bytes += f->caplen;
		bytes += f->caplen;
		if (f->ts_ns > c->newest_ns)
			c->newest_ns = f->ts_ns;
	}
	R.batch_max = bytes > R.batch_max ? bytes : R.batch_max;
	R.owed += c ? b->count : 0;
	pthread_mutex_unlock(&R.mu);
}

/* What capture c must lose for its own limits; false when nothing. */
static bool own_goal(const ret_cap *c, nm_evict_goal *g)
{
	const nm_limits *l = &c->lim;
	memset(g, 0, sizeof *g);
	if (!c->frames)
		return false;
	if (l->frames && c->frames > l->frames)
		g->frames = c->frames - l->frames;
	if (l->bytes && c->bytes > l->bytes)
		g->bytes = c->bytes - l->bytes;
	if (l->age_s > 0 && c->oldest_ns < c->newest_ns - l->age_s * 1000000000)
		g->before_ns = c->newest_ns - l->age_s * 1000000000;
	return g->frames || g->bytes || g->before_ns;
}

/* The capture with the oldest kept frame; *next: the second oldest's time
 * (0 if none), so eviction over all captures goes in time order. */
static ret_cap *oldest(int64_t *next)
{
	ret_cap *best = NULL;
	*next = 0;
	for (size_t i = 0; i < R.n; i++) {
		ret_cap *c = &R.caps[i];
		if (!c->frames)
			continue;
		if (!best || c->oldest_ns < best->oldest_ns) {
			if (best)
				*next = best->oldest_ns;
			best = c;
		} else if (!*next || c->oldest_ns < *next)
			*next = c->oldest_ns;
	}
	return best;
}

/* SQLite's share of the disk: the file, and the WAL at its largest. */
static uint64_t db_estimate(const nm_space *sp)
{
	uint64_t wal = sp->wal_bytes > WAL_ALLOW ? sp->wal_bytes : WAL_ALLOW;
	uint64_t db = sp->db_bytes - sp->wal_bytes + wal;
	R.db_high = db > R.db_high ? db : R.db_high;
	return R.db_high;
}

/* What the database as a whole must lose for its limits and ceiling. */
static bool global_goal(nm_store *s, nm_evict_goal *g)
{
	uint64_t frames = 0, bytes = 0;
	int64_t newest = INT64_MIN, old = INT64_MAX;
	memset(g, 0, sizeof *g);
	for (size_t i = 0; i < R.n; i++) {
		const ret_cap *c = &R.caps[i];
		frames += c->frames;
		bytes += c->bytes;
		newest = c->frames && c->newest_ns > newest ? c->newest_ns : newest;
		old = c->frames && c->oldest_ns < old ? c->oldest_ns : old;
	}
	if (R.db.frames && frames > R.db.frames)
		g->frames = frames - R.db.frames;
	if (R.db.bytes && bytes > R.db.bytes)
		g->bytes = bytes - R.db.bytes;
	if (R.db.age_s > 0 && frames && old < newest - R.db.age_s * 1000000000)
		g->before_ns = newest - R.db.age_s * 1000000000;
	nm_space sp;
	/* Evict until the files would be under the ceiling less 1/8, less the
	 * largest batch (the next one lands before the next eviction) and less
	 * what may wait for a commit to be deleted (commit_early: 1/16). */
	uint64_t margin = R.ceiling / 8 + R.ceiling / 16 + R.batch_max, used;
	uint64_t target = R.ceiling > margin ? R.ceiling - margin : 0;
	if (R.ceiling && nm_store_space(s, &sp) == 0 && (used = db_estimate(&sp) + sp.frames_live) > target) {
		uint64_t over = used - target;
		over = over < sp.frames_live ? over : sp.frames_live;
		g->bytes = over > g->bytes ? over : g->bytes;
	}
	return g->frames || g->bytes || g->before_ns;
}

static void account(ret_cap *c, const nm_evicted *e)
{
	c->frames -= e->frames < c->frames ? e->frames : c->frames;
	c->bytes -= e->bytes < c->bytes ? e->bytes : c->bytes;
	c->oldest_ns = e->more ? e->next_ns : 0;
	if (!e->more)
		c->frames = c->bytes = 0;
	c->evicted += e->frames;
	R.evicted += e->frames;
	R.evicted_bytes += e->bytes;
}

/* One chunk of eviction; returns frames evicted, 0 when nothing is due. */
static int64_t step(nm_store *s)
{
	nm_evict_goal g;
	ret_cap *c = NULL;
	for (size_t i = 0; i < R.n && !c; i++)
		if (own_goal(&R.caps[i], &g))
			c = &R.caps[i];
	if (!c && R.global && global_goal(s, &g)) {
		int64_t next;
		c = oldest(&next);
		g.until_ns = next;
	}
	if (!c)
		return 0;
	g.max = CHUNK;
	nm_evicted e;
	if (nm_store_evict(s, c->id, &g, &e) < 0)
		return -1;
	account(c, &e);
	return (int64_t)e.frames;
}

/* Files are deleted only after the deletes commit.  Under a ceiling, a
 * writer that commits every 250 ms would meanwhile write more than a small
 * ceiling allows, so commit as soon as 1/16 of the ceiling is reclaimable. */
static int commit_early(nm_store *s)
{
	nm_space sp;
	if (!R.ceiling || nm_store_space(s, &sp) < 0 || sp.frames_bytes < sp.frames_live + R.ceiling / 16)
		return 0;
	return nm_store_flush(s) < 0 || nm_store_reclaim(s) < 0 ? -1 : 0;
}

int64_t nm_ret_run(nm_store *s)
{
	if (!R.on)
		return 0;
	int64_t t0 = mono_ns(), total = 0, n;
	pthread_mutex_lock(&R.mu);
	/* Past the time budget, go on until twice what came in since the last
	 * run is gone: eviction must outpace ingest or the buffer grows. */
	while ((n = step(s)) > 0) {
		total += n;
		if (mono_ns() - t0 > BUDGET_NS && (uint64_t)total >= 2 * R.owed)
			break;
	}
	R.owed = 0;
	if (n >= 0 && total && commit_early(s) < 0)
		n = -1;
	int64_t took = mono_ns() - t0;
	R.evict_ns += total ? (uint64_t)took : 0;
	if (took > R.longest_ns)
		R.longest_ns = took;
	pthread_mutex_unlock(&R.mu);
	if (n < 0)
		fprintf(stderr, "netmond: evicting frames failed: %s\n", nm_store_errmsg(s));
	return n < 0 ? -1 : total;
}

void nm_ret_committed(nm_store *s)
{
	if (R.on && nm_store_reclaim(s) < 0)
		fprintf(stderr, "netmond: deleting frame files failed: %s\n", nm_store_errmsg(s));
}

void nm_ret_deleted(nm_store *s, int64_t capture_id)
{
	pthread_mutex_lock(&R.mu);
	ret_cap *c = R.on ? find(capture_id) : NULL;
	if (c)
		c->frames = c->bytes = 0;
	pthread_mutex_unlock(&R.mu);
	nm_ret_committed(s);
}

uint64_t nm_ret_evicted(int64_t capture_id)
{
	pthread_mutex_lock(&R.mu);
	ret_cap *c = find(capture_id);
	uint64_t n = c ? c->evicted : 0;
	pthread_mutex_unlock(&R.mu);
	return n;
}

void nm_ret_status_get(nm_ret_status *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&R.mu);
	out->active = R.on;
	out->db_limits = R.db;
	out->ceiling = R.ceiling;
	for (size_t i = 0; i < R.n; i++) {
		out->kept_frames += R.caps[i].frames;
		out->kept_bytes += R.caps[i].bytes;
	}
	out->evicted_frames = R.evicted;
	out->evicted_bytes = R.evicted_bytes;
	out->longest_stall_ns = R.longest_ns;
	out->evict_ns = R.evict_ns;
	pthread_mutex_unlock(&R.mu);
}

static uint64_t allocated(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
}

uint64_t nm_ret_disk_bytes(const char *db_path)
{
	char buf[4200];
	snprintf(buf, sizeof buf, "%.4000s-wal", db_path);
	uint64_t sum = allocated(db_path) + allocated(buf);
	snprintf(buf, sizeof buf, "%.4000s", db_path);
	char *slash = strrchr(buf, '/');
	const char *base = slash ? slash + 1 : buf;
	char dir[4200];
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - buf) + 1 : 2, slash ? buf : "./");
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		/* "<db>-frames" and "<db>-frames.NNNNNN" */
		if (strncmp(e->d_name, base, blen) != 0 || strncmp(e->d_name + blen, "-frames", 7) != 0)
			continue;
		char p[8400];
		snprintf(p, sizeof p, "%s%s", dir, e->d_name);
		sum += allocated(p);
	}
	if (d)
		closedir(d);
	return sum;
}

void nm_ret_shutdown(void)
{
	pthread_mutex_lock(&R.mu);
	free(R.caps);
	R.caps = NULL;
	R.n = R.cap = 0;
	R.on = false;
	pthread_mutex_unlock(&R.mu);
}
