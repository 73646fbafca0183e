#!/usr/bin/env python3
"""IPv4 reassembly of UDP datagrams against tshark (two-pass, defragmenting).

1. A capture made here: a DNS response fragmented into 3 with the middle
   fragment last, a fragmented ICMP echo (not UDP: flagged, never
   reassembled) and a UDP head whose tail never comes.
2. The corpus files that have IPv4 fragments (FRAG_FILES below; each is
   checked to still have fragments, so the list cannot silently go stale).

For every frame that tshark shows as a fragment or a reassembly of a UDP
datagram: the list's Protocol and Info columns against tshark's, and every
field of the protocols in FIELD_PROTOS present on either side against
`tshark -2 -T fields -E occurrence=a` (hidden fields, which the API tree
leaves out, excepted as in known-differences.txt).  Fragments of other
protocols must stay flagged: "Fragmented IP protocol" in IPv4, never
reassembled (tshark reassembles them; we do not, by design).
Exit 0 pass, 1 fail, 77 skip.
"""

import os
import random
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

# Every file of the tcpdump corpus with IPv4 fragments (all 830 scanned
# with tshark -Y "ip.flags.mf==1 || ip.frag_offset>0"); mostly crash
# reproducers, whose fragments are truncated or never completed.
FRAG_FILES = [
    "afs.pcap", "babel_update_oobr.pcap", "bgp-bgp_capabilities_print-oobr-1.pcap",
    "bgp-bgp_capabilities_print-oobr-2.pcap", "bgp_pmsi_tunnel-oobr.pcap", "bootp_asan-2.pcap",
    "bootp_asan.pcap", "dhcp6_reconf_asan.pcap", "esp_truncated.pcap", "hncp_dhcpv4data-oobr.pcap",
    "ikev1_id_ipv6_addr_subnet-oobr.pcap", "ip_printroute_asan.pcap", "ip_ts_opts_asan.pcap",
    "isakmp-ikev1_n_print-oobr.pcap", "isakmp-various-oobr.pcap", "isakmpv1-attr-oobr.pcap",
    "ldp-ldp_tlv_print-oobr.pcap", "lmp-lmp_print_data_link_subobjs-oobr.pcap", "olsr-oobr-1.pcap",
    "pim_header_asan-3.pcap", "radius_attr_asan.pcap", "rip_error_hexdump.pcap",
    "rpki-rtr-oobr.pcap", "rsvp-rsvp_obj_print-oobr.pcap", "rsvp_uni-oobr-3.pcap",
    "rx_serviceid_oobr.pcap", "vqp-oobr.pcap", "vrrp-vrrp_print-oobr-2.pcap",
]

FIELD_PROTOS = {"ip", "udp", "dns", "snmp", "data", "frame"}
# frame.* fields other than the protocol stack are not about reassembly
FRAME_FIELDS = {"frame.protocols", "frame.cap_len"}
# IPv4 options are another parser task, compared by corpus_fields.py
SKIP_PREFIXES = ("ip.opt",)
# tshark appends this to Info when a dissector runs out of captured bytes;
# netmon's Info never carries it (for any protocol), so it is set aside
CUT_SUFFIX = "[Packet size limited during capture]"
TSHARK = ["tshark", "-n", "-2", "-o", "tcp.relative_sequence_numbers:FALSE",
          "-o", "tcp.desegment_tcp_streams:FALSE"]
FRAG_FILTER = "ip.flags.mf==1 || ip.frag_offset>0 || ip.fragment"
MAX_FRAMES = 400
# tree.c renders at most 4 KiB of a byte field (known-differences.txt:
# "API byte limit"): a longer value agrees when it is tshark's prefix.
BYTES_SHOWN = 4096


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(src, dst, proto, ident, off, more, data):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, (more << 13) | (off // 8), 64, proto,
                    0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + data


def dns_response():
    q = b"\x07example\x03com\x00" + struct.pack("!HH", 16, 1)
    ans = b""
    for i in range(5):
        txt = bytes([200]) + bytes([65 + i]) * 200
        ans += b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 300, len(txt)) + txt
    return struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 5, 0, 0) + q + ans


