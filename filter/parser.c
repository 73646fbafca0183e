/*
 * parser.c - recursive descent over the tokens into an expression tree.
 *
 * Precedence, loosest first: or, xor, and, not; then a relation
 * (operand [op operand | in {set} | not in {set}]).  Names are resolved
 * and literals typed later, in check.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/ast.h"

typedef struct parser {
	const tok_list *t;
	size_t i;
	const char *text;
	nm_filter_error *err;
	int depth;
} parser;

#define MAX_DEPTH 200

static const tok *peek(parser *p)
{
	return &p->t->v[p->i];
}

static const tok *next(parser *p)
{
	const tok *t = &p->t->v[p->i];
	if (t->kind != T_EOF)
		p->i++;
	return t;
}

static bool accept(parser *p, tok_kind k)
{
	if (peek(p)->kind != k)
		return false;
	next(p);
	return true;
}

/* The error for an unexpected token (tshark's wording). */
static void *unexpected(parser *p, const tok *t)
{
	if (t->kind == T_EOF)
		flt_error(p->err, t->pos, 0, "Unexpected end of filter expression.");
	else
		flt_error(p->err, t->pos, t->len, "\"%.*s\" was unexpected in this context.", t->len, p->text + t->pos);
	return NULL;
}

void flt_opd_free(opd *o)
{
	if (!o)
		return;
	flt_opd_free(o->arg);
	flt_opd_free(o->mask);
	free(o->text);
	free(o->vbuf);
	free(o);
}

void flt_expr_free(expr *e)
{
	if (!e)
		return;
	flt_expr_free(e->a);
	flt_expr_free(e->b);
	flt_opd_free(e->l);
	flt_opd_free(e->r);
	for (int i = 0; i < e->nset; i++) {
		flt_opd_free(e->set[i].lo);
		flt_opd_free(e->set[i].hi);
	}
	free(e->set);
	flt_re_free(e->re);
	free(e);
}

static opd *new_opd(opd_kind k, int pos, int len)
{
	opd *o = calloc(1, sizeof *o);
	if (o) {
		o->kind = k;
		o->pos = pos;
		o->len = len;
	}
	return o;
}

