/*
 * api_extract.c - streamed output of filtered frames: field extraction
 * (frames/fields, the values `tshark -T fields` prints, occurrences joined
 * with ",") and export (frames/export, pcap or pcapng).
 *
 * The response is produced in slices: when MHD wants more, the next batch
 * of matching frames is scanned from where the last one stopped (keyset
 * position), formatted into a buffer, and handed out.  So memory stays
 * bounded however many frames match, and no query stays open between
 * reads.  The first batch is scanned before the status is sent (see
 * start()).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api_filter.h"

#define FILL_BYTES (256 * 1024)
#define MAX_FIELDS 64

enum out_fmt { F_CSV, F_NDJSON, F_JSON, F_PCAP, F_PCAPNG };

typedef struct stream {
	nm_fscan fs;
	nm_store *store;
	enum out_fmt fmt;
	const nm_field *fields[MAX_FIELDS];
	char *names[MAX_FIELDS];
	int nfields;
	int64_t cap;
	uint64_t num; /* keyset position of the last frame scanned */
	bool done, started, failed;
	int rc; /* of the last scan */
	uint64_t rows;
	char *buf;
	size_t len, cap_bytes, off;
	uint32_t linktypes[16]; /* pcapng interface per link type */
	int nlinks;
} stream;

static bool grow(stream *st, size_t more)
{
	if (st->len + more <= st->cap_bytes)
		return true;
	size_t cap = (st->len + more) * 2;
	char *b = realloc(st->buf, cap);
	if (!b)
		return false;
	st->buf = b;
	st->cap_bytes = cap;
	return true;
}

static void put(stream *st, const void *p, size_t n)
{
	if (n && grow(st, n)) {
		memcpy(st->buf + st->len, p, n);
		st->len += n;
	}
}

static void puts_(stream *st, const char *s)
{
	put(st, s, strlen(s));
}

/* ---- field extraction ---- */

/* Occurrences of field i in the tree, joined with "," (tshark's default
 * occurrence separator); false when there is none. */
static bool field_text(stream *st, int i, char *out, size_t n)
{
	const nm_tree *t = st->fs.tree;
	size_t used = 0;
	bool any = false;
	out[0] = '\0';
	for (int k = 0; k < t->count; k++) {
		const nm_node *nd = &t->nodes[k];
		if (nd->field != st->fields[i] || !nd->value || nd->proto)
			continue;
		size_t w = strlen(nd->value) + any;
		if (w >= n - used)
			break; /* longer than the buffer: keep what fits */
		if (any)
			out[used] = ',';
		memcpy(out + used + any, nd->value, w - any + 1);
		any = true;
		used += w;
	}
	return any;
}

static void csv_cell(stream *st, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		puts_(st, s);
		return;
	}
	puts_(st, "\"");
	for (; *s; s++)
		put(st, s, 1), (*s == '"' ? put(st, "\"", 1) : (void)0);
	puts_(st, "\"");
}

static void json_row(stream *st, const nm_frame_full *f, char *val, size_t n)
{
	cJSON *o = cJSON_CreateObject();
	nm_json_add_i64(o, "capture", f->row.capture_id);
	nm_json_add_u64(o, "number", f->row.number);
	for (int i = 0; i < st->nfields; i++)
		nm_json_add_str_or_null(o, st->names[i], field_text(st, i, val, n) ? val : NULL);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (st->fmt == F_JSON)
		puts_(st, st->rows ? ",\n" : "\n");
	if (text)
		puts_(st, text);
	free(text);
	if (st->fmt == F_NDJSON)
		puts_(st, "\n");
}

static void fields_row(stream *st, const nm_frame_full *f)
{
	static _Thread_local char val[65536];
	nm_fscan_dissect(&st->fs, f);
	if (st->fmt != F_CSV) {
		json_row(st, f, val, sizeof val);
		return;
	}
	for (int i = 0; i < st->nfields; i++) {
		if (i)
			puts_(st, ",");
		if (field_text(st, i, val, sizeof val))
			csv_cell(st, val);
	}
	puts_(st, "\r\n");
}

/* ---- pcap / pcapng ---- */

static void le32(stream *st, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	put(st, b, 4);
}

static void le16(stream *st, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(st, b, 2);
}

/* The pcapng interface for a link type, writing its IDB on first use
 * (nanosecond timestamps: if_tsresol = 9). */
