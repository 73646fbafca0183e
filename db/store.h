/*
 * store.h - the storage interface: open, write batches, query.
 *
 * Capture and the HTTP API talk to storage only through these calls, so a
 * second backend (ClickHouse, for many sensors) can be added in db/ without
 * touching capture/ or parsers/.  store.c dispatches to a backend's
 * nm_store_ops; store_sqlite.c is the embedded default.
 *
 * Threading: a writable store belongs to the one writer thread.  Readers
 * (HTTP threads) each open their own read-only store; with SQLite in WAL
 * mode they never block the writer nor each other.
 */
#ifndef NETMON_STORE_H
#define NETMON_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nm_store nm_store;

/* ---- records written by capture ---- */

typedef struct nm_capture_info {
	int64_t id;          /* assigned by nm_store_begin_capture */
	const char *source;  /* file path or interface name */
	const char *kind;    /* "file" or "live" */
	const char *filter;  /* BPF capture filter, "" if none */
	uint32_t linktype;   /* LINKTYPE_ value of the frames */
	uint32_t snaplen;
	int64_t started_ns;  /* wall-clock time the capture began */
} nm_capture_info;

#define NM_FRAME_KEYS 12

/* One frame as stored.  Strings and bytes point into the batch's arena. */
typedef struct nm_frame_rec {
	uint64_t number; /* 1-based within its capture */
	int64_t ts_ns;
	uint32_t len, caplen;
	uint32_t iface;  /* interface index within the capture (pcapng IDB) */
	uint32_t flags;  /* NM_PKT_* from dissect.h */
	int64_t flow_id; /* 0 when the frame belongs to no flow */
	const char *src, *dst, *protocol, *info, *protocols;
	const uint8_t *bytes; /* caplen bytes */
	/* nm_packet.keys: the frame's address and port keys, for display
	 * filters (db/sqlite_keys.c); keys_known false: not collected, or
	 * more than fit (a block holding such a frame is always read) */
	bool keys_known;
	uint8_t nkeys;
	uint64_t keys[NM_FRAME_KEYS];
} nm_frame_rec;

/* A batch of frames handed from the capture thread to the writer. */
typedef struct nm_batch {
	int64_t capture_id;
	nm_frame_rec *frames;
	size_t count, cap;
	uint8_t *arena; /* bytes and strings of the frames */
	size_t used, arena_cap;
} nm_batch;

nm_batch *nm_batch_new(size_t max_frames, size_t arena_bytes);
void nm_batch_free(nm_batch *b);
void nm_batch_reset(nm_batch *b);
/* Copy a frame in; false when the batch is full (frames or arena). */
bool nm_batch_add(nm_batch *b, const nm_frame_rec *f);

/* A conversation (flow): the innermost IP 5-tuple, both directions. */
typedef struct nm_flow_rec {
	int64_t id;
	int family; /* 4 or 6 */
	int proto;  /* IP protocol number */
	char src[48], dst[48]; /* addresses as text; src is who sent first */
	uint16_t sport, dport;
	int64_t first_ns, last_ns;
	uint64_t frames_ab, bytes_ab, frames_ba, bytes_ba; /* ab: src -> dst */
	const char *state; /* TCP: "SYN", "ESTABLISHED", "FIN", "RESET"; "" */
} nm_flow_rec;

/*
 * Per-address statistics, written as deltas (the store adds them up, so
 * the capture side may forget an entry once written):
 * a station (b empty; ab = sent, ba = received; bcast/mcast = frames sent
 * to a broadcast/multicast destination) or an address-pair conversation
 * (a and b in a fixed order whoever sends; ab = a -> b).  kind: "eth", "ip" or "ipv6".
 */
typedef struct nm_addr_rec {
	bool conv;
	const char *kind;
	char a[48], b[48];
	uint64_t frames_ab, bytes_ab, frames_ba, bytes_ba, bcast, mcast;
	int64_t first_ns, last_ns;
} nm_addr_rec;

#define NM_STATS_MAX_PROTOS 256

/* Statistics of one capture, as a snapshot (the writer upserts it). */
typedef struct nm_stats {
	uint64_t frames, bytes;
	uint64_t broadcast, multicast;
	uint64_t truncated, malformed;
	uint64_t dropped_kernel; /* pcap_stats ps_drop (+ ps_ifdrop) */
	uint64_t dropped_queue;  /* frames the writer queue had no room for */
	uint64_t flows_evicted;  /* flow table cap reached: idle flows dropped */
	uint64_t dropped_buffer; /* stored, then evicted by the retention limits */
	uint64_t reasm_evicted;  /* IPv4 datagrams dropped unfinished (capture/reasm.h) */
	int64_t first_ns, last_ns;
	/* per protocol, indexed by nm_protocol id */
	uint64_t proto_frames[NM_STATS_MAX_PROTOS];
	uint64_t proto_bytes[NM_STATS_MAX_PROTOS];
} nm_stats;

