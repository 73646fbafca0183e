#!/usr/bin/env python3
"""appb_samples.py DIR: write small Ethernet/IPv4 captures of the batch-B
application protocols (FTP, SMTP, POP, IMAP, HTTP, SIP, Modbus/TCP, MQTT,
TLS, NBSS/SMB/SMB2, QUIC, SSH, RTP) into DIR.

The tcpdump corpus has few or no frames of these protocols, so these
hand-built frames (well-formed ones plus cut and malformed ones) are what
tests/appb_vectors.py runs through tshark to get expected values for
tests/check_appb.c.  TCP sequence numbers follow each direction's bytes so
tshark does not treat segments as retransmissions.
"""
import os
import struct
import sys


def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ip4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20+len(payload), 1, 0x4000, 64, proto, 0,
                    bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload

def tcp(sp, dp, payload, seq=1000, ack=2000, flags=0x18):
    return struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload

def udp(sp, dp, payload):
    return struct.pack("!HHHH", sp, dp, 8+len(payload), 0) + payload

def eth(p):
    return b"\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00" + p

def write(name, frames):
    with open(name, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)))
            f.write(fr)

C, S = "10.0.0.1", "10.0.0.2"
def tcpf(port, payloads, cport=40000):
    out = []
    cs, ss = 1000, 5000
    for d, pl in payloads:
        if d == "c":
            out.append(eth(ip4(C, S, 6, tcp(cport, port, pl, cs, ss)))); cs += len(pl)
        else:
            out.append(eth(ip4(S, C, 6, tcp(port, cport, pl, ss, cs)))); ss += len(pl)
    return out
def udpf(port, payloads, cport=40000):
    out = []
    for d, pl in payloads:
        if d == "c": out.append(eth(ip4(C, S, 17, udp(cport, port, pl))))
        else: out.append(eth(ip4(S, C, 17, udp(port, cport, pl))))
    return out


def b(s): return s.encode("latin-1")

def ftp():
    return [("s", b"220 ProFTPD 1.3.5 Server (Debian) [10.0.0.2]\r\n"), ("c", b"USER anonymous\r\n"),
            ("s", b"331 Anonymous login ok, send your complete email address as your password\r\n"),
            ("c", b"PASS guest@\r\n"), ("s", b"230-Welcome\r\n230-Line two\r\n230 Anonymous access granted\r\n"),
            ("c", b"SYST\r\n"), ("s", b"215 UNIX Type: L8\r\n"), ("c", b"PASV\r\n"),
            ("s", b"227 Entering Passive Mode (10,0,0,2,195,80).\r\n"), ("c", b"RETR file\twith tab.txt\r\n"),
            ("c", b"QUIT"), ("s", b"2"), ("c", b"\x01\x02binary\xff\r\n"), ("s", b"421 Timeout.\r\nextra\r\n"),
            ("c", b"CWD C:\\dir\\x\r\n"), ("c", b"PORT 10,0,0,1,4,1\r\n"), ("s", b"550 /x: No such file\r\n")]

def smtp():
    return [("s", b"220 mail.example.com ESMTP Postfix\r\n"), ("c", b"EHLO client.example.com\r\n"),
            ("s", b"250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n"),
            ("c", b"MAIL FROM:<alice@example.com>\r\n"), ("s", b"250 2.1.0 Ok\r\n"),
            ("c", b"RCPT TO:<bob@example.com>\r\n"), ("s", b"250 2.1.5 Ok\r\n"), ("c", b"DATA\r\n"),
            ("s", b"354 End data with <CR><LF>.<CR><LF>\r\n"), ("c", b"QUIT\r\n"), ("s", b"221 2.0.0 Bye\r\n"),
            ("c", b"HELO x\r\nNOOP\r\n"), ("c", b"RSET"), ("s", b"25")]

