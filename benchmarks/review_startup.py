"""The review commands at book scale, as a user runs them (``review_bench.py --startup``).

Witnesses as in review_bench.py (an edition-like base and two seeded transcription-like
copies), written to files with a manifest in a temporary folder. The collation is made in
this process (or read from ``--collation``, a pickle of the same texts an earlier run saved
with ``--save``) and stored in the manifest's collation cache under the key the commands
compute from the files, so the commands below find a warm cache. Then, per store (an SQLite
file; with ``--pg`` also PostgreSQL):

- a bulk accept of up to 5,000 items (``bulk.apply_batch``: one transaction);
- 40,000 events on one item (inserted in one transaction, no manual ANALYZE), then the queue
  page, a filtered queue page and that item's page through Flask's test client (median of 5);
- ``proofbench review`` from its start to the URL on standard output (median of 3 runs);
- 8 clients deciding against that server over HTTP (login, item page, accept), for 20 s;
- ``proofbench apply -o FILE`` (one run).
"""

from __future__ import annotations

import email.message
import http.client
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from align_bench import base_words
from review_bench import collation, timed
from witness_model import TRANSCRIPTION, generate

import proofbench
from proofbench.cache import cache_path, inputs_key, store_cached
from proofbench.review import Desk, Filters, Store
from proofbench.review.app import create_app
from proofbench.review.bulk import Batch, apply_batch, select
from proofbench.review.outline import outline_of
from proofbench.review.schema import events
from proofbench.review.store import note_row

PROOFBENCH = str(Path(sys.executable).with_name("proofbench"))
PACKAGE = str(Path(proofbench.__file__).parent)
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_BASED = re.compile(r'name="based_on" value="(\d+)"')
PASSWORD = "bench-secret"


def _manifest(folder: Path) -> Path:
    m = folder / "bench.toml"
    m.write_text(
        '[collation]\ntitle = "bench"\ntarget = "TR"\n\n'
        '[[witness]]\nsiglum = "ED"\nkind = "edition"\nfile = "ED.txt"\n\n'
        '[[witness]]\nsiglum = "T2"\nfile = "T2.txt"\n\n'
        '[[witness]]\nsiglum = "TR"\nfile = "TR.txt"\n',
        encoding="utf-8",
    )
    return m


