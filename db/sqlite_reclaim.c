/*
 * sqlite_reclaim.c - which frames segment files rows still need, so that
 * retention can delete the others (the files are in sqlite_datafile.c).
 *
 * A capture's chunks are written in frame order, so its bytes lie between
 * its first chunk's start and its last chunk's end; a segment no capture's
 * range touches is dead.  Captures written one after the other leave dead
 * segments between their ranges (an old capture keeping its newest frames
 * under its own limit), not only below them, so every gap is reclaimed.
 * Captures written at the same time interleave their chunks, and a segment
 * goes only when none of them needs it any more.  Deleted segments are
 * remembered in a bitmap, so each is deleted once.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/sqlite_int.h"

typedef struct range {
	uint64_t lo, hi;
} range;

typedef struct ranges {
	range *r;
	size_t n, cap;
} ranges;

static int by_lo(const void *a, const void *b)
{
	const range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int add_range(ranges *rs, uint64_t lo, uint64_t hi)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		range *p = realloc(rs->r, cap * sizeof *p);
		if (!p)
			return -1;
		rs->r = p;
		rs->cap = cap;
	}
	rs->r[rs->n++] = (range){lo, hi};
	return 0;
}

/* The byte ranges rows refer to, sorted and merged. */
static int live_ranges(sq_store *s, ranges *rs)
{
	memset(rs, 0, sizeof *rs);
	sqlite3_stmt *q = sq_stmt(s, SQ_DATA_RANGES);
	if (!q)
		return -1;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (sqlite3_column_type(q, 0) != SQLITE_NULL &&
		    add_range(rs, (uint64_t)sqlite3_column_int64(q, 0), (uint64_t)sqlite3_column_int64(q, 1))) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		free(rs->r);
		return sq_fail_db(s, "locating frame bytes");
	}
	if (rs->n) /* qsort wants a valid pointer even for nothing */
		qsort(rs->r, rs->n, sizeof *rs->r, by_lo);
	size_t m = 0;
	for (size_t i = 0; i < rs->n; i++) {
		if (m && rs->r[i].lo <= rs->r[m - 1].hi)
			rs->r[m - 1].hi = rs->r[i].hi > rs->r[m - 1].hi ? rs->r[i].hi : rs->r[m - 1].hi;
		else
			rs->r[m++] = rs->r[i];
	}
	rs->n = m;
	return 0;
}

