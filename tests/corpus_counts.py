#!/usr/bin/env python3
"""Import every corpus file and check, through the API, that each capture
holds exactly the frames capinfos counts in that file (libpcap's count via
`tcpdump --count` for the few link types wiretap does not know).

Also: a file libpcap cannot open must give exit 1 and one error line; any
other file exit 0; a signal (crash, sanitizer abort) always fails.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import netmon_test as nt  # noqa: E402


def expected_counts(files):
    exp = nt.capinfos_counts(files)
    nt.log("capinfos counts %d of %d files; libpcap (tcpdump --count) the rest" % (len(exp), len(files)))
    for f in files:
        if f not in exp:
            n = nt.libpcap_count(f)
            if n is not None:
                exp[f] = n
    return exp


def bad_inputs(tmp, sample):
    """Files libpcap cannot open, made here: garbage, empty, cut header, missing."""
    paths = {}
    paths["garbage.pcap"] = b"this is not a capture file\n" * 4
    paths["empty-0-bytes.pcap"] = b""
    with open(sample, "rb") as fh:
        paths["cut-header.pcap"] = fh.read(10)
    out = []
    for name, data in paths.items():
        p = os.path.join(tmp, name)
        with open(p, "wb") as fh:
            fh.write(data)
        out.append(p)
    out.append(os.path.join(tmp, "does-not-exist.pcap"))
    return out


def check_db(netmond, db, group, exp):
    """Serve db; compare each capture's frame count with the oracle."""
    problems, checked = [], 0
    with nt.Server(netmond, db) as srv:
        api = srv.client()
        bysrc = {}
        for c in nt.captures(api):
            bysrc.setdefault(os.path.realpath(str(c.get("source", ""))), []).append(c)
        for f in group:
            if f not in exp:
                continue
            caps = bysrc.get(os.path.realpath(f), [])
            if len(caps) != 1:
                problems.append("%s: %d captures in the API (want 1)" % (os.path.basename(f), len(caps)))
                continue
            cap = caps[0]
            got = nt.capture_frames_count(cap)
            rows = [r.get("number") for r in nt.iter_frames(api, cap["id"])]
            checked += 1
            if got != exp[f] or len(rows) != exp[f]:
                problems.append("%s: capinfos %d, capture.frames %s, /frames rows %d"
                                % (os.path.basename(f), exp[f], got, len(rows)))
            elif rows != list(range(1, len(rows) + 1)):
                problems.append("%s: frame numbers are not 1..%d" % (os.path.basename(f), len(rows)))
        api.close()
        rc = srv.stop()
        if rc not in (0, -15) or nt.SANITIZER_RE.search(srv.stderr()):
            problems.append("server on %s: exit %s: %s" % (db, rc, srv.stderr()[-600:]))
    return checked, problems


def main():
    corpus = nt.corpus_dir()
    nt.need_tool("capinfos", "tcpdump")
    netmond = nt.netmond_path()
    files = nt.corpus_files(corpus)
    tmp = nt.tmpdir("counts")
    exp = expected_counts(files)
    opens = nt.libpcap_opens(files)
    nt.log("corpus: %d files in %s; oracle counts for %d" % (len(files), corpus, len(exp)))

    groups, dbs, results = nt.import_corpus(netmond, files, tmp)

    failures = []
    for r in results:
        why = nt.check_exit(r, opens[r.path])
        if why:
            failures.append("import " + why)
    slow = sorted(results, key=lambda r: -r.secs)[:3]
    nt.log("imported %d files; exit 0: %d, exit 1: %d; slowest: %s" % (
        len(results), sum(r.rc == 0 for r in results), sum(r.rc == 1 for r in results),
        ", ".join("%s %.2fs" % (os.path.basename(r.path), r.secs) for r in slow)))

    baddb = os.path.join(tmp, "bad.db")
    for p in bad_inputs(tmp, files[0]):
        why = nt.check_exit(nt.import_file(netmond, p, baddb), False)
        if why:
            failures.append("bad input " + why)

    checked = 0
    for db, group in zip(dbs, groups):
        try:
            n, probs = check_db(netmond, db, group, exp)
        except Exception as e:  # a server that dies is a failure, not a crash here
            n, probs = 0, ["%s: %s" % (db, e)]
        checked += n
        failures += probs

    nt.log("frame counts checked through the API: %d captures" % checked)
    for f in failures:
        nt.log("FAIL " + f)
    nt.log("%d checks failed" % len(failures))
    if not failures and not os.environ.get("NETMON_KEEP_TMP"):
        nt.shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