def _median(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The commands run with their bytecode cached, as an installed package's is."""


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds a running process and its children (the server's other
    processes on PostgreSQL, ``review/workers.py``) have used so far (Linux /proc)."""
    total = 0
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(p.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _queued_of(pid: int) -> float:
    """Seconds a running process has spent runnable but waiting for a CPU (Linux
    /proc/PID/schedstat, second field): what a loaded machine adds to its wall time."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9


def _review_to_url(
    manifest: Path, db: str
) -> tuple[float, float, float, subprocess.Popen[str], str]:
    # The server logs each request on stderr: to a file, since a pipe nobody reads fills
    # up (64 KB) and then blocks every request thread of the server.
    log = manifest.with_name("review-server.log")
    t0 = time.perf_counter()
    with log.open("w") as err:  # the server keeps its own copy of the file
        proc = subprocess.Popen(
            [PROOFBENCH, "review", str(manifest), "--db", db],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=ENV,
        )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    took = time.perf_counter() - t0
    cpu, queued = _cpu_of(proc.pid), _queued_of(proc.pid)
    if not url.startswith("http"):
        proc.kill()
        proc.wait()
        raise SystemExit(f"review did not start: {log.read_text()}")
    return took, cpu, queued, proc, url


class Client:
    """One reviewer's browser: one kept-alive HTTP/1.1 connection (as a browser keeps one to a
    server that allows it), the session cookie, forms posted without redirects followed (the
    item page the clients fetch next is the redirect's target in a browser)."""

    def __init__(self, base: str, name: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = str(parts.hostname), int(parts.port or 80)
        self.conn: http.client.HTTPConnection | None = None
        self.cookie = ""
        html = self.get("/login")
        self.post("/login", {"csrf": _CSRF.findall(html)[0], "name": name, "password": PASSWORD})

    def _send(self, method: str, path: str, body: str | None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):  # a kept connection the server closed meanwhile: once more
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body, headers)
                r = self.conn.getresponse()
                data = r.read().decode(errors="replace")
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            made = r.getheader("Set-Cookie")
            if made:
                self.cookie = made.split(";", 1)[0]
            if r.will_close:
                self.conn.close()
                self.conn = None
            return r.status, data
        raise AssertionError("unreachable")

    def get(self, path: str) -> str:
        status, data = self._send("GET", path, None)
        if status != 200:
            raise urllib.error.HTTPError(path, status, data, email.message.Message(), None)
        return data

    def post(self, path: str, form: dict[str, str]) -> int:
        return self._send("POST", path, urllib.parse.urlencode(form))[0]


def _clients(
    url: str, keys: list[str], seconds: float, pid: int, n: int = 8
) -> tuple[int, int, float, float, float]:
    """``n`` editors accepting the suggestion of distinct items for ``seconds``: (accepted,
    refused or failed, the 95th percentile of an accept's round trip in ms, wall seconds,
    the server's CPU milliseconds per accepted decision, logins left out)."""
    lock = threading.Lock()
    todo = iter(keys)
    done = [0, 0]
    lat: list[float] = []
    clients = [Client(url, f"ed{k}") for k in range(n)]
    stop = time.perf_counter() + seconds

    def work(c: Client) -> None:
        while time.perf_counter() < stop:
            with lock:
                key = next(todo, None)
            if key is None:
                return
            try:
                html = c.get(f"/item/{key}")
            except urllib.error.HTTPError as exc:  # counted, and the first one shown
                with lock:
                    done[1] += 1
                    if done[1] == 1:
                        said = str(exc.msg).split("<main>", 1)[-1][:300]
                        print(f"  GET /item/{key}: {exc.code} {said!r}", flush=True)
                continue
            form = {
                "csrf": _CSRF.findall(html)[0],
                "based_on": _BASED.findall(html)[0],
                "action": "accept",
                "choice": "suggestion",
            }
            t0 = time.perf_counter()
            status = c.post(f"/item/{key}", form)
            with lock:
                lat.append(time.perf_counter() - t0)
                done[0 if status == 303 else 1] += 1

    t0, cpu0, mine0 = time.perf_counter(), _cpu_of(pid), time.process_time()
    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    per = (_cpu_of(pid) - cpu0) / max(done[0], 1) * 1000
    theirs = (time.process_time() - mine0) / max(done[0], 1) * 1000
    p95 = sorted(lat)[int(0.95 * (len(lat) - 1))] * 1000 if lat else 0.0
    print(
        f"  8 clients: {done[0]} accepted, {done[1]} not, in {wall:.1f} s "
        f"(the clients' own CPU {theirs:.1f} ms a decision)",
        flush=True,
    )
    return done[0], done[1], p95, wall, per


def startup(args: Any) -> int:
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}", flush=True)
    subprocess.run(  # bytecode for the commands' modules, as an install leaves it
        [sys.executable, "-m", "compileall", "-q", str(Path(PROOFBENCH).parents[1]), PACKAGE],
        env=ENV,
        capture_output=True,
    )
    base = base_words(args.words)
    texts = {
        "ED": " ".join(base),
        "T2": generate(base, TRANSCRIPTION, seed=11).text()[0],
        "TR": generate(base, TRANSCRIPTION, seed=7).text()[0],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for s, t in texts.items():
            (folder / f"{s}.txt").write_text(t, encoding="utf-8")
        manifest = _manifest(folder)
        os.environ.pop("PROOFBENCH_CACHE", None)
        if args.collation:
            c = timed(
                "read the collation pickle",
                lambda: pickle.loads(Path(args.collation).read_bytes()),
            )
        else:
            c = timed(
                f"collate 3 witnesses of {args.words} words",
                lambda: collation(texts, "TR", str(manifest)),
            )
            if args.save:
                Path(args.save).write_bytes(pickle.dumps(c, protocol=5))
        c = replace(c, manifest=replace(c.manifest, path=str(manifest)))
        key = inputs_key(manifest)
        outline = outline_of(c, keep_variants=False)
        timed(
            "store the cache (collation + outline)",
            lambda: store_cached(cache_path(manifest), key, c, {"review": outline}),
        )
        print(f"  {len(outline.items)} items", flush=True)
        stores = [("sqlite", str(folder / "bench.review.db"))]
        if args.pg:
            stores.append(("postgresql", args.pg))
        for kind, db in stores:
            print(f"--- {kind}", flush=True)
            store = Store(db)
            eve = store.add_user("eve", "editor", PASSWORD)
            for k in range(8):
                store.add_user(f"ed{k}", "editor", PASSWORD)
            desk = Desk(outline, store)
            batch = select(desk, "accept", Filters())
            # 5,000 (half the items where there are fewer), the rest left for the clients
            take = min(5000, len(batch.chosen) // 2)
            chosen = Batch(batch.action, batch.filters, False, batch.chosen[:take], {})
            _, done, _ = timed(
                f"bulk: accept {len(chosen.chosen)} items", partial(apply_batch, desk, chosen, eve)
            )
            print(f"  {done} accepted in bulk", flush=True)
            busy = next(e for e in desk.queue() if e.state.status == "open")
            row = note_row(desk.scope, busy.stored, busy.item.anchor, eve, "a remark")
            with store.engine.begin() as conn:
                conn.execute(events.insert(), [row] * 40_000)
            # No ANALYZE here: the desk's first view folds these 40,000 events and, finding
            # more than PostgreSQL's own analyse rule allows, analyses the log itself.
            app = create_app(desk)
            client = app.test_client()
            with client.session_transaction() as sess:
                sess["sid"] = store.open_session(eve)
            client.get("/")
            print(f"  {store.stamp(desk.scope)[0]} events in the log", flush=True)
            for label, url in (
                ("queue page (100 rows)", "/"),
                ("queue page, filtered by class and status", "/?status=open&cls=ocr-confusion"),
                ("queue page 200", "/?offset=20000"),
                ("item page with 40,000 events", f"/item/{busy.item.key}"),
            ):
                times, cpu_times = [], []
                for _ in range(5):
                    t0, c0 = time.perf_counter(), time.process_time()
                    assert client.get(url).status_code == 200
                    times.append(time.perf_counter() - t0)
                    cpu_times.append(time.process_time() - c0)  # the page's own CPU (in-process)
                print(
                    f"{label + ' (median of 5)':<44} {_median(times) * 1000:8.1f} ms "
                    f"(CPU {_median(cpu_times) * 1000:.1f} ms)"
                )
            ups, cpus, waits = [], [], []
            for run in range(3):
                took, cpu, queued, proc, url = _review_to_url(manifest, db)
                waits.append(queued)
                ups.append(took)
                cpus.append(cpu)
                if run == 2:
                    keys = [e.item.key for e in desk.queue() if e.state.status == "open"]
                    keys = [k for k in keys if desk.entry(k).item.suggestion is not None]  # type: ignore[union-attr]
                    n, _bad, p95, wall, per = _clients(url, keys, 20.0, proc.pid)
                    print(
                        f"8 clients: decisions per second {n / wall:8.1f} (p95 {p95:.0f} ms, "
                        f"server CPU {per:.1f} ms a decision)"
                    )
                proc.terminate()
                proc.wait()
            print(
                f"{'review: start to URL (median of 3)':<44} {_median(ups):8.2f} s "
                f"(CPU {_median(cpus):.2f} s, waiting for a CPU {_median(waits):.2f} s)",
                flush=True,
            )
            out = folder / f"out-{kind}.txt"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(
                [PROOFBENCH, "apply", str(manifest), "--db", db, "-o", str(out)],
                check=True,
                capture_output=True,
                env=ENV,
            )
            took = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            print(f"{'apply -o out.txt':<44} {took:8.2f} s (CPU {cpu:.2f} s)", flush=True)
            store.close()
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}", flush=True)
    return 0
