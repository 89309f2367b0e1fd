"""Where forking pays in ``classify``: ``PARALLEL_PLACES`` and ``PARALLEL_WORDS``.

Usage (from the repository root)::

    .venv/bin/python benchmarks/parallel_bench.py                       # 2k ... 50k words
    .venv/bin/python benchmarks/parallel_bench.py --sizes 5000 20000 --runs 5 --jobs 2

For each size, the witness set of ``align_bench.py`` (three witnesses of N words) is loaded
and aligned once; then ``classify`` runs in three modes, alternating, ``--runs`` rounds: with
one job; with ``--jobs`` jobs and the checks forked at every size (``PARALLEL_WORDS`` 0) but
the weighing never; with the weighing forked at every size (``PARALLEL_PLACES`` 0) but the
checks never. Each run's wall time and CPU time (this process and its reaped children, from
``os.times``) are taken, and the medians printed with the number of variants (about the
number of places weighed). Forking pays where the wall time with the pool is below the wall
time with one job; the CPU columns say what the pool costs the machine (starting the
processes, pickling the results back). The modes' variants and flags are compared, and the
benchmark stops if they differ.

The machine is shared: the load average is printed beside the table, and wall time on a busy
machine measures the neighbours as much as the work (each process gets its share of the cores,
so the pool's gain in wall time holds under load, at the neighbours' expense).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


MODES = {
    "one job": (1, None, None),
    "checks forked": (0, 10**12, 0),
    "weighing forked": (0, 0, 10**12),
}
"""Each mode: whether it takes ``--jobs`` (0) or one job, and the cut-offs it sets (places,
words): the pool used for one part of the work at every size, and never for the other."""


def _nothing(shared: None, item: int) -> int:
    return item


def measure(n: int, runs: int, jobs: int, folder: Path) -> dict[str, object]:
    """Median wall and CPU seconds of ``classify`` in each mode on 3 x ``n`` words."""
    from align_bench import write_set

    import proofbench.classify.variants as variants
    from proofbench.align import align
    from proofbench.parallel import forked_map
    from proofbench.pipeline import load_witnesses, manifest_for

    folder.mkdir(parents=True, exist_ok=True)
    manifest = manifest_for(write_set(n, folder))
    witnesses = load_witnesses(manifest, workers=1)
    alignment = align(witnesses)
    got: dict[str, list[tuple[float, float]]] = {m: [] for m in MODES}
    results = {}
    for _ in range(runs):
        for mode, (one, places, words) in MODES.items():
            if places is not None:
                variants.PARALLEL_PLACES = places
            if words is not None:
                variants.PARALLEL_WORDS = words
            wall, cpu = time.perf_counter(), _cpu()
            results[mode] = variants.classify(manifest, witnesses, alignment, jobs=one or jobs)
            got[mode].append((time.perf_counter() - wall, _cpu() - cpu))
        if any(r != results["one job"] for r in results.values()):
            raise SystemExit(f"{n} words: {jobs} jobs gave other variants than one")
    out: dict[str, object] = {"variants": len(results["one job"][0])}
    # The pool's fixed cost at this process's size: two forks, two trivial items, the join.
    fixed = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), _cpu()
        forked_map(_nothing, None, [0, 1], jobs)
        fixed.append((time.perf_counter() - wall, _cpu() - cpu))
    got["fixed cost of a pool"] = fixed
    for mode, samples in got.items():
        out[mode] = (
            statistics.median(w for w, _ in samples),
            statistics.median(c for _, c in samples),
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[2000, 5000, 10_000, 20_000, 50_000]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {_load()}; {os.cpu_count()} cores; jobs {args.jobs}")
    modes = [*MODES, "fixed cost of a pool"]
    head = " | ".join(f"{m}: wall s | CPU s" for m in modes)
    print(f"| words | variants | {head} |")
    print("| ---: | ---: |" + " ---: | ---: |" * len(modes))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            r = measure(n, args.runs, args.jobs, Path(tmp) / str(n))
            cells = " | ".join(f"{r[m][0]:.3f} | {r[m][1]:.3f}" for m in modes)  # type: ignore[index]
            print(f"| {n:,} | {r['variants']:,} | {cells} |", flush=True)
    print(f"load average {_load()}")


if __name__ == "__main__":
    main()
