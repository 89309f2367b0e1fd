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

Two figures, because one LCS is one choice among many equally long ones:

* *same pairing*: the agreements of that one LCS that the columns show (the strict figure;
  an alignment that pairs ``and`` with the other ``and`` of ``Germany and conversely, and so``
  loses one here though it keeps as many agreements);
* *as many agreements*: for each gold paragraph and pair of editions, the agreements the
  columns show between the two paragraphs, at most the LCS's length, summed: what a scholar
  would align is a largest set of agreements, whichever of the equally long ones.

``-v`` prints, for each gold paragraph, how many agreements the second figure misses there
(summed over the pairs of editions), then the lost agreements of the first by kind: *islands* (a
lost single token whose neighbours on both sides are not matched by the LCS: mostly
``the``/``of``/``and`` that the LCS pairs across a reworded sentence, which a scholar would not
necessarily align) and *runs* (two or more consecutive tokens lost: the aligner's own losses),
with their context, and how many of the agreements the columns show join tokens of two
different gold paragraphs (not counted by either figure).

``--bounded`` measures the route of aligning within the paragraphs the editions share: each
gold paragraph's six (or fewer) texts are aligned alone, so that no word is paired across
paragraphs and the bound is the gold's own (the most a paragraph-bounded aligner could be
told), and the second figure is summed over the paragraphs.

``--kinds`` sorts the shortfall of the second figure by kind of word. For each gold paragraph
and pair of editions short of the LCS, it counts the LCS's pairs the columns lose and the other
equal pairs they show there instead, each by the word's Zipf frequency in wordfreq's English
table (``proofbench.text.lexicon.zipf``): *function* (Zipf 6 or more: once in a thousand words
or oftener, ``the``/``of``/``or``/``have``), *common* (5 to 6) and *rare* (below 5); it lists
the rare and common words lost, in context. Then it bounds what splitting a rewrite at its
equal words could add: in each pair of editions, the stretches of the pairwise view between two
agreements are matched by an exact LCS, and the equal pairs found there that the columns do not
show and that join tokens of one gold paragraph are counted (capped at each paragraph's
shortfall): agreements that could stand without a shown one lost. Both the LCS's lost pairs and
those inside the stretches are also split into *phrases* (a pair whose next or previous tokens
on both sides are a pair of the same set: two or more words in a row on both sides, listed with
their words by paragraph) and *islands* (the rest): a lost phrase is where a scholar would look
for an aligner's loss, a lost island is one common word that the LCS pairs across a rewording.
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

from proofbench.align import align, pairwise  # noqa: E402
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


def as_many(
    alignment_kept: set[Pair],
    witnesses: Sequence[Witness],
    groups: Sequence[Mapping[str, str]],
    short: dict[int, int] | None = None,
) -> tuple[int, int]:
    """(LCS lengths summed, agreements shown between the gold paragraphs, capped at them).

    Given ``short``, adds to it, for each gold paragraph (by index), how many agreements the
    columns show fewer than the LCS, summed over the pairs of editions.
    """
    by = {w.siglum: w for w in witnesses}
    lines = {w.siglum: line_tokens(w) for w in witnesses}
    shown: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for x, a, y, b in alignment_kept:
        shown.setdefault((x, y), []).append((a, b))
    total = kept = 0
    for number, group in enumerate(groups):
        found = {f"E{y}": best_line(lines[f"E{y}"], c) for y, c in group.items()}
        for x, y in combinations(sorted(found), 2):
            fx = [by[x].tokens[i].n for i in found[x]]
            fy = [by[y].tokens[j].n for j in found[y]]
            lcs = (len(fx) + len(fy) - Indel.distance(fx, fy)) // 2
            sx, sy = set(found[x]), set(found[y])
            here = sum(1 for a, b in shown.get((x, y), ()) if a in sx and b in sy)
            total += lcs
            kept += min(here, lcs)
            if short is not None and here < lcs:
                short[number] = short.get(number, 0) + lcs - here
    return total, kept


