#!/usr/bin/env python3
"""appb_vectors.py OUT.inc: build tests/check_appb_vectors.inc, the byte
vectors and tshark's field values that tests/check_appb.c checks.

Each vector is one frame of a corpus capture (../shared/captures/
tcpdump-tests) or of the captures tests/appb_samples.py writes.  Expected
values are what `tshark -T fields -E occurrence=a -E aggregator=,` prints
for that frame (per-segment settings as tests/corpus_fields.py uses), for
every field of the batch-B protocols that tshark prints a value for,
except the (vector, field) pairs in SKIP, which tshark derives from
conversation state or decryption that a per-frame parser cannot have
(reasons in tests/known-differences.txt).
"""
import fnmatch
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get("CORPUS", os.path.join(HERE, "..", "..", "shared", "captures", "tcpdump-tests"))
PROTOS = ["http", "ftp", "smtp", "pop", "imap", "tls", "ssh", "quic", "nbss", "smb", "smb2", "mbtcp", "modbus",
          "mqtt", "sip", "rtp"]
TSHARK_OPTS = ["-n", "-o", "tcp.relative_sequence_numbers:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
               "-o", "ip.defragment:FALSE", "-o", "rtp.heuristic_rtp:TRUE"]

# (name, file, frame); "@" files are from appb_samples.py.
VECTORS = [
    ("http_get", "print-flags.pcap", 4), ("http_200", "print-flags.pcap", 6),
    ("http_post", "@appb-http.pcap", 3), ("http_cut", "@appb-http.pcap", 5),
    ("http_cont", "@appb-http.pcap", 6), ("http_hdrs", "@appb-http.pcap", 7),
    ("http_badcl", "@appb-http.pcap", 8), ("http_999", "@appb-http.pcap", 9),
    ("ftp_multi", "@appb-ftp.pcap", 5), ("ftp_pasv", "@appb-ftp.pcap", 9), ("ftp_port", "@appb-ftp.pcap", 16),
    ("ftp_bin", "@appb-ftp.pcap", 13), ("ftp_short", "@appb-ftp.pcap", 12),
    ("smtp_ehlo", "@appb-smtp.pcap", 2), ("smtp_250", "@appb-smtp.pcap", 3),
    ("pop_list", "@appb-pop.pcap", 9), ("pop_user", "@appb-pop.pcap", 2),
    ("imap_select", "@appb-imap.pcap", 5), ("imap_uid", "@appb-imap.pcap", 6), ("imap_cut", "@appb-imap.pcap", 9),
    ("tls_ch", "@appb-tls.pcap", 1), ("tls_sh13", "@appb-tls.pcap", 2), ("tls_alert", "@appb-tls.pcap", 4),
    ("tls_sh12", "@appb-tls.pcap", 6), ("tls_cut", "@appb-tls.pcap", 7), ("tls_reneg", "@appb-tls.pcap", 9),
    ("ssh_banner", "ssh.pcap", 4), ("ssh_kexinit", "ssh.pcap", 8), ("ssh_ecdh", "ssh.pcap", 14),
    ("quic_initial", "quic_handshake.pcap", 2), ("quic_hs", "quic_handshake.pcap", 3),
    ("quic_short", "quic_handshake.pcap", 9), ("quic_vn", "quic_vn.pcap", 2), ("quic_retry", "quic_retry.pcap", 2),
    ("quic_trunc", "quic_handshake_truncated.pcap", 1),
    ("smb_negotiate", "@appb-smb.pcap", 1), ("smb_logon_fail", "@appb-smb.pcap", 2),
    ("smb2_echo", "@appb-smb.pcap", 3), ("smb2_error", "@appb-smb.pcap", 4), ("smb2_create_err", "@appb-smb.pcap", 7),
    ("nbss_keepalive", "@appb-smb.pcap", 8), ("nbss_request", "@appb-smb.pcap", 11),
    ("nbss_negative", "@appb-smb.pcap", 13), ("smb_trans2", "smb_data_print-segv.pcap", 3),
    ("nbss_cont", "smb_data_print-segv.pcap", 4),
    ("modbus_resp", "@appb-modbus.pcap", 2), ("modbus_exc", "@appb-modbus.pcap", 4),
    ("modbus_two", "@appb-modbus.pcap", 5), ("modbus_short", "@appb-modbus.pcap", 6),
    ("mqtt_connect", "@appb-mqtt.pcap", 1), ("mqtt_subscribe", "@appb-mqtt.pcap", 3),
    ("mqtt_publish_q1", "@appb-mqtt.pcap", 6), ("mqtt_ping2", "@appb-mqtt.pcap", 8),
    ("sip_invite", "@appb-sip.pcap", 1), ("sip_200", "@appb-sip.pcap", 2), ("sip_register", "@appb-sip.pcap", 3),
    ("rtp_pcmu", "@appb-rtp.pcap", 1), ("rtp_csrc", "@appb-rtp.pcap", 4), ("rtp_ext", "@appb-rtp.pcap", 5),
    ("rtp_pad", "@appb-rtp.pcap", 6),
]

