/*
 * check_dns_skim.c - the DNS ingest fast path must give the answer of the
 * full walk.
 *
 * Without a tree (the capture thread), once the Info column is full,
 * proto_dns.c only walks names for their length and outcome, skips record
 * formatting, and lets a name that is a lone pointer reuse the outcome of
 * the previous one to the same target.  With a tree it never does: every
 * name is decoded and shown.  So the same frame dissected with a tree is
 * the oracle for the summary the capture stores (info, flags with
 * malformed/truncated, protocol, protocols path, src, dst, flow).
 *
 * Frames: tests/dns_gen.c's hostile DNS/mDNS/LLMNR/DNS-over-TCP messages
 * (most fill the Info column, so the fast path is really taken), and every
 * DNS-family frame of the tcpdump corpus when it is there.
 * DNS_SKIM_PCAP=FILE writes the generated frames as a pcap (for tshark);
 * DNS_SKIM_SEED=N generates another sequence.
 */
#include <check.h>
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/dns_gen.h"
#include "tests/testlib.h"

#define GEN_FRAMES 10000
#define GEN_SEED   20261127u
#define SHOW_MAX   5 /* mismatches printed in full */

typedef struct tally {
	unsigned frames, full, full_flagged, mismatches;
	unsigned kinds[DNS_GEN_KINDS], kinds_full[DNS_GEN_KINDS];
} tally;

static bool info_full(const nm_packet *pk)
{
	return strlen(pk->info) + 1 >= sizeof pk->info;
}

static const char *str_or_null(const char *s)
{
	return s ? s : "(null)";
}

/* The first summary column that differs, or NULL. */
static const char *summary_diff(const nm_packet *a, const nm_packet *b)
{
	if (strcmp(a->info, b->info))
		return "info";
	if (a->flags != b->flags)
		return "flags";
	if (strcmp(str_or_null(a->protocol), str_or_null(b->protocol)))
		return "protocol";
	if (strcmp(a->protocols, b->protocols))
		return "protocols";
	if (strcmp(a->src, b->src) || strcmp(a->dst, b->dst))
		return "src/dst";
	if (memcmp(&a->flow, &b->flow, sizeof a->flow))
		return "flow";
	return NULL;
}

static void show_diff(const char *where, const char *what, const nm_packet *fast, const nm_packet *full)
{
	fprintf(stderr,
	        "%s: %s differs\n  no tree: flags=0x%x %s %s > %s [%s] %s\n  tree:    flags=0x%x %s %s > %s [%s] %s\n",
	        where, what, fast->flags, str_or_null(fast->protocol), fast->src, fast->dst, fast->protocols,
	        fast->info, full->flags, str_or_null(full->protocol), full->src, full->dst, full->protocols,
	        full->info);
}

/* Dissect one frame both ways and compare; counts into t.  Returns
 * whether its Info column was full. */
static bool compare_frame(tally *t, const char *where, uint32_t lt, const uint8_t *b, uint32_t caplen, uint32_t wirelen)
{
	static nm_packet fast, full; /* ~1 KB each */
	nm_test_dissect(&fast, lt, b, caplen, wirelen, false);
	nm_test_dissect(&full, lt, b, caplen, wirelen, true);
	t->frames++;
	const char *what = summary_diff(&fast, &full);
	if (what && t->mismatches++ < SHOW_MAX)
		show_diff(where, what, &fast, &full);
	if (info_full(&full)) {
		t->full++;
		t->full_flagged += (full.flags & (NM_PKT_MALFORMED | NM_PKT_TRUNCATED)) != 0;
	}
	nm_tree_free(full.tree);
	return info_full(&full);
}

/* ---- generated frames ---- */

static void pcap_put(FILE *f, const void *p, size_t n)
{
	if (f)
		fwrite(p, 1, n, f);
}

