/*
 * check.c - resolve names against the property database, type every
 * operand and convert literals to the type of what they are compared with.
 * Error messages follow tshark's wording where one exists, so users get
 * the same hints; positions point at the offending operand.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter/ast.h"

vclass flt_ftype_class(nm_ftype t)
{
	switch (t) {
	case NM_FT_UINT8:
	case NM_FT_UINT16:
	case NM_FT_UINT24:
	case NM_FT_UINT32:
	case NM_FT_UINT64:
	case NM_FT_BOOLEAN:
	case NM_FT_FRAMENUM:
		return C_UINT;
	case NM_FT_INT8:
	case NM_FT_INT16:
	case NM_FT_INT32:
	case NM_FT_INT64:
		return C_INT;
	case NM_FT_DOUBLE:
	case NM_FT_ABSOLUTE_TIME:
	case NM_FT_RELATIVE_TIME:
		return C_DOUBLE;
	case NM_FT_IPv4:
		return C_IPV4;
	case NM_FT_IPv6:
		return C_IPV6;
	case NM_FT_STRING:
	case NM_FT_OID:
	case NM_FT_NONE:
		return C_STRING;
	default:
		return C_BYTES; /* ether, bytes, protocol */
	}
}

void flt_re_free(void *re)
{
	if (re)
		pcre2_code_free(re);
}

static uint64_t uint_max(nm_ftype t)
{
	switch (t) {
	case NM_FT_UINT8: return 0xff;
	case NM_FT_UINT16: return 0xffff;
	case NM_FT_UINT24: return 0xffffff;
	case NM_FT_UINT32: case NM_FT_FRAMENUM: return 0xffffffff;
	case NM_FT_BOOLEAN: return UINT64_MAX;
	default: return UINT64_MAX;
	}
}

static const char *class_name(const opd *o)
{
	if (o->kind == O_FIELD)
		return nm_ftype_name(o->field->type);
	static const char *const names[] = {"none", "Unsigned integer", "Signed integer", "Floating point",
					    "Byte sequence", "Character string", "IPv4 address", "IPv6 address"};
	return names[o->cls];
}

/* Resolve a word to a field or protocol in place; false if it is neither. */
static bool resolve(opd *o)
{
	if (o->kind != O_LIT || o->lit != T_WORD)
		return o->kind != O_LIT;
	const nm_field *f = nm_field_find(o->text);
	const nm_protocol *p = f ? NULL : nm_protocol_find(o->text);
	if (!f && !p)
		return false;
	o->kind = f ? O_FIELD : O_PROTO;
	o->field = f;
	o->proto = p;
	o->ftype = f ? f->type : NM_FT_PROTOCOL;
	o->cls = f ? flt_ftype_class(f->type) : C_BYTES;
	return true;
}

static const char *opd_name(const opd *o)
{
	return o->field ? o->field->name : o->proto ? o->proto->name : o->text ? o->text : "value";
}

static int unknown(const opd *o, nm_filter_error *err)
{
	if (o->kind != O_LIT || o->lit != T_WORD)
		return flt_error(err, o->pos, o->len, "%s is not a field or protocol.",
				 o->lit == T_STRING ? "A string" : "A literal");
	const char *near = nm_filter_closest(o->text);
	if (near && err)
		snprintf(err->suggest, sizeof err->suggest, "%s", near);
	if (near)
		return flt_error(err, o->pos, o->len, "%s is neither a field nor a protocol name (did you mean %s?).",
				 o->text, near);
	return flt_error(err, o->pos, o->len, "%s is neither a field nor a protocol name.", o->text);
}

static bool set_bytes(opd *o, const void *b, size_t n)
{
	o->vbuf = malloc(n + 1);
	if (!o->vbuf)
		return false;
	memcpy(o->vbuf, b, n);
	o->vbuf[n] = '\0';
	o->v.p = o->vbuf;
	o->v.n = n;
	return true;
}

