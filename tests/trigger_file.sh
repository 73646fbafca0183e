#!/bin/sh
# Capture triggers on file imports (no root needed):
#   1. strict validation: each bad trigger answers 400 naming the member;
#   2. pattern + stop: the capture stops on the frame tshark finds the
#      pattern in (stored frames == that frame's number), state stopped;
#      the same from the network header (offset ip.hdr_len + 8);
#   3. pattern + pause: frames counted up to it, the rest seen-while-paused;
#   4. notify: one JSON POST to the webhook equal to the /alerts entry, and
#      the same object as `event: alert` on /events;
#   5. command: runs with the alert on stdin;
#   6. buffer level (with limits.frames): fires in the batch that stores it;
#   7. pattern_then_buffer: armed by the pattern, fires at the level (the
#      other order is in trigger_live.sh: an import reads far ahead of
#      what is stored, so the pattern frame may pass before the level);
#   8. a webhook that accepts and never answers does not hold imports up.
set -u
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILED=1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/netmon-trig-XXXXXX")
FAILED=0
. "$(dirname "$0")/trigger_lib.sh"
cleanup() {
	stop_all
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
"$NETMOND" --help 2>&1 | grep -q -- '--config' || skip "netmond has no --config yet (the [notify] settings)"

TOTAL=$(capinfos -T -r -c "$PCAP" | cut -f2)
set -- $(pick_pattern)
N=$1 HEX=$2 IPHL=$3
[ -n "$HEX" ] || skip "no frame with a unique UDP payload prefix in $PCAP"
echo "pattern $HEX: first in frame $N of $TOTAL (tshark)"
start_hook
BATCH=32 # frames per batch: the buffer level is checked after each one stored
start_netmond --batch $BATCH
start_events
F="\"file\":\"$PCAP\""

echo "== 1. validation"
for t in '"x"' '{}' '{"when":"pattern","action":"stop"}' \
	'{"when":"pattern","pattern":{"hex":"4"},"action":"stop"}' \
	'{"when":"pattern","pattern":{"hex":"zz"},"action":"stop"}' \
	'{"when":"pattern","pattern":{"hex":"47","offset":-1},"action":"stop"}' \
	'{"when":"pattern","pattern":{"hex":"47","from":"link"},"action":"stop"}' \
	'{"when":"pattern","pattern":{"hex":"47","size":1},"action":"stop"}' \
	'{"when":"pattern","pattern":{"hex":"47"},"action":"reboot"}' \
	'{"when":"pattern","pattern":{"hex":"47"},"action":"stop","colour":1}' \
	'{"when":"buffer","buffer_percent":50,"action":"stop"}' \
	'{"when":"buffer","action":"stop"}' \
	'{"when":"buffer","buffer_percent":150,"action":"stop"}'; do
	CODE=$(post captures "{$F,\"trigger\":$t}")
	MSG=$(posted "j['error']['message']" 2>/dev/null)
	case "$CODE $MSG" in
	"400 trigger"*) ;;
	*) fail "trigger $t answered $CODE '$MSG', want 400 naming a trigger member" ;;
	esac
done