def pop():
    return [("s", b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"), ("c", b"USER mrose\r\n"),
            ("s", b"+OK\r\n"), ("c", b"PASS secret\r\n"), ("s", b"+OK mrose's maildrop has 2 messages (320 octets)\r\n"),
            ("c", b"STAT\r\n"), ("s", b"+OK 2 320\r\n"), ("c", b"LIST\r\n"), ("s", b"+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n"),
            ("c", b"RETR 1\r\n"), ("s", b"-ERR no such message\r\n"), ("c", b"QUIT\r\n"), ("c", b"CAPA")]

def imap():
    return [("s", b"* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE STARTTLS AUTH=PLAIN] Dovecot ready.\r\n"),
            ("c", b"a001 LOGIN alice secret\r\n"), ("s", b"a001 OK [CAPABILITY IMAP4rev1] Logged in\r\n"),
            ("c", b"a002 SELECT INBOX\r\n"), ("s", b"* FLAGS (\\Answered \\Flagged)\r\n* 3 EXISTS\r\na002 OK [READ-WRITE] Select completed.\r\n"),
            ("c", b"a003 UID FETCH 1:* (FLAGS)\r\n"), ("c", b"a004 LOGOUT\r\n"), ("s", b"* BYE Logging out\r\na004 OK Logout completed.\r\n"),
            ("c", b"a005 NOOP"), ("c", b"a006\r\n")]

def http():
    return [("c", b"GET /index.html?a=1&b=2 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n"),
            ("s", b"HTTP/1.1 200 OK\r\nDate: Mon, 27 Nov 2023 10:00:00 GMT\r\nServer: Apache\r\nContent-Length: 12\r\nContent-Type: text/html\r\n\r\nHello world\n"),
            ("c", b"POST /api HTTP/1.0\r\nHost: example.com:8080\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\nCookie: a=b; c=d\r\nX-Custom: yes\r\n\r\n{\"a\":1}"),
            ("s", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
            ("c", b"GET /partial HTTP/1.1\r\nHost: cut.example\r\nUser-Ag"),
            ("s", b"some body continuation bytes\r\n"),
            ("c", b"HEAD / HTTP/1.1\r\nHost: h\r\nReferer: http://x/\r\nAccept-Encoding: gzip\r\nAccept-Language: en\r\nAuthorization: Basic YTpi\r\nCache-Control: no-cache\r\nX-Forwarded-For: 1.2.3.4\r\nTransfer-Encoding: chunked\r\n\r\n"),
            ("s", b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://x/\r\nContent-Length: abc\r\n\r\n"),
            ("s", b"HTTP/1.1 999\r\n\r\n"),
            ("c", b"OPTIONS * HTTP/1.1\r\n\r\n")]

def sip():
    inv = (b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
           b"Max-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
           b"Call-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContact: <sip:alice@pc33.atlanta.example.com>\r\n"
           b"Content-Type: application/sdp\r\nContent-Length: 0\r\n\r\n")
    ok = (b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
          b"To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
          b"Call-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n")
    reg = (b"REGISTER sip:registrar.biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7\r\n"
           b"To: Bob <sip:bob@biloxi.com>\r\nFrom: Bob <sip:bob@biloxi.com>;tag=456248\r\nCall-ID: 843817637684230@998sdasdh09\r\n"
           b"CSeq: 1826 REGISTER\r\nContact: <sip:bob@192.0.2.4>\r\nExpires: 7200\r\nContent-Length: 0\r\n\r\n")
    tr = b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP x\r\nFrom: <sip:a@b>\r\nTo: sip:c@d\r\nCSeq: 1 INV"
    return [("c", inv), ("s", ok), ("c", reg), ("s", tr), ("s", b"SIP/2.0 486 Busy Here\r\nCSeq: 2 BYE\r\n\r\n")]

def modbus():
    return [("c", struct.pack("!HHHBBHH", 1, 0, 6, 1, 3, 0, 10)),
            ("s", struct.pack("!HHHBBB", 1, 0, 7, 1, 3, 4) + b"\x00\x01\x00\x02"),
            ("c", struct.pack("!HHHBBHH", 2, 0, 6, 255, 6, 1, 0x1234)),
            ("s", struct.pack("!HHHBBB", 2, 0, 3, 255, 0x86, 2)),
            ("c", struct.pack("!HHHBBHH", 3, 0, 6, 1, 1, 16, 8) + struct.pack("!HHHBBHH", 4, 0, 6, 1, 2, 0, 8)),
            ("c", struct.pack("!HHHB", 5, 0, 6, 1)), ("c", struct.pack("!HHHBBHH", 6, 0, 1, 1, 4, 0, 2))]

def mstr(s):
    return struct.pack("!H", len(s)) + s

def mqtt_pkt(t, flags, body):
    n = len(body); enc = b""
    while True:
        d = n % 128; n //= 128
        enc += bytes([d | (0x80 if n else 0)])
        if not n: break
    return bytes([t << 4 | flags]) + enc + body

def mqtt():
    conn = mqtt_pkt(1, 0, mstr(b"MQTT") + b"\x04\xc2\x00\x3c" + mstr(b"client-42") + mstr(b"user") + mstr(b"pw"))
    conn3 = mqtt_pkt(1, 0, mstr(b"MQIsdp") + b"\x03\x02\x00\x3c" + mstr(b"old"))
    return [("c", conn), ("s", mqtt_pkt(2, 0, b"\x00\x00")),
            ("c", mqtt_pkt(8, 2, b"\x00\x01" + mstr(b"sensors/#") + b"\x01")),
            ("s", mqtt_pkt(9, 0, b"\x00\x01\x01")),
            ("c", mqtt_pkt(3, 0, mstr(b"sensors/temp") + b"21.5")),
            ("c", mqtt_pkt(3, 3, mstr(b"a/b") + b"\x00\x07" + b"x" * 200)),
            ("s", mqtt_pkt(4, 0, b"\x00\x07")),
            ("c", mqtt_pkt(12, 0, b"") + mqtt_pkt(13, 0, b"")), ("c", mqtt_pkt(14, 0, b"")),
            ("c", conn3), ("c", b"\x30\xff\xff\xff\xff\x01"), ("c", mqtt_pkt(3, 0, b"\x00\x20ab"))]

def rtp():
    out = []
    for i in range(3):
        out.append(("c", struct.pack("!BBHII", 0x80, 0 if i else 0x80, 1000 + i, 160 * i, 0xdeadbeef) + b"\xd5" * 160))
    out.append(("c", struct.pack("!BBHII", 0x92, 0x60 | 0x80, 7, 99, 0x12345678) + struct.pack("!II", 1, 2) + b"\x00" * 10))
    out.append(("c", struct.pack("!BBHII", 0x90, 8, 8, 100, 0x1) + struct.pack("!HH", 0xbede, 1) + b"\x10\xaa\x00\x00" + b"payload"))
    out.append(("c", struct.pack("!BBHII", 0xa0, 8, 9, 100, 0x1) + b"pay\x00\x00\x03"))
    return out

def tls_ext(t, body):
    return struct.pack("!HH", t, len(body)) + body

def tls_hs(t, body):
    return bytes([t]) + struct.pack("!I", len(body))[1:] + body

def tls_rec(ct, ver, body):
    return struct.pack("!BHH", ct, ver, len(body)) + body

def tls():
    sni = tls_ext(0, struct.pack("!HBH", 14, 0, 11) + b"example.com")
    alpn = tls_ext(16, struct.pack("!H", 12) + b"\x02h2\x08http/1.1")
    sv = tls_ext(43, b"\x04\x03\x04\x03\x03")
    groups = tls_ext(10, struct.pack("!HHH", 4, 0x1d, 0x17))
    exts = sni + groups + alpn + sv + tls_ext(13, b"\x00\x04\x04\x03\x08\x04")
    ch = struct.pack("!H", 0x0303) + bytes(range(32)) + b"\x20" + bytes(range(32, 64)) + struct.pack("!HHHH", 6, 0x1301, 0xc02f, 0x00ff) + b"\x01\x00" + struct.pack("!H", len(exts)) + exts
    sh_exts = tls_ext(43, b"\x03\x04") + tls_ext(51, struct.pack("!HH", 0x1d, 4) + b"abcd")
    sh = struct.pack("!H", 0x0303) + bytes(32) + b"\x00" + struct.pack("!H", 0x1301) + b"\x00" + struct.pack("!H", len(sh_exts)) + sh_exts
    ch12 = struct.pack("!H", 0x0303) + bytes(32) + b"\x00" + struct.pack("!HH", 2, 0xc02f) + b"\x01\x00"
    sh12 = struct.pack("!H", 0x0303) + bytes(32) + b"\x00" + struct.pack("!H", 0xc02f) + b"\x00"
    return [("c", tls_rec(22, 0x0301, tls_hs(1, ch))),
            ("s", tls_rec(22, 0x0303, tls_hs(2, sh)) + tls_rec(20, 0x0303, b"\x01") + tls_rec(23, 0x0303, b"\xaa" * 40)),
            ("c", tls_rec(23, 0x0303, b"\x17" * 30)),
            ("c", tls_rec(21, 0x0303, b"\x02\x28")),
            ("c", tls_rec(22, 0x0303, tls_hs(1, ch12))),
            ("s", tls_rec(22, 0x0303, tls_hs(2, sh12) + tls_hs(14, b""))),
            ("c", tls_rec(22, 0x0301, tls_hs(1, ch))[:60]),
            ("c", tls_rec(23, 0x0303, b"\x01" * 100)[:50]),
            ("s", tls_rec(22, 0x0303, tls_hs(2, sh12 + b"\x00\x05\xff\x01\x00\x01\x00")))]

def nb(t, body):
    return struct.pack("!BBH", t, 0, len(body)) + body

def smb1(cmd, status=0, flags=0x18, flags2=0xc807):
    return b"\xffSMB" + struct.pack("<BIBH", cmd, status, flags, flags2) + bytes(12) + struct.pack("<HHHH", 0, 0x1234, 100, 1) + b"\x00\x00\x00"

def smb2(cmd, status=0, flags=0, msgid=1, sesid=0x1122334455667788, tree=5, body=b"\x09\x00\x00\x00\x00\x00\x00\x00\x00"):
    return b"\xfeSMB" + struct.pack("<HHIHHII", 64, 1, status, cmd, 1, flags, 0) + struct.pack("<QIIQ", msgid, 0xfeff, tree, sesid) + bytes(16) + body

def smb():
    return [("c", nb(0, smb1(0x72))), ("s", nb(0, smb1(0x73, 0xc000006d, 0x98))),
            ("c", nb(0, smb2(13, body=b"\x04\x00\x00\x00"))), ("s", nb(0, smb2(1, 0xc0000016, 1))),
            ("c", nb(0, smb2(13, msgid=7, body=b"\x04\x00\x00\x00") + smb2(13, msgid=8, body=b"\x04\x00\x00\x00"))), ("s", nb(0, smb2(13, 0, 1, 9, body=b"\x04\x00\x00\x00"))),
            ("s", nb(0, smb2(5, 0xc0000034, 1, 10))),
            ("c", nb(0x85, b"")), ("c", nb(0, b"\xfeSMB\x40\x00")),
            ("c", nb(0, smb2(3) + b"x" * 200)[:90])]

def nbss139():
    req = b"\x20" + b"CKFDENECFDEFFCFGEFFCCACACACACACA" + b"\x00" + b"\x20" + b"EOGFHEECEFCACACACACACACACACACAAA" + b"\x00"
    return [("c", nb(0x81, req)), ("s", nb(0x82, b"")), ("s", nb(0x83, b"\x80")),
            ("c", nb(0, smb1(0x72))), ("s", nb(0, smb2(0))), ("c", nb(0x85, b""))]

def quic():
    def lh(t, ver, dcid, scid, rest):
        return bytes([0xc0 | t << 4 | 0x01]) + struct.pack("!I", ver) + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + rest
    init = lh(0, 1, bytes(range(8)), b"", b"\x00" + b"\x44\xd0" + b"\x00\x01" + b"\x11" * (0x4d0 - 2))
    hs = lh(2, 1, b"", bytes(range(8, 16)), b"\x40\x20" + b"\x22" * 0x20)
    vn = bytes([0x80]) + struct.pack("!I", 0) + b"\x00" + b"\x08" + bytes(range(8)) + struct.pack("!II", 1, 0x6b3343cf)
    coalesced = lh(0, 1, bytes(range(8)), b"\x01\x02", b"\x00\x40\x10" + b"\x33" * 16) + lh(2, 1, bytes(range(8)), b"\x01\x02", b"\x40\x10" + b"\x44" * 16)
    short = b"\x41" + bytes(range(8)) + b"\x55" * 30
    return [("c", init), ("s", hs), ("s", vn), ("c", coalesced), ("c", short), ("c", init[:30]),
            ("c", lh(1, 1, b"\x01", b"\x02", b"\x40\x05abcde")), ("c", lh(0, 1, b"\x01" * 30, b"", b"\x00\x01"))]

def ssh():
    def pkt(payload, pad=4):
        plen = 1 + len(payload) + pad
        return struct.pack("!IB", plen, pad) + payload + b"\x00" * pad
    def nl(s): return struct.pack("!I", len(s)) + s
    kex = b"\x14" + bytes(16) + nl(b"curve25519-sha256,diffie-hellman-group14-sha256") + nl(b"ssh-ed25519,rsa-sha2-512") + nl(b"aes128-ctr") + nl(b"aes256-ctr") + nl(b"hmac-sha2-256") + nl(b"hmac-sha2-512") + nl(b"none") + nl(b"none,zlib") + nl(b"") + nl(b"") + b"\x00" + bytes(4)
    return [("s", b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), ("c", b"SSH-2.0-OpenSSH_9.2\r\n"),
            ("c", pkt(kex, 6)), ("s", pkt(kex, 6)), ("c", pkt(b"\x15", 10)), ("c", b"\x8a\x12\x55\x01" + b"\x99" * 40),
            ("c", pkt(kex, 6)[:100]), ("c", b"SSH-1.99-Cisco\r\n")]

def build(tcpf, udpf):
    return [("appb-ftp.pcap", tcpf(21, ftp())), ("appb-smtp.pcap", tcpf(25, smtp())),
            ("appb-pop.pcap", tcpf(110, pop())), ("appb-imap.pcap", tcpf(143, imap())),
            ("appb-http.pcap", tcpf(80, http())), ("appb-sip.pcap", udpf(5060, sip()) + tcpf(5060, sip())),
            ("appb-modbus.pcap", tcpf(502, modbus())), ("appb-mqtt.pcap", tcpf(1883, mqtt())),
            ("appb-tls.pcap", tcpf(443, tls())), ("appb-smb.pcap", tcpf(445, smb()) + tcpf(139, nbss139())),
            ("appb-quic.pcap", udpf(443, quic())), ("appb-ssh.pcap", tcpf(22, ssh())),
            ("appb-rtp.pcap", udpf(5004, rtp(), cport=5006))]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    for name, frames in build(tcpf, udpf):
        write(os.path.join(out, name), frames)


if __name__ == "__main__":
    main()
