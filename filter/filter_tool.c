/*
 * filter_tool.c - run a display filter over a capture file without the
 * database: `filter_tool FILE FILTER` prints the number of matching frames
 * (like `tshark -r FILE -Y FILTER | wc -l`); `filter_tool -c FILTER`
 * checks a filter and prints its SQL push-down.  For quick comparisons
 * with tshark and for timing the evaluator alone.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "filter/filter.h"

static int check(const char *text)
{
	nm_filter_error err;
	nm_filter *f = nm_filter_compile(text, &err);
	if (!f) {
		printf("error at %d+%d: %s\n", err.pos, err.len, err.msg);
		return 1;
	}
	bool exact;
	char *sql = nm_filter_sql(f, &exact);
	char *cand = nm_filter_candidates(f);
	printf("ok sql=%s exact=%d\n", sql, exact);
	if (cand)
		printf("candidates=%s\n", cand);
	free(sql);
	free(cand);
	nm_filter_free(f);
	return 0;
}

int main(int argc, char **argv)
{
	nm_parsers_init();
	if (argc == 3 && argv[1][0] == '-' && argv[1][1] == 'c')
		return check(argv[2]);
	if (argc != 3) {
		fprintf(stderr, "usage: filter_tool FILE FILTER | -c FILTER\n");
		return 2;
	}
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(argv[1], errbuf);
	nm_filter_error err;
	nm_filter *f = nm_filter_compile(argv[2], &err);
	if (!p || !f) {
		fprintf(stderr, "%s\n", p ? err.msg : errbuf);
		if (p)
			pcap_close(p);
		nm_filter_free(f);
		return 1;
	}
	nm_tree *t = nm_tree_new(4096, 1 << 20);
	if (t)
		t->no_labels = true;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, hits = 0;
	int64_t first = 0;
	while (t && pcap_next_ex(p, &h, &data) == 1) {
		nm_packet pk = {0};
		pk.data = data;
		pk.caplen = h->caplen;
		pk.wirelen = h->len;
		pk.linktype = (uint32_t)pcap_datalink(p);
		pk.ts_ns = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec * (pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000);
		if (!n)
			first = pk.ts_ns;
		pk.first_ts_ns = first;
		pk.number = ++n;
		t->count = 0;
		t->strused = 0;
		t->dropped = 0;
		pk.tree = t;
		nm_dissect_frame(&pk);
		hits += nm_filter_match(f, t, data, h->caplen);
	}
	printf("%llu\n", (unsigned long long)hits);
	nm_tree_free(t);
	nm_filter_free(f);
	pcap_close(p);
	return 0;
}