/* A classic little-endian pcap, Ethernet, for looking at a failure. */
static FILE *dump_open(void)
{
	const char *path = getenv("DNS_SKIM_PCAP");
	FILE *f = path && *path ? fopen(path, "wb") : NULL;
	const uint32_t head[6] = {0xa1b2c3d4, 2 | 4u << 16, 0, 0, 262144, 1};
	pcap_put(f, head, sizeof head);
	return f;
}

static void dump_frame(FILE *f, unsigned i, const dns_frame *fr)
{
	const uint32_t rec[4] = {1700000000u + i, 0, fr->caplen, fr->wirelen};
	pcap_put(f, rec, sizeof rec);
	pcap_put(f, fr->bytes, fr->caplen);
}

START_TEST(test_generated)
{
	nm_parsers_init();
	static dns_frame fr;
	/* DNS_SKIM_SEED=N explores other sequences (the suite runs the fixed one) */
	const char *env = getenv("DNS_SKIM_SEED");
	unsigned seed = env && *env ? (unsigned)strtoul(env, NULL, 0) : GEN_SEED;
	dns_gen g;
	dns_gen_seed(&g, seed);
	tally t = {0};
	FILE *dump = dump_open();
	for (unsigned i = 0; i < GEN_FRAMES; i++) {
		dns_gen_frame(&g, &fr);
		dump_frame(dump, i, &fr);
		char where[64];
		snprintf(where, sizeof where, "generated frame %u (seed %u)", i + 1, seed);
		t.kinds_full[fr.kind] += compare_frame(&t, where, 1 /* Ethernet */, fr.bytes, fr.caplen, fr.wirelen);
		t.kinds[fr.kind]++;
	}
	if (dump)
		fclose(dump);
	fprintf(stderr,
	        "generated: %u frames, %u with a full Info column (%u of those malformed or truncated), %u differ\n",
	        t.frames, t.full, t.full_flagged, t.mismatches);
	static const char *const kind_names[] = {"dns/udp 53", "mdns/udp 5353", "llmnr/udp 5355", "dns/tcp 53"};
	for (int k = 0; k < DNS_GEN_KINDS; k++)
		fprintf(stderr, "  %-15s %5u frames, %5u with Info full\n", kind_names[k], t.kinds[k], t.kinds_full[k]);
	ck_assert_msg(t.mismatches == 0, "%u of %u frames summarised differently without a tree", t.mismatches,
	              t.frames);
	/* The fast path only runs once Info is full: most frames must get there,
	 * with outcomes both clean and not (else the test proves little). */
	ck_assert_uint_ge(t.full * 4, t.frames);
	ck_assert_uint_ge(t.full_flagged * 10, t.full);
	ck_assert_uint_ge((t.full - t.full_flagged) * 10, t.full);
	for (int k = 0; k < DNS_GEN_KINDS; k++)
		ck_assert_msg(t.kinds_full[k] * 5 >= t.kinds[k], "%s: too few frames reach the fast path",
		              kind_names[k]);
}
END_TEST

/* ---- the oracle itself ---- */

/* An Ethernet/IPv4/UDP 53 frame of a response with `n` A records, each
 * owner "hNN.example" (a pointer to ".example" after the first). */
static uint32_t many_answers(uint8_t *b, unsigned n)
{
	static const uint8_t head[] = {0, 1,  2,  3, 4, 5,  6, 7, 8, 9,  10, 11, 8, 0, 0x45, 0,    0,    0, 0, 1, 0,
	                               0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0,  0,  1, 0, 53,   0x9c, 0x40, 0, 0, 0, 0};
	static const uint8_t dns[] = {0x12, 0x34, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0};
	uint32_t len = sizeof head;
	memcpy(b, head, len);
	memcpy(b + len, dns, sizeof dns);
	b[len + 7] = (uint8_t)n;
	len += sizeof dns;
	for (unsigned i = 0; i < n; i++) {
		len += (uint32_t)sprintf((char *)b + len, "%c%c%02u", 3, 'h', i);
		if (i == 0)
			len += (uint32_t)sprintf((char *)b + len, "%cexample", 7) + 1;
		else
			b[len++] = 0xc0, b[len++] = 12 + 4;
		static const uint8_t rr[] = {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2};
		memcpy(b + len, rr, sizeof rr);
		b[len + sizeof rr] = (uint8_t)i;
		len += sizeof rr + 1;
	}
	b[16] = (uint8_t)((len - 14) >> 8), b[17] = (uint8_t)(len - 14);
	b[38] = (uint8_t)((len - 34) >> 8), b[39] = (uint8_t)(len - 34);
	return len;
}

