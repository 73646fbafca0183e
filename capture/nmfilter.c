/*
 * nmfilter.c - Network Monitor's structured filter to a libpcap filter
 * expression (see nmfilter.h; the semantics are in docs/api.md).
 *
 * The output is a plain pcap-filter expression rather than hand-made BPF
 * so that the user sees exactly what runs (it is stored as the capture's
 * filter text), and so that libpcap works out link-layer and IPv4 header
 * offsets.  pcap-filter gives `and` and `or` the same precedence, so every
 * sub-expression is parenthesised.  A BPF load past the captured bytes
 * rejects the frame outright, even under `not`, so every byte pattern is
 * guarded by a length test evaluated before its loads.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/nmfilter.h"

typedef struct nf {
	char *out;
	size_t cap, len;
	char *err;
	size_t errlen;
	bool failed;
} nf;

__attribute__((format(printf, 2, 3))) static int bad(nf *c, const char *fmt, ...)
{
	if (!c->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	c->failed = true;
	return -1;
}

__attribute__((format(printf, 2, 3))) static void put(nf *c, const char *fmt, ...)
{
	if (c->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(c->out + c->len, c->cap - c->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= c->cap - c->len) {
		bad(c, "filter: too complex (its expression would pass %zu characters)", c->cap - 1);
		return;
	}
	c->len += (size_t)n;
}

/* Members other than `allowed` (NULL-terminated) are refused, so that a
 * misspelt key is an error and not a filter that silently passes all. */
static int only_keys(nf *c, const cJSON *o, const char *where, const char *const *allowed)
{
	for (const cJSON *it = o->child; it; it = it->next) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], it->string) != 0)
			i++;
		if (!allowed[i])
			return bad(c, "%s: unknown member '%s'", where, it->string);
	}
	return 0;
}

/* An integer in [min, max]: a JSON number, or a string in decimal or 0x hex. */
static int uint_in(nf *c, const cJSON *v, const char *where, unsigned min, unsigned max, unsigned *out)
{
	double d = -1;
	if (cJSON_IsNumber(v))
		d = v->valuedouble;
	else if (cJSON_IsString(v) && isdigit((unsigned char)v->valuestring[0])) {
		char *end;
		unsigned long u = strtoul(v->valuestring, &end, 0);
		d = *end == '\0' && u <= 0xffffffffUL ? (double)u : -1;
	}
	if (d < min || d > max || d != (double)(unsigned)d)
		return bad(c, "%s: must be an integer from %u to %u (0x%x to 0x%x; a number or a string)", where, min,
		           max, min, max);
	*out = (unsigned)d;
	return 0;
}

/* "include" (the default) or "exclude"; *exclude set accordingly. */
static int mode_of(nf *c, const cJSON *o, const char *where, bool *exclude)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "mode");
	*exclude = false;
	if (!m || cJSON_IsNull(m))
		return 0;
	if (cJSON_IsString(m) && strcmp(m->valuestring, "include") == 0)
		return 0;
	if (cJSON_IsString(m) && strcmp(m->valuestring, "exclude") == 0) {
		*exclude = true;
		return 0;
	}
	return bad(c, "%s.mode: must be \"include\" or \"exclude\"", where);
}

static void and_sep(nf *c)
{
	if (c->len)
		put(c, " and ");
}

/* etypes / saps: {"mode": ..., "list": [...]}; `term` prints one value. */
static int list_clause(nf *c, const cJSON *o, const char *name, unsigned min, unsigned max, const char *term)
{
	static const char *const keys[] = {"mode", "list", NULL};
	bool exclude;
	if (!cJSON_IsObject(o))
		return bad(c, "%s: must be an object like {\"mode\": \"include\", \"list\": [...]}", name);
	if (only_keys(c, o, name, keys) < 0 || mode_of(c, o, name, &exclude) < 0)
		return -1;
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "list");
	int n = cJSON_GetArraySize(l);
	if (!cJSON_IsArray(l) || n < 1 || n > NM_NF_MAX_LIST)
		return bad(c, "%s.list: must be an array of 1 to %d values", name, NM_NF_MAX_LIST);
	and_sep(c);
	put(c, "%s(", exclude ? "not " : "");
	int i = 0;
	for (const cJSON *v = l->child; v; v = v->next, i++) {
		char where[64];
		unsigned val;
		snprintf(where, sizeof where, "%s.list[%d]", name, i);
		if (uint_in(c, v, where, min, max, &val) < 0)
			return -1;
		put(c, i ? " or " : "");
		put(c, term, val);
	}
	put(c, ")");
	return 0;
}

enum akind { A_MAC, A_IP4, A_IP6 };

