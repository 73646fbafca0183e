#!/usr/bin/env python3
"""Capture buffer limits and the disk ceiling, end to end.

netmond imports a synthetic pcap (written here, 1000 frames a second, varied
sizes) with tiny limits: per capture (POST /api/v1/captures "limits") by
frames, bytes and age, and for the whole database by a disk ceiling.  What
remains must be exactly the newest frames: tshark gives the frame numbers,
times and lengths of the file, editcap cuts the expected frame range, and
the API's pcap export must equal it record for record.  du watches the
files during the import: they stay under the ceiling.  The store is
reopened by a second daemon to check that the same frames read back.
"""

import http.client
import json
import os
import random
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

SEGMENT = 1 << 20  # frame byte files of 1 MiB, so a small ceiling has room
NFRAMES = 40000
failures = []


def check(ok, what):
    nt.log(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def write_pcap(path):
    """Ethernet/IPv4/UDP frames, 60..1442 bytes, 1 ms apart."""
    rnd = random.Random(5)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(NFRAMES):
            n = rnd.randint(18, 1400)
            payload = bytes(rnd.getrandbits(8) for _ in range(16)) * (n // 16 + 1)
            # ports no dissector claims: the payload is random
            udp = struct.pack(">HHHH", 40000 + i % 50, 41000 + i % 3, 8 + n, 0) + payload[:n]
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                             bytes([10, 0, i % 7, 1]), bytes([10, 1, 0, i % 5 + 1])) + udp
            eth = bytes.fromhex("001122334455" "66778899aabb" "0800") + ip
            f.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(eth), len(eth)) + eth)


def tshark_frames(pcap):
    """[(number, ts_ns, caplen)] from tshark."""
    p = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch",
                        "-e", "frame.cap_len"], capture_output=True, text=True, check=True)
    out = []
    for ln in p.stdout.splitlines():
        n, t, c = ln.split("\t")
        sec, _, frac = t.partition(".")
        out.append((int(n), int(sec) * 10**9 + int((frac + "000000000")[:9]), int(c)))
    return out