def print_lost(lost: set[Pair], gold: set[Pair], witnesses: Sequence[Witness]) -> None:
    """The lost agreements by kind (module doc), with a few words of context."""
    by = {w.siglum: w for w in witnesses}
    runs: list[tuple[str, list[int], str, list[int]]] = []
    for x, a, y, b in sorted(lost):
        if runs and runs[-1][0] == x and runs[-1][2] == y and a == runs[-1][1][-1] + 1:
            runs[-1][1].append(a)
            runs[-1][3].append(b)
        else:
            runs.append((x, [a], y, [b]))
    islands = [
        r
        for r in runs
        if len(r[1]) == 1
        and not {(r[0], r[1][0] - 1, r[2], r[3][0] - 1), (r[0], r[1][0] + 1, r[2], r[3][0] + 1)}
        & gold
    ]
    print(f"  lost: {len(lost)} agreements in {len(runs)} runs; islands {len(islands)}")
    for x, xs, y, ys in sorted(runs, key=lambda r: -len(r[1]))[:30]:
        tx, ty = by[x].tokens, by[y].tokens
        around = " ".join(t.t for t in tx[max(0, xs[0] - 5) : xs[-1] + 6])
        there = " ".join(t.t for t in ty[max(0, ys[0] - 5) : ys[-1] + 6])
        print(f"  {x}/{y} {len(xs)}: {around!r}\n      {there!r}")


def gold_paragraphs(
    witnesses: Sequence[Witness], groups: Sequence[Mapping[str, str]]
) -> dict[tuple[str, int], int]:
    """Each token of a gold paragraph (siglum, token index) -> the paragraph's number."""
    lines = {w.siglum: line_tokens(w) for w in witnesses}
    out: dict[tuple[str, int], int] = {}
    for number, group in enumerate(groups):
        for year, content in group.items():
            for i in best_line(lines[f"E{year}"], content):
                out[(f"E{year}", i)] = number
    return out


def cross_paragraph(shown: set[Pair], paragraph: Mapping[tuple[str, int], int]) -> int:
    """How many shown agreements join tokens of two different gold paragraphs (or none)."""
    return sum(1 for x, a, y, b in shown if paragraph.get((x, a), -1) != paragraph.get((y, b), -2))


def bounded(witnesses: Sequence[Witness], groups: Sequence[Mapping[str, str]]) -> tuple[int, int]:
    """(LCS lengths summed, agreements shown) with each gold paragraph aligned alone."""
    lines = {w.siglum: line_tokens(w) for w in witnesses}
    total = kept = 0
    for group in groups:
        texts: dict[str, str] = {}
        for year, content in group.items():
            found = lines[f"E{year}"][0]
            texts[year] = found[max(range(len(found)), key=lambda k: fuzz.ratio(found[k], content))]
        if len(texts) < 2:
            continue
        alone = [witness_from_text(f"E{year}", texts[year]) for year in sorted(texts)]
        lcs, many = as_many(kept_agreements(align(alone), alone), alone, [texts])
        total += lcs
        kept += many
    return total, kept


KINDS = ("function", "common", "rare")
"""The bins of ``--kinds``, by Zipf frequency: 6 or more, 5 to 6, below 5 (module doc)."""


def kind(word: str) -> str:
    """A token's kind for ``--kinds``: its word's Zipf bin (module doc)."""
    from proofbench.text.lexicon import core, zipf

    z = zipf(core(word))
    return KINDS[0] if z >= 6 else KINDS[1] if z >= 5 else KINDS[2]


