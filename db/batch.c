/*
 * batch.c - a batch of frames handed from the capture thread to the writer.
 *
 * Frames are copied into one arena so the capture thread can reuse its
 * buffers at once and the writer owns everything it sees.
 */
#include <stdlib.h>
#include <string.h>

#include "db/store.h"

nm_batch *nm_batch_new(size_t max_frames, size_t arena_bytes)
{
	nm_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->frames = calloc(max_frames ? max_frames : 1, sizeof *b->frames);
	b->arena = malloc(arena_bytes ? arena_bytes : 1);
	if (!b->frames || !b->arena) {
		nm_batch_free(b);
		return NULL;
	}
	b->cap = max_frames;
	b->arena_cap = arena_bytes;
	return b;
}

void nm_batch_free(nm_batch *b)
{
	if (!b)
		return;
	free(b->frames);
	free(b->arena);
	free(b);
}

void nm_batch_reset(nm_batch *b)
{
	b->count = 0;
	b->used = 0;
	b->capture_id = 0;
}

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copy n bytes into the arena (space was checked); NULL stays NULL. */
static void *arena_put(nm_batch *b, const void *src, size_t n)
{
	if (!src)
		return NULL;
	uint8_t *dst = b->arena + b->used;
	if (n)
		memcpy(dst, src, n);
	b->used += n;
	return dst;
}

bool nm_batch_add(nm_batch *b, const nm_frame_rec *f)
{
	if (b->count >= b->cap || (f->caplen && !f->bytes))
		return false;
	/* each length once: strlen twice per string showed in ingest profiles */
	size_t ls = str_size(f->src), ld = str_size(f->dst), lp = str_size(f->protocol), li = str_size(f->info),
	       lps = str_size(f->protocols);
	size_t need = (size_t)f->caplen + ls + ld + lp + li + lps;
	if (need > b->arena_cap - b->used)
		return false;
	nm_frame_rec *r = &b->frames[b->count++];
	*r = *f;
	r->bytes = f->caplen ? arena_put(b, f->bytes, f->caplen) : NULL;
	r->src = arena_put(b, f->src, ls);
	r->dst = arena_put(b, f->dst, ld);
	r->protocol = arena_put(b, f->protocol, lp);
	r->info = arena_put(b, f->info, li);
	r->protocols = arena_put(b, f->protocols, lps);
	return true;
}
