/*
 * check_textfmt.c - the hand-written text of the ingest path against the C
 * library it replaced.
 *
 * The Info column (nm_set_info/nm_append_info) formats common conversions
 * by hand and nm_fmt_ipv6/ether/ipv4 render addresses by hand, for speed.
 * The reference is not ours: snprintf and glibc's inet_ntop, called with
 * the same arguments and buffer sizes, generated from a fixed seed so a
 * failure repeats.  Truncation is checked by appending after a prefix of
 * every length up to the column's size.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const char *const strs[] = {"", "a", "TCP", "\xe2\x86\x92", NULL,
				   "a string longer than the whole Info column once it has been repeated "
				   "a string longer than the whole Info column once it has been repeated "
				   "a string longer than the whole Info column once it has been repeated "
				   "a string longer than the whole Info column once it has been repeated"};

static unsigned pick_uint(void)
{
	static const unsigned edge[] = {0, 9, 10, 99, 100, 65535, 4294967295u};
	return next() % 2 ? edge[next() % 7] : next() * 2654435761u;
}

/* Append one generated call both ways after a `pre`-byte prefix: ours into
 * pk->info, snprintf into `want`, which holds the same prefix. */
#define BOTH(...)                                                                                  \
	do {                                                                                       \
		nm_append_info(pk, __VA_ARGS__);                                                   \
		if (pre + 1 < NM_SUMMARY_INFO)                                                     \
			snprintf(want + pre, NM_SUMMARY_INFO - pre, __VA_ARGS__);                  \
	} while (0)

static void one_call(nm_packet *pk, char *want, size_t pre)
{
	const char *s = strs[next() % 6], *t = strs[next() % 6];
	unsigned a = pick_uint(), b = pick_uint();
	int32_t mag = (int32_t)(next() & 0x7fffffff); /* no signed overflow: UBSan runs this */
	int d = next() % 2 ? mag : -mag - 1;
	unsigned long long ll = (unsigned long long)next() << (next() % 33) | next();
	switch (next() % 10) {
	case 0:
		BOTH("%u \xe2\x86\x92 %u [%s] Seq=%u Ack=%u", a, b, s, a, b);
		break;
	case 1:
		BOTH("%s%s", s, t);
		break;
	case 2:
		BOTH("x%dy%xz%X%%", d, a, b);
		break;
	case 3:
		BOTH("ID=%04x OUI 0x%06X [%-8s|%8s]", a, b, s, t);
		break;
	case 4:
		BOTH("%3u %5u %08x %-5u|%10u", a, b, a, b, a);
		break;
	case 5:
		BOTH(" [Reassembled in #%llu] %lu %zu", ll, (unsigned long)ll, (size_t)ll);
		break;
	case 6: /* what the hand formatter leaves to vsnprintf */
		BOTH("%5d|%.3s|%+d|%#x|%hu", d, s ? s : "", d, a, (unsigned short)b);
		break;
	case 7:
		BOTH("%-8x|%-20s|", a, s);
		break;
	case 8:
		BOTH("%d %d", d, -d);
		break;
	default:
		BOTH(" Len=%u", a);
	}
}

START_TEST(test_info_equals_snprintf)
{
	nm_packet pk;
	memset(&pk, 0, sizeof pk);
	for (int i = 0; i < 200000; i++) {
		size_t pre = next() % (NM_SUMMARY_INFO + 8);
		pre = pre < NM_SUMMARY_INFO ? pre : NM_SUMMARY_INFO - 1;
		char want[NM_SUMMARY_INFO];
		memset(pk.info, 'q', pre);
		pk.info[pre] = '\0';
		memcpy(want, pk.info, pre + 1);
		one_call(&pk, want, pre);
		ck_assert_msg(strcmp(pk.info, want) == 0, "call %d after %zu bytes: ours '%s', snprintf '%s'", i, pre,
			      pk.info, want);
	}
	nm_set_info(&pk, "%u \xe2\x86\x92 %u", 53u, 1024u); /* set starts over */
	ck_assert_str_eq(pk.info, "53 \xe2\x86\x92 1024");
}
END_TEST

/* Addresses whose 16-bit words are mostly 0, 0xffff or small, so every
 * zero-run shape and the ::a.b.c.d and ::ffff:a.b.c.d forms come up. */
START_TEST(test_ipv6_equals_inet_ntop)
{
	for (int i = 0; i < 300000; i++) {
		uint8_t a[16];
		for (int w = 0; w < 8; w++) {
			uint32_t r = next() % 6;
			unsigned v = r < 3 ? 0 : r == 3 ? 0xffff : r == 4 ? next() % 0x120 : next() & 0xffff;
			a[2 * w] = (uint8_t)(v >> 8), a[2 * w + 1] = (uint8_t)v;
		}
		size_t n = i % 5 ? 46 : next() % 48;
		char want[64], ours[64];
		memset(ours, 'Z', sizeof ours);
		const char *r = inet_ntop(AF_INET6, a, want, (socklen_t)n);
		nm_fmt_ipv6(ours, n, a);
		if (r)
			ck_assert_str_eq(ours, want);
		else if (n)
			ck_assert_msg(ours[0] == '\0', "size %zu: inet_ntop fails, ours wrote '%s'", n, ours);
	}
}
END_TEST

/* What snprintf(out, n, "%s", full) leaves, n > 0 (spelt out: gcc warns
 * about the truncation, which is the point here). */
static void cut(char *out, size_t n, const char *full)
{
	size_t k = strlen(full) < n - 1 ? strlen(full) : n - 1;
	memcpy(out, full, k);
	out[k] = '\0';
}

START_TEST(test_ether_ipv4_equal_snprintf)
{
	for (int i = 0; i < 100000; i++) {
		uint8_t m[6];
		for (int k = 0; k < 6; k++)
			m[k] = (uint8_t)(next() % 3 ? next() : next() % 3 ? next() % 10 : 99 + next() % 3);
		size_t n = next() % 22;
		char full[32], want[32], ours[32];
		snprintf(full, sizeof full, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		if (n) {
			cut(want, n, full);
			nm_fmt_ether(ours, n, m);
			ck_assert_str_eq(ours, want);
		}
		snprintf(full, sizeof full, "%u.%u.%u.%u", m[0], m[1], m[2], m[3]);
		if (n) {
			cut(want, n, full);
			nm_fmt_ipv4(ours, n, m);
			ck_assert_str_eq(ours, want);
		}
	}
}
END_TEST

static Suite *textfmt_suite(void)
{
	Suite *s = suite_create("textfmt");
	TCase *tc = tcase_create("text");
	tcase_set_timeout(tc, 120); /* under ASan on a loaded 2-core machine */
	tcase_add_test(tc, test_info_equals_snprintf);
	tcase_add_test(tc, test_ipv6_equals_inet_ntop);
	tcase_add_test(tc, test_ether_ipv4_equal_snprintf);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(textfmt_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
