/*
 * sqlite_write.c - the writer side of the SQLite backend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/scan.h"
#include "db/sqlite_int.h"

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int step_done(sq_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, what);
}

/* Text bound without copying: the caller's strings outlive the step. */
static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Committed at once so readers see the capture before its first frame. */
int sq_begin_capture(nm_store *st, nm_capture_info *c)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q;
	if (sq_begin(s) || !(q = sq_stmt(s, SQ_CAPTURE_INS)))
		return -1;
	bind_text(q, 1, c->source ? c->source : "");
	bind_text(q, 2, c->kind ? c->kind : "file");
	bind_text(q, 3, c->filter ? c->filter : "");
	sqlite3_bind_int64(q, 4, c->linktype);
	sqlite3_bind_int64(q, 5, c->snaplen);
	sqlite3_bind_int64(q, 6, c->started_ns);
	if (step_done(s, q, "inserting capture"))
		return -1;
	c->id = sqlite3_last_insert_rowid(s->db);
	return sq_commit(s);
}

int sq_end_capture(nm_store *st, int64_t capture_id)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q;
	if (sq_begin(s) || sq_flush_counts(s) || !(q = sq_stmt(s, SQ_CAPTURE_END)))
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	sqlite3_bind_int64(q, 2, now_ns());
	if (step_done(s, q, "ending capture"))
		return -1;
	return sq_commit(s);
}

/* Add the frames stored since the last flush to their capture's row. */
int sq_flush_counts(sq_store *s)
{
	sq_counts *k = &s->counts;
	if (!k->frames)
		return 0;
	sqlite3_stmt *q = sq_stmt(s, SQ_CAPTURE_COUNT);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, k->capture_id);
	sqlite3_bind_int64(q, 2, (int64_t)k->frames);
	sqlite3_bind_int64(q, 3, (int64_t)k->bytes);
	sqlite3_bind_int64(q, 4, k->first_ns);
	sqlite3_bind_int64(q, 5, k->last_ns);
	if (step_done(s, q, "updating capture counts"))
		return -1;
	k->frames = k->bytes = 0;
	return 0;
}

static int count_batch(sq_store *s, const nm_batch *b)
{
	sq_counts *k = &s->counts;
	if (k->frames && k->capture_id != b->capture_id && sq_flush_counts(s))
		return -1;
	for (size_t i = 0; i < b->count; i++) {
		const nm_frame_rec *f = &b->frames[i];
		if (!k->frames || f->ts_ns < k->first_ns)
			k->first_ns = f->ts_ns;
		if (!k->frames || f->ts_ns > k->last_ns)
			k->last_ns = f->ts_ns;
		k->capture_id = b->capture_id;
		k->frames++;
		k->bytes += f->len;
	}
	return 0;
}

/* Resolve protocol / protocols ids before the savepoint (see sq_intern). */
static int intern_batch(sq_store *s, const nm_batch *b)
{
	if (b->count * 2 > s->str_ids_cap) {
		int64_t *p = realloc(s->str_ids, b->count * 2 * sizeof *p);
		if (!p)
			return nm_store_fail(&s->base, "out of memory");
		s->str_ids = p;
		s->str_ids_cap = b->count * 2;
	}
	for (size_t i = 0; i < b->count * 2; i++) {
		const nm_frame_rec *f = &b->frames[i / 2];
		const char *t = i % 2 ? f->protocols : f->protocol;
		s->str_ids[i] = 0;
		if (!t)
			continue;
		/* most frames repeat the previous frame's strings */
		const nm_frame_rec *prev = i >= 2 ? &b->frames[i / 2 - 1] : NULL;
		const char *pt = prev ? (i % 2 ? prev->protocols : prev->protocol) : NULL;
		if (pt && s->str_ids[i - 2] && strcmp(t, pt) == 0)
			s->str_ids[i] = s->str_ids[i - 2];
		else if (sq_intern(s, t, &s->str_ids[i]))
			return -1;
	}
	return 0;
}

static void bind_id(sqlite3_stmt *q, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(q, i, id);
	else
		sqlite3_bind_null(q, i);
}

static int insert_frame(sq_store *s, sqlite3_stmt *q, int64_t cap, const nm_frame_rec *f,
			const int64_t *ids)
{
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, (int64_t)f->number);
	sqlite3_bind_int64(q, 3, f->ts_ns);
	sqlite3_bind_int64(q, 4, f->len);
	sqlite3_bind_int64(q, 5, f->caplen);
	sqlite3_bind_int64(q, 6, f->iface);
	sqlite3_bind_int64(q, 7, f->flags);
	sqlite3_bind_int64(q, 8, f->flow_id);
	bind_id(q, 9, ids[0]);
	bind_id(q, 10, ids[1]);
	bind_text(q, 11, f->src);
	bind_text(q, 12, f->dst);
	bind_text(q, 13, f->info);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	return nm_store_fail(&s->base, "frame %llu of capture %lld: %s",
			     (unsigned long long)f->number, (long long)cap, sqlite3_errmsg(s->db));
}

