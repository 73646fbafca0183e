#!/usr/bin/env python3
"""Seed the fuzzing corpora from the tcpdump test captures.

    fuzz/extract_corpus.py [CORPUS_DIR] [OUT_DIR]

CORPUS_DIR defaults to ../shared/captures/tcpdump-tests beside the source
tree, OUT_DIR to ./fuzz (the build directory's).  Every frame of every
pcap/pcapng file goes, by its link type, to OUT_DIR/corpus-eth, -raw, -sll,
-sll2 or -null (the per-link harnesses' input: the frame itself), and to
OUT_DIR/corpus-tree with the tree harness's selector byte in front (and
Ethernet IPv4 fragments once more with bit 6 set: through a reassembler);
each file's Ethernet IPv4 fragments, in order, go to OUT_DIR/corpus-reasm.
Duplicates are dropped and frames cut at --max-len bytes.  Standard library
only; malformed files are read as far as they go.
"""
import argparse
import hashlib
import os
import struct
import sys

# Link type -> (per-link corpus, index in fuzz/fuzz_link.c's fuzz_linktypes).
LINKS = {1: ("eth", 0), 0: ("null", 1), 108: ("null", 2), 12: ("raw", 3), 14: ("raw", 4),
         101: ("raw", 5), 228: ("raw", 6), 229: ("raw", 7), 113: ("sll", 8), 276: ("sll2", 9)}


def pcap_frames(b):
    magic = b[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    if len(b) < 24:
        return
    lt = struct.unpack(e + "I", b[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(b):
        incl = struct.unpack(e + "I", b[off + 8:off + 12])[0]
        off += 16
        if incl > 262144:
            return
        yield lt, b[off:off + incl]
        off += incl


def pcapng_frames(b):
    off, e, ifaces = 0, "<", []
    while off + 12 <= len(b):
        btype = struct.unpack(e + "I", b[off:off + 4])[0]
        if btype == 0x0A0D0D0A:  # section header: its byte order
            e = "<" if b[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            ifaces = []
        blen = struct.unpack(e + "I", b[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(b):
            return
        body = b[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 2:
            ifaces.append(struct.unpack(e + "H", body[:2])[0])
        elif btype in (2, 6) and len(body) >= 20:
            iface = struct.unpack(e + ("HH" if btype == 2 else "I"), body[:4])[0]
            cap = struct.unpack(e + "I", body[12:16])[0]
            if iface < len(ifaces):
                yield ifaces[iface], body[20:20 + cap]
        elif btype == 3 and len(body) >= 4 and ifaces:
            orig = struct.unpack(e + "I", body[:4])[0]
            yield ifaces[0], body[4:4 + orig]
        off += blen


def sll_to_sll2(fr):
    """The corpus has no SLL2 captures: rewrite an SLL header as SLL2's."""
    if len(fr) < 16:
        return None
    pkttype, hatype, halen = struct.unpack("!HHH", fr[:6])
    return (fr[14:16] + b"\0\0" + struct.pack("!IHBB", 1, hatype, pkttype & 0xff, halen & 0xff)
            + fr[6:14] + fr[16:])


def frames(path):
    with open(path, "rb") as f:
        b = f.read()
    gen = pcapng_frames(b) if b[:4] == b"\x0a\x0d\x0d\x0a" else pcap_frames(b)
    try:
        yield from gen
    except struct.error:
        return


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?",
                    default=os.path.join(here, "..", "..", "shared", "captures", "tcpdump-tests"))
    ap.add_argument("out", nargs="?", default="fuzz")
    ap.add_argument("--max-len", type=int, default=4096)
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        sys.exit("extract_corpus: %s: no such directory" % a.corpus)
    seen, counts = set(), {}
    for name in sorted(os.listdir(a.corpus)):
        if not name.endswith((".pcap", ".pcapng")):
            continue
        frags = []
        for lt, fr in frames(os.path.join(a.corpus, name)):
            if lt == 113 and sll_to_sll2(fr):
                save(a, seen, counts, 276, sll_to_sll2(fr))
            save(a, seen, counts, lt, fr)
            if lt == 1 and is_ipv4_fragment(fr):
                frags.append(fr)
        save_reasm(a, counts, name, frags)
    for k in sorted(counts):
        print("corpus-%s: %d inputs" % (k, counts[k]))


def is_ipv4_fragment(fr):
    """An untagged Ethernet frame holding an IPv4 fragment (MF or an offset)."""
    return len(fr) >= 34 and fr[12:14] == b"\x08\x00" and (fr[20] & 0x3f or fr[21])


def save_reasm(a, counts, name, frags):
    """A file's Ethernet IPv4 fragments, in order, as fuzz/fuzz_reasm.c's
    input (selector 0: Ethernet; time step 0; 2-byte length + frame),
    split into seeds of at most 16 KiB."""
    seed = b""
    for fr in frags + [None]:
        if seed and (fr is None or len(seed) + 2 + len(fr) > 16384):
            d = os.path.join(a.out, "corpus-reasm")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, hashlib.sha1(seed).hexdigest()), "wb") as f:
                f.write(seed)
            counts["reasm"] = counts.get("reasm", 0) + 1
            seed = b""
        if fr is not None and len(fr) <= 16380:
            seed = (seed or b"\0\0") + struct.pack("!H", len(fr)) + fr


def save(a, seen, counts, lt, fr):
    if lt not in LINKS:
        return
    link, idx = LINKS[lt]
    fr = fr[:a.max_len]
    seeds = [(link, fr), ("tree", bytes([idx]) + fr)]
    if lt == 1 and is_ipv4_fragment(fr):
        seeds.append(("tree", bytes([idx | 0x40]) + fr))  # with a reassembler
    for corpus, data in seeds:
        h = hashlib.sha1(corpus.encode() + data).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        d = os.path.join(a.out, "corpus-" + corpus)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, h), "wb") as f:
            f.write(data)
        counts[corpus] = counts.get(corpus, 0) + 1


if __name__ == "__main__":
    main()
