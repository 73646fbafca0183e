/*
 * sqlite_read.c - the reader side of the SQLite backend (HTTP threads, each
 * with its own read-only connection).
 */
#include <stdlib.h>
#include <string.h>

#include "db/sqlite_int.h"

static const char *col_text(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static void read_capture(sqlite3_stmt *q, nm_capture_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	nm_strlcpy(r->source, col_text(q, 1), sizeof r->source);
	nm_strlcpy(r->kind, col_text(q, 2), sizeof r->kind);
	nm_strlcpy(r->filter, col_text(q, 3), sizeof r->filter);
	r->linktype = (uint32_t)sqlite3_column_int64(q, 4);
	r->snaplen = (uint32_t)sqlite3_column_int64(q, 5);
	r->started_ns = sqlite3_column_int64(q, 6);
	r->first_ns = sqlite3_column_int64(q, 7);
	r->last_ns = sqlite3_column_int64(q, 8);
	r->frames = (uint64_t)sqlite3_column_int64(q, 9);
	r->bytes = (uint64_t)sqlite3_column_int64(q, 10);
	r->running = sqlite3_column_int(q, 11) != 0;
	r->evicted = (uint64_t)sqlite3_column_int64(q, 12);
}

static void read_frame(sqlite3_stmt *q, nm_frame_row *r)
{
	memset(r, 0, sizeof *r);
	r->capture_id = sqlite3_column_int64(q, 0);
	r->number = (uint64_t)sqlite3_column_int64(q, 1);
	r->ts_ns = sqlite3_column_int64(q, 2);
	r->len = (uint32_t)sqlite3_column_int64(q, 3);
	r->caplen = (uint32_t)sqlite3_column_int64(q, 4);
	r->iface = (uint32_t)sqlite3_column_int64(q, 5);
	r->flags = (uint32_t)sqlite3_column_int64(q, 6);
	nm_strlcpy(r->src, col_text(q, 7), sizeof r->src);
	nm_strlcpy(r->dst, col_text(q, 8), sizeof r->dst);
	nm_strlcpy(r->protocol, col_text(q, 9), sizeof r->protocol);
	nm_strlcpy(r->info, col_text(q, 10), sizeof r->info);
}

int sq_captures(nm_store *st, nm_capture_cb cb, void *ctx)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q = sq_stmt(s, SQ_CAPTURES);
	if (!q)
		return -1;
	int rc, n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		nm_capture_row r;
		read_capture(q, &r);
		n++;
		if (cb(ctx, &r))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : sq_fail_db(s, "listing captures");
}

int sq_capture_get(nm_store *st, int64_t id, nm_capture_row *out)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q = sq_stmt(s, SQ_CAPTURE_GET);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_capture(q, out);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "reading capture");
}

/* Runs a prepared frame query and hands each row to cb. */
static int deliver(sq_store *s, sqlite3_stmt *q, nm_frame_cb cb, void *ctx)
{
	int rc, n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		nm_frame_row r;
		read_frame(q, &r);
		n++;
		if (cb(ctx, &r))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : sq_fail_db(s, "reading frames");
}

int sq_frames(nm_store *st, int64_t capture_id, int64_t after_capture, uint64_t after_number,
	      unsigned limit, nm_frame_cb cb, void *ctx)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q = sq_stmt(s, capture_id ? SQ_FRAMES_ONE : SQ_FRAMES_ALL);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, after_capture);
	/* numbers are stored as signed: clamp so "after everything" stays valid */
	sqlite3_bind_int64(q, 2, after_number > INT64_MAX ? INT64_MAX : (int64_t)after_number);
	sqlite3_bind_int64(q, 3, limit);
	if (capture_id)
		sqlite3_bind_int64(q, 4, capture_id);
	return deliver(s, q, cb, ctx);
}

int sq_frames_latest(nm_store *st, int64_t capture_id, unsigned limit, nm_frame_cb cb, void *ctx)
{
	sq_store *s = (sq_store *)st;
	sqlite3_stmt *q = sq_stmt(s, capture_id ? SQ_LATEST_ONE : SQ_LATEST_ALL);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, limit);
	if (capture_id)
		sqlite3_bind_int64(q, 2, capture_id);
	return deliver(s, q, cb, ctx);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Where frame `number` lies: the chunk's file offset and the byte range in it. */
