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

/* proto_eth.c: hand off by ethertype ("data" when unknown). Used by
 * Ethernet, VLAN, SLL, and any tunnel carrying Ethernet types. */
int nm_eth_handoff(nm_packet *pk, nm_cursor *c, uint16_t type);

/* proto_ipv4.c: hand an IP payload to the protocol numbered `proto` (IPv4,
 * IPv6 and AH use it); "data" when unknown.  nm_ipproto_name gives
 * Wireshark's short name for a protocol number ("UDP"), or NULL. */
int nm_ip_handoff(nm_packet *pk, nm_cursor *c, uint8_t proto);
const char *nm_ipproto_name(uint8_t proto);

/* proto_udp.c: hand a TCP or UDP payload to the protocol registered for the
 * lower port, then the higher one (Wireshark's default); else "data". */
int nm_port_handoff(nm_table tab, uint16_t sport, uint16_t dport, nm_packet *pk, nm_cursor *c);

#endif
