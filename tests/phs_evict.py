#!/usr/bin/env python3
"""The protocol hierarchy counts evicted frames too (issue 5).

Corpus captures (every k-th of those libpcap reads with 60..5000 frames,
up to $PHS_EVICT_FILES, default 16) are imported one by one into one
database with `--max-frames 20`: a database-wide limit, so each import
evicts nearly all of its own frames and whatever an earlier one kept.
Then /api/v1/stats/protocols of every capture must still equal
`tshark -q -z io,phs` of the whole file (phs_tshark.py's comparison and
its list of known differences), and the captures must really have lost
their frames (stored_frames < frames), or the check proves nothing.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, HERE)
import netmon_test as nt  # noqa: E402
import phs_tshark as phs  # noqa: E402

MAX_FRAMES = 20


def select_files(corpus):
    files = [f for f in nt.corpus_files(corpus) if os.path.getsize(f) < 1 << 20]
    counts = [nt.libpcap_count(f) for f in files]
    ok = [f for f, n in zip(files, counts) if n and 3 * MAX_FRAMES <= n <= 5000]
    want = int(os.environ.get("PHS_EVICT_FILES", "16"))
    if len(ok) <= want:
        return ok
    step = len(ok) / want
    return [ok[int(i * step)] for i in range(want)]


def check_capture(api, cap, parsed, excused, failures):
    """True when compared; failures gets what differs."""
    f, name = cap["source"], os.path.basename(cap["source"])
    theirs = phs.tshark_phs(f)
    if theirs is None:
        return False
    tree = api.get("/api/v1/stats/protocols", capture=cap["id"])["hierarchy"]
    total = sum(v[0] for k, v in theirs.items() if len(k) == 1)
    if cap.get("frames") != total:
        # libpcap and tshark's reader disagree (corpus_counts.py's matter)
        nt.log("skipped %s: tshark reads %d frames, libpcap %s" % (name, total, cap.get("frames")))
        return False
    if tree["frames"] != total:
        failures.append("%s: the hierarchy counts %d frames of %d" % (name, tree["frames"], total))
    if cap.get("stored_frames", 0) >= total:
        failures.append("%s: nothing evicted (stored_frames %s of %d)" % (name, cap.get("stored_frames"), total))
    bad, n = phs.compare(theirs, phs.flatten(tree, (), {}), parsed)
    if bad and name in excused:
        nt.log("known difference %s: %s" % (name, "; ".join(bad[:3])))
    elif bad:
        failures.append("%s: %d of %d nodes differ: %s" % (name, len(bad), n, "; ".join(bad[:4])))
    else:
        nt.log("ok   %s: %d nodes equal tshark io,phs, %s of %d frames kept"
               % (name, n, cap.get("stored_frames"), total))
    return True


def main():
    corpus = nt.corpus_dir()
    nt.need_tool("tshark", "tcpdump")
    netmond = nt.netmond_path()
    files = select_files(corpus)
    if not files:
        nt.hard_error("no corpus file with %d..5000 frames" % (3 * MAX_FRAMES))
    tmp = nt.tmpdir("phs-evict")
    db = os.path.join(tmp, "evict.db")
    for f in files:
        r = nt.import_file(netmond, f, db, extra=["--max-frames", str(MAX_FRAMES)])
        if r.rc != 0:
            nt.log("import failed:", r.describe())
    failures, checked = [], 0
    with nt.Server(netmond, db) as srv:
        api = srv.client()
        parsed = {p["name"] for p in api.get("/api/v1/protocols")["protocols"]} | {"data"}
        kept = sum(c.get("stored_frames", 0) for c in api.get("/api/v1/captures")["captures"])
        if kept > MAX_FRAMES:
            failures.append("the database keeps %d frames, over --max-frames %d" % (kept, MAX_FRAMES))
        for cap in api.get("/api/v1/captures")["captures"]:
            checked += check_capture(api, cap, parsed, nt.stats_known("phs"), failures)
        api.close()
    nt.log("captures compared after eviction: %d of %d" % (checked, len(files)))
    for x in failures:
        nt.log("FAIL", x)
    if checked == 0:
        nt.hard_error("no capture could be compared")
    os.system("rm -rf '%s'" % tmp)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
