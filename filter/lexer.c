/*
 * lexer.c - display filter tokens.
 *
 * Unquoted literals (addresses, byte strings, numbers) and field names share
 * one token, T_WORD: a run of letters, digits and "_.:/-".  Whether a word
 * is a field or a literal is decided later, against the property database,
 * as Wireshark does.  A word stops before "..", the range operator in sets.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/ast.h"

int flt_error(nm_filter_error *err, int pos, int len, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->pos = pos;
		err->len = len;
	}
	return -1;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
}

static int push(tok_list *l, tok t)
{
	tok *v = realloc(l->v, (l->n + 1) * sizeof *v);
	if (!v) {
		free(t.text);
		return -1;
	}
	l->v = v;
	l->v[l->n++] = t;
	return 0;
}

static const struct {
	const char *w;
	tok_kind k;
} keywords[] = {
	{"and", T_AND},	  {"or", T_OR},		  {"xor", T_XOR},	    {"not", T_NOT},
	{"eq", T_EQ},	  {"ne", T_NE},		  {"all_eq", T_ALL_EQ},	    {"any_ne", T_ANY_NE},
	{"lt", T_LT},	  {"gt", T_GT},		  {"le", T_LE},		    {"ge", T_GE},
	{"contains", T_CONTAINS}, {"matches", T_MATCHES}, {"in", T_IN}, {"bitwise_and", T_BITAND},
};

/* Operators, longest first so "===" wins over "==". */
static const struct {
	const char *s;
	tok_kind k;
} ops[] = {
	{"===", T_ALL_EQ}, {"!==", T_ANY_NE}, {"==", T_EQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE},
	{"&&", T_AND},	   {"||", T_OR},      {"^^", T_XOR}, {"~", T_MATCHES}, {"<", T_LT}, {">", T_GT},
	{"!", T_NOT},	   {"&", T_BITAND},  {"(", T_LPAREN}, {")", T_RPAREN}, {"{", T_LBRACE}, {"}", T_RBRACE},
	{",", T_COMMA},	   {"..", T_DOTDOT},
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One escape after a backslash at s[*i]; returns the byte or -1. */
static int unescape(const char *s, size_t *i)
{
	char c = s[(*i)++];
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
		int v = c - '0';
		for (int k = 0; k < 2 && s[*i] >= '0' && s[*i] <= '7'; k++)
			v = v * 8 + (s[(*i)++] - '0');
		return v > 255 ? -1 : v;
	}
	case 'x': {
		int h = hexval(s[*i]), l;
		if (h < 0)
			return -1;
		(*i)++;
		if ((l = hexval(s[*i])) >= 0) {
			(*i)++;
			h = h * 16 + l;
		}
		return h;
	}
	case '\0':
		return -1;
	default:
		return (unsigned char)c; /* \\ \" \' and anything else stand for themselves */
	}
}

/* A quoted string starting at s[start] (the quote); raw: r"..." */
static int lex_string(const char *s, size_t start, bool raw, tok *t, size_t *end, nm_filter_error *err)
{
	size_t i = start + 1, n = 0, cap = strlen(s) + 1;
	char *out = malloc(cap);
	if (!out)
		return flt_error(err, (int)start, 1, "out of memory");
	for (;;) {
		char c = s[i];
		if (c == '\0') {
			free(out);
			return flt_error(err, (int)i, 0, "The string is missing a closing quote.");
		}
		i++;
		if (c == '"')
			break;
		if (c == '\\' && raw) {
			out[n++] = c;
			if (s[i])
				out[n++] = s[i++];
			continue;
		}
		if (c == '\\') {
			size_t at = i - 1;
			int b = unescape(s, &i);
			if (b < 0) {
				free(out);
				return flt_error(err, (int)at, (int)(i - at), "Invalid escape sequence in string.");
			}
			c = (char)b;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	t->kind = T_STRING;
	t->text = out;
	t->tlen = n;
	*end = i;
	return 0;
}

static int lex_char(const char *s, size_t start, tok *t, size_t *end, nm_filter_error *err)
{
	size_t i = start + 1;
	int v;
	if (s[i] == '\\') {
		i++;
		v = unescape(s, &i);
	} else {
		v = s[i] ? (unsigned char)s[i++] : -1;
	}
	if (v < 0 || s[i] != '\'')
		return flt_error(err, (int)start, (int)(i - start) + 1, "Invalid character constant.");
	t->kind = T_CHAR;
	t->chr = (uint64_t)v;
	*end = i + 1;
	return 0;
}

static int lex_slice(const char *s, size_t start, tok *t, size_t *end, nm_filter_error *err)
{
	const char *close = strchr(s + start, ']');
	if (!close)
		return flt_error(err, (int)start, 1, "Missing closing bracket of the slice.");
	size_t n = (size_t)(close - (s + start)) - 1;
	t->kind = T_SLICE;
	t->text = strndup(s + start + 1, n);
	t->tlen = n;
	*end = (size_t)(close - s) + 1;
	return t->text ? 0 : flt_error(err, (int)start, 1, "out of memory");
}

static void lex_word(const char *s, size_t start, tok *t, size_t *end)
{
	size_t i = start;
	while (word_char(s[i]) && !(s[i] == '.' && s[i + 1] == '.'))
		i++;
	t->kind = T_WORD;
	t->text = strndup(s + start, i - start);
	t->tlen = i - start;
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
		if (t->text && strcmp(t->text, keywords[k].w) == 0)
			t->kind = keywords[k].k;
	*end = i;
}

static bool lex_op(const char *s, size_t i, tok *t, size_t *end)
{
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		size_t n = strlen(ops[k].s);
		if (strncmp(s + i, ops[k].s, n) == 0) {
			t->kind = ops[k].k;
			*end = i + n;
			return true;
		}
	}
	return false;
}

int flt_lex(const char *s, tok_list *out, nm_filter_error *err)
{
	size_t i = 0;
	out->v = NULL;
	out->n = 0;
	for (;;) {
		while (isspace((unsigned char)s[i]))
			i++;
		tok t = {.pos = (int)i};
		size_t end = i;
		int rc = 0;
		char c = s[i];
		if (c == '\0') {
			t.kind = T_EOF;
			return push(out, t);
		}
		if (c == '"')
			rc = lex_string(s, i, false, &t, &end, err);
		else if (c == 'r' && s[i + 1] == '"')
			rc = lex_string(s, i + 1, true, &t, &end, err);
		else if (c == '\'')
			rc = lex_char(s, i, &t, &end, err);
		else if (c == '[')
			rc = lex_slice(s, i, &t, &end, err);
		else if (word_char(c) && !(c == '.' && s[i + 1] == '.'))
			lex_word(s, i, &t, &end);
		else if (!lex_op(s, i, &t, &end))
			rc = flt_error(err, (int)i, 1, "\"%c\" was unexpected in this context.", c);
		if (rc || (t.kind == T_WORD && !t.text)) {
			flt_toks_free(out);
			return rc ? rc : flt_error(err, (int)i, 1, "out of memory");
		}
		t.len = (int)(end - i);
		if (push(out, t)) {
			flt_toks_free(out);
			return flt_error(err, (int)i, 1, "out of memory");
		}
		i = end;
	}
}

void flt_toks_free(tok_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
