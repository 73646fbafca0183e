#!/bin/sh
# `make bench-live`: the highest replay rate at which netmond stores every
# frame with zero drops, and the same for `tcpdump -w /dev/null`, side by
# side on the same veth (a network namespace; tcpreplay sends into the
# peer end, the capture runs on the host end).
#
# A trial replays PCAP LOOPS times at --pps=R and passes when
#   netmond:  counters.frames = stored frames = frames sent, no kernel or
#             queue drop (the capture's own counters, read from the API);
#   tcpdump:  "packets captured" = frames sent, "dropped by kernel" = 0.
# The requested rate doubles from START until a trial fails, then a binary
# search narrows it to within 5%, the two tools' trials alternating; the figure reported is the rate
# tcpreplay achieved (its "Rated:" pps) in the fastest passing trial, as on
# a shared CPU it may fall short of the request.  When doubling the request
# twice running no longer makes tcpreplay 10% faster the search stops and the figure is
# "at least" (the sender's limit, not the capture's).  Not a test: the
# figures depend on the machine and its load.
#
# Needs root, iproute2, tcpreplay, tcpdump, curl, python3.
# Environment: NETMOND, PCAP (default the corpus' afs.pcap), LOOPS (100),
# START (10000 pps), NETMOND_ARGS (extra netmond options), PIN (see below).
set -u

