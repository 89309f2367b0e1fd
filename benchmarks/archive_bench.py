"""Benchmark of ``proofbench archive``: serial, a LocalCluster, and a cluster of separate processes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/archive_bench.py                  # 500 documents
    .venv/bin/python benchmarks/archive_bench.py --documents 40   # a quick look
    .venv/bin/python benchmarks/archive_bench.py --write          # append to RESULTS.md

The archive: ``--documents`` documents cut from the public-domain books in ../shared/corpora
(the four of ``align_bench.py``: A Tale of Two Cities, War and Peace, Moby-Dick, Frankenstein),
each a passage of 1,000-20,000 words at a seeded place in a seeded book, in three witnesses as
``align_bench.py`` builds them: the passage itself (an edition), an OCR-like copy and a
transcription-like copy made with ``witness_model.py``'s seeded error model. Sizes are
``1000 * 20 ** (u * u)`` for u uniform in [0, 1): most documents short, a few long (median
2,100 words, mean 4,200), as in an archive of letters and articles. A CSV index lists them with
an ``ocr_batch`` tag.

Then the whole command, as a user runs it, four ways on the same archive:

1. ``proofbench archive index.csv -o serial --serial``
2. ``proofbench archive index.csv -o local --workers 2`` (a LocalCluster, started by the command)
3. ``proofbench archive index.csv -o cluster --scheduler tcp://127.0.0.1:PORT`` against a
   ``dask scheduler`` and two ``dask worker --nthreads 1`` processes started beforehand on
   loopback, as a real cluster would be (their start is not in the time), with the workers'
   profiler off (``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``) as the LocalCluster has
4. the re-run of 1 with nothing changed (every document skipped from the index's hashes)

and, side by side, what a user does today: a shell loop of ``proofbench collate`` over the
first ``--loop`` manifests, against ``archive --serial`` on the same documents.

Reported: wall time, documents per second, speed-up over serial, CPU seconds (user + system, of
the command and its workers: on a shared machine wall time depends on the others' load, CPU
time much less), the peak resident memory of
each worker process (sampled every 0.2 s with psutil, so a peak between samples can be missed),
whether the three output folders are identical byte for byte, and the load average (the
machine is shared) before and after each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from align_bench import CORPORA, SOURCES, children_cpu  # noqa: E402
from witness_model import OCR, TRANSCRIPTION, generate  # noqa: E402

EXE = ROOT / ".venv" / "bin" / "proofbench"
DASK = ROOT / ".venv" / "bin" / "dask"
CREATED = "2026-01-01T00:00:00Z"
WORKER = ["--no-dashboard", "--memory-limit", "auto"]


def books() -> list[list[str]]:
    """The words of each book, Project Gutenberg header and licence cut off."""
    out = []
    for name in SOURCES:
        text = (CORPORA / name).read_text(encoding="utf-8-sig")
        start = re.search(r"\*\*\* ?START OF .*?\*\*\*", text)
        end = re.search(r"\*\*\* ?END OF .*?\*\*\*", text)
        out.append(text[start.end() if start else 0 : end.start() if end else len(text)].split())
    return out


def build(root: Path, documents: int) -> tuple[Path, int]:
    """Write the archive under ``root``; returns its CSV index and the words of all targets."""
    rnd = random.Random(16)
    texts = books()
    lines = ["manifest,ocr_batch"]
    total = 0
    for k in range(documents):
        size = round(1000 * 20 ** (rnd.random() ** 2))
        book = texts[rnd.randrange(len(texts))]
        start = rnd.randrange(0, len(book) - size)
        base = book[start : start + size]
        folder = root / "docs" / f"{k // 100:02d}" / f"doc{k:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        witnesses = {
            "ED": " ".join(base) + "\n",
            "OCR": generate(base, OCR, seed=2 * k + 1).text()[0],
            "TR": generate(base, TRANSCRIPTION, seed=2 * k + 2).text()[0],
        }
        toml = ["[collation]", f'title = "passage {k} ({size} words)"', 'target = "TR"', ""]
        for siglum, text in witnesses.items():
            (folder / f"{siglum}.txt").write_text(text, encoding="utf-8")
            kind = {"ED": "edition", "OCR": "ocr", "TR": "transcription"}[siglum]
            toml += ["[[witness]]", f'siglum = "{siglum}"', f'kind = "{kind}"']
            toml += [f'file = "{siglum}.txt"', ""]
        (folder / "doc.toml").write_text("\n".join(toml), encoding="utf-8")
        lines.append(f"docs/{k // 100:02d}/doc{k:04d}/doc.toml,batch-{k % 5}")
        total += size
    index = root / "index.csv"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index, total


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Sampler:
    """Samples the resident memory of processes (a tree, or given pids) every 0.2 s."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = roots
        self.peak: dict[int, tuple[str, float]] = {}
        self.cpu: dict[int, tuple[int, float, float]] = {}
        """pid -> (its root, CPU seconds at the first sample, at the last)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.roots:
                try:
                    root = psutil.Process(pid)
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for p in procs:
                    try:
                        rss = p.memory_info().rss / 2**20
                        cmd = " ".join(p.cmdline())
                        times = p.cpu_times()
                    except psutil.Error:
                        continue
                    now = times.user + times.system
                    self.cpu[p.pid] = (pid, self.cpu.get(p.pid, (pid, now, now))[1], now)
                    if rss > self.peak.get(p.pid, ("", 0.0))[1]:
                        self.peak[p.pid] = (cmd, rss)
            self._stop.wait(0.2)

    def workers(self) -> list[float]:
        """Peak MB of the worker processes (spawned by multiprocessing), largest first."""
        found = [
            mb
            for cmd, mb in self.peak.values()
            if "spawn_main" in cmd and "resource_tracker" not in cmd
        ]
        return sorted(found, reverse=True)

    def cpu_s(self, roots: list[int]) -> float:
        """CPU seconds used during the sampling by the trees of ``roots`` (already running)."""
        return sum(last - first for root, first, last in self.cpu.values() if root in roots)

    def largest(self) -> float:
        return max((mb for _, mb in self.peak.values()), default=0.0)


def run(cmd: list[str], roots: list[int] | None = None) -> dict[str, Any]:
    """Run a command, timing it and sampling its memory (and that of ``roots``)."""
    before = load()
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Sampler([proc.pid, *(roots or [])]) as sampler:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    # The command's CPU and that of its children (a LocalCluster's workers) is exact; workers
    # started apart are not its children: theirs is sampled (so a last 0.2 s may be missed).
    cpu = children_cpu() - cpu0 + sampler.cpu_s(roots or [])
    if proc.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "load_before": before,
        "load_after": load(),
        "workers_mb": sampler.workers(),
        "largest_mb": sampler.largest(),
        "last_line": (err.strip().splitlines() or [""])[-1],
        "code": proc.returncode,
    }


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster(workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A ``dask scheduler`` and ``workers`` ``dask worker`` processes on loopback."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    # As the LocalCluster of `proofbench archive` does: no statistical profiler on the workers.
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **quiet,  # type: ignore[call-overload]
        )
    ]
    for _ in range(workers):
        procs.append(
            subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1", *WORKER],
                env=env,
                **quiet,  # type: ignore[call-overload]
            )
        )
    from distributed import Client

    deadline = time.time() + 120
    while True:
        try:
            with Client(address, timeout=10) as client:
                client.wait_for_workers(workers, timeout=120)
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(1)
    return address, procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in reversed(procs):
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()


def shell_loop(index: Path, out: Path, n: int) -> tuple[float, Path]:
    """``for m in manifests; do proofbench collate $m -o $m.html; done`` on the first n, timed;
    also writes a CSV index of those n for ``archive --serial`` to run on."""
    lines = index.read_text(encoding="utf-8").splitlines()
    sub = index.with_name("first.csv")
    sub.write_text("\n".join(lines[: n + 1]) + "\n", encoding="utf-8")
    manifests = [index.parent / line.split(",")[0] for line in lines[1 : n + 1]]
    script = "\n".join(
        f'"{EXE}" collate "{m}" -o "{out / (str(k) + ".html")}" 2>/dev/null'
        for k, m in enumerate(manifests)
    )
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    t0 = time.perf_counter()
    subprocess.run(["bash", "-c", script], check=True, env=env)
    return time.perf_counter() - t0, sub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--loop", type=int, default=40, help="documents of the shell loop")
    parser.add_argument("--root", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument("--write", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args()
    if not CORPORA.exists():
        raise SystemExit(f"corpora not found at {CORPORA}")
    root = args.root or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    t0 = time.perf_counter()
    index, words = build(root, args.documents)
    print(f"built {args.documents} documents, {words} words per witness, in "
          f"{time.perf_counter() - t0:.0f} s under {root}", flush=True)  # fmt: skip
    base = [str(EXE), "archive", str(index), "--created", CREATED]
    rows: dict[str, dict[str, Any]] = {}
    rows["serial"] = run([*base, "-o", str(root / "serial"), "--serial"])
    print("serial", rows["serial"], flush=True)
    rows["local"] = run([*base, "-o", str(root / "local"), "--workers", str(args.workers)])
    print("local", rows["local"], flush=True)
    address, procs = start_cluster(args.workers)
    try:
        rows["cluster"] = run(
            [*base, "-o", str(root / "cluster"), "--scheduler", address],
            roots=[p.pid for p in procs[1:]],
        )
    finally:
        stop(procs)
    print("cluster", rows["cluster"], flush=True)
    rows["rerun"] = run([*base, "-o", str(root / "serial"), "--serial"])
    print("rerun", rows["rerun"], flush=True)
    serial = tree(root / "serial")
    same = {k: tree(root / k) == serial for k in ("local", "cluster")}
    loop_s, first = shell_loop(index, root / "loop", args.loop)
    rows["loop-archive"] = run(
        [*base[:1], "archive", str(first), "--created", CREATED, "-o", str(root / "first"),
         "--serial"]
    )  # fmt: skip
    report(args, rows, same, len(serial), words, loop_s)
    if args.root is None:
        shutil.rmtree(root, ignore_errors=True)


def report(
    args: argparse.Namespace,
    rows: dict[str, dict[str, Any]],
    same: dict[str, bool],
    files: int,
    words: int,
    loop_s: float,
) -> None:
    n = args.documents
    serial = rows["serial"]["wall_s"]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {stamp}: {n} documents, {words:,} words per witness × 3 witnesses",
        "",
        f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, maybe "
        "shared with other work (load average before/after each run, 1/5/15 min); "
        f"Python {platform.python_version()}; command `{' '.join(sys.argv)}`.",
        "",
        "| run | wall s | documents/s | speed-up | CPU s | peak RSS per worker (MB) "
        "| same bytes as serial | load before | load after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    names = {
        "serial": "`archive --serial`",
        "local": f"`archive --workers {args.workers}` (LocalCluster, its start included)",
        "cluster": f"`archive --scheduler tcp://127.0.0.1:…` ({args.workers} × `dask worker"
        " --nthreads 1`, started before)",
        "rerun": "`archive --serial` again, nothing changed",
    }
    for key, name in names.items():
        r = rows[key]
        mem = r["workers_mb"][: args.workers] if key in ("local", "cluster") else [r["largest_mb"]]
        identical = {"local": same["local"], "cluster": same["cluster"]}.get(key)
        mark = "–" if identical is None else ("yes" if identical else "**no**")
        lines.append(
            f"| {name} | {r['wall_s']:.1f} | {n / r['wall_s']:.2f} | {serial / r['wall_s']:.2f}"
            f" | {r['cpu_s']:.0f} | {', '.join(f'{m:.0f}' for m in mem)} | {mark}"
            f" | {r['load_before']} | {r['load_after']} |"
        )
    la = rows["loop-archive"]
    lines += [
        "",
        f"Output: {files} files (a report per document and the three index files); last line "
        f"of the serial run: `{rows['serial']['last_line']}`.",
        "",
        f"Side by side on the first {args.loop} documents: a shell loop of `proofbench collate "
        f"MANIFEST -o report.html` took {loop_s:.1f} s ({args.loop / loop_s:.2f} documents/s); "
        f"`archive --serial` on the same {args.loop} took {la['wall_s']:.1f} s "
        f"({args.loop / la['wall_s']:.2f} documents/s; load {la['load_before']} before).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        results = HERE / "RESULTS.md"
        results.write_text(results.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