/* "00:11:22:33:44:55" or with dashes, any case: lower-case colon form. */
static bool parse_mac(const char *s, char *norm, size_t n)
{
	if (strlen(s) != 17 || n < 18)
		return false;
	for (int i = 0; i < 17; i++) {
		bool sep = i % 3 == 2;
		if (sep ? (s[i] != ':' && s[i] != '-') : !isxdigit((unsigned char)s[i]))
			return false;
		norm[i] = sep ? ':' : (char)tolower((unsigned char)s[i]);
	}
	norm[17] = '\0';
	return true;
}

static int parse_addr(nf *c, const cJSON *v, const char *where, char *norm, size_t n, enum akind *kind)
{
	unsigned char bin[16];
	const char *s = cJSON_IsString(v) ? v->valuestring : "";
	if (parse_mac(s, norm, n))
		*kind = A_MAC;
	else if (inet_pton(AF_INET, s, bin) == 1 && inet_ntop(AF_INET, bin, norm, (socklen_t)n))
		*kind = A_IP4;
	else if (inet_pton(AF_INET6, s, bin) == 1 && inet_ntop(AF_INET6, bin, norm, (socklen_t)n))
		*kind = A_IP6;
	else
		return bad(c, "%s: must be a MAC (00:11:22:33:44:55), IPv4 or IPv6 address", where);
	return 0;
}

typedef struct pair {
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	bool has_b, exclude;
	enum akind kind;
	int dir; /* 0 a_to_b, 1 b_to_a, 2 either */
} pair;

static int parse_dir(nf *c, const cJSON *o, const char *where, int *dir)
{
	static const char *const names[] = {"a_to_b", "b_to_a", "either"};
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "dir");
	*dir = 2;
	if (!d || cJSON_IsNull(d))
		return 0;
	for (int i = 0; i < 3; i++)
		if (cJSON_IsString(d) && strcmp(d->valuestring, names[i]) == 0) {
			*dir = i;
			return 0;
		}
	return bad(c, "%s.dir: must be \"a_to_b\", \"b_to_a\" or \"either\"", where);
}

static int parse_pair(nf *c, const cJSON *o, const char *where, pair *p)
{
	static const char *const keys[] = {"a", "b", "dir", "mode", NULL};
	char w[64];
	if (!cJSON_IsObject(o))
		return bad(c, "%s: must be an object like {\"a\": \"10.0.0.1\", \"b\": null}", where);
	if (only_keys(c, o, where, keys) < 0 || parse_dir(c, o, where, &p->dir) < 0 ||
	    mode_of(c, o, where, &p->exclude) < 0)
		return -1;
	snprintf(w, sizeof w, "%s.a", where);
	if (parse_addr(c, cJSON_GetObjectItemCaseSensitive(o, "a"), w, p->a, sizeof p->a, &p->kind) < 0)
		return -1;
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "b");
	p->has_b = b && !cJSON_IsNull(b);
	if (!p->has_b)
		return 0;
	enum akind kb;
	snprintf(w, sizeof w, "%s.b", where);
	if (parse_addr(c, b, w, p->b, sizeof p->b, &kb) < 0)
		return -1;
	if (kb != p->kind)
		return bad(c, "%s: a and b must be the same kind of address (MAC, IPv4 or IPv6)", where);
	return 0;
}

/* One pair as a parenthesised term. */
static void pair_term(nf *c, const pair *p)
{
	static const char *const src[] = {"ether src", "ip src host", "ip6 src host"};
	static const char *const dst[] = {"ether dst", "ip dst host", "ip6 dst host"};
	static const char *const any[] = {"ether host", "ip host", "ip6 host"};
	const char *x = p->dir == 1 ? p->b : p->a, *y = p->dir == 1 ? p->a : p->b;
	if (!p->has_b)
		put(c, "(%s %s)", (p->dir == 0 ? src : p->dir == 1 ? dst : any)[p->kind], p->a);
	else if (p->dir == 2 && strcmp(p->a, p->b) != 0) /* one each way round */
		put(c, "(%s %s and %s %s)", any[p->kind], p->a, any[p->kind], p->b);
	else
		put(c, "(%s %s and %s %s)", src[p->kind], x, dst[p->kind], y);
}