static int lit_uint(opd *o, nm_ftype ft, const nm_field *f, nm_filter_error *err)
{
	if (o->lit == T_CHAR) {
		o->v.u = o->chr;
		return 0;
	}
	if (ft == NM_FT_BOOLEAN && (!strcasecmp(o->text, "true") || !strcasecmp(o->text, "false"))) {
		o->v.u = !strcasecmp(o->text, "true");
		return 0;
	}
	for (const nm_vals *v = f ? f->vals : NULL; v && v->label; v++)
		if (!strcasecmp(v->label, o->text) && o->lit == T_STRING) {
			o->v.u = v->value;
			return 0;
		}
	char *end;
	errno = 0;
	unsigned long long u = strtoull(o->text, &end, 0);
	if (o->lit == T_STRING)
		return flt_error(err, o->pos, o->len, "%s cannot be converted from a string (\"%s\").",
				 nm_ftype_name(ft), o->text);
	if (!*o->text || *end || o->text[0] == '-' || errno)
		return flt_error(err, o->pos, o->len, "\"%s\" is not a valid number.", o->text);
	if (u > uint_max(ft))
		return flt_error(err, o->pos, o->len, "\"%s\" too big for this field, maximum %llu.", o->text,
				 (unsigned long long)uint_max(ft));
	o->v.u = u;
	return 0;
}

