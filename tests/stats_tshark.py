#!/usr/bin/env python3
"""Conversations and endpoints through the API against tshark.

For corpus captures (Ethernet link type, readable by libpcap, every k-th
file up to $STATS_FILES, default 80; "all" for every one) compare
  /api/v1/stats/conversations?type=eth|ip|ipv6|tcp|udp  with  tshark -n -q -z conv,TYPE
  /api/v1/stats/stations?type=ip                        with  tshark -n -q -z endpoints,ip
Frames per direction must be equal; bytes too (tshark prints conversation
bytes as "12 kB" past 9999: then ours must round to the same figure).
Pairs are matched as unordered (tshark's A is not always ours).

Our conversations follow the innermost IP header, tshark counts every IP
header (tunnels, ICMP errors quoting a packet): files listed in
tests/stats-known-differences.txt are reported but do not fail.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

CONV_TYPES = {"Ethernet": "eth", "IPv4": "ip", "IPv6": "ipv6", "TCP": "tcp", "UDP": "udp"}
CONV_RE = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)"
                     r"\s+(\d+)\s+(\d+)\s+(\S+)\s+")
EP_RE = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")
UNITS = {"bytes": 1, "kB": 10**3, "MB": 10**6, "GB": 10**9}


def select_files(corpus):
    files = [f for f in nt.corpus_files(corpus) if os.path.getsize(f) < 4 << 20]
    out = subprocess.run(["capinfos", "-T", "-r", "-E"] + files, capture_output=True, text=True).stdout
    eth = [ln.split("\t")[0] for ln in out.splitlines() if ln.endswith("\tether")]
    want = os.environ.get("STATS_FILES", "80")
    if want == "all" or len(eth) <= int(want):
        return eth
    step = len(eth) / int(want)
    return [eth[int(i * step)] for i in range(int(want))]


def tshark_tables(path):
    args = ["tshark", "-n", "-q", "-r", path]
    for t in CONV_TYPES.values():
        args += ["-z", "conv," + t]
    args += ["-z", "endpoints,ip"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return None
    convs, eps, section = {t: [] for t in CONV_TYPES.values()}, {}, None
    for ln in p.stdout.splitlines():
        m = re.match(r"^(\S+) (Conversations|Endpoints)$", ln)
        if m:
            section = (m.group(2), m.group(1))
            continue
        if section and section[0] == "Conversations" and section[1] in CONV_TYPES:
            m = CONV_RE.match(ln)
            if m:
                g = m.groups()
                convs[CONV_TYPES[section[1]]].append(
                    (g[0], g[1], (int(g[5]), int(g[6]), g[7]), (int(g[2]), int(g[3]), g[4])))
        elif section == ("Endpoints", "IPv4"):
            m = EP_RE.match(ln)
            if m:
                eps[m.group(1)] = tuple(int(x) for x in m.groups()[3:])
    return convs, eps


def bytes_match(ours, figure, unit):
    scale = UNITS.get(unit)
    if scale is None:
        return False
    if scale == 1:
        return ours == figure
    return figure in (ours // scale, round(ours / scale))


def our_key(typ, c):
    if typ in ("tcp", "udp"):
        a = "%s:%d" % (c["address_a"], c["port_a"])
        b = "%s:%d" % (c["address_b"], c["port_b"])
    else:
        a, b = c["address_a"], c["address_b"]
    return a, b


def compare_convs(typ, theirs, ours):
    """Mismatch descriptions for one type."""
    mine = {}
    for c in ours:
        a, b = our_key(typ, c)
        mine.setdefault(frozenset((a, b)), []).append((a, b, c))
    bad = []
    for a, b, ab, ba in theirs:
        got = mine.get(frozenset((a, b)))
        if not got:
            bad.append("%s %s <-> %s: missing" % (typ, a, b))
            continue
        oa, ob, c = got.pop(0)
        if not got:
            del mine[frozenset((a, b))]
        fwd = (c["frames_ab"], c["bytes_ab"], c["frames_ba"], c["bytes_ba"])
        if oa != a:
            fwd = (fwd[2], fwd[3], fwd[0], fwd[1])
        if a == b:  # both ends alike: only the totals mean anything
            ok = fwd[0] + fwd[2] == ab[0] + ba[0]
        else:
            ok = (fwd[0] == ab[0] and fwd[2] == ba[0] and bytes_match(fwd[1], ab[1], ab[2])
                  and bytes_match(fwd[3], ba[1], ba[2]))
        if not ok:
            bad.append("%s %s <-> %s: tshark %s/%s, ours %s" % (typ, a, b, ab, ba, fwd))
    for k, rest in mine.items():
        for a, b, _ in rest:
            bad.append("%s %s <-> %s: not in tshark" % (typ, a, b))
    return bad


def compare_endpoints(theirs, ours):
    bad = []
    mine = {s["address"]: (s["tx_frames"], s["tx_bytes"], s["rx_frames"], s["rx_bytes"]) for s in ours}
    for addr, v in theirs.items():
        if mine.pop(addr, None) != v:
            bad.append("endpoint %s: tshark %s" % (addr, v))
    bad += ["endpoint %s: not in tshark" % a for a in mine]
    return bad


def known_stats_differences():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats-known-differences.txt")
    names = set()
    try:
        for ln in open(path):
            ln = ln.strip()
            if ln and not ln.startswith("#"):
                names.add(ln.split()[0])
    except OSError:
        pass
    return names


def main():
    corpus = nt.corpus_dir()
    nt.need_tool("tshark", "capinfos")
    netmond = nt.netmond_path()
    files = select_files(corpus)
    tmp = nt.tmpdir("stats")
    db = os.path.join(tmp, "stats.db")
    ids = {}
    for f in files:
        r = nt.import_file(netmond, f, db)
        if r.rc != 0:
            nt.log("import failed:", r.describe())
            continue
        ids[f] = len(ids) + 1
    known = known_stats_differences()
    checked = agreed = tables = tables_ok = 0
    failures = []
    with nt.Server(netmond, db) as srv:
        api = srv.client()
        caps = {c["source"]: c["id"] for c in api.get("/api/v1/captures")["captures"]}
        for f in files:
            t = tshark_tables(f)
            if t is None or f not in caps:
                continue
            convs, eps = t
            cid = caps[f]
            bad = []
            for typ, theirs in convs.items():
                ours = api.get("/api/v1/stats/conversations", type=typ, capture=cid, limit=100000)
                b = compare_convs(typ, theirs, ours["conversations"])
                tables += 1
                tables_ok += not b
                bad += b
            ours = api.get("/api/v1/stats/stations", type="ip", capture=cid, limit=100000)
            b = compare_endpoints(eps, ours["stations"])
            tables += 1
            tables_ok += not b
            bad += b
            checked += 1
            name = os.path.basename(f)
            if not bad:
                agreed += 1
            elif name in known:
                nt.log("known difference %s: %s" % (name, "; ".join(bad[:3])))
            else:
                failures.append("%s: %d differences: %s" % (name, len(bad), "; ".join(bad[:4])))
        api.close()
    nt.log("files compared: %d, identical on all 6 tables: %d; tables identical: %d of %d"
           % (checked, agreed, tables_ok, tables))
    for x in failures:
        nt.log("FAIL", x)
    if checked == 0:
        nt.hard_error("no file could be compared")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
