"""Share of the agreements between Darwin's six editions that the public columns keep.

Usage (from the repository root)::

    .venv/bin/python benchmarks/darwin_agreements.py

Data: ``../shared/corpora/darwin-origin-ch1``: chapter 1 of *On the Origin of Species* in the
six editions 1859-1872 (``txt/``, one paragraph a line) and the gold paragraph correspondence
of CollateX's Darwin demo (``paragraph-aligned/darwin_ch1_paragraphs.json``: which paragraph of
each edition is the same paragraph). See that folder's SOURCE.md.

What counts as an agreement: two tokens of two editions that a scholar would align. For each
gold paragraph and each pair of editions that have it, the tokens (proofbench's default
tokenization, compared by normalized form) of the two paragraphs are matched by one longest
common subsequence (rapidfuzz's exact LCS): every matched pair is an agreement. A gold
paragraph is found in each edition's text as the line most like it (rapidfuzz ratio).

What counts as kept: proofbench aligns the six whole chapters at once (as a user would, with
no paragraph hint); an agreement is kept when the two tokens stand in one column, in the same
place of two readings that are the same (so that the column shows them agreeing). A moved block
counts at either of its places.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DARWIN = ROOT / ".." / "shared" / "corpora" / "darwin-origin-ch1"
EDITIONS = ("1859", "1860", "1861", "1866", "1869", "1872")
sys.path.insert(0, str(ROOT))

from proofbench.align import align  # noqa: E402
from proofbench.model import Alignment, Witness  # noqa: E402
from proofbench.pipeline import witness_from_text  # noqa: E402

Pair = tuple[str, int, str, int]


def load() -> tuple[list[Witness], list[dict[str, str]]]:
    """The six editions as witnesses (sigla ``E1859``...) and the gold paragraphs."""
    witnesses = [
        witness_from_text(f"E{y}", (DARWIN / "txt" / f"darwin{y}.txt").read_text("utf-8"))
        for y in EDITIONS
    ]
    gold = json.loads((DARWIN / "paragraph-aligned" / "darwin_ch1_paragraphs.json").read_text())
    groups = [{str(w["id"]): str(w["content"]) for w in p["witnesses"]} for p in gold["paragraphs"]]
    return witnesses, groups


def line_tokens(witness: Witness) -> tuple[list[str], list[list[int]]]:
    """The witness's lines and, for each, the indices of its text tokens."""
    lines = witness.text.split("\n")
    starts: list[int] = []
    at = 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    tokens: list[list[int]] = [[] for _ in lines]
    for t in witness.text_tokens:
        tokens[bisect_right(starts, t.start) - 1].append(t.index)
    return lines, tokens


def best_line(lines: tuple[list[str], list[list[int]]], content: str) -> list[int]:
    """The token indices of the line most like a gold paragraph's content (rapidfuzz ratio)."""
    texts, tokens = lines
    best = max(range(len(texts)), key=lambda k: fuzz.ratio(texts[k], content))
    return tokens[best]


def gold_agreements(witnesses: Sequence[Witness], groups: Sequence[Mapping[str, str]]) -> set[Pair]:
    """The agreements of every pair of editions, paragraph by gold paragraph (module doc)."""
    by = {w.siglum: w for w in witnesses}
    lines = {w.siglum: line_tokens(w) for w in witnesses}
    out: set[Pair] = set()
    for group in groups:
        found: dict[str, list[int]] = {}
        for year, content in group.items():
            found[f"E{year}"] = best_line(lines[f"E{year}"], content)
        for x, y in combinations(sorted(found), 2):
            fx = [by[x].tokens[i].n for i in found[x]]
            fy = [by[y].tokens[j].n for j in found[y]]
            for op in Indel.opcodes(fx, fy):
                if op.tag == "equal":
                    for d in range(op.src_end - op.src_start):
                        out.add((x, found[x][op.src_start + d], y, found[y][op.dest_start + d]))
    return out


def kept_agreements(alignment: Alignment, witnesses: Sequence[Witness]) -> set[Pair]:
    """The pairs of tokens the columns show agreeing (same reading, same place in it)."""
    forms = {w.siglum: w.tokens for w in witnesses}
    sigla = sorted(forms)
    out: set[Pair] = set()
    for column in alignment.columns:
        readings = {s: column.readings.get(s, ()) for s in sigla}
        for x, y in combinations(sigla, 2):
            rx, ry = readings[x], readings[y]
            same = rx and len(rx) == len(ry)
            if same and all(forms[x][a].n == forms[y][b].n for a, b in zip(rx, ry, strict=True)):
                out.update((x, a, y, b) for a, b in zip(rx, ry, strict=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    if not DARWIN.is_dir():
        sys.exit(f"{DARWIN} not found: this benchmark needs ../shared/corpora")
    witnesses, groups = load()
    gold = gold_agreements(witnesses, groups)
    cpu = time.process_time()
    alignment = align(witnesses)
    cpu = time.process_time() - cpu
    kept = kept_agreements(alignment, witnesses) & gold
    words = sum(len(w.text_tokens) for w in witnesses)
    print(f"editions: {len(witnesses)}, tokens: {words}, gold paragraphs: {len(groups)}")
    print(f"agreements: {len(gold)}, kept: {len(kept)} ({100 * len(kept) / len(gold):.2f} %)")
    print(f"align CPU: {cpu:.2f} s, load average: {os.getloadavg()[0]:.2f}")
    lost: dict[tuple[str, str], int] = {}
    for x, _, y, _ in gold - kept:
        lost[(x, y)] = lost.get((x, y), 0) + 1
    for (x, y), n in sorted(lost.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  lost {n} between {x} and {y}")


if __name__ == "__main__":
    main()
