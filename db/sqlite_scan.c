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

/* The chunk being read: its offsets, and a window of its bytes.  A scan
 * reading every frame reads whole windows; a filter that lets few frames
 * through (tunnels, for an address) reads little of each chunk. */
typedef struct chunk_cache {
	int64_t capture_id;
	uint64_t first, count, base;
	uint32_t *offs;	     /* count + 1 offsets */
	uint8_t *data;	     /* bytes [lo, hi) of the chunk */
	uint32_t lo, hi;
} chunk_cache;

#define WINDOW (32 * 1024)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The chunk's offsets (its bytes are read by frame_bytes). */
static int load_chunk(sq_store *s, chunk_cache *cc, int64_t cap, uint64_t number)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_CHUNK_FIND);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, (int64_t)number);
	int rc = sqlite3_step(q), err = -1;
	if (rc == SQLITE_ROW) {
		uint64_t count = (uint64_t)sqlite3_column_int64(q, 2);
		const uint8_t *offs = sqlite3_column_blob(q, 3);
		size_t size = (size_t)sqlite3_column_bytes(q, 3);
		uint32_t *o = count < (1u << 24) && size >= 4 * (count + 1) ? malloc(4 * (count + 1)) : NULL;
		for (uint64_t i = 0; o && i <= count; i++)
			o[i] = le32(offs + 4 * i);
		if (o && o[count] <= (1u << 30)) {
			free(cc->offs);
			cc->offs = o;
			cc->capture_id = cap;
			cc->base = (uint64_t)sqlite3_column_int64(q, 0);
			cc->first = (uint64_t)sqlite3_column_int64(q, 1);
			cc->count = count;
			cc->lo = cc->hi = 0;
			err = 0;
		} else {
			free(o);
			nm_store_fail(&s->base, "frame %" PRIu64 ": bad chunk index", number);
		}
	} else if (rc == SQLITE_INTERRUPT) {
		err = NM_SCAN_TIMEOUT; /* the budget ran out in this lookup */
	} else {
		nm_store_fail(&s->base, "bytes of frame %" PRIu64 " are missing", number);
	}
	sqlite3_reset(q);
	return err;
}

/* Read bytes [a, b) of the chunk, and up to a window past them. */
static int read_span(sq_store *s, chunk_cache *cc, uint32_t a, uint32_t b)
{
	uint32_t end = cc->offs[cc->count], hi = end - a > WINDOW ? a + WINDOW : end;
	if (hi < b)
		hi = b;
	uint8_t *d = realloc(cc->data, (size_t)(hi - a) + 1);
	if (!d)
		return nm_store_fail(&s->base, "out of memory reading frame bytes");
	cc->data = d;
	cc->lo = cc->hi = 0;
	if (sq_data_read(s, cc->base + a, d, hi - a)) {
		cc->count = 0;
		return -1;
	}
	cc->lo = a;
	cc->hi = hi;
	return 0;
}

/* Point f->bytes at the frame's bytes. */
static int frame_bytes(sq_store *s, chunk_cache *cc, nm_frame_full *f)
{
	uint64_t n = f->row.number;
	int err;
	if (cc->capture_id != f->row.capture_id || n < cc->first || n >= cc->first + cc->count || !cc->offs)
		if ((err = load_chunk(s, cc, f->row.capture_id, n)) != 0)
			return err;
	if (n < cc->first || n >= cc->first + cc->count)
		return nm_store_fail(&s->base, "bytes of frame %" PRIu64 " are missing", n);
	uint32_t a = cc->offs[n - cc->first], b = cc->offs[n - cc->first + 1];
	if (b < a || b - a != f->row.caplen || b > cc->offs[cc->count])
		return nm_store_fail(&s->base, "frame %" PRIu64 ": stored bytes do not match caplen", n);
	if ((a < cc->lo || b > cc->hi || cc->lo == cc->hi) && read_span(s, cc, a, b))
		return -1;
	f->bytes = cc->data + (a - cc->lo);
	return 0;
}

static int on_progress(void *ctx)
{
	return nm_scan_now_ns() > *(const int64_t *)ctx;
}

