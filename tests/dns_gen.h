/*
 * dns_gen.h - a seeded generator of hostile DNS-family frames for
 * check_dns_skim: Ethernet/IPv4 carrying DNS (UDP 53), mDNS (UDP 5353),
 * LLMNR (UDP 5355) and DNS over TCP (53), with compression pointer chains,
 * loops, hop counts around the jump cap, names too long to show, lying
 * counts, cut records, and messages whose questions fill the Info column
 * before names whose outcome only an exact walk decides.
 *
 * The same seed gives the same frames on every machine (own PRNG, no
 * rand()), so a failure names a frame that can be regenerated.
 */
#ifndef NETMON_DNS_GEN_H
#define NETMON_DNS_GEN_H

#include <stddef.h>
#include <stdint.h>

/* Frames are at most this long (an IPv4 datagram of 65,535 bytes + MAC). */
#define DNS_GEN_MAX (65535 + 14)

/* What a frame carries, to count coverage. */
enum { DNS_GEN_UDP53, DNS_GEN_MDNS, DNS_GEN_LLMNR, DNS_GEN_TCP53, DNS_GEN_KINDS };

typedef struct dns_gen {
	uint64_t state;
} dns_gen;

typedef struct dns_frame {
	uint8_t bytes[DNS_GEN_MAX];
	uint32_t caplen, wirelen; /* caplen < wirelen: cut at a snap length */
	int kind;                 /* DNS_GEN_* */
} dns_frame;

void dns_gen_seed(dns_gen *g, uint64_t seed);

/* Fill `f` with the next frame of the sequence. */
void dns_gen_frame(dns_gen *g, dns_frame *f);

#endif
