#!/usr/bin/env python3
"""The configuration file (netmond -c FILE): errors name the file and line,
the command line overrides the file, and [decode-as] hands a port to a
protocol exactly as tshark's `-d udp.port==N,dns` does (tshark is the
oracle for what the frames then look like)."""

import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

failures = []


def check(ok, what):
    nt.log(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def write_conf(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def run(netmond, args):
    return subprocess.run([netmond] + args, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=nt.sanitizer_env())


def udp_frame(sport, dport, payload):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    csum = sum(struct.unpack(">10H", ip))
    csum = (csum & 0xFFFF) + (csum >> 16)
    ip = ip[:10] + struct.pack(">H", ~csum & 0xFFFF) + ip[12:]
    return bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00" + ip + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)


def test_errors(netmond, tmp):
    cases = [
        ("[storage]\nmax_frame = 10\n", ":2: [storage] max_frame: unknown setting"),
        ("; comment\n[storage]\n\nmax_bytes = 12Q\n", ":4: [storage] max_bytes: expected a size"),
        ("[capture]\nsnaplen = 0\n", ":2: [capture] snaplen: value out of range"),
        ("[server]\nhttp = maybe\n", ":2: [server] http: expected yes or no"),
        ("[decode-as]\nsctp.port 9 = dns\n", ":2: [decode-as] sctp.port 9: unknown table"),
        ("[decode-as]\nudp.port 5454 = nosuchproto\n", ":2: [decode-as] unknown protocol 'nosuchproto'"),
        ("this is not ini\n", ":1: not 'key = value'"),
    ]
    for i, (text, want) in enumerate(cases):
        conf = write_conf(tmp, "bad%d.conf" % i, text)
        r = run(netmond, ["-c", conf, "--db", os.path.join(tmp, "bad.db"), "--no-http",
                          "-r", "/nonexistent.pcap"])
        check(r.returncode == 2 and want in r.stderr,
              "bad config %r -> exit 2 naming %r (got %d: %s)" % (text, want, r.returncode, r.stderr.strip()))
    r = run(netmond, ["-c", os.path.join(tmp, "missing.conf")])
    check(r.returncode == 2 and "missing.conf" in r.stderr, "missing config file is an error naming it")


def frames_of(netmond, db):
    with nt.Server(netmond, db) as s:
        api = s.client()
        cap = nt.captures(api)[0]
        return list(nt.iter_frames(api, cap["id"]))


def tshark_cols(pcap, extra):
    out = subprocess.run(["tshark", "-n", "-r", pcap] + extra +
                         ["-T", "fields", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info"],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines()]


def test_decode_as(netmond, tmp):
    # tshark finds DNS on any port by itself, so the proof is syslog on 5514
    pcap = os.path.join(tmp, "syslog5514.pcap")
    write_pcap(pcap, [udp_frame(40000, 5514, b"<34>Oct 11 22:14:15 host su: test message"),
                      udp_frame(40001, 5514, b"<13>Nov 27 12:00:00 box netmon: hello")])
    conf = write_conf(tmp, "decode.conf", "[decode-as]\nudp.port 5514 = syslog\n")
    for tag, args, targs in (("without", [], []), ("with", ["-c", conf], ["-d", "udp.port==5514,syslog"])):
        db = os.path.join(tmp, "decode-%s.db" % tag)
        r = nt.import_file(netmond, pcap, db, extra=args)
        check(r.rc == 0, "import %s [decode-as] exits 0 (%s)" % (tag, r.describe() if r.rc else ""))
        ours = [(f.get("protocol"), f.get("info")) for f in frames_of(netmond, db)]
        theirs = tshark_cols(pcap, targs)
        check(ours == theirs, "%s [decode-as]: protocol and info %s == tshark %s" % (tag, ours, theirs))


def test_override(netmond, tmp):
    pcap = os.path.join(tmp, "one.pcap")
    write_pcap(pcap, [udp_frame(1, 2, b"x")])
    conf = write_conf(tmp, "db.conf", "[storage]\ndb = %s\n[server]\nhttp = no\n[capture]\nread = %s\n"
                      % (os.path.join(tmp, "from-file.db"), pcap))
    r = run(netmond, ["-c", conf])
    check(r.returncode == 0 and os.path.exists(os.path.join(tmp, "from-file.db")),
          "the file's db, read and http settings are used (%s)" % r.stderr.strip())
    r = run(netmond, ["--db", os.path.join(tmp, "from-cli.db"), "-c", conf])
    check(r.returncode == 0 and os.path.exists(os.path.join(tmp, "from-cli.db")),
          "--db on the command line overrides the file, whatever the order")


def main():
    netmond = nt.netmond_path()
    nt.need_tool("tshark")
    tmp = nt.tmpdir("config")
    test_errors(netmond, tmp)
    test_decode_as(netmond, tmp)
    test_override(netmond, tmp)
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