/* Whether any range overlaps [lo, hi). */
static bool needed(const ranges *rs, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = rs->n;
	while (a < b) { /* first range ending after lo */
		size_t mid = (a + b) / 2;
		if (rs->r[mid].hi <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	return a < rs->n && rs->r[a].lo < hi;
}

static bool gone(const sq_store *s, uint64_t seg)
{
	return seg / 8 < s->seg_gone_len && (s->seg_gone[seg / 8] >> (seg % 8) & 1);
}

static void set_gone(sq_store *s, uint64_t seg)
{
	if (seg / 8 >= s->seg_gone_len) {
		size_t len = seg / 8 + 1 > 2 * s->seg_gone_len ? seg / 8 + 1 : 2 * s->seg_gone_len;
		uint8_t *p = realloc(s->seg_gone, len);
		if (!p)
			return; /* only costs a repeated unlink */
		memset(p + s->seg_gone_len, 0, len - s->seg_gone_len);
		s->seg_gone = p;
		s->seg_gone_len = len;
	}
	s->seg_gone[seg / 8] |= (uint8_t)(1u << (seg % 8));
}

/* The segment being appended to is needed even before a row points in. */
static uint64_t end_seg(const sq_store *s)
{
	return s->data_end / s->seg_size;
}

static uint64_t first_seg(const sq_store *s)
{
	uint64_t above_legacy = (s->legacy_end + s->seg_size - 1) / s->seg_size;
	return s->seg_lo > above_legacy ? s->seg_lo : above_legacy;
}

static void drop_seg(sq_store *s, int64_t seg)
{
	char name[4200];
	if (s->data_fd >= 0 && s->data_seg == seg) {
		close(s->data_fd);
		s->data_fd = -1;
	}
	sq_seg_name(s, seg, name, sizeof name);
	if (unlink(name) != 0 && errno != ENOENT)
		fprintf(stderr, "netmon: store: deleting %s: %s\n", name, strerror(errno));
}

static void reclaim_with(sq_store *s, const ranges *rs)
{
	if (s->legacy_end && s->legacy_end != UINT64_MAX && !needed(rs, 0, s->legacy_end))
		drop_seg(s, SQ_SEG_LEGACY);
	for (uint64_t g = first_seg(s); g < end_seg(s); g++)
		if (!gone(s, g) && !needed(rs, g * s->seg_size, (g + 1) * s->seg_size)) {
			drop_seg(s, (int64_t)g);
			set_gone(s, g);
		}
	while (s->seg_lo < end_seg(s) && (gone(s, s->seg_lo) || s->seg_lo < first_seg(s)))
		s->seg_lo++;
}

/* After a commit: delete the files no row needs. */
int sq_data_reclaim(sq_store *s)
{
	ranges rs;
	if (sq_app_drain(s) || live_ranges(s, &rs))
		return -1;
	reclaim_with(s, &rs);
	free(rs.r);
	return 0;
}

/* Segment number of a directory entry named "<base>-frames.NNNNNN", or -1. */
static int64_t seg_number(const char *entry, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(entry, base, n) != 0 || strncmp(entry + n, "-frames.", 8) != 0 || strlen(entry + n + 8) != 6)
		return -1;
	char *end;
	long long v = strtoll(entry + n + 8, &end, 10);
	return *end || v < 0 ? -1 : v;
}

/* Cut a file to what committed rows use; false when it does not exist. */
static bool cut_seg(sq_store *s, int64_t seg, uint64_t used)
{
	char name[4200];
	struct stat st;
	uint64_t start = seg == SQ_SEG_LEGACY ? 0 : (uint64_t)seg * s->seg_size;
	sq_seg_name(s, seg, name, sizeof name);
	if (stat(name, &st) != 0)
		return false;
	if (start >= used && start > 0)
		return unlink(name), false;
	if (start + (uint64_t)st.st_size > used && truncate(name, (off_t)(used - start)) != 0)
		fprintf(stderr, "netmon: store: cannot cut %s: %s\n", name, strerror(errno));
	return true;
}

/* The lowest segment number in the directory, cutting each as it goes. */
static int scan_dir(sq_store *s, int64_t *lo)
{
	char dirbuf[4200];
	snprintf(dirbuf, sizeof dirbuf, "%s", s->data_path);
	char *slash = strrchr(dirbuf, '/');
	const char *dir = slash ? (slash == dirbuf ? "/" : dirbuf) : ".";
	char base[4200];
	snprintf(base, sizeof base, "%s", slash ? slash + 1 : dirbuf);
	base[strlen(base) - strlen("-frames")] = '\0';
	if (slash)
		*slash = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return nm_store_fail(&s->base, "%s: %s", dir, strerror(errno));
	*lo = INT64_MAX;
	for (struct dirent *e; (e = readdir(d));) {
		int64_t seg = seg_number(e->d_name, base);
		if (seg >= 0 && (uint64_t)seg * s->seg_size >= s->legacy_end && cut_seg(s, seg, s->data_end) &&
		    seg < *lo)
			*lo = seg;
	}
	closedir(d);
	return 0;
}

/*
 * At open: bytes past what committed rows refer to (a crash before
 * commit, a rejected batch) are cut off, and files no row needs (an
 * eviction interrupted between its commit and its deletes) are deleted,
 * so the files never grow without end.  Missing segments are marked gone.
 */
int sq_data_cut_files(sq_store *s)
{
	int64_t lo = INT64_MAX;
	if (scan_dir(s, &lo))
		return -1;
	if (s->legacy_end)
		cut_seg(s, SQ_SEG_LEGACY, s->data_end);
	s->seg_lo = lo == INT64_MAX ? end_seg(s) : (uint64_t)lo;
	for (uint64_t g = first_seg(s); g < end_seg(s); g++) {
		char name[4200];
		sq_seg_name(s, (int64_t)g, name, sizeof name);
		if (access(name, F_OK) != 0)
			set_gone(s, g);
	}
	return sq_data_reclaim(s);
}

static uint64_t allocated(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
}

/* The frames files as they are, and as they will be once the files no
 * row needs are deleted (frames_live). */
int sq_data_space(sq_store *s, nm_space *out)
{
	ranges rs;
	if (live_ranges(s, &rs))
		return -1;
	out->frames_bytes = out->frames_live = 0;
	if (s->legacy_end && s->legacy_end != UINT64_MAX) {
		uint64_t n = allocated(s->data_path);
		out->frames_bytes += n;
		out->frames_live += needed(&rs, 0, s->legacy_end) ? n : 0;
	}
	for (uint64_t g = first_seg(s); g <= end_seg(s); g++) {
		if (gone(s, g))
			continue;
		uint64_t lo = g * s->seg_size, hi = g == end_seg(s) ? s->data_end : lo + s->seg_size;
		out->frames_bytes += hi - lo;
		if (g == end_seg(s) || needed(&rs, lo, lo + s->seg_size))
			out->frames_live += hi - lo;
	}
	free(rs.r);
	return 0;
}