/* Include pairs OR'ed together, then AND NOT each exclude pair. */
static int addresses_clause(nf *c, const cJSON *arr)
{
	pair ps[NM_NF_MAX_PAIRS];
	int n = cJSON_GetArraySize(arr), inc = 0, i = 0;
	if (!cJSON_IsArray(arr) || n > NM_NF_MAX_PAIRS)
		return bad(c, "addresses: must be an array of at most %d address pairs", NM_NF_MAX_PAIRS);
	for (const cJSON *o = arr->child; o; o = o->next, i++) {
		char where[32];
		snprintf(where, sizeof where, "addresses[%d]", i);
		if (parse_pair(c, o, where, &ps[i]) < 0)
			return -1;
		inc += !ps[i].exclude;
	}
	if (n == 0)
		return 0;
	and_sep(c);
	put(c, "(");
	for (int k = 0, done = 0; k < n; k++)
		if (!ps[k].exclude) {
			put(c, done++ ? " or " : inc > 1 ? "(" : "");
			pair_term(c, &ps[k]);
		}
	put(c, inc > 1 ? ")" : "");
	for (int k = 0, first = !inc; k < n; k++)
		if (ps[k].exclude) {
			put(c, first ? "not " : " and not ");
			first = 0;
			pair_term(c, &ps[k]);
		}
	put(c, ")");
	return 0;
}

typedef struct pattern {
	uint8_t bytes[NM_NF_MAX_BYTES];
	unsigned n, offset;
	int from; /* 0 frame, 1 network, 2 transport */
	bool not ;
} pattern;

/* "4745" or "47:45" (colons and spaces ignored): 1 to NM_NF_MAX_BYTES bytes. */
static int parse_hex(nf *c, const cJSON *v, const char *where, pattern *p)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	unsigned digits = 0;
	p->n = 0;
	for (; s && *s; s++) {
		if (*s == ':' || *s == ' ')
			continue;
		if (!isxdigit((unsigned char)*s) || p->n >= NM_NF_MAX_BYTES)
			return bad(c, "%s.hex: must be 1 to %d bytes in hex, like \"474554\"", where, NM_NF_MAX_BYTES);
		unsigned d = (unsigned)(isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10);
		p->bytes[p->n] = (uint8_t)(digits % 2 ? p->bytes[p->n] << 4 | d : d);
		p->n += digits++ % 2;
	}
	if (!s || digits == 0 || digits % 2)
		return bad(c, "%s.hex: must be 1 to %d bytes in hex, like \"474554\"", where, NM_NF_MAX_BYTES);
	return 0;
}

static int parse_pattern(nf *c, const cJSON *o, const char *where, pattern *p)
{
	static const char *const keys[] = {"from", "offset", "hex", "not", NULL};
	static const char *const froms[] = {"frame", "network", "transport"};
	char w[64];
	if (!cJSON_IsObject(o))
		return bad(c, "%s: must be an object like {\"from\": \"frame\", \"offset\": 0, \"hex\": \"4745\"}",
		           where);
	if (only_keys(c, o, where, keys) < 0)
		return -1;
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "from");
	p->from = f ? -1 : 0;
	for (int i = 0; f && i < 3; i++)
		if (cJSON_IsString(f) && strcmp(f->valuestring, froms[i]) == 0)
			p->from = i;
	if (p->from < 0)
		return bad(c, "%s.from: must be \"frame\", \"network\" or \"transport\"", where);
	const cJSON *off = cJSON_GetObjectItemCaseSensitive(o, "offset");
	snprintf(w, sizeof w, "%s.offset", where);
	p->offset = 0;
	if (off && uint_in(c, off, w, 0, NM_NF_MAX_OFFSET, &p->offset) < 0)
		return -1;
	const cJSON *nt = cJSON_GetObjectItemCaseSensitive(o, "not");
	if (nt && !cJSON_IsBool(nt))
		return bad(c, "%s.not: must be true or false", where);
	p->not = cJSON_IsTrue(nt);
	return parse_hex(c, cJSON_GetObjectItemCaseSensitive(o, "hex"), where, p);
}

/* proto[base:4] == 0x... and ... : 4-, then 2-, then 1-byte comparisons. */
static void compares(nf *c, const char *proto, unsigned base, const pattern *p)
{
	for (unsigned i = 0, k; i < p->n; i += k) {
		k = p->n - i >= 4 ? 4 : p->n - i >= 2 ? 2 : 1;
		uint32_t v = 0;
		for (unsigned j = 0; j < k; j++)
			v = v << 8 | p->bytes[i + j];
		put(c, "%s%s[%u:%u] == 0x%0*x", i ? " and " : "", proto, base + i, k, (int)k * 2, (unsigned)v);
	}
}

/*
 * The length guards: the frame's length for "frame"; for "network" and
 * "transport" the IP packet's own length, which is also where Wireshark
 * ends the IP layer (padding after it is not part of the packet).
 * Transport is TCP or UDP over IPv4 (libpcap adds the IPv4 header length
 * and requires the first fragment) or right after a fixed IPv6 header.
 */
