/*
 * literal.c - parsing literal text into typed values: numbers, IPv4/IPv6
 * addresses with prefixes, byte strings and MAC addresses.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/ast.h"

static int hexdig(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "/n" suffix: the prefix length, or `max` when absent; false if invalid. */
static bool split_prefix(const char *s, char *addr, size_t cap, int max, int *prefix)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= cap)
		return false;
	memcpy(addr, s, n);
	addr[n] = '\0';
	*prefix = max;
	if (!slash)
		return true;
	char *end;
	errno = 0;
	long v = strtol(slash + 1, &end, 10);
	if (!slash[1] || *end || errno || v < 0 || v > max)
		return false;
	*prefix = (int)v;
	return true;
}

bool flt_parse_ipv4(const char *s, uint32_t *a, int *prefix)
{
	char addr[64];
	struct in_addr in;
	if (!split_prefix(s, addr, sizeof addr, 32, prefix))
		return false;
	/* inet_pton takes only the dotted quad, as Wireshark's literal does */
	if (inet_pton(AF_INET, addr, &in) != 1)
		return false;
	*a = ntohl(in.s_addr);
	return true;
}

bool flt_parse_ipv6(const char *s, uint8_t *a, int *prefix)
{
	char addr[64];
	if (!split_prefix(s, addr, sizeof addr, 128, prefix))
		return false;
	return inet_pton(AF_INET6, addr, a) == 1;
}

/* Byte strings: "aa:bb:cc", "aa-bb-cc", "aa.bb.cc", "aabb.ccdd.eeff" (Cisco
 * MAC form) or a single byte "45"; pairs of hex digits between separators. */
bool flt_parse_bytes(const char *s, uint8_t *out, size_t max, size_t *n)
{
	*n = 0;
	char sep = 0;
	while (*s) {
		int h = hexdig(s[0]), l = h >= 0 && s[1] ? hexdig(s[1]) : -1;
		if (h < 0)
			return false;
		if (*n == max)
			return false;
		if (l < 0) {
			out[(*n)++] = (uint8_t)h; /* a lone digit: "0:1:2" */
			s++;
		} else {
			out[(*n)++] = (uint8_t)(h * 16 + l);
			s += 2;
		}
		if (!*s)
			break;
		if (*s == ':' || *s == '-' || *s == '.') {
			if (sep && *s != sep)
				return false;
			sep = *s++;
			if (!*s)
				return false;
		} else if (sep != '.' && sep) {
			return false;
		}
	}
	return *n > 0;
}
