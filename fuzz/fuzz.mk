# fuzz.mk - the libFuzzer harnesses; run by `make fuzz` (fuzz/local.am), which
# passes srcdir, top_builddir and PARSER_SOURCES.  Plain GNU make, kept out of
# Automake's sight: it builds every parser again with clang, coverage and
# sanitizer instrumentation, independent of the configured compiler.
FUZZ_CC ?= clang
FUZZ_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -g -O1 -std=c11 -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	-I$(srcdir) -I$(srcdir)/include -I$(srcdir)/parsers -I$(top_builddir) -D_GNU_SOURCE

OUT = fuzz
SRCS = $(filter %.c,$(PARSER_SOURCES))
OBJS = $(patsubst %.c,$(OUT)/obj/%.o,$(SRCS))
HEADERS = $(wildcard $(srcdir)/parsers/*.h $(srcdir)/parsers/*.def $(srcdir)/include/netmon/*.h) \
	$(srcdir)/capture/reasm.h

# One harness per link type family (the ingest path), plus "tree" and "reasm".
LT_eth = 1
LT_raw = 101
LT_sll = 113
LT_sll2 = 276
LT_null = 0
HARNESSES = eth raw sll sll2 null tree reasm

all: $(addprefix $(OUT)/fuzz_,$(HARNESSES))

$(OUT)/obj/%.o: $(srcdir)/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(OUT)/fuzz_tree: $(srcdir)/fuzz/fuzz_link.c $(srcdir)/fuzz/fuzz.h $(OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(OBJS) -ldl

# A sequence of frames through capture/reasm.c's table (fuzz/fuzz_reasm.c).
$(OUT)/fuzz_reasm: $(srcdir)/fuzz/fuzz_reasm.c $(srcdir)/fuzz/fuzz_link.c $(srcdir)/fuzz/fuzz.h \
		$(OUT)/obj/capture/reasm.o $(OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_OWN_ENTRY -o $@ $(srcdir)/fuzz/fuzz_reasm.c \
		$(srcdir)/fuzz/fuzz_link.c $(OUT)/obj/capture/reasm.o $(OBJS) -ldl

$(OUT)/fuzz_%: $(srcdir)/fuzz/fuzz_link.c $(srcdir)/fuzz/fuzz.h $(OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_LINKTYPE=$(LT_$*) -o $@ $< $(OBJS) -ldl

.PHONY: all
