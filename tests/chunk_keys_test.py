#!/usr/bin/env python3
"""chunk_keys rows, written by the writer in C (db/sqlite_chunk.c), equal
their definition in SQL over the stored rows.

chunk_keys holds, for each chunk of frame bytes (a frame_data row), the
distinct (coalesce(frames.protocols, 0), frames.flow_id) pairs of the
chunk's frames with the first and last frame number of each; display
filters (filter/sql_flow.c, db/sqlite_scan.c) read only the chunks and
frame ranges it names, so a missing or short row loses matches.  It was
kept by a trigger that ran the GROUP BY below; the writer now builds the
rows as frames are appended, and this test holds it to that GROUP BY.

Imports: corpus captures (every k-th readable one under 1 MiB) into one
database, one capture each; a synthetic capture of interleaved flows and
protocol stacks (many keys per chunk, runs that start and stop inside a
chunk) with batch sizes that do not divide a chunk; and the same with
--max-frames, so chunks are evicted (their rows must go with them).
Checked per database: the trigger chunk_keys_add is gone and
chunk_keys_del is kept; every chunk whose frames are all still stored has
exactly the GROUP BY's rows; no row outlives its chunk.

Exit 0 agree, 1 differ, 77 corpus missing.
"""

import os
import random
import shutil
import sqlite3
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

CORPUS_FILES = 40
NFRAMES = 30000
failures = []

# The definition: what the trigger chunk_keys_add inserted for each chunk.
WANT = """SELECT d.capture_id, d.first_number, coalesce(f.protocols, 0), f.flow_id,
 min(f.number), max(f.number) FROM frame_data d JOIN frames f ON f.capture_id = d.capture_id
 AND f.number BETWEEN d.first_number AND d.first_number + d.count - 1
 GROUP BY d.capture_id, d.first_number, coalesce(f.protocols, 0), f.flow_id"""
# Chunks none of whose frames were evicted (eviction goes by frame, chunks
# go only with their last frame).
WHOLE = """SELECT d.capture_id, d.first_number FROM frame_data d
 WHERE (SELECT count(*) FROM frames f WHERE f.capture_id = d.capture_id
 AND f.number BETWEEN d.first_number AND d.first_number + d.count - 1) = d.count"""


def check(ok, what):
    nt.log(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def eth(src, dst, etype, payload):
    return bytes([0, 0x11, 0x22, 0x33, 0x44, dst]) + bytes([0, 0x66, 0x77, 0x88, 0x99, src]) + \
        struct.pack(">H", etype) + payload


def ipv4(proto, a, b, body):
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, proto, 0,
                       bytes([10, 0, 0, a]), bytes([10, 1, 0, b])) + body


def frame(rnd, i):
    """One of several stacks; 200 UDP and TCP flows, picked at random so
    a chunk holds many, each in short runs."""
    kind = rnd.randrange(10)
    a, b = rnd.randrange(1, 11), rnd.randrange(1, 21)
    if kind == 0:  # ARP: no flow
        arp = struct.pack(">HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, bytes(6), bytes([10, 0, 0, a]),
                          bytes(6), bytes([10, 1, 0, b]))
        return eth(a, 0xFF, 0x0806, arp)
    if kind == 1:  # ICMP echo
        return eth(a, b, 0x0800, ipv4(1, a, b, struct.pack(">BBHHH", 8, 0, 0, 1, i & 0xFFFF) + bytes(24)))
    if kind < 6:  # UDP to a port no dissector claims
        udp = struct.pack(">HHHH", 40000 + a, 41000 + b, 8 + 32, 0) + bytes(32)
        return eth(a, b, 0x0800, ipv4(17, a, b, udp))
    tcp = struct.pack(">HHIIBBHHH", 50000 + a, 80 + b, i, 0, 0x50, 0x10, 65535, 0, 0) + bytes(20)
    return eth(a, b, 0x0800, ipv4(6, a, b, tcp))


def write_pcap(path):
    rnd = random.Random(3)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(NFRAMES):
            e = frame(rnd, i)
            f.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(e), len(e)) + e)


def corpus_sample(corpus):
    files = [f for f in nt.corpus_files(corpus) if os.path.getsize(f) < 1 << 20]
    ok = [f for f in files if nt.libpcap_count(f)]
    step = max(1, len(ok) // CORPUS_FILES)
    return ok[::step][:CORPUS_FILES]


def one(db, sql):
    return db.execute(sql).fetchone()[0]


def check_db(name, path, evicted):
    db = sqlite3.connect(path)
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}
    check("chunk_keys_add" not in triggers and "chunk_keys_del" in triggers,
          "%s: triggers %s (no chunk_keys_add, chunk_keys_del kept)" % (name, sorted(triggers)))
    rows, chunks = one(db, "SELECT count(*) FROM chunk_keys"), one(db, "SELECT count(*) FROM frame_data")
    whole = "(capture_id, first_number) IN (%s)" % WHOLE
    n_whole = one(db, "SELECT count(*) FROM (%s)" % WHOLE)
    missing = db.execute("SELECT * FROM (%s) WHERE %s EXCEPT SELECT * FROM chunk_keys LIMIT 5"
                         % (WANT, whole)).fetchall()
    extra = db.execute("SELECT * FROM chunk_keys WHERE %s EXCEPT SELECT * FROM (%s) LIMIT 5"
                       % (whole, WANT)).fetchall()
    orphans = one(db, "SELECT count(*) FROM chunk_keys k WHERE NOT EXISTS (SELECT 1 FROM frame_data d"
                  " WHERE d.capture_id = k.capture_id AND d.first_number = k.first_number)")
    check(not missing and not extra, "%s: %d rows for %d chunks (%d whole); missing %s, extra %s"
          % (name, rows, chunks, n_whole, missing, extra))
    check(orphans == 0, "%s: %d rows whose chunk is gone" % (name, orphans))
    # or the comparison proves little
    check(rows > 2 * chunks and n_whole > 10, "%s: chunks have several keys each" % name)
    if evicted:
        check(n_whole < chunks or one(db, "SELECT min(first_number) FROM frame_data") > 1,
              "%s: frames were evicted" % name)
    db.close()


def run(netmond, name, tmp, pcaps, extra=(), evicted=False):
    path = os.path.join(tmp, name + ".db")
    for p in pcaps:
        r = nt.import_file(netmond, p, path, extra=extra)
        if r.rc != 0:
            check(False, "%s: import %s" % (name, r.describe()))
            return
    check_db(name, path, evicted)


def main():
    corpus = nt.corpus_dir()
    netmond = nt.netmond_path()
    tmp = nt.tmpdir("chunkkeys")
    synth = os.path.join(tmp, "flows.pcap")
    write_pcap(synth)
    files = corpus_sample(corpus)
    nt.log("%d corpus files, %d synthetic frames" % (len(files), NFRAMES))
    run(netmond, "corpus", tmp, files + [synth])
    run(netmond, "batch-1000", tmp, [synth, synth], extra=("--batch", "1000"))
    run(netmond, "batch-97-evict", tmp, [synth, synth],
        extra=("--batch", "97", "--max-frames", "7000"), evicted=True)
    if failures:
        nt.log("%d checks failed; databases kept in %s" % (len(failures), tmp))
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    nt.log("all chunk_keys checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
