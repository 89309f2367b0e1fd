"""CollateX Python on CollateX's own alignment tests, judged as proofbench is.

Usage (from the repository root, with the ``bench`` extra installed: ``pip install -e .[bench]``)::

    .venv/bin/python benchmarks/collatex_suite.py [--proofbench-only] [-v]

``--proofbench-only`` (no CollateX needed) prints proofbench's totals and, with ``-v``, each
case that is not ``expected`` with its reason: the way to print the suite's totals, since
``python -m tests.align.collatex_suite`` cannot import where a dependency installs a top-level
``tests`` package of its own (fast-diff-match-patch 2.1.0 does). The suite's module is loaded
here from its file, under a name of its own, for that reason.

Each case of ``tests/align/collatex_cases.json`` is given to CollateX Python (``collate``,
tokens as given with their ``n``, no segmentation, default settings) and its alignment table
is judged against the case's expectation by ``tests/align/collatex_suite.judge``, the judge
the test suite applies to proofbench. Prints both tools' totals side by side.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from proofbench.model import Alignment, Column, ColumnKind  # noqa: E402

_SPEC = importlib.util.spec_from_file_location(
    "proofbench_collatex_suite", ROOT / "tests" / "align" / "collatex_suite.py"
)
assert _SPEC is not None and _SPEC.loader is not None
suite = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = suite  # dataclasses look their module up by name
_SPEC.loader.exec_module(suite)


def collatex_alignment(case: suite.Case) -> Alignment:
    """CollateX Python's table for the case, as proofbench columns of token indices."""
    from collatex import collate  # type: ignore[import-not-found]

    sigla = list(case.witnesses)
    data = {
        "witnesses": [
            {
                "id": s,
                "tokens": [{"t": t, "n": n} for t, n in suite.tokens_of(case.tokenizer, w)],
            }
            for s, w in case.witnesses.items()
        ]
    }
    table = json.loads(collate(data, output="json", segmentation=False))
    rows = dict(zip(table["witnesses"], table["table"], strict=True))
    width = len(next(iter(rows.values())))
    next_token = dict.fromkeys(sigla, 0)
    columns = []
    for c in range(width):
        readings: dict[str, tuple[int, ...]] = {}
        for s in sigla:
            cell = rows[s][c] or []
            readings[s] = tuple(range(next_token[s], next_token[s] + len(cell)))
            next_token[s] += len(cell)
        columns.append(Column(readings, ColumnKind.VARIANT))
    return Alignment(tuple(sigla), tuple(columns), ())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proofbench-only", action="store_true", help="no CollateX run")
    parser.add_argument("-v", "--verbose", action="store_true", help="print non-expected cases")
    args = parser.parse_args()
    ours: Counter[str] = Counter()
    theirs: Counter[str] = Counter()
    for case in suite.load_cases():
        outcome = suite.run(case)
        ours[outcome.verdict] += 1
        if args.verbose and outcome.verdict != "expected":
            print(f"proofbench {outcome.verdict:10} {case.name}: {outcome.detail}")
        if args.proofbench_only:
            continue
        witnesses = suite.witnesses_of(case)
        try:
            outcome = suite.judge(case, collatex_alignment(case), witnesses)
            theirs[outcome.verdict] += 1
            if outcome.verdict == "worse":
                print(f"CollateX worse: {case.name}: {outcome.detail}")
        except Exception as exc:  # a crash is a result here
            theirs["crashed"] += 1
            print(f"CollateX crashed: {case.name}: {type(exc).__name__}: {exc}")
    keys = [*suite.VERDICTS, "crashed"]
    print("proofbench:", ", ".join(f"{k} {ours[k]}" for k in keys), f"of {sum(ours.values())}")
    if args.proofbench_only:
        return
    print("CollateX:  ", ", ".join(f"{k} {theirs[k]}" for k in keys), f"of {sum(theirs.values())}")


if __name__ == "__main__":
    main()
