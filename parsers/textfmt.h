/*
 * textfmt.h - text renderings shared by the application-protocol parsers
 * (batch "appa"): strings as tshark prints them, absolute times in
 * tshark's field format, and bounded string reads from a cursor.
 */
#ifndef NETMON_TEXTFMT_H
#define NETMON_TEXTFMT_H

#include <stddef.h>
#include <stdint.h>

#include "dissect.h"

/* Escape `n` bytes the way `tshark -T fields` prints a string field:
 * backslash doubled, control bytes as C escapes, invalid UTF-8 as U+FFFD.
 * `out` is always terminated; it needs 4*n+1 bytes to hold everything. */
void nm_text_escape(char *out, size_t cap, const uint8_t *s, uint32_t n);

/* As nm_text_escape, but the text stops at the first NUL (FT_STRINGZ). */
void nm_textz_escape(char *out, size_t cap, const uint8_t *s, uint32_t n);

/* "Jul 25, 1987 21:08:33.007738396 UTC", tshark's absolute-time rendering
 * with TZ=UTC; `secs` counts from the Unix epoch. */
void nm_fmt_abstime(char *out, size_t cap, int64_t secs, uint32_t nsecs);

/* Add a string field of `n` bytes at the cursor (advancing it), escaped as
 * tshark prints it; `z` stops the value at a NUL.  Returns the node. */
int nm_add_text_field(nm_packet *pk, int parent, const nm_field *f, nm_cursor *c, uint32_t n, int z);

#endif
