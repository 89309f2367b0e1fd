"""Build the human side of the class rule's odds: the pieces of real spelling slips.

    python3 scripts/build_slips.py REPO [--commit 57c5e31] [--out FILE]

``REPO`` is a git checkout of https://github.com/lgtmhq/lgtm-queries (Semmle's LGTM queries);
the data were built from commit 57c5e31fad881911cd4989128b7f560e9d4e2abf (2018-01-24), file
``javascript/Expressions/TypoDatabase.qll``, read with ``git -C REPO show COMMIT:PATH``: 4,510
pairs ``wrong = "..." and right = "..."`` generated from Wikipedia's "Lists of common
misspellings/For machines" (CC BY-SA 3.0, as the file says), misspellings people made in
Wikipedia's articles.

Each pair is compared as ``scripts/build_confusions.py`` compares an OCR word with its ground
truth: the differing pieces of ``classify.forms.char_blocks(right, wrong)`` of at most two
characters a side, counted. Writes ``proofbench/data/human-slips.tsv`` (``A<TAB>B<TAB>n``: A
written B n times; sorted, no timestamp). Exit status 2 if git cannot read the file.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from proofbench.classify.forms import char_blocks

COMMIT = "57c5e31fad881911cd4989128b7f560e9d4e2abf"
PATH = "javascript/Expressions/TypoDatabase.qll"
OUT = Path(__file__).resolve().parents[1] / "proofbench" / "data" / "human-slips.tsv"
LONGEST = 2
_PAIR = re.compile(r'wrong = "([^"]*)" and right = "([^"]*)"')


def slips(text: str) -> list[tuple[str, str]]:
    """The (right, wrong) pairs of the query file's text."""
    return [(right, wrong) for wrong, right in _PAIR.findall(text)]


def count(pairs: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """The short differing pieces of each (right, wrong) pair, counted."""
    out: Counter[tuple[str, str]] = Counter()
    for right, wrong in pairs:
        for a, b in char_blocks(right, wrong):
            if len(a) <= LONGEST and len(b) <= LONGEST and (a or b):
                out[(a, b)] += 1
    return out


def main() -> int:
    """Count and write; exit 2 if the checkout lacks the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a git checkout of https://github.com/lgtmhq/lgtm-queries")
    parser.add_argument("--commit", default=COMMIT)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    done = subprocess.run(
        ["git", "-C", args.repo, "show", f"{args.commit}:{PATH}"], capture_output=True, check=False
    )
    if done.returncode:
        print(f"{args.repo}: git show {args.commit}:{PATH}: {done.stderr.decode().strip()}",
              file=sys.stderr)  # fmt: skip
        return 2
    pairs = slips(done.stdout.decode("utf-8"))
    counts = count(pairs)
    lines = [
        "# Pieces of human spelling slips: built by scripts/build_slips.py from Wikipedia's",
        f"# list of common misspellings ({len(pairs):,} pairs; CC BY-SA 3.0) as copied in",
        f"# lgtmhq/lgtm-queries {args.commit[:7]}; see proofbench/data/SOURCES.md.",
        "# A<TAB>B<TAB>n: A written B n times.",
        *(f"{a}\t{b}\t{n}" for (a, b), n in sorted(counts.items())),
    ]
    out = Path(args.out)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"{sum(counts.values())} pieces of {len(counts)} kinds from {len(pairs)} pairs: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
