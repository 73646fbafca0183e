#!/bin/sh
# Run the libFuzzer harnesses (built by `make fuzz`) from the build directory:
#
#   fuzz/run.sh [SECONDS] [HARNESS...]      (default: 600 s; all seven)
#
# Two harnesses at a time (one per core).  Each runs from its seed corpus
# (fuzz/extract_corpus.py) for SECONDS in total: after a crash the artifact
# is kept in fuzz/crashes/ and the harness restarts for the time left.
# Logs go to fuzz/logs/NAME.log; a summary line per harness at the end.
secs=${1:-600}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- eth tree raw sll sll2 null reasm
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p fuzz/logs fuzz/crashes
[ -d fuzz/corpus-eth ] || python3 "$src/extract_corpus.py" || exit 1

run_one() {
	name=$1
	end=$(($(date +%s) + secs))
	mkdir -p "fuzz/found-$name" "fuzz/corpus-$name"
	: >"fuzz/logs/$name.log"
	maxlen=4096
	[ "$name" = reasm ] && maxlen=16384 # several whole fragments
	while left=$((end - $(date +%s))) && [ "$left" -gt 5 ]; do
		"fuzz/fuzz_$name" -max_total_time="$left" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="fuzz/crashes/$name-" \
			"fuzz/found-$name" "fuzz/corpus-$name" >>"fuzz/logs/$name.log" 2>&1
	done
}

summary() {
	log=fuzz/logs/$1.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s += $1} END {print s + 0}')
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	crashes=$(ls fuzz/crashes | grep -c "^$1-")
	echo "$1: $execs execs, ${rate:-?} exec/s, $cov, $crashes crash artifacts"
}

# Two lanes, harnesses dealt alternately.
lane() {
	while [ $# -gt 0 ]; do
		run_one "$1"
		shift
		[ $# -gt 0 ] && shift
	done
}
lane "$@" &
shift
lane "$@" &
wait
for name in eth tree raw sll sll2 null reasm; do
	[ -f "fuzz/logs/$name.log" ] && summary "$name"
done
