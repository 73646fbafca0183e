/*
 * x509.c - the X.509 certificate fields Wireshark shows inside a TLS
 * Certificate message (RFC 5280): version, serial number, the algorithm
 * identifiers, the issuer's and subject's attributes (type OID and string
 * value), extension ids, and the Names inside alternative-name and
 * authority-key-identifier extensions.  Validity and other extension
 * contents are skipped.
 *
 * Wireshark spreads these over three protocols (x509af, x509if, x509sat);
 * here one descriptor, "x509af", owns all the fields so they are registered
 * once.  TLS calls nm_x509_certificate directly: tshark's frame.protocols
 * names no x509af layer, so there is no nm_call bookkeeping either.
 * Attribute values are shown only for the attribute types whose rendering
 * was checked against tshark: countryName (x509sat.CountryName) and the
 * DirectoryString attributes as UTF8String or PrintableString.
 */
#include <string.h>

#include "ber.h"
#include "protos.h"
#include "textfmt.h"
#include "x509.h"

enum { F_VERSION, F_SERIAL, F_ALGORITHM, F_EXTENSION, F_ATTR_OID, F_COUNTRY, F_UTF8, F_PRINTABLE, F_COUNT };

static const nm_field fields[] = {
    [F_VERSION] = NM_F_NUM("x509af.version", "version", NM_FT_INT32, NM_BASE_DEC),
    [F_SERIAL] = NM_F_BYTES("x509af.serialNumber", "serialNumber"),
    [F_ALGORITHM] = {"x509af.algorithm.id", "Algorithm Id", NM_FT_OID, NM_BASE_NONE, NULL, 0, NULL},
    [F_EXTENSION] = {"x509af.extension.id", "Extension Id", NM_FT_OID, NM_BASE_NONE, NULL, 0, NULL},
    [F_ATTR_OID] = {"x509if.oid", "Object Id", NM_FT_OID, NM_BASE_NONE, NULL, 0, NULL},
    [F_COUNTRY] = NM_F_STR("x509sat.CountryName", "CountryName"),
    [F_UTF8] = NM_F_STR("x509sat.uTF8String", "uTF8String"),
    [F_PRINTABLE] = NM_F_STR("x509sat.printableString", "printableString"),
};

enum {
	TAG_BOOLEAN = 1,
	TAG_INTEGER = 2,
	TAG_OCTETS = 4,
	TAG_OID = 6,
	TAG_UTF8 = 12,
	TAG_PRINTABLE = 19,
	TAG_SEQUENCE = 16,
	TAG_SET = 17
};

/* Enter the next element if it is a universal `tag`; false otherwise. */
static bool enter(nm_cursor *c, uint32_t tag, nm_cursor *inner, nm_ber *e)
{
	if (!nm_ber_expect(c, e, NM_BER_UNIVERSAL, tag))
		return false;
	*inner = nm_ber_sub(c, e, NULL);
	return true;
}

/* An OBJECT IDENTIFIER as field `f`; writes the dotted text to `out`. */
static bool add_oid(nm_packet *pk, int t, int f, nm_cursor *c, char *out, size_t cap)
{
	nm_ber e;
	nm_cursor v;
	if (!enter(c, TAG_OID, &v, &e))
		return false;
	const uint8_t *p = nm_cur_take(&v, e.len);
	if (!p || !nm_ber_oid(out, cap, p, e.len))
		return false;
	nm_add_string(pk, t, &fields[f], e.start, e.hdr_len + e.len, out);
	return true;
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY } */
static void algorithm(nm_packet *pk, int t, nm_cursor *c)
{
	nm_ber e;
	nm_cursor seq;
	char oid[128];
	if (enter(c, TAG_SEQUENCE, &seq, &e))
		add_oid(pk, t, F_ALGORITHM, &seq, oid, sizeof oid);
}

/* X.520 attribute types whose value is a DirectoryString: name (41),
 * surname (4), CN (3), L (7), ST (8), street (9), O (10), OU (11),
 * title (12), givenName (42), initials (43), generationQualifier (44),
 * pseudonym (65). */
static bool directory_string_type(const char *oid)
{
	static const char *const types[] = {"2.5.4.3",  "2.5.4.4",  "2.5.4.7",  "2.5.4.8",  "2.5.4.9",
	                                    "2.5.4.10", "2.5.4.11", "2.5.4.12", "2.5.4.41", "2.5.4.42",
	                                    "2.5.4.43", "2.5.4.44", "2.5.4.65"};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(oid, types[i]))
			return true;
	return false;
}

/* AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY } */
static void attribute(nm_packet *pk, int t, nm_cursor *c)
{
	char oid[128];
	if (!add_oid(pk, t, F_ATTR_OID, c, oid, sizeof oid))
		return;
	nm_ber e;
	if (!nm_ber_read(c, &e) || e.cls != NM_BER_UNIVERSAL)
		return;
	int f = -1;
	if (!strcmp(oid, "2.5.4.6") && e.tag == TAG_PRINTABLE)
		f = F_COUNTRY;
	else if (directory_string_type(oid) && e.tag == TAG_UTF8)
		f = F_UTF8;
	else if (directory_string_type(oid) && e.tag == TAG_PRINTABLE)
		f = F_PRINTABLE;
	if (f >= 0)
		nm_add_text_field(pk, t, &fields[f], c, e.len, f == F_UTF8);
}

