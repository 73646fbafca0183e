/*
 * filter.h - Wireshark display filters over dissected frames.
 *
 * A filter is compiled once (lexer.c -> parser.c -> check.c, which resolves
 * names against the property database and converts literals to the type of
 * the field they are compared with), then evaluated per frame over the
 * frame's protocol tree (eval.c).  sql.c splits off the part of a filter
 * that the stored summary columns answer, so most frames never need to be
 * re-dissected.
 */
#ifndef NETMON_FILTER_H
#define NETMON_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"

typedef struct nm_filter nm_filter;

/* A compile error: a message and where it is (character offset, length). */
typedef struct nm_filter_error {
	int pos, len;
	char msg[256];
	char suggest[64]; /* closest valid field name for an unknown one, or "" */
} nm_filter_error;

/* NULL with *err filled when `text` is not a valid filter.  An empty (or
 * all-blank) text compiles to the filter that matches every frame. */
nm_filter *nm_filter_compile(const char *text, nm_filter_error *err);
void nm_filter_free(nm_filter *f);

/* Evaluate on a frame dissected with a tree; `data` are its bytes (slices
 * of protocols and byte fields read them). */
bool nm_filter_match(const nm_filter *f, const nm_tree *t, const uint8_t *data, uint32_t caplen);

/*
 * Push-down.  Returns a malloc'd SQL boolean expression over the stored
 * summary columns (aliases: f = frames, c = captures; the strings table
 * by subquery; see nm_store_scan in db/scan.h) that every matching frame
 * satisfies, or "1" when nothing can be pushed.  *exact is set when the SQL
 * is the whole filter, i.e. frames need not be re-dissected.
 */
char *nm_filter_sql(const nm_filter *f, bool *exact);

/*
 * A faster way in for selective filters: a malloc'd SQL SELECT of
 * (capture_id, first_number, lo, hi) rows: frames lo..hi of the chunk of
 * stored frames (frame_data) starting at first_number may hold matches,
 * and no frame outside the rows does; from the per-chunk summary
 * chunk_keys (c = captures as above, with flow_gap; overlaps possible).
 * NULL when the filter has no part it answers (addresses, ports).
 */
char *nm_filter_candidates(const nm_filter *f);

/* False only when the frame cannot match: an address the filter needs
 * (ip.addr == X and the like, under and/or) is nowhere in its bytes.
 * Far cheaper than dissecting, so it is asked first. */
bool nm_filter_bytes_may_match(const nm_filter *f, const uint8_t *data, uint32_t caplen);

/* Field and protocol names starting with `prefix`, sorted; the count found
 * (at most max are stored). */
size_t nm_filter_complete(const char *prefix, const char **out, size_t max);

/* The closest field or protocol name to `name` (edit distance), or NULL. */
const char *nm_filter_closest(const char *name);

#endif
