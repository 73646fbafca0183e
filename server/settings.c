/*
 * settings.c - the configuration file.
 *
 * One declarative table maps each (section, key) to a member of
 * nm_options and how to read it, so a new setting is one line here and
 * one line in data/netmond.conf.  Anything unknown or malformed stops the
 * daemon with "FILE:LINE: reason" before it opens the database: a typo in
 * a limit must not silently mean "no limit".
 */
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/notify.h"
#include "capture/reasm.h"
#include "capture/series.h"
#include "parsers/dissect.h"
#include "server/settings.h"
#include "server/upload.h"

typedef enum { K_STR, K_BOOL, K_NUM, K_SIZE, K_AGE, K_AGE_NS } key_kind;

typedef struct key {
	const char *section, *name;
	key_kind kind;
	void *base;    /* NULL: a member of nm_options; else of this global */
	size_t off;    /* offset of the member */
	size_t width;  /* sizeof the member, for K_NUM/K_SIZE/K_AGE */
	uint64_t min, max;
} key;

#define OPT(sec, nm, kind, m, lo, hi) {sec, nm, kind, NULL, offsetof(nm_options, m), sizeof(((nm_options *)0)->m), lo, hi}
#define GLOBAL(sec, nm, kind, var, lo, hi) {sec, nm, kind, &var, 0, sizeof var, lo, hi}
#define NOTE(nm, kind, m) {"notify", nm, kind, &nm_notify, offsetof(nm_notify_conf, m), sizeof(((nm_notify_conf *)0)->m), 0, 0}

static const key keys[] = {
	OPT("server", "listen", K_STR, listen, 0, 0),
	OPT("server", "webdir", K_STR, webdir, 0, 0),
	OPT("server", "plugins", K_STR, plugins, 0, 0),
	OPT("server", "http", K_BOOL, http, 0, 0),
	GLOBAL("server", "upload_max", K_SIZE, nm_upload_max, 1024, INT64_MAX),
	OPT("capture", "interface", K_STR, pipe.src.iface, 0, 0),
	OPT("capture", "read", K_STR, pipe.src.file, 0, 0),
	OPT("capture", "filter", K_STR, pipe.src.filter, 0, 0),
	OPT("capture", "snaplen", K_NUM, pipe.src.snaplen, 1, 262144),
	OPT("capture", "promiscuous", K_BOOL, pipe.src.promisc, 0, 0),
	OPT("capture", "queue", K_NUM, pipe.pool_batches, 1, 4096),
	OPT("capture", "batch", K_NUM, pipe.batch_frames, 1, 65536),
	OPT("capture", "max_flows", K_NUM, pipe.max_flows, 16, 1 << 26),
	OPT("capture", "max_stations", K_NUM, pipe.max_stations, 16, 1 << 24),
	GLOBAL("capture", "reassembly_max_datagrams", K_NUM, nm_reasm_max_datagrams, 1, 1 << 24),
	GLOBAL("capture", "reassembly_max_bytes", K_SIZE, nm_reasm_max_bytes, 65536, 1ull << 36),
	GLOBAL("capture", "reassembly_timeout", K_AGE_NS, nm_reasm_timeout_ns, 1, 86400),
	OPT("capture", "max_frames", K_NUM, pipe.src.limits.frames, 1, INT64_MAX),
	OPT("capture", "max_bytes", K_SIZE, pipe.src.limits.bytes, 1, INT64_MAX),
	OPT("capture", "max_age", K_AGE, pipe.src.limits.age_s, 1, INT64_MAX),
	OPT("storage", "db", K_STR, pipe.db_path, 0, 0),
	OPT("storage", "max_frames", K_NUM, pipe.db_limits.frames, 1, INT64_MAX),
	OPT("storage", "max_bytes", K_SIZE, pipe.db_limits.bytes, 1, INT64_MAX),
	OPT("storage", "max_age", K_AGE, pipe.db_limits.age_s, 1, INT64_MAX),
	OPT("storage", "ceiling", K_SIZE, pipe.db_ceiling, 1 << 20, INT64_MAX),
	/* time series levels; 0 keeps every bucket */
	GLOBAL("storage", "series_1s_keep", K_AGE, nm_series_keep_s[0], 0, 3155760000u),
	GLOBAL("storage", "series_1m_keep", K_AGE, nm_series_keep_s[1], 0, 3155760000u),
	GLOBAL("storage", "series_1h_keep", K_AGE, nm_series_keep_s[2], 0, 3155760000u),
	NOTE("webhook", K_STR, webhook_url),
	NOTE("command", K_STR, command),
	NOTE("syslog", K_BOOL, syslog),
};

