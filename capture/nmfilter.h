/*
 * nmfilter.h - Network Monitor's structured capture filter (a JSON object:
 * Etype and SAP lists, address pairs, byte patterns) compiled to a libpcap
 * filter expression, which the capture then compiles to BPF like any
 * other, so the structured filter runs in the kernel.  docs/api.md
 * ("Structured capture filter") defines the JSON and its semantics.
 */
#ifndef NETMON_NMFILTER_H
#define NETMON_NMFILTER_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Limits of the structured filter (as Network Monitor's). */
enum {
	NM_NF_MAX_PAIRS = 8,     /* address pairs */
	NM_NF_MAX_PATTERNS = 4,  /* byte patterns, all groups together */
	NM_NF_MAX_LIST = 16,     /* Etypes or SAPs in one list */
	NM_NF_MAX_BYTES = 16,    /* bytes in one pattern */
	NM_NF_MAX_OFFSET = 1500, /* a pattern's offset from its header */
	NM_NF_EXPR_MAX = 4096,   /* room for the longest expression */
};

/*
 * Compile `f` (a JSON object) to a filter expression in out ("" when the
 * filter has no condition).  Returns 0, or -1 with a one-line reason in
 * err naming the member at fault.  The expression is also checked with
 * pcap_compile for Ethernet, so a 0 means libpcap accepts it.
 */
int nm_nmfilter_compile(const cJSON *f, char *out, size_t outlen, char *err, size_t errlen);

#endif
