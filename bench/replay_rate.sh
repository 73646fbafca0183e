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
# search narrows it to within 5%; the figure reported is the rate
# tcpreplay achieved (its "Rated:" pps) in the fastest passing trial, as on
# a shared CPU it may fall short of the request.  When doubling the request
# twice running no longer makes tcpreplay 10% faster the search stops and the figure is
# "at least" (the sender's limit, not the capture's).  Not a test: the
# figures depend on the machine and its load.
#
# Needs root, iproute2, tcpreplay, tcpdump, curl, python3.
# Environment: NETMOND, PCAP (default the corpus' afs.pcap), LOOPS (100),
# START (10000 pps), NETMOND_ARGS (extra netmond options).
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

ip netns add "$NS" || die "cannot create a network namespace"
ip link add "$HOST" type veth peer name "$PEER" || die "cannot create a veth pair"
ip link set "$PEER" netns "$NS"
sysctl -qw "net.ipv6.conf.$HOST.disable_ipv6=1"
ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$PEER.disable_ipv6=1"
ip link set "$HOST" up
ip netns exec "$NS" ip link set "$PEER" up
sleep 0.5

PER=$(tcpdump -r "$PCAP" -n 2>/dev/null | wc -l)
SENT=$((PER * LOOPS))
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
API=http://127.0.0.1:$PORT/api/v1
get() { curl -s "$API/$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }
rx() { cat "/sys/class/net/$HOST/statistics/rx_packets"; }

# replay RATE: sends SENT frames; prints tcpreplay's achieved pps
replay() {
	ip netns exec "$NS" tcpreplay -i "$PEER" --pps="$1" --loop="$LOOPS" "$PCAP" >"$TMP/replay.log" 2>&1
	sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/\1/p' "$TMP/replay.log" | tail -1 | cut -d. -f1
}
# wait until the host end has received what was sent (or 10 s)
wait_rx() {
	for _ in $(seq 100); do [ "$(rx)" -ge "$1" ] && return; sleep 0.1; done
}

# trial_netmond RATE: "ok|fail ACHIEVED detail"
trial_netmond() {
	rm -f "$TMP"/n.db*
	"$NETMOND" --db "$TMP/n.db" --listen "127.0.0.1:$PORT" --webdir "$TMP" -i "$HOST" ${NETMOND_ARGS:-} \
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
	tcpdump -i "$HOST" -n -w /dev/null 2>"$TMP/tcpdump.log" &
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

# search TOOL: prints the highest rate tcpreplay achieved ("Rated:") in a
# passing trial, prefixed ">=" when tcpreplay itself stopped getting faster
search() {
	tool=$1 lo=0 hi=0 rate=$START best=0 flat=0 capped=
	while :; do
		set -- $(trial_"$tool" "$rate")
		echo "  $tool --pps=$rate: $*" >&2
		if [ "$1" != ok ]; then hi=$rate; break; fi
		lo=$rate
		if [ "$2" -le $((best * 11 / 10)) ]; then
			flat=$((flat + 1))
			[ "$2" -gt "$best" ] && best=$2
			if [ "$flat" -ge 2 ]; then capped=">="; break; fi
		else
			flat=0 best=$2
		fi
		rate=$((rate * 2))
	done
	while [ -z "$capped" ] && [ "$lo" -gt 0 ] && [ $((hi - lo)) -gt $((lo / 20)) ]; do
		rate=$(((lo + hi) / 2))
		set -- $(trial_"$tool" "$rate")
		echo "  $tool --pps=$rate: $*" >&2
		if [ "$1" = ok ]; then
			lo=$rate
			[ "$2" -gt "$best" ] && best=$2
		else
			hi=$rate
		fi
	done
	echo "$capped$best"
}

echo "bench-live: $PCAP x $LOOPS = $SENT frames per trial, on veth $HOST; $(nproc) CPUs, load average $(cut -d" " -f1-3 /proc/loadavg)"
N=$(search netmond)
T=$(search tcpdump)
echo "highest zero-drop replay rate (frames/s): netmond $N, tcpdump -w /dev/null $T"
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg) (other load makes the figures vary)"
python3 -c "
n, t = int('$N'.lstrip('>=')), int('$T'.lstrip('>='))
print('ratio netmond/tcpdump: %s' % ('%.2f' % (n / t) if n and t else 'n/a'))"