/* ---- value syntax ---- */

static bool parse_scaled(const char *s, const char *units, const uint64_t *scale, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-' || *s == '+')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	uint64_t mul = 1;
	if (*end) {
		const char *u = end[1] == '\0' ? strchr(units, end[0]) : NULL;
		if (!u || !*end)
			return false;
		mul = scale[u - units];
	}
	if (v > UINT64_MAX / mul)
		return false;
	*out = (uint64_t)v * mul;
	return true;
}

bool nm_parse_size(const char *s, uint64_t *out)
{
	static const uint64_t scale[] = {1024, 1024 * 1024, 1024ull * 1024 * 1024, 1024ull * 1024 * 1024 * 1024};
	return parse_scaled(s, "KMGT", scale, out) && *out <= INT64_MAX;
}

bool nm_parse_age(const char *s, int64_t *out)
{
	static const uint64_t scale[] = {1, 60, 3600, 86400, 7 * 86400};
	uint64_t v;
	if (!parse_scaled(s, "smhdw", scale, &v) || v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

static int parse_bool(const char *s)
{
	static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

static void store_uint(void *p, size_t width, uint64_t v)
{
	switch (width) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

/* ---- [decode-as]: "tcp.port 8081 = http", Wireshark's Decode As ---- */

#define MAX_DECODE_AS 256
typedef struct decode_as {
	nm_table table;
	uint32_t key;
	char proto[32]; /* "none": remove the entry */
	const char *path; /* of the file, for the error message */
	int line;
} decode_as;
static decode_as decodes[MAX_DECODE_AS];
static size_t ndecodes;

static const struct {
	const char *name;
	nm_table table;
	uint32_t max;
} decode_tables[] = {
	{"tcp.port", NM_TAB_TCP_PORT, 65535},
	{"udp.port", NM_TAB_UDP_PORT, 65535},
	{"ip.proto", NM_TAB_IP_PROTO, 255},
	{"eth.type", NM_TAB_ETHERTYPE, 65535},
};

static const char *add_decode_as(const char *name, const char *value, const char *path, int line)
{
	char table[16];
	unsigned long k;
	char *end;
	const char *sp = strchr(name, ' ');
	if (!sp || (size_t)(sp - name) >= sizeof table)
		return "expected 'TABLE VALUE = PROTOCOL' (e.g. 'tcp.port 8081 = http')";
	memcpy(table, name, (size_t)(sp - name));
	table[sp - name] = '\0';
	errno = 0;
	k = strtoul(sp + 1, &end, 0);
	if (errno || end == sp + 1 || *end)
		return "the table value must be a number (port, protocol or ethertype)";
	for (size_t i = 0; i < sizeof decode_tables / sizeof decode_tables[0]; i++) {
		if (strcmp(table, decode_tables[i].name) != 0)
			continue;
		if (k > decode_tables[i].max)
			return "value out of range for this table";
		if (ndecodes == MAX_DECODE_AS)
			return "too many [decode-as] entries (256 at most)";
		if (strlen(value) >= sizeof decodes[0].proto)
			return "protocol name too long";
		decode_as *d = &decodes[ndecodes++];
		*d = (decode_as){decode_tables[i].table, (uint32_t)k, "", path, line};
		strcpy(d->proto, value);
		return NULL;
	}
	return "unknown table (tcp.port, udp.port, ip.proto or eth.type)";
}

int nm_config_apply_decode_as(char *err, size_t errlen)
{
	for (size_t i = 0; i < ndecodes; i++) {
		const decode_as *d = &decodes[i];
		const nm_protocol *p = NULL;
		if (strcmp(d->proto, "none") != 0 && !(p = nm_protocol_find(d->proto))) {
			snprintf(err, errlen, "%s:%d: [decode-as] unknown protocol '%s' (see GET /api/v1/protocols)",
				 d->path, d->line, d->proto);
			return -1;
		}
		nm_handoff_set(d->table, d->key, p);
	}
	return 0;
}

/* ---- the file ---- */

/* inih's handler gets no line number in Debian's build, so the reader
 * counts lines: an entry is handled right after its line is read. */
typedef struct load_ctx {
	nm_options *o;
	char *err;
	size_t errlen;
	const char *path;
	FILE *f;
	int lines;   /* read so far */
	bool failed; /* err holds the first error */
} load_ctx;

static char *read_line(char *str, int num, void *stream)
{
	load_ctx *c = stream;
	char *r = fgets(str, num, c->f);
	if (r)
		c->lines++;
	return r;
}

/* The file's strings live as long as the process, whether or not the
 * command line then overrides them: kept here, leak checkers see them. */
static char *keep_string(const char *v)
{
	static char **kept;
	static size_t nkept;
	char **grown = realloc(kept, (nkept + 1) * sizeof *kept);
	if (!grown)
		return NULL;
	kept = grown;
	char *s = strdup(v);
	if (s)
		kept[nkept++] = s;
	return s;
}

static const char *set_value(nm_options *o, const key *k, const char *v)
{
	void *p = (k->base ? (char *)k->base : (char *)o) + k->off;
	uint64_t n = 0;
	int64_t age;
	switch (k->kind) {
	case K_STR:
		if (!(*(char **)p = keep_string(v)))
			return "out of memory";
		return NULL;
	case K_BOOL: {
		int b = parse_bool(v);
		if (b < 0)
			return "expected yes or no";
		store_uint(p, k->width, (uint64_t)b);
		return NULL;
	}
	case K_NUM:
		if (!parse_scaled(v, "", NULL, &n))
			return "expected a whole number";
		break;
	case K_SIZE:
		if (!nm_parse_size(v, &n))
			return "expected a size: a number of bytes, or with K, M, G or T (1024-based)";
		break;
	case K_AGE:
	case K_AGE_NS:
		if (!nm_parse_age(v, &age))
			return "expected an age: seconds, or a number with s, m, h, d or w";
		n = (uint64_t)age;
		break;
	}
	if (n < k->min || n > k->max)
		return "value out of range";
	if (k->kind == K_AGE_NS)
		n *= 1000000000u;
	store_uint(p, k->width, n);
	return NULL;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	load_ctx *c = user;
	int line = c->lines;
	const char *why = NULL;
	if (strcmp(section, "decode-as") == 0) {
		why = add_decode_as(name, value, c->path, line);
	} else {
		const key *k = NULL;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !k; i++)
			if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
				k = &keys[i];
		why = k ? set_value(c->o, k, value) : "unknown setting (see data/netmond.conf for every setting)";
	}
	if (why && !c->failed) {
		c->failed = true;
		snprintf(c->err, c->errlen, "%s:%d: [%s] %s: %s", c->path, line, section, name, why);
	}
	return why == NULL;
}

int nm_config_load(const char *path, nm_options *o, char *err, size_t errlen)
{
	/* kept for the process's life: [decode-as] errors are reported after
	 * the file is closed (a static root, so leak checkers see it is kept) */
	static char *kept_path;
	free(kept_path);
	kept_path = strdup(path);
	load_ctx c = {o, err, errlen, kept_path, fopen(path, "r"), 0, false};
	if (!c.f || !c.path) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = ini_parse_stream(read_line, &c, on_entry, &c);
	fclose(c.f);
	if (rc != 0 && !c.failed) /* a syntax error inih found itself */
		snprintf(err, errlen, "%s:%d: not 'key = value', '[section]' or a comment", path, rc);
	return rc != 0 ? -1 : 0;
}
