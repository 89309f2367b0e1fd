"""Build proofbench's OCR confusion table by counting OCR output against its ground truth.

    python3 scripts/build_confusions.py [--corpora DIR] [--out FILE] [--engine NAME ...]

Reads two sets of ``../shared/corpora`` (or ``--corpora``), neither of them evaluation data (not
ICDAR 2017, not ``../shared/eval``):

- ``old-books-ocr-gt``: 322 pages of ten public-domain books, 1823-1920, with the Project
  Gutenberg text as ground truth (``groundtruth/<page>.txt``) and Tesseract's output
  (``ocr-tesseract-minimum/`` and ``ocr-tesseract-otsu/<page>.tess.txt``: Tesseract of 2017 on
  two binarisations; ``ocr-tesseract5-derived/<page>.txt``: Tesseract 5.3 on 20 of the pages).
  OCRopus 0.4's hOCR (``ocr-ocropus-minimum-hocr/``) only with ``--engine ocropus``: see
  ``DEFAULT_ENGINES``.
- ``overproof-newspapers``: the even-numbered articles of overProof's datasets 2 and 3
  (newspaper OCR against its human correction), the half ``benchmarks/fit_judgement.py`` trains
  the reading choice on; the odd half stays unseen for measuring.

For each page, each OCR's line-end hyphens are joined, both texts are split into words at white
space and normalized as the classifier sees them (``text.normalize``'s default profile: quotes,
dashes, ligatures and long s compared away), the word sequences are aligned (rapidfuzz's
Levenshtein opcodes), and each OCR word that stands one for one against a ground-truth word is
compared with it character by character: the differing pieces are ``classify.forms.char_blocks``,
the very pieces the classifier looks up (``("m", "rn")``: truth ``m`` read ``rn``). A piece of at
most two characters a side is counted (1:1, 1:2, 2:1, 2:2, and a mark or letter lost or added,
1:0 and 0:1: ``(",", "")``); so is each string's *opportunity*, the times it occurs in the
ground-truth words so compared. The engines' readings of one page are not independent (two
binarisations of one scan misread one word alike), so a piece is counted once per ground-truth
word however many engines make it.

The cut-off is a test on those counts, not a typed count. The classifier reads the table either
way round, so the test is on the unordered pair: ``k = n(a -> b) + n(b -> a)`` is kept where it is
greater than chance would give if the OCR's misreadings went to each OCR string in proportion to
how often that string is produced by any misreading (independence of the true and the OCR side,
as in a test of association in a contingency table): the exact binomial tail ``P(X >= k)``, ``X ~
Binomial(m, e / m)`` with ``m`` the misreadings of ``a`` and of ``b`` and ``e = (m_a t_b + m_b
t_a) / total`` the count independence expects (``t``: the times a string is produced), is below
5 % divided by the number of pairs tested (Bonferroni: a family-wise level of 5 %).

The output (``proofbench/data/ocr-confusions.tsv``) keeps the old format, ``A<TAB>B`` first,
then ``n_ab`` (truth A read B), ``n_ba``, ``opp_a`` (A's opportunities), ``opp_b``: old readers
take the first two columns. Sorted; no timestamp, so the same corpus gives the same bytes.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from proofbench.classify.forms import char_blocks
from proofbench.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
OUT = ROOT / "proofbench" / "data" / "ocr-confusions.tsv"
PIECES = "ocr-pieces.tsv"
"""Written beside ``--out``: every piece counted, with its count, kept by the test or not."""
ENGINES = {
    "tesseract-minimum": ("ocr-tesseract-minimum", ".tess.txt"),
    "tesseract-otsu": ("ocr-tesseract-otsu", ".tess.txt"),
    "tesseract5": ("ocr-tesseract5-derived", ".txt"),
    "ocropus": ("ocr-ocropus-minimum-hocr", ".ocropus.html"),
}
DEFAULT_ENGINES = ("tesseract-minimum", "tesseract-otsu", "tesseract5")
"""OCRopus 0.4 (2010, its default model) is left out unless asked for: its habits are its own
(it reads ``a`` as ``n`` 736 times on these pages, more than Tesseract's commonest confusion
100 times over) and no user of proofbench is likely to run it."""
LONGEST = 2
"""Pieces of at most this many characters a side: the 1:1, 1:2 and 2:1 confusions of shape."""
ALPHA = 0.05
_LINE_HYPHEN = re.compile(r"(\w)-[ \t]*\n[ \t]*(\w)")

Pair = tuple[str, str]


@dataclass
class Counts:
    """Pieces counted between OCR words and their ground truth, with their opportunities."""

    pairs: Counter[Pair] = field(default_factory=Counter)
    opportunities: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    words: int = 0
    compared: int = 0

    def add_page(self, truth: str, ocrs: Iterable[str]) -> None:
        """Count one page's ground truth against each engine's reading of it.

        Two engines (or two binarisations) misreading the same word the same way are one
        observation, not two: a piece is counted once per ground-truth word, and so is each
        word's share of opportunities."""
        t = words(truth, ocr=False)
        self.pages += 1
        self.words += len(t)
        seen: set[tuple[int, str, str]] = set()
        compared: set[int] = set()
        for ocr in ocrs:
            for i, b in aligned_words(t, words(ocr, ocr=True)):
                compared.add(i)
                if t[i] != b:
                    seen.update((i, x, y) for x, y in char_blocks(t[i], b) if _counted(x, y))
        self.compared += len(compared)
        self.pairs.update((x, y) for _, x, y in seen)
        self.opportunities[""] += len(compared)  # a word has one place for a mark to slip in
        for i in compared:
            w = t[i]
            for n in range(1, LONGEST + 1):
                self.opportunities.update(w[j : j + n] for j in range(len(w) - n + 1))


