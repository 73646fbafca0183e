/*
 * proto_ssdp.c - Simple Service Discovery Protocol (UPnP), UDP 1900.
 *
 * SSDP messages are HTTP/1.1 heads over UDP ("M-SEARCH * HTTP/1.1",
 * "NOTIFY * HTTP/1.1", "HTTP/1.1 200 OK").  As in Wireshark, the protocol
 * is "ssdp" (frame.protocols ends "udp:ssdp") while its fields are the
 * http.* ones, so the HTTP parser's own dissector reads the message: it is
 * called directly, not through the handoff, to keep "http" out of the
 * protocol path.
 */
#include "protos.h"

static int dissect_ssdp(nm_packet *pk, nm_cursor *c, int parent)
{
	int r = nm_proto_http.dissect(pk, c, parent);
	pk->protocol = nm_proto_ssdp.short_name;
	return r;
}

static void init_ssdp(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 1900, &nm_proto_ssdp);
}

nm_protocol nm_proto_ssdp = {
	"ssdp", "SSDP", "Simple Service Discovery Protocol", NULL, 0, dissect_ssdp, init_ssdp, 0,
};
