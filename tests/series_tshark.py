#!/usr/bin/env python3
"""The stored time series (/api/v1/stats/timeseries) against tshark.

For corpus captures with at least 2 frames spanning under 6 hours (the 1 s
retention) -- every k-th up to $SERIES_FILES, default 60, "all" for every
one -- compare per interval the frames and bytes of
  interval=1s  with  tshark -q -z io,stat,1
  interval=1m  with  tshark -q -z io,stat,60

Alignment: tshark's intervals count from the first frame, ours from the
Unix epoch.  So each file is first shifted with `editcap -t` until its
first frame sits exactly on a minute boundary; then tshark's interval k
of the shifted file is our bucket starting at first + k * interval, and
both must agree bucket by bucket (tshark's empty intervals are buckets we
do not have).  Both tools read the same shifted file.

Also checked on each capture: the roll-up, i.e. every minute bucket is the
sum of our 1 s buckets inside it and every hour the sum of its minutes.
Files listed as "series:NAME" in tests/stats-known-differences.txt are
reported but do not fail.
"""

import decimal
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

NS = 10**9
MAX_SPAN = 6 * 3600  # seconds: the default retention of 1 s buckets
ROW_RE = re.compile(r"^\|\s*([\d.]+)\s*<>\s*(?:[\d.]+|Dur)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|")
IV_RE = re.compile(r"^\| Interval:\s+([\d.]+) secs")


def select_files(corpus):
    files = [f for f in nt.corpus_files(corpus) if os.path.getsize(f) < 4 << 20]
    # one file per run: capinfos stops at the first file it cannot read
    with ThreadPoolExecutor(nt.workers()) as ex:
        out = "".join(ex.map(lambda f: subprocess.run(["capinfos", "-T", "-r", "-c", "-u", f],
                                                      capture_output=True, text=True).stdout, files))
    ok = []
    for ln in out.splitlines():
        w = ln.split("\t")
        try:
            if int(w[1]) >= 2 and 0 < float(w[2]) < MAX_SPAN:
                ok.append((w[0], int(w[1]), int(decimal.Decimal(w[2]) * NS)))
        except (ValueError, IndexError):
            pass
    want = os.environ.get("SERIES_FILES", "60")
    if want == "all" or len(ok) <= int(want):
        return ok
    step = len(ok) / int(want)
    return [ok[int(i * step)] for i in range(int(want))]


def first_time(path):
    """Frame 1's time in ns (exact, from the decimal text)."""
    p = subprocess.run(["tshark", "-r", path, "-c", "1", "-T", "fields", "-e", "frame.time_epoch"],
                       capture_output=True, text=True, timeout=60)
    try:
        return int(decimal.Decimal(p.stdout.strip()) * NS)
    except decimal.InvalidOperation:
        return None


def shift_to_minute(path, count, tmp):
    """A copy of path whose frame 1 is at a whole minute: (copy, its frame 1
    ns), or a reason why there is none."""
    t = first_time(path)
    if t is None:
        return "no frame 1 time"
    shift = (-t) % (60 * NS)
    # pcap stays pcap (microseconds, as libpcap read the original): pcapng
    # would make libpcap reject records longer than the snaplen
    fmt = ["-F", "pcap"] if path.endswith(".pcap") and shift % 1000 == 0 else []
    out = os.path.join(tmp, os.path.basename(path) + (".pcap" if fmt else ".pcapng"))
    arg = "%d.%09d" % divmod(shift, NS)
    p = subprocess.run(["editcap"] + fmt + ["-t", arg, path, out], capture_output=True, text=True)
    if p.returncode != 0 or first_time(out) != t + shift:
        return "editcap: " + p.stderr.strip()[:100]
    if nt.libpcap_count(out) != count:
        return "libpcap reads %s of %d frames of the shifted copy" % (nt.libpcap_count(out), count)
    return out, t + shift


