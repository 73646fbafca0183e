/*
 * sqlite_intern.c - low-cardinality strings (protocol names, protocol
 * stacks) are stored once in `strings` and referenced by id from frames;
 * the writer keeps a small hash of the ids it has seen.
 */
#include <stdlib.h>
#include <string.h>

#include "db/sqlite_int.h"

static uint32_t hash(const char *t)
{
	uint32_t h = 2166136261u;
	for (; *t; t++)
		h = (h ^ (uint8_t)*t) * 16777619u;
	return h;
}

void sq_intern_clear(sq_store *s)
{
	for (size_t i = 0; i < SQ_INTERN_SLOTS; i++) {
		free(s->intern[i].text);
		s->intern[i].text = NULL;
	}
	s->interned = 0;
}

static sq_intern_slot *slot_for(sq_store *s, const char *text)
{
	uint32_t i = hash(text) & (SQ_INTERN_SLOTS - 1);
	while (s->intern[i].text && strcmp(s->intern[i].text, text))
		i = (i + 1) & (SQ_INTERN_SLOTS - 1);
	return &s->intern[i];
}

static int lookup_or_insert(sq_store *s, const char *text, int64_t *id)
{
	sqlite3_stmt *st = sq_stmt(s, SQ_STRING_GET);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || !(st = sq_stmt(s, SQ_STRING_INS)))
		return rc != SQLITE_DONE ? sq_fail_db(s, "string lookup") : -1;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_fail_db(s, "string insert");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Must run inside the writer's transaction but outside a batch savepoint,
 * so a rolled-back batch cannot leave the cache pointing at a lost row. */
int sq_intern(sq_store *s, const char *text, int64_t *id)
{
	sq_intern_slot *slot = slot_for(s, text);
	if (slot->text) {
		*id = slot->id;
		return 0;
	}
	if (lookup_or_insert(s, text, id))
		return -1;
	if (s->interned < SQ_INTERN_SLOTS / 2 && (slot->text = strdup(text))) {
		slot->id = *id;
		s->interned++;
	}
	return 0;
}
