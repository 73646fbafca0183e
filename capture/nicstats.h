/*
 * nicstats.h - the NIC's own counters, as Linux keeps them in
 * /sys/class/net/IFACE/statistics: what the driver saw, which libpcap's
 * counters cannot tell (frames the NIC dropped before any socket).
 */
#ifndef NETMON_NICSTATS_H
#define NETMON_NICSTATS_H

#include <stdbool.h>
#include <stdint.h>

/* The counters read, in the order of nm_nic_names. */
enum { NM_NIC_N = 16 };
extern const char *const nm_nic_names[NM_NIC_N]; /* sysfs file names */

typedef struct nm_nic_stats {
	bool ok;             /* false: no such interface, or no statistics directory */
	bool have[NM_NIC_N]; /* a driver may lack some files */
	uint64_t v[NM_NIC_N];
} nm_nic_stats;

/* Read every counter of iface; returns out->ok. */
bool nm_nic_read(const char *iface, nm_nic_stats *out);

#endif