static int find_slice(sq_store *s, int64_t cap, uint64_t number, int64_t *base, uint32_t *off,
		      uint32_t *end)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_CHUNK_FIND);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, cap);
	sqlite3_bind_int64(q, 2, (int64_t)number);
	int rc = sqlite3_step(q), ok = 0;
	if (rc == SQLITE_ROW) {
		uint64_t idx = number - (uint64_t)sqlite3_column_int64(q, 1);
		uint64_t count = (uint64_t)sqlite3_column_int64(q, 2);
		const uint8_t *offs = sqlite3_column_blob(q, 3);
		size_t size = (size_t)sqlite3_column_bytes(q, 3);
		ok = idx < count && size >= 4 * (count + 1);
		if (ok) {
			*base = sqlite3_column_int64(q, 0);
			*off = le32(offs + 4 * idx);
			*end = le32(offs + 4 * idx + 4);
			ok = *end >= *off;
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail_db(s, "finding frame bytes");
	return ok ? 0 : nm_store_fail(&s->base, "bytes of frame %llu are missing",
				      (unsigned long long)number);
}

static int read_bytes(sq_store *s, int64_t cap, nm_frame_full *out)
{
	int64_t base = 0;
	uint32_t off = 0, end = 0;
	if (find_slice(s, cap, out->row.number, &base, &off, &end))
		return -1;
	if (end - off != out->row.caplen)
		return nm_store_fail(&s->base, "frame %llu: stored bytes do not match caplen",
				     (unsigned long long)out->row.number);
	out->bytes = malloc((size_t)out->row.caplen + 1);
	if (!out->bytes)
		return nm_store_fail(&s->base, "out of memory");
	return sq_data_read(s, (uint64_t)base + off, out->bytes, out->row.caplen);
}

int sq_frame_get(nm_store *st, int64_t capture_id, uint64_t number, nm_frame_full *out)
{
	sq_store *s = (sq_store *)st;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = sq_stmt(s, SQ_FRAME_GET);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	sqlite3_bind_int64(q, 2, (int64_t)number);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		read_frame(q, &out->row);
		out->linktype = (uint32_t)sqlite3_column_int64(q, 11);
		out->first_ns = sqlite3_column_int64(q, 12);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "reading frame");
	if (read_bytes(s, capture_id, out)) {
		nm_frame_full_free(out);
		return -1;
	}
	return 1;
}

static int read_protos(sq_store *s, int64_t capture_id, nm_totals *out)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_PROTO_TOTALS);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (out->nprotos == cap) {
			cap = cap ? 2 * cap : 32;
			nm_proto_count *p = realloc(out->protos, cap * sizeof *p);
			if (!p) {
				sqlite3_reset(q);
				return nm_store_fail(&s->base, "out of memory");
			}
			out->protos = p;
		}
		nm_proto_count *c = &out->protos[out->nprotos++];
		nm_strlcpy(c->name, col_text(q, 0), sizeof c->name);
		c->frames = (uint64_t)sqlite3_column_int64(q, 1);
		c->bytes = (uint64_t)sqlite3_column_int64(q, 2);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, "reading protocol totals");
}

int sq_totals(nm_store *st, int64_t capture_id, nm_totals *out)
{
	sq_store *s = (sq_store *)st;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = sq_stmt(s, SQ_TOTALS);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		uint64_t *v[] = {&out->frames,	  &out->bytes,		&out->broadcast,
				 &out->multicast, &out->truncated,	&out->malformed,
				 &out->dropped_kernel, &out->dropped_queue, &out->flows_evicted,
				 &out->dropped_buffer, &out->reasm_evicted};
		for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
			*v[i] = (uint64_t)sqlite3_column_int64(q, i);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return sq_fail_db(s, "reading totals");
	if (read_protos(s, capture_id, out)) {
		nm_totals_free(out);
		return -1;
	}
	return 0;
}
