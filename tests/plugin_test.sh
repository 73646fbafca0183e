#!/bin/sh
# The dissector plugin API end to end (plugins/example, tests/plugin_badabi.c):
# netmond --plugins DIR with the example plugin and a wrong-ABI one must
#  - refuse the wrong ABI with its log line and keep running,
#  - list nmexample in GET /api/v1/protocols with its fields,
#  - dissect a crafted UDP/9999 frame with nmexample fields of the values
#    written into it, show NMEXAMPLE in the protocol column and info,
#  - filter on a plugin field (filter=nmexample.type == 2).
# Exit: 0 pass, 1 fail, 77 skip.
srcdir=${NETMON_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
netmond=${NETMOND:-./netmond}
builddir=$(cd "$(dirname "$netmond")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
for so in plugins/example/nmexample.so tests/plugin-badabi/nmbadabi.so; do
	[ -f "$builddir/$so" ] || { echo "FAIL: $builddir/$so not built"; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nmplugin.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/plugins"
cp "$builddir/plugins/example/nmexample.so" "$builddir/tests/plugin-badabi/nmbadabi.so" "$tmp/plugins/"

PYTHONPATH="$srcdir/tests/lib" python3 - "$netmond" "$tmp" "$srcdir" <<'PY'
import os, re, struct, sys
import netmon_test as nt

netmond, tmp, srcdir = sys.argv[1:4]
with open(os.path.join(srcdir, "include", "netmon", "dissector.h")) as f:
    abi = int(re.search(r"#define NETMON_DISSECTOR_ABI (\d+)", f.read()).group(1))
plugins = os.path.join(tmp, "plugins")
fails = []

def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails.append(what)

def checksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def udp_frame(sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = bytes.fromhex("020000000002" "020000000001") + struct.pack("!H", 0x0800)
    return eth + ip + udp

# Frame 1: a request (type 1) with a 5-byte payload; frame 2: a reply with
# none; frame 3: UDP to another port (must not become nmexample).
frames = [udp_frame(40000, 9999, struct.pack("!BH", 1, 5) + b"hello"),
          udp_frame(9999, 40000, struct.pack("!BH", 2, 0)),
          udp_frame(40000, 9998, struct.pack("!BH", 1, 0))]
pcap = os.path.join(tmp, "example.pcap")
with open(pcap, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)

db = os.path.join(tmp, "p.db")
r = nt.import_file(netmond, pcap, db, extra=["--plugins", plugins])
check(r.rc == 0 and not r.sanitizer_report(), "import with plugins exits 0 (%s)" % r.describe())
line = "netmond: plugin nmbadabi.so: ABI %d, netmond speaks %d: not loaded" % (abi + 1, abi)
check(line in r.stderr, "wrong ABI refused with: " + line)
check("plugin nmexample.so: loaded" in r.stderr, "example plugin loaded")

with nt.Server(netmond, db, extra=["--plugins", plugins]) as srv:
    api = srv.client()
    protos = {p["name"]: p for p in nt.items(api.get("/api/v1/protocols"), "protocols")}
    check("nmexample" in protos, "GET /api/v1/protocols lists nmexample")
    names = sorted(f["name"] for f in protos.get("nmexample", {}).get("fields", []))
    check(names == ["nmexample.length", "nmexample.payload", "nmexample.type"],
          "nmexample fields: %s" % names)
    one = api.get("/api/v1/protocols/nmexample")
    check(one.get("short_name") == "NMEXAMPLE", "GET /api/v1/protocols/nmexample")

    rows = nt.items(api.get("/api/v1/frames"), "frames")
    cols = [(f["protocol"], f["info"]) for f in rows]
    check(cols[:2] == [("NMEXAMPLE", "Request, 5 bytes"), ("NMEXAMPLE", "Reply, 0 bytes")],
          "protocol/info columns of frames 1-2: %s" % cols[:2])
    check(cols[2][0] == "UDP", "frame 3 (port 9998) stays UDP: %s" % (cols[2],))

    def fields_of(tree, out):
        for n in tree:
            if n.get("field") and n.get("value") is not None:
                out[n["field"]] = n["value"]
            fields_of(n.get("children", []), out)
        return out
    got = fields_of(api.get("/api/v1/frames/1")["tree"], {})
    want = {"nmexample.type": "1", "nmexample.length": "5",
            "nmexample.payload": b"hello".hex()}
    check(all(got.get(k) == v for k, v in want.items()),
          "frame 1 tree: %s" % {k: got.get(k) for k in want})
    got = fields_of(api.get("/api/v1/frames/2")["tree"], {})
    check(got.get("nmexample.type") == "2" and "nmexample.payload" not in got,
          "frame 2 tree: type 2, no payload")
    try:
        hit = nt.items(api.get("/api/v1/frames", filter="nmexample.type == 2"), "frames")
        check([f["number"] for f in hit] == [2], "filter nmexample.type == 2 -> frame 2")
    except nt.ApiError as e:
        check(False, "filter on a plugin field: %s" % e)
    check(srv.alive(), "netmond still running")
    err = srv.stderr()
check(line in err, "server run logs the refusal too")
check(not nt.SANITIZER_RE.search(err), "no sanitizer report")

# Without --plugins the example protocol is unknown: the API must not list it.
db2 = os.path.join(tmp, "q.db")
nt.import_file(netmond, pcap, db2)
with nt.Server(netmond, db2) as srv:
    protos = [p["name"] for p in nt.items(srv.client().get("/api/v1/protocols"), "protocols")]
    check("nmexample" not in protos, "without --plugins nmexample is absent")
sys.exit(1 if fails else 0)
PY