def _counted(a: str, b: str) -> bool:
    return len(a) <= LONGEST and len(b) <= LONGEST and bool(a or b)


def words(text: str, *, ocr: bool) -> list[str]:
    """The words of a page at white space, normalized by the default profile (an OCR's line-end
    hyphens joined first)."""
    if ocr:
        text = _LINE_HYPHEN.sub(r"\1\2", text)
    return [normalize(w)[0] for w in text.split()]


def aligned_words(truth: list[str], ocr: list[str]) -> Iterator[tuple[int, str]]:
    """The index of each ground-truth word that an OCR word stands for one for one, with it."""
    for op in Levenshtein.opcodes(truth, ocr):
        if op.tag == "equal" or (
            op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start
        ):
            yield from zip(
                range(op.src_start, op.src_end), ocr[op.dest_start : op.dest_end], strict=True
            )


def count_pages(pages: Iterable[tuple[str, list[str]]]) -> Counts:
    """Counts over pages, each its ground truth and the engines' readings of it."""
    counts = Counts()
    for gt, ocrs in pages:
        counts.add_page(gt, ocrs)
    return counts


def binomial_tail(k: int, n: int, p: float) -> float:
    """``P(X >= k)`` for ``X ~ Binomial(n, p)``, summed exactly in log space."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    lp, lq = math.log(p), math.log1p(-p)
    logs = [
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq
        for i in range(k, n + 1)
    ]
    top = max(logs)
    return min(1.0, math.exp(top) * math.fsum(math.exp(v - top) for v in logs))


def significant(pairs: Counter[Pair], alpha: float = ALPHA) -> set[Pair]:
    """The unordered pairs ``(a, b)``, ``a < b``, read more often than chance: see the module
    docstring."""
    by_source: Counter[str] = Counter()
    by_target: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        by_source[a] += n
        by_target[b] += n
    total = sum(pairs.values())
    unordered = {tuple(sorted(p)) for p in pairs}
    if not total:
        return set()
    level = alpha / len(unordered)
    kept = set()
    for a, b in unordered:
        trials = by_source[a] + by_source[b] if a != b else by_source[a]
        chance = (by_source[a] * by_target[b] + by_source[b] * by_target[a]) / total
        if binomial_tail(pairs[(a, b)] + pairs[(b, a)], trials, chance / trials) < level:
            kept.add((a, b))
    return kept


def table(counts: Counts, kept: set[Pair]) -> list[tuple[str, str, int, int, int, int]]:
    """One row per unordered pair kept, ``a < b``, sorted."""
    return [
        (a, b, counts.pairs[(a, b)], counts.pairs[(b, a)],
         counts.opportunities[a], counts.opportunities[b])
        for a, b in sorted(kept)
    ]  # fmt: skip


def read_corpus(
    corpus: Path, engines: tuple[str, ...] = DEFAULT_ENGINES
) -> tuple[list[tuple[str, list[str]]], Counter[str]]:
    """Each page's ground truth with the engines' readings of it, and pages read per engine."""
    pages: dict[str, tuple[str, list[str]]] = {}
    per_engine: Counter[str] = Counter()
    for gt in sorted((corpus / "groundtruth").glob("*.txt")):
        pages[gt.stem] = (gt.read_text(encoding="utf-8"), [])
    for engine in engines:
        folder, suffix = ENGINES[engine]
        for ocr in sorted((corpus / folder).glob(f"*{suffix}")):
            page = pages.get(ocr.name[: -len(suffix)])
            if page is not None:
                page[1].append(hocr_text(ocr.read_bytes()) if suffix.endswith(".html") else
                               ocr.read_text(encoding="utf-8"))  # fmt: skip
                per_engine[engine] += 1
    return [p for p in pages.values() if p[1]], per_engine


def overproof_pages(corpus: Path) -> list[tuple[str, list[str]]]:
    """The even-numbered articles of overProof's datasets 2 and 3 (counted 1, 2, ... over the
    files in name order), each its human ground truth and its OCR: the half the reading choice
    is fitted on (``benchmarks/fit_judgement.py``, ``overproof_places(0)``); the odd half is
    left for measuring."""
    out = []
    n = 0
    for path in sorted(corpus.glob("dataset*_allArticles.txt")):
        articles: list[tuple[list[str], list[str]]] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("*$*OVERPROOF*$*"):
                articles.append(([], []))
                continue
            parts = line.split("||@@||")
            if len(parts) == 3 and articles:
                articles[-1][0].append(parts[0])
                articles[-1][1].append(parts[1])
        for ocr, gt in articles:
            if not ocr:
                continue
            n += 1
            if n % 2 == 0:
                out.append(("\n".join(gt), ["\n".join(ocr)]))
    return out


def hocr_text(data: bytes) -> str:
    """The text of an hOCR file's ``ocr_line`` elements, a line each, in document order."""
    from lxml import html

    tree = html.fromstring(data)
    return "\n".join(" ".join(e.text_content().split()) for e in tree.find_class("ocr_line"))


