"""The classifier's product data: OCR shape confusions (scanno pairs are derived from them and the
lexicon at run time, ``classify.suspect.scanno_gain``) and the spelling variants VarCon and AGID
attest (``data/spelling-variants-en.tsv.gz``, built by ``scripts/build_variant_pairs.py``).

Input: the tab-separated files in ``proofbench/data/``; output: frozen tables. Lines starting with
``#`` are comments. The files are read once per process.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

R = TypeVar("R")
BySource = tuple[dict[str, tuple[R, ...]], tuple[int, ...]]

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=1)
def shape_confusions() -> frozenset[tuple[str, str]]:
    """Pairs of character strings an OCR engine confuses, both ways round."""
    pairs: set[tuple[str, str]] = set()
    for row in _rows("ocr-confusions.tsv"):
        if len(row) >= 2:
            pairs.add((row[0], row[1]))
            pairs.add((row[1], row[0]))
    return frozenset(pairs)


def by_source(pairs: Iterable[tuple[str, R]]) -> BySource[R]:
    """(source string, replacement) pairs indexed by their non-empty source, each source's
    replacements in the order given without repeats, with the lengths of the sources."""
    index: dict[str, dict[R, None]] = {}
    for a, b in pairs:
        if a:
            index.setdefault(a, {})[b] = None
    return {a: tuple(bs) for a, bs in index.items()}, tuple(sorted({len(a) for a in index}))


@lru_cache(maxsize=1)
def shape_index() -> BySource[str]:
    """The shape confusions indexed by their source string (``by_source``), for ``replacements``:
    the one index the reading choice's candidates and the single-witness check both walk."""
    return by_source(sorted(shape_confusions()))


def replacements(word: str, index: BySource[R]) -> Iterator[tuple[str, R, str]]:
    """(head, replacement, tail) for every source of ``index`` found in ``word``: the word is
    head + source + tail. Each place of the word is looked up for the sources that start there
    (a few dictionary lookups a letter rather than a search of the word for every source),
    each once: the lengths rise, so none past the word's end is looked up (its slice would be
    a shorter source, found already at its own length)."""
    table, lengths = index
    size = len(word)
    for start in range(size):
        for n in lengths:
            if start + n > size:
                break
            bs = table.get(word[start : start + n])
            if bs is not None:
                head, tail = word[:start], word[start + n :]
                for b in bs:
                    yield head, b, tail


@lru_cache(maxsize=1)
def confusion_counts() -> dict[tuple[str, str], tuple[int, int]]:
    """For each pair of ``shape_confusions``, in both directions, how often the true string was
    read as the other in ``scripts/build_confusions.py``'s counts and how often it stood in the
    ground truth so compared: ``(n, opportunities)``. Rows without counts are left out."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for row in _rows("ocr-confusions.tsv"):
        if len(row) >= 6:
            a, b, n_ab, n_ba, opp_a, opp_b = row[:6]
            out[(a, b)] = (int(n_ab), int(opp_a))
            out[(b, a)] = (int(n_ba), int(opp_b))
    return out


def _piece_counts(name: str) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for row in _rows(name):
        if len(row) >= 3:
            out[(row[0], row[1])] = int(row[2])
    return out


@lru_cache(maxsize=1)
def piece_counts() -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """How often each short piece ``(true, written)`` was made by an OCR engine
    (``ocr-pieces.tsv``, ``scripts/build_confusions.py``) and by people misspelling
    (``human-slips.tsv``, ``scripts/build_slips.py``): the two sides of the class rule's odds."""
    return _piece_counts("ocr-pieces.tsv"), _piece_counts("human-slips.tsv")


@lru_cache(maxsize=1)
def spelling_variants() -> frozenset[tuple[str, str]]:
    """Pairs of lower-case forms (letters and digits only) that VarCon or AGID attest as
    spellings of one word, both ways round (``toward``/``towards``, ``burned``/``burnt``)."""
    # one decompression and one split into fields, the pairs made by zip: a line at a time
    # through gzip's text reader took several times as long (0.07 against 0.02 s, 16k lines)
    text = gzip.decompress((DATA / "spelling-variants-en.tsv.gz").read_bytes()).decode("utf-8")
    rows = [line.split("\t", 2) for line in text.splitlines()]
    first = [row[0] for row in rows]
    second = [row[1] for row in rows]
    return frozenset(zip(first, second, strict=True)) | frozenset(zip(second, first, strict=True))