/* ---- rows read by the API ---- */

typedef struct nm_capture_row {
	int64_t id;
	char source[256];
	char kind[8];
	char filter[4096]; /* the BPF text; a compiled structured filter is long */
	uint32_t linktype, snaplen;
	int64_t started_ns, first_ns, last_ns;
	uint64_t frames, bytes;
	uint64_t evicted; /* of those frames, evicted by the retention limits */
	bool running;
} nm_capture_row;

typedef struct nm_frame_row {
	int64_t capture_id;
	uint64_t number;
	int64_t ts_ns;
	uint32_t len, caplen, iface, flags;
	char src[64], dst[64], protocol[32], info[256];
} nm_frame_row;

/* A frame with its bytes, for the detail view (bytes is malloc'd). */
typedef struct nm_frame_full {
	nm_frame_row row;
	uint32_t linktype;
	int64_t first_ns; /* the capture's first frame time */
	uint8_t *bytes;
} nm_frame_full;

typedef struct nm_proto_count {
	char name[32];
	uint64_t frames, bytes;
} nm_proto_count;

/* Totals over one capture (capture_id > 0) or all of them (0). */
typedef struct nm_totals {
	uint64_t frames, bytes, broadcast, multicast, truncated, malformed;
	uint64_t dropped_kernel, dropped_queue, flows_evicted, dropped_buffer, reasm_evicted;
	nm_proto_count *protos; /* malloc'd, sorted by frames descending */
	size_t nprotos;
} nm_totals;

typedef int (*nm_capture_cb)(void *ctx, const nm_capture_row *r);
typedef int (*nm_frame_cb)(void *ctx, const nm_frame_row *r);

/* ---- the interface ---- */

/* Open (creating and migrating if `readonly` is false).  On failure returns
 * NULL with a message in err. */
nm_store *nm_store_open(const char *path, bool readonly, char *err, size_t errlen);
void nm_store_close(nm_store *s);
const char *nm_store_errmsg(nm_store *s);

/* Writer side.  Writes are grouped in transactions the store manages;
 * nm_store_flush commits what is pending so readers see it. */
int nm_store_begin_capture(nm_store *s, nm_capture_info *c);
int nm_store_write_batch(nm_store *s, const nm_batch *b);
int nm_store_write_flows(nm_store *s, int64_t capture_id, const nm_flow_rec *f, size_t n);
int nm_store_write_stats(nm_store *s, int64_t capture_id, const nm_stats *st,
			 const char *const *proto_names);
int nm_store_end_capture(nm_store *s, int64_t capture_id);
int nm_store_flush(nm_store *s);

int nm_store_write_addrs(nm_store *s, int64_t capture_id, const nm_addr_rec *r, size_t n);

/* Frames and bytes per protocol path (frame.protocols), written as deltas
 * for the protocol hierarchy, which thus counts evicted frames too. */
#define NM_PATH_REC_LEN 160
typedef struct nm_path_rec {
	char path[NM_PATH_REC_LEN];
	uint64_t frames, bytes;
} nm_path_rec;

int nm_store_write_paths(nm_store *s, int64_t capture_id, const nm_path_rec *r, size_t n);

/* IPv4 reassembly: fragment frame `frame` is shown reassembled in frame
 * `reassembled_in` (which is itself one of the fragments). */
typedef struct nm_frag_link {
	uint64_t frame, reassembled_in;
} nm_frag_link;

int nm_store_write_frag_links(nm_store *s, int64_t capture_id, const nm_frag_link *l, size_t n);
/* The frame `number` is reassembled in (*in; 0 when none) and that
 * datagram's fragment frames, ascending, at most `max` of them.  Returns
 * how many were put in `frames`, or <0 on error. */
int nm_store_frag_frames(nm_store *s, int64_t capture_id, uint64_t number, uint64_t *in, uint64_t *frames,
			 size_t max);

/* ---- statistics tables, read as rows of named cells ---- */

