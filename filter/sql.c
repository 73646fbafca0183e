/*
 * sql.c - push-down: the part of a filter the stored summary columns can
 * answer, as an SQL boolean expression.
 *
 * Each sub-expression translates to SQL that every matching frame
 * satisfies (a superset), flagged exact when it is the sub-expression
 * itself.  and/or combine supersets into supersets; not and xor need exact
 * operands.  Only integers and registry names are written into the SQL
 * text (strings are quoted with '' doubled), so no user text reaches SQLite
 * unescaped.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"
#include "filter/sql_int.h"

#define put flt_put

void flt_put(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || b->oom)
		return;
	if (b->n + (size_t)n + 1 > b->cap) {
		size_t cap = (b->n + (size_t)n + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

/* The column behind a frame field, or NULL; *ns: the value is in ns. */
static const char *column(const opd *o, bool *ns)
{
	*ns = false;
	if (o->kind != O_FIELD)
		return NULL;
	const char *n = o->field->name;
	if (!strcmp(n, "frame.number"))
		return "f.number";
	if (!strcmp(n, "frame.len"))
		return "f.len";
	if (!strcmp(n, "frame.cap_len"))
		return "f.caplen";
	*ns = true;
	if (!strcmp(n, "frame.time_epoch"))
		return "f.ts_ns";
	if (!strcmp(n, "frame.time_relative"))
		return "(f.ts_ns - c.first_ns)";
	*ns = false;
	return NULL;
}

/* A numeric operand: a column, or a column & mask. */
static bool num_operand(sbuf *b, const opd *o)
{
	bool ns;
	const opd *base = o->kind == O_BITAND ? o->arg : o;
	const char *col = column(base, &ns);
	if (!col || (ns && o->kind == O_BITAND))
		return false;
	if (o->kind == O_BITAND)
		put(b, "(%s & %" PRId64 ")", col, (int64_t)o->v.u);
	else
		put(b, "%s", col);
	return true;
}

static void num_lit(sbuf *b, const opd *col, const val *v)
{
	bool ns;
	column(col->kind == O_BITAND ? col->arg : col, &ns);
	if (ns)
		put(b, "%" PRId64, (int64_t)(v->d * 1e9 + (v->d < 0 ? -0.5 : 0.5)));
	else
		put(b, "%" PRId64, v->u > INT64_MAX ? INT64_MAX : (int64_t)v->u);
}

static const char *sql_op(tok_kind op)
{
	switch (op) {
	case T_EQ: case T_ALL_EQ: return "=";
	case T_NE: case T_ANY_NE: return "<>";
	case T_LT: return "<";
	case T_GT: return ">";
	case T_LE: return "<=";
	case T_GE: return ">=";
	default: return NULL;
	}
}

static void quoted(sbuf *b, const uint8_t *p, size_t n)
{
	put(b, "'");
	for (size_t i = 0; i < n; i++)
		put(b, p[i] == '\'' ? "''" : "%c", p[i]);
	put(b, "'");
}

static bool is_protocols(const opd *o)
{
	return o->kind == O_FIELD && !strcmp(o->field->name, "frame.protocols");
}

static bool text_ok(const val *v)
{
	return memchr(v->p, '\0', v->n) == NULL;
}

/* frame.protocols == / != / contains "text" */
static bool protocols_cmp(sbuf *b, const expr *e)
{
	const val *v = &e->r->v;
	if (e->r->kind != O_LIT || !text_ok(v))
		return false;
	if (e->op == T_CONTAINS) {
		put(b, PATH_IN "instr(text, ");
		quoted(b, v->p, v->n);
		put(b, ") > 0)");
		return true;
	}
	if (e->op != T_EQ && e->op != T_NE && e->op != T_ALL_EQ && e->op != T_ANY_NE)
		return false;
	put(b, PATH_IN "text %s ", sql_op(e->op));
	quoted(b, v->p, v->n);
	put(b, ")");
	return true;
}

static int cmp_sql_exact(sbuf *b, const expr *e);

/* The field an operand reads (through slices, functions and masks), or
 * NULL; count() is left out: count(x) == 0 holds without x. */
static const nm_field *base_field(const opd *o)
{
	while (o->kind == O_SLICE || o->kind == O_BITAND || (o->kind == O_FUNC && o->fn != FN_COUNT))
		o = o->arg;
	return o->kind == O_FIELD ? o->field : NULL;
}

/* A comparison on a field holds only when the field occurs, hence only in
 * frames whose protocol path names the field's protocol: a superset. */
static int implied_proto(sbuf *b, const opd *o)
{
	const nm_field *f = base_field(o);
	const nm_protocol *p = f ? nm_field_protocol(f) : NULL;
	if (!p || !strcmp(p->name, "frame"))
		return SQL_NONE;
	/* a path clipped at NM_PROTOCOLS_LEN may have lost the name */
	put(b, PATH_IN "instr(" PATH_TEXT ", ':%s:') > 0 OR length(text) >= %d)", p->name, NM_PROTOCOLS_LEN - 1);
	return SQL_SUPERSET;
}

static int cmp_sql(sbuf *b, const expr *e)
{
	size_t mark = b->n;
	int lv = cmp_sql_exact(b, e);
	if (lv != SQL_NONE)
		return lv;
	b->n = mark;
	return implied_proto(b, e->l);
}

