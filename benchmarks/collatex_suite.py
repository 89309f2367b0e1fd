"""CollateX Python on CollateX's own alignment tests, judged as proofbench is.

Usage (from the repository root, with the ``bench`` extra installed: ``pip install -e .[bench]``)::

    .venv/bin/python benchmarks/collatex_suite.py

Each case of ``tests/align/collatex_cases.json`` is given to CollateX Python (``collate``,
tokens as given with their ``n``, no segmentation, default settings) and its alignment table
is judged against the case's expectation by ``tests/align/collatex_suite.judge``, the judge
the test suite applies to proofbench. Prints both tools' totals side by side.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from proofbench.model import Alignment, Column, ColumnKind  # noqa: E402
from tests.align import collatex_suite as suite  # noqa: E402


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
    ours: Counter[str] = Counter()
    theirs: Counter[str] = Counter()
    for case in suite.load_cases():
        ours[suite.run(case).verdict] += 1
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
    print("CollateX:  ", ", ".join(f"{k} {theirs[k]}" for k in keys), f"of {sum(theirs.values())}")


if __name__ == "__main__":
    main()
