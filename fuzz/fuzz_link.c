/*
 * fuzz_link.c - libFuzzer harness for the dissectors, one binary per link
 * type family (built with -DFUZZ_LINKTYPE=N: the ingest path, no tree) plus
 * one without it (the "tree" harness: the first byte picks the link type and
 * whether the frame was cut, and a full protocol tree is built, since every
 * nm_add_* call takes a different path when there is a tree).
 *
 * Each input is copied into a buffer of exactly its size, so AddressSanitizer
 * reports a read even one byte past the captured frame.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "fuzz/fuzz.h"

const uint32_t fuzz_linktypes[] = {
	1,   /* Ethernet */
	0,   /* BSD null */
	108, /* BSD loop */
	12,  /* raw IP (OpenBSD's DLT_RAW) */
	14,  /* raw IP (BSD/OS) */
	101, /* LINKTYPE_RAW */
	228, /* IPv4 */
	229, /* IPv6 */
	113, /* Linux SLL */
	276, /* Linux SLL2 */
};
const size_t fuzz_nlinktypes = sizeof fuzz_linktypes / sizeof fuzz_linktypes[0];

/* One tree, as big as the HTTP server's, reset for every input. */
static nm_tree *shared_tree(void)
{
	static nm_tree *t;
	if (!t && !(t = nm_tree_new(4096, 1 << 20)))
		abort();
	t->count = 0;
	t->dropped = 0;
	t->strused = 0;
	return t;
}

void fuzz_dissect(const uint8_t *data, size_t size, uint32_t lt, bool tree, bool cut)
{
	static bool ready;
	if (!ready) {
		nm_parsers_init();
		ready = true;
	}
	if (size > 262144)
		size = 262144; /* netmond's largest snap length */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);
	nm_packet pk;
	memset(&pk, 0, sizeof pk);
	pk.data = buf;
	pk.caplen = (uint32_t)size;
	pk.wirelen = (uint32_t)size + (cut ? 100 : 0);
	pk.linktype = lt;
	pk.number = 1;
	pk.ts_ns = pk.first_ts_ns = 1600000000000000000;
	pk.tree = tree ? shared_tree() : NULL;
	nm_dissect_frame(&pk);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_LINKTYPE
	fuzz_dissect(data, size, FUZZ_LINKTYPE, false, false);
#else
	if (size == 0)
		return 0;
	fuzz_dissect(data + 1, size - 1, fuzz_linktypes[(data[0] & 0x0f) % fuzz_nlinktypes], true, data[0] & 0x80);
#endif
	return 0;
}
