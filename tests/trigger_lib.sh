# trigger_lib.sh - shared by trigger_file.sh and trigger_live.sh (sourced).
# Expects: skip(), fail(), $TMP, and sets PORT, API, HOOKPORT, NETMOND, PCAP.

SRCDIR=${NETMON_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
CORPUS=${CORPUS:-$SRCDIR/../shared/captures/tcpdump-tests}
PCAP=$CORPUS/afs.pcap # 601 Ethernet frames, 576 UDP (AFS RPC), all under the veth MTU
[ -r "$PCAP" ] || skip "corpus capture $PCAP not found; set CORPUS=DIR"
NETMOND=${NETMOND:-./netmond}
[ -x "$NETMOND" ] || { echo "ERROR: netmond not found ($NETMOND)"; exit 99; }
for t in tshark capinfos curl python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed (tools/setup-deps.sh)"
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
HOOKPORT=$(free_port)
API=http://127.0.0.1:$PORT/api/v1
PID=
HOOKPID=
EVPID=

# get PATH EXPR: evaluate a Python expression on the JSON answer `j`
get() { curl -s "$API/$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }
post() { curl -s -o "$TMP/post.json" -w '%{http_code}' -X POST "$API/$1" ${2:+-d "$2"}; }
posted() { python3 -c "import json; j=json.load(open('$TMP/post.json')); print($1)"; }

# The oracle for "where is the pattern": tshark's frame numbers and UDP
# payloads.  Picks the first frame from number 300 on whose first 8 UDP
# payload bytes appear in no earlier frame; prints "N HEX IPHDRLEN".
pick_pattern() {
	tshark -r "$PCAP" -T fields -e frame.number -e ip.hdr_len -e udp.payload 2>/dev/null |
		awk 'NF == 3 { k = substr($3, 1, 16); if (!(k in seen)) { seen[k] = 1; if ($1 >= 300) { print $1, k, $2; exit } } }'
}

# A webhook receiver on loopback: appends "PATH BODY" lines to $TMP/posts.txt.
start_hook() {
	cat >"$TMP/hook.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with open(sys.argv[2], 'ab') as f:
            f.write(self.path.encode() + b' ' + self.headers.get('Content-Type', '').encode() + b' ' + body + b'\n')
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
EOF
	python3 "$TMP/hook.py" "$HOOKPORT" "$TMP/posts.txt" &
	HOOKPID=$!
}

# netmond with the [notify] settings of the test; extra arguments follow.
start_netmond() {
	printf '[notify]\nwebhook = http://127.0.0.1:%s/netmon\ncommand = cat > %s/command.json\nsyslog = no\n' \
		"$HOOKPORT" "$TMP" >"$TMP/netmond.conf"
	"$NETMOND" -c "$TMP/netmond.conf" --db "$TMP/trig.db" --listen "127.0.0.1:$PORT" --webdir "$TMP" "$@" \
		2>"$TMP/netmond.log" &
	PID=$!
	for _ in $(seq 50); do curl -s "$API/status" >/dev/null && return; sleep 0.1; done
	echo "ERROR: netmond did not start: $(cat "$TMP/netmond.log")"
	exit 99
}

start_events() {
	curl -sN --max-time 120 "$API/events" >"$TMP/events.txt" &
	EVPID=$!
	sleep 0.3
}

stop_all() {
	[ -n "$EVPID" ] && kill "$EVPID" 2>/dev/null && wait "$EVPID" 2>/dev/null
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	[ -n "$HOOKPID" ] && kill "$HOOKPID" 2>/dev/null && wait "$HOOKPID" 2>/dev/null
	EVPID= PID= HOOKPID=
}

# wait_for PYTHON-EXPR-ON-CAPTURE-J ID: until true (or 10 s)
wait_for() {
	for _ in $(seq 100); do
		[ "$(get "captures/$2" "bool($1)")" = True ] && return 0
		sleep 0.1
	done
	return 1
}

# The trigger JSON: pattern at transport+8 (the UDP payload), action $1.
pattern_trigger() {
	printf '{"when":"pattern","pattern":{"from":"transport","offset":8,"hex":"%s"},"action":"%s"}' "$HEX" "$1"
}

# check_notify ID: the webhook got one POST for capture ID whose JSON is
# the alert /alerts lists, and /events carried it as `event: alert`.
check_notify() {
	for _ in $(seq 50); do [ -s "$TMP/posts.txt" ] && break; sleep 0.1; done
	sleep 0.5
	GOT=$(curl -s "$API/alerts" | python3 -c "
import json, sys
alerts = [a for a in json.load(sys.stdin)['alerts'] if a['capture_id'] == $1]
posts = [l.split(' ', 2) for l in open('$TMP/posts.txt') if l.strip()]
events, name = [], None
for l in open('$TMP/events.txt'):
    if l.startswith('event: '): name = l[7:].strip()
    elif l.startswith('data: ') and name == 'alert': events.append(json.loads(l[6:]))
events = [e for e in events if e['capture_id'] == $1]
ok = (len(alerts) == 1 and len(posts) == 1 and posts[0][0] == '/netmon' and posts[0][1] == 'application/json'
      and json.loads(posts[0][2]) == alerts[0] and events == alerts and alerts[0]['action'] == 'notify'
      and alerts[0]['kind'] == 'trigger' and alerts[0]['trigger'] == 'pattern')
print('ok' if ok else 'alerts=%s posts=%s events=%s' % (alerts, posts, events))")
	[ "$GOT" = ok ] || fail "notify: $GOT"
}

# check_command ID: the command ran with the alert on stdin.
check_command() {
	for _ in $(seq 50); do [ -s "$TMP/command.json" ] && break; sleep 0.1; done
	GOT=$(python3 -c "
import json
a = json.load(open('$TMP/command.json'))
print(a['capture_id'], a['action'], a['kind'])" 2>&1)
	[ "$GOT" = "$1 command trigger" ] || fail "command: stdin JSON gave '$GOT', want '$1 command trigger'"
}
