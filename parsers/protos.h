/*
 * protos.h - what protocol files share with each other: their descriptors
 * (for direct calls, e.g. Ethernet -> LLC) and a few hand-off helpers.
 * Everything else in a proto_*.c file is static.
 */
#ifndef NETMON_PROTOS_H
#define NETMON_PROTOS_H

#include "dissect.h"

#define NM_PROTO(sym) extern nm_protocol sym;
#include "protocols.def"
#undef NM_PROTO

/* proto_erspan.c: ERSPAN type I, which only GRE can recognise (no sequence
 * number).  Not registered: it is protocol "erspan" again, sharing its id. */
extern nm_protocol nm_proto_erspan_i;

/* proto_eth.c: hand off by ethertype ("data" when unknown). Used by
 * Ethernet, VLAN, SLL, and any tunnel carrying Ethernet types. */
int nm_eth_handoff(nm_packet *pk, nm_cursor *c, uint16_t type);

/* proto_eth.c: dissect what follows an Ethernet type/length word: an
 * ethertype handoff, or (type <= 1500) an 802.3 length-bounded LLC payload;
 * then what the payload left as eth.padding and `trailer` under `tree`.
 * Used by Ethernet, VLAN and SLL. */
int nm_eth_payload(nm_packet *pk, nm_cursor *c, uint16_t type, int tree, const nm_field *trailer);

/* proto_eth.c: the padding/trailer step alone (Wireshark's rule). */
void nm_eth_trailer(nm_packet *pk, nm_cursor *c, int tree, const nm_field *trailer);

/* proto_ipv4.c: hand an IP payload to the protocol numbered `proto` (IPv4,
 * IPv6 and AH use it); "data" when unknown.  nm_ipproto_name gives
 * Wireshark's short name for a protocol number ("UDP"), or NULL. */
int nm_ip_handoff(nm_packet *pk, nm_cursor *c, uint8_t proto);
const char *nm_ipproto_name(uint8_t proto);

/* proto_udp.c: hand a TCP or UDP payload to the protocol registered for the
 * lower port, then the higher one (Wireshark's default); else "data". */
int nm_port_handoff(nm_table tab, uint16_t sport, uint16_t dport, nm_packet *pk, nm_cursor *c);

/* proto_dns.c: one DNS-format message filling the rest of `c`, shown as
 * protocol `p`: dns, mdns or llmnr (same dns.* fields, their own flags). */
int nm_dns_message(nm_packet *pk, nm_cursor *c, int parent, const nm_protocol *p);

#endif