static int lit_int(opd *o, nm_filter_error *err)
{
	if (o->lit == T_CHAR) {
		o->v.i = (int64_t)o->chr;
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(o->text, &end, 0);
	if (o->lit != T_WORD || !*o->text || *end || errno)
		return flt_error(err, o->pos, o->len, "\"%s\" is not a valid number.", o->text);
	o->v.i = v;
	return 0;
}

static int lit_double(opd *o, nm_filter_error *err)
{
	char *end;
	errno = 0;
	double d = o->lit == T_WORD ? strtod(o->text, &end) : 0;
	if (o->lit == T_CHAR) {
		o->v.d = (double)o->chr;
		return 0;
	}
	if (o->lit != T_WORD || !*o->text || *end || errno)
		return flt_error(err, o->pos, o->len, "\"%s\" is not a valid number.", o->text);
	o->v.d = d;
	return 0;
}

static int lit_bytes(opd *o, nm_ftype ft, nm_filter_error *err)
{
	if (o->lit == T_STRING)
		return set_bytes(o, o->text, o->tlen) ? 0 : flt_error(err, o->pos, o->len, "out of memory");
	if (o->lit == T_CHAR) {
		uint8_t b = (uint8_t)o->chr;
		return set_bytes(o, &b, 1) ? 0 : flt_error(err, o->pos, o->len, "out of memory");
	}
	uint8_t buf[256];
	size_t n;
	if (!flt_parse_bytes(o->text, buf, sizeof buf, &n) || (ft == NM_FT_ETHER && n != 6))
		return flt_error(err, o->pos, o->len, "\"%s\" is not a valid %s.", o->text,
				 ft == NM_FT_ETHER ? "hostname or Ethernet address" : "byte string");
	return set_bytes(o, buf, n) ? 0 : flt_error(err, o->pos, o->len, "out of memory");
}

/* Convert literal `o` to class `cls` (values of field type `ft`). */
static int convert(opd *o, vclass cls, nm_ftype ft, const nm_field *f, nm_filter_error *err)
{
	o->cls = cls;
	o->v.cls = cls;
	o->ftype = ft;
	switch (cls) {
	case C_UINT:
		return lit_uint(o, ft, f, err);
	case C_INT:
		return lit_int(o, err);
	case C_DOUBLE:
		return lit_double(o, err);
	case C_IPV4:
		if (o->lit != T_CHAR && flt_parse_ipv4(o->text, (uint32_t[1]){0}, &o->v.prefix)) {
			uint32_t a;
			flt_parse_ipv4(o->text, &a, &o->v.prefix);
			o->v.u = a;
			return 0;
		}
		return flt_error(err, o->pos, o->len, "\"%s\" is not a valid hostname or IPv4 address.",
				 o->text ? o->text : "");
	case C_IPV6:
		if (o->lit != T_CHAR && flt_parse_ipv6(o->text, o->v.ip, &o->v.prefix))
			return 0;
		return flt_error(err, o->pos, o->len, "\"%s\" is not a valid hostname or IPv6 address.",
				 o->text ? o->text : "");
	case C_STRING:
		if (o->lit == T_CHAR) {
			char c = (char)o->chr;
			return set_bytes(o, &c, 1) ? 0 : -1;
		}
		return set_bytes(o, o->text, o->tlen) ? 0 : flt_error(err, o->pos, o->len, "out of memory");
	default:
		return lit_bytes(o, ft, err);
	}
}

static int check_value(opd *o, nm_filter_error *err);

static int check_func(opd *o, nm_filter_error *err)
{
	opd *a = o->arg;
	if (o->fn == FN_COUNT) {
		if (!resolve(a) || (a->kind != O_FIELD && a->kind != O_PROTO))
			return a->kind == O_LIT && a->lit == T_WORD ? unknown(a, err)
								  : flt_error(err, a->pos, a->len, "Only fields can be counted.");
		o->cls = C_UINT;
		o->ftype = NM_FT_UINT32;
		return 0;
	}
	if (check_value(a, err))
		return -1;
	if (o->fn == FN_LEN) {
		if (a->cls != C_STRING && a->cls != C_BYTES && a->cls != C_IPV4 && a->cls != C_IPV6)
			return flt_error(err, a->pos, a->len, "Argument to len() (%s) must have a length.", class_name(a));
		o->cls = C_UINT;
		o->ftype = NM_FT_UINT32;
		return 0;
	}
	if (a->cls != C_STRING)
		return flt_error(err, a->pos, a->len, "Only string type fields can be used as parameter for %s()",
				 o->fn == FN_LOWER ? "lower" : "upper");
	o->cls = C_STRING;
	o->ftype = NM_FT_STRING;
	return 0;
}

/* Type a non-literal operand (field, protocol, slice, function, mask). */
static int check_value(opd *o, nm_filter_error *err)
{
	switch (o->kind) {
	case O_LIT:
		return resolve(o) ? 0 : unknown(o, err);
	case O_FIELD:
	case O_PROTO:
		return 0;
	case O_SLICE:
		if (check_value(o->arg, err))
			return -1;
		if (o->arg->cls == C_UINT || o->arg->cls == C_INT || o->arg->cls == C_DOUBLE)
			return flt_error(err, o->arg->pos, o->arg->len, "\"%s\" cannot be sliced.", opd_name(o->arg));
		o->cls = C_BYTES;
		o->ftype = NM_FT_BYTES;
		return 0;
	case O_FUNC:
		return check_func(o, err);
	case O_BITAND:
		if (check_value(o->arg, err))
			return -1;
		if (o->arg->cls != C_UINT && o->arg->cls != C_INT) /* tshark points at the mask */
			return flt_error(err, o->mask->pos, o->mask->len, "%s is not an integer: bitwise AND needs one.",
					 class_name(o->arg));
		if (o->mask->kind != O_LIT || (o->mask->lit == T_WORD && resolve(o->mask)))
			return flt_error(err, o->mask->pos, o->mask->len, "The mask of \"&\" must be a number.");
		if (convert(o->mask, C_UINT, NM_FT_UINT64, NULL, err))
			return -1;
		o->v = o->mask->v;
		o->cls = o->arg->cls;
		o->ftype = o->arg->ftype;
		return 0;
	}
	return 0;
}

static tok_kind flip(tok_kind op)
{
	switch (op) {
	case T_LT: return T_GT;
	case T_GT: return T_LT;
	case T_LE: return T_GE;
	case T_GE: return T_LE;
	default: return op;
	}
}

static int compile_re(expr *e, nm_filter_error *err)
{
	int code;
	PCRE2_SIZE at;
	e->re = pcre2_compile((PCRE2_SPTR)e->r->text, e->r->tlen, 0, &code, &at, NULL);
	if (e->re)
		return 0;
	char msg[160];
	pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
	return flt_error(err, e->r->pos, e->r->len, "\"%s\": %s (at offset %zu).", e->r->text, msg, (size_t)at);
}

/* Check the right side `r` (literal or value) against left side `l`. */
static int check_rhs(const opd *l, opd *r, tok_kind op, nm_filter_error *err)
{
	if (r->kind != O_LIT || (r->lit == T_WORD && resolve(r))) {
		if (check_value(r, err))
			return -1;
		if (r->cls != l->cls || op == T_MATCHES)
			return flt_error(err, r->pos, r->len, "%s and %s are not of compatible types.", opd_name(l),
					 opd_name(r));
		return 0;
	}
	if (op == T_MATCHES && r->lit != T_STRING)
		return flt_error(err, r->pos, r->len, "The right side of \"matches\" must be a string.");
	vclass cls = l->cls;
	nm_ftype ft = l->ftype;
	if (op == T_CONTAINS || op == T_MATCHES) {
		cls = cls == C_STRING ? C_STRING : C_BYTES;
		ft = cls == C_STRING ? NM_FT_STRING : NM_FT_BYTES; /* any length of bytes */
	}
	return convert(r, cls, ft, l->field, err);
}

static const char *op_name(tok_kind op)
{
	return op == T_MATCHES ? "matches" : op == T_CONTAINS ? "contains" : "comparison";
}

static int check_cmp(expr *e, nm_filter_error *err)
{
	if (e->l->kind == O_LIT && !(e->l->lit == T_WORD && resolve(e->l)) &&
	    (e->r->kind != O_LIT || (e->r->lit == T_WORD && resolve(e->r)))) {
		opd *t = e->l; /* literal == field: compare the other way round */
		e->l = e->r;
		e->r = t;
		e->op = flip(e->op);
	}
	if (e->l->kind == O_LIT && !(e->l->lit == T_WORD && resolve(e->l)))
		return unknown(e->l, err);
	if (check_value(e->l, err))
		return -1;
	const opd *l = e->l;
	bool textual = l->cls == C_STRING || l->cls == C_BYTES;
	if ((e->op == T_CONTAINS || e->op == T_MATCHES) && !textual)
		return flt_error(err, l->pos, l->len, "%s (type=%s) cannot participate in %s comparison.",
				 opd_name(l), class_name(l), op_name(e->op));
	if (check_rhs(l, e->r, e->op, err))
		return -1;
	return e->op == T_MATCHES ? compile_re(e, err) : 0;
}

static int check_in(expr *e, nm_filter_error *err)
{
	if (e->l->kind == O_LIT && !(e->l->lit == T_WORD && resolve(e->l)))
		return unknown(e->l, err);
	if (check_value(e->l, err))
		return -1;
	for (int i = 0; i < e->nset; i++) {
		if (check_rhs(e->l, e->set[i].lo, T_EQ, err))
			return -1;
		if (e->set[i].hi && check_rhs(e->l, e->set[i].hi, T_LE, err))
			return -1;
	}
	return 0;
}

int flt_check(expr *e, nm_filter_error *err)
{
	switch (e->kind) {
	case E_AND:
	case E_OR:
	case E_XOR:
		return flt_check(e->a, err) || flt_check(e->b, err) ? -1 : 0;
	case E_NOT:
		return flt_check(e->a, err);
	case E_TEST:
		if (e->l->kind == O_LIT && !(e->l->lit == T_WORD && resolve(e->l)))
			return unknown(e->l, err);
		return check_value(e->l, err);
	case E_CMP:
		return check_cmp(e, err);
	case E_IN:
		return check_in(e, err);
	}
	return 0;
}