echo "== 2. pattern, action stop"
[ "$(post captures "{$F,\"trigger\":$(pattern_trigger stop)}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
ID=$(posted "j['id']")
wait_for "j['state'] != 'running'" "$ID"
GOT=$(get "captures/$ID" "j['state'], j['frames'], j['trigger']['state'], j['trigger']['fired_ts'] is not None")
[ "$GOT" = "stopped $N fired True" ] || fail "stop: (state, stored, trigger, fired) = $GOT, want stopped $N fired True"
NOFF=$((IPHL + 8))
T="{\"when\":\"pattern\",\"pattern\":{\"from\":\"network\",\"offset\":$NOFF,\"hex\":\"$HEX\"},\"action\":\"stop\"}"
[ "$(post captures "{$F,\"trigger\":$T}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
ID=$(posted "j['id']")
wait_for "j['state'] != 'running'" "$ID"
GOT=$(get "captures/$ID" "j['state'], j['frames']")
[ "$GOT" = "stopped $N" ] || fail "network+$NOFF: (state, stored) = $GOT, want stopped $N"

echo "== 3. pattern, action pause"
[ "$(post captures "{$F,\"trigger\":$(pattern_trigger pause)}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
ID=$(posted "j['id']")
wait_for "j['state'] not in ('running', 'paused')" "$ID"
GOT=$(get "captures/$ID" "j['counters']['frames'], j['counters']['paused_frames'], j['trigger']['state']")
[ "$GOT" = "$N $((TOTAL - N)) fired" ] || fail "pause: (frames, paused_frames, trigger) = $GOT, want $N $((TOTAL - N)) fired"

echo "== 4. pattern, action notify (webhook and event stream)"
[ "$(post captures "{$F,\"trigger\":$(pattern_trigger notify)}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
ID=$(posted "j['id']")
wait_for "j['state'] == 'done'" "$ID"
GOT=$(get "captures/$ID" "j['frames'], j['trigger']['state']")
[ "$GOT" = "$TOTAL fired" ] || fail "notify: (stored, trigger) = $GOT, want $TOTAL fired (notify does not stop)"
check_notify "$ID"

echo "== 5. pattern, action command"
[ "$(post captures "{$F,\"trigger\":$(pattern_trigger command)}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
ID=$(posted "j['id']")
check_command "$ID"

echo "== 6. buffer level"
T='{"when":"buffer","buffer_percent":50,"action":"notify"}'
CODE=$(post captures "{$F,\"limits\":{\"frames\":$TOTAL},\"trigger\":$T}")
if [ "$CODE" = 400 ] && grep -q 'not supported' "$TMP/post.json"; then
	echo "SKIP (this part): per-capture limits are not in the API yet"
else
	[ "$CODE" = 201 ] || fail "start: $(cat "$TMP/post.json")"
	ID=$(posted "j['id']")
	wait_for "j['state'] == 'done'" "$ID"
	sleep 0.5
	GOT=$(curl -s "$API/alerts" | python3 -c "
import json, sys, re
a = [a for a in json.load(sys.stdin)['alerts'] if a['capture_id'] == $ID]
m = re.search(r'with (\d+) frames', a[0]['message']) if len(a) == 1 else None
k = int(m.group(1)) if m else -1
print(a[0]['trigger'] if a else None, k * 2 >= $TOTAL and (k - $BATCH) * 2 < $TOTAL, k)")
	echo "buffer 50% of $TOTAL frames: fired with $(echo "$GOT" | cut -d' ' -f3) stored (batches of $BATCH)"
	[ "${GOT% *}" = "buffer True" ] || fail "buffer: (trigger, fired in the batch that crossed 50%, stored) = $GOT"
fi

echo "== 7. two stages: pattern then buffer"
P="\"pattern\":{\"from\":\"transport\",\"offset\":8,\"hex\":\"$HEX\"}"
# the pattern arms it at N; it fires in the batch that stores 80%
T="{\"when\":\"pattern_then_buffer\",\"buffer_percent\":80,$P,\"action\":\"notify\"}"
if [ "$(post captures "{$F,\"limits\":{\"frames\":$TOTAL},\"trigger\":$T}")" = 201 ]; then
	ID=$(posted "j['id']")
	wait_for "j['state'] == 'done'" "$ID"
	sleep 0.5
	GOT=$(curl -s "$API/alerts" | python3 -c "
import json, sys, re
a = [a for a in json.load(sys.stdin)['alerts'] if a['capture_id'] == $ID]
m = re.search(r'with (\d+) frames', a[0]['message']) if len(a) == 1 else None
k = int(m.group(1)) if m else -1
print(a[0]['trigger'] if a else None, k * 5 >= $TOTAL * 4 and (k - $BATCH) * 5 < $TOTAL * 4, k)")
	echo "pattern then buffer 80% of $TOTAL frames: fired with ${GOT##* } stored"
	[ "${GOT% *}" = "pattern_then_buffer True" ] || fail "pattern_then_buffer: (trigger, in the batch that crossed 80%, stored) = $GOT"
else
	fail "pattern_then_buffer: $(cat "$TMP/post.json")"
fi

echo "== 8. a webhook that does not answer does not hold the capture up"
stop_all
python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $HOOKPORT)); s.listen(8)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)  # read nothing, answer nothing
" &
HOOKPID=$!
start_netmond --batch $BATCH
T0=$(date +%s)
for i in 1 2 3; do
	[ "$(post captures "{$F,\"trigger\":$(pattern_trigger notify)}")" = 201 ] || fail "start: $(cat "$TMP/post.json")"
	ID=$(posted "j['id']")
	wait_for "j['state'] == 'done'" "$ID" || fail "capture $ID with a silent webhook did not finish"
done
T1=$(date +%s)
GOT=$(get "captures/$ID" "j['frames'], j['trigger']['state']")
echo "3 imports with a silent webhook: $((T1 - T0)) s"
[ "$GOT" = "$TOTAL fired" ] || fail "silent webhook: (stored, trigger) = $GOT, want $TOTAL fired"
# had capture waited for the webhook, each import would take its 3 s timeout
[ $((T1 - T0)) -lt 9 ] || fail "3 imports took $((T1 - T0)) s with a silent webhook (its timeout is 3 s each)"

[ "$FAILED" = 0 ] && echo PASS
exit "$FAILED"
