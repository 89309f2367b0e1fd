"""Benchmark of the whole ``proofbench collate`` command against three raw pairwise diffs.

Usage (from the repository root)::

    .venv/bin/python benchmarks/pipeline_bench.py                      # 10k, 100k, 1M words
    .venv/bin/python benchmarks/pipeline_bench.py --sizes 10000 100000 --runs 5
    .venv/bin/python benchmarks/pipeline_bench.py --write              # add to RESULTS.md

Witness sets: three witnesses of N words each, built as ``align_bench.py`` builds them (the base
text of real public-domain books in ../shared/corpora, an OCR-like and a transcription-like copy
from the seeded error model of ``witness_model.py``), written as three text files and a manifest.

For each size, in the same run and alternating (one round = each command once, several rounds),
five whole processes are timed by their own CPU time (user + system, from ``wait4``: a
process's reaped children, the forked workers of ``--jobs``, included), wall time and peak
resident memory (of the largest process: a forked worker shares its parent's pages):

- ``proofbench collate bench.toml -o out.json`` and ``-o out.html`` (the default jobs: the CPUs
  this process may use), and ``-o out.json --jobs 1``;
- fast-diff-match-patch (C++) diffing the three pairs of witnesses word by word (each word mapped
  to one character, the library's documented word mode; no time limit, so the diff is exact);
- rapidfuzz (C++) computing the Indel opcodes of the three pairs of word lists.

The baselines read the same files, split them into words and diff the three pairs: the least a
user could run to see where three copies differ, without any report. Medians of the rounds are
printed, with the ratio of the collate command to each baseline. A separate process then runs
the pipeline's stages in turn (load, tokenize, align, classify, render json, render html) and
prints each one's CPU time and the resident memory after it (the renderers streamed, as the
command writes them; loading serial, as one process measures it; the cyclic garbage collector
paused, as the command pauses it, ``proofbench/collector.py``). proofbench's bytecode is
compiled first, as an installed copy's is.

CPU time, not wall time, is the figure: the machine is shared, and wall time mostly measures
the neighbours. The load average is printed beside every table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

SIGLA = ("ED", "OCR", "TR")

FDMP = """
import sys
import fast_diff_match_patch as fdmp
texts = [open(p, encoding="utf-8").read().split() for p in sys.argv[1:]]
codes = {}
def chars(words):
    return "".join(chr(0x10000 + codes.setdefault(w, len(codes))) for w in words)
encoded = [chars(ws) for ws in texts]
n = 0
for a in range(3):
    for b in range(a + 1, 3):
        n += len(fdmp.diff(encoded[a], encoded[b], timelimit=0, checklines=False,
                           cleanup="No", counts_only=True))
print(n)
"""

RAPIDFUZZ = """
import sys
from rapidfuzz.distance import Indel
texts = [open(p, encoding="utf-8").read().split() for p in sys.argv[1:]]
n = 0
for a in range(3):
    for b in range(a + 1, 3):
        n += len(Indel.opcodes(texts[a], texts[b]))
print(n)
"""


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def run_process(argv: list[str], cwd: Path) -> dict[str, Any]:
    """Run one whole process; its CPU seconds, wall seconds, peak RSS (MB) and any error."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    got: dict[str, Any] = {
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "peak_mb": usage.ru_maxrss / 1024,
    }
    if proc.returncode != 0:
        # A baseline may not reach a size (rapidfuzz's opcodes keep an N x M / 64 bit matrix):
        # that is a result to print, not a reason to stop.
        last = err.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        got["error"] = last[0][:120]
    return got


def commands(folder: Path) -> dict[str, list[str]]:
    """The five whole processes compared on one witness set."""
    exe = proofbench_exe()
    files = [str(folder / f"{s}.txt") for s in SIGLA]
    manifest = str(folder / "bench.toml")
    return {
        "collate json": [exe, "collate", manifest, "-o", str(folder / "out.json")],
        "collate json --jobs 1": [exe, "collate", manifest, "-o", str(folder / "one.json"), "-j1"],
        "collate html": [exe, "collate", manifest, "-o", str(folder / "out.html")],
        "fast-diff-match-patch": [sys.executable, "-c", FDMP, *files],
        "rapidfuzz": [sys.executable, "-c", RAPIDFUZZ, *files],
    }