static int pcapng_iface(stream *st, uint32_t linktype)
{
	for (int i = 0; i < st->nlinks; i++)
		if (st->linktypes[i] == linktype)
			return i;
	if (st->nlinks == 16)
		return -1;
	le32(st, 1), le32(st, 32), le16(st, (uint16_t)linktype), le16(st, 0), le32(st, 0);
	le16(st, 9), le16(st, 1), put(st, "\x09\0\0\0", 4); /* if_tsresol, padded */
	le32(st, 0);                                          /* opt_endofopt */
	le32(st, 32);
	st->linktypes[st->nlinks] = linktype;
	return st->nlinks++;
}

static void pcap_row(stream *st, const nm_frame_full *f)
{
	uint64_t ns = (uint64_t)f->row.ts_ns;
	if (st->fmt == F_PCAP) {
		if (!st->nlinks) { /* nanosecond pcap header, link type of the first frame */
			le32(st, 0xa1b23c4d), le16(st, 2), le16(st, 4), le32(st, 0), le32(st, 0);
			le32(st, 262144), le32(st, f->linktype);
			st->linktypes[st->nlinks++] = f->linktype;
		}
		if (f->linktype != st->linktypes[0])
			return; /* pcap holds one link type; pcapng has no such limit */
		le32(st, (uint32_t)(ns / 1000000000)), le32(st, (uint32_t)(ns % 1000000000));
		le32(st, f->row.caplen), le32(st, f->row.len);
		put(st, f->bytes, f->row.caplen);
		return;
	}
	if (!st->started) { /* section header block */
		le32(st, 0x0a0d0d0a), le32(st, 28), le32(st, 0x1a2b3c4d), le16(st, 1), le16(st, 0);
		le32(st, 0xffffffff), le32(st, 0xffffffff), le32(st, 28);
		st->started = true;
	}
	int ifc = pcapng_iface(st, f->linktype);
	if (ifc < 0)
		return;
	uint32_t pad = (4 - f->row.caplen % 4) % 4, total = 32 + f->row.caplen + pad;
	le32(st, 6), le32(st, total), le32(st, (uint32_t)ifc);
	le32(st, (uint32_t)(ns >> 32)), le32(st, (uint32_t)ns);
	le32(st, f->row.caplen), le32(st, f->row.len);
	put(st, f->bytes, f->row.caplen);
	put(st, "\0\0\0", pad);
	le32(st, total);
}

/* ---- the scan feeding the stream ---- */

static int on_frame(void *ctx, const nm_frame_full *f)
{
	stream *st = ctx;
	st->cap = f->row.capture_id;
	st->num = f->row.number;
	if (!nm_fscan_match(&st->fs, f, false))
		return 0;
	if (st->fmt == F_PCAP || st->fmt == F_PCAPNG)
		pcap_row(st, f);
	else
		fields_row(st, f);
	st->rows++;
	return st->len >= FILL_BYTES;
}

/* Append the next batch of output (the buffer is empty, except for the
 * header before the first batch). */
