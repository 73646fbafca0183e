/*
 * sqlite_reasm.c - IPv4 reassembly links: which frame each fragment frame
 * is reassembled in (table ip_reassembly), so the detail view can gather a
 * datagram's fragments again.
 */
#include "db/sqlite_int.h"

static int step_done(sq_store *s, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_fail_db(s, what);
}

static int write_one(sq_store *s, sqlite3_stmt *ins, sqlite3_stmt *note, int64_t capture_id, const nm_frag_link *l)
{
	sqlite3_bind_int64(ins, 1, capture_id);
	sqlite3_bind_int64(ins, 2, (int64_t)l->frame);
	sqlite3_bind_int64(ins, 3, (int64_t)l->reassembled_in);
	if (step_done(s, ins, "inserting a reassembly link"))
		return -1;
	/* The earlier fragments were stored before anyone knew: their Info
	 * gets Wireshark's "[Reassembled in #N]" now. */
	if (l->frame == l->reassembled_in)
		return 0;
	sqlite3_bind_int64(note, 1, capture_id);
	sqlite3_bind_int64(note, 2, (int64_t)l->frame);
	sqlite3_bind_int64(note, 3, (int64_t)l->reassembled_in);
	return step_done(s, note, "noting a reassembled fragment");
}

int sq_write_frag_links(nm_store *st, int64_t capture_id, const nm_frag_link *l, size_t n)
{
	sq_store *s = (sq_store *)st;
	if (sq_begin(s))
		return -1;
	sqlite3_stmt *ins = sq_stmt(s, SQ_FRAG_INS);
	sqlite3_stmt *note = ins ? sq_stmt(s, SQ_FRAG_NOTE) : NULL;
	if (!note)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (write_one(s, ins, note, capture_id, &l[i]))
			return -1;
	return 0;
}

static int reassembled_in(sq_store *s, int64_t capture_id, uint64_t number, uint64_t *in)
{
	sqlite3_stmt *q = sq_stmt(s, SQ_FRAG_IN);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	sqlite3_bind_int64(q, 2, (int64_t)number);
	int rc = sqlite3_step(q);
	*in = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail_db(s, "reading a reassembly link");
}

int sq_frag_frames(nm_store *st, int64_t capture_id, uint64_t number, uint64_t *in, uint64_t *frames, size_t max)
{
	sq_store *s = (sq_store *)st;
	if (reassembled_in(s, capture_id, number, in) < 0)
		return -1;
	if (!*in)
		return 0;
	sqlite3_stmt *q = sq_stmt(s, SQ_FRAG_FRAMES);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, capture_id);
	sqlite3_bind_int64(q, 2, (int64_t)*in);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (n < max)
			frames[n++] = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? (int)n : sq_fail_db(s, "reading reassembly links");
}