def proofbench_exe() -> str:
    """The repository's installed ``proofbench`` command (stops the run if it is missing)."""
    exe = ROOT / ".venv" / "bin" / "proofbench"
    if not exe.exists():
        raise SystemExit(f"{exe} not found: run `make .venv/.installed-dev` first")
    return str(exe)


def stages(manifest_path: str) -> dict[str, Any]:
    """Run the pipeline's stages in turn in this process; CPU seconds and RSS after each."""
    import resource

    def rss_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    out: dict[str, Any] = {"stages": []}
    clock = time.process_time

    def mark(name: str, t0: float) -> None:
        out["stages"].append({"stage": name, "cpu": clock() - t0, "rss_mb": rss_mb()})

    t0 = clock()
    from proofbench import blas, collector  # noqa: F401 (blas: numpy's threads as the command's)
    from proofbench.align import align
    from proofbench.classify import check, classify
    from proofbench.pipeline import created_stamp, manifest_for
    from proofbench.render import RenderOptions
    from proofbench.render.collation_json import iter_json
    from proofbench.render.html import iter_html
    from proofbench.text import tokenize_all
    from proofbench.witness import load_witness

    mark("import", t0)
    paused = collector.paused()  # as the collate command runs its stages
    paused.__enter__()
    t0 = clock()
    manifest = manifest_for(manifest_path)
    raw = [load_witness(spec) for spec in manifest.witnesses]
    mark("load", t0)
    t0 = clock()
    witnesses = tokenize_all(raw, manifest.profile)
    del raw
    mark("tokenize", t0)
    t0 = clock()
    alignment = align(witnesses)
    mark("align", t0)
    t0 = clock()
    variants, flags = classify(manifest, witnesses, alignment)
    mark("classify", t0)
    t0 = clock()
    for w in witnesses:
        check(w)
    mark("(single-witness checks, measured apart: part of classify)", t0)
    from proofbench import __version__
    from proofbench.model import Collation

    collation = Collation(
        manifest=manifest,
        witnesses=tuple(witnesses),
        alignment=alignment,
        variants=variants,
        flags=flags,
        profile=manifest.profile,
        created=created_stamp(),
        version=__version__,
    )
    options = RenderOptions()
    # As the command writes them: piece by piece (STREAMS), each piece encoded, none held.
    for name, render in (("render json", iter_json), ("render html", iter_html)):
        t0 = clock()
        size = sum(len(piece.encode("utf-8")) for piece in render(collation, options))
        mark(name, t0)
        out[f"{name} bytes"] = size
    paused.__exit__(None, None, None)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["variants"] = len(variants)
    out["flags"] = len(flags)
    return out


