/*
 * upload.c - capture files uploaded over HTTP.
 *
 * The body goes straight to a spool file in a private directory beside the
 * database (same file system, so no copy of gigabytes to /tmp), and only
 * the first bytes are looked at before the capture manager opens it.  Once
 * libpcap has the file open it is unlinked: the import reads it through the
 * open descriptor and nothing is left behind when it ends, whatever way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/manager.h"
#include "server/api.h"
#include "server/api_ctl.h"
#include "server/json.h"
#include "server/upload.h"

uint64_t nm_upload_max = 1ull << 30;

struct nm_upload {
	int fd;
	char dir[4096];  /* <db>-uploads/XXXXXX */
	char path[4200]; /* dir/upload, renamed to dir/<name> at the end */
	uint64_t len;
	int err; /* errno of the first failed write */
	bool too_large;
};

bool nm_upload_is(const char *method, const char *url)
{
	return strcmp(method, MHD_HTTP_METHOD_POST) == 0 && strcmp(url, "/api/v1/captures/upload") == 0;
}

nm_upload *nm_upload_begin(const char *db_path, char *err, size_t errlen)
{
	nm_upload *u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	char parent[4000];
	if ((size_t)snprintf(parent, sizeof parent, "%s-uploads", db_path) >= sizeof parent) {
		snprintf(err, errlen, "database path too long for an upload directory");
		free(u);
		return NULL;
	}
	if (mkdir(parent, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", parent, strerror(errno));
		free(u);
		return NULL;
	}
	snprintf(u->dir, sizeof u->dir, "%s/XXXXXX", parent);
	if (!mkdtemp(u->dir)) {
		snprintf(err, errlen, "cannot create a spool directory in %s: %s", parent, strerror(errno));
		free(u);
		return NULL;
	}
	snprintf(u->path, sizeof u->path, "%s/upload", u->dir);
	if ((u->fd = open(u->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", u->path, strerror(errno));
		rmdir(u->dir);
		free(u);
		return NULL;
	}
	return u;
}

void nm_upload_data(nm_upload *u, const char *data, size_t n)
{
	u->len += n;
	if (u->len > nm_upload_max)
		u->too_large = true;
	while (n && !u->err && !u->too_large) {
		ssize_t w = write(u->fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			u->err = errno;
			break;
		}
		data += w, n -= (size_t)w;
	}
}

/* pcap (either byte order, micro- or nanosecond) or pcapng. */
static bool capture_magic(const unsigned char m[4])
{
	static const unsigned char magic[][4] = {{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4},
						 {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d},
						 {0x0a, 0x0d, 0x0d, 0x0a}};
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (memcmp(m, magic[i], 4) == 0)
			return true;
	return false;
}

/* The uploaded file's name, without directories, as the capture's source. */
static void safe_name(struct MHD_Connection *c, char *out, size_t cap)
{
	const char *n = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "name");
	const char *base = n ? strrchr(n, '/') : NULL;
	n = base ? base + 1 : n;
	if (!n || !*n || strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
		n = "upload.pcap";
	snprintf(out, cap, "%s", n);
}

static enum MHD_Result check_body(nm_upload *u, struct MHD_Connection *c, bool *ok)
{
	unsigned char m[4];
	*ok = false;
	if (u->too_large)
		return nm_json_error(c, 413, "too_large", "upload over the limit of %llu bytes",
				     (unsigned long long)nm_upload_max);
	if (u->err)
		return nm_json_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "storing the upload failed: %s",
				     strerror(u->err));
	if (u->len < 4 || pread(u->fd, m, 4, 0) != 4)
		return nm_json_error(c, MHD_HTTP_BAD_REQUEST, "bad_parameter",
				     "the body is not a capture file: %llu bytes, a pcap or pcapng file is longer",
				     (unsigned long long)u->len);
	if (!capture_magic(m))
		return nm_json_error(c, MHD_HTTP_BAD_REQUEST, "bad_parameter",
				     "the body is not a pcap or pcapng file (it starts %02x %02x %02x %02x)", m[0], m[1],
				     m[2], m[3]);
	*ok = true;
	return MHD_YES;
}

enum MHD_Result nm_upload_answer(nm_upload *u, struct MHD_Connection *c)
{
	bool ok;
	enum MHD_Result r = check_body(u, c, &ok);
	if (!ok)
		return r;
	char name[128], final[sizeof u->path];
	safe_name(c, name, sizeof name);
	if ((size_t)snprintf(final, sizeof final, "%s/%s", u->dir, name) < sizeof final && rename(u->path, final) == 0)
		memcpy(u->path, final, sizeof final);
	nm_source_opts src = {.file = u->path};
	char err[512] = "";
	int64_t id = 0;
	int rc = nm_mgr_start(&src, &id, err, sizeof err);
	if (rc != NM_MGR_OK)
		return nm_json_error(c, rc == NM_MGR_BAD ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_INTERNAL_SERVER_ERROR,
				     rc == NM_MGR_BAD ? "bad_parameter" : "internal", "%s", err);
	nm_capture_view v;
	if (!nm_mgr_get(id, &v))
		return nm_json_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "capture %lld vanished",
				     (long long)id);
	return nm_json_respond(c, MHD_HTTP_CREATED, nm_api_capture_view_json(&v));
}

void nm_upload_free(nm_upload *u)
{
	if (!u)
		return;
	/* the import, if it started, holds the file open: unlinking is safe */
	close(u->fd);
	unlink(u->path);
	rmdir(u->dir);
	free(u);
}
