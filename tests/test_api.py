#!/usr/bin/env python3
"""API test for netmond's JSON API (docs/api.md).

    python3 tests/test_api.py --netmond PATH --pcap FILE

Imports FILE with `netmond -r FILE --db TMP --listen 127.0.0.1:PORT`, waits
for /api/v1/status to say "done", then checks every endpoint's shape, that
pages stitched together equal one big page and `capinfos -c`, that a frame's
eth/ip tree values equal `tshark -T fields`, and every error answer.
Expected values come from capinfos/tshark, never from netmond itself.
Exit status: 0 pass, 1 fail, 77 skip (Automake).
"""

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
SANITIZER_RE = re.compile(r"ERROR: \w+Sanitizer|runtime error:|SUMMARY: \w+Sanitizer")
failures = []


def log(*a):
    print(*a, flush=True)


def check(cond, what):
    if cond:
        log("ok   " + what)
    else:
        log("FAIL " + what)
        failures.append(what)
    return cond


# ---- talking to the server ----

class Api:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
        finally:
            c.close()

    def get(self, path):
        """GET a JSON document: (status, headers, parsed body or None)."""
        status, hdrs, data = self.request("GET", path)
        try:
            doc = json.loads(data)
        except ValueError:
            doc = None
        return status, hdrs, doc

    def ok(self, path):
        status, hdrs, doc = self.get(path)
        if not check(status == 200 and doc is not None, "GET %s -> 200 JSON (got %d)" % (path, status)):
            return None
        check(hdrs.get("cache-control") == "no-cache", "GET %s has Cache-Control: no-cache" % path)
        return doc

    def raw(self, data, read_after=True):
        """Send raw bytes on a fresh socket; return the status and body."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        try:
            try:
                s.sendall(data)
            except OSError:
                pass  # the server may answer and close before the body is sent
            resp = b""
            while read_after:
                try:
                    chunk = s.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                resp += chunk
                if b"\r\n\r\n" in resp and _complete(resp):
                    break
        finally:
            s.close()
        m = re.match(rb"HTTP/1\.[01] (\d+)", resp)
        head, _, body = resp.partition(b"\r\n\r\n")
        return (int(m.group(1)) if m else 0), head.decode("latin-1").lower(), body


def _complete(resp):
    head, _, body = resp.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    return m is not None and len(body) >= int(m.group(1))


def error_body_ok(body, code):
    try:
        doc = json.loads(body)
        e = doc["error"]
        return e["code"] == code and isinstance(e["message"], str) and e["message"] != ""
    except (ValueError, KeyError, TypeError):
        return False


# ---- oracles ----

def capinfos_count(pcap):
    out = subprocess.run(["capinfos", "-c", "-M", pcap], capture_output=True, text=True).stdout
    m = re.search(r"Number of packets:\s*(\d+)", out)
    if not m:
        raise RuntimeError("capinfos gave no packet count: " + out)
    return int(m.group(1))


def tshark(pcap, args):
    r = subprocess.run(["tshark", "-r", pcap] + args, capture_output=True, text=True)
    return r.returncode, r.stdout


def epoch_to_ns(s):
    sec, _, frac = s.partition(".")
    return int(sec) * 10**9 + int((frac + "000000000")[:9])


def rfc3339(ns):
    sec, frac = divmod(ns, 10**9)
    t = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % frac


# ---- daemon ----

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(netmond, pcap, tmp):
    web = os.path.join(tmp, "web")
    os.makedirs(web)
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>netmon test</title>\n")
    with open(os.path.join(web, "app.js"), "w") as f:
        f.write("console.log('hi');\n")
    # A first import without HTTP, so the database holds two captures and
    # cross-capture paging and "latest capture" defaults are exercised.
    db = os.path.join(tmp, "test.db")
    first = subprocess.run([netmond, "-r", pcap, "--db", db, "--no-http"], capture_output=True, text=True,
                           timeout=300)
    check(first.returncode == 0, "netmond -r FILE --no-http imports a first copy (%d %s)"
          % (first.returncode, first.stderr.strip()[-300:]))
    port = free_port()
    cmd = [netmond, "-r", pcap, "--db", db,
           "--listen", "127.0.0.1:%d" % port, "--webdir", web]
    log("+ " + " ".join(cmd))
    errf = open(os.path.join(tmp, "netmond.log"), "w")
    proc = subprocess.Popen(cmd, stdout=errf, stderr=subprocess.STDOUT)
    return proc, Api(port)


def wait_done(proc, api, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return "netmond exited with status %d" % proc.returncode
        try:
            status, _, doc = api.get("/api/v1/status")
            if status == 200 and doc:
                state = doc["capture"]["state"]
                if state == "done":
                    return None
                if state == "failed":
                    return "capture failed: %s" % doc["capture"]["error"]
        except OSError:
            pass
        time.sleep(0.2)
    return "status never reached state done"


# ---- the checks ----

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")
SUMMARY_KEYS = {"capture", "number", "ts", "time", "len", "caplen", "src", "dst", "protocol", "info",
                "malformed", "truncated"}


def check_status(api, count):
    doc = api.ok("/api/v1/status")
    if not doc:
        return
    check(set(doc) >= {"version", "uptime_s", "capture", "frames_seen", "frames_stored",
                       "bytes_stored", "dropped"}, "status has every key")
    c = doc["capture"]
    check(set(c) >= {"state", "source", "kind", "capture_id", "error"}, "status.capture has every key")
    check(c["state"] == "done" and c["kind"] == "file" and c["error"] is None, "status: done file, no error")
    check(doc["frames_stored"] == count, "status.frames_stored %s == capinfos %d" % (doc["frames_stored"], count))
    check(set(doc["dropped"]) == {"queue", "kernel", "buffer"}, "status.dropped has queue, kernel and buffer (evicted)")


def check_captures(api, pcap, count):
    doc = api.ok("/api/v1/captures")
    if not doc or not check(len(doc.get("captures", [])) == 2, "captures lists both imports"):
        return None
    cap = doc["captures"][-1]
    check(set(cap) >= {"id", "source", "kind", "filter", "linktype", "first_ts", "last_ts", "first_time",
                       "last_time", "frames", "bytes", "running"}, "capture has every key")
    check(cap["frames"] == count and cap["running"] is False, "capture frames == capinfos, not running")
    rc, out = tshark(pcap, ["-T", "fields", "-e", "frame.time_epoch"])
    times = [epoch_to_ns(t) for t in out.split()]
    if times:
        check(cap["first_ts"] == min(times) and cap["last_ts"] == max(times),
              "capture first_ts/last_ts equal tshark's min/max frame.time_epoch (exact ns)")
    check(bool(RFC3339.match(cap["first_time"] or "")), "capture first_time is RFC 3339 with 9 digits")
    one = api.ok("/api/v1/captures/%d" % cap["id"])
    check(one == cap, "captures/{id} equals the list element")
    return cap["id"]


def all_pages(api, capture, limit):
    frames, cursor, pages = [], None, 0
    while True:
        path = "/api/v1/frames?limit=%d" % limit
        if capture is not None:
            path += "&capture=%d" % capture
        if cursor:
            path += "&cursor=" + cursor
        doc = api.ok(path)
        if doc is None or pages > 100000:
            return None
        frames += doc["frames"]
        pages += 1
        cursor = doc["next_cursor"]
        if cursor is None:
            return frames
        if not doc["frames"]:
            return frames


def check_frames(api, pcap, capture, count):
    big = api.ok("/api/v1/frames?capture=%d&limit=10000" % capture)
    if not big:
        return
    frames = big["frames"]
    check(len(frames) == min(count, 10000), "one big page has %d frames == capinfos %d" % (len(frames), count))
    check(all(set(f) == SUMMARY_KEYS for f in frames), "every frame summary has exactly the documented keys")
    check([f["number"] for f in frames] == list(range(1, len(frames) + 1)), "frames numbered 1..N in order")
    stitched = all_pages(api, capture, 7)
    check(stitched == frames, "pages of 7 stitched together equal the big page")
    dflt = api.ok("/api/v1/frames?capture=%d" % capture)
    check(dflt is not None and len(dflt["frames"]) == min(count, 100), "default limit is 100")
    rc, out = tshark(pcap, ["-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len"])
    want = [(epoch_to_ns(a), int(b), int(c)) for a, b, c in (l.split("\t") for l in out.splitlines())]
    got = [(f["ts"], f["len"], f["caplen"]) for f in frames]
    check(got == want[:len(got)], "frame ts (exact ns), len, caplen equal tshark's")
    check(all(RFC3339.match(f["time"]) for f in frames), "every frame time is RFC 3339 with 9 digits")
    check(all(f["time"] == rfc3339(f["ts"]) for f in frames), "every frame time is its ts in UTC")
    latest = api.ok("/api/v1/frames?capture=%d&order=desc&limit=5" % capture)
    check(latest is not None and [f["number"] for f in latest["frames"]] == list(range(count, max(count - 5, 0), -1))
          and latest["next_cursor"] is None, "order=desc gives the newest frames first")
    everything = all_pages(api, None, 7)
    caps = [c["id"] for c in api.ok("/api/v1/captures")["captures"]]
    per_capture = []
    for c in caps:
        per_capture += all_pages(api, c, 1000) or []
    check(everything is not None and len(everything) == len(caps) * count and everything == per_capture,
          "capture omitted: pages of 7 across %d captures == each capture's frames in turn (%d frames)"
          % (len(caps), len(everything or [])))


def tree_values(nodes, prefixes, out):
    for n in nodes:
        f = n["field"]
        if f and n["value"] is not None and f.split(".")[0] in prefixes:
            out.setdefault(f, []).append(n["value"])
        tree_values(n["children"], prefixes, out)
    return out


def check_detail(api, pcap, capture):
    rc, out = tshark(pcap, ["-Y", "eth && ip", "-T", "fields", "-e", "frame.number"])
    nums = out.split()
    if not check(rc == 0 and nums, "tshark finds an Ethernet/IPv4 frame to compare"):
        return
    number = int(nums[0])
    doc = api.ok("/api/v1/frames/%d?capture=%d" % (number, capture))
    if not doc:
        return
    check(set(doc) >= SUMMARY_KEYS | {"tree", "bytes"}, "frame detail has summary, tree and bytes")
    check(re.fullmatch(r"[0-9a-f]*", doc["bytes"]) is not None and len(doc["bytes"]) == 2 * doc["caplen"],
          "bytes is lower-case hex of caplen bytes")
    vals = tree_values(doc["tree"], {"eth", "ip"}, {})
    check(any(k.startswith("eth.") for k in vals) and any(k.startswith("ip.") for k in vals),
          "tree has eth.* and ip.* fields (%d fields)" % len(vals))
    fields = sorted(vals)
    args = ["-Y", "frame.number==%d" % number, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        args += ["-e", f]
    rc, out = tshark(pcap, args)
    if not check(rc == 0, "tshark knows every eth/ip field name of the tree: %s" % " ".join(fields)):
        return
    theirs = out.rstrip("\n").split("\t")
    for f, t in zip(fields, theirs):
        check(",".join(vals[f]) == t, "frame %d %s: ours %r == tshark %r" % (number, f, ",".join(vals[f]), t))
    dflt = api.ok("/api/v1/frames/%d" % number)
    check(dflt is not None and dflt["capture"] == capture, "frame detail defaults to the latest capture")


def check_stats_protocols(api, capture, count):
    doc = api.ok("/api/v1/stats?capture=%d" % capture)
    if doc:
        check(set(doc) >= {"frames", "bytes", "broadcast", "multicast", "truncated", "malformed", "dropped",
                           "flows_evicted", "protocols"}, "stats has every key")
        check(doc["frames"] == count, "stats.frames %s == capinfos %d" % (doc["frames"], count))
        check(all(set(p) == {"name", "frames", "bytes"} for p in doc["protocols"]), "stats.protocols shape")
    check(api.ok("/api/v1/stats") is not None, "stats over all captures")
    doc = api.ok("/api/v1/protocols")
    if doc and check(len(doc["protocols"]) > 0, "protocols is not empty"):
        eth = [p for p in doc["protocols"] if p["name"] == "eth"]
        check(eth and any(f["name"] == "eth.src" and f["type"] == "FT_ETHER" for f in eth[0]["fields"]),
              "protocols has eth with eth.src FT_ETHER")
    one = api.ok("/api/v1/protocols/eth")
    check(one is not None and one["name"] == "eth", "protocols/eth")


def check_errors(api, capture):
    cases = [
        ("/api/v1/frames?limit=abc", 400, "bad_parameter"),
        ("/api/v1/frames?limit=12abc", 400, "bad_parameter"),
        ("/api/v1/frames?limit=-1", 400, "bad_parameter"),
        ("/api/v1/frames?limit=0", 400, "bad_parameter"),
        ("/api/v1/frames?limit=", 400, "bad_parameter"),
        ("/api/v1/frames?limit=10001", 400, "bad_parameter"),
        ("/api/v1/frames?limit=99999999999999999999999", 400, "bad_parameter"),
        ("/api/v1/frames?cursor=garbage", 400, "bad_parameter"),
        ("/api/v1/frames?cursor=1:", 400, "bad_parameter"),
        ("/api/v1/frames?cursor=1:2x", 400, "bad_parameter"),
        ("/api/v1/frames?order=sideways", 400, "bad_parameter"),
        ("/api/v1/frames?capture=x1", 400, "bad_parameter"),
        ("/api/v1/frames/abc", 400, "bad_parameter"),
        ("/api/v1/frames/99999999?capture=%d" % capture, 404, "not_found"),
        ("/api/v1/frames/1?capture=99999", 404, "not_found"),
        ("/api/v1/frames?capture=99999", 404, "not_found"),
        ("/api/v1/captures/99999", 404, "not_found"),
        ("/api/v1/stats?capture=99999", 404, "not_found"),
        ("/api/v1/protocols/nosuchproto", 404, "not_found"),
        ("/api/v1/nosuchthing", 404, "not_found"),
        ("/api/v1/status/extra", 404, "not_found"),
        ("/api/nosuchthing", 404, "not_found"),
    ]
    for path, status, code in cases:
        got, hdrs, data = api.request("GET", path)
        check(got == status and error_body_ok(data, code)
              and hdrs.get("content-type", "").startswith("application/json"),
              "GET %s -> %d %s JSON (got %d %r)" % (path, status, code, got, data[:100]))
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        got, hdrs, data = api.request(method, "/api/v1/status", body=b"x" if method != "DELETE" else None)
        check(got == 405 and error_body_ok(data, "method_not_allowed") and "GET" in hdrs.get("allow", ""),
              "%s /api/v1/status -> 405 JSON with Allow (got %d)" % (method, got))
    got, hdrs, data = api.request("HEAD", "/api/v1/status")
    check(got == 200 and data == b"", "HEAD /api/v1/status -> 200 without body")
    big = 2 * 1024 * 1024
    st, _, body = api.raw(b"POST /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % big)
    check(st == 413 and error_body_ok(body, "too_large"), "POST with a 2 MiB Content-Length -> 413 JSON (got %d)" % st)
    st, _, body = api.raw(b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % big
                          + b"x" * big)
    check(st == 413 and error_body_ok(body, "too_large"), "GET with a 2 MiB body -> 413 JSON (got %d)" % st)
    chunk = b"x" * 65536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    st, _, body = api.raw(b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    check(st == 413 and error_body_ok(body, "too_large"), "GET with a 1.25 MiB chunked body -> 413 JSON (got %d)" % st)


def check_static(api):
    st, hdrs, data = api.request("GET", "/")
    check(st == 200 and hdrs.get("content-type", "").startswith("text/html") and b"netmon test" in data,
          "GET / serves index.html as text/html")
    st, hdrs, data = api.request("GET", "/app.js")
    check(st == 200 and hdrs.get("content-type", "").startswith("text/javascript"), "app.js is text/javascript")
    st, hdrs, data = api.request("GET", "/missing.css")
    check(st == 404, "a missing static file -> 404")
    for path in (b"/../../../../etc/passwd", b"/%2e%2e/%2e%2e/etc/passwd", b"/..%2f..%2fetc/passwd"):
        st, _, body = api.raw(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check(st in (400, 403, 404) and b"root:" not in body, "GET %s is refused (got %d)" % (path.decode(), st))


def check_port_in_use(netmond, port, tmp):
    try:
        r = subprocess.run([os.path.abspath(netmond), "--db", os.path.join(tmp, "test.db"), "--listen",
                            "127.0.0.1:%d" % port], capture_output=True, text=True, timeout=20)
        check(r.returncode != 0 and "in use" in r.stderr,
              "a second netmond on the same port fails clearly (%d: %s)" % (r.returncode, r.stderr.strip()))
    except subprocess.TimeoutExpired:
        check(False, "a second netmond on the same port fails instead of running")


def check_offsets(api, capture):
    """offset= must give the same rows as walking cursors to them, for a
    filter answered in SQL, one re-dissected, and no filter; tshark decides
    nothing here: the walk is the reference."""
    import urllib.parse
    for filt in ("frame", "udp", "dns.qry.name", "frame.len > 100 && !tcp"):
        q = "/api/v1/frames?capture=%d&filter=%s" % (capture, urllib.parse.quote(filt))
        every = api.ok(q + "&limit=10000")
        if every is None:
            continue
        rows = [f["number"] for f in every["frames"]]
        for off in (0, 1, 3, len(rows) // 2, max(len(rows) - 2, 0), len(rows), len(rows) + 5):
            page = api.ok(q + "&limit=3&offset=%d" % off)
            got = [f["number"] for f in page["frames"]] if page else None
            check(got == rows[off:off + 3], "filter %r offset=%d gives rows %s (got %s)" % (filt, off, rows[off:off + 3], got))
        back = api.ok(q + "&limit=2&offset=1&order=desc")
        check(back is not None and [f["number"] for f in back["frames"]] == rows[::-1][1:3],
              "filter %r offset=1 order=desc skips the newest" % filt)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--netmond", required=True)
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    if not (os.path.isfile(a.netmond) and os.access(a.netmond, os.X_OK)):
        log("SKIP: netmond not found at %s" % a.netmond)
        return SKIP
    if not os.path.isfile(a.pcap):
        log("SKIP: capture file %s not found" % a.pcap)
        return SKIP
    for tool in ("tshark", "capinfos"):
        if not shutil.which(tool):
            log("SKIP: %s is not installed (apt-get install tshark)" % tool)
            return SKIP
    count = capinfos_count(a.pcap)
    tmp = tempfile.mkdtemp(prefix="netmon-api-")
    proc, api = start(os.path.abspath(a.netmond), a.pcap, tmp)
    try:
        why = wait_done(proc, api)
        if not check(why is None, "netmond imports %s (%s)" % (a.pcap, why or "done")):
            return 1
        check_status(api, count)
        capture = check_captures(api, a.pcap, count)
        if capture:
            check_frames(api, a.pcap, capture, count)
            check_offsets(api, capture)
            check_detail(api, a.pcap, capture)
            check_stats_protocols(api, capture, count)
            check_errors(api, capture)
        check_static(api)
        check_port_in_use(a.netmond, api.port, tmp)
        check(proc.poll() is None, "netmond is still running after all requests")
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        with open(os.path.join(tmp, "netmond.log")) as f:
            out = f.read()
        if out.strip():
            log("--- netmond output ---\n" + out[-4000:])
        check(not SANITIZER_RE.search(out), "no sanitizer report in netmond's output")
        if a.keep:
            log("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
