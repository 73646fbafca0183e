/*
 * store_impl.h - what a storage backend provides to the dispatcher (store.c).
 *
 * A backend allocates its own struct whose first member is `struct nm_store`
 * and fills in `ops`; store.c calls through the table, so adding a backend
 * touches only db/.
 */
#ifndef NETMON_STORE_IMPL_H
#define NETMON_STORE_IMPL_H

#include "db/store.h"

struct nm_store_ops {
	const char *name;
	/* True when this backend handles `path` (e.g. a URL scheme). */
	bool (*accepts)(const char *path);
	nm_store *(*open)(const char *path, bool readonly, char *err, size_t errlen);
	void (*close)(nm_store *s);

	int (*begin_capture)(nm_store *s, nm_capture_info *c);
	int (*write_batch)(nm_store *s, const nm_batch *b);
	int (*write_flows)(nm_store *s, int64_t capture_id, const nm_flow_rec *f, size_t n);
	int (*write_stats)(nm_store *s, int64_t capture_id, const nm_stats *st,
			   const char *const *proto_names);
	int (*end_capture)(nm_store *s, int64_t capture_id);
	int (*flush)(nm_store *s);

	int (*captures)(nm_store *s, nm_capture_cb cb, void *ctx);
	int (*capture_get)(nm_store *s, int64_t id, nm_capture_row *out);
	int (*frames)(nm_store *s, int64_t capture_id, int64_t after_capture,
		      uint64_t after_number, unsigned limit, nm_frame_cb cb, void *ctx);
	int (*frames_latest)(nm_store *s, int64_t capture_id, unsigned limit, nm_frame_cb cb,
			     void *ctx);
	int (*frame_get)(nm_store *s, int64_t capture_id, uint64_t number, nm_frame_full *out);
	int (*totals)(nm_store *s, int64_t capture_id, nm_totals *out);
	int (*write_addrs)(nm_store *s, int64_t capture_id, const nm_addr_rec *r, size_t n);
	/* protocol path deltas (NULL: the backend keeps none) */
	int (*write_paths)(nm_store *s, int64_t capture_id, const nm_path_rec *r, size_t n);
	int (*stat_rows)(nm_store *s, const nm_stat_query *q, nm_stat_cb cb, void *ctx);
	/* IPv4 reassembly links (NULL: the backend keeps none) */
	int (*write_frag_links)(nm_store *s, int64_t capture_id, const nm_frag_link *l, size_t n);
	int (*frag_frames)(nm_store *s, int64_t capture_id, uint64_t number, uint64_t *in, uint64_t *frames,
			   size_t max);
	/* retention (NULL: the backend cannot evict) */
	int (*evict)(nm_store *s, int64_t capture_id, const nm_evict_goal *g, nm_evicted *out);
	int (*kept)(nm_store *s, int64_t capture_id, nm_kept *out);
	int (*space)(nm_store *s, nm_space *out);
	int (*reclaim)(nm_store *s);
	void (*set_ceiling)(nm_store *s, uint64_t bytes); /* NULL: nothing to tune */
	int (*delete_capture)(nm_store *s, int64_t id);
};

struct nm_store {
	const struct nm_store_ops *ops;
	bool readonly;
	char err[512];
};

/* Record an error message on the store; returns -1 for `return nm_store_fail(...)`. */
int nm_store_fail(nm_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bounded copy that always terminates (NULL src gives ""). */
void nm_strlcpy(char *dst, const char *src, size_t size);

extern const struct nm_store_ops nm_sqlite_ops;

#endif
