"""Word bigram counts of English prose: how well a word fits between its neighbours, offline.

``bigrams()`` is the table of ``data/word-bigrams-en.npy.gz``, built by
``scripts/build_bigrams.py`` from Project Gutenberg novels and essays named in
``data/SOURCES.md`` (none of them a book the project evaluates on). ``units`` turns tokens into
the table's units (a lower-cased core; ``#`` for a number) and says which neighbours form a pair
(no sentence or clause mark between them); ``Bigrams.fit`` is the log probability of a word given
its left and right neighbours, Witten-Bell smoothed towards wordfreq's frequency of the word, so a
word the table never saw is judged by how common it is.
"""

from __future__ import annotations

import gzip
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from proofbench.text.lexicon import DATA, core, frequency_table

FILE = "word-bigrams-en.npy.gz"
NUMBER = "#"
_BREAK = re.compile(r"[.!?;:()\[\]\"“”—–]|--")
_DIGITS = re.compile(r"^[\d.,]*\d[\d.,]*$")
FLOOR = 1e-9
"""The unigram probability of a word wordfreq does not list (one per billion words, wordfreq's
own floor)."""


def unit(token: str) -> str:
    """The table's unit for a token: its core lower-cased, ``#`` for a number, ``""`` for a
    token without letters or digits."""
    c = core(token)
    if c.isalpha():  # most tokens: no digit, so no number (one test, not the pattern's)
        return c.lower()
    if not c:
        return ""
    return NUMBER if _DIGITS.match(c) else c.lower()


def breaks(token: str) -> tuple[bool, bool]:
    """Whether the token's tail (after its core) and its head (before its core) hold a
    sentence, clause or bracket mark, which breaks a pair with the neighbour on that side."""
    c = core(token)
    if not c:
        return True, True
    if len(c) == len(token):  # nothing beside the core (most tokens)
        return False, False
    at = token.find(c)
    return bool(_BREAK.search(token[at + len(c) :])), bool(_BREAK.search(token[:at]))


def joins(left: str, right: str) -> bool:
    """True if two neighbouring tokens form a pair: both have a unit and no sentence, clause or
    bracket mark stands between their cores (a comma or an apostrophe does not break a pair)."""
    if not core(left) or not core(right):
        return False
    return not breaks(left)[0] and not breaks(right)[1]


