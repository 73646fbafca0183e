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
 * picks one of them (low nibble, modulo the count). */
extern const uint32_t fuzz_linktypes[];
extern const size_t fuzz_nlinktypes;

/* Dissect one frame as link type `lt`, with or without a protocol tree.
 * With `cut`, the frame claims to have been longer on the wire (a snap-length
 * cut), which steers dissectors to their truncation paths. */
void fuzz_dissect(const uint8_t *data, size_t size, uint32_t lt, bool tree, bool cut);

/* libFuzzer's entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
