/*
 * api_interfaces.c - GET /api/v1/interfaces: every interface libpcap can
 * capture on, with what Linux tells about it in /sys/class/net/IFACE.
 *
 * pcap_findalldevs gives names, descriptions and addresses (and lists
 * pseudo-devices such as "any"); sysfs gives the MAC, MTU, speed, the
 * interface flags and the NIC's own counters (statistics).  A value sysfs
 * does not have (speed of a veth, or a pseudo-device) is null rather than
 * a made-up number.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/api.h"
#include "server/api_ctl.h"

#define IFF_UP_BIT 0x1
#define IFF_PROMISC_BIT 0x100
#define CAP_NET_RAW_BIT 13

/* Read the first line of /sys/class/net/IFACE/attr (newline cut); false if absent. */
static bool sys_read(const char *iface, const char *attr, char *out, size_t n)
{
	char path[256];
	if (strchr(iface, '/') || snprintf(path, sizeof path, "/sys/class/net/%s/%s", iface, attr) >= (int)sizeof path)
		return false;
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(out, (int)n, f) != NULL;
	fclose(f);
	if (ok)
		out[strcspn(out, "\n")] = '\0';
	return ok && out[0];
}

static bool sys_long(const char *iface, const char *attr, long *v)
{
	char buf[64], *end;
	if (!sys_read(iface, attr, buf, sizeof buf))
		return false;
	*v = strtol(buf, &end, 0);
	return end != buf && *end == '\0';
}

/* Raw capture needs CAP_NET_RAW in the effective set (root has it). */
static bool can_capture_raw(void)
{
	if (geteuid() == 0)
		return true;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return false;
	char line[256];
	unsigned long long eff = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> CAP_NET_RAW_BIT) & 1;
}

static void add_sockaddr(cJSON *o, const char *name, const struct sockaddr *sa)
{
	char buf[INET6_ADDRSTRLEN] = "";
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, sizeof buf);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, sizeof buf);
	nm_json_add_str_or_null(o, name, buf);
}

static cJSON *addresses_json(const pcap_if_t *d)
{
	cJSON *arr = cJSON_CreateArray();
	for (const pcap_addr_t *a = d->addresses; a; a = a->next) {
		if (!a->addr || (a->addr->sa_family != AF_INET && a->addr->sa_family != AF_INET6))
			continue; /* AF_PACKET entries carry the MAC, reported apart */
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "family", a->addr->sa_family == AF_INET ? "ipv4" : "ipv6");
		add_sockaddr(o, "address", a->addr);
		add_sockaddr(o, "netmask", a->netmask);
		add_sockaddr(o, "broadcast", a->broadaddr);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void add_sys_fields(cJSON *o, const char *name, const pcap_if_t *d)
{
	char buf[64];
	long v;
	nm_json_add_str_or_null(o, "mac", sys_read(name, "address", buf, sizeof buf) ? buf : NULL);
	if (sys_long(name, "mtu", &v))
		cJSON_AddNumberToObject(o, "mtu", (double)v);
	else
		cJSON_AddNullToObject(o, "mtu");
	/* speed is -1 or unreadable (EINVAL) for virtual links */
	if (sys_long(name, "speed", &v) && v > 0)
		cJSON_AddNumberToObject(o, "speed_mbps", (double)v);
	else
		cJSON_AddNullToObject(o, "speed_mbps");
	nm_json_add_str_or_null(o, "operstate", sys_read(name, "operstate", buf, sizeof buf) ? buf : NULL);
	long flags = 0;
	bool have_flags = sys_long(name, "flags", &flags);
	cJSON_AddBoolToObject(o, "up", have_flags ? (flags & IFF_UP_BIT) != 0 : (d->flags & PCAP_IF_UP) != 0);
	/* sysfs flags never show IFF_RUNNING (the kernel computes it from the
	 * carrier); "carrier" is 1 when running and unreadable when down */
	long carrier = 0;
	bool have_carrier = sys_long(name, "carrier", &carrier);
	cJSON_AddBoolToObject(o, "running",
			      have_flags ? have_carrier && carrier == 1 : (d->flags & PCAP_IF_RUNNING) != 0);
	cJSON_AddBoolToObject(o, "promiscuous", have_flags && (flags & IFF_PROMISC_BIT));
}

cJSON *nm_api_nic_json(const nm_nic_stats *now, const nm_nic_stats *base)
{
	if (!now->ok || (base && !base->ok))
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	for (int i = 0; i < NM_NIC_N; i++) {
		if (!now->have[i] || (base && !base->have[i]))
			continue;
		/* a counter reset (driver reload) would make a delta negative */
		uint64_t b = base ? base->v[i] : 0;
		nm_json_add_u64(o, nm_nic_names[i], now->v[i] >= b ? now->v[i] - b : 0);
	}
	return o;
}

static cJSON *iface_json(const pcap_if_t *d, bool raw)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", d->name);
	nm_json_add_str_or_null(o, "description", d->description);
	add_sys_fields(o, d->name, d);
	cJSON_AddBoolToObject(o, "loopback", (d->flags & PCAP_IF_LOOPBACK) != 0);
	cJSON_AddBoolToObject(o, "wireless", (d->flags & PCAP_IF_WIRELESS) != 0);
	cJSON_AddItemToObject(o, "addresses", addresses_json(d));
	nm_nic_stats st;
	nm_nic_read(d->name, &st);
	cJSON_AddItemToObject(o, "statistics", nm_api_nic_json(&st, NULL));
	/* "any" cannot be promiscuous; elsewhere it takes the capability */
	cJSON_AddBoolToObject(o, "can_capture", raw);
	cJSON_AddBoolToObject(o, "can_promiscuous", raw && strcmp(d->name, "any") != 0);
	return o;
}

enum MHD_Result nm_api_interfaces(nm_req *r)
{
	if (r->arg)
		return nm_api_not_found(r, "no such API path: /api/v1/%s", r->path);
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_if_t *all = NULL;
	if (pcap_findalldevs(&all, ebuf) < 0)
		return nm_json_error(r->conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
				     "cannot list interfaces: %s", ebuf);
	bool raw = can_capture_raw();
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "interfaces");
	for (const pcap_if_t *d = all; d && arr; d = d->next)
		cJSON_AddItemToArray(arr, iface_json(d, raw));
	pcap_freealldevs(all);
	return nm_json_respond(r->conn, MHD_HTTP_OK, o);
}
