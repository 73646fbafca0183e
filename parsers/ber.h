/*
 * ber.h - a small bounds-checked BER (ASN.1 Basic Encoding Rules) reader
 * over nm_cursor, for SNMP, LDAP and Kerberos.
 *
 * nm_ber_read() reads one identifier and length; the element's contents are
 * then [c->pos, c->pos + len) and nm_ber_sub() gives a cursor over them,
 * clipped to the outer cursor.  Indefinite lengths are accepted only for
 * constructed elements and then run to the end of the enclosing window (our
 * protocols never nest them in practice; the clip keeps reads bounded).
 * Tag numbers above 2^28 and lengths longer than 4 octets are refused.
 */
#ifndef NETMON_BER_H
#define NETMON_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

enum { NM_BER_UNIVERSAL = 0, NM_BER_APPLICATION = 1, NM_BER_CONTEXT = 2, NM_BER_PRIVATE = 3 };

typedef struct nm_ber {
	uint32_t start;   /* offset of the identifier octet */
	uint32_t hdr_len; /* identifier + length octets */
	uint8_t cls;	  /* NM_BER_* */
	bool constructed;
	bool indefinite;
	uint32_t tag;
	uint32_t len; /* contents length (clipped to the window when indefinite) */
} nm_ber;

/* Read one identifier+length; false (c->err set) when cut or invalid. */
bool nm_ber_read(nm_cursor *c, nm_ber *e);

/* A cursor over the contents just read; the caller's cursor skips them.
 * `cut` is set when the stated length runs past the window, and e->len is
 * then clipped to what the window holds, so callers may trust it. */
nm_cursor nm_ber_sub(nm_cursor *c, nm_ber *e, bool *cut);

/* Read an element expecting class/tag; false when it is something else
 * (the cursor is then left where it was). */
bool nm_ber_expect(nm_cursor *c, nm_ber *e, uint8_t cls, uint32_t tag);

/* How many whole elements the window holds (the item count tshark shows
 * for a SEQUENCE OF); counting stops at the first bad one. */
unsigned nm_ber_count(nm_cursor list);

/* INTEGER contents (two's complement, at most 8 octets used). */
int64_t nm_ber_int(const uint8_t *p, uint32_t n);
uint64_t nm_ber_uint(const uint8_t *p, uint32_t n);

/* OBJECT IDENTIFIER contents as dotted text ("1.3.6.1.2.1.1.5.0"), as
 * Wireshark shows it; false when the encoding is invalid. */
bool nm_ber_oid(char *out, size_t cap, const uint8_t *p, uint32_t n);

#endif