# Values tshark takes from conversation state, reassembly or decryption.
SKIP = {
    ("quic_initial", "_ws.col.Info"), ("smb_trans2", "smb.bcc"), ("smb_trans2", "smb.reserved"),
    ("smb_trans2", "_ws.col.Info"), ("http_post", "_ws.col.Info"), ("http_post", "_ws.col.Protocol"),
    ("http_cut", "_ws.col.Info"), ("ssh_banner", "_ws.col.Protocol"), ("tls_sh13", "tls.record.content_type"),
    ("ssh_ecdh", "_ws.col.Info"), ("http_post", "frame.protocols"), ("http_200", "frame.protocols"),
    ("imap_cut", "frame.protocols"), ("tls_alert", "_ws.col.Protocol"), ("quic_initial", "tls.*"),
    ("quic_initial", "frame.protocols"), ("quic_trunc", "_ws.col.Info"), ("quic_trunc", "tls.*"),
    ("quic_trunc", "frame.protocols"), ("tls_cut", "_ws.col.Protocol"),
}


def skipped(name, field):
    return any(n == name and fnmatch.fnmatchcase(field, pat) for n, pat in SKIP)


def our_fields():
    names = set()
    for fn in os.listdir(os.path.join(HERE, "..", "parsers")):
        if fn.startswith("proto_") and fn.endswith(".c"):
            text = open(os.path.join(HERE, "..", "parsers", fn), encoding="utf-8").read()
            for m in re.finditer(r'"((%s)\.[A-Za-z0-9_.\-]+)"' % "|".join(PROTOS), text):
                names.add(m.group(1))
    known = subprocess.run(["tshark", "-G", "fields"], capture_output=True, text=True).stdout
    ts = {ln.split("\t")[2] for ln in known.splitlines() if ln.startswith("F\t")}
    return sorted(names & ts)


def frame_bytes(path, frame):
    with tempfile.NamedTemporaryFile(suffix=".pcap") as tmp:
        subprocess.run(["editcap", "-r", "-F", "pcap", path, tmp.name, str(frame)], check=True, capture_output=True)
        data = open(tmp.name, "rb").read()
    little = data[:4] == b"\xd4\xc3\xb2\xa1"
    order = "<" if little else ">"
    import struct
    linktype = struct.unpack(order + "I", data[20:24])[0]
    incl, orig = struct.unpack(order + "II", data[32:40])
    return linktype, orig, data[40:40 + incl]


def tshark_row(path, frame, fields):
    cmd = ["tshark", "-r", path] + TSHARK_OPTS + ["-Y", "frame.number == %d" % frame, "-T", "fields",
                                                  "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, env=dict(os.environ, TZ="UTC")).stdout.decode("utf-8", "replace")
    return out.rstrip("\n").split("\t")


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    out = sys.argv[1]
    samples = tempfile.mkdtemp(prefix="appb")
    subprocess.run([sys.executable, os.path.join(HERE, "appb_samples.py"), samples], check=True)
    fields = our_fields() + ["_ws.col.Protocol", "_ws.col.Info", "frame.protocols"]
    lines = ["/* Generated by tests/appb_vectors.py: frames and the values tshark 4.0 prints for them. */", ""]
    rows, vecs = [], []
    for name, fn, frame in VECTORS:
        path = os.path.join(samples, fn[1:]) if fn.startswith("@") else os.path.join(CORPUS, fn)
        linktype, orig, data = frame_bytes(path, frame)
        src = ("tests/appb_samples.py " + fn[1:]) if fn.startswith("@") else fn
        lines.append("/* %s frame %d */" % (src, frame))
        lines.append("static const uint8_t v_%s[] = {" % name)
        for i in range(0, len(data), 12):
            lines.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 12]))
        lines.append("};")
        vecs.append('\t{"%s", v_%s, sizeof v_%s, %d, %d},' % (name, name, name, orig, linktype))
        for f, v in zip(fields, tshark_row(path, frame, fields)):
            if v and not skipped(name, f):
                rows.append("\t{%s, %s, %s}," % (c_string(name), c_string(f), c_string(v)))
    lines += ["", "static const vector vectors[] = {"] + vecs + ["};", "", "static const expect_row expected[] = {"]
    lines += rows + ["};", "", "/* Fields tshark knows: absent from expected[] means tshark prints nothing. */",
                     "static const char *const compared[] = {"]
    lines += ["\t%s," % c_string(f) for f in fields if not f.startswith("_ws")] + ["};", "",
                                                                                "/* Pairs left out (see SKIP). */",
                                                                                "static const char *const skipped[][2] = {"]
    lines += ["\t{%s, %s}," % (c_string(a), c_string(b)) for a, b in sorted(SKIP)] + ["};", ""]
    open(out, "w").write("\n".join(lines))


if __name__ == "__main__":
    main()