def read_pcap(data):
    """[(ts_ns, bytes)] of a pcap with micro- or nanosecond timestamps."""
    magic = struct.unpack("<I", data[:4])[0]
    scale = {0xA1B2C3D4: 1000, 0xA1B23C4D: 1}[magic]
    recs, off = [], 24
    while off + 16 <= len(data):
        s, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        recs.append((s * 10**9 + frac * scale, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return recs


def editcap_range(pcap, first, last, tmp):
    out = os.path.join(tmp, "expect-%d-%d.pcap" % (first, last))
    subprocess.run(["editcap", "-F", "pcap", "-r", pcap, out, "%d-%d" % (first, last)], check=True)
    return read_pcap(open(out, "rb").read())


def request(port, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def start_import(port, pcap, limits):
    st, data = request(port, "POST", "/api/v1/captures", {"file": pcap, "limits": limits})
    if st != 201:
        nt.hard_error("POST /captures with limits %s -> %d %s" % (limits, st, data[:200]))
    return json.loads(data)


def wait_done(api, cid):
    for _ in range(2400):
        cap = api.get("/api/v1/captures/%d" % cid)
        if cap.get("state") in ("done", "failed", "stopped"):
            return cap
        time.sleep(0.05)
    nt.hard_error("capture %d did not finish" % cid)


def kept_numbers(api, cid):
    return [(r["number"], r["ts"], r["caplen"]) for r in nt.iter_frames(api, cid, page=5000)]


def export(port, cid):
    st, data = request(port, "GET", "/api/v1/frames/export?format=pcap&capture=%d" % cid)
    return read_pcap(data) if st == 200 else None


def check_suffix(port, api, cid, frames, first, what, tmp):
    """Capture cid keeps exactly frames first..last of the file."""
    want = [f for f in frames if f[0] >= first]
    got = kept_numbers(api, cid)
    check(got == want, "%s: keeps frames %d..%d with tshark's times and lengths (got %d frames, %s..%s)"
          % (what, first, frames[-1][0], len(got), got[0][0] if got else None, got[-1][0] if got else None))
    row = api.get("/api/v1/captures/%d" % cid)
    check(row.get("stored_frames") == len(want), "%s: the capture's stored_frames %s == %d kept (frames %s seen)"
          % (what, row.get("stored_frames"), len(want), row.get("frames")))
    exp = export(port, cid)
    ref = editcap_range(frames_pcap, first, frames[-1][0], tmp)
    check(exp == ref, "%s: exported bytes and times == editcap -r %d-%d (%d records vs %d)"
          % (what, first, frames[-1][0], len(exp or []), len(ref)))


def test_capture_limits(srv, frames, tmp):
    api, port, last = srv.client(), srv.port, frames[-1][0]
    # frames
    cap = start_import(port, frames_pcap, {"frames": 3000})
    check(cap.get("limits", {}).get("frames") == 3000, "the capture shows its limits (%s)" % cap.get("limits"))
    cap = wait_done(api, cap["id"])
    check_suffix(port, api, cap["id"], frames, last - 2999, "limits.frames 3000", tmp)
    check(cap["counters"]["dropped"].get("buffer") == last - 3000,
          "counters.dropped.buffer == %d (%s)" % (last - 3000, cap["counters"]["dropped"]))
    ids = [cap["id"]]
    # bytes: the longest suffix whose captured bytes fit in 1,000,000
    cap = wait_done(api, start_import(port, frames_pcap, {"bytes": 1000000})["id"])
    first, total = last + 1, 0
    while total + frames[first - 2][2] <= 1000000:
        first -= 1
        total += frames[first - 1][2]
    check_suffix(port, api, cap["id"], frames, first, "limits.bytes 1000000", tmp)
    ids.append(cap["id"])
    # age, as "5s": frames at most 5 s older than the newest
    cap = wait_done(api, start_import(port, frames_pcap, {"age": "5s"})["id"])
    cutoff = frames[-1][1] - 5 * 10**9
    first = min(n for n, t, _ in frames if t >= cutoff)
    check_suffix(port, api, cap["id"], frames, first, "limits.age 5s", tmp)
    ids.append(cap["id"])
    st = api.get("/api/v1/status")
    evicted = [last - len(kept_numbers(api, i)) for i in ids]
    check(st["storage"]["frames_evicted"] == sum(evicted) and st["dropped"]["buffer"] == sum(evicted),
          "status: storage.frames_evicted == dropped.buffer == %d (%s, %s)"
          % (sum(evicted), st["storage"]["frames_evicted"], st["dropped"].get("buffer")))
    return ids, evicted


def test_bad_limits(port):
    for body, word in (({"frames": -1}, "limits.frames"), ({"frames": "many"}, "limits.frames"),
                       ({"bytes": 1.5}, "limits.bytes"), ({"age": "5x"}, "limits.age"),
                       ({"size": 1}, "limits.size"), (7, "limits")):
        st, data = request(port, "POST", "/api/v1/captures", {"file": frames_pcap, "limits": body})
        check(st == 400 and word.encode() in data, "limits %s -> 400 naming %s (%d %s)"
              % (json.dumps(body), word, st, data[:120]))


def test_live(srv, frames, tmp):
    """A live capture on lo with limits.frames 3000 while tcpreplay sends the
    file at 10,000 frames/s: nothing is lost to the queue (eviction does not
    stall capture), and the frames kept are the file's last 3000, byte for
    byte (their times are the replay's)."""
    import shutil
    if os.geteuid() != 0 or not shutil.which("tcpreplay"):
        nt.log("skip the live part: needs root and tcpreplay")
        return
    api, last = srv.client(), frames[-1][0]
    # only the synthetic frames: ports no other test uses
    flt = "udp and src portrange 40000-40049 and dst portrange 41000-41002"
    st, data = request(srv.port, "POST", "/api/v1/captures",
                       {"interface": "lo", "filter": flt, "limits": {"frames": 3000}})
    if st != 201:
        nt.hard_error("live capture on lo: %d %s" % (st, data[:200]))
    cid = json.loads(data)["id"]
    subprocess.run(["tcpreplay", "-q", "-i", "lo", "--pps", "10000", frames_pcap],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    for _ in range(200):
        c = api.get("/api/v1/captures/%d" % cid)["counters"]
        if c["stored_frames"] + c["dropped"]["queue"] >= last:
            break
        time.sleep(0.05)
    request(srv.port, "POST", "/api/v1/captures/%d/stop" % cid)
    c = api.get("/api/v1/captures/%d" % cid)["counters"]
    check(c["frames"] == last and c["dropped"]["queue"] == 0 and c["dropped"]["kernel"] == 0,
          "live on lo with limits: %d of %d frames captured, none dropped (queue %d, kernel %d)"
          % (c["frames"], last, c["dropped"]["queue"], c["dropped"]["kernel"]))
    kept = kept_numbers(api, cid)
    check([n for n, _, _ in kept] == list(range(c["frames"] - 2999, c["frames"] + 1))
          and c["dropped"]["buffer"] == c["frames"] - 3000,
          "live: keeps the newest 3000 frames, %d evicted (%d kept, buffer %d)"
          % (c["frames"] - 3000, len(kept), c["dropped"]["buffer"]))
    exp = [d for _, d in export(srv.port, cid) or []]
    ref = [d for _, d in editcap_range(frames_pcap, last - 2999, last, tmp)]
    check(exp == ref, "live: the kept frames' bytes == editcap -r %d-%d" % (last - 2999, last))


def files_bytes(db, only=""):
    d = os.path.dirname(db)
    return sum(os.stat(os.path.join(d, n)).st_blocks * 512 for n in os.listdir(d)
               if n.startswith(os.path.basename(db) + only))


def test_delete(srv, db, cid, kept_bytes):
    """DELETE of a capture frees the frame byte files only it needed."""
    before = files_bytes(db, "-frames")
    st, _ = request(srv.port, "DELETE", "/api/v1/captures/%d" % cid)
    after = files_bytes(db, "-frames")
    check(st == 204 and before - after >= kept_bytes - 2 * SEGMENT,
          "DELETE capture %d: frame files %d -> %d bytes (it kept %d)" % (cid, before, after, kept_bytes))


def test_ceiling(netmond, frames, tmp):
    """Two imports of the file (2 x 28 MB) under a 24 MiB ceiling on the whole
    database (SQLite itself takes about 6 MB of it, its WAL up to 6 MB)."""
    ceiling = 24 << 20
    db = os.path.join(tmp, "ceil", "c.db")
    os.makedirs(os.path.dirname(db))
    peak, done = [0], threading.Event()

    def watch():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], files_bytes(db))
            except FileNotFoundError:
                pass
            time.sleep(0.01)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    try:
        kept, ids = ceiling_imports(netmond, db)
    finally:
        done.set()
        t.join()
    check(0 < peak[0] < ceiling, "du of the database files stayed under the ceiling: peak %d < %d"
          % (peak[0], ceiling))
    check_kept(netmond, db, kept, ids, frames, tmp)


def ceiling_imports(netmond, db):
    ceiling = 24 << 20
    with nt.Server(netmond, db, ["--db-ceiling", "24M"]) as srv:
        api = srv.client()
        ids = [wait_done(api, start_import(srv.port, frames_pcap, {})["id"]) for _ in range(2)]
        ids = [c["id"] for c in ids]
        st = api.get("/api/v1/status")["storage"]
        check(st["ceiling"] == ceiling and 0 < st["disk_bytes"] < ceiling,
              "status: ceiling %s, disk_bytes %s under it" % (st["ceiling"], st["disk_bytes"]))
        check(st["frames_evicted"] > 0, "status: frames evicted under the ceiling (%d)" % st["frames_evicted"])
        nt.log("     ceiling: longest eviction %.1f ms, %.3f s evicting, %d frames evicted"
               % (st["longest_evict_ms"], st["evict_s"], st["frames_evicted"]))
        return {i: kept_numbers(api, i) for i in ids}, ids


def check_kept(netmond, db, kept, ids, frames, tmp):
    # the newest frames remain: a suffix of each capture, the later one whole
    # where the earlier lost frames; then reopening reads the same frames back
    for i in ids:
        if kept[i]:
            check_suffix_rows(kept[i], frames, "capture %d under the ceiling" % i)
    check(len(kept[ids[1]]) >= max(1, len(kept[ids[0]])), "the later capture keeps frames, at least as many"
          " as the earlier (%d >= %d)" % (len(kept[ids[1]]), len(kept[ids[0]])))
    with nt.Server(netmond, db) as srv:
        again = {i: kept_numbers(srv.client(), i) for i in ids}
        check(again == kept, "reopened: the same frames are listed")
        last = frames[-1][0]
        first = kept[ids[1]][0][0] if kept[ids[1]] else last
        check(export(srv.port, ids[1]) == editcap_range(frames_pcap, first, last, tmp),
              "reopened: capture %d's bytes == editcap -r %d-%d" % (ids[1], first, last))


def check_suffix_rows(got, frames, what):
    first = got[0][0]
    want = [f for f in frames if f[0] >= first]
    check(got == want, "%s: frames %d..%d, the newest, with tshark's times and lengths" % (what, first, want[-1][0]))


def main():
    global frames_pcap
    nt.need_tool("tshark", "editcap")
    netmond = nt.netmond_path()
    os.environ["NETMON_FRAMES_SEGMENT"] = str(SEGMENT)
    tmp = nt.tmpdir("retention")
    frames_pcap = os.path.join(tmp, "synthetic.pcap")
    write_pcap(frames_pcap)
    frames = tshark_frames(frames_pcap)
    if len(frames) != NFRAMES:
        nt.hard_error("tshark reads %d frames of %d" % (len(frames), NFRAMES))
    last = frames[-1][0]
    with nt.Server(netmond, os.path.join(tmp, "limits.db")) as srv:
        test_bad_limits(srv.port)
        ids, evicted = test_capture_limits(srv, frames, tmp)
        test_live(srv, frames, tmp)
        test_delete(srv, os.path.join(tmp, "limits.db"), ids[0], sum(c for n, _, c in frames if n > last - 3000))
    # persisted per capture, in the stats table (read with Python's sqlite3)
    import sqlite3
    db = sqlite3.connect(os.path.join(tmp, "limits.db"))
    rows = dict(db.execute("SELECT capture_id, dropped_buffer FROM stats"))
    db.close()
    ids, evicted = ids[1:], evicted[1:]  # the first was deleted
    check([rows.get(i) for i in ids] == evicted, "stats.dropped_buffer per capture == %s (%s)"
          % (evicted, [rows.get(i) for i in ids]))
    test_ceiling(netmond, frames, tmp)
    subprocess.run(["rm", "-rf", tmp])
    if failures:
        nt.log("%d check(s) failed" % len(failures))
        sys.exit(1)
    nt.log("all retention checks passed")


if __name__ == "__main__":
    main()