def count_pairs(texts: Iterable[Sequence[str]]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Unit counts and joined-pair counts over texts given as sequences of tokens."""
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    for toks in texts:
        us = [unit(t) for t in toks]
        uni.update(u for u in us if u)
        for k in range(len(toks) - 1):
            if us[k] and us[k + 1] and joins(toks[k], toks[k + 1]):
                bi[us[k], us[k + 1]] += 1
    return uni, bi


@dataclass(frozen=True, slots=True)
class Bigrams:
    """A vocabulary (unit -> id), each unit's count, the sorted pair keys ``a * V + b`` with
    their counts, for each unit how many distinct units follow it (Witten-Bell's T), and the
    mass it leaves to the unigram probability: T plus its count outside the stored pairs (the
    pairs pruned by the builder, the places a mark breaks the pair), so that a word whose
    pairs were all pruned is followed by words as common as wordfreq says, not by nothing."""

    vocab: dict[str, int]
    unigrams: np.ndarray
    keys: np.ndarray
    counts: np.ndarray
    followers: np.ndarray
    backoff: np.ndarray
    slots: np.ndarray
    """The pair keys in an open-addressing hash table (``-1`` for a free slot; ``hash_slot``
    gives a key's first slot, the next ones follow), so that a lookup reads one or two slots
    rather than the 18 steps of a binary search over 215,000 keys (``slot_counts``: the
    counts)."""
    slot_counts: np.ndarray

    @classmethod
    def of(
        cls, words: Sequence[str], unigrams: np.ndarray, keys: np.ndarray, counts: np.ndarray
    ) -> Bigrams:
        v = len(words)
        uni = unigrams.astype(np.float64)
        pair_counts = counts.astype(np.float64)  # for the sums below; the table keeps its own
        followers: np.ndarray = np.zeros(v)
        paired: np.ndarray = np.zeros(v)
        if v:
            followers = np.bincount(keys // v, minlength=v).astype(np.float64)
            paired = np.bincount(keys // v, weights=pair_counts, minlength=v)
        backoff = followers + np.clip(uni - paired, 0.0, None)
        vocab = {w: k for k, w in enumerate(words)}
        slots, slot_counts = _hashed(keys.astype(np.int64), counts, v)
        return cls(vocab, uni, keys, counts, followers, backoff, slots, slot_counts)

    def ids(self, units: Iterable[str]) -> np.ndarray:
        """Each unit's id, -1 if the table lacks it."""
        get = self.vocab.get
        return np.fromiter((get(u, -1) for u in units), dtype=np.int64)

    def pair_counts(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """How often unit id ``a`` is followed by ``b`` (0 where either is -1)."""
        out = np.zeros(len(a))
        ok = np.flatnonzero((a >= 0) & (b >= 0))
        if len(ok):
            out[ok] = self.lookup(a[ok] * len(self.vocab) + b[ok])
        return out

    def lookup(self, key: np.ndarray) -> np.ndarray:
        """The count of each pair key ``a * V + b`` (0 for a pair the table lacks)."""
        out = np.zeros(len(key))
        slots = self.slots
        if not len(key) or not len(slots):
            return out
        mask = len(slots) - 1
        pos = hash_slot(key, len(slots))
        active = np.arange(len(key))
        while len(active):
            found = slots[pos]
            hit = found == key[active]
            out[active[hit]] = self.slot_counts[pos[hit]]
            go_on = ~hit & (found >= 0)
            active = active[go_on]
            pos = (pos[go_on] + 1) & mask
        return out

    def conditional(self, a: np.ndarray, b: np.ndarray, p_b: np.ndarray) -> np.ndarray:
        """log P(b | a), Witten-Bell: ``(c(a,b) + B(a) p(b)) / (c(a) + T(a))``, where ``p_b`` is
        b's unigram probability and B(a) is T(a) plus a's count outside the stored pairs (the
        distribution then sums to one); log ``p_b`` where ``a`` is unknown (-1)."""
        known = a >= 0
        ai = np.where(known, a, 0)
        ca = np.where(known, self.unigrams[ai] if len(self.vocab) else 0.0, 0.0)
        t = np.where(known, self.followers[ai] if len(self.vocab) else 0.0, 0.0)
        back = np.where(known, self.backoff[ai] if len(self.vocab) else 0.0, 0.0)
        c = self.pair_counts(a, b)
        num = c + back * p_b
        den = ca + t
        out: np.ndarray = np.where(
            den > 0, np.log(np.maximum(num, 1e-300) / np.where(den > 0, den, 1)), np.log(p_b)
        )
        return out


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
"""Fibonacci hashing's multiplier (2^64 over the golden ratio): neighbouring keys, which pairs
of one word are, land far apart."""


def hash_slot(key: np.ndarray, size: int) -> np.ndarray:
    """The first slot of each key in a table of ``size`` slots (a power of two)."""
    bits = size.bit_length() - 1
    if bits == 0:
        return np.zeros(len(key), dtype=np.int64)
    h = (key.astype(np.uint64) * _GOLDEN) >> np.uint64(64 - bits)
    return h.astype(np.int64)


def _hashed(keys: np.ndarray, counts: np.ndarray, v: int) -> tuple[np.ndarray, np.ndarray]:
    """The keys placed by linear probing in a table of at least four times as many slots (a
    power of two), and their counts beside them. Taken in order of their first slot, each key
    goes to its first slot or the slot after the key before it, whichever is later: one
    running maximum places them all (a key is found from its first slot over occupied slots
    only, as linear probing needs); the few that run past the end go to the first free slots
    from the start, in turn. Keys of ``v`` units are stored in 32 bits where they fit, counts
    as 32-bit floats (exact below 2^24: 8 MB for the packaged table rather than 16). At most a
    quarter full, a pair the table lacks (most of those the check asks about) meets a free
    slot after 1.3 slots on average rather than 1.9 at half full: the check's lookups on War
    and Peace took 0.30 s of CPU rather than 0.39."""
    size = 1
    while size < 4 * len(keys):
        size *= 2
    slots = np.full(size, -1, dtype=np.int32 if v * v < 2**31 else np.int64)
    slot_counts = np.zeros(size, dtype=np.float32)
    if not len(keys):
        return slots, slot_counts
    first = hash_slot(keys, size)
    order = np.argsort(first, kind="stable")
    step = np.arange(len(keys))
    pos: np.ndarray = step + np.maximum.accumulate(first[order] - step)
    inside = pos < size
    slots[pos[inside]] = keys[order[inside]]
    slot_counts[pos[inside]] = counts[order[inside]]
    past = order[~inside].tolist()  # past the end: on from the start
    if past:
        free = np.flatnonzero(np.less(slots, 0))[: len(past)]
        slots[free] = keys[past]
        slot_counts[free] = counts[past]
    return slots, slot_counts


NUMBER_P = 1e-4
"""The unigram probability of a number (``#``)."""


def unigram_p(u: str) -> float:
    """wordfreq's frequency of a unit (a number counts as common as ``#`` would; FLOOR if
    wordfreq lacks the word)."""
    if u == NUMBER:
        return NUMBER_P
    return max(frequency_table().get(u, 0.0), FLOOR)


def unigram_ps(units: Iterable[str]) -> np.ndarray:
    """``unigram_p`` of each of ``units``, as an array: the table looked up in one loop and the
    floor and the number's probability put in over the array, rather than a call a unit (the
    packaged table's 25,788 units: 0.024 -> 0.016 s of CPU)."""
    units = list(units)
    get = frequency_table().get
    ps = np.array([get(u, 0.0) for u in units], dtype=np.float64)
    ps = np.maximum(ps, FLOOR)
    ps[[k for k, u in enumerate(units) if u == NUMBER]] = NUMBER_P
    return ps


def write(path: Path, words: Sequence[str], unigrams: np.ndarray, keys: np.ndarray,
          counts: np.ndarray) -> None:  # fmt: skip
    """Store the table as four ``.npy`` arrays in one gzip stream (no timestamp: the same
    counts give the same bytes), written atomically."""
    buf = io.BytesIO()
    np.save(buf, np.array("\n".join(words)), allow_pickle=False)
    np.save(buf, unigrams.astype(np.uint32), allow_pickle=False)
    np.save(buf, keys.astype(np.int64), allow_pickle=False)
    np.save(buf, counts.astype(np.uint32), allow_pickle=False)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(buf.getvalue())
    tmp.replace(path)


def read(path: Path) -> Bigrams:
    """The table stored by ``write``."""
    data = io.BytesIO(gzip.decompress(path.read_bytes()))
    words = str(np.load(data, allow_pickle=False)).split("\n")
    unigrams = np.load(data, allow_pickle=False)
    keys = np.load(data, allow_pickle=False)
    counts = np.load(data, allow_pickle=False)
    return Bigrams.of(words, unigrams, keys, counts)


@lru_cache(maxsize=1)
def bigrams() -> Bigrams:
    """The packaged table (read once)."""
    table: Bigrams = read(DATA / FILE)
    return table


def log_unigram(u: str) -> float:
    """log of ``unigram_p``."""
    return math.log(unigram_p(u))
