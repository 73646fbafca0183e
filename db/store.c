/*
 * store.c - the storage dispatcher: picks a backend by path and forwards
 * every call through its ops table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/store_impl.h"

/* Tried in order; the last one (SQLite) accepts any plain file path. */
static const struct nm_store_ops *const backends[] = {
	&nm_sqlite_ops,
};

int nm_store_fail(nm_store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return -1;
}

void nm_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = src ? strnlen(src, size - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

nm_store *nm_store_open(const char *path, bool readonly, char *err, size_t errlen)
{
	if (!path || !*path) {
		snprintf(err, errlen, "no database path given");
		return NULL;
	}
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
		if (!backends[i]->accepts(path))
			continue;
		nm_store *s = backends[i]->open(path, readonly, err, errlen);
		if (s) {
			s->ops = backends[i];
			s->readonly = readonly;
			s->err[0] = '\0';
		}
		return s;
	}
	snprintf(err, errlen, "%s: no storage backend handles this path", path);
	return NULL;
}

void nm_store_close(nm_store *s)
{
	if (s)
		s->ops->close(s);
}

const char *nm_store_errmsg(nm_store *s)
{
	return s ? s->err : "no store";
}

/* Writer calls refuse a read-only store before reaching the backend. */
static int writable(nm_store *s)
{
	if (s->readonly)
		return nm_store_fail(s, "store is open read-only");
	return 0;
}

int nm_store_begin_capture(nm_store *s, nm_capture_info *c)
{
	return writable(s) ? -1 : s->ops->begin_capture(s, c);
}

int nm_store_write_batch(nm_store *s, const nm_batch *b)
{
	return writable(s) ? -1 : s->ops->write_batch(s, b);
}

int nm_store_write_flows(nm_store *s, int64_t capture_id, const nm_flow_rec *f, size_t n)
{
	return writable(s) ? -1 : s->ops->write_flows(s, capture_id, f, n);
}

int nm_store_write_stats(nm_store *s, int64_t capture_id, const nm_stats *st,
			 const char *const *proto_names)
{
	return writable(s) ? -1 : s->ops->write_stats(s, capture_id, st, proto_names);
}

int nm_store_end_capture(nm_store *s, int64_t capture_id)
{
	return writable(s) ? -1 : s->ops->end_capture(s, capture_id);
}

int nm_store_flush(nm_store *s)
{
	return s->readonly ? 0 : s->ops->flush(s);
}

int nm_store_captures(nm_store *s, nm_capture_cb cb, void *ctx)
{
	return s->ops->captures(s, cb, ctx);
}

int nm_store_capture_get(nm_store *s, int64_t id, nm_capture_row *out)
{
	return s->ops->capture_get(s, id, out);
}

int nm_store_frames(nm_store *s, int64_t capture_id, int64_t after_capture, uint64_t after_number,
		    unsigned limit, nm_frame_cb cb, void *ctx)
{
	return s->ops->frames(s, capture_id, after_capture, after_number, limit, cb, ctx);
}

int nm_store_frames_latest(nm_store *s, int64_t capture_id, unsigned limit, nm_frame_cb cb,
			   void *ctx)
{
	return s->ops->frames_latest(s, capture_id, limit, cb, ctx);
}

int nm_store_frame_get(nm_store *s, int64_t capture_id, uint64_t number, nm_frame_full *out)
{
	return s->ops->frame_get(s, capture_id, number, out);
}

int nm_store_totals(nm_store *s, int64_t capture_id, nm_totals *out)
{
	return s->ops->totals(s, capture_id, out);
}

int nm_store_write_addrs(nm_store *s, int64_t capture_id, const nm_addr_rec *r, size_t n)
{
	return writable(s) ? -1 : s->ops->write_addrs(s, capture_id, r, n);
}

int nm_store_write_paths(nm_store *s, int64_t capture_id, const nm_path_rec *r, size_t n)
{
	if (writable(s))
		return -1;
	return s->ops->write_paths ? s->ops->write_paths(s, capture_id, r, n) : 0;
}

int nm_store_stat_rows(nm_store *s, const nm_stat_query *q, nm_stat_cb cb, void *ctx)
{
	return s->ops->stat_rows(s, q, cb, ctx);
}

int nm_store_write_frag_links(nm_store *s, int64_t capture_id, const nm_frag_link *l, size_t n)
{
	if (writable(s))
		return -1;
	return s->ops->write_frag_links ? s->ops->write_frag_links(s, capture_id, l, n) : 0;
}

int nm_store_frag_frames(nm_store *s, int64_t capture_id, uint64_t number, uint64_t *in, uint64_t *frames,
			 size_t max)
{
	*in = 0;
	return s->ops->frag_frames ? s->ops->frag_frames(s, capture_id, number, in, frames, max) : 0;
}

void nm_frame_full_free(nm_frame_full *f)
{
	if (f) {
		free(f->bytes);
		f->bytes = NULL;
	}
}

void nm_totals_free(nm_totals *t)
{
	if (t) {
		free(t->protos);
		t->protos = NULL;
		t->nprotos = 0;
	}
}

static int no_retention(nm_store *s)
{
	return nm_store_fail(s, "the %s backend cannot evict frames", s->ops->name);
}

int nm_store_evict(nm_store *s, int64_t capture_id, const nm_evict_goal *g, nm_evicted *out)
{
	return s->ops->evict ? s->ops->evict(s, capture_id, g, out) : no_retention(s);
}

int nm_store_kept(nm_store *s, int64_t capture_id, nm_kept *out)
{
	return s->ops->kept ? s->ops->kept(s, capture_id, out) : no_retention(s);
}

int nm_store_space(nm_store *s, nm_space *out)
{
	return s->ops->space ? s->ops->space(s, out) : no_retention(s);
}

int nm_store_reclaim(nm_store *s)
{
	return s->ops->reclaim ? s->ops->reclaim(s) : 0;
}

void nm_store_set_ceiling(nm_store *s, uint64_t bytes)
{
	if (s->ops->set_ceiling)
		s->ops->set_ceiling(s, bytes);
}

int nm_store_delete_capture(nm_store *s, int64_t id)
{
	if (!s->ops->delete_capture)
		return nm_store_fail(s, "%s: deleting captures is not supported", s->ops->name);
	return s->ops->delete_capture(s, id);
}