typedef enum nm_stat_kind {
	NM_STAT_FLOWS,      /* TCP/UDP conversations: filter = IP protocol */
	NM_STAT_ADDR_CONVS, /* address pairs: kind = "eth", "ip", "ipv6" */
	NM_STAT_STATIONS,   /* kind as above, or NULL for all */
	NM_STAT_PROTO_PATHS, /* frames and bytes per frame.protocols path */
	NM_STAT_TIMESERIES, /* frames and bytes per interval_ns bucket */
} nm_stat_kind;

typedef struct nm_stat_query {
	nm_stat_kind kind;
	int64_t capture_id; /* 0: every capture */
	int filter;
	const char *addr_kind;
	const char *sort; /* a column name (checked: -2 when unknown); NULL: default */
	bool asc;
	uint64_t limit, offset;
	int64_t from_ns, to_ns, interval_ns;
} nm_stat_query;

typedef struct nm_stat_cell {
	const char *name;
	bool is_text;
	int64_t i;
	const char *s;
} nm_stat_cell;

typedef int (*nm_stat_cb)(void *ctx, const nm_stat_cell *cells, int n);
/* Rows delivered, -1 on error, -2 for an unknown sort column. */
int nm_store_stat_rows(nm_store *s, const nm_stat_query *q, nm_stat_cb cb, void *ctx);

/* Reader side.  Callbacks return non-zero to stop early. */
int nm_store_captures(nm_store *s, nm_capture_cb cb, void *ctx);
int nm_store_capture_get(nm_store *s, int64_t id, nm_capture_row *out); /* 1 found, 0 not, <0 error */
/*
 * Frames in (capture_id, number) order, after the cursor position
 * (after_capture, after_number); capture_id 0 means every capture.
 * Returns the number of rows delivered, or <0 on error.
 */
int nm_store_frames(nm_store *s, int64_t capture_id, int64_t after_capture, uint64_t after_number,
		    unsigned limit, nm_frame_cb cb, void *ctx);
/* Newest frames first (for the dashboard's "latest"), same callback. */
int nm_store_frames_latest(nm_store *s, int64_t capture_id, unsigned limit, nm_frame_cb cb, void *ctx);
int nm_store_frame_get(nm_store *s, int64_t capture_id, uint64_t number, nm_frame_full *out);
void nm_frame_full_free(nm_frame_full *f);
int nm_store_totals(nm_store *s, int64_t capture_id, nm_totals *out);
void nm_totals_free(nm_totals *t);

/* ---- retention: evicting the oldest frames (writer side) ---- */

/* Evict a capture's oldest frames (lowest numbers first) while any goal is
 * unmet: fewer than `frames` evicted, fewer than `bytes` (caplen) evicted,
 * or the next frame older than before_ns (0: no age goal).  Never more
 * than `max` frames in one call, and never a frame newer than until_ns
 * (0: no bound), so several captures can be evicted oldest first. */
typedef struct nm_evict_goal {
	uint64_t frames, bytes;
	int64_t before_ns, until_ns;
	uint32_t max;
} nm_evict_goal;

typedef struct nm_evicted {
	uint64_t frames, bytes; /* evicted by this call */
	bool more;              /* frames remain in the capture */
	int64_t next_ns;        /* then: the oldest remaining frame's time */
} nm_evicted;

/* What a capture still keeps (a scan: for start-up, not per batch). */
typedef struct nm_kept {
	uint64_t frames, bytes; /* bytes: caplen */
	int64_t oldest_ns, newest_ns;
} nm_kept;

/* Bytes on disk: the database with its WAL, the frame byte files, and the
 * part of those still referenced (what remains once dead files go). */
typedef struct nm_space {
	uint64_t db_bytes, wal_bytes, frames_bytes, frames_live; /* db_bytes includes the WAL */
} nm_space;

int nm_store_evict(nm_store *s, int64_t capture_id, const nm_evict_goal *g, nm_evicted *out);
int nm_store_kept(nm_store *s, int64_t capture_id, nm_kept *out);
int nm_store_space(nm_store *s, nm_space *out);
/* After a commit: delete frame byte files no row refers to any more. */
int nm_store_reclaim(nm_store *s);
/* The disk ceiling (0: none), so the backend can keep its own overhead
 * (journals) small when there is one and cheap when there is not. */
void nm_store_set_ceiling(nm_store *s, uint64_t bytes);

/* Delete capture id and everything stored for it (writer; the capture must
 * not be active).  Returns 0 (also when there was no such capture) or -1. */
int nm_store_delete_capture(nm_store *s, int64_t id);

#endif
