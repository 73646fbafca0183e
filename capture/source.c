/* source.c - see source.h. */
#include <stdio.h>
#include <string.h>

#include "source.h"

static pcap_t *open_file(const nm_source_opts *o, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(o->file, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p)
		snprintf(err, errlen, "cannot read %s: %s", o->file, ebuf);
	return p;
}

static pcap_t *open_live(const nm_source_opts *o, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(o->iface, ebuf);
	if (!p) {
		snprintf(err, errlen, "cannot capture on %s: %s", o->iface, ebuf);
		return NULL;
	}
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : 262144);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, o->timeout_ms > 0 ? o->timeout_ms : 100);
	pcap_set_buffer_size(p, 32 << 20);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	int rc = pcap_activate(p);
	if (rc < 0) {
		const char *why = rc == PCAP_ERROR_PERM_DENIED ? "permission denied (needs root or CAP_NET_RAW)"
				: rc == PCAP_ERROR_NO_SUCH_DEVICE ? "no such interface"
								  : pcap_geterr(p);
		snprintf(err, errlen, "cannot capture on %s: %s", o->iface, why);
		pcap_close(p);
		return NULL;
	}
	return p;
}

static int set_filter(pcap_t *p, const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "bad capture filter '%s': %s", expr, pcap_geterr(p));
		return -1;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0)
		snprintf(err, errlen, "cannot set capture filter: %s", pcap_geterr(p));
	return rc;
}

pcap_t *nm_source_open(const nm_source_opts *o, char *err, size_t errlen)
{
	pcap_t *p = o->file ? open_file(o, err, errlen) : open_live(o, err, errlen);
	if (p && o->filter && *o->filter && set_filter(p, o->filter, err, errlen) < 0) {
		pcap_close(p);
		return NULL;
	}
	return p;
}
