#!/usr/bin/env bash
# Ingest benchmark (`make bench`): netmond vs tcpdump vs tshark on one big
# capture of >= 1,000,000 frames made from the corpus's Ethernet pcaps.
#
# Environment: NETMOND (the binary), CORPUS (tcpdump-tests directory),
# BENCH_DIR (cache for big.pcap; default ./bench-data), BENCH_FRAMES
# (minimum frames, default 1000000), BENCH_RUNS (netmond/tcpdump turns,
# default 3; the medians are reported).
set -euo pipefail

netmond=${NETMOND:-./netmond}
corpus=${CORPUS:-$(dirname "$0")/../../shared/captures/tcpdump-tests}
dir=${BENCH_DIR:-$PWD/bench-data}
want=${BENCH_FRAMES:-1000000}

for t in mergecap capinfos tcpdump tshark python3 /usr/bin/time; do
	command -v "$t" >/dev/null || {
		echo "bench: $t missing (run tools/setup-deps.sh)"
		exit 1
	}
done
[ -x "$netmond" ] || {
	echo "bench: netmond not built ($netmond)"
	exit 1
}
[ -d "$corpus" ] || {
	echo "bench: corpus not found: $corpus (set CORPUS=DIR)"
	exit 1
}
mkdir -p "$dir"
big=$dir/big.pcap

count() { capinfos -T -c -M -r "$1" | cut -f2; }

# The seed: every well-formed Ethernet pcap of the corpus (crash
# reproducers left out, so the mix looks like ordinary traffic).
make_seed() {
	local seed=$dir/seed.pcap list=()
	while IFS=$'\t' read -r f enc; do
		case $f in *oobr* | *asan* | *overflow* | *crash* | *segv* | *cve* | *invalid* | *loop* | *fault* | *malformed*) continue ;; esac
		[ "$enc" = "ether" ] && list+=("$corpus/$f")
	done < <(cd "$corpus" && capinfos -T -M -E -r -- *.pcap 2>/dev/null)
	mergecap -F pcap -a -w "$seed" "${list[@]}"
	echo "$seed"
}

# Double the seed until it holds >= $want frames.
make_big() {
	local cur n tmp
	cur=$(make_seed)
	n=$(count "$cur")
	echo "bench: seed has $n frames from the corpus's Ethernet pcaps"
	while [ "$n" -lt "$want" ]; do
		tmp=$dir/tmp-$n.pcap
		mergecap -F pcap -a -w "$tmp" "$cur" "$cur"
		[ "$cur" = "$dir/seed.pcap" ] || rm -f "$cur"
		cur=$tmp
		n=$((n * 2))
	done
	mv "$cur" "$big"
}

if [ ! -s "$big" ] || [ "$(count "$big")" -lt "$want" ]; then
	echo "bench: building $big (cached for the next run)"
	make_big
fi
frames=$(count "$big")
echo "bench: $big: $frames frames, $(($(stat -c %s "$big") / 1048576)) MiB"

now() { date +%s.%N; }
secs() { python3 -c "import sys; print('%.3f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
rate() { python3 -c "import sys; print('%.0f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

# netmond and tcpdump take turns, BENCH_RUNS times each (default 3), so
# both see the same machine; the medians are compared.  The machine is
# shared and noisy: one run each said little.
runs=${BENCH_RUNS:-3}
db=$dir/bench.db
timelog=$dir/netmond.time
nm_times="" td_times=""
for i in $(seq "$runs"); do
	rm -f "$db" "$db-wal" "$db-shm" "$db-frames" "$db-frames".*
	t0=$(now)
	/usr/bin/time -v -o "$timelog.$i" "$netmond" -r "$big" --no-http --db "$db" >/dev/null
	t1=$(now)
	tcpdump -n -r "$big" >/dev/null 2>&1
	t2=$(now)
	nm_times="$nm_times $(secs "$t0" "$t1")"
	td_times="$td_times $(secs "$t1" "$t2")"
	echo "bench: run $i: netmond $(secs "$t0" "$t1") s, tcpdump $(secs "$t1" "$t2") s"
done
median() { python3 -c "import sys, statistics; print('%.3f' % statistics.median(map(float, sys.argv[1:])))" $1; }
mv "$timelog.$runs" "$timelog"
rm -f "$timelog".*
t2=$(now)
tshark -n -r "$big" -T fields -e ip.src -e ip.dst -e _ws.col.Protocol >/dev/null 2>&1
t3=$(now)

s_nm=$(median "$nm_times")
s_td=$(median "$td_times")
s_ts=$(secs "$t2" "$t3")
f_nm=$(rate "$frames" "$s_nm")
f_td=$(rate "$frames" "$s_td")
f_ts=$(rate "$frames" "$s_ts")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$timelog")
dbsize=$(du -cb "$db"* | tail -1 | cut -f1)

# The DB must be queryable afterwards: serve it and ask the API.
stored=$(python3 - "$netmond" "$db" "$(dirname "$0")/../tests/lib" <<'EOF'
import sys
sys.path.insert(0, sys.argv[3])
import netmon_test as nt
with nt.Server(sys.argv[1], sys.argv[2]) as s:
    caps = nt.captures(s.client())
    print(sum(nt.capture_frames_count(c) for c in caps))
EOF
)

python3 - "$frames" "$s_nm" "$s_td" "$s_ts" "$f_nm" "$f_td" "$f_ts" "$rss_kb" "$dbsize" "$stored" <<'EOF'
import sys
frames, s_nm, s_td, s_ts = int(sys.argv[1]), *map(float, sys.argv[2:5])
f_nm, f_td, f_ts, rss_kb, dbsize, stored = map(int, sys.argv[5:11])
r_td, r_ts, rss = f_nm / f_td, f_nm / f_ts, rss_kb / 1024
rows = [
    ("netmond -r --no-http", "%.2f s" % s_nm, "%d frames/s" % f_nm, ">= 400000 frames/s", f_nm >= 400000),
    ("tcpdump -n -r", "%.2f s" % s_td, "%d frames/s" % f_td, "", None),
    ("tshark -T fields", "%.2f s" % s_ts, "%d frames/s" % f_ts, "", None),
    ("netmond / tcpdump", "", "%.2fx" % r_td, ">= 1.2x", r_td >= 1.2),
    ("netmond / tshark", "", "%.1fx" % r_ts, ">= 10x", r_ts >= 10),
    ("netmond peak RSS", "", "%.0f MiB" % rss, "< 256 MiB", rss < 256),
    ("database size", "", "%.0f MiB (%.0f B/frame)" % (dbsize / 1048576, dbsize / frames), "", None),
    ("frames queryable via API", "", "%d of %d" % (stored, frames), "= capinfos", stored == frames),
]
print("\n%-26s %10s  %-26s %-20s %s" % ("measurement (medians)", "time", "value", "target", ""))
for name, t, v, target, ok in rows:
    mark = "" if ok is None else ("met" if ok else "MISSED")
    print("%-26s %10s  %-26s %-20s %s" % (name, t, v, target, mark))
sys.exit(0 if stored == frames else 1)
EOF