/* All rows of a batch or none: a bad frame rolls back only this batch. */
static int insert_rows(sq_store *s, const nm_batch *b)
{
	sqlite3_stmt *q;
	if (sq_exec(s, SQ_SAVEPOINT) || !(q = sq_stmt(s, SQ_FRAME_INS)))
		return -1;
	for (size_t i = 0; i < b->count; i++) {
		if (insert_frame(s, q, b->capture_id, &b->frames[i], &s->str_ids[2 * i])) {
			sq_exec(s, SQ_ROLLBACK_TO);
			sq_exec(s, SQ_RELEASE);
			return -1;
		}
	}
	return sq_exec(s, SQ_RELEASE);
}

static int check_batch(sq_store *s, const nm_batch *b)
{
	if (b->capture_id <= 0)
		return nm_store_fail(&s->base, "batch has no capture id");
	for (size_t i = 0; i < b->count; i++)
		if (b->frames[i].caplen && !b->frames[i].bytes)
			return nm_store_fail(&s->base, "frame %llu has caplen but no bytes",
					     (unsigned long long)b->frames[i].number);
	return 0;
}

int sq_write_batch(nm_store *st, const nm_batch *b)
{
	sq_store *s = (sq_store *)st;
	if (!b->count)
		return 0;
	if (check_batch(s, b) || sq_begin(s) || intern_batch(s, b) || insert_rows(s, b) || sq_write_keys(s, b))
		return -1;
	for (size_t i = 0; i < b->count; i++)
		if (sq_chunk_append(s, b->capture_id, &b->frames[i], s->str_ids[2 * i + 1]))
			return -1;
	if (count_batch(s, b))
		return -1;
	s->pending_frames += b->count;
	return s->pending_frames >= SQ_COMMIT_FRAMES ? sq_commit(s) : 0;
}

static int upsert_flow(sq_store *s, sqlite3_stmt *q, int64_t cap, const nm_flow_rec *f)
{
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, f->id);
	sqlite3_bind_int(q, 3, f->family);
	sqlite3_bind_int(q, 4, f->proto);
	sqlite3_bind_text(q, 5, f->src, (int)strnlen(f->src, sizeof f->src), SQLITE_STATIC);
	sqlite3_bind_text(q, 6, f->dst, (int)strnlen(f->dst, sizeof f->dst), SQLITE_STATIC);
	sqlite3_bind_int(q, 7, f->sport);
	sqlite3_bind_int(q, 8, f->dport);
	sqlite3_bind_int64(q, 9, f->first_ns);
	sqlite3_bind_int64(q, 10, f->last_ns);
	sqlite3_bind_int64(q, 11, (int64_t)f->frames_ab);
	sqlite3_bind_int64(q, 12, (int64_t)f->bytes_ab);
	sqlite3_bind_int64(q, 13, (int64_t)f->frames_ba);
	sqlite3_bind_int64(q, 14, (int64_t)f->bytes_ba);
	bind_text(q, 15, f->state ? f->state : "");
	return step_done(s, q, "storing flow");
}

int sq_write_flows(nm_store *st, int64_t capture_id, const nm_flow_rec *f, size_t n)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q;
	if (!n)
		return 0;
	if (sq_begin(s) || !(q = sq_stmt(s, SQ_FLOW_UPSERT)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (upsert_flow(s, q, capture_id, &f[i]))
			return -1;
	return 0;
}

static int upsert_totals(sq_store *s, int64_t cap, const nm_stats *t)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_STATS_UPSERT);
	if (!q)
		return -1;
	const uint64_t v[] = {t->frames,	 t->bytes,	    t->broadcast,
			      t->multicast,	 t->truncated,	    t->malformed,
			      t->dropped_kernel, t->dropped_queue, t->flows_evicted};
	sqlite3_bind_int64(q, 1, cap);
	for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
		sqlite3_bind_int64(q, i + 2, (int64_t)v[i]);
	sqlite3_bind_int64(q, 11, t->first_ns);
	sqlite3_bind_int64(q, 12, t->last_ns);
	sqlite3_bind_int64(q, 13, (int64_t)t->dropped_buffer);
	sqlite3_bind_int64(q, 14, (int64_t)t->reasm_evicted);
	return step_done(s, q, "storing stats");
}

/* Only ids with frames are looked up in proto_names. */
static int upsert_protos(sq_store *s, int64_t cap, const nm_stats *t, const char *const *names)
{
	for (int i = 0; i < NM_STATS_MAX_PROTOS; i++) {
		if (!t->proto_frames[i])
			continue;
		char fallback[16];
		const char *name = names ? names[i] : NULL;
		if (!name) {
			snprintf(fallback, sizeof fallback, "proto-%d", i);
			name = fallback;
		}
		sqlite3_stmt *q = sq_stmt(s, SQ_PROTO_UPSERT);
		if (!q)
			return -1;
		sqlite3_bind_int64(q, 1, cap);
		sqlite3_bind_text(q, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(q, 3, (int64_t)t->proto_frames[i]);
		sqlite3_bind_int64(q, 4, (int64_t)t->proto_bytes[i]);
		if (step_done(s, q, "storing protocol stats"))
			return -1;
	}
	return 0;
}

int sq_write_stats(nm_store *st, int64_t capture_id, const nm_stats *stats,
		   const char *const *proto_names)
{
	sq_store *s = (sq_store *)st;
	if (sq_begin(s) || upsert_totals(s, capture_id, stats))
		return -1;
	return upsert_protos(s, capture_id, stats, proto_names);
}
