"""How well a reading fits its neighbours in English prose at large, not only in this text.

Input: a reading's words and the words just before and after it; output: the sum, over the
word pairs the reading makes with its neighbours and within itself, of their pointwise mutual
information in the packaged bigram table of Project Gutenberg prose (``text/bigrams.py``,
Witten-Bell smoothed; its sources are in ``data/SOURCES.md``):

    PMI(a, b) = log P(b | a) - log P(b)

A pair that prose writes often (``that he``, ``would be``) scores above zero, one it avoids
(``that be``, ``would he a``) below; a word the table never saw falls back on its frequency and
scores near zero, so the evidence says how the neighbours predict a word *beyond* how common it
is (that is the frequencies' own evidence, ``zipf_gap``). Two dictionary words one OCR
confusion apart (``he``/``be``, ``then``/``the``) are told apart here, where the collation's own
neighbour counts (``context.TextStats.fit``) are too thin in a text of a few thousand words.
A pair broken by a sentence, clause or bracket mark (``bigrams.joins``) adds nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from proofbench.text.bigrams import NUMBER, bigrams, joins, unigram_p, unit


def pair_pmi(left: str, right: str) -> float:
    """The PMI of two neighbouring tokens (0 where a mark breaks the pair or one has no
    letters or digits)."""
    return prose_fits(None, [[left, right]], None)[0]


def prose_fit(before: str | None, words: Sequence[str], after: str | None) -> float:
    """The summed PMI of the pairs ``before`` + ``words`` + ``after`` make, in order (the
    neighbours left out where the reading stands at the text's edge)."""
    return prose_fits(before, [words], after)[0]


def prose_fits(
    before: str | None, readings: Sequence[Sequence[str]], after: str | None
) -> list[float]:
    """``prose_fit`` of each reading (given as its words) between the same neighbours, the
    pairs of all of them looked up in the table at once (a place's few pairs one by one cost
    more in array set-up than in lookups)."""
    table = bigrams()
    vocab = table.vocab
    owner: list[int] = []
    ids_a: list[int] = []
    ids_b: list[int] = []
    p_b: list[float] = []
    for k, words in enumerate(readings):
        toks = [*([before] if before else []), *words, *([after] if after else [])]
        for left, right in itertools.pairwise(toks):
            a, b = unit(left), unit(right)
            if a and b and joins(left, right):
                owner.append(k)
                ids_a.append(vocab.get(a, -1))
                ids_b.append(vocab.get(b, -1))
                p_b.append(unigram_p(b))
    out = [0.0] * len(readings)
    if owner:
        pb = np.array(p_b)
        pmi = table.conditional(np.array(ids_a), np.array(ids_b), pb) - np.log(pb)
        for k, v in zip(owner, pmi.tolist(), strict=True):
            out[k] += v
    return out


def comparable(readings: Sequence[str]) -> bool:
    """Whether the readings of a place can be compared by ``prose_fit``: all of as many words,
    not all of the same words (a difference in marks alone changes only where pairs break,
    which says nothing of the words), and every word a unit of the table. A word the table
    lacks is followed and preceded as its frequency alone says, a PMI of about nothing, where
    a word it knows may score below zero beside neighbours prose rarely gives it: a garble
    would outscore the word it garbles (the lexicon's evidence speaks of such words)."""
    units = [_units(r) for r in readings]
    if len({len(us) for us in units}) != 1 or not units[0]:
        return False
    if len(set(units)) < 2:
        return False
    return all(_in_table(us) for us in units)


@lru_cache(maxsize=1 << 10)
def _units(reading: str) -> tuple[str, ...]:
    """The table's unit of each word of a reading (remembered: a collation's readings recur)."""
    return tuple(unit(x) for x in reading.split())


@lru_cache(maxsize=1 << 10)
def _in_table(units: tuple[str, ...]) -> bool:
    """Whether every unit (of those that are one) is in the table or a number."""
    vocab = bigrams().vocab
    return all(u in vocab or u == NUMBER for u in units if u)


def spaced_alike(readings: Sequence[str]) -> bool:
    """Whether the readings differ only in where they space or hyphenate the same letters
    (``seventy eighth``, ``seventy-eighth``), each word of a spaced one a unit of the table:
    then ``prose_fit`` of a reading alone (its inner pairs) says whether prose writes those
    words side by side (``of the``) or rarely does (``flower garden``, which it writes as one
    word), and a joined reading's is 0."""
    squashed = {r.replace(" ", "").replace("-", "") for r in readings}
    if len(squashed) != 1 or len(set(readings)) < 2 or not next(iter(squashed)):
        return False
    vocab = bigrams().vocab
    return all(
        u in vocab for r in readings if len(r.split()) > 1 for u in map(unit, r.split()) if u
    )
