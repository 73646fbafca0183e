#!/usr/bin/env bash
# The whole test suite, as CI runs it, from a fresh clone on Debian 12:
#
#   sudo tools/test.sh
#
# 1. tools/setup-deps.sh (apt; skip with NETMON_SKIP_DEPS=1)
# 2. autoreconf -fi
# 3. build/test: configure --enable-werror, make, make check
#    (unit tests + integration tests against ../shared/captures/tcpdump-tests)
# 4. make distcheck (the tarball builds and passes its own make check)
# 5. build/san:  configure --enable-sanitizers, make, make check under
#    ASan/UBSan (unit tests, robustness, counts, API; the tshark field
#    comparison runs only in step 3)
#
# Ends with "N passed, N failed" (skips are listed, not failures) and exits
# non-zero when any step or test failed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
skipped=0
steps_failed=()

if [ "${NETMON_SKIP_DEPS:-0}" != 1 ]; then
	tools/setup-deps.sh
fi
autoreconf -fi

# Add one `make check` run's Automake summary to the totals.
tally() {
	local log=$1 n
	n=$(sed -n 's/^# PASS: *//p' "$log" | tail -1)
	passed=$((passed + ${n:-0}))
	for k in FAIL ERROR XPASS; do
		n=$(sed -n "s/^# $k: *//p" "$log" | tail -1)
		failed=$((failed + ${n:-0}))
	done
	n=$(sed -n 's/^# SKIP: *//p' "$log" | tail -1)
	skipped=$((skipped + ${n:-0}))
}

# Show the logs of failed tests, so CI output says why.
show_failures() {
	local dir=$1 f
	for f in $(find "$dir" -name '*.trs' -print0 | xargs -0 grep -l -E ':test-result: (FAIL|ERROR|XPASS)' || true); do
		echo "==================== ${f%.trs}.log"
		tail -n 80 "${f%.trs}.log" || true
	done
}

# build_and_check NAME CONFIGURE-ARGS...
build_and_check() {
	local name=$1 dir=$top/build/$1 out
	shift
	echo "==== $name: configure $*"
	mkdir -p "$dir"
	out=$dir/check-output.txt
	if ! (cd "$dir" && "$top/configure" -q "$@"); then
		steps_failed+=("$name: configure")
		return
	fi
	if ! make -C "$dir" -j"$jobs"; then
		steps_failed+=("$name: make")
		failed=$((failed + 1))
		return
	fi
	if ! make -C "$dir" -j"$jobs" check 2>&1 | tee "$out"; then
		steps_failed+=("$name: make check")
		show_failures "$dir"
	fi
	tally "$out"
}

build_and_check test --enable-werror

# The release tarball builds and passes its own `make check` (the corpus
# tests skip there: ../shared is not beside the unpacked tree).
echo "==== distcheck"
if ! make -C "$top/build/test" -j"$jobs" distcheck >"$top/build/test/distcheck.log" 2>&1; then
	steps_failed+=("distcheck")
	tail -n 60 "$top/build/test/distcheck.log"
fi

# The corpus figures, also when they pass: counts, and the field agreement
# rows that are not plain "ok" (the whole table is in the log).
for t in corpus_robustness corpus_counts corpus_fields; do
	log=$top/build/test/tests/$t.log
	[ -f "$log" ] || continue
	echo "==== $t (full table: $log)"
	grep -E 'FAIL|known|SKIP|^(imported|frame counts|comparing|[0-9]+ (frames|checks|failures))' "$log" | cut -c1-160 | head -n 60 || true
done

# Capture triggers (tests/trigger_file.sh, tests/trigger_live.sh in make
# check above): what each section checked, also when they pass.
for t in trigger_file trigger_live; do
	log=$top/build/test/tests/$t.log
	[ -f "$log" ] || continue
	echo "==== $t (log: $log)"
	grep -E '^(== |pattern |buffer |SKIP|FAIL|PASS)' "$log" | cut -c1-160 || true
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
export NETMON_SANITIZER_PASS=1
build_and_check san --enable-sanitizers
unset ASAN_OPTIONS UBSAN_OPTIONS NETMON_SANITIZER_PASS

echo "==== summary"
if [ ${#steps_failed[@]} -gt 0 ]; then
	printf 'failed step: %s\n' "${steps_failed[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#steps_failed[@]} -eq 0 ]
