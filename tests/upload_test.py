#!/usr/bin/env python3
"""Capture files in over HTTP and captures out of the database:
POST /api/v1/captures/upload and DELETE /api/v1/captures/{id}.
capinfos is the oracle for how many frames an uploaded file holds."""

import http.client
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

failures = []


def check(ok, what):
    nt.log(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def request(port, method, path, body=None, chunked=False):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    if chunked:
        c.putrequest(method, path)
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        for i in range(0, len(body), 1000):
            part = body[i:i + 1000]
            c.send(b"%x\r\n%s\r\n" % (len(part), part))
        c.send(b"0\r\n\r\n")
    else:
        c.request(method, path, body=body, headers={"Content-Type": "application/octet-stream"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data.decode("utf-8", "replace")


def wait_done(api, cid):
    for _ in range(600):
        cap = api.get("/api/v1/captures/%d" % cid)
        if cap.get("state") in ("done", "failed", "stopped"):
            return cap
        time.sleep(0.05)
    return cap


def frames_of(api, cid):
    return sum(1 for _ in nt.iter_frames(api, cid))


def test_upload(port, api, files, counts):
    ids = []
    for i, f in enumerate(files):
        body = open(f, "rb").read()
        st, text = request(port, "POST", "/api/v1/captures/upload?name=" + os.path.basename(f),
                           body, chunked=(i == 1))
        check(st == 201, "upload %s%s -> 201 (%d %s)" % (os.path.basename(f), " chunked" if i == 1 else "",
                                                         st, text[:120]))
        if st != 201:
            continue
        cid = __import__("json").loads(text)["id"]
        cap = wait_done(api, cid)
        n = frames_of(api, cid)
        check(n == counts[f] and os.path.basename(f) in cap.get("source", ""),
              "capture %d (%s): %d frames via the API == capinfos %d" % (cid, cap.get("source"), n, counts[f]))
        ids.append(cid)
    return ids


def test_bad_uploads(port, db):
    st, text = request(port, "POST", "/api/v1/captures/upload?name=x.txt", b"this is not a capture file")
    check(st == 400 and "not a pcap or pcapng" in text, "garbage upload -> 400 naming why (%d %s)" % (st, text))
    st, text = request(port, "POST", "/api/v1/captures/upload", b"")
    check(st == 400, "empty upload -> 400 (%d)" % st)
    st, text = request(port, "POST", "/api/v1/captures/upload", b"\xd4\xc3\xb2\xa1" + b"\0" * 5000)
    check(st == 413, "upload over upload_max (4K) -> 413 (%d %s)" % (st, text[:100]))
    st, text = request(port, "POST", "/api/v1/captures/upload", b"\xd4\xc3\xb2\xa1" + b"\0" * 5000, chunked=True)
    check(st == 413, "chunked upload over upload_max -> 413 (%d %s)" % (st, text[:100]))
    spool = db + "-uploads"
    time.sleep(0.2)
    left = [d for d in os.listdir(spool)] if os.path.isdir(spool) else []
    check(not left, "no spool files left behind (%s)" % left)


def test_delete(port, api, ids, counts, files):
    st, _ = request(port, "DELETE", "/api/v1/captures/%d" % ids[0])
    check(st == 204, "DELETE capture %d -> 204 (%d)" % (ids[0], st))
    st, _ = request(port, "GET", "/api/v1/captures/%d" % ids[0])
    check(st == 404, "deleted capture -> 404 on GET (%d)" % st)
    st, _ = request(port, "DELETE", "/api/v1/captures/%d" % ids[0])
    check(st == 404, "DELETE it again -> 404 (%d)" % st)
    st, _ = request(port, "DELETE", "/api/v1/captures/xyz")
    check(st == 400, "DELETE a bad id -> 400 (%d)" % st)
    st, _ = request(port, "GET", "/api/v1/frames?capture=%d" % ids[0])
    check(st == 404, "frames of the deleted capture -> 404 (%d)" % st)
    total = api.get("/api/v1/frames/count")["count"]
    check(total == counts[files[1]], "frames/count over all captures is the other capture's %d (%d)"
          % (counts[files[1]], total))
    n = frames_of(api, ids[1])
    check(n == counts[files[1]], "the other capture keeps its %d frames (capinfos %d)" % (n, counts[files[1]]))


def test_delete_running(port, api):
    if os.geteuid() != 0:
        nt.log("skip DELETE of a running capture: needs root to capture on lo")
        return
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/api/v1/captures", body='{"interface": "lo", "filter": "udp port 9"}')
    r = c.getresponse()
    cap = __import__("json").loads(r.read())
    check(r.status == 201, "start a live capture on lo (%d)" % r.status)
    st, text = request(port, "DELETE", "/api/v1/captures/%d" % cap["id"])
    check(st == 409 and "stop it" in text, "DELETE a running capture -> 409 (%d %s)" % (st, text))
    c.request("POST", "/api/v1/captures/%d/stop" % cap["id"])
    c.getresponse().read()
    st, _ = request(port, "DELETE", "/api/v1/captures/%d" % cap["id"])
    check(st == 204, "DELETE it once stopped -> 204 (%d)" % st)


def main():
    netmond = nt.netmond_path()
    nt.need_tool("capinfos")
    corpus = nt.corpus_dir()
    files = [os.path.join(corpus, f) for f in ("dns-badcookie.pcap", "isakmp-delete-segfault.pcap")]
    files = [f for f in files if os.path.exists(f)]
    if len(files) < 2:
        nt.skip("the corpus lacks the two files this test uploads")
    counts = nt.capinfos_counts(files)
    tmp = nt.tmpdir("upload")
    conf = os.path.join(tmp, "netmond.conf")
    with open(conf, "w") as f:
        f.write("[server]\nupload_max = 4K\n")
    db = os.path.join(tmp, "up.db")
    with nt.Server(netmond, db, extra=["-c", conf]) as s:
        test_bad_uploads(s.port, db)
    with nt.Server(netmond, db) as s:
        api = s.client()
        ids = test_upload(s.port, api, files, counts)
        if len(ids) == 2:
            test_delete(s.port, api, ids, counts, files)
        test_delete_running(s.port, api)
        check(s.alive(), "netmond still running")
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
