/*
 * textfmt.h - small text helpers shared by the batch-A application
 * parsers: absolute times in tshark's field format and string fields read
 * from a cursor.  String escaping itself is text_lines.h's (one rendering
 * of tshark's string output for every parser).
 */
#ifndef NETMON_TEXTFMT_H
#define NETMON_TEXTFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"

/* "Jul 25, 1987 21:08:33.007738396 UTC", tshark's absolute-time rendering
 * with TZ=UTC; `secs` counts from the Unix epoch. */
void nm_fmt_abstime(char *out, size_t cap, int64_t secs, uint32_t nsecs);

/* Add a string field of `n` bytes at the cursor (advancing it), rendered
 * as tshark prints it (see nm_text_render: the value stops at a NUL; with
 * `utf8` false, as for Wireshark's ENC_ASCII fields, every byte >= 0x80
 * shows as U+FFFD).  Returns the node; -1 when the bytes are not there. */
int nm_add_text_field(nm_packet *pk, int parent, const nm_field *f, nm_cursor *c, uint32_t n, bool utf8);

#endif
