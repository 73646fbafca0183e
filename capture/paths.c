/* paths.c - see paths.h.  Open addressing with linear probing; the table
 * is emptied as a whole, so entries are never deleted one by one. */
#include <stdlib.h>
#include <string.h>

#include "capture/paths.h"

struct nm_path_ent {
	bool used;
	uint32_t hash;
	char path[NM_PATH_REC_LEN];
	uint64_t frames, bytes;
};

int nm_paths_init(nm_path_table *t, uint32_t cap)
{
	memset(t, 0, sizeof *t);
	uint32_t n = 16;
	while (n < 2 * cap)
		n *= 2;
	t->slots = calloc(n, sizeof *t->slots);
	t->nslots = n;
	t->cap = cap ? cap : 1;
	return t->slots ? 0 : -1;
}

void nm_paths_free(nm_path_table *t)
{
	free(t->slots);
	t->slots = NULL;
}

/* FNV-1a over at most NM_PATH_REC_LEN - 1 bytes; returns the length. */
static size_t hash_path(const char *p, uint32_t *h)
{
	uint32_t v = 2166136261u;
	size_t n = 0;
	for (; n < NM_PATH_REC_LEN - 1 && p[n]; n++)
		v = (v ^ (uint8_t)p[n]) * 16777619u;
	*h = v;
	return n;
}

static bool same(const nm_path_ent *e, uint32_t h, const char *p, size_t len)
{
	return e->hash == h && memcmp(e->path, p, len) == 0 && e->path[len] == 0;
}

bool nm_paths_add(nm_path_table *t, const char *path, uint64_t bytes)
{
	if (!path)
		path = "";
	uint32_t h;
	size_t len = hash_path(path, &h);
	uint32_t i = h & (t->nslots - 1);
	while (t->slots[i].used && !same(&t->slots[i], h, path, len))
		i = (i + 1) & (t->nslots - 1);
	nm_path_ent *e = &t->slots[i];
	if (!e->used) {
		if (t->count >= t->cap) {
			t->flushes_full++;
			return false;
		}
		memset(e, 0, sizeof *e);
		e->used = true;
		e->hash = h;
		memcpy(e->path, path, len);
		t->count++;
	}
	e->frames++;
	e->bytes += bytes;
	return true;
}

size_t nm_paths_take(nm_path_table *t, nm_path_rec **out)
{
	*out = NULL;
	if (!t->count)
		return 0;
	nm_path_rec *r = malloc(t->count * sizeof *r);
	if (!r)
		return 0; /* keep counting; the next take may succeed */
	size_t n = 0;
	for (uint32_t i = 0; i < t->nslots; i++)
		if (t->slots[i].used) {
			nm_path_rec *x = &r[n++];
			memcpy(x->path, t->slots[i].path, sizeof x->path);
			x->frames = t->slots[i].frames;
			x->bytes = t->slots[i].bytes;
			t->slots[i].used = false;
		}
	t->count = 0;
	*out = r;
	return n;
}