/* The first flow id of each capture with no flows row (yet): flow ids
 * are dense from 1, so frames below it have their flow written (see
 * filter/sql_flow.c).  Counting rows against the largest id is the common
 * quick answer; the gap search only runs for a capture still writing. */
#define FLOW_GAP                                                                                      \
	"CASE WHEN NOT EXISTS (SELECT 1 FROM flows WHERE capture_id = captures.id AND id = 1) THEN 1" \
	" WHEN (SELECT count(*) FROM flows WHERE capture_id = captures.id)"                          \
	" = (SELECT max(id) FROM flows WHERE capture_id = captures.id)"                              \
	" THEN (SELECT max(id) FROM flows WHERE capture_id = captures.id) + 1"                       \
	" ELSE (SELECT min(a.id) + 1 FROM flows a WHERE a.capture_id = captures.id AND NOT EXISTS"  \
	" (SELECT 1 FROM flows b WHERE b.capture_id = a.capture_id AND b.id = a.id + 1)) END"

/* The captures as c: frame.time_relative counts from frame 1, as in
 * Wireshark, not from the capture's earliest time (captures.first_ns);
 * worked out once per capture, not per row.  With candidates, also k:
 * their span per chunk (see from_clause). */
static char *with_c(const nm_scan *q)
{
	bool gap = (q->where && strstr(q->where, "flow_gap")) || q->cand;
	return sqlite3_mprintf("WITH c AS MATERIALIZED (SELECT id, linktype, coalesce((SELECT ts_ns FROM frames"
			       " WHERE capture_id = captures.id AND number = 1), first_ns) AS first_ns, %s AS flow_gap"
			       " FROM captures)%s%s%s",
			       gap ? FLOW_GAP : "0", q->cand ? ", k AS MATERIALIZED (SELECT capture_id, first_number,"
							       " min(lo) AS lo, max(hi) AS hi FROM (" : "",
			       q->cand ? q->cand : "", q->cand ? ") GROUP BY capture_id, first_number)" : "");
}

/* With candidates (q->cand), frames are read chunk by chunk in key
 * order, and of each chunk only the span its candidate rows cover (k, a
 * chunk without any is skipped): frame_data drives the loop so pages come
 * out in order and can end early, without a sort. */
#define SPAN(x) "(SELECT " x " FROM k WHERE k.capture_id = d.capture_id AND k.first_number = d.first_number)"

static char *from_clause(const nm_scan *q)
{
	if (!q->cand)
		return sqlite3_mprintf("frames f");
	return sqlite3_mprintf("frame_data d CROSS JOIN frames f ON f.capture_id = d.capture_id AND f.number BETWEEN " SPAN(
		"max(d.first_number, k.lo)") " AND " SPAN("CASE WHEN k.hi = 0 THEN d.first_number + d.count - 1 ELSE k.hi END"));
}

static void bind_keys(sqlite3_stmt *st, const nm_scan *q)
{
	bool from_end = q->desc && q->after_capture == 0;
	sqlite3_bind_int64(st, 1, from_end ? INT64_MAX : q->after_capture);
	sqlite3_bind_int64(st, 2, from_end || q->after_number > INT64_MAX ? INT64_MAX : (int64_t)q->after_number);
	if (q->capture_id)
		sqlite3_bind_int64(st, 3, q->capture_id);
}

/*
 * Skipping q->offset rows: a lean query finds the key of the last row to
 * skip, and the page then starts after it.  Lean because OFFSET still
 * visits every skipped row, and joining each to the protocol name and the
 * capture (which the page needs) tripled the time of a skip of 900,000
 * rows; the capture is joined only when the filter uses it.
 * Returns 1 and the key, 0 when there are not that many rows, -1 on error.
 */
