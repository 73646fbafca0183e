/*
 * infofmt.h - the summary columns' printf: the few conversions Info
 * formats use (%s %u %d %x %X %%, with '-'/'0' flags, a width and l/ll/z),
 * formatted by hand as vsnprintf would, truncation included.  vsnprintf was
 * a fifth of the capture thread; tests/check_textfmt.c holds this to it.
 */
#ifndef NETMON_INFOFMT_H
#define NETMON_INFOFMT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Format into out (cap >= 1 bytes, always NUL-terminated); false, with
 * *ap partly consumed, for a format it leaves to vsnprintf (precision,
 * '+', '#', floats ...): the caller redoes it from a copy. */
bool nm_info_vformat(char *out, size_t cap, const char *fmt, va_list *ap);

#endif