/* With a tree, every record is decoded after the Info column is full: else
 * the comparison above would hold the fast path to itself. */
START_TEST(test_tree_decodes_past_full_info)
{
	nm_parsers_init();
	static uint8_t b[4096];
	static char buf[8192];
	static nm_packet pk;
	uint32_t len = many_answers(b, 60);
	nm_test_dissect(&pk, 1, b, len, len, true);
	ck_assert(info_full(&pk));
	ck_assert_uint_eq(pk.flags & (NM_PKT_MALFORMED | NM_PKT_TRUNCATED), 0);
	ck_assert_str_eq(pk.protocols, "eth:ethertype:ip:udp:dns");
	const char *a = nm_test_values(&pk, "dns.a", buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(a, ",192.0.2.59"));
	ck_assert_ptr_nonnull(strstr(nm_test_values(&pk, "dns.resp.name", buf, sizeof buf), "h59.example"));
	nm_tree_free(pk.tree);
}
END_TEST

/* ---- the corpus's DNS-family frames ---- */

static bool dns_family(const char *protocols)
{
	return strstr(protocols, ":dns") || strstr(protocols, ":mdns") || strstr(protocols, ":llmnr");
}

/* Every frame of one file whose ingest path reaches a DNS-family protocol. */
static void corpus_file(tally *t, const char *dir, const char *name)
{
	char path[4096], err[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return; /* some corpus files are not captures libpcap reads */
	uint32_t lt = (uint32_t)pcap_datalink(p);
	struct pcap_pkthdr *h;
	const u_char *b;
	for (unsigned n = 1; pcap_next_ex(p, &h, &b) == 1; n++) {
		static nm_packet probe;
		nm_test_dissect(&probe, lt, b, h->caplen, h->len, false);
		if (!dns_family(probe.protocols))
			continue;
		char where[4200];
		snprintf(where, sizeof where, "%s frame %u", name, n);
		compare_frame(t, where, lt, b, h->caplen, h->len);
	}
	pcap_close(p);
}

START_TEST(test_corpus)
{
	nm_parsers_init();
	const char *dir = getenv("CORPUS");
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d) {
		fprintf(stderr, "corpus: skipped, no tcpdump-tests directory (set CORPUS=DIR)\n");
		return;
	}
	tally t = {0};
	unsigned files = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.' && (strstr(e->d_name, ".pcap") || strstr(e->d_name, ".cap")))
			corpus_file(&t, dir, e->d_name), files++;
	closedir(d);
	fprintf(stderr, "corpus: %u files, %u DNS-family frames, %u with a full Info column, %u differ\n", files,
	        t.frames, t.full, t.mismatches);
	ck_assert_msg(t.mismatches == 0, "%u of %u corpus frames summarised differently without a tree", t.mismatches,
	              t.frames);
	ck_assert_uint_gt(t.frames, 0);
}
END_TEST

static Suite *skim_suite(void)
{
	Suite *s = suite_create("dns_skim");
	TCase *tc = tcase_create("tree_vs_ingest");
	tcase_set_timeout(tc, 600); /* the sanitizer build on a loaded machine */
	tcase_add_test(tc, test_tree_decodes_past_full_info);
	tcase_add_test(tc, test_generated);
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(skim_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
