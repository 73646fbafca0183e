#!/usr/bin/env python3
"""Display-filter speed on a big database (not a timed test).

  bench_filter.py make SRC.pcap OUT.pcap N   # N frames: SRC's frames repeated, times increasing
  bench_filter.py run PORT [PID]             # time the issue's queries against a running netmond
                                             # (with PID: also its CPU seconds, for loaded machines)

Reports: first page (100 rows) of an address and a port filter (p50/p95 of
20 runs), a deep-field count, and field extraction rate.
"""
import json
import os
import struct
import sys
import time
import urllib.parse
import urllib.request


def make(src, out, n):
    with open(src, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "little-endian pcap only"
    recs, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        recs.append((data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, struct.unpack("<I", data[20:24])[0]))
        t = 1_600_000_000 * 1_000_000
        for i in range(n):
            b, orig = recs[i % len(recs)]
            t += 10
            f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(b), orig))
            f.write(b)


def get(port, path, raw=False, **q):
    url = "http://127.0.0.1:%d/api/v1/%s?%s" % (port, path, urllib.parse.urlencode(q))
    with urllib.request.urlopen(url, timeout=600) as r:
        body = r.read()
    return body if raw else json.loads(body)


PID = None


def cpu():
    if not PID:
        return 0.0
    with open("/proc/%d/stat" % PID) as f:
        v = f.read().rsplit(")", 1)[1].split()
    return (int(v[11]) + int(v[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn):
    t0, c0 = time.perf_counter(), cpu()
    r = fn()
    timed.cpu = cpu() - c0
    return time.perf_counter() - t0, r


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def run(port):
    total = get(port, "frames/count")["count"]
    print("frames in the database: %d" % total)
    for flt in ("ip.addr == 10.2.1.2", "ip.addr == 10.9.9.9", "ipv6.addr == 2001:db8::99", "tcp.port == 22",
                "tcp.port == 4", "udp.port == 53", "udp.dstport == 9", "dns"):
        ts, cs = [], []
        for _ in range(20):
            ts.append(timed(lambda: get(port, "frames", filter=flt, limit=100))[0])
            cs.append(timed.cpu)
        print("first page %-26s p50 %7.1f ms  p95 %7.1f ms  (server CPU p50 %5.1f ms, p95 %5.1f ms)"
              % (flt, pct(ts, 50) * 1e3, pct(ts, 95) * 1e3, pct(cs, 50) * 1e3, pct(cs, 95) * 1e3))
    for flt in ('dns.qry.name contains "a"', "frame.len > 1000", "tcp.port == 22", "ip.addr == 10.9.9.9"):
        t, r = timed(lambda: get(port, "frames/count", filter=flt, budget_ms=600000))
        print("count %-30s %8d in %6.2f s, server CPU %5.2f s (%s)"
              % (flt, r["count"], t, timed.cpu, "pushed down" if r["pushed_down"] else "re-dissected"))
    t, body = timed(lambda: get(port, "frames/fields", raw=True, fields="frame.number,ip.src,ip.dst,tcp.port,dns.qry.name",
                                format="csv", budget_ms=600000))
    rows = body.count(b"\n") - 1
    print("fields: %d rows in %.2f s = %.0f frames/s (server CPU %.2f s = %.0f frames/CPU-s)"
          % (rows, t, rows / t, timed.cpu, rows / max(timed.cpu, 1e-9)))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        PID = int(sys.argv[3]) if len(sys.argv) > 3 else None
        run(int(sys.argv[2]))
