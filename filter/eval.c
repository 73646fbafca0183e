/*
 * eval.c - evaluate a checked filter over a dissected frame's tree.
 *
 * Every operand yields a list of values (a field may occur many times:
 * ip.addr, tcp.port), and a comparison quantifies over the lists as
 * Wireshark 4.0 does: "==" and the ordering operators, contains and
 * matches hold when some pair holds; "!=" when no pair is equal (the
 * negation of "=="); "===" when every pair is equal; "!==" when some pair
 * differs.  A comparison with an absent field is false.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "filter/ast.h"

/* Per-evaluation scratch memory, freed in one go. */
typedef struct block {
	struct block *next;
	size_t used, cap;
	uint8_t data[];
} block;

typedef struct ectx {
	const nm_tree *t;
	const uint8_t *data;
	uint32_t caplen;
	block *mem;
	bool oom;
} ectx;

typedef struct vlist {
	val *v;
	size_t n, cap;
} vlist;

static uint8_t *scratch(ectx *c, size_t n)
{
	if (!c->mem || c->mem->cap - c->mem->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		block *b = malloc(sizeof *b + cap);
		if (!b) {
			c->oom = true;
			return NULL;
		}
		b->next = c->mem;
		b->used = 0;
		b->cap = cap;
		c->mem = b;
	}
	uint8_t *p = c->mem->data + c->mem->used;
	c->mem->used += n;
	return p;
}

static void push(ectx *c, vlist *l, const val *v)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		val *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv) {
			c->oom = true;
			return;
		}
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n++] = *v;
}

