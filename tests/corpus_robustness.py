#!/usr/bin/env python3
"""Robustness over the whole corpus (most files are crash reproducers).

1. Import every file: the exit status must be 0, or 1 with one error line
   for a file libpcap cannot open; never a signal, never a sanitizer report.
2. Serve the imported DBs and fetch every frame's detail view (the tree
   path of every parser) plus each capture's stats: every answer must be
   HTTP 200 with JSON, the server must survive and stop cleanly, and its
   stderr must hold no sanitizer report.

Under a --enable-sanitizers build, run with
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 and
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 (the defaults set here).
ROBUSTNESS_MAX_FRAMES caps detail fetches per capture (default 500).
"""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402

_local = threading.local()


def fetch_capture(port, cap, maxframes, problems):
    if getattr(_local, "port", None) != port:
        _local.api, _local.port = nt.Api("127.0.0.1", port), port
    api = _local.api
    name = os.path.basename(str(cap.get("source")))
    n = min(nt.capture_frames_count(cap), maxframes)
    paths = ["/api/v1/stats?capture=%d" % cap["id"], "/api/v1/captures/%d" % cap["id"]]
    paths += ["/api/v1/frames/%d?capture=%d" % (i, cap["id"]) for i in range(1, n + 1)]
    for p in paths:
        try:
            ans = api.get(p)
            if p.startswith("/api/v1/frames/") and not isinstance(ans.get("tree"), list):
                problems.append("%s: %s has no tree" % (name, p))
        except Exception as e:
            problems.append("%s: %s: %s" % (name, p, e))
            return len(paths)
    return len(paths)


def probe_db(netmond, db, maxframes):
    problems = []
    with nt.Server(netmond, db) as srv:
        api = srv.client()
        caps = nt.captures(api)
        api.close()
        with ThreadPoolExecutor(nt.workers()) as ex:
            requests = sum(ex.map(lambda c: fetch_capture(srv.port, c, maxframes, problems), caps))
        if not srv.alive():
            problems.append("server died: %s" % srv.stderr()[-800:])
        rc = srv.stop()
        if rc not in (0, -15):
            problems.append("server exit %s: %s" % (rc, srv.stderr()[-800:]))
        if nt.SANITIZER_RE.search(srv.stderr()):
            problems.append("sanitizer report from the server:\n" + srv.stderr()[-3000:])
    return requests, problems


def main():
    corpus = nt.corpus_dir()
    nt.need_tool("tcpdump")
    netmond = nt.netmond_path()
    maxframes = int(os.environ.get("ROBUSTNESS_MAX_FRAMES", "500"))
    files = nt.corpus_files(corpus)
    tmp = nt.tmpdir("robust")
    opens = nt.libpcap_opens(files)
    groups, dbs, results = nt.import_corpus(netmond, files, tmp)

    failures = []
    for r in results:
        why = nt.check_exit(r, opens[r.path])
        if why:
            failures.append("import " + why)
            if r.sanitizer_report():
                failures.append(r.stderr[-3000:])
    nt.log("imported %d files: exit 0: %d, exit 1: %d, other/signal: %d" % (
        len(results), sum(r.rc == 0 for r in results), sum(r.rc == 1 for r in results),
        sum(r.rc not in (0, 1) for r in results)))

    total = 0
    for db in dbs:
        try:
            n, probs = probe_db(netmond, db, maxframes)
        except Exception as e:
            n, probs = 0, ["%s: %s" % (db, e)]
        total += n
        failures += probs
    nt.log("API requests over the imported captures: %d" % total)
    for f in failures[:50]:
        nt.log("FAIL " + f)
    nt.log("%d failures" % len(failures))
    if not failures:
        nt.shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
