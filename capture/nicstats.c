/* nicstats.c - see nicstats.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture/nicstats.h"

const char *const nm_nic_names[NM_NIC_N] = {
    "rx_packets",     "tx_packets",       "rx_bytes",       "tx_bytes",          "rx_errors",     "tx_errors",
    "rx_dropped",     "tx_dropped",       "multicast",      "collisions",        "rx_crc_errors", "rx_frame_errors",
    "rx_fifo_errors", "rx_missed_errors", "rx_over_errors", "tx_carrier_errors",
};

static bool read_u64(const char *iface, const char *name, uint64_t *v)
{
	char path[256];
	if (snprintf(path, sizeof path, "/sys/class/net/%s/statistics/%s", iface, name) >= (int)sizeof path)
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok;
}

bool nm_nic_read(const char *iface, nm_nic_stats *out)
{
	memset(out, 0, sizeof *out);
	/* a name with a slash or a dot-dot would leave /sys/class/net */
	if (!iface || !*iface || strchr(iface, '/') || strcmp(iface, "..") == 0 || strcmp(iface, ".") == 0)
		return false;
	for (int i = 0; i < NM_NIC_N; i++) {
		out->have[i] = read_u64(iface, nm_nic_names[i], &out->v[i]);
		out->ok |= out->have[i];
	}
	return out->ok;
}