def udp(src, dst, sport, dport, payload):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum(src + dst + struct.pack("!BBH", 0, 17, len(u)) + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def write_pcap(path, packets, step_us=1000000):
    eth = bytes.fromhex("001122334455" "66778899aabb" "0800")
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, f in enumerate(packets):
            fr = eth + f
            t = i * step_us
            out.write(struct.pack("<IIII", 1700000000 + t // 1000000, t % 1000000, len(fr), len(fr)) + fr)


# The capture path's table holds 1024 datagrams (capture/reasm.c): a flood
# of heads that never complete, within the 60 s timeout, evicts the rest.
FLOOD, TABLE_CAP = 1100, 1024


def make_flood(path):
    a, b = bytes([10, 0, 0, 3]), bytes([10, 0, 0, 4])
    write_pcap(path, [ipv4(a, b, 17, i, 0, 1, bytes(64)) for i in range(FLOOD)], step_us=1000)


def make_hostile(path, n=600):
    """Overlapping, duplicate, oversized and contradictory UDP fragments of a
    few datagrams: nothing to compare, but import and every frame's detail
    must answer (and, in the sanitizer build, report nothing)."""
    rnd = random.Random(3)
    a, b = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    frames = []
    for _ in range(n):
        off = rnd.choice([0, 8, 16, 1480, 8184, 65520, rnd.randrange(0, 8192) * 8])
        data = bytes(rnd.randrange(256) for _ in range(rnd.choice([0, 1, 8, 16, 100, 1480])))
        frames.append(ipv4(a, b, 17, rnd.randrange(4), off, rnd.randrange(2), data))
    write_pcap(path, frames)


def make_capture(path):
    a, b = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    d = udp(a, b, 53, 40000, dns_response())
    icmp = b"\x08\x00\x00\x00\x00\x01\x00\x01" + bytes(range(256)) * 4
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    lone = udp(b, a, 5000, 5001, bytes(1000))
    frames = [
        ipv4(a, b, 17, 0xBEEF, 0, 1, d[:376]),
        ipv4(b, a, 17, 0x0777, 0, 1, lone[:504]),  # its tail never comes
        ipv4(a, b, 17, 0xBEEF, 752, 0, d[752:]),
        ipv4(a, b, 1, 0x0101, 0, 1, icmp[:512]),
        ipv4(a, b, 17, 0xBEEF, 376, 1, d[376:752]),  # completes the DNS response
        ipv4(a, b, 1, 0x0101, 512, 0, icmp[512:]),
    ]
    write_pcap(path, frames)


def tshark_rows(path, cols):
    cmd = TSHARK + ["-r", path, "-c", str(MAX_FRAMES), "-T", "fields", "-E", "occurrence=a",
                    "-E", "aggregator=,", "-E", "separator=/t"]
    for c in cols:
        cmd += ["-e", c]
    p = subprocess.run(cmd, capture_output=True, env=dict(os.environ, TZ="UTC"), timeout=300)
    rows = [ln.split("\t") for ln in p.stdout.decode("utf-8", "replace").split("\n")[:-1]]
    return [r + [""] * (len(cols) - len(r)) for r in rows]


def frag_frames(path):
    p = subprocess.run(TSHARK + ["-r", path, "-c", str(MAX_FRAMES), "-Y", FRAG_FILTER, "-T", "fields",
                                 "-e", "frame.number"], capture_output=True, text=True, timeout=300)
    return [int(x) for x in p.stdout.split()]


def tree_values(tree, wanted):
    acc, stack = {}, list(reversed(tree))
    while stack:
        n = stack.pop()
        if n.get("field") in wanted and n.get("value") is not None:
            acc.setdefault(n["field"], []).append(str(n["value"]))
        stack.extend(reversed(n.get("children") or []))
    return {f: ",".join(v) for f, v in acc.items()}


def hidden_fields():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "known-differences.txt")
    with open(path, encoding="utf-8") as fh:
        return {ln.split()[0] for ln in fh if ln.strip() and not ln.startswith("#")
                and "hidden field" in ln}


def declared_fields(api):
    theirs = subprocess.run(["tshark", "-G", "fields"], capture_output=True, text=True).stdout
    known = {c[2] for c in (ln.split("\t") for ln in theirs.splitlines()) if len(c) > 2 and c[0] == "F"}
    out = []
    for p in nt.items(api.get("/api/v1/protocols"), "protocols"):
        if p["name"] in FIELD_PROTOS:
            out += [f["name"] for f in p.get("fields", []) if f["name"] in known and f.get("type") != "FT_NONE"]
    hidden = hidden_fields() | {"udp.port"}
    return [f for f in dict.fromkeys(out) if f not in hidden and not f.startswith(SKIP_PREFIXES)
            and (not f.startswith("frame.") or f in FRAME_FIELDS)]


def same(ours, theirs):
    if ours == theirs:
        return True
    return len(ours) == 2 * BYTES_SHOWN and theirs.startswith(ours)


def compare_file(api, cap_id, path, fields, ctx, stats, problems):
    frames = frag_frames(path)
    if not frames:
        problems.append("%s: no IPv4 fragments any more (drop it from FRAG_FILES)" % path)
        return
    rows = tshark_rows(path, ["_ws.col.Protocol", "_ws.col.Info"] + fields)
    proto_col = 2 + fields.index("ip.proto")  # tshark prints a field given twice once
    listed = {f["number"]: f for f in nt.iter_frames(api, cap_id)}
    name = os.path.basename(path)
    for n in frames:
        theirs, ours = rows[n - 1], listed.get(n, {})
        # a payload tshark hands to a protocol we do not parse (AFS/RX):
        # only the reassembly itself (ip, udp) can be compared there
        stack = theirs[2 + fields.index("frame.protocols")].split(":")
        inner_ok = all(p in ctx["protocols"] for p in stack)
        if not inner_ok:
            stats["unparsed"] += 1
        got = tree_values(api.get("/api/v1/frames/%d" % n, capture=cap_id).get("tree", []), set(fields))
        if got.get("frame.cap_len") != theirs[2 + fields.index("frame.cap_len")]:
            stats["clipped"] += 1  # libpcap clipped it to the snaplen: other bytes than tshark's
            continue
        if theirs[1].endswith(CUT_SUFFIX) and not ours.get("info", "").endswith(CUT_SUFFIX):
            stats["cut_suffix"] += 1
            theirs[1] = theirs[1][: -len(CUT_SUFFIX)]
        if theirs[proto_col].split(",")[-1] != "17":
            # Not reassembled here (UDP only): flagged where tshark flags
            # it; a first fragment tshark lacks bytes of is dissected as it
            # is by both; a later one tshark reassembled (ICMP...) stays
            # flagged here
            stats["other"] += 1
            flagged = theirs[1].startswith("Fragmented IP protocol")
            info = ours.get("info", "")
            ours_flagged = ours.get("protocol") == "IPv4" and info.startswith("Fragmented IP protocol")
            if not flagged and ours_flagged and ", off=0," not in info:
                continue
                problems.append("%s#%d: a non-UDP fragment: tshark shows %r %r, we %r %r"
                                % (name, n, theirs[0], theirs[1][:40], ours.get("protocol"), ours.get("info")))
            continue
        stats["frames"] += 1
        for col, t, o in (("Protocol", theirs[0], ours.get("protocol")), ("Info", theirs[1], ours.get("info"))):
            if inner_ok and t != o:
                problems.append("%s#%d %s: ours %r, tshark %r" % (name, n, col, o, t))
        for f, t in zip(fields, theirs[2:]):
            o = got.get(f, "")
            if not inner_ok and f.split(".")[0] not in ("ip", "udp"):
                continue
            if o or t:
                stats["values"] += 1
                if not same(o, t):
                    problems.append("%s#%d %s: ours %r, tshark %r" % (name, n, f, o[:70], t[:70]))


# Display filters over fragments: what matches in a reassembled datagram
# must match its completing frame, as with tshark -Y (which reassembles).
FILTERS = ["udp", "udp.srcport == 7000", "udp.port == 7001 && ip.frag_offset > 0", "dns",
           "dns.qry.name", "ip.reassembled.length > 3000", "ip.fragment.count == 4",
           "ip.flags.mf == 1 && udp"]


def compare_filters(api, cap_id, path, problems):
    import urllib.parse
    for flt in FILTERS:
        theirs = subprocess.run(TSHARK + ["-r", path, "-Y", flt], capture_output=True, text=True).stdout
        want = len(theirs.splitlines())
        for mode in ("", "&dissect=1"):
            got = api.get("/api/v1/frames/count?capture=%d&filter=%s%s" % (cap_id, urllib.parse.quote(flt), mode))
            if got["count"] != want:
                problems.append("%s: filter %r%s counts %d, tshark -Y %d"
                                % (os.path.basename(path), flt, mode, got["count"], want))


def main():
    nt.need_tool("tshark")
    netmond = nt.netmond_path()
    tmp = nt.tmpdir("reasm")
    made = os.path.join(tmp, "frag.pcap")
    make_capture(made)
    hostile = os.path.join(tmp, "hostile.pcap")
    make_hostile(hostile)
    flood = os.path.join(tmp, "flood.pcap")
    make_flood(flood)
    files = [made]
    if FRAG_FILES:
        try:
            corpus = nt.corpus_dir()
            files += [os.path.join(corpus, f) for f in FRAG_FILES]
        except SystemExit:
            nt.log("corpus missing: only the capture made here is compared")
    db = os.path.join(tmp, "r.db")
    for f in files + [hostile, flood]:
        r = nt.import_file(netmond, f, db)
        if r.rc != 0:
            nt.log("FAIL: import %s" % r.describe())
            return 1
    problems, stats = [], {"frames": 0, "values": 0, "other": 0, "unparsed": 0, "clipped": 0, "cut_suffix": 0}
    srv = nt.Server(netmond, db)
    try:
        api = srv.client()
        fields = declared_fields(api)
        ctx = {"protocols": {p["name"] for p in nt.items(api.get("/api/v1/protocols"), "protocols")}
               | {"ethertype"}}
        bysrc = {os.path.realpath(c["source"]): c["id"] for c in nt.captures(api)}
        for f in files:
            compare_file(api, bysrc[os.path.realpath(f)], f, fields, ctx, stats, problems)
        for f in files[:2]:  # the capture made here, and afs.pcap (51 datagrams)
            compare_filters(api, bysrc[os.path.realpath(f)], f, problems)
        status = api.get("/api/v1/status")
        if status.get("reassembly_evicted") is None:
            problems.append("status has no reassembly_evicted counter")
        ev = api.get("/api/v1/stats", capture=bysrc[os.path.realpath(flood)]).get("reassembly_evicted")
        if ev != FLOOD - TABLE_CAP:
            problems.append("flood of %d unfinished datagrams: reassembly_evicted %r, want %d"
                            % (FLOOD, ev, FLOOD - TABLE_CAP))
        hid = bysrc[os.path.realpath(hostile)]
        for fr in nt.iter_frames(api, hid):
            api.get("/api/v1/frames/%d" % fr["number"], capture=hid)  # raises unless 200
    finally:
        rc = srv.stop()
        if rc not in (0, -15) or nt.SANITIZER_RE.search(srv.stderr()):
            problems.append("server exit %s: %s" % (rc, srv.stderr()[-600:]))
    for p in problems[:40]:
        nt.log("MISMATCH " + p)
    nt.log("set aside: %d frames libpcap clipped to the snaplen (frame.cap_len differs), %d Info"
           " differing only by tshark's %s" % (stats["clipped"], stats["cut_suffix"], CUT_SUFFIX))
    nt.log("%d UDP fragment frames in %d files (%d with a payload we do not parse: ip/udp only),"
           " %d field values compared with tshark -2; %d non-UDP fragment frames left flagged;"
           " %d mismatches" % (stats["frames"], len(files), stats["unparsed"], stats["values"],
                               stats["other"], len(problems)))
    if not problems:
        nt.shutil.rmtree(tmp, ignore_errors=True)
    return 1 if problems or not stats["frames"] else 0


if __name__ == "__main__":
    sys.exit(main())