def shortfalls(
    shown: set[Pair], witnesses: Sequence[Witness], groups: Sequence[Mapping[str, str]]
) -> dict[tuple[int, str, str], tuple[int, list[tuple[int, int]], list[tuple[int, int]]]]:
    """Per (gold paragraph, edition, edition) short of the LCS: (how many short, the LCS's
    pairs not shown, the other equal pairs shown there)."""
    by = {w.siglum: w for w in witnesses}
    lines = {w.siglum: line_tokens(w) for w in witnesses}
    out: dict[tuple[int, str, str], tuple[int, list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for number, group in enumerate(groups):
        found = {f"E{y}": best_line(lines[f"E{y}"], c) for y, c in group.items()}
        for x, y in combinations(sorted(found), 2):
            fx = [by[x].tokens[i].n for i in found[x]]
            fy = [by[y].tokens[j].n for j in found[y]]
            sx, sy = set(found[x]), set(found[y])
            here = {(a, b) for p, a, q, b in shown if p == x and q == y and a in sx and b in sy}
            lcs: set[tuple[int, int]] = set()
            for op in Indel.opcodes(fx, fy):
                if op.tag == "equal":
                    for d in range(op.src_end - op.src_start):
                        lcs.add((found[x][op.src_start + d], found[y][op.dest_start + d]))
            if len(here) < len(lcs):
                out[(number, x, y)] = (len(lcs) - len(here), sorted(lcs - here), sorted(here - lcs))
    return out


def within_stretches(
    alignment: Alignment,
    witnesses: Sequence[Witness],
    shown: set[Pair],
    paragraph: Mapping[tuple[str, int], int],
) -> dict[tuple[int, str, str], list[tuple[int, int]]]:
    """Per (gold paragraph, edition, edition): the equal pairs an exact LCS finds inside the
    pairwise view's stretches between agreements, not shown, within one gold paragraph."""
    by = {w.siglum: w for w in witnesses}
    out: dict[tuple[int, str, str], list[tuple[int, int]]] = {}
    for x, y in combinations(sorted(by), 2):
        sa: list[int] = []
        sb: list[int] = []
        for op in (*pairwise(alignment, witnesses, x, y), None):
            if op is not None and op.kind != "equal":
                sa.extend(op.a)
                sb.extend(op.b)
                continue
            fa = [by[x].tokens[i].n for i in sa]
            fb = [by[y].tokens[j].n for j in sb]
            for m in Indel.opcodes(fa, fb) if sa and sb else ():
                for d in range(m.src_end - m.src_start if m.tag == "equal" else 0):
                    a, b = sa[m.src_start + d], sb[m.dest_start + d]
                    number = paragraph.get((x, a), -1)
                    if number == paragraph.get((y, b), -2) and (x, a, y, b) not in shown:
                        out.setdefault((number, x, y), []).append((a, b))
            sa, sb = [], []
    return out


def phrases(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pairs of ``pairs`` whose next or previous tokens on both sides are a pair of it too
    (module doc: two or more words in a row on both sides), in order."""
    found = set(pairs)
    return [(a, b) for a, b in pairs if {(a - 1, b - 1), (a + 1, b + 1)} & found]


def print_phrases(
    label: str,
    per_key: Mapping[tuple[int, str, str], Sequence[tuple[int, int]]],
    witnesses: Sequence[Witness],
) -> None:
    """How many of the pairs per (paragraph, edition, edition) stand in phrases, with their
    words, and how many are islands (module doc)."""
    by = {w.siglum: w for w in witnesses}
    total = in_phrases = 0
    words: dict[tuple[int, tuple[str, ...]], list[str]] = {}
    for (number, x, y), pairs in sorted(per_key.items()):
        run = phrases(pairs)
        total += len(pairs)
        in_phrases += len(run)
        if run:
            # Each phrase's words, the phrases apart: ``in the`` / ``of the``.
            parts: list[list[str]] = []
            for k, (a, b) in enumerate(run):
                if not k or (a - 1, b - 1) != run[k - 1]:
                    parts.append([])
                parts[-1].append(by[x].tokens[a].t)
            text = tuple(" ".join(part) for part in parts)
            words.setdefault((number, text), []).append(f"{x[1:]}/{y[1:]}")
    print(f"  {label}: {total - in_phrases} islands, {in_phrases} in phrases")
    for (number, text), where in sorted(words.items()):
        listed = " / ".join(text)
        print(f"    p{number} {listed!r} ({len(where)} pairs of editions, {where[0]}...)")


def print_kinds(
    alignment: Alignment,
    shown: set[Pair],
    witnesses: Sequence[Witness],
    groups: Sequence[Mapping[str, str]],
) -> None:
    """The ``--kinds`` report (module doc)."""
    by = {w.siglum: w for w in witnesses}
    short = shortfalls(shown, witnesses, groups)
    lost = dict.fromkeys(KINDS, 0)
    instead = dict.fromkeys(KINDS, 0)
    words: dict[tuple[int, str, str, str], list[str]] = {}
    for (number, x, y), (_, gone, other) in sorted(short.items()):
        for a, b in gone:
            k = kind(by[x].tokens[a].t)
            lost[k] += 1
            if k != KINDS[0]:
                tx, ty = by[x].tokens, by[y].tokens
                place = (
                    number,
                    " ".join(t.t for t in tx[max(0, a - 4) : a + 4]),
                    " ".join(t.t for t in ty[max(0, b - 4) : b + 4]),
                    tx[a].t,
                )
                words.setdefault(place, []).append(f"{x[1:]}/{y[1:]}")
        for a, _ in other:
            instead[kind(by[x].tokens[a].t)] += 1
    print(f"  shortfall by kind ({sum(n for n, _, _ in short.values())} short):")
    for k in KINDS:
        print(f"    {k}: {lost[k]} of the LCS's pairs lost, {instead[k]} other pairs shown")
    for (number, here, there, word), pairs in sorted(words.items()):
        print(f"    p{number} {kind(word)} {word!r} ({len(pairs)} pairs, {pairs[0]}...)")
        print(f"        {here!r} | {there!r}")
    inside = within_stretches(alignment, witnesses, shown, gold_paragraphs(witnesses, groups))
    bound = dict.fromkeys(KINDS, 0)
    for key, (n, _, _) in short.items():
        x = key[1]
        for a, _ in inside.get(key, [])[:n]:
            bound[kind(by[x].tokens[a].t)] += 1
    print(
        "  equal pairs inside the pairwise stretches between agreements (a rewrite split at its"
        f" equal words), capped at each shortfall: {sum(bound.values())}, "
        + ", ".join(f"{k} {bound[k]}" for k in KINDS)
    )
    print_phrases(
        "the LCS's pairs lost there", {key: gone for key, (_, gone, _) in short.items()}, witnesses
    )
    print_phrases(
        "the equal pairs inside the stretches",
        {key: inside.get(key, [])[:n] for key, (n, _, _) in short.items()},
        witnesses,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print the lost by kind")
    parser.add_argument(
        "--bounded", action="store_true", help="also align each gold paragraph alone (module doc)"
    )
    parser.add_argument(
        "--kinds", action="store_true", help="the shortfall by kind of word (module doc)"
    )
    args = parser.parse_args()
    if not DARWIN.is_dir():
        sys.exit(f"{DARWIN} not found: this benchmark needs ../shared/corpora")
    witnesses, groups = load()
    gold = gold_agreements(witnesses, groups)
    cpu = time.process_time()
    alignment = align(witnesses)
    cpu = time.process_time() - cpu
    shown = kept_agreements(alignment, witnesses)
    kept = shown & gold
    short: dict[int, int] = {}
    total, many = as_many(shown, witnesses, groups, short)
    words = sum(len(w.text_tokens) for w in witnesses)
    print(f"editions: {len(witnesses)}, tokens: {words}, gold paragraphs: {len(groups)}")
    print(
        f"agreements: {len(gold)}, kept with the same pairing: {len(kept)}"
        f" ({100 * len(kept) / len(gold):.2f} %), as many agreements: {many} of {total}"
        f" ({100 * many / total:.3f} %, goal 99.9 %)"
    )
    print(f"align CPU: {cpu:.2f} s, load average: {os.getloadavg()[0]:.2f}")
    lost: dict[tuple[str, str], int] = {}
    for x, _, y, _ in gold - kept:
        lost[(x, y)] = lost.get((x, y), 0) + 1
    for (x, y), n in sorted(lost.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  lost {n} between {x} and {y}")
    crossing = cross_paragraph(shown, gold_paragraphs(witnesses, groups))
    print(f"  shown agreements joining two different gold paragraphs: {crossing}")
    if args.bounded:
        total_b, many_b = bounded(witnesses, groups)
        print(
            f"each gold paragraph aligned alone: as many agreements {many_b} of {total_b}"
            f" ({100 * many_b / total_b:.2f} %)"
        )
    if args.verbose:
        print("  short of as many, by gold paragraph (summed over its pairs of editions):")
        for number, n in sorted(short.items(), key=lambda kv: (-kv[1], kv[0])):
            opening = " ".join(next(iter(groups[number].values())).split()[:8])
            print(f"    paragraph {number}: {n} ({opening!r} ...)")
        print_lost(gold - kept, gold, witnesses)
    if args.kinds:
        print_kinds(alignment, shown, witnesses, groups)


if __name__ == "__main__":
    main()
