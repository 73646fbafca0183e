/*
 * sqlite_datafile.c - the append-only "<db>-frames" file holding raw frame
 * bytes, written once (SQLite would write them twice: WAL and checkpoint).
 *
 * Bytes are appended before the transaction that references them commits,
 * so a committed chunk row always points at written bytes after a process
 * crash.  The file is fdatasync'ed only on close: after a power loss the
 * last chunks may read back short, which frame_get reports as missing
 * bytes; the database itself stays consistent.  Bytes of a rolled-back
 * batch stay in the file unreferenced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/sqlite_int.h"

/* Append after every referenced byte and after the file's end, so bytes
 * lost in a power cut are never overwritten by a later, different chunk;
 * unreferenced bytes at the end are cut off first. */
static int find_end(sq_store *s)
{
	struct stat st;
	sqlite3_stmt *q = sq_stmt(s, SQ_DATA_END);
	if (fstat(s->data_fd, &st) || !q)
		return q ? nm_store_fail(&s->base, "%s: %s", s->data_path, strerror(errno)) : -1;
	int rc = sqlite3_step(q);
	int64_t used = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return sq_fail_db(s, "finding the end of frame bytes");
	if (st.st_size > used) {
		/* Bytes no committed chunk refers to (a crash before commit, a
		 * rejected batch, or the file of an earlier database at this
		 * path): drop them rather than let the file grow without end. */
		if (ftruncate(s->data_fd, (off_t)used) != 0)
			return nm_store_fail(&s->base, "%s: %s", s->data_path, strerror(errno));
		st.st_size = used;
	}
	s->data_end = (uint64_t)(used > st.st_size ? used : st.st_size);
	return 0;
}

int sq_data_open(sq_store *s, const char *db_path, bool readonly)
{
	s->data_fd = -1;
	size_t n = strlen(db_path) + sizeof "-frames";
	if (!(s->data_path = malloc(n)))
		return nm_store_fail(&s->base, "out of memory");
	snprintf(s->data_path, n, "%s-frames", db_path);
	if (readonly)
		return 0; /* opened at the first frame_get: it may not exist yet */
	s->data_fd = open(s->data_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->data_fd < 0)
		return nm_store_fail(&s->base, "%s: %s", s->data_path, strerror(errno));
	return find_end(s);
}

void sq_data_close(sq_store *s)
{
	if (s->data_fd >= 0) {
		if (!s->base.readonly)
			fdatasync(s->data_fd);
		close(s->data_fd);
	}
	s->data_fd = -1;
	free(s->data_path);
	s->data_path = NULL;
}

int sq_data_append(sq_store *s, const void *buf, size_t len, uint64_t *offset)
{
	*offset = s->data_end;
	for (size_t done = 0; done < len;) {
		ssize_t w = pwrite(s->data_fd, (const uint8_t *)buf + done, len - done,
				   (off_t)(s->data_end + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return nm_store_fail(&s->base, "writing %s: %s", s->data_path,
					     w < 0 ? strerror(errno) : "no progress");
		done += (size_t)w;
	}
	s->data_end += len;
	return 0;
}

int sq_data_read(sq_store *s, uint64_t offset, void *buf, size_t len)
{
	if (s->data_fd < 0 && (s->data_fd = open(s->data_path, O_RDONLY | O_CLOEXEC)) < 0)
		return nm_store_fail(&s->base, "%s: %s", s->data_path, strerror(errno));
	for (size_t done = 0; done < len;) {
		ssize_t r = pread(s->data_fd, (uint8_t *)buf + done, len - done,
				  (off_t)(offset + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return nm_store_fail(&s->base, "reading %s: %s", s->data_path,
					     r < 0 ? strerror(errno) : "frame bytes missing");
		done += (size_t)r;
	}
	return 0;
}
