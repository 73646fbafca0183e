/*
 * nmfilter_count.c - test helper: compile a structured filter (JSON) with
 * capture/nmfilter.c and print the expression, or, given capture files,
 * how many frames of each pass the compiled BPF program
 * (pcap_offline_filter), one "FILE COUNT" line per file ("FILE error: ..."
 * when libpcap cannot open it or compile for its link type).
 *
 *   nmfilter_count '{"etypes": {"list": ["0x0806"]}}' [FILE...]
 */
#include <pcap/pcap.h>
#include <stdio.h>

#include "capture/nmfilter.h"

static void count(const char *path, const char *expr)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, ebuf);
	if (!p) {
		printf("%s error: %s\n", path, ebuf);
		return;
	}
	struct bpf_program prog;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		printf("%s error: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1)
		n += pcap_offline_filter(&prog, h, data) != 0;
	if (rc == -1) /* a truncated file: what was read still counts for tshark */
		fprintf(stderr, "%s: %s\n", path, pcap_geterr(p));
	printf("%s %lu\n", path, n);
	pcap_freecode(&prog);
	pcap_close(p);
}

int main(int argc, char **argv)
{
	char expr[NM_NF_EXPR_MAX], err[256];
	cJSON *f = argc > 1 ? cJSON_Parse(argv[1]) : NULL;
	if (!f) {
		fprintf(stderr, "usage: nmfilter_count JSON [FILE...]\n");
		return 2;
	}
	int rc = nm_nmfilter_compile(f, expr, sizeof expr, err, sizeof err);
	cJSON_Delete(f);
	if (rc < 0) {
		printf("error: %s\n", err);
		return 1;
	}
	if (argc == 2)
		printf("%s\n", expr);
	for (int i = 2; i < argc; i++)
		count(argv[i], expr);
	return 0;
}