static int cmp_sql_exact(sbuf *b, const expr *e)
{
	if (is_protocols(e->l))
		return protocols_cmp(b, e) ? SQL_EXACT : SQL_NONE;
	int lv = flt_flow_sql(b, e);
	if (lv != SQL_NONE)
		return lv;
	const char *op = sql_op(e->op);
	if (!op || e->r->kind != O_LIT || (e->r->cls != C_UINT && e->r->cls != C_DOUBLE))
		return SQL_NONE;
	if (!num_operand(b, e->l))
		return SQL_NONE;
	put(b, " %s ", op);
	num_lit(b, e->l, &e->r->v);
	return SQL_EXACT;
}

static bool in_sql(sbuf *b, const expr *e)
{
	put(b, "(");
	for (int i = 0; i < e->nset; i++) {
		if (i)
			put(b, " OR ");
		if (!num_operand(b, e->l))
			return false;
		put(b, e->set[i].hi ? " BETWEEN " : " = ");
		num_lit(b, e->l, &e->set[i].lo->v);
		if (e->set[i].hi) {
			put(b, " AND ");
			num_lit(b, e->l, &e->set[i].hi->v);
		}
	}
	put(b, ")");
	return e->l->cls == C_UINT || e->l->cls == C_DOUBLE;
}

static bool test_sql(sbuf *b, const expr *e)
{
	bool ns;
	const opd *o = e->l;
	if (o->kind == O_PROTO && !strcmp(o->proto->name, "frame")) {
		put(b, "1"); /* every frame; frame.protocols does not name it */
		return true;
	}
	if (o->kind == O_PROTO) {
		put(b, PATH_IN "instr(':' || text || ':', ':%s:') > 0)", o->proto->name);
		return true;
	}
	if (o->kind == O_FIELD && (column(o, &ns) || is_protocols(o))) {
		put(b, "1");
		return true;
	}
	if (o->kind == O_BITAND && num_operand(b, o)) {
		put(b, " <> 0");
		return true;
	}
	return false;
}

/* Append the SQL of e to b; returns how well it stands for e.  An
 * untranslated part leaves "1" (always true: a superset of anything). */
static int to_sql(sbuf *b, const expr *e)
{
	size_t mark = b->n;
	int lv = SQL_NONE, la, lb;
	put(b, "(");
	switch (e->kind) {
	case E_AND:
	case E_OR:
		la = to_sql(b, e->a);
		put(b, e->kind == E_AND ? " AND " : " OR ");
		lb = to_sql(b, e->b);
		lv = la == SQL_EXACT && lb == SQL_EXACT ? SQL_EXACT : SQL_SUPERSET;
		if (e->kind == E_OR && (la == SQL_NONE || lb == SQL_NONE))
			lv = SQL_NONE;
		if (e->kind == E_AND && la == SQL_NONE && lb == SQL_NONE)
			lv = SQL_NONE;
		break;
	case E_NOT:
	case E_XOR: /* the complement of a superset is no superset: exact only */
		put(b, e->kind == E_NOT ? "NOT " : "");
		lv = to_sql(b, e->a) == SQL_EXACT ? SQL_EXACT : SQL_NONE;
		if (e->kind == E_XOR) {
			put(b, " <> ");
			lv = to_sql(b, e->b) == SQL_EXACT ? lv : SQL_NONE;
		}
		break;
	case E_TEST:
		lv = test_sql(b, e) ? SQL_EXACT : SQL_NONE;
		if (lv == SQL_NONE) {
			b->n = mark + 1;
			lv = implied_proto(b, e->l);
		}
		break;
	case E_CMP:
		lv = cmp_sql(b, e);
		break;
	case E_IN:
		lv = in_sql(b, e) ? SQL_EXACT : SQL_NONE;
		if (lv == SQL_NONE) {
			b->n = mark + 1;
			lv = implied_proto(b, e->l);
		}
		break;
	}
	put(b, ")");
	if (lv == SQL_NONE) {
		b->n = mark;
		put(b, "1");
	}
	return lv;
}

char *nm_filter_sql(const nm_filter *f, bool *exact)
{
	sbuf b = {0};
	*exact = true;
	if (f->root)
		*exact = to_sql(&b, f->root) == SQL_EXACT;
	else
		put(&b, "1");
	if (b.oom) {
		free(b.s);
		*exact = false;
		return strdup("1");
	}
	return b.s;
}

/* Chunks that may hold e's matches; false when e has no part chunk_keys
 * answers (an and needs one side, an or both). */
static bool cand_sql(sbuf *b, const expr *e)
{
	size_t mark = b->n;
	bool ok = false;
	switch (e->kind) {
	case E_AND:
		ok = cand_sql(b, e->a) || cand_sql(b, e->b);
		break;
	case E_OR:
		ok = cand_sql(b, e->a);
		if (ok) {
			put(b, " UNION ALL ");
			ok = cand_sql(b, e->b);
		}
		break;
	case E_CMP:
		ok = flt_flow_cand(b, e);
		break;
	default:
		break;
	}
	if (!ok)
		b->n = mark;
	return ok;
}

/* SQLite refuses compound selects of more than 500 parts. */
static bool too_many_parts(const char *s)
{
	int n = 0;
	while ((s = strstr(s, " UNION ALL ")) != NULL && n <= 400)
		s++, n++;
	return n > 400;
}

char *nm_filter_candidates(const nm_filter *f)
{
	sbuf b = {0};
	if (!f->root || !cand_sql(&b, f->root) || b.oom || too_many_parts(b.s)) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
