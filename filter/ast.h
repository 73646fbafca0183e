/*
 * ast.h - the filter's tokens, syntax tree and values, shared by the
 * lexer, parser, checker, evaluator and SQL push-down.
 */
#ifndef NETMON_FILTER_AST_H
#define NETMON_FILTER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"
#include "filter/filter.h"

/* ---- tokens ---- */

typedef enum tok_kind {
	T_EOF,
	T_WORD,   /* field name or unquoted literal: ip.src, 10.0.0.0/8, aa:bb */
	T_STRING, /* "..." with escapes decoded (may hold NUL bytes) */
	T_CHAR,   /* 'c': an integer */
	T_SLICE,  /* [...]: text is what is between the brackets */
	T_LPAREN,
	T_RPAREN,
	T_LBRACE,
	T_RBRACE,
	T_COMMA,
	T_DOTDOT,
	T_AND,
	T_OR,
	T_XOR,
	T_NOT,
	T_EQ,
	T_NE,
	T_ALL_EQ,
	T_ANY_NE,
	T_LT,
	T_GT,
	T_LE,
	T_GE,
	T_CONTAINS,
	T_MATCHES,
	T_IN,
	T_BITAND,
} tok_kind;

typedef struct tok {
	tok_kind kind;
	int pos, len; /* in the filter text */
	char *text;   /* malloc'd (T_WORD, T_STRING, T_SLICE) */
	size_t tlen;
	uint64_t chr; /* T_CHAR */
} tok;

typedef struct tok_list {
	tok *v;
	size_t n;
} tok_list;

/* Tokenize; -1 with err set on a lexical error. */
int flt_lex(const char *text, tok_list *out, nm_filter_error *err);
void flt_toks_free(tok_list *l);

/* ---- values ---- */

typedef enum vclass {
	C_NONE,
	C_UINT,
	C_INT,
	C_DOUBLE,
	C_BYTES, /* bytes, ether, protocol payloads, slices */
	C_STRING,
	C_IPV4,
	C_IPV6,
} vclass;

typedef struct val {
	vclass cls;
	uint64_t u;
	int64_t i;
	double d;
	const uint8_t *p; /* C_BYTES / C_STRING */
	size_t n;
	uint8_t ip[16]; /* C_IPV6; C_IPV4 uses u */
	int prefix;     /* CIDR bits for address literals (32 / 128 when none) */
} val;

/* ---- operands (what is compared) ---- */

typedef enum opd_kind { O_FIELD, O_PROTO, O_LIT, O_SLICE, O_FUNC, O_BITAND } opd_kind;
typedef enum fn_kind { FN_LOWER, FN_UPPER, FN_LEN, FN_COUNT } fn_kind;

#define FLT_MAX_RANGES 8
typedef struct slice_range {
	long start, len; /* len < 0: to the end */
} slice_range;

typedef struct opd {
	opd_kind kind;
	int pos, len;
	const nm_field *field;    /* O_FIELD */
	const nm_protocol *proto; /* O_PROTO */
	tok_kind lit;             /* O_LIT: T_WORD, T_STRING or T_CHAR */
	char *text;               /* O_LIT: its text (owned) */
	size_t tlen;
	uint64_t chr;
	val v;               /* O_LIT after checking; O_BITAND: the mask */
	uint8_t *vbuf;       /* owned bytes behind v.p */
	struct opd *arg;     /* O_SLICE, O_FUNC, O_BITAND */
	struct opd *mask;    /* O_BITAND: the literal mask (folded into v) */
	fn_kind fn;          /* O_FUNC */
	slice_range r[FLT_MAX_RANGES];
	int nr;
	vclass cls;       /* result class, set by the checker */
	nm_ftype ftype;   /* field type the values come from (for literals) */
} opd;

/* ---- expressions ---- */

typedef enum expr_kind { E_AND, E_OR, E_XOR, E_NOT, E_TEST, E_CMP, E_IN } expr_kind;

typedef struct set_item {
	opd *lo, *hi; /* hi non-NULL for a range lo..hi */
} set_item;

typedef struct expr {
	expr_kind kind;
	tok_kind op; /* E_CMP: T_EQ ... T_MATCHES */
	int pos, len;
	struct expr *a, *b; /* E_AND/E_OR/E_XOR: a, b; E_NOT: a */
	opd *l, *r;         /* E_TEST: l; E_CMP: l op r; E_IN: l in set */
	set_item *set;
	int nset;
	void *re; /* E_CMP matches: compiled pcre2 pattern */
} expr;

struct nm_filter {
	expr *root; /* NULL: matches everything */
};

/* parser.c */
expr *flt_parse(const tok_list *toks, const char *text, nm_filter_error *err);
void flt_expr_free(expr *e);
void flt_opd_free(opd *o);
int flt_error(nm_filter_error *err, int pos, int len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

void flt_re_free(void *re);

/* check.c */
int flt_check(expr *e, nm_filter_error *err);
vclass flt_ftype_class(nm_ftype t);

/* eval.c */
int flt_val_cmp(const val *a, const val *b); /* -1, 0, 1 */
bool flt_parse_ipv4(const char *s, uint32_t *a, int *prefix);
bool flt_parse_ipv6(const char *s, uint8_t *a, int *prefix);
bool flt_parse_bytes(const char *s, uint8_t *out, size_t max, size_t *n);

#endif
