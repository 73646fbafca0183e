#!/bin/sh
# Live test of the structured capture filter and the NIC counters, on real
# kernel traffic: a network namespace and a veth pair, netmond capturing on
# the host end while tcpreplay sends a corpus capture into the peer end.
#
# Checks, against tshark and iproute2 (not against our own output):
#   1. GET /interfaces statistics of the idle host end equal
#      `ip -s -j link show` read at the same moment;
#   2. a structured filter (POST /captures "filter": {...}) captures and
#      stores exactly the frames tshark's equivalent display filter selects
#      in the replayed file, and the capture's filter text is the compiled
#      expression; an invalid one answers 400 naming the member;
#   3. the capture's counters.nic (NIC counters since its start) count
#      every frame and byte replayed (frame.len sum by tshark), and stay
#      frozen after stop while the interface counters move on.
# Needs root, iproute2, tcpreplay, tshark, curl, python3 (skips with exit
# 77 otherwise).  Only sends into the namespace it creates.
set -u

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILED=1; }
[ "$(id -u)" = 0 ] || skip "live capture needs root (network namespaces, raw sockets)"
for t in ip tcpreplay tshark curl python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed (tools/setup-deps.sh)"
done
SRCDIR=${NETMON_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
CORPUS=${CORPUS:-$SRCDIR/../shared/captures/tcpdump-tests}
PCAP=$CORPUS/afs.pcap # 601 Ethernet frames, IPv4/UDP, all under the veth MTU
[ -r "$PCAP" ] || skip "corpus capture $PCAP not found; set CORPUS=DIR"
NETMOND=${NETMOND:-./netmond}
[ -x "$NETMOND" ] || { echo "ERROR: netmond not found ($NETMOND)"; exit 99; }

NS=nmfl$$
HOST=nmfh$$
PEER=nmfp$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/netmon-nmfilter-XXXXXX")
PID=
FAILED=0
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip link del "$HOST" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# No address and no IPv6 on either end: the kernel sends nothing on the
# link, so the host end's counters move only with what tcpreplay sends.
. "$SRCDIR/tests/lib/veth.sh"
veth_up "$NS" "$HOST" "$PEER" || skip "cannot set up a namespace and a veth pair"

tsh() { tshark -n -r "$PCAP" "$@" 2>/dev/null; }
SENT=$(tsh -T fields -e frame.len | wc -l)
SENT_BYTES=$(tsh -T fields -e frame.len | awk '{s += $1} END {print s}')
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
API=http://127.0.0.1:$PORT/api/v1

get() { curl -s "$API/$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }
post() { curl -s -o "$TMP/post.json" -w '%{http_code}' -X POST "$API/$1" ${2:+-d "$2"}; }
replay() { ip netns exec "$NS" tcpreplay -q -i "$PEER" "$@" "$PCAP" >"$TMP/replay.log" 2>&1 || cat "$TMP/replay.log"; }
# the host end's counters as iproute2 reports them, in sysfs names
ipstats() {
	ip -s -j link show "$HOST" | python3 -c "
import json, sys
s = json.load(sys.stdin)[0]['stats64']
names = {'rx': {'bytes': 'rx_bytes', 'packets': 'rx_packets', 'errors': 'rx_errors', 'dropped': 'rx_dropped',
                'over_errors': 'rx_over_errors', 'multicast': 'multicast'},
         'tx': {'bytes': 'tx_bytes', 'packets': 'tx_packets', 'errors': 'tx_errors', 'dropped': 'tx_dropped',
                'carrier_errors': 'tx_carrier_errors', 'collisions': 'collisions'}}
print(' '.join('%s=%d' % (names[d][k], v) for d in ('rx', 'tx') for k, v in sorted(s[d].items()) if k in names[d]))"
}
# ours, for the same names as ipstats
ourstats() {
	curl -s "$API/interfaces" | python3 -c "
import json, sys
want = '$1'.split()
i = [i for i in json.load(sys.stdin)['interfaces'] if i['name'] == '$HOST'][0]['statistics']
print(' '.join('%s=%d' % (w.split('=')[0], i[w.split('=')[0]]) for w in want))"
}

"$NETMOND" --db "$TMP/live.db" --listen "127.0.0.1:$PORT" --webdir "$TMP" 2>"$TMP/netmond.log" &
PID=$!
for _ in $(seq 50); do curl -s "$API/status" >/dev/null && break; sleep 0.1; done

echo "== 1. interface statistics = ip -s -j link show (idle veth)"
WANT=$(ipstats)
GOT=$(ourstats "$WANT")
[ -n "$WANT" ] && [ "$GOT" = "$WANT" ] || fail "statistics: ours '$GOT', ip '$WANT'"
echo "$GOT"

echo "== 2. a structured filter selects what tshark's display filter selects"
# Etype IPv4, UDP/TCP destination port 7001 (a transport pattern), and not
# from 131.151.1.59 (an exclude pair), as one structured filter
FILTER='{"etypes": {"list": ["0x0800"]}, "addresses": [{"a": "131.151.1.59", "dir": "a_to_b", "mode": "exclude"}],
 "patterns": [[{"from": "transport", "offset": 2, "hex": "1b59"}, {"from": "transport", "offset": 0, "hex": "1b59"}]]}'
DF='eth.type == 0x0800 && !(ip.src == 131.151.1.59) && (udp.dstport == 7001 || udp.srcport == 7001)'
WANT=$(tsh -Y "$DF" | wc -l)
[ "$WANT" -gt 0 ] || fail "tshark selects no frame with $DF"
CODE=$(post captures "{\"interface\": \"$HOST\", \"filter\": {\"addresses\": [{\"a\": \"10.0.0.1\", \"dir\": \"up\"}]}}")
[ "$CODE" = 400 ] && grep -q 'addresses\[0\].dir' "$TMP/post.json" || fail "a bad structured filter answered $CODE: $(cat "$TMP/post.json")"
[ "$(post captures "{\"interface\": \"$HOST\", \"filter\": $FILTER}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
ID=$(python3 -c "import json; print(json.load(open('$TMP/post.json'))['id'])")
EXPR=$(python3 -c "import json; print(json.load(open('$TMP/post.json'))['filter'])")
case $EXPR in *"ether proto 0x0800"*"ip src host 131.151.1.59"*"udp[2:2] == 0x1b59"*) ;; *) fail "filter text: $EXPR" ;; esac
BEFORE=$(cat "/sys/class/net/$HOST/statistics/rx_packets")
replay --pps=2000
for _ in $(seq 100); do
	[ "$(cat "/sys/class/net/$HOST/statistics/rx_packets")" -ge $((BEFORE + SENT)) ] && break
	sleep 0.1
done
sleep 1.5 # the last frames may sit in the kernel buffer for the read timeout
GOT=$(get "captures/$ID" "j['counters']['frames']")
[ "$GOT" = "$WANT" ] || fail "structured filter: captured $GOT, tshark '$DF' selects $WANT"
echo "captured $GOT of $SENT, tshark selects $WANT"

echo "== 3. counters.nic: every frame and byte replayed, frozen after stop"
NIC=$(get "captures/$ID" "j['counters']['nic']['rx_packets'], j['counters']['nic']['rx_bytes'], j['counters']['nic']['tx_packets']")
[ "$NIC" = "$SENT $SENT_BYTES 0" ] || fail "counters.nic (rx_packets, rx_bytes, tx_packets) = $NIC, want $SENT $SENT_BYTES 0"
echo "nic delta: $NIC (sent $SENT frames, $SENT_BYTES bytes)"
[ "$(post "captures/$ID/stop")" = 200 ] || fail "stop: $(cat "$TMP/post.json")"
STORED=$(get "captures/$ID" "j['frames']")
[ "$STORED" = "$WANT" ] || fail "stored $STORED frames, want $WANT"
replay --pps=5000
sleep 0.5
NIC2=$(get "captures/$ID" "j['counters']['nic']['rx_packets'], j['counters']['nic']['rx_bytes'], j['counters']['nic']['tx_packets']")
[ "$NIC2" = "$NIC" ] || fail "counters.nic moved after stop: $NIC2, was $NIC"
WANT=$(ipstats)
GOT=$(ourstats "$WANT")
[ "$GOT" = "$WANT" ] || fail "statistics after traffic: ours '$GOT', ip '$WANT'"

kill "$PID"
wait "$PID"
PID=
[ "$FAILED" = 0 ] && echo PASS
exit "$FAILED"
