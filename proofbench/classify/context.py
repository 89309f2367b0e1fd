"""The collation's own language: how often its witnesses use a word, and a word beside another.

Input: the witnesses of one collation; output: a ``TextStats`` that counts every word (its
lower-cased core) and every pair of neighbouring words over all witnesses' text, so that a reading
can be asked how often the text uses it elsewhere (a name used twenty times is a word of this
text; an OCR garble occurs once), how well it fits its neighbours (``of the`` occurs a hundred
times, ``of tho`` once) and whether it is spelt as the text spells (British or American, by
breame's lists). Counts at the place being weighed are taken out by the caller.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

import numpy as np
from breame.spelling import american_spelling_exists, british_spelling_exists

from proofbench.model import Token, Tokens, Witness, token_readings
from proofbench.text.lexicon import core


def _british(word: str) -> bool:
    """A British form with a different American one (``colour``; not ``burnt``, both)."""
    return british_spelling_exists(word) and not american_spelling_exists(word)


def _american(word: str) -> bool:
    return american_spelling_exists(word) and not british_spelling_exists(word)


@lru_cache(maxsize=1 << 16)
def _side(k: str) -> int:
    """1 for a British form (``_british``), -1 for an American one, else 0; kept per counted
    form, since weighing asks of the same few words at place after place (at 3 x 1M words
    188k words asked of breame twice each, 1.9 s of a profiled run, for the forms of 48k
    places)."""
    return 1 if _british(k) else -1 if _american(k) else 0


@lru_cache(maxsize=1 << 17)
def key(token_text: str) -> str:
    """The counted form of a word: its core, lower-cased."""
    return core(token_text).lower()


_HASH = 2654435769
"""Knuth's multiplier (2**32 over the golden ratio): a pair's code times it, modulo 2**32, and
its top bits are the pair's first slot (Fibonacci hashing: neighbouring codes, a form and its
many followers, land far apart)."""


class Pairs(Mapping[tuple[str, str], int]):
    """How often each pair of counted forms stands side by side, as a ``Counter`` answers (0
    for a pair never seen), kept as numbers: the forms numbered, a pair by its two numbers, the
    counts in a hash table of two arrays (open addressing, linear probing, at most half full).

    Not a dict of the pairs' codes: held through the weighing, at 3 x 1M words its 402,535
    pairs were 32 MiB of the command's peak, the arrays 12 MiB (``tracemalloc``: the counts
    20.3 MiB less), built in the same CPU (``TextStats.of`` 1.5-1.6 s either way, medians of
    four), a lookup by two forms 0.8 against 0.5-0.7 us (200k pairs of that text)."""

    __slots__ = ("_counts", "_forms", "_ids", "_keys", "_mask", "_shift", "_size")

    def __init__(self, ids: Mapping[str, int], codes: np.ndarray, counts: np.ndarray) -> None:
        """``codes``: each pair's ``first * len(ids) + second``, distinct; ``counts``: its
        count."""
        self._ids = ids
        """Each form's number."""
        self._size = len(codes)
        bits = max(1, (2 * len(codes)).bit_length())
        self._mask = (1 << bits) - 1
        self._shift = 32 - bits if bits < 32 else 0
        keys = np.full(1 << bits, -1, np.int64)
        table = np.zeros(1 << bits, np.int32)  # a count is below the tokens' number
        slot = self._slots(np.asarray(codes, np.int64))
        pending = np.arange(len(codes))
        while pending.size:  # each round, the first pair asking for a free slot takes it
            at, first = np.unique(slot[pending], return_index=True)
            free = keys[at] < 0
            taken = pending[first[free]]
            keys[at[free]] = codes[taken]
            table[at[free]] = counts[taken]
            left = np.ones(len(pending), bool)
            left[first[free]] = False
            pending = pending[left]
            slot[pending] = (slot[pending] + 1) & self._mask
        self._keys = keys.data  # read item by item as Python ints, without a copy
        self._counts = table.data
        self._forms: list[str] = []

    def _slots(self, codes: np.ndarray) -> np.ndarray:
        """The first slot of each code (``__getitem__`` finds a code's the same way)."""
        h = (codes.astype(np.uint64) * np.uint64(_HASH)) & np.uint64(0xFFFFFFFF)
        return ((h >> np.uint64(self._shift)) & np.uint64(self._mask)).astype(np.int64)

    def __getitem__(self, pair: tuple[str, str]) -> int:
        a, b = self._ids.get(pair[0]), self._ids.get(pair[1])
        if a is None or b is None:
            return 0
        code = a * len(self._ids) + b
        keys = self._keys
        at = (((code * _HASH) & 0xFFFFFFFF) >> self._shift) & self._mask  # as ``_slots``
        while True:
            got = keys[at]
            if got == code:
                return self._counts[at]
            if got < 0:
                return 0
            at = (at + 1) & self._mask

    def __iter__(self) -> Iterator[tuple[str, str]]:
        if not self._forms:
            self._forms = list(self._ids)
        n = len(self._forms)
        codes = np.sort(np.asarray(self._keys)[np.asarray(self._keys) >= 0]).tolist()
        return ((self._forms[c // n], self._forms[c % n]) for c in codes)

    def __len__(self) -> int:
        return self._size


@dataclass(frozen=True, slots=True)
class TextStats:
    """Word and neighbour counts over the text of every witness of a collation."""

    words: Counter[str] = field(default_factory=Counter)
    """Each counted form's uses, in the order the text first uses them."""
    pairs: Mapping[tuple[str, str], int] = field(default_factory=Counter)
    witnesses: int = 0
    british: int = 0
    """Words of a British form with a different American one (breame's lists): ``colour``."""
    american: int = 0

    @classmethod
    def of(cls, witnesses: Iterable[Witness]) -> TextStats:
        """The counts of the witnesses' text tokens (apparatus left out).

        Counted over arrays of form numbers (numpy's ``bincount`` and ``unique``), not word by
        word into Counters: at 3 x 1M words the Counter updates were 8 s of a profiled run."""
        ids: dict[str, int] = {}  # each counted form's number, in the order the text uses them
        texts: list[np.ndarray] = []
        n = 0
        for w in witnesses:
            n += 1
            readings = token_readings(w.text_tokens)
            # each distinct reading's form as ``key`` makes it, but not through ``key``'s cache:
            # weighing asks ``key`` of its places' words, a few of the text's (at 3 x 1M words
            # the text's 84k readings in that cache were about 5 MiB of the peak weighing
            # reaches; ``core`` remembers its own)
            of = {r: ids.setdefault(core(r).lower(), len(ids)) for r in dict.fromkeys(readings)}
            texts.append(np.fromiter(map(of.__getitem__, readings), np.int64, len(readings)))
        forms = len(ids)
        every = np.concatenate(texts) if texts else np.zeros(0, np.int64)
        uses = np.bincount(every, minlength=forms).tolist()
        words = Counter(dict(zip(ids, uses, strict=True)))
        # a pair within a witness, never across the end of one and the start of the next
        codes = [t[:-1] * forms + t[1:] for t in texts if len(t) > 1]
        found, counts = np.unique(
            np.concatenate(codes) if codes else np.zeros(0, np.int64), return_counts=True
        )
        pairs = Pairs(ids, found, counts)
        british = sum(c for w, c in words.items() if _british(w))
        american = sum(c for w, c in words.items() if _american(w))
        return cls(words, pairs, n, british, american)

    def uses(self, word: str, here: int) -> int:
        """How often the text uses ``word`` outside this place (``here``: its uses at it)."""
        return max(0, self.words[key(word)] - here)

    def lean(self, here: Iterable[str] = ()) -> float:
        """How the text spells where British and American differ, outside the words ``here``:
        the share of British forms minus that of American ones, in (-1, 1)."""
        british, american = self.british, self.american
        for w in here:
            side = _side(key(w))
            british -= side == 1
            american -= side == -1
        british, american = max(0, british), max(0, american)
        return (british - american) / (british + american + 1)

    def dialect(self, word: str, lean: float) -> float:
        """``lean`` if ``word`` is a British form, minus it if an American one, else 0:
        positive where the word is spelt as the text spells elsewhere."""
        side = _side(key(word))
        if side == 1:
            return lean
        if side == -1:
            return -lean
        return 0.0

    def fit(
        self,
        before: str | None,
        reading: Sequence[str],
        after: str | None,
        here: Sequence[Sequence[str]],
    ) -> float:
        """log(1 + uses elsewhere) of the pairs the reading makes with its neighbours, summed.

        ``here`` are the words of every witness's reading at this place: a pair one of them
        makes too is counted there, and taken out (witnesses around a place share neighbours).
        """
        if not reading:
            if before is None or after is None:
                return 0.0
            n = self.pairs[(key(before), key(after))] - sum(1 for r in here if not r)
            return math.log1p(max(0, n))
        total = 0.0
        if before is not None:
            first = key(reading[0])
            n = self.pairs[(key(before), first)] - sum(1 for r in here if r and key(r[0]) == first)
            total += math.log1p(max(0, n))
        if after is not None:
            last = key(reading[-1])
            n = self.pairs[(last, key(after))] - sum(1 for r in here if r and key(r[-1]) == last)
            total += math.log1p(max(0, n))
        return total


_start = attrgetter("start")


def neighbours(w: Witness, tokens: Sequence[Token], at: int) -> tuple[str | None, str | None]:
    """The words of ``w`` just before and after its tokens (or the position ``at`` where an
    absent reading would stand); None at the text's edge."""
    toks = w.tokens
    if isinstance(toks, Tokens) and not toks.has_apparatus:
        # read from the columns: no Token made for a neighbour (two places a variant)
        if tokens:
            lo, hi = tokens[0].index - 1, tokens[-1].index + 1
        else:
            hi = bisect.bisect_left(toks.starts, at)
            lo = hi - 1
        return (
            toks.reading_at(lo) if lo >= 0 else None,
            toks.reading_at(hi) if hi < len(toks) else None,
        )
    if tokens:
        lo, hi = tokens[0].index - 1, tokens[-1].index + 1
    else:
        # by key, not over ``token_starts``: a list of a tuple's starts on every call would
        # cost the whole text (tokens given as tuples, CollateX's JSON)
        hi = bisect.bisect_left(toks, at, key=_start)
        lo = hi - 1
    while lo >= 0 and toks[lo].apparatus is not None:
        lo -= 1
    while hi < len(toks) and toks[hi].apparatus is not None:
        hi += 1
    return (
        toks[lo].reading if lo >= 0 else None,
        toks[hi].reading if hi < len(toks) else None,
    )