die() { echo "bench-live: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespace, raw sockets)"
for t in ip tcpreplay tcpdump curl python3; do
	command -v $t >/dev/null 2>&1 || die "$t is not installed"
done
NETMOND=${NETMOND:-./netmond}
[ -x "$NETMOND" ] || die "netmond not found ($NETMOND)"
PCAP=${PCAP:-${CORPUS:-../shared/captures/tcpdump-tests}/afs.pcap}
[ -r "$PCAP" ] || die "no capture $PCAP (set PCAP or CORPUS)"
LOOPS=${LOOPS:-100}
# PIN=1: tcpreplay on CPU 0, the capture on the others (taskset), so that
# the capture's own CPU use does not slow the sender down
SEND_CPU= CAP_CPU=
if [ "${PIN:-0}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	SEND_CPU="taskset -c 0" CAP_CPU="taskset -c 1-$(($(nproc) - 1))"
fi
START=${START:-10000}

NS=nmbench$$
HOST=nmbh$$
PEER=nmbp$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/netmon-bench-XXXXXX")
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip link del "$HOST" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

. "$(dirname "$0")/../tests/lib/veth.sh"
veth_up "$NS" "$HOST" "$PEER" || die "cannot set up a namespace and a veth pair"

PER=$(tcpdump -r "$PCAP" -n 2>/dev/null | wc -l)
SENT=$((PER * LOOPS))
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
API=http://127.0.0.1:$PORT/api/v1
get() { curl -s "$API/$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }
rx() { cat "/sys/class/net/$HOST/statistics/rx_packets"; }

# replay RATE: sends SENT frames; prints tcpreplay's achieved pps
replay() {
	$SEND_CPU ip netns exec "$NS" tcpreplay -i "$PEER" --pps="$1" --loop="$LOOPS" "$PCAP" >"$TMP/replay.log" 2>&1
	sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' "$TMP/replay.log" | tail -1 | cut -d. -f1
}
# wait until the host end has received what was sent (or 10 s)
wait_rx() {
	for _ in $(seq 100); do [ "$(rx)" -ge "$1" ] && return; sleep 0.1; done
}

# trial_netmond RATE: "ok|fail ACHIEVED detail"
trial_netmond() {
	rm -f "$TMP"/n.db*
	$CAP_CPU "$NETMOND" --db "$TMP/n.db" --listen "127.0.0.1:$PORT" --webdir "$TMP" -i "$HOST" ${NETMOND_ARGS:-} \
		2>"$TMP/netmond.log" &
	PID=$!
	for _ in $(seq 50); do curl -s "$API/status" >/dev/null && break; sleep 0.1; done
	base=$(rx)
	got=$(replay "$1")
	wait_rx $((base + SENT))
	sleep 1.5 # the read timeout may hold the last frames in the kernel
	curl -s -X POST "$API/captures/1/stop" >/dev/null
	set -- $(get captures/1 "j['counters']['frames'], j['frames'], j['counters']['dropped']['kernel'], j['counters']['dropped']['queue']")
	kill "$PID"
	wait "$PID" 2>/dev/null
	PID=
	st=fail
	[ "$1" = "$SENT" ] && [ "$2" = "$SENT" ] && [ "$3" = 0 ] && [ "$4" = 0 ] && st=ok
	echo "$st ${got:-0} captured=$1 stored=$2 kernel_drops=$3 queue_drops=$4"
}

trial_tcpdump() {
	$CAP_CPU tcpdump -i "$HOST" -n -w /dev/null 2>"$TMP/tcpdump.log" &
	PID=$!
	sleep 1
	base=$(rx)
	got=$(replay "$1")
	wait_rx $((base + SENT))
	sleep 1.5
	kill -INT "$PID"
	wait "$PID" 2>/dev/null
	PID=
	c=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$TMP/tcpdump.log")
	d=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$TMP/tcpdump.log")
	st=fail
	[ "$c" = "$SENT" ] && [ "$d" = 0 ] && st=ok
	echo "$st ${got:-0} captured=$c kernel_drops=$d"
}

# One search step of TOOL (netmond or tcpdump): a trial at its current
# rate, then its next rate.  Its state lives in variables suffixed _TOOL:
# rate, lo/hi (highest passing / lowest failing request, hi 0 while
# doubling), best (highest "Rated:" pps of a passing trial), flat (requests
# in a row that did not make tcpreplay faster), capped, done.
step() {
	t=$1
	eval "rate=\$rate_$t lo=\$lo_$t hi=\$hi_$t best=\$best_$t flat=\$flat_$t capped=\$capped_$t done="
	set -- $(trial_"$t" "$rate")
	echo "  $t --pps=$rate: $*" >&2
	# bounds are the rates tcpreplay reached, so that the bisection does
	# not wander among requests the sender cannot reach anyway
	got=$(($2 < rate ? $2 : rate))
	if [ "$1" = ok ]; then
		lo=$got
		if [ "$hi" = 0 ] && [ "$2" -le $((best * 11 / 10)) ]; then
			flat=$((flat + 1))
		else
			flat=0
		fi
		[ "$2" -gt "$best" ] && best=$2
		[ "$hi" = 0 ] && [ "$flat" -ge 2 ] && capped=">=" done=1
	else
		hi=$got
	fi
	if [ -z "$done" ] && [ "$hi" = 0 ]; then
		rate=$((rate * 2))
	elif [ -z "$done" ]; then
		[ "$lo" = 0 ] || [ $((hi - lo)) -le $((lo / 20)) ] && done=1
		rate=$(((lo + hi) / 2))
	fi
	eval "rate_$t=\$rate lo_$t=\$lo hi_$t=\$hi best_$t=\$best flat_$t=\$flat capped_$t=\$capped done_$t=\$done"
}

# The two searches take turns, so both see the machine's load alike.
for t in netmond tcpdump; do
	eval "rate_$t=$START lo_$t=0 hi_$t=0 best_$t=0 flat_$t=0 capped_$t= done_$t="
done
echo "bench-live: $PCAP x $LOOPS = $SENT frames per trial, on veth $HOST; $(nproc) CPUs, load average $(cut -d" " -f1-3 /proc/loadavg)"
while [ -z "$done_netmond" ] || [ -z "$done_tcpdump" ]; do
	[ -n "$done_netmond" ] || step netmond
	[ -n "$done_tcpdump" ] || step tcpdump
done
N=$capped_netmond$best_netmond
T=$capped_tcpdump$best_tcpdump
echo "highest zero-drop replay rate (frames/s): netmond $N, tcpdump -w /dev/null $T"
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg) (other load makes the figures vary)"
python3 -c "
n, t = '$N', '$T'
if n.startswith('>=') or t.startswith('>='):
    print('ratio: n/a (a >= figure is where tcpreplay stopped getting faster with that capture running, not a drop)')
else:
    print('ratio netmond/tcpdump: %s' % ('%.2f' % (int(n) / int(t)) if int(n) and int(t) else 'n/a'))"