static void fill(stream *st)
{
	if (st->off == st->len)
		st->len = st->off = 0;
	nm_scan q = nm_fscan_query(&st->fs, st->cap, st->num, false, true);
	int rc = nm_store_scan(st->store, &q, on_frame, st);
	st->rc = rc;
	if (rc < 0) {
		/* headers are gone: say so in the body, the only place left */
		char msg[600];
		snprintf(msg, sizeof msg, "\n# error: %s\n", nm_store_errmsg(st->store));
		if (st->fmt != F_PCAP && st->fmt != F_PCAPNG)
			puts_(st, msg);
		st->failed = true;
	}
	if (rc <= 0 || st->len < FILL_BYTES)
		st->done = true;
	if (st->done && st->fmt == F_PCAP && !st->nlinks) /* nothing matched: a valid empty file */
		le32(st, 0xa1b23c4d), le16(st, 2), le16(st, 4), le32(st, 0), le32(st, 0), le32(st, 262144), le32(st, 1);
	if (st->done && st->fmt == F_PCAPNG && !st->started)
		le32(st, 0x0a0d0d0a), le32(st, 28), le32(st, 0x1a2b3c4d), le16(st, 1), le16(st, 0),
			le32(st, 0xffffffff), le32(st, 0xffffffff), le32(st, 28);
	if (st->done && st->fmt == F_JSON)
		puts_(st, st->rows ? "\n]\n" : "]\n");
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	stream *st = cls;
	if (st->off == st->len) {
		if (st->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		fill(st);
		if (st->off == st->len)
			return st->failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = st->len - st->off < max ? st->len - st->off : max;
	memcpy(out, st->buf + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void release(void *cls)
{
	stream *st = cls;
	nm_fscan_close(&st->fs);
	for (int i = 0; i < st->nfields; i++)
		free(st->names[i]);
	free(st->buf);
	free(st);
}

/* ---- requests ---- */

static enum MHD_Result start(nm_req *r, stream *st, const char *type, const char *disposition)
{
	if (st->fmt == F_JSON)
		puts_(st, "[");
	else if (st->fmt == F_CSV)
		for (int i = 0; i < st->nfields; i++)
			puts_(st, i ? "," : ""), puts_(st, st->names[i]);
	if (st->fmt == F_CSV)
		puts_(st, "\r\n");
	/* The first batch is scanned before answering, so a filter that fails
	 * or runs out of its budget there still gets its status (503 with a
	 * JSON error); only a later batch can fail after the 200. */
	fill(st);
	if (st->failed) {
		enum MHD_Result ret = nm_fscan_fail(r, st->store, st->rc);
		release(st);
		return ret;
	}
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, reader, st, release);
	if (!resp) {
		release(st);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (disposition)
		MHD_add_response_header(resp, "Content-Disposition", disposition);
	enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static stream *stream_new(nm_req *r, enum MHD_Result *ret)
{
	stream *st = calloc(1, sizeof *st);
	if (!st) {
		*ret = nm_json_error(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "out of memory");
		return NULL;
	}
	if (!(st->store = nm_api_store(r))) {
		free(st);
		*ret = MHD_YES;
		return NULL;
	}
	if (!nm_fscan_open(r, &st->fs, ret)) {
		free(st);
		return NULL;
	}
	return st;
}

static bool parse_fields(nm_req *r, stream *st, const char *list, enum MHD_Result *ret)
{
	char *copy = strdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const nm_field *f = nm_field_find(tok);
		if (!f || st->nfields == MAX_FIELDS) {
			const char *near = f ? NULL : nm_filter_closest(tok);
			*ret = nm_api_bad(r, "fields: %s%s%s%s", f ? "too many fields" : "unknown field ",
					  f ? "" : tok, near ? "; did you mean " : "", near ? near : "");
			free(copy);
			return false;
		}
		st->fields[st->nfields] = f;
		st->names[st->nfields++] = strdup(tok);
	}
	free(copy);
	if (!st->nfields)
		*ret = nm_api_bad(r, "fields: give at least one field name");
	return st->nfields > 0;
}

enum MHD_Result nm_api_frames_fields(nm_req *r)
{
	const char *format = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "format");
	const char *list = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "fields");
	enum out_fmt fmt = !format || !strcmp(format, "csv") ? F_CSV
			   : !strcmp(format, "ndjson")	      ? F_NDJSON
			   : !strcmp(format, "json")	      ? F_JSON
							      : F_PCAP;
	if (fmt == F_PCAP)
		return nm_api_bad(r, "format: must be csv, ndjson or json");
	if (!list)
		return nm_api_bad(r, "fields: required (comma-separated field names)");
	enum MHD_Result ret;
	stream *st = stream_new(r, &ret);
	if (!st)
		return ret;
	st->fmt = fmt;
	if (!parse_fields(r, st, list, &ret)) {
		release(st);
		return ret;
	}
	static const char *const types[] = {"text/csv; charset=utf-8", "application/x-ndjson", "application/json"};
	return start(r, st, types[fmt], NULL);
}

enum MHD_Result nm_api_frames_export(nm_req *r)
{
	const char *format = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "format");
	if (format && strcmp(format, "pcap") != 0 && strcmp(format, "pcapng") != 0)
		return nm_api_bad(r, "format: must be pcap or pcapng");
	enum MHD_Result ret;
	stream *st = stream_new(r, &ret);
	if (!st)
		return ret;
	st->fmt = format && !strcmp(format, "pcap") ? F_PCAP : F_PCAPNG;
	return start(r, st, "application/vnd.tcpdump.pcap",
		     st->fmt == F_PCAP ? "attachment; filename=\"netmon.pcap\""
				       : "attachment; filename=\"netmon.pcapng\"");
}