def tshark_io(path):
    """{interval_s: {start_ns: (frames, bytes)}} for io,stat,1 and io,stat,60;
    start_ns: time after frame 1 (the "start <> end" column).  A capture
    shorter than 60 s gets one interval as long as the capture instead
    ("Interval: 56.2 secs"): that is the 60 s table."""
    p = subprocess.run(["tshark", "-q", "-r", path, "-z", "io,stat,1", "-z", "io,stat,60"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None
    tables = []  # tshark prints them in the reverse order of the -z options
    for ln in p.stdout.splitlines():
        m = IV_RE.match(ln)
        if m:
            tables.insert(0, (m.group(1), {}))
            continue
        m = ROW_RE.match(ln)
        if m and tables:
            tables[0][1][int(decimal.Decimal(m.group(1)) * NS)] = (int(m.group(2)), int(m.group(3)))
    if len(tables) != 2 or tables[0][0] == "60" or tables[1][0] == "1":
        return None
    return {1: tables[0][1], 60: tables[1][1]}


def ours(api, cid, interval):
    out, offset = {}, 0
    while True:
        r = api.get("/api/v1/stats/timeseries", interval=interval, capture=cid,
                    limit=100000, offset=offset)
        for b in r["buckets"]:
            out[b["start_ns"]] = (b["frames"], b["bytes"])
        if len(r["buckets"]) < 100000:
            return out
        offset += len(r["buckets"])


def compare(theirs, mine, first, width, dur):
    want = {first + after: v for after, v in theirs.items() if v[0]}
    bad = []
    # tshark's last interval is [n - 1, Dur): a last frame exactly n whole
    # intervals after frame 1 falls outside every interval it prints
    if dur % (width * NS) == 0 and first + dur not in want:
        mine = {k: v for k, v in mine.items() if k != first + dur}
    for start in sorted(set(want) | set(mine)):
        if want.get(start) != mine.get(start):
            bad.append("%ds bucket +%gs: tshark %s, ours %s"
                       % (width, (start - first) / NS, want.get(start), mine.get(start)))
    return bad


def rollup(fine, coarse, width):
    """Differences between coarse buckets and the sums of the fine ones."""
    sums = {}
    for start, (f, b) in fine.items():
        k = start - start % (width * NS)
        s = sums.get(k, (0, 0))
        sums[k] = (s[0] + f, s[1] + b)
    return ["roll-up %ds at %d: sum %s, stored %s" % (width, k, sums.get(k), coarse.get(k))
            for k in sorted(set(sums) | set(coarse)) if sums.get(k) != coarse.get(k)]


def check_capture(api, cid, io, first, dur):
    s1, m1, h1 = (ours(api, cid, iv) for iv in ("1s", "1m", "1h"))
    series = compare(io[1], s1, first, 1, dur) + compare(io[60], m1, first, 60, dur)
    return series, rollup(s1, m1, 60) + rollup(m1, h1, 3600)


def main():
    corpus = nt.corpus_dir()
    nt.need_tool("tshark", "capinfos", "editcap")
    netmond = nt.netmond_path()
    tmp = nt.tmpdir("series")
    db = os.path.join(tmp, "series.db")
    shifted = {}
    for f, count, dur in select_files(corpus):
        # libpcap stops at a record it finds bogus (tshark reads on): such
        # files test the reader, which corpus_counts.py compares with tcpdump
        if nt.libpcap_count(f) != count:
            nt.log("skipped %s: libpcap reads %s of %d frames"
                   % (os.path.basename(f), nt.libpcap_count(f), count))
            continue
        s = shift_to_minute(f, count, tmp)
        r = nt.import_file(netmond, s[0], db) if isinstance(s, tuple) else None
        if r and r.rc == 0:
            shifted[f] = s + (dur,)
        else:
            nt.log("skipped %s: %s" % (os.path.basename(f), r.describe() if r else s))
    excused = nt.stats_known("series")
    checked = agreed = rolled = 0
    failures = []
    with nt.Server(netmond, db) as srv:
        api = srv.client()
        caps = {c["source"]: c["id"] for c in api.get("/api/v1/captures")["captures"]}
        for f, (copy, first, dur) in sorted(shifted.items()):
            io = tshark_io(copy)
            if io is None or copy not in caps:
                nt.log("skipped %s: %s" % (os.path.basename(f), "no tshark io,stat tables"
                                           if io is None else "not among the captures"))
                continue
            bad, roll = check_capture(api, caps[copy], io, first, dur)
            checked += 1
            agreed += not bad
            rolled += not roll
            name = os.path.basename(f)
            if roll:
                failures.append("%s: %s" % (name, "; ".join(roll[:3])))
            if bad and name in excused:
                nt.log("known difference %s: %s" % (name, "; ".join(bad[:3])))
            elif bad:
                failures.append("%s: %d buckets differ: %s" % (name, len(bad), "; ".join(bad[:3])))
        api.close()
    nt.log("files compared: %d; 1s and 1m series identical to tshark io,stat: %d; roll-up consistent: %d"
           % (checked, agreed, rolled))
    for x in failures:
        nt.log("FAIL", x)
    if checked == 0:
        nt.hard_error("no file could be compared")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
