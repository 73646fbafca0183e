/*
 * names.c - field and protocol names from the property database: the
 * closest name to a misspelt one (edit distance) and prefix completion.
 */
#include <stdlib.h>
#include <string.h>

#include "filter/ast.h"

/* Levenshtein distance, capped: names are short, one row suffices. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void consider(const char *cand, const char *name, const char **best, size_t *bestd)
{
	size_t d = distance(name, cand);
	if (d < *bestd) {
		*bestd = d;
		*best = cand;
	}
}

const char *nm_filter_closest(const char *name)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < nm_protocol_count(); i++) {
		const nm_protocol *p = nm_protocol_at(i);
		consider(p->name, name, &best, &bestd);
		for (size_t k = 0; k < p->nfields; k++)
			consider(p->fields[k].name, name, &best, &bestd);
	}
	/* a suggestion further than a third of the name away is noise */
	return best && bestd * 3 <= strlen(name) + 2 ? best : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_name(const char *name, const char *prefix, const char **out, size_t max, size_t *n)
{
	if (strncmp(name, prefix, strlen(prefix)) != 0)
		return;
	for (size_t i = 0; i < *n && i < max; i++)
		if (strcmp(out[i], name) == 0)
			return;
	if (*n < max)
		out[*n] = name;
	(*n)++;
}

size_t nm_filter_complete(const char *prefix, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < nm_protocol_count(); i++) {
		const nm_protocol *p = nm_protocol_at(i);
		add_name(p->name, prefix, out, max, &n);
		for (size_t k = 0; k < p->nfields; k++)
			add_name(p->fields[k].name, prefix, out, max, &n);
	}
	qsort(out, n < max ? n : max, sizeof *out, cmp_str);
	return n;
}
