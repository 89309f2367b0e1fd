"""Issue 14's five goals measured in one run: the whole commands a user waits for, beside the tools
a user would otherwise run, on this machine, by CPU time.

Usage (from the repository root)::

    .venv/bin/python benchmarks/goals_bench.py                  # 5 rounds, one 3 x 1M round
    .venv/bin/python benchmarks/goals_bench.py --runs 9 --big-runs 2
    .venv/bin/python benchmarks/goals_bench.py --big-runs 0     # without the 3 x 1M rows
    .venv/bin/python benchmarks/goals_bench.py --write          # add the table to RESULTS.md

The rows (witness sets built as ``align_bench.py`` builds them, in a temporary folder; every
process timed whole by its own CPU, user + system, from ``wait4``, as ``pipeline_bench.py``
times them; proofbench's bytecode compiled first, as an installed copy's is):

1. 3 x 100k words, ``proofbench collate -o out.json --jobs 1`` against fast-diff-match-patch's
   three raw pairwise word diffs over the same files (``pipeline_bench.py``'s baseline), the two
   alternating in each round: the ratio of the medians; goal at most 1.0.
2. 3 x 1M words, ``collate -o out.html --jobs 1``: the median CPU; goal at most 20 s.
3. The peak resident memory of the 3 x 1M HTML and JSON commands: goal at most 1.0 GB (10^9
   bytes).
4. ``proofbench check`` of War and Peace (``../shared/corpora/gutenberg-revisions/
   war-and-peace-pg2600/wrnpc12.txt``, 566k words): the median CPU; goal at most 2 s.
5. 3 x 2k words, ``collate -o out.json`` against CollateX Python (``align_bench.run_collatex``:
   CollateX's own tokens, its whole process timed), run once in the middle of the rounds: the
   ratio of CollateX's CPU to proofbench's median; goal at least 200.

The small commands alternate within each round (2k, 100k, the baseline, War and Peace), so
that a change in the machine's load falls on all of them; the load average is printed before
and after each part. CPU time, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from align_bench import CORPORA, run_collatex, write_set  # noqa: E402
from pipeline_bench import (  # noqa: E402
    FDMP,
    SIGLA,
    compile_bytecode,
    head_commit,
    load_average,
    proofbench_exe,
    run_process,
)

WAR_AND_PEACE = CORPORA / "gutenberg-revisions" / "war-and-peace-pg2600" / "wrnpc12.txt"
GB = 10**9


def _cpu(argv: list[str], cwd: Path) -> dict[str, Any]:
    """One whole process's figures; stops the run if it failed (a goal needs its command)."""
    got = run_process(argv, cwd)
    if "error" in got:
        raise SystemExit(f"{' '.join(argv)} failed: {got['error']}")
    return got


def measure(runs: int, big_runs: int, folder: Path) -> dict[str, Any]:
    """Every row's samples: CPU seconds and peak RSS (MB) per process."""
    exe = proofbench_exe()
    sets = {n: folder / f"s{n}" for n in (2000, 100_000, 1_000_000)}
    for n, where in sets.items():
        if n < 1_000_000 or big_runs:
            where.mkdir(parents=True)
            write_set(n, where)
    small = {
        "2k": ([exe, "collate", "bench.toml", "-o", "out.json"], sets[2000]),
        "100k": ([exe, "collate", "bench.toml", "-o", "out.json", "--jobs", "1"], sets[100_000]),
        "fdmp": (
            [sys.executable, "-c", FDMP, *(str(sets[100_000] / f"{s}.txt") for s in SIGLA)],
            sets[100_000],
        ),
        "check": ([exe, "check", str(WAR_AND_PEACE)], folder),
    }
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in small}
    loads = {"rounds": [load_average()]}
    collatex: dict[str, Any] = {}
    for r in range(runs):
        for name, (argv, cwd) in small.items():
            samples[name].append(_cpu(argv, cwd))
        if r == runs // 2:  # CollateX once, among the rounds
            loads["collatex"] = [load_average()]
            collatex = run_collatex(2000, 1800)
            loads["collatex"].append(load_average())
    loads["rounds"].append(load_average())
    big = {
        "1M html": [exe, "collate", "bench.toml", "-o", "out.html", "--jobs", "1"],
        "1M json": [exe, "collate", "bench.toml", "-o", "out.json", "--jobs", "1"],
    }
    for name in big:
        samples[name] = []
    if big_runs:
        loads["1M"] = [load_average()]
        for _ in range(big_runs):
            for name, argv in big.items():
                samples[name].append(_cpu(argv, sets[1_000_000]))
        loads["1M"].append(load_average())
    return {"samples": samples, "collatex": collatex, "loads": loads, "runs": runs}