/* Name ::= SEQUENCE OF RelativeDistinguishedName (a SET OF attributes). */
static void name(nm_packet *pk, int t, nm_cursor *c)
{
	nm_ber e;
	nm_cursor rdns, set, atv;
	if (!enter(c, TAG_SEQUENCE, &rdns, &e))
		return;
	while (nm_cur_left(&rdns) && enter(&rdns, TAG_SET, &set, &e))
		while (nm_cur_left(&set) && enter(&set, TAG_SEQUENCE, &atv, &e))
			attribute(pk, t, &atv);
}

/* GeneralName elements: a directoryName ([4], a Name) is decoded like the
 * issuer and subject (tshark shows its attributes too); others are not. */
static void general_names(nm_packet *pk, int t, nm_cursor *c)
{
	nm_ber e;
	while (nm_cur_left(c) && nm_ber_read(c, &e)) {
		nm_cursor v = nm_ber_sub(c, &e, NULL);
		if (e.cls == NM_BER_CONTEXT && e.tag == 4 && e.constructed)
			name(pk, t, &v);
	}
}

/* The extension values that can hold a Name: subject/issuer alternative
 * names (GeneralNames) and the authority key identifier's issuer ([1]). */
static void extension_value(nm_packet *pk, int t, const char *oid, nm_cursor *v)
{
	nm_ber e;
	nm_cursor seq;
	if (!enter(v, TAG_SEQUENCE, &seq, &e))
		return;
	if (!strcmp(oid, "2.5.29.17") || !strcmp(oid, "2.5.29.18")) {
		general_names(pk, t, &seq);
	} else if (!strcmp(oid, "2.5.29.35")) {
		while (nm_cur_left(&seq) && nm_ber_read(&seq, &e)) {
			nm_cursor f = nm_ber_sub(&seq, &e, NULL);
			if (e.cls == NM_BER_CONTEXT && e.tag == 1)
				general_names(pk, t, &f);
		}
	}
}

/* Past the optional issuerUniqueID [1] and subjectUniqueID [2] to the
 * extensions [3]; false when there are none. */
static bool find_extensions(nm_cursor *tbs, nm_ber *e)
{
	while (nm_cur_left(tbs)) {
		if (nm_ber_expect(tbs, e, NM_BER_CONTEXT, 3))
			return true;
		if (!nm_ber_read(tbs, e) || !nm_cur_skip(tbs, e->len))
			return false;
	}
	return false;
}

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 * extnValue OCTET STRING }, inside extensions [3] EXPLICIT SEQUENCE OF. */
static void extensions(nm_packet *pk, int t, nm_cursor *tbs)
{
	nm_ber e;
	nm_cursor outer, list, ext, val;
	if (!find_extensions(tbs, &e))
		return;
	outer = nm_ber_sub(tbs, &e, NULL);
	if (!enter(&outer, TAG_SEQUENCE, &list, &e))
		return;
	while (nm_cur_left(&list) && enter(&list, TAG_SEQUENCE, &ext, &e)) {
		char oid[128];
		if (!add_oid(pk, t, F_EXTENSION, &ext, oid, sizeof oid))
			return;
		if (nm_ber_expect(&ext, &e, NM_BER_UNIVERSAL, TAG_BOOLEAN))
			nm_cur_skip(&ext, e.len);
		if (enter(&ext, TAG_OCTETS, &val, &e))
			extension_value(pk, t, oid, &val);
	}
}

/* version [0] EXPLICIT INTEGER DEFAULT v1, serialNumber INTEGER */
static bool version_serial(nm_packet *pk, int t, nm_cursor *tbs)
{
	nm_ber e;
	nm_cursor v, n;
	if (nm_ber_expect(tbs, &e, NM_BER_CONTEXT, 0)) {
		nm_cursor x = nm_ber_sub(tbs, &e, NULL);
		if (enter(&x, TAG_INTEGER, &v, &e) && e.len >= 1 && e.len <= 4) {
			const uint8_t *p = nm_cur_take(&v, e.len);
			nm_add_int(pk, t, &fields[F_VERSION], e.start, e.hdr_len + e.len, nm_ber_int(p, e.len));
		}
	}
	if (!enter(tbs, TAG_INTEGER, &n, &e) || e.len == 0)
		return false;
	nm_add_bytes(pk, t, &fields[F_SERIAL], n.pos, e.len, nm_cur_take(&n, e.len));
	return true;
}

void nm_x509_certificate(nm_packet *pk, int parent, nm_cursor c)
{
	nm_ber e;
	nm_cursor cert, tbs, spki;
	if (!enter(&c, TAG_SEQUENCE, &cert, &e) || !enter(&cert, TAG_SEQUENCE, &tbs, &e))
		return;
	if (!version_serial(pk, parent, &tbs))
		return;
	algorithm(pk, parent, &tbs);
	name(pk, parent, &tbs); /* issuer */
	/* validity: not shown */
	if (!nm_ber_read(&tbs, &e) || !nm_cur_skip(&tbs, e.len))
		return;
	name(pk, parent, &tbs); /* subject */
	if (enter(&tbs, TAG_SEQUENCE, &spki, &e)) {
		algorithm(pk, parent, &spki);
		extensions(pk, parent, &tbs);
	}
	algorithm(pk, parent, &cert); /* signatureAlgorithm */
}

static int dissect_x509(nm_packet *pk, nm_cursor *c, int parent)
{
	nm_x509_certificate(pk, parent, *c);
	c->pos = c->end;
	return NM_OK;
}

nm_protocol nm_proto_x509af = {
    "x509af", "X509AF", "X.509 Authentication Framework", fields, F_COUNT, dissect_x509, NULL, 0,
};
