/*
 * api_filter.h - display-filter endpoints (api_filter.c, api_extract.c):
 * shared state of one filtered scan over the store.
 */
#ifndef NETMON_API_FILTER_H
#define NETMON_API_FILTER_H

#include "db/scan.h"
#include "filter/filter.h"
#include "server/api.h"

/* One compiled filter with its push-down and a reusable tree. */
typedef struct nm_fscan {
	nm_filter *filter;
	char *where;
	char *cand; /* candidate frames by index (nm_filter_candidates) or NULL */
	bool exact;   /* the SQL is the whole filter: no re-dissection */
	nm_tree *tree;
	int64_t capture_id;
	int64_t budget_ns;
	bool force_dissect; /* dissect=1: ignore the push-down (tests compare) */
	/* IPv4 reassembly as the detail view does it (ingest's links) */
	nm_store *store;
} nm_fscan;

/* Read filter=, capture=, budget_ms= and dissect=; false after answering
 * (400 with the error position for a bad filter). */
bool nm_fscan_open(nm_req *r, nm_fscan *fs, enum MHD_Result *ret);
void nm_fscan_close(nm_fscan *fs);
/* Does the frame match?  Dissects into fs->tree when the filter or
 * `need_tree` asks for it. */
bool nm_fscan_match(nm_fscan *fs, const nm_frame_full *f, bool need_tree);
/* Dissect f into fs->tree. */
void nm_fscan_dissect(nm_fscan *fs, const nm_frame_full *f);
/* A packet to dissect stored frame f (its bytes, times, link type) into
 * `tree` (NULL: none). */
nm_packet nm_api_packet_of(const nm_frame_full *f, nm_tree *tree);
/* Dissect stored frame f into pk (pk->tree as the caller set it) with IPv4
 * reassembly as ingest linked it: the datagram's other fragments are fed
 * to t first (api_frames.c).  *completed: f completed a datagram, whose
 * bytes stay in t.  Free t with nm_reasm_free after a true return. */
struct nm_reasm_table;
bool nm_api_dissect_reasm(nm_store *s, const nm_frame_full *f, nm_packet *pk, struct nm_reasm_table *t,
			  bool *completed);
/* The scan request for fs, starting after (cap, number). */
nm_scan nm_fscan_query(const nm_fscan *fs, int64_t after_cap, uint64_t after_num, bool desc, bool bytes);
/* Answer a failed scan: 503 for a spent budget, 500 otherwise. */
enum MHD_Result nm_fscan_fail(nm_req *r, nm_store *s, int rc);

enum MHD_Result nm_api_frames_routed(nm_req *r);
enum MHD_Result nm_api_filter(nm_req *r);
enum MHD_Result nm_api_frames_fields(nm_req *r);
enum MHD_Result nm_api_frames_export(nm_req *r);

#endif
