/*
 * fuzz_link.c - libFuzzer harness for the dissectors, one binary per link
 * type family (built with -DFUZZ_LINKTYPE=N: the ingest path, no tree) plus
 * one without it (the "tree" harness: the first byte picks the link type and
 * whether the frame was cut, and a full protocol tree is built, since every
 * nm_add_* call takes a different path when there is a tree).
 *
 * Each input is copied into a buffer of exactly its size, so AddressSanitizer
 * reports a read even one byte past the captured frame.
 *
 * Selector bit 6 hands the frame a stand-in IPv4 reassembler, so the paths
 * only the capture and detail views take (a fragment completing a datagram,
 * "reassembled in", a cut first fragment) are fuzzed too.
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

/* The datagram a fake completion hands back; freed at the next frame. */
static uint8_t *fake_datagram;
static nm_frag_piece fake_piece;

/* Stands in for capture/reasm.c: the last fragment "completes" a datagram
 * made of its own payload (in a buffer of exactly that size, so ASan sees
 * an overread of the reassembled bytes too); the others are "reassembled
 * in" the next frame.  Any bytes could arrive as fragments, so dissectors
 * must take whatever this gives. */
static void fake_ipv4(nm_defrag *d, const nm_packet *pk, const nm_ip_frag *f, nm_ip_reasm *out)
{
	(void)d;
	if (f->more) {
		out->reassembled_in = pk->number + 1;
		return;
	}
	free(fake_datagram);
	if (!(fake_datagram = malloc(f->len ? f->len : 1)))
		abort();
	if (f->len)
		memcpy(fake_datagram, f->data, f->len);
	fake_piece = (nm_frag_piece){pk->number, f->offset, f->len};
	*out = (nm_ip_reasm){pk->number, fake_datagram, f->len, &fake_piece, 1};
}

nm_defrag fuzz_fake_defrag = {fake_ipv4};

void fuzz_dissect(const uint8_t *data, size_t size, uint32_t lt, bool tree, bool cut)
{
	fuzz_frame f = {lt, tree, cut, NULL, 1, FUZZ_TS_NS};
	fuzz_dissect_frame(data, size, &f);
}

void fuzz_dissect_frame(const uint8_t *data, size_t size, const fuzz_frame *f)
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
	pk.wirelen = (uint32_t)size + (f->cut ? 100 : 0);
	pk.linktype = f->lt;
	pk.number = f->number;
	pk.ts_ns = f->ts_ns;
	pk.first_ts_ns = FUZZ_TS_NS;
	pk.tree = f->tree ? shared_tree() : NULL;
	nm_dissect_frame_with(&pk, f->defrag);
	free(buf);
	free(fake_datagram);
	fake_datagram = NULL;
}

#ifndef FUZZ_OWN_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef FUZZ_LINKTYPE
	fuzz_dissect(data, size, FUZZ_LINKTYPE, false, false);
#else
	if (size == 0)
		return 0;
	uint32_t lt = fuzz_linktypes[(data[0] & 0x0f) % fuzz_nlinktypes];
	fuzz_frame f = {lt, true, data[0] & 0x80, data[0] & 0x40 ? &fuzz_fake_defrag : NULL, 1, FUZZ_TS_NS};
	fuzz_dissect_frame(data + 1, size - 1, &f);
#endif
	return 0;
}
#endif
