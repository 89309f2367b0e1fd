"""False alarms of the single-witness checks on clean public-domain books.

Runs ``proofbench.classify.check`` over each clean book of ``../shared/corpora`` (the current
Project Gutenberg releases, read the way ``proofbench check FILE`` reads them: the whole file is
text) and prints flags per 1,000 words, overall and per check. Every flag on these proofread
texts counts as a false alarm (an upper bound: a few may be real residual slips).

    .venv/bin/python benchmarks/false_alarms.py [--show N] [--per-1000 R]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from proofbench.classify import check
from proofbench.pipeline import load_witnesses, single_file_manifest

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"
BOOKS = (
    "a-tale-of-two-cities/pg98-a-tale-of-two-cities.txt",
    "gutenberg-revisions/frankenstein-pg84/84-0.txt",
    "gutenberg-revisions/moby-dick-pg2701/2701-0.txt",
    "gutenberg-revisions/war-and-peace-pg2600/2600-0.txt",
)


def main() -> int:
    """Measure and print; exit 0 (a measurement, not a test)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print up to N flags per book")
    parser.add_argument(
        "--per-1000",
        type=float,
        default=None,
        help="also flag the words likeliest to be wrong, this many per 1,000 words",
    )
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"skipped: no corpora at {CORPORA.resolve()}", file=sys.stderr)
        return 0
    total_words = total_flags = 0
    print(f"{'book':<48} {'words':>8} {'flags':>6} {'per 1k':>7} {'secs':>6}  by check")
    for rel in BOOKS:
        path = CORPORA / rel
        if not path.is_file():
            print(f"{rel}: missing, skipped", file=sys.stderr)
            continue
        witness = load_witnesses(single_file_manifest(str(path)))[0]
        t0 = time.perf_counter()
        flags = check(witness, per_thousand=args.per_1000)
        secs = time.perf_counter() - t0
        spans = {(f.start, f.end) for f in flags}
        words = len(witness.text_tokens)
        by = Counter(f.check for f in flags)
        total_words += words
        total_flags += len(spans)
        rate = 1000 * len(spans) / words
        detail = ", ".join(f"{k} {v}" for k, v in by.most_common())
        print(f"{rel:<48} {words:>8} {len(spans):>6} {rate:>7.3f} {secs:>6.1f}  {detail}")
        for f in flags[: args.show]:
            ctx = witness.text[max(0, f.start - 30) : f.end + 30].replace("\n", " ")
            print(f"    {f.check:<14} {f.text!r:<24} -> {f.suggestion!r}  …{ctx}…")
    if total_words:
        print(
            f"{'all':<48} {total_words:>8} {total_flags:>6} "
            f"{1000 * total_flags / total_words:>7.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
