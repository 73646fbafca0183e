#!/usr/bin/env python3
"""The protocol hierarchy (/api/v1/stats/protocols) against tshark -z io,phs.

For corpus captures readable by libpcap (every k-th up to $PHS_FILES,
default 80; "all" for every one) compare, node by node, frames and bytes
of our hierarchy with `tshark -q -z io,phs`, for the protocols we parse.

Names are Wireshark's on both sides, with these mappings:
  - "frame" (our root) is tshark's implicit root;
  - "ethertype" is in frame.protocols but never a node of io,phs (it adds
    no protocol item of its own): its children hang under its parent;
  - tshark's "_ws.*" nodes (malformed, expert) are not protocols: left out.
Compared are the nodes whose whole path consists of protocols we parse
(GET /api/v1/protocols, plus "data").  Where tshark has a child we do not
parse, the frames it took are elsewhere in ours ("data", or the parent
only): a "data" node or a missing node under such a parent is not
counted as a difference.

Files listed as "phs:NAME" in tests/stats-known-differences.txt are
reported but do not fail.
"""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

PHS_RE = re.compile(r"^( *)(\S+)\s+frames:(\d+) bytes:(\d+)\s*$")
HIDDEN = set()  # names in our tree that io,phs never shows (none: the API folds them)


def select_files(corpus):
    files = [f for f in nt.corpus_files(corpus) if os.path.getsize(f) < 4 << 20]
    with ThreadPoolExecutor(nt.workers()) as ex:
        counts = list(ex.map(nt.libpcap_count, files))
    ok = [f for f, n in zip(files, counts) if n]
    want = os.environ.get("PHS_FILES", "80")
    if want == "all" or len(ok) <= int(want):
        return ok
    step = len(ok) / int(want)
    return [ok[int(i * step)] for i in range(int(want))]


def tshark_phs(path):
    """{path tuple: (frames, bytes)} from tshark -q -z io,phs, or None."""
    p = subprocess.run(["tshark", "-n", "-q", "-r", path, "-z", "io,phs"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None
    nodes, stack = {}, []
    for ln in p.stdout.splitlines():
        m = PHS_RE.match(ln)
        if not m:
            continue
        depth = len(m.group(1)) // 2
        stack = stack[:depth] + [m.group(2)]
        if not any(n.startswith("_ws.") for n in stack):
            nodes[tuple(stack)] = (int(m.group(3)), int(m.group(4)))
    return nodes


def flatten(node, prefix, out):
    """Our tree as {path tuple: (frames, bytes)}, hidden names folded away."""
    for c in node.get("children", []):
        path = prefix if c["name"] in HIDDEN else prefix + (c["name"],)
        if path != prefix:
            f, b = out.get(path, (0, 0))
            out[path] = (f + c["frames"], b + c["bytes"])
        flatten(c, path, out)
    return out


def compare(theirs, mine, parsed):
    """(differences as text, nodes compared) over the nodes made of
    protocols we parse."""
    foreign = {p[:-1] for p in theirs if p[-1] not in parsed}  # parents of a child we do not parse
    bad, n = [], 0
    for path in sorted(set(theirs) | set(mine)):
        if not all(n in parsed for n in path):
            continue
        t, o = theirs.get(path), mine.get(path)
        if t != o and path[:-1] in foreign and (path[-1] == "data" or o is None or t is None):
            continue
        n += 1
        if t == o:
            continue
        bad.append("%s: tshark %s, ours %s" % (":".join(path), t, o))
    return bad, n


def main():
    corpus = nt.corpus_dir()
    nt.need_tool("tshark", "tcpdump")
    netmond = nt.netmond_path()
    files = select_files(corpus)
    tmp = nt.tmpdir("phs")
    db = os.path.join(tmp, "phs.db")
    for f in files:
        r = nt.import_file(netmond, f, db)
        if r.rc != 0:
            nt.log("import failed:", r.describe())
    excused = nt.stats_known("phs")
    checked = agreed = nodes = nodes_ok = 0
    failures = []
    with nt.Server(netmond, db) as srv:
        api = srv.client()
        parsed = {p["name"] for p in api.get("/api/v1/protocols")["protocols"]} | {"data"}
        caps = {c["source"]: c["id"] for c in api.get("/api/v1/captures")["captures"]}
        for f in files:
            theirs = tshark_phs(f)
            if theirs is None or f not in caps:
                continue
            tree = api.get("/api/v1/stats/protocols", capture=caps[f])["hierarchy"]
            mine = flatten(tree, (), {})
            total = sum(v[0] for k, v in theirs.items() if len(k) == 1)
            if total != tree["frames"]:
                # libpcap and tshark's reader disagree (corpus_counts.py's matter)
                nt.log("skipped %s: tshark reads %d frames, libpcap %d"
                       % (os.path.basename(f), total, tree["frames"]))
                continue
            bad, n = compare(theirs, mine, parsed)
            checked += 1
            agreed += not bad
            nodes += n
            nodes_ok += n - len(bad)
            name = os.path.basename(f)
            if bad and name in excused:
                nt.log("known difference %s: %s" % (name, "; ".join(bad[:3])))
            elif bad:
                failures.append("%s: %d nodes differ: %s" % (name, len(bad), "; ".join(bad[:4])))
        api.close()
    nt.log("files compared: %d, hierarchy identical to tshark io,phs: %d; nodes equal: %d of %d"
           % (checked, agreed, nodes_ok, nodes))
    for x in failures:
        nt.log("FAIL", x)
    if checked == 0:
        nt.hard_error("no file could be compared")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
