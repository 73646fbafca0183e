#!/usr/bin/env python3
"""Structured capture filter vs tshark, over corpus files.

For each structured filter in TABLE and each capture in FILES, the number
of frames passing our compiled BPF program (tests/nmfilter_count, which
runs capture/nmfilter.c's expression with pcap_offline_filter) must equal
the number tshark selects with the equivalent display filter.  Addresses
come from each file itself (its first IPv4, IPv6 and Ethernet frame, as
tshark reads them) so the address filters select something.

Layer #1 in the display filters: a BPF expression looks at the outer
headers only, so the oracle must not count tunnelled inner headers.
tshark counts every display filter of a file in one pass (-z io,stat).
Skips (77) when tshark or the corpus is missing.
"""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

CORPUS = os.environ.get("CORPUS") or os.path.join(
    os.environ.get("NETMON_SRCDIR", "."), "..", "shared", "captures", "tcpdump-tests")
HELPER = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])), "nmfilter_count")
if not os.path.exists(HELPER):
    HELPER = "./tests/nmfilter_count"

# Ethernet captures, no VLAN tags (libpcap's ip/ip6 are untagged only).
FILES = ["afs.pcap", "802.1D_spanning_tree.pcap", "LLDP_and_CDP.pcap", "dns_tcp.pcap",
         "dhcpv6-ia-na.pcap", "arp-too-long-tha.pcap", "3560_CDP.pcap", "bigtcp-ipv6.pcap",
         "icmp-cksum-oobr-1.pcapng", "dhcp-rfc3004.pcap", "ipv6-routing-header.pcap",
         "print-flags.pcap"]

# (structured filter, tshark display filter); {A4} {B4} {A6} {B6} {AM} {BM}
# are the file's own addresses; a row needing one the file lacks is skipped.
TABLE = [
    ({"etypes": {"list": ["0x0806"]}}, "eth.type#1 == 0x0806"),
    ({"etypes": {"list": [2048, "0x86dd"]}}, "eth.type#1 == 0x0800 || eth.type#1 == 0x86dd"),
    ({"etypes": {"mode": "exclude", "list": ["0x0800"]}}, "!(eth.type#1 == 0x0800)"),
    ({"saps": {"list": ["0x42"]}}, "llc.dsap#1 == 0x42"),
    ({"saps": {"mode": "exclude", "list": ["0xaa"]}}, "!(llc.dsap#1 == 0xaa)"),
    ({"etypes": {"mode": "exclude", "list": ["0x86dd"]}, "saps": {"mode": "exclude", "list": ["0x42"]}},
     "!(eth.type#1 == 0x86dd) && !(llc.dsap#1 == 0x42)"),
    ({"addresses": [{"a": "{A4}", "b": "{B4}", "dir": "a_to_b"}]},
     "ip.src#1 == {A4} && ip.dst#1 == {B4}"),
    ({"addresses": [{"a": "{A4}", "b": "{B4}", "dir": "b_to_a"}]},
     "ip.src#1 == {B4} && ip.dst#1 == {A4}"),
    ({"addresses": [{"a": "{A4}", "b": "{B4}"}]},
     "(ip.src#1 == {A4} && ip.dst#1 == {B4}) || (ip.src#1 == {B4} && ip.dst#1 == {A4})"),
    ({"addresses": [{"a": "{A6}", "b": None, "dir": "a_to_b"}, {"a": "{AM}", "dir": "b_to_a"}]},
     "ipv6.src#1 == {A6} || eth.dst#1 == {AM}"),
    ({"addresses": [{"a": "{AM}", "mode": "exclude"}]}, "!(eth.addr#1 == {AM})"),
    ({"addresses": [{"a": "{AM}", "b": "{BM}"}, {"a": "{A4}", "mode": "exclude", "dir": "a_to_b"}]},
     "((eth.src#1 == {AM} && eth.dst#1 == {BM}) || (eth.src#1 == {BM} && eth.dst#1 == {AM}))"
     " && !(ip.src#1 == {A4})"),
    ({"patterns": [[{"offset": 12, "hex": "0800"}]]}, "frame[12:2] == 08:00"),
    ({"patterns": [[{"offset": 0, "hex": "ffffffffffff", "not": True}]]}, "!(frame[0:6] == ff:ff:ff:ff:ff:ff)"),
    ({"patterns": [[{"from": "network", "offset": 9, "hex": "11"}, {"from": "network", "offset": 6, "hex": "11"}]]},
     "ip#1[9:1] == 11 || ipv6#1[6:1] == 11"),
    ({"patterns": [[{"from": "network", "offset": 8, "hex": "40"}], [{"offset": 6, "hex": "00", "not": True}]]},
     "(ip#1[8:1] == 40 || ipv6#1[8:1] == 40) && !(frame[6:1] == 00)"),
    ({"patterns": [[{"from": "transport", "offset": 2, "hex": "0035"}]]},
     "(ip.proto#1 == 17 || ip.proto#1 == 6 || ipv6.nxt#1 == 17 || ipv6.nxt#1 == 6)"
     " && (tcp.dstport#1 == 53 || udp.dstport#1 == 53)"),
]


