/*
 * fuzz_reasm.c - libFuzzer harness for IPv4 reassembly: a sequence of frames
 * through one capture/reasm.c table (small limits, so eviction, the byte
 * budget and the timeout all happen), each frame dissected as the capture
 * path does, or with a tree as the detail view does.
 *
 * Input: a selector byte (low nibble: link type index as in the tree
 * harness; bit 7: snap-length cut; bit 6: build trees; bit 5: answer
 * "reassembled in" like the detail view), a time step byte (tens of ms
 * between frames), then frames, each a 2-byte big-endian length and that
 * many bytes (fewer if the input ends).
 */
#include <stdlib.h>

#include "capture/reasm.h"
#include "fuzz/fuzz.h"

enum { SLOTS = 4, MAX_BYTES = 16384, STEP_NS = 10000000 };

static void feed(nm_reasm_table *t, const uint8_t *data, size_t size, fuzz_frame *f, int64_t step)
{
	while (size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1];
		data += 2, size -= 2;
		if (len > size)
			len = size;
		fuzz_dissect_frame(data, len, f);
		data += len, size -= len;
		f->number++;
		f->ts_ns += step;
		size_t n;
		free(nm_reasm_take_links(t, &n));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	nm_reasm_table t;
	if (nm_reasm_init(&t, SLOTS, MAX_BYTES, 1000000000) < 0)
		abort();
	t.keep_links = true;
	t.known_in = data[0] & 0x20 ? 7 : 0;
	uint32_t lt = fuzz_linktypes[(data[0] & 0x0f) % fuzz_nlinktypes];
	fuzz_frame f = {lt, data[0] & 0x40, data[0] & 0x80, &t.base, 1, FUZZ_TS_NS};
	feed(&t, data + 2, size - 2, &f, (int64_t)data[1] * STEP_NS);
	nm_reasm_free(&t);
	return 0;
}
