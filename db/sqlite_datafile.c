/*
 * sqlite_datafile.c - raw frame bytes beside the database, written once
 * (SQLite would write them twice: WAL and checkpoint).
 *
 * Bytes live at global offsets in a sequence of fixed-size segment files
 * "<db>-frames.000000", ".000001", ...: offset o is in segment o / seg_size
 * at o % seg_size, and a chunk may straddle two segments.  A file only
 * grows at its end, so retention (sqlite_evict.c) reclaims space by
 * deleting whole segments once no frame_data row points into them.  The
 * segment size is fixed when the database is created (meta
 * 'frames_segment').  A database from before segments has one file
 * "<db>-frames" holding offsets below meta 'frames_legacy_end'; new bytes
 * go to segments above it, and the old file is deleted when its last
 * frame is evicted.
 *
 * Bytes are appended before the transaction that references them commits,
 * so a committed chunk row always points at written bytes after a process
 * crash.  Files are fdatasync'ed only on close: after a power loss the
 * last chunks may read back short, which frame_get reports as missing
 * bytes; the database itself stays consistent.  Bytes of a rolled-back
 * batch are cut off at the next open.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/sqlite_int.h"

/* 16 MiB: a few seconds of a busy link, small next to any sane ceiling. */
#define SEG_DEFAULT ((uint64_t)16 << 20)
#define SEG_MIN     ((uint64_t)64 << 10)

void sq_seg_name(const sq_store *s, int64_t seg, char *buf, size_t n)
{
	if (seg == SQ_SEG_LEGACY)
		snprintf(buf, n, "%s", s->data_path);
	else
		snprintf(buf, n, "%s.%06" PRId64, s->data_path, seg);
}

/* The file holding offset `off`, and where in it. */
static int64_t seg_of(const sq_store *s, uint64_t off, uint64_t *at)
{
	if (off < s->legacy_end) {
		*at = off;
		return SQ_SEG_LEGACY;
	}
	*at = off % s->seg_size;
	return (int64_t)(off / s->seg_size);
}

/* Bytes from `off` to the end of its file (the legacy file has no end). */
static uint64_t room(const sq_store *s, uint64_t off)
{
	return off < s->legacy_end ? s->legacy_end - off : s->seg_size - off % s->seg_size;
}

/* A reader's cached file may have been deleted by the writer's retention
 * since; a writer reopened on an empty database writes from offset 0 again,
 * so a deleted file must not be read as if it held the new bytes. */
static bool still_there(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_nlink > 0;
}

/* *fd open on segment seg; one open file per user (the writer's reads,
 * the appender's writes: see sqlite_append.c). */