def tshark(path, dfilter, fields=None):
    cmd = ["tshark", "-n", "-r", path, "-Y", dfilter, "-T", "fields"]
    for f in fields or ["frame.number"]:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return [l for l in out.splitlines() if l.strip()]


def addresses(path):
    """The file's first address pairs, as tshark reads them."""
    got = {}
    for keys, df, fields in ((("A4", "B4"), "ip", ["ip.src#1", "ip.dst#1"]),
                             (("A6", "B6"), "ipv6", ["ipv6.src#1", "ipv6.dst#1"]),
                             (("AM", "BM"), "eth", ["eth.src#1", "eth.dst#1"])):
        rows = tshark(path, df, fields)
        if rows and len(rows[0].split("\t")) == 2:
            got.update(zip(keys, rows[0].split("\t")))
    return got


def fill(obj, addrs):
    text = obj if isinstance(obj, str) else json.dumps(obj)
    for k in ("A4", "B4", "A6", "B6", "AM", "BM"):
        if "{%s}" % k in text:
            if k not in addrs:
                return None
            text = text.replace("{%s}" % k, addrs[k])
    return text


def ours(spec, path):
    out = subprocess.run([HELPER, spec, path], capture_output=True, text=True)
    line = out.stdout.strip().rsplit(" ", 1)
    return int(line[1]) if out.returncode == 0 and len(line) == 2 and line[1].isdigit() else out.stdout.strip()


def tshark_counts(path, dfilters):
    """Frames each display filter selects, all in one tshark pass (io,stat
    over one interval: a Frames column per filter)."""
    out = subprocess.run(["tshark", "-n", "-q", "-r", path, "-z", "io,stat,0," + ",".join(dfilters)],
                         capture_output=True, text=True).stdout
    counts = [0] * len(dfilters)
    for line in out.splitlines():
        if "<>" not in line:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")][1:]
        for k in range(len(dfilters)):
            counts[k] += int(cells[2 * k])
    return counts


def check(path):
    addrs = addresses(path)
    runs = [(fill(spec, addrs), fill(df, addrs)) for spec, df in TABLE]
    runs = [(s, d) for s, d in runs if s is not None and d is not None]
    if any("," in d for _, d in runs):
        raise ValueError("a display filter with a comma cannot go in io,stat")
    # io,stat leaves out frames it cannot place in its interval (a capture
    # of one frame has no duration): then one tshark -Y pass per filter
    want = tshark_counts(path, ["frame"] + [d for _, d in runs])
    if want[0] != ours("{}", path):
        want = [None] + [len(tshark(path, d)) for _, d in runs]
    want = want[1:]
    return path, [(s, d, ours(s, path), w) for (s, d), w in zip(runs, want)]


def main():
    if subprocess.run(["which", "tshark"], capture_output=True).returncode != 0:
        print("SKIP: tshark is not installed")
        return 77
    if not os.path.isdir(CORPUS):
        print("SKIP: corpus %s not found; set CORPUS=DIR" % CORPUS)
        return 77
    paths = [os.path.join(CORPUS, f) for f in FILES if os.path.exists(os.path.join(CORPUS, f))]
    fails = total = selected = 0
    with ThreadPoolExecutor(2) as ex:
        for path, rows in ex.map(check, paths):
            for s, d, got, want in rows:
                total += 1
                selected += want
                if got != want:
                    fails += 1
                    print("FAIL %s: %s -> %s frames, tshark '%s' -> %d" % (os.path.basename(path), s, got, d, want))
    print("%d files, %d filter runs, %d frames selected by tshark in all, %d differ" %
          (len(paths), total, selected, fails))
    if total < 50:
        print("FAIL: too few comparisons ran (%d)" % total)
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
