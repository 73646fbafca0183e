/*
 * sqlite_scan.c - nm_store_scan for the SQLite backend: one query in key
 * order with the pushed-down filter as its WHERE clause, and the frame
 * bytes read a whole chunk at a time (consecutive frames share chunks).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/scan.h"
#include "db/sqlite_int.h"

int64_t nm_scan_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The chunk whose bytes are in memory. */
typedef struct chunk_cache {
	int64_t capture_id;
	uint64_t first, count;
	uint32_t *offs; /* count + 1 offsets */
	uint8_t *data;
	size_t cap;
} chunk_cache;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int load_chunk(sq_store *s, chunk_cache *cc, int64_t cap, uint64_t number)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_CHUNK_FIND);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, (int64_t)number);
	int rc = sqlite3_step(q), err = -1;
	if (rc == SQLITE_ROW) {
		int64_t base = sqlite3_column_int64(q, 0);
		uint64_t count = (uint64_t)sqlite3_column_int64(q, 2);
		const uint8_t *offs = sqlite3_column_blob(q, 3);
		size_t size = (size_t)sqlite3_column_bytes(q, 3);
		uint32_t *o = count < (1u << 24) && size >= 4 * (count + 1) ? malloc(4 * (count + 1)) : NULL;
		for (uint64_t i = 0; o && i <= count; i++)
			o[i] = le32(offs + 4 * i);
		size_t len = o ? o[count] : 0;
		uint8_t *d = o && len <= (1u << 30) ? realloc(cc->data, len + 1) : NULL;
		if (d) {
			free(cc->offs);
			cc->offs = o;
			cc->data = d;
			cc->capture_id = cap;
			cc->first = (uint64_t)sqlite3_column_int64(q, 1);
			cc->count = count;
			err = sq_data_read(s, (uint64_t)base, d, len);
			if (err)
				cc->count = 0;
		} else {
			free(o);
			nm_store_fail(&s->base, "frame %" PRIu64 ": bad chunk index", number);
		}
	} else {
		nm_store_fail(&s->base, "bytes of frame %" PRIu64 " are missing", number);
	}
	sqlite3_reset(q);
	return err;
}

/* Point f->bytes at the frame's bytes in the cached chunk. */
static int frame_bytes(sq_store *s, chunk_cache *cc, nm_frame_full *f)
{
	uint64_t n = f->row.number;
	if (cc->capture_id != f->row.capture_id || n < cc->first || n >= cc->first + cc->count || !cc->offs)
		if (load_chunk(s, cc, f->row.capture_id, n))
			return -1;
	if (n < cc->first || n >= cc->first + cc->count)
		return nm_store_fail(&s->base, "bytes of frame %" PRIu64 " are missing", n);
	uint32_t a = cc->offs[n - cc->first], b = cc->offs[n - cc->first + 1];
	if (b < a || b - a != f->row.caplen || b > cc->offs[cc->count])
		return nm_store_fail(&s->base, "frame %" PRIu64 ": stored bytes do not match caplen", n);
	f->bytes = cc->data + a;
	return 0;
}

static int on_progress(void *ctx)
{
	return nm_scan_now_ns() > *(const int64_t *)ctx;
}