def run_size(n: int, runs: int, folder: Path) -> dict[str, Any]:
    """Time the five processes on the set of ``n`` words, alternating, ``runs`` rounds; stop if
    the JSON written with the default jobs is not the one written with one job, byte for byte."""
    from align_bench import write_set

    folder.mkdir(parents=True, exist_ok=True)
    write_set(n, folder)
    cmds = commands(folder)
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in cmds}
    loads = [load_average()]
    for _ in range(runs):
        for name, argv in cmds.items():
            samples[name].append(run_process(argv, folder))
        loads.append(load_average())
    if (folder / "out.json").read_bytes() != (folder / "one.json").read_bytes():
        raise SystemExit(f"{n} words: the JSON of the default jobs differs from one job's")
    row: dict[str, Any] = {"words": n, "runs": runs, "loads": loads}
    for name, got in samples.items():
        failed = [s["error"] for s in got if "error" in s]
        if failed:
            row[name] = {"error": failed[0], "cpu": None, "peak_mb": max(s["peak_mb"] for s in got)}
            continue
        row[name] = {
            "cpu": statistics.median(s["cpu"] for s in got),
            "cpu_all": [round(s["cpu"], 2) for s in got],
            "wall": statistics.median(s["wall"] for s in got),
            "peak_mb": max(s["peak_mb"] for s in got),
        }
    proc = subprocess.run(
        [sys.executable, __file__, "--stages", str(folder / "bench.toml")],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    if proc.returncode != 0:
        raise SystemExit(f"stages at {n} words failed: {proc.stderr[-2000:]}")
    row["stages"] = json.loads(proc.stdout.strip().splitlines()[-1])
    row["loads"].append(load_average())
    return row


def ratio(a: float, b: float | None) -> str:
    """``a / b`` to two places, or a dash where the baseline did not run."""
    return f"{a / b:.2f}" if b else "–"


def report(row: dict[str, Any]) -> list[str]:
    """The lines printed (and written) for one size."""
    n = row["words"]
    fd = row["fast-diff-match-patch"]["cpu"]
    rf = row["rapidfuzz"]["cpu"]
    lines = [
        f"### 3 x {n:,} words ({row['runs']} rounds, medians; load average "
        f"{' -> '.join(row['loads'])})",
        "",
        "| whole process | CPU s (median) | all rounds | wall s | peak RSS MB "
        "| ratio to fast-diff-match-patch | ratio to rapidfuzz |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for name in (
        "collate json",
        "collate json --jobs 1",
        "collate html",
        "fast-diff-match-patch",
        "rapidfuzz",
    ):
        r = row[name]
        if r["cpu"] is None:
            lines.append(f"| {name} | failed: {r['error']} | | | {r['peak_mb']:.0f} | | |")
            continue
        lines.append(
            f"| {name} | {r['cpu']:.2f} | {', '.join(map(str, r['cpu_all']))} | {r['wall']:.2f} "
            f"| {r['peak_mb']:.0f} | {ratio(r['cpu'], fd)} | {ratio(r['cpu'], rf)} |"
        )
    st = row["stages"]
    lines += [
        "",
        f"Stages in one process ({st['variants']:,} variants, {st['flags']:,} flags; JSON "
        f"{st['render json bytes'] / 2**20:.1f} MB, HTML {st['render html bytes'] / 2**20:.1f} "
        f"MB; peak RSS {st['peak_mb']:.0f} MB):",
        "",
        "| stage | CPU s | RSS after, MB |",
        "| --- | ---: | ---: |",
    ]
    for s in st["stages"]:
        lines.append(f"| {s['stage']} | {s['cpu']:.2f} | {s['rss_mb']:.0f} |")
    return lines


MARKER = "<!-- pipeline_bench.py --write inserts new results above this line -->"


def write_results(rows: list[dict[str, Any]], argv: list[str]) -> None:
    """Add a dated block to RESULTS.md, at the end of the pipeline section."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = head_commit()
    out = [
        f"\n## {now} (commit {commit})\n",
        f"`.venv/bin/python benchmarks/pipeline_bench.py {' '.join(argv)}`. Machine: "
        f"{os.cpu_count()} cores ({cpu or platform.processor()}), Python "
        f"{platform.python_version()}, shared with other sessions.\n",
    ]
    for row in rows:
        out += [*report(row), ""]
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = "\n".join(out)
    if MARKER in text:
        at = text.index(MARKER)
        text = text[:at].rstrip("\n") + "\n" + block + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n## Pipeline: the whole command (`benchmarks/"
        text += "pipeline_bench.py`)\n" + block + "\n" + MARKER + "\n"
    path.write_text(text, encoding="utf-8")


def head_commit() -> str:
    """The repository's HEAD, abbreviated (empty outside a git checkout)."""
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()


def compile_bytecode() -> None:
    """Write proofbench's bytecode before timing, as installing a package does (pip compiles
    it): a session started with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module
    from source in every timed process, which no installed copy does."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "proofbench")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5, help="rounds per size (default 5)")
    parser.add_argument(
        "--big-runs", type=int, default=3, help="rounds at 1M words and more (default 3)"
    )
    parser.add_argument("--write", action="store_true", help="add the tables to RESULTS.md")
    parser.add_argument("--stages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # One creation stamp in every report, so that the JSON of two runs can be compared.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1000000000")
    if args.stages:
        print(json.dumps(stages(args.stages)))
        return
    from align_bench import CORPORA

    if not CORPORA.exists():
        raise SystemExit(f"corpora not found at {CORPORA}")
    compile_bytecode()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            runs = args.big_runs if n >= 1_000_000 else args.runs
            row = run_size(n, runs, Path(tmp) / str(n))
            rows.append(row)
            print("\n".join(report(row)) + "\n", flush=True)
    if args.write:
        write_results(rows, sys.argv[1:])


if __name__ == "__main__":
    main()