static int hexdig(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Bytes of a node: unseparated hex (bytes) or colon-separated (ether);
 * payloads longer than the tree's rendering come from the frame itself. */
static bool node_bytes(ectx *c, const nm_node *n, val *v)
{
	const char *s = n->value;
	size_t len = strlen(s);
	if (n->field->type == NM_FT_BYTES && len >= 8192 && (uint64_t)n->offset + n->length <= c->caplen) {
		v->p = c->data + n->offset;
		v->n = n->length;
		return true;
	}
	uint8_t *out = scratch(c, len / 2 + 1);
	size_t k = 0;
	if (!out)
		return false;
	for (size_t i = 0; i + 1 < len + 1 && s[i];) {
		int h = hexdig(s[i]), l = hexdig(s[i + 1]);
		if (h < 0 || l < 0)
			return false;
		out[k++] = (uint8_t)(h * 16 + l);
		i += 2;
		if (s[i] == ':')
			i++;
	}
	v->p = out;
	v->n = k;
	return true;
}

/* The typed value of a field node. */
static bool node_val(ectx *c, const nm_node *n, vclass cls, val *v)
{
	memset(v, 0, sizeof *v);
	v->cls = cls;
	const char *s = n->value;
	uint32_t a;
	switch (cls) {
	case C_UINT:
		v->u = strtoull(s, NULL, 0);
		return true;
	case C_INT:
		v->i = strtoll(s, NULL, 0);
		return true;
	case C_DOUBLE:
		v->d = strtod(s, NULL);
		return true;
	case C_IPV4:
		if (!flt_parse_ipv4(s, &a, &v->prefix))
			return false;
		v->u = a;
		return true;
	case C_IPV6:
		return flt_parse_ipv6(s, v->ip, &v->prefix);
	case C_STRING:
		v->p = (const uint8_t *)s;
		v->n = strlen(s);
		return true;
	default:
		return node_bytes(c, n, v);
	}
}

static void collect(ectx *c, const opd *o, vlist *out);

static void collect_nodes(ectx *c, const opd *o, vlist *out)
{
	for (int i = 0; i < c->t->count; i++) {
		const nm_node *n = &c->t->nodes[i];
		val v;
		if (o->kind == O_PROTO) {
			if (n->proto != o->proto)
				continue;
			memset(&v, 0, sizeof v);
			v.cls = C_BYTES;
			/* Like Wireshark's protocol values: the bytes from the
			 * protocol's start to the end of the frame. */
			uint32_t off = n->offset < c->caplen ? n->offset : c->caplen;
			uint32_t len = c->caplen - off;
			v.p = c->data ? c->data + off : (const uint8_t *)"";
			v.n = c->data ? len : 0;
			push(c, out, &v);
		} else if (n->field == o->field && n->value && !n->proto && node_val(c, n, o->cls, &v)) {
			push(c, out, &v);
		}
	}
}

/* The bytes behind a value, for slicing and len(). */
static const uint8_t *val_bytes(ectx *c, const val *v, size_t *n)
{
	if (v->cls == C_IPV4) {
		uint8_t *b = scratch(c, 4);
		if (b)
			b[0] = (uint8_t)(v->u >> 24), b[1] = (uint8_t)(v->u >> 16), b[2] = (uint8_t)(v->u >> 8),
			b[3] = (uint8_t)v->u;
		*n = 4;
		return b;
	}
	if (v->cls == C_IPV6) {
		*n = 16;
		return v->ip;
	}
	*n = v->n;
	return v->p;
}

/* A slice of one value; false when a range falls outside it (Wireshark
 * then treats the value as absent). */
static bool slice(ectx *c, const opd *o, const val *in, val *out)
{
	size_t n, total = 0;
	const uint8_t *b = val_bytes(c, in, &n);
	uint8_t *dst = scratch(c, n * (size_t)o->nr + 1);
	if (!b || !dst)
		return false;
	for (int i = 0; i < o->nr; i++) {
		long start = o->r[i].start < 0 ? (long)n + o->r[i].start : o->r[i].start;
		long len = o->r[i].len < 0 ? (long)n - start : o->r[i].len;
		if (start < 0 || len < 0 || (size_t)start + (size_t)len > n)
			return false;
		memcpy(dst + total, b + start, (size_t)len);
		total += (size_t)len;
	}
	memset(out, 0, sizeof *out);
	out->cls = C_BYTES;
	out->p = dst;
	out->n = total;
	return true;
}

static void collect_func(ectx *c, const opd *o, vlist *out)
{
	vlist in = {0};
	val v;
	if (o->fn == FN_COUNT) {
		collect(c, o->arg, &in);
		memset(&v, 0, sizeof v);
		v.cls = C_UINT;
		v.u = in.n;
		push(c, out, &v);
		free(in.v);
		return;
	}
	collect(c, o->arg, &in);
	for (size_t i = 0; i < in.n; i++) {
		v = in.v[i];
		if (o->fn == FN_LEN) {
			size_t n;
			val_bytes(c, &in.v[i], &n);
			memset(&v, 0, sizeof v);
			v.cls = C_UINT;
			v.u = n;
		} else {
			uint8_t *s = scratch(c, v.n + 1);
			if (!s)
				break;
			for (size_t k = 0; k < v.n; k++)
				s[k] = (uint8_t)(o->fn == FN_LOWER ? tolower(v.p[k]) : toupper(v.p[k]));
			v.p = s;
		}
		push(c, out, &v);
	}
	free(in.v);
}

static void collect(ectx *c, const opd *o, vlist *out)
{
	vlist in = {0};
	val v;
	switch (o->kind) {
	case O_FIELD:
	case O_PROTO:
		collect_nodes(c, o, out);
		return;
	case O_LIT:
		push(c, out, &o->v);
		return;
	case O_FUNC:
		collect_func(c, o, out);
		return;
	case O_SLICE:
		collect(c, o->arg, &in);
		for (size_t i = 0; i < in.n; i++)
			if (slice(c, o, &in.v[i], &v))
				push(c, out, &v);
		break;
	case O_BITAND:
		collect(c, o->arg, &in);
		for (size_t i = 0; i < in.n; i++) {
			v = in.v[i];
			if (v.cls == C_INT)
				v.i = (int64_t)((uint64_t)v.i & o->v.u);
			else
				v.u &= o->v.u;
			push(c, out, &v);
		}
		break;
	}
	free(in.v);
}

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_prefix6(const uint8_t *a, const uint8_t *b, int bits)
{
	for (int i = 0; i < 16 && bits > 0; i++, bits -= 8) {
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((a[i] & m) != (b[i] & m))
			return (a[i] & m) < (b[i] & m) ? -1 : 1;
	}
	return 0;
}

int flt_val_cmp(const val *a, const val *b)
{
	int bits = a->prefix < b->prefix ? a->prefix : b->prefix;
	switch (a->cls) {
	case C_UINT:
		return cmp_u(a->u, b->u);
	case C_INT:
		return a->i < b->i ? -1 : a->i > b->i;
	case C_DOUBLE:
		return a->d < b->d ? -1 : a->d > b->d;
	case C_IPV4: {
		uint64_t m = bits >= 32 ? 0xffffffffu : bits <= 0 ? 0 : (0xffffffffu << (32 - bits)) & 0xffffffffu;
		return cmp_u(a->u & m, b->u & m);
	}
	case C_IPV6:
		return cmp_prefix6(a->ip, b->ip, bits);
	default: {
		size_t n = a->n < b->n ? a->n : b->n;
		int r = n ? memcmp(a->p, b->p, n) : 0;
		return r ? (r < 0 ? -1 : 1) : cmp_u(a->n, b->n);
	}
	}
}

static bool holds(const expr *e, const val *a, const val *b)
{
	switch (e->op) {
	case T_CONTAINS:
		return b->n == 0 || (a->n >= b->n && memmem(a->p, a->n, b->p, b->n) != NULL);
	case T_MATCHES: {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(e->re, NULL);
		int rc = md ? pcre2_match(e->re, a->p ? a->p : (const uint8_t *)"", a->n, 0, 0, md, NULL) : -1;
		pcre2_match_data_free(md);
		return rc >= 0;
	}
	default:
		break;
	}
	int r = flt_val_cmp(a, b);
	switch (e->op) {
	case T_EQ:
	case T_ALL_EQ:
		return r == 0;
	case T_NE:
	case T_ANY_NE:
		return r != 0;
	case T_LT:
		return r < 0;
	case T_GT:
		return r > 0;
	case T_LE:
		return r <= 0;
	default:
		return r >= 0;
	}
}

static bool eval_cmp(ectx *c, const expr *e)
{
	vlist l = {0}, r = {0};
	collect(c, e->l, &l);
	collect(c, e->r, &r);
	/* all_ne and all_eq need every pair; the others some pair */
	bool all = e->op == T_NE || e->op == T_ALL_EQ;
	bool res = all && l.n && r.n;
	for (size_t i = 0; i < l.n; i++)
		for (size_t k = 0; k < r.n; k++)
			if (holds(e, &l.v[i], &r.v[k]) != all) {
				res = !all;
				goto done;
			}
done:
	free(l.v);
	free(r.v);
	return res;
}

static bool eval_in(ectx *c, const expr *e)
{
	vlist l = {0};
	bool res = false;
	collect(c, e->l, &l);
	for (size_t i = 0; i < l.n && !res; i++)
		for (int k = 0; k < e->nset && !res; k++) {
			const set_item *it = &e->set[k];
			if (it->hi)
				res = flt_val_cmp(&l.v[i], &it->lo->v) >= 0 && flt_val_cmp(&l.v[i], &it->hi->v) <= 0;
			else
				res = flt_val_cmp(&l.v[i], &it->lo->v) == 0;
		}
	free(l.v);
	return res;
}

static bool eval_test(ectx *c, const expr *e)
{
	vlist l = {0};
	bool res = false;
	collect(c, e->l, &l);
	for (size_t i = 0; i < l.n && !res; i++)
		res = e->l->kind != O_BITAND || (l.v[i].cls == C_INT ? l.v[i].i != 0 : l.v[i].u != 0);
	free(l.v);
	return res;
}

static bool eval(ectx *c, const expr *e)
{
	switch (e->kind) {
	case E_AND:
		return eval(c, e->a) && eval(c, e->b);
	case E_OR:
		return eval(c, e->a) || eval(c, e->b);
	case E_XOR:
		return eval(c, e->a) != eval(c, e->b);
	case E_NOT:
		return !eval(c, e->a);
	case E_TEST:
		return eval_test(c, e);
	case E_CMP:
		return eval_cmp(c, e);
	case E_IN:
		return eval_in(c, e);
	}
	return false;
}

bool nm_filter_match(const nm_filter *f, const nm_tree *t, const uint8_t *data, uint32_t caplen)
{
	if (!f->root)
		return true;
	ectx c = {t, data, data ? caplen : 0, NULL, false};
	bool r = eval(&c, f->root);
	while (c.mem) {
		block *b = c.mem;
		c.mem = b->next;
		free(b);
	}
	return r;
}

nm_filter *nm_filter_compile(const char *text, nm_filter_error *err)
{
	tok_list toks;
	if (err)
		memset(err, 0, sizeof *err);
	if (flt_lex(text, &toks, err))
		return NULL;
	nm_filter *f = calloc(1, sizeof *f);
	if (!f || toks.v[0].kind == T_EOF) {
		flt_toks_free(&toks);
		return f;
	}
	f->root = flt_parse(&toks, text, err);
	flt_toks_free(&toks);
	if (!f->root || flt_check(f->root, err)) {
		nm_filter_free(f);
		return NULL;
	}
	return f;
}

void nm_filter_free(nm_filter *f)
{
	if (!f)
		return;
	flt_expr_free(f->root);
	free(f);
}
