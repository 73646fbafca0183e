/*
 * proto_llmnr.c - Link-Local Multicast Name Resolution (RFC 4795) on UDP
 * port 5355.  The message is DNS's, with its own flag bits (conflict,
 * tentative); Wireshark shows it as protocol "llmnr" with the dns.* fields,
 * so the DNS message dissector does the work.
 */
#include "protos.h"

static int dissect_llmnr(nm_packet *pk, nm_cursor *c, int parent)
{
	return nm_dns_message(pk, c, parent, &nm_proto_llmnr);
}

static void init_llmnr(void)
{
	nm_handoff_add(NM_TAB_UDP_PORT, 5355, &nm_proto_llmnr);
}

nm_protocol nm_proto_llmnr = {
    "llmnr", "LLMNR", "Link-local Multicast Name Resolution", NULL, 0, dissect_llmnr, init_llmnr, 0,
};