static sqlite3_stmt *prepare(sq_store *s, const nm_scan *q)
{
	char *sql = sqlite3_mprintf(
		/* frame.time_relative counts from frame 1, as in Wireshark, not from
		 * the capture's earliest time (captures.first_ns); worked out once
		 * per capture, not per row */
		"WITH c AS MATERIALIZED (SELECT id, linktype, coalesce((SELECT ts_ns FROM frames"
		" WHERE capture_id = captures.id AND number = 1), first_ns) AS first_ns FROM captures)"
		" SELECT f.capture_id, f.number, f.ts_ns, f.len, f.caplen, f.iface, f.flags, f.src, f.dst,"
		" p.text, f.info, c.linktype, c.first_ns"
		" FROM frames f LEFT JOIN strings p ON p.id = f.protocol"
		" LEFT JOIN c ON c.id = f.capture_id"
		" WHERE %s (f.capture_id, f.number) %s (?1, ?2) AND (%s)"
		" ORDER BY f.capture_id %s, f.number %s",
		q->capture_id ? "f.capture_id = ?3 AND" : "", q->desc ? "<" : ">", q->where ? q->where : "1",
		q->desc ? "DESC" : "", q->desc ? "DESC" : "");
	sqlite3_stmt *st = NULL;
	if (!sql || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sq_fail_db(s, "preparing the filter query");
		st = NULL;
	}
	sqlite3_free(sql);
	if (!st)
		return NULL;
	bool from_end = q->desc && q->after_capture == 0;
	sqlite3_bind_int64(st, 1, from_end ? INT64_MAX : q->after_capture);
	sqlite3_bind_int64(st, 2, from_end || q->after_number > INT64_MAX ? INT64_MAX : (int64_t)q->after_number);
	if (q->capture_id)
		sqlite3_bind_int64(st, 3, q->capture_id);
	return st;
}

static void read_row(sqlite3_stmt *q, nm_frame_full *f)
{
	memset(f, 0, sizeof *f);
	nm_frame_row *r = &f->row;
	r->capture_id = sqlite3_column_int64(q, 0);
	r->number = (uint64_t)sqlite3_column_int64(q, 1);
	r->ts_ns = sqlite3_column_int64(q, 2);
	r->len = (uint32_t)sqlite3_column_int64(q, 3);
	r->caplen = (uint32_t)sqlite3_column_int64(q, 4);
	r->iface = (uint32_t)sqlite3_column_int64(q, 5);
	r->flags = (uint32_t)sqlite3_column_int64(q, 6);
	nm_strlcpy(r->src, (const char *)sqlite3_column_text(q, 7), sizeof r->src);
	nm_strlcpy(r->dst, (const char *)sqlite3_column_text(q, 8), sizeof r->dst);
	nm_strlcpy(r->protocol, (const char *)sqlite3_column_text(q, 9), sizeof r->protocol);
	nm_strlcpy(r->info, (const char *)sqlite3_column_text(q, 10), sizeof r->info);
	f->linktype = (uint32_t)sqlite3_column_int64(q, 11);
	f->first_ns = sqlite3_column_int64(q, 12);
}

static int run(sq_store *s, sqlite3_stmt *st, const nm_scan *q, nm_scan_cb cb, void *ctx)
{
	chunk_cache cc = {0};
	int rc, n = 0, res = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nm_frame_full f;
		read_row(st, &f);
		if (q->want_bytes && frame_bytes(s, &cc, &f)) {
			res = -1;
			break;
		}
		n++;
		if (cb(ctx, &f))
			break;
		/* the callback's dissection is outside SQLite's progress checks */
		if (q->deadline_ns && (n & 255) == 0 && nm_scan_now_ns() > q->deadline_ns) {
			rc = SQLITE_INTERRUPT;
			break;
		}
	}
	free(cc.offs);
	free(cc.data);
	if (res)
		return res;
	if (rc == SQLITE_INTERRUPT) {
		nm_store_fail(&s->base, "the filter ran out of its time budget after %d frames", n);
		return NM_SCAN_TIMEOUT;
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : sq_fail_db(s, "scanning frames");
}

int nm_store_scan(nm_store *st, const nm_scan *q, nm_scan_cb cb, void *ctx)
{
	if (st->ops != &nm_sqlite_ops)
		return nm_store_fail(st, "filtered scans need the SQLite store");
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *stmt = prepare(s, q);
	if (!stmt)
		return -1;
	if (q->deadline_ns)
		sqlite3_progress_handler(s->db, 10000, on_progress, (void *)&q->deadline_ns);
	int r = run(s, stmt, q, cb, ctx);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	sqlite3_finalize(stmt);
	return r;
}
