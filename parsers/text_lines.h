/*
 * text_lines.h - a bounded line reader and tshark-style string rendering
 * for the text protocols (HTTP, FTP, SMTP, POP, IMAP, SIP).
 *
 * Lines are found inside a cursor's window only; a line cut by the end of
 * the segment is returned with eol == 0, so callers can tell "this segment
 * ends mid-line" (tshark would reassemble) from a complete line.
 */
#ifndef NETMON_TEXT_LINES_H
#define NETMON_TEXT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"

/* One line: absolute offset, length without its line end, and the length
 * of the line end itself (2 for CRLF, 1 for a bare LF, 0 when cut). */
typedef struct nm_line {
	uint32_t off, len, eol;
} nm_line;

/* Read the next line from `c`, advancing it; false when nothing is left. */
bool nm_line_next(nm_cursor *c, nm_line *ln);

/* Bytes of `ln` (valid while the frame is). */
static inline const uint8_t *nm_line_bytes(const nm_cursor *c, const nm_line *ln)
{
	return c->data + ln->off;
}

/* The first space-delimited token of [b, b+n): its length; `*rest` is the
 * offset after the following run of spaces. */
uint32_t nm_text_token(const uint8_t *b, uint32_t n, uint32_t *rest);

/*
 * Render bytes as `tshark -T fields` prints a string field: stop at NUL,
 * escape tab, CR and LF (tshark's default -E escape=y), other
 * control bytes as they are, bytes that are not text as U+FFFD.  With
 * `utf8`, valid UTF-8 sequences are kept (ENC_UTF_8 fields); without it
 * every byte >= 0x80 is U+FFFD (ENC_ASCII fields).  Always NUL-terminates
 * (cuts at a character boundary when `out` is too small).
 */
void nm_text_render(char *out, size_t size, const uint8_t *b, uint32_t n, bool utf8);

/* The same for the Info column: like tshark's format_text (control bytes
 * as \ooo octal or \t \r \n). */
void nm_text_info(char *out, size_t size, const uint8_t *b, uint32_t n);

/* Add a string field whose value is n frame bytes at `off`, rendered as
 * above; returns the node (or -1, also on the ingest path). */
int nm_add_text_bytes(nm_packet *pk, int parent, const nm_field *f, uint32_t off, const uint8_t *b, uint32_t n,
                      bool utf8);

/* Case-insensitive compare of n bytes with an ASCII string of length n. */
bool nm_text_ieq(const uint8_t *b, uint32_t n, const char *s);

/* Parse a decimal number of up to 9 digits spanning all n bytes. */
bool nm_text_uint(const uint8_t *b, uint32_t n, uint32_t *v);

#endif