static int use_seg(const sq_store *s, int *fd, int64_t *cur, int64_t seg, char *err, size_t errlen)
{
	if (*fd >= 0 && *cur == seg && (!s->base.readonly || still_there(*fd)))
		return 0;
	if (*fd >= 0)
		close(*fd);
	char name[4200];
	sq_seg_name(s, seg, name, sizeof name);
	int flags = s->base.readonly ? O_RDONLY : O_RDWR | O_CREAT;
	*fd = open(name, flags | O_CLOEXEC, 0644);
	*cur = seg;
	if (*fd < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

static int meta_get(sq_store *s, const char *key, int64_t *v)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return sq_fail_db(s, "reading meta");
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : sq_fail_db(s, "reading meta");
}

static int meta_set(sq_store *s, const char *key, int64_t v)
{
	char sql[160];
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta(key, value) VALUES('%s', '%" PRId64 "')", key, v);
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sq_fail_db(s, "writing meta");
}

static int query_u64(sq_store *s, enum sq_stmt_id id, uint64_t *out, bool *null)
{
	sqlite3_stmt *q = sq_stmt(s, id);
	if (!q)
		return -1;
	int rc = sqlite3_step(q);
	*null = rc != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL;
	*out = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : sq_fail_db(s, "locating frame bytes");
}

static uint64_t env_segment(void)
{
	/* tests with tiny ceilings need tiny segments */
	const char *e = getenv("NETMON_FRAMES_SEGMENT");
	uint64_t v = e ? strtoull(e, NULL, 10) : 0;
	return v ? (v < SEG_MIN ? SEG_MIN : v) : SEG_DEFAULT;
}

/* First writable open of a database: fix the segment size, and keep an
 * old single frames file only if committed rows point into it. */
static int init_layout(sq_store *s, uint64_t used)
{
	s->seg_size = env_segment();
	s->legacy_end = used ? (used + s->seg_size - 1) / s->seg_size * s->seg_size : 0;
	if (!used)
		unlink(s->data_path); /* an earlier database's file, if any */
	if (meta_set(s, "frames_segment", (int64_t)s->seg_size) ||
	    meta_set(s, "frames_legacy_end", (int64_t)s->legacy_end))
		return -1;
	return 0;
}

static int read_layout(sq_store *s, uint64_t used)
{
	int64_t seg = 0, legacy = 0;
	int rc = meta_get(s, "frames_segment", &seg);
	if (rc < 0 || (rc == 1 && meta_get(s, "frames_legacy_end", &legacy) < 0))
		return -1;
	if (rc == 1 && seg > 0) {
		s->seg_size = (uint64_t)seg;
		s->legacy_end = (uint64_t)legacy;
		return 0;
	}
	if (s->base.readonly) { /* not migrated yet: all in the old file */
		s->seg_size = SEG_DEFAULT;
		s->legacy_end = UINT64_MAX;
		return 0;
	}
	return init_layout(s, used);
}

static int open_writer(sq_store *s)
{
	uint64_t used;
	bool none;
	sq_set_ceiling(&s->base, 0);
	if (query_u64(s, SQ_DATA_END, &used, &none) || read_layout(s, used))
		return -1;
	if (used < s->legacy_end)
		used = s->legacy_end; /* new bytes never go into the old file */
	s->data_end = used;
	return sq_data_cut_files(s) || sq_app_start(s) ? -1 : 0;
}

/*
 * The WAL is bounded at 1000 pages (64 MiB here, SQLite's default) unless a
 * disk ceiling is set.  A checkpoint copies the WAL into the database and
 * fdatasyncs both; done in the writer's commit at 64 pages, the bench
 * capture's import waited on one every commit (3.1-3.6 s instead of
 * 2.6-3.2 s).  The ceiling counts the WAL, which never shrinks on its own:
 * with one, bound it at 4 MiB and cut the file back to that.  The
 * checkpoints themselves run in sqlite_ckpt.c's thread when it runs.
 */
void sq_set_ceiling(nm_store *st, uint64_t bytes)
{
	sq_store *s = (sq_store *)st;
	int bound = bytes ? 64 : 1000;
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA journal_size_limit = %d", bound * 65536);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (s->ckpt)
		sq_ckpt_set(s, 64, bound);
	else
		sqlite3_wal_autocheckpoint(s->db, bound);
}

int sq_data_open(sq_store *s, const char *db_path, bool readonly)
{
	s->data_fd = -1;
	s->data_seg = -1;
	size_t n = strlen(db_path) + sizeof "-frames";
	if (n > 4000 || !(s->data_path = malloc(n)))
		return nm_store_fail(&s->base, "database path too long or out of memory");
	snprintf(s->data_path, n, "%s-frames", db_path);
	s->base.readonly = readonly;
	if (readonly)
		return read_layout(s, 0); /* files are opened at the first read */
	return open_writer(s);
}

void sq_data_close(sq_store *s)
{
	sq_app_stop(s);
	if (s->data_fd >= 0) {
		if (!s->base.readonly)
			fdatasync(s->data_fd);
		close(s->data_fd);
	}
	s->data_fd = -1;
	free(s->data_path);
	s->data_path = NULL;
	free(s->seg_gone);
	s->seg_gone = NULL;
	s->seg_gone_len = 0;
}

/* One pwrite/pread loop within a single file. */
static int io_in_seg(const sq_store *s, int *fd, int64_t *seg, bool wr, uint64_t off, uint8_t *buf, size_t len,
		     char *err, size_t errlen)
{
	uint64_t at;
	if (use_seg(s, fd, seg, seg_of(s, off, &at), err, errlen))
		return -1;
	for (size_t done = 0; done < len;) {
		ssize_t r = wr ? pwrite(*fd, buf + done, len - done, (off_t)(at + done))
		               : pread(*fd, buf + done, len - done, (off_t)(at + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s %s: %s", wr ? "writing" : "reading", s->data_path,
			         r < 0 ? strerror(errno) : "frame bytes missing");
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int sq_file_io(const sq_store *s, int *fd, int64_t *seg, bool wr, uint64_t off, uint8_t *buf, size_t len, char *err,
	       size_t errlen)
{
	while (len) {
		uint64_t r = room(s, off);
		size_t n = len < r ? len : (size_t)r;
		if (io_in_seg(s, fd, seg, wr, off, buf, n, err, errlen))
			return -1;
		off += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static int io(sq_store *s, bool wr, uint64_t off, uint8_t *buf, size_t len)
{
	char err[320];
	if (sq_file_io(s, &s->data_fd, &s->data_seg, wr, off, buf, len, err, sizeof err))
		return nm_store_fail(&s->base, "%s", err);
	return 0;
}

int sq_data_append(sq_store *s, uint8_t **buf, size_t *cap, size_t len, uint64_t *offset)
{
	*offset = s->data_end;
	if (s->app) {
		if (sq_app_submit(s, buf, cap, len, s->data_end))
			return -1;
	} else if (io(s, true, s->data_end, *buf, len)) {
		return -1;
	}
	s->data_end += len;
	return 0;
}

int sq_data_read(sq_store *s, uint64_t offset, void *buf, size_t len)
{
	if (sq_app_drain(s))
		return -1;
	return io(s, false, offset, buf, len);
}