/* "[i:j]", "[i-j]", "[i]", "[:j]", "[i:]", comma-separated. */
static bool parse_ranges(const char *s, opd *o)
{
	for (;;) {
		if (o->nr == FLT_MAX_RANGES)
			return false;
		slice_range *r = &o->r[o->nr++];
		char *end;
		r->start = 0;
		r->len = -1;
		if (*s != ':')
			r->start = strtol(s, &end, 10);
		else
			end = (char *)s;
		if (*s != ':' && end == s)
			return false;
		s = end;
		if (*s == ':') {
			s++;
			if (*s && *s != ',') {
				r->len = strtol(s, &end, 10);
				if (end == s || r->len < 0)
					return false;
				s = end;
			}
		} else if (*s == '-') {
			long last = strtol(s + 1, &end, 10);
			if (end == s + 1)
				return false;
			r->len = last - r->start + 1;
			if (r->len < 0 || (r->start < 0) != (last < 0))
				return false;
			s = end;
		} else {
			r->len = 1;
		}
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

static opd *parse_operand(parser *p);

static opd *parse_function(parser *p, const tok *name)
{
	static const char *const names[] = {"lower", "upper", "len", "count"};
	int fn = -1;
	for (int k = 0; k < 4; k++)
		if (strcmp(name->text, names[k]) == 0)
			fn = k;
	if (fn < 0)
		return flt_error(p->err, name->pos, name->len, "The function '%s' does not exist.", name->text), NULL;
	next(p); /* ( */
	opd *arg = parse_operand(p);
	if (!arg)
		return NULL;
	const tok *close = next(p);
	if (close->kind != T_RPAREN) {
		flt_opd_free(arg);
		return unexpected(p, close);
	}
	opd *o = new_opd(O_FUNC, name->pos, close->pos + close->len - name->pos);
	if (!o)
		return flt_opd_free(arg), NULL;
	o->fn = (fn_kind)fn;
	o->arg = arg;
	return o;
}

static opd *parse_term(parser *p)
{
	const tok *t = next(p);
	if (t->kind == T_WORD && peek(p)->kind == T_LPAREN)
		return parse_function(p, t);
	if (t->kind != T_WORD && t->kind != T_STRING && t->kind != T_CHAR)
		return unexpected(p, t);
	opd *o = new_opd(O_LIT, t->pos, t->len);
	if (!o)
		return NULL;
	o->lit = t->kind;
	o->chr = t->chr;
	o->tlen = t->tlen;
	if (t->text && !(o->text = malloc(t->tlen + 1)))
		return flt_opd_free(o), NULL;
	if (t->text)
		memcpy(o->text, t->text, t->tlen + 1);
	return o;
}

/* A term with any slices and an optional "& mask". */
static opd *parse_operand(parser *p)
{
	opd *o = parse_term(p);
	while (o && peek(p)->kind == T_SLICE) {
		const tok *t = next(p);
		opd *s = new_opd(O_SLICE, o->pos, t->pos + t->len - o->pos);
		if (!s || !parse_ranges(t->text, s)) {
			flt_opd_free(s);
			flt_opd_free(o);
			flt_error(p->err, t->pos, t->len, "Invalid slice \"[%s]\".", t->text);
			return NULL;
		}
		s->arg = o;
		o = s;
	}
	if (o && peek(p)->kind == T_BITAND) {
		next(p);
		opd *mask = parse_term(p);
		opd *b = mask ? new_opd(O_BITAND, o->pos, mask->pos + mask->len - o->pos) : NULL;
		if (!b) {
			flt_opd_free(mask);
			flt_opd_free(o);
			return NULL;
		}
		b->arg = o;
		b->mask = mask;
		o = b;
	}
	return o;
}

static expr *new_expr(expr_kind k, int pos, int len)
{
	expr *e = calloc(1, sizeof *e);
	if (e) {
		e->kind = k;
		e->pos = pos;
		e->len = len;
	}
	return e;
}

static expr *parse_set(parser *p, expr *e)
{
	const tok *open = next(p);
	if (open->kind != T_LBRACE)
		return unexpected(p, open);
	for (;;) {
		set_item it = {parse_operand(p), NULL};
		if (!it.lo)
			return NULL;
		if (accept(p, T_DOTDOT) && !(it.hi = parse_operand(p)))
			return flt_opd_free(it.lo), NULL;
		set_item *v = realloc(e->set, ((size_t)e->nset + 1) * sizeof *v);
		if (!v)
			return flt_opd_free(it.lo), flt_opd_free(it.hi), NULL;
		e->set = v;
		e->set[e->nset++] = it;
		const tok *t = next(p);
		if (t->kind == T_RBRACE) {
			e->len = t->pos + t->len - e->pos;
			return e;
		}
		if (t->kind != T_COMMA)
			return unexpected(p, t);
	}
}

static bool is_cmp(tok_kind k)
{
	return k == T_EQ || k == T_NE || k == T_ALL_EQ || k == T_ANY_NE || k == T_LT || k == T_GT ||
	       k == T_LE || k == T_GE || k == T_CONTAINS || k == T_MATCHES;
}

static expr *parse_relation(parser *p)
{
	opd *l = parse_operand(p);
	if (!l)
		return NULL;
	const tok *t = peek(p);
	bool negate = t->kind == T_NOT && p->t->v[p->i + 1].kind == T_IN;
	expr *e = new_expr(E_TEST, l->pos, l->len);
	if (!e)
		return flt_opd_free(l), NULL;
	e->l = l;
	if (is_cmp(t->kind)) {
		next(p);
		e->kind = E_CMP;
		e->op = t->kind;
		if (!(e->r = parse_operand(p)))
			return flt_expr_free(e), NULL;
		e->len = e->r->pos + e->r->len - e->pos;
	} else if (t->kind == T_IN || negate) {
		if (negate)
			next(p);
		next(p);
		e->kind = E_IN;
		if (!parse_set(p, e))
			return flt_expr_free(e), NULL;
		if (negate) {
			expr *n = new_expr(E_NOT, e->pos, e->len);
			if (!n)
				return flt_expr_free(e), NULL;
			n->a = e;
			e = n;
		}
	}
	return e;
}

static expr *parse_or(parser *p);

static expr *parse_unary(parser *p)
{
	const tok *t = peek(p);
	if (++p->depth > MAX_DEPTH)
		return flt_error(p->err, t->pos, t->len, "Filter nested too deeply."), NULL;
	expr *e;
	if (t->kind == T_NOT) {
		next(p);
		expr *a = parse_unary(p);
		e = a ? new_expr(E_NOT, t->pos, a->pos + a->len - t->pos) : NULL;
		if (e)
			e->a = a;
		else
			flt_expr_free(a);
	} else if (t->kind == T_LPAREN) {
		next(p);
		e = parse_or(p);
		const tok *c = next(p);
		if (e && c->kind != T_RPAREN) {
			flt_expr_free(e);
			e = unexpected(p, c);
		}
	} else {
		e = parse_relation(p);
	}
	p->depth--;
	return e;
}

static expr *binary(parser *p, expr_kind k, expr *a, expr *(*sub)(parser *))
{
	expr *b = sub(p);
	expr *e = b ? new_expr(k, a->pos, b->pos + b->len - a->pos) : NULL;
	if (!e) {
		flt_expr_free(a);
		flt_expr_free(b);
		return NULL;
	}
	e->a = a;
	e->b = b;
	return e;
}

static expr *parse_and(parser *p)
{
	expr *e = parse_unary(p);
	while (e && accept(p, T_AND))
		e = binary(p, E_AND, e, parse_unary);
	return e;
}

static expr *parse_xor(parser *p)
{
	expr *e = parse_and(p);
	while (e && accept(p, T_XOR))
		e = binary(p, E_XOR, e, parse_and);
	return e;
}

static expr *parse_or(parser *p)
{
	expr *e = parse_xor(p);
	while (e && accept(p, T_OR))
		e = binary(p, E_OR, e, parse_xor);
	return e;
}

expr *flt_parse(const tok_list *toks, const char *text, nm_filter_error *err)
{
	parser p = {toks, 0, text, err, 0};
	expr *e = parse_or(&p);
	if (e && peek(&p)->kind != T_EOF) {
		flt_expr_free(e);
		return unexpected(&p, peek(&p));
	}
	return e;
}
