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

#endif