def render(rows: Sequence[tuple[str | int, ...]], header: list[str]) -> str:
    """The file's text: ``#`` comment lines, then one tab-separated row a pair."""
    lines = [f"# {h}" if h else "#" for h in header]
    lines += ["\t".join(str(c) for c in r) for r in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Count, test and write the table; exit 2 if the corpus is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default=str(CORPORA), help="the folder of ../shared/corpora")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument(
        "--engine", action="append", choices=sorted(ENGINES), default=None,
        help=f"old-books engines to count (default: {', '.join(DEFAULT_ENGINES)})",
    )  # fmt: skip
    args = parser.parse_args()
    old_books = Path(args.corpora) / "old-books-ocr-gt"
    overproof = Path(args.corpora) / "overproof-newspapers"
    if not (old_books / "groundtruth").is_dir() or not overproof.is_dir():
        print(f"{args.corpora}: no old-books-ocr-gt/groundtruth or overproof-newspapers folder",
              file=sys.stderr)  # fmt: skip
        return 2
    pages, per_engine = read_corpus(old_books, tuple(args.engine or DEFAULT_ENGINES))
    articles = overproof_pages(overproof)
    counts = count_pages([*pages, *articles])
    kept = significant(counts.pairs)
    rows = table(counts, kept)
    header = [
        "Character confusions of OCR engines, counted against ground truth:",
        "built by scripts/build_confusions.py from old-books-ocr-gt (Tesseract against the",
        "Project Gutenberg text) and the even half of overProof's newspaper articles (OCR",
        "against its human correction); see proofbench/data/SOURCES.md. Do not edit by hand.",
        f"Read: {', '.join(f'{e} {n} pages' for e, n in per_engine.items())}; overProof",
        f"{len(articles)} articles; {counts.pages} pages or articles, {counts.compared:,} of",
        f"{counts.words:,} ground-truth words compared one for one;",
        f"{sum(counts.pairs.values()):,} pieces of {len(counts.pairs):,} kinds (once a word);",
        f"kept {len(kept):,} pairs read more often than chance (exact binomial tail, Bonferroni",
        "5 %), written once a pair (both directions' counts), read either way.",
        "",
        "A\tB\tn_ab (truth A read B)\tn_ba\topportunities of A\topportunities of B",
    ]
    out = Path(args.out)
    _write(out, render(rows, header))
    pieces = out.with_name(PIECES)
    every = [(a, b, n) for (a, b), n in sorted(counts.pairs.items())]
    _write(pieces, render(every, [
        "Every piece counted by scripts/build_confusions.py (see ocr-confusions.tsv's header),",
        "kept or not: the OCR side of classify/classes.py's odds of an OCR confusion against a",
        "human slip. A<TAB>B<TAB>n: truth A read B n times (once a ground-truth word).",
    ]))  # fmt: skip
    print(
        f"{len(rows)} pairs of {len(counts.pairs)} kinds written to {out}, every piece to {pieces}"
    )
    return 0


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
