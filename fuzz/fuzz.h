/*
 * fuzz.h - the dissector fuzzing entry points (fuzz/fuzz_link.c), shared by
 * the libFuzzer harnesses and the regression replayer (tests/fuzz_replay.c).
 */
#ifndef NETMON_FUZZ_H
#define NETMON_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The link types the harnesses feed; the "tree" harness's first input byte
 * picks one of them (low nibble, modulo the count); its bit 7 makes the
 * frame cut at the snap length, bit 6 offers it to a stand-in reassembler. */
extern const uint32_t fuzz_linktypes[];
extern const size_t fuzz_nlinktypes;

/* Dissect one frame as link type `lt`, with or without a protocol tree.
 * With `cut`, the frame claims to have been longer on the wire (a snap-length
 * cut), which steers dissectors to their truncation paths. */
void fuzz_dissect(const uint8_t *data, size_t size, uint32_t lt, bool tree, bool cut);

/* One frame of a sequence: its link type, tree and cut as above, the
 * reassembler it is offered to (NULL: none), its number and time. */
typedef struct fuzz_frame {
	uint32_t lt;
	bool tree, cut;
	struct nm_defrag *defrag;
	uint64_t number;
	int64_t ts_ns;
} fuzz_frame;

#define FUZZ_TS_NS INT64_C(1600000000000000000) /* every frame's time in fuzz_dissect */

void fuzz_dissect_frame(const uint8_t *data, size_t size, const fuzz_frame *f);

/* The stand-in reassembler of the tree harness's bit 6: each last fragment
 * completes a datagram of its own payload, the others are "reassembled in"
 * the next frame. */
extern struct nm_defrag fuzz_fake_defrag;

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