static int seek_offset(sq_store *s, const nm_scan *q, int64_t *cap, uint64_t *num)
{
	bool uses_c = (q->where && (strstr(q->where, "c.") || strstr(q->where, "FROM c)"))) || q->cand;
	char *with = uses_c ? with_c(q) : sqlite3_mprintf("%s", ""), *from = from_clause(q);
	const char *dir = q->desc ? "DESC" : "";
	char *sql = with && from ? sqlite3_mprintf("%s SELECT f.capture_id, f.number FROM %s%s WHERE %s"
						   " (f.capture_id, f.number) %s (?1, ?2) AND (%s)"
						   " ORDER BY f.capture_id %s, f.number %s LIMIT 1 OFFSET ?4",
						   with, from, uses_c ? " LEFT JOIN c ON c.id = f.capture_id" : "",
						   q->capture_id ? "f.capture_id = ?3 AND" : "", q->desc ? "<" : ">",
						   q->where ? q->where : "1", dir, dir)
				 : NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sql && sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		bind_keys(st, q);
		sqlite3_bind_int64(st, 4, q->offset - 1 > INT64_MAX ? INT64_MAX : (int64_t)(q->offset - 1));
		int step = sqlite3_step(st);
		rc = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
		if (rc == 1) {
			*cap = sqlite3_column_int64(st, 0);
			*num = (uint64_t)sqlite3_column_int64(st, 1);
		}
	}
	if (rc < 0)
		rc = sqlite3_errcode(s->db) == SQLITE_INTERRUPT ? NM_SCAN_TIMEOUT : sq_fail_db(s, "skipping to the offset");
	if (rc == NM_SCAN_TIMEOUT)
		nm_store_fail(&s->base, "the filter ran out of its time budget skipping %llu frames",
			      (unsigned long long)q->offset);
	sqlite3_finalize(st);
	sqlite3_free(with);
	sqlite3_free(from);
	sqlite3_free(sql);
	return rc;
}

static sqlite3_stmt *prepare(sq_store *s, const nm_scan *q)
{
	char *with = with_c(q), *from = from_clause(q);
	const char *dir = q->desc ? "DESC" : "";
	char *order = q->cand ? sqlite3_mprintf("d.capture_id %s, d.first_number %s, f.number %s", dir, dir, dir)
			      : sqlite3_mprintf("f.capture_id %s, f.number %s", dir, dir);
	char *sql = with && from && order
			    ? sqlite3_mprintf("%s SELECT f.capture_id, f.number, f.ts_ns, f.len, f.caplen, f.iface,"
					      " f.flags, f.src, f.dst, p.text, f.info, c.linktype, c.first_ns"
					      " FROM %s LEFT JOIN strings p ON p.id = f.protocol"
					      " LEFT JOIN c ON c.id = f.capture_id"
					      " WHERE %s (f.capture_id, f.number) %s (?1, ?2) AND (%s) ORDER BY %s",
					      with, from, q->capture_id ? "f.capture_id = ?3 AND" : "",
					      q->desc ? "<" : ">", q->where ? q->where : "1", order)
			    : NULL;
	sqlite3_stmt *st = NULL;
	if (!sql || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sq_fail_db(s, "preparing the filter query");
		st = NULL;
	}
	sqlite3_free(with);
	sqlite3_free(from);
	sqlite3_free(order);
	sqlite3_free(sql);
	if (!st)
		return NULL;
	bind_keys(st, q);
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
		int err = q->want_bytes ? frame_bytes(s, &cc, &f) : 0;
		if (err) {
			rc = err == NM_SCAN_TIMEOUT ? SQLITE_INTERRUPT : rc;
			res = err == NM_SCAN_TIMEOUT ? 0 : -1;
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
	/* a scan reads much of the file: mapped pages skip a copy per page
	 * read (measured: a fifth of a no-match address scan's time) */
	sqlite3_exec(s->db, "PRAGMA mmap_size = 1099511627776", NULL, NULL, NULL);
	if (q->deadline_ns)
		sqlite3_progress_handler(s->db, 10000, on_progress, (void *)&q->deadline_ns);
	nm_scan after = *q;
	int found = q->offset ? seek_offset(s, q, &after.after_capture, &after.after_number) : 1;
	sqlite3_stmt *stmt = found > 0 ? prepare(s, &after) : NULL;
	if (!stmt) {
		sqlite3_progress_handler(s->db, 0, NULL, NULL);
		return found > 0 ? -1 : found;
	}
	int r = run(s, stmt, &after, cb, ctx);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	sqlite3_finalize(stmt);
	return r;
}