def _median(got: list[dict[str, Any]]) -> float:
    return statistics.median(s["cpu"] for s in got)


def _all(got: list[dict[str, Any]]) -> str:
    return ", ".join(f"{s['cpu']:.2f}" for s in got)


def table(m: dict[str, Any]) -> list[str]:
    """The goals' table, each row with its goal, the measured figure and every sample."""
    s = m["samples"]
    ours, fd = _median(s["100k"]), _median(s["fdmp"])
    rows = [
        (
            "3 x 100k `collate -o out.json --jobs 1`, ratio to fast-diff-match-patch's three pairs",
            "<= 1.0",
            f"{ours:.2f} s / {fd:.2f} s = **{ours / fd:.2f}**",
            f"collate {_all(s['100k'])}; fdmp {_all(s['fdmp'])}",
        )
    ]
    if s["1M html"]:
        html = _median(s["1M html"])
        peak = max(x["peak_mb"] for x in s["1M html"] + s["1M json"]) * 2**20
        rows += [
            (
                "3 x 1M `collate -o out.html --jobs 1`",
                "<= 20 s",
                f"**{html:.1f} s** (JSON {_median(s['1M json']):.1f} s)",
                f"html {_all(s['1M html'])}; json {_all(s['1M json'])}",
            ),
            (
                "3 x 1M peak memory (HTML and JSON)",
                "<= 1.0 GB",
                f"**{peak / GB:.3f} GB** ({peak / 2**10:,.0f} KiB)",
                ", ".join(f"{x['peak_mb'] * 2**20 / GB:.3f}" for x in s["1M html"] + s["1M json"]),
            ),
        ]
    check = _median(s["check"])
    rows.append(
        ("`proofbench check` War and Peace", "<= 2 s", f"**{check:.2f} s**", _all(s["check"]))
    )
    small = _median(s["2k"])
    cx = m["collatex"].get("collatex_process_cpu_s")
    rows.append(
        (
            "3 x 2k `collate -o out.json`, CollateX Python's CPU over proofbench's",
            ">= 200",
            f"{cx:.1f} s / {small:.3f} s = **{cx / small:.0f}x**"
            if cx
            else f"CollateX failed: {m['collatex'].get('collatex_error')}",
            _all(s["2k"]),
        )
    )
    loads = "; ".join(f"{k} {' -> '.join(v)}" for k, v in m["loads"].items())
    lines = [
        f"{m['runs']} rounds of the small commands (medians), load average {loads}:",
        "",
        "| measure | goal | measured | every run, CPU s |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return lines


def write_results(lines: list[str], argv: list[str]) -> None:
    """Append a dated section with the table to RESULTS.md (written whole, then renamed)."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    commit = head_commit()
    head = [
        f"\n## {now}: issue 14's goals (commit {commit}, `benchmarks/goals_bench.py`)\n",
        f"`.venv/bin/python benchmarks/goals_bench.py {' '.join(argv)}`. Machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, shared.\n",
    ]
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(head + lines) + "\n"
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds of the small commands")
    parser.add_argument("--big-runs", type=int, default=1, help="rounds at 3 x 1M (0: none)")
    parser.add_argument("--write", action="store_true", help="add the table to RESULTS.md")
    args = parser.parse_args()
    if not WAR_AND_PEACE.exists():
        raise SystemExit(f"corpora not found: {WAR_AND_PEACE}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1000000000")
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        lines = table(measure(max(1, args.runs), max(0, args.big_runs), Path(tmp)))
    print("\n".join(lines), flush=True)
    if args.write:
        write_results(lines, sys.argv[1:])


if __name__ == "__main__":
    main()