static void pattern_term(nf *c, const pattern *p)
{
	unsigned end = p->offset + p->n;
	put(c, "%s(", p->not ? "not " : "");
	if (p->from == 0) {
		put(c, "len >= %u and ", end);
		compares(c, "ether", p->offset, p);
	} else if (p->from == 1) {
		put(c, "(ip[2:2] >= %u and ", end);
		compares(c, "ip", p->offset, p);
		put(c, ") or (");
		if (end > 40) /* the fixed header is always there */
			put(c, "ip6[4:2] >= %u and ", end - 40);
		compares(c, "ip6", p->offset, p);
		put(c, ")");
	} else {
		put(c, "(ip[2:2] >= (ip[0] & 0xf) * 4 + %u and ((", end);
		compares(c, "tcp", p->offset, p);
		put(c, ") or (");
		compares(c, "udp", p->offset, p);
		put(c, "))) or ((ip6[6] == 6 or ip6[6] == 17) and ip6[4:2] >= %u and ", end);
		compares(c, "ip6", 40 + p->offset, p);
		put(c, ")");
	}
	put(c, ")");
}

/* An AND of ORs: [[p, p], [p]] is (p or p) and (p). */
static int patterns_clause(nf *c, const cJSON *arr)
{
	pattern ps[NM_NF_MAX_PATTERNS];
	int total = 0, g = 0;
	if (!cJSON_IsArray(arr))
		return bad(c, "patterns: must be an array of groups (arrays of patterns): [[{...}, {...}], [{...}]]");
	for (const cJSON *grp = arr->child; grp; grp = grp->next, g++) {
		int i = 0;
		if (!cJSON_IsArray(grp) || !grp->child)
			return bad(c, "patterns[%d]: must be a non-empty array of patterns (OR'ed)", g);
		and_sep(c);
		put(c, "(");
		for (const cJSON *o = grp->child; o; o = o->next, i++) {
			char where[32];
			snprintf(where, sizeof where, "patterns[%d][%d]", g, i);
			if (total >= NM_NF_MAX_PATTERNS)
				return bad(c, "patterns: at most %d byte patterns in all", NM_NF_MAX_PATTERNS);
			if (parse_pattern(c, o, where, &ps[total]) < 0)
				return -1;
			put(c, i ? " or " : "");
			pattern_term(c, &ps[total++]);
		}
		put(c, ")");
	}
	return 0;
}

/* What libpcap says of the expression, on an Ethernet capture. */
static int pcap_check(nf *c)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	if (!p)
		return bad(c, "filter: cannot check the expression (out of memory)");
	int rc = pcap_compile(p, &prog, c->out, 1, PCAP_NETMASK_UNKNOWN);
	if (rc == 0)
		pcap_freecode(&prog);
	else
		bad(c, "filter: libpcap refuses the compiled expression: %s", pcap_geterr(p));
	pcap_close(p);
	return rc == 0 ? 0 : -1;
}

int nm_nmfilter_compile(const cJSON *f, char *out, size_t outlen, char *err, size_t errlen)
{
	static const char *const keys[] = {"etypes", "saps", "addresses", "patterns", NULL};
	nf c = {.out = out, .cap = outlen, .err = err, .errlen = errlen};
	if (!out || outlen == 0)
		return -1;
	out[0] = '\0';
	if (!cJSON_IsObject(f))
		return bad(&c, "filter: must be a BPF expression (string) or a structured filter (object)");
	if (only_keys(&c, f, "filter", keys) < 0)
		return -1;
	const cJSON *et = cJSON_GetObjectItemCaseSensitive(f, "etypes");
	const cJSON *sap = cJSON_GetObjectItemCaseSensitive(f, "saps");
	const cJSON *ad = cJSON_GetObjectItemCaseSensitive(f, "addresses");
	const cJSON *pt = cJSON_GetObjectItemCaseSensitive(f, "patterns");
	/* an Etype is a type/length field value of 0x0600 or more; below
	 * that the field is a length and the frame has an 802.2 header */
	if (et && list_clause(&c, et, "etypes", 0x600, 0xffff, "ether proto 0x%04x") < 0)
		return -1;
	if (sap && list_clause(&c, sap, "saps", 0, 0xff, "(llc and ether[14] == 0x%02x)") < 0)
		return -1;
	if ((ad && addresses_clause(&c, ad) < 0) || (pt && patterns_clause(&c, pt) < 0))
		return -1;
	if (c.failed)
		return -1;
	return c.len ? pcap_check(&c) : 0;
}
