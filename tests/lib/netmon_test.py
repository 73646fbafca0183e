"""Shared helpers for netmon's integration tests (Python 3 standard library only).

The tests drive the real daemon: import capture files with
`netmond -r FILE --no-http --db DB`, then serve the DB with
`netmond --db DB --listen 127.0.0.1:PORT` and read it back through the
JSON API.  Expected values never come from our own output: frame counts
come from capinfos/libpcap, field values from tshark.

Automake exit codes: 0 pass, 1 fail, 77 skip, 99 hard error.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

SKIP = 77
HARD_ERROR = 99

SANITIZER_RE = re.compile(
    r"(ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer"
    r"|runtime error:|SUMMARY: \w+Sanitizer)"
)


def log(*args):
    print(*args, flush=True)


def skip(why):
    log("SKIP: " + why)
    sys.exit(SKIP)


def hard_error(why):
    log("ERROR: " + why)
    sys.exit(HARD_ERROR)


# ---- locating things ----

def _here():
    return os.path.dirname(os.path.abspath(__file__))


def stats_known(tag):
    """Names listed as "TAG:NAME" in tests/stats-known-differences.txt
    (files whose statistics differ from tshark's for a stated reason)."""
    path = os.path.join(os.path.dirname(_here()), "stats-known-differences.txt")
    names = set()
    try:
        for ln in open(path):
            w = ln.split()
            if w and w[0].startswith(tag + ":"):
                names.add(w[0][len(tag) + 1:])
    except OSError:
        pass
    return names


def corpus_dir():
    """The tcpdump test corpus: $CORPUS, else ../shared beside the source tree.
    Skips the test when neither exists (e.g. under distcheck)."""
    cands = []
    if os.environ.get("CORPUS"):
        cands.append(os.environ["CORPUS"])
    srcroot = os.path.dirname(os.path.dirname(_here()))  # tests/lib -> root
    cands.append(os.path.join(srcroot, "..", "shared", "captures", "tcpdump-tests"))
    for c in cands:
        if os.path.isdir(c) and corpus_files(c):
            return os.path.realpath(c)
    skip("test corpus not found (looked in: %s); set CORPUS=DIR" % ", ".join(cands))


def corpus_files(d):
    try:
        names = os.listdir(d)
    except OSError:
        return []
    return sorted(os.path.join(d, n) for n in names if n.endswith((".pcap", ".pcapng")))


def netmond_path():
    p = os.environ.get("NETMOND", "")
    if not p:
        for c in ("./netmond", os.path.join(os.getcwd(), "netmond")):
            if os.access(c, os.X_OK):
                p = c
                break
    if not p or not os.access(p, os.X_OK):
        hard_error("netmond not found or not executable (NETMOND=%r); build it first" % p)
    return os.path.abspath(p)


def need_tool(*names):
    for n in names:
        if shutil.which(n) is None:
            skip("%s is not installed (tools/setup-deps.sh installs it)" % n)


def workers():
    n = os.environ.get("NETMON_TEST_JOBS")
    if n and n.isdigit() and int(n) > 0:
        return int(n)
    return max(2, min(8, os.cpu_count() or 2))


def tmpdir(tag):
    base = os.environ.get("TMPDIR") or "/tmp"
    return tempfile.mkdtemp(prefix="netmon-%s-" % tag, dir=base)


def sanitizer_env():
    """Sanitizer options for a --enable-sanitizers build (harmless otherwise):
    any report aborts the process, so it shows up as a signal."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:abort_on_error=1")
    return env


# ---- running netmond ----

class RunResult:
    def __init__(self, path, rc, stdout, stderr, secs):
        self.path, self.rc, self.stdout, self.stderr, self.secs = path, rc, stdout, stderr, secs

    @property
    def signaled(self):
        return self.rc < 0

    @property
    def err_lines(self):
        return [ln for ln in self.stderr.splitlines() if ln.strip()]

    def sanitizer_report(self):
        m = SANITIZER_RE.search(self.stderr)
        return m is not None

    def describe(self):
        if self.rc < 0:
            try:
                name = signal.Signals(-self.rc).name
            except ValueError:
                name = str(-self.rc)
            how = "killed by " + name
        else:
            how = "exit %d" % self.rc
        tail = " | ".join(self.err_lines[-6:])
        return "%s: %s%s" % (os.path.basename(self.path), how, (" -- " + tail) if tail else "")


def import_file(netmond, pcap, db, timeout=120, extra=()):
    """Run `netmond -r pcap --no-http --db db`; never raises on failure."""
    cmd = [netmond, "-r", pcap, "--no-http", "--db", db] + list(extra)
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout, env=sanitizer_env())
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = -signal.SIGKILL, e.stdout or b"", (e.stderr or b"") + b"\n[timeout]"
    return RunResult(pcap, rc, out.decode("utf-8", "replace"),
                     err.decode("utf-8", "replace"), time.monotonic() - t0)


def check_exit(r, libpcap_opens):
    """'' when r's exit status is right for this file, else why not: exit 0
    when libpcap opens the file, else exit 1 with exactly one error line;
    never a signal or a sanitizer report."""
    if r.signaled or r.sanitizer_report():
        return r.describe()
    if r.rc == 0 and libpcap_opens:
        return ""
    if r.rc == 1 and not libpcap_opens:
        if len(r.err_lines) != 1:
            return "%s (want exactly one error line, got %d)" % (r.describe(), len(r.err_lines))
        return ""
    return "%s (want exit %s)" % (r.describe(), "0" if libpcap_opens else "1")


def import_corpus(netmond, files, tmp):
    """Import files in parallel workers, each into its own DB (one SQLite
    writer per file).  Returns (groups, dbs, results)."""
    groups = chunks(files, workers())
    dbs = [os.path.join(tmp, "w%d.db" % i) for i in range(len(groups))]

    def run(i):
        return [import_file(netmond, f, dbs[i]) for f in groups[i]]

    with ThreadPoolExecutor(len(groups)) as ex:
        results = [r for rs in ex.map(run, range(len(groups))) for r in rs]
    return groups, dbs, results


def libpcap_opens(files):
    """{path: True if libpcap (tcpdump) can open it}."""
    with ThreadPoolExecutor(workers()) as ex:
        return dict(zip(files, ex.map(lambda f: libpcap_count(f) is not None, files)))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """In the child: get SIGTERM when the test process dies (Linux), so a
    killed or timed-out test leaves no server behind."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Server:
    """`netmond --db DB --listen 127.0.0.1:PORT` serving an existing DB."""

    def __init__(self, netmond, db, extra=()):
        self.port = free_port()
        self.errfile = tempfile.TemporaryFile()
        cmd = [netmond, "--db", db, "--listen", "127.0.0.1:%d" % self.port] + list(extra)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.errfile, env=sanitizer_env(),
                                     preexec_fn=_die_with_parent)
        self._wait_ready()

    def _wait_ready(self, secs=30):
        deadline = time.monotonic() + secs
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("netmond exited (%d) before serving: %s"
                                   % (self.proc.returncode, self.stderr()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("netmond did not listen on port %d within %ds" % (self.port, secs))

    def client(self):
        return Api("127.0.0.1", self.port)

    def stderr(self):
        self.errfile.seek(0)
        return self.errfile.read().decode("utf-8", "replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM, then wait; returns the exit status (negative = signal)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class ApiError(Exception):
    def __init__(self, path, status, body):
        super().__init__("GET %s -> HTTP %s: %s" % (path, status, body[:200]))
        self.status = status


class Api:
    """A keep-alive JSON client; one per thread (http.client is not thread-safe)."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = None

    def get(self, path, **query):
        q = {k: v for k, v in query.items() if v is not None}
        if q:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(q)
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
            except (http.client.HTTPException, OSError):
                # the server may close an idle keep-alive connection: retry once
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            if r.status != 200:
                raise ApiError(path, r.status, body.decode("utf-8", "replace"))
            return json.loads(body)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ---- reading API answers tolerantly ----

def items(obj, *keys):
    """The list inside an answer: the answer itself, or obj[key] for the first
    key present (APIs wrap lists as {"captures": [...]} or {"items": [...]})."""
    if isinstance(obj, list):
        return obj
    for k in keys + ("items", "data", "results"):
        if isinstance(obj, dict) and isinstance(obj.get(k), list):
            return obj[k]
    raise ValueError("no list under %s in %s" % (keys, str(obj)[:200]))


def captures(api):
    return items(api.get("/api/v1/captures"), "captures")


def capture_frames_count(cap):
    for k in ("frames", "frame_count", "frames_stored", "count"):
        if isinstance(cap.get(k), int):
            return cap[k]
    raise ValueError("capture has no frame count: %s" % str(cap)[:200])


def iter_frames(api, capture_id, page=1000):
    """Every frame row of a capture, following the API's cursor."""
    cursor = None
    while True:
        ans = api.get("/api/v1/frames", capture=capture_id, limit=page, cursor=cursor)
        rows = items(ans, "frames")
        for r in rows:
            yield r
        cursor = ans.get("next_cursor", ans.get("cursor")) if isinstance(ans, dict) else None
        if not rows or not cursor:
            return


# ---- oracles ----

def capinfos_counts(files, chunk=200):
    """{path: frame count} from `capinfos -T -c -M -r` (wiretap's count);
    files capinfos cannot read are missing from the answer."""
    out = {}
    for i in range(0, len(files), chunk):
        part = files[i:i + chunk]
        p = subprocess.run(["capinfos", "-T", "-c", "-M", "-r"] + part,
                           capture_output=True, text=True, errors="replace")
        byname = {f: f for f in part}
        byname.update((os.path.basename(f), f) for f in part)
        for ln in p.stdout.splitlines():
            cols = ln.split("\t")
            if len(cols) >= 2 and cols[0] in byname and cols[1].strip().isdigit():
                out[byname[cols[0]]] = int(cols[1])
    return out


def libpcap_count(path):
    """Frame count as libpcap sees it (`tcpdump --count`), or None."""
    p = subprocess.run(["tcpdump", "--count", "-n", "-r", path],
                       capture_output=True, text=True, errors="replace")
    m = re.search(r"^(\d+) packets?", p.stderr + p.stdout, re.M)
    return int(m.group(1)) if m else None


def chunks(seq, n):
    """Split seq into n interleaved parts of similar size."""
    n = max(1, min(n, len(seq)))
    return [seq[i::n] for i in range(n)]


def table(rows, headers):
    """A plain text table: first and last columns left-aligned, others right."""
    rows = [[str(c) for c in r] for r in rows]
    w = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    fmt = lambda r: "  ".join(c.ljust(w[i]) if i in (0, len(w) - 1) else c.rjust(w[i]) for i, c in enumerate(r))
    lines = [fmt(headers), "  ".join("-" * x for x in w)]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)
