"""Each witness's error rates by kind of error, estimated on the collation itself (Dawid–Skene).

Input: the readings of every variant place of a collation (siglum -> normalized reading), the
genealogy (a copy and its source) and the number of word positions compared; output:
``ErrorRates``, whose ``posterior`` gives each reading of a place the probability that it is the
right one under the estimated rates.

The model is Dawid and Skene's (1979) for annotators without a gold standard, with the readings
of a place as the classes and a witness's "label" its reading: a witness reads the right text at
a position, or deviates from it by one kind of error (``KINDS``: words left out, words added, a
letter changed, only marks, case or spacing) at its own rate per position. A copy (a witness that
``derives_from`` another of the collation) is dependent, as genealogy says: where its source is
right it errs at its own rates; where its source is wrong it keeps the error at its own rate
(``keep``) or departs from it. The rates are estimated by expectation-maximisation over all
places: where witnesses agree, each one's slips show, so the OCR's many misread letters and the
transcription's dropped words are told apart by kind, not by who is in the majority.

The posterior is evidence for ``weigh``, not the decider: the fitted logit decides its weight.
Rates are smoothed by Jeffreys' prior (half a pseudo-count each way), the usual non-informative
choice for a binomial rate, so a kind never seen has a small, not zero, rate.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from proofbench.text.lexicon import in_dictionary

KINDS = ("omission", "addition", "letters", "marks")
"""The kinds of deviation from the right reading a witness's rates are counted by."""
ITERATIONS = 50
TOLERANCE = 1e-6
"""EM stops when no rate moves by more than this (rates are per position, 1e-6 is far below
one error in the longest collation)."""
PRIOR = 0.5
"""Jeffreys' prior pseudo-count for each rate."""


_NOT_WORD = re.compile(r"[^\w\s]|_")
r"""What is neither a letter or digit (``str.isalnum``: ``\w`` less the underscore) nor a
space (``str.split``'s, ``\s``)."""


def _words(text: str) -> tuple[str, ...]:
    """The reading's words, each its letters and digits lower-cased (those that have any).

    One regex pass over the reading, not a test a character: the same words (checked on every
    code point), at 3 x 1M words the readings' words cost 8.2 s of a profiled classify the
    other way."""
    return tuple(_NOT_WORD.sub("", text).lower().split())


def _within(short: Sequence[str], long: Sequence[str]) -> list[str] | None:
    """The words of ``long`` that are not ``short``'s if ``short`` is a subsequence of it."""
    rest: list[str] = []
    i = 0
    for w in long:
        if i < len(short) and short[i] == w:
            i += 1
        else:
            rest.append(w)
    return rest if i == len(short) else None


def kind(truth: str, reading: str) -> str | None:
    """The kind of error that turns ``truth`` into ``reading`` (None where they are equal).

    Words left out or added are whole words (the rest of the reading is unchanged) and, for an
    addition, mostly dictionary words: an added garble (``cli f`` for ``chief``, a line of
    noise) is a misreading of letters, which an OCR makes, not the addition of a word, which
    it hardly ever makes."""
    if truth == reading:
        return None
    t, r = _words(truth), _words(reading)
    if t == r or "".join(t) == "".join(r):
        return "marks"  # punctuation, case, spacing
    if len(r) < len(t) and _within(r, t) is not None:
        return "omission"
    added = _within(t, r) if len(r) > len(t) else None
    if added is not None and 2 * sum(w.isalpha() and in_dictionary(w) for w in added) > len(added):
        return "addition"  # mostly dictionary words (a name among them is still a word added)
    return "letters"


Pattern = tuple[tuple[int, ...], tuple[tuple[str | None, ...], ...]]
"""A place as the model sees it: each witness's reading group (in ``sigla`` order), and for each
group taken as the truth, the kind of error that makes each group's reading."""


def pattern(readings: Mapping[str, str], sigla: Sequence[str]) -> tuple[Pattern, list[str]]:
    """The place's pattern and its distinct readings (group ``i`` reads ``texts[i]``)."""
    pat, texts = _pattern(tuple([readings[s] for s in sigla]))
    return pat, list(texts)


def _pattern(
    read: tuple[str, ...], kinds_of: dict[tuple[str, str], str | None] | None = None
) -> tuple[Pattern, tuple[str, ...]]:
    """``pattern`` of the readings in sigla order (``estimate`` and ``ErrorRates`` make each
    distinct tuple's once). ``kinds_of``: the ``kind`` of each pair of readings found so far,
    which ``estimate`` keeps while it makes the patterns of every place (readings recur) and
    lets go of: held in a module cache of 65,536 pairs, full at 3 x 1M words, it was 9.7 MiB
    of the command's peak, which weighing reaches (``tracemalloc``)."""
    texts = tuple(dict.fromkeys(read))
    index = {t: i for i, t in enumerate(texts)}
    labels = tuple([index[r] for r in read])
    if kinds_of is None:
        kinds_of = {}
    rows = []
    for t in texts:
        row = []
        for r in texts:
            got = kinds_of.get((t, r), _UNKNOWN)
            if got is _UNKNOWN:
                got = kinds_of[t, r] = kind(t, r)
            row.append(got)
        rows.append(tuple(row))
    return (labels, tuple(rows)), texts


_UNKNOWN = "\x00unknown"
"""``_pattern``'s mark for a pair whose kind is not yet known (no kind is this string)."""


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """The estimated rates: per witness and kind, per word position; a copy's keeping rate."""

    sigla: tuple[str, ...]
    rates: Mapping[str, Mapping[str, float]]
    keep: Mapping[str, float]
    """For a copy: the probability that it keeps its source's error."""
    sources: Mapping[str, str]
    positions: int
    iterations: int = 0
    known: dict[Pattern, list[float]] = field(default_factory=dict, repr=False, compare=False)
    """The posterior of each pattern asked so far (``estimate`` leaves those of every place it
    saw): a collation's places repeat a few hundred patterns, so each is worked out once."""
    patterns: dict[tuple[str, ...], Pattern] = field(
        default_factory=dict, repr=False, compare=False
    )
    """The pattern of each tuple of readings (in ``sigla`` order) asked so far (``estimate``
    leaves those of every place it saw): at 3 x 1M words 48,570 places read 24,554 distinct
    tuples, more than a small cache holds, and weighing asks of each place again. The tuples
    share their patterns' objects (41 patterns there): a pattern of its own for each tuple,
    held through the weighing, was 22 MiB (``tracemalloc``)."""

    def _likelihood(self, pat: Pattern, truth: int) -> float:
        labels, kinds = pat
        by = dict(zip(self.sigla, labels, strict=True))
        p = 1.0
        for s, lab in by.items():
            k = kinds[truth][lab]
            src = self.sources.get(s)
            if src is not None and by[src] != truth:  # the source is wrong here
                keep = self.keep[s]
                if lab == by[src]:
                    p *= keep
                elif k is None:
                    p *= (1 - keep) * (1 - sum(self.rates[s].values()))
                else:
                    p *= (1 - keep) * self.rates[s][k]
            elif k is None:
                p *= 1 - sum(self.rates[s].values())
            else:
                p *= self.rates[s][k]
        return p

    def _posterior(self, pat: Pattern) -> list[float]:
        n = len(pat[1])
        like = [self._likelihood(pat, t) for t in range(n)]
        z = sum(like)
        return [v / z for v in like] if z > 0 else [1 / n] * n

    def posterior(self, readings: Mapping[str, str]) -> dict[str, float]:
        """Each distinct reading of the place and the probability that it is the right one."""
        read = tuple([readings[s] for s in self.sigla])
        pat = self.patterns.get(read)
        if pat is None:
            pat = self.patterns[read] = _pattern(read)[0]
        post = self.known.get(pat)
        if post is None:
            post = self.known[pat] = self._posterior(pat)
        # the distinct readings in the order ``_pattern`` numbers them
        return dict(zip(dict.fromkeys(read), post, strict=True))


def _majority(pat: Pattern, sigla: Sequence[str], sources: Mapping[str, str]) -> list[float]:
    """The starting posterior: each reading's share of independent support (a copy agreeing with
    its source adds nothing)."""
    labels = dict(zip(sigla, pat[0], strict=True))
    votes = [0.0] * len(pat[1])
    for s, lab in labels.items():
        src = sources.get(s)
        if src is None or labels[src] != lab:
            votes[lab] += 1
    top = max(votes)
    best = [v == top for v in votes]
    return [b / sum(best) for b in best]


def estimate(
    places: Sequence[Mapping[str, str]],
    sources: Mapping[str, str],
    positions: int,
    iterations: int = ITERATIONS,
) -> ErrorRates:
    """The rates that maximise the likelihood of the places' readings (EM from majority vote).

    ``places``: every variant place's readings, each naming the same sigla; ``sources``: copy ->
    source, both among the sigla; ``positions``: the word positions compared (every place that
    is not a variant place is one where all read alike). Raises ValueError if a place lacks a
    siglum another has."""
    sigla = tuple(places[0]) if places else ()
    if any(set(p) != set(sigla) for p in places):
        raise ValueError("every place must give a reading for every witness")
    src = {c: s for c, s in sources.items() if c in sigla and s in sigla and c != s}
    # each distinct tuple of readings made a pattern once, its places counted (the patterns in
    # the order the places first show them, as counting place by place would put them: the
    # M-step sums over them in that order)
    reads = Counter(tuple([p[s] for s in sigla]) for p in places)
    made: dict[tuple[str, ...], Pattern] = {}
    counts: Counter[Pattern] = Counter()
    one: dict[Pattern, Pattern] = {}  # each pattern's one object, which its tuples share
    kinds_of: dict[tuple[str, str], str | None] = {}
    for read, m in reads.items():
        pat = _pattern(read, kinds_of)[0]
        pat = made[read] = one.setdefault(pat, pat)
        counts[pat] += m
    del kinds_of
    n = max(positions, len(places))
    if not counts:
        return ErrorRates(sigla, {}, {}, src, n)  # nothing differs: nothing to estimate
    posts = {pat: _majority(pat, sigla, src) for pat in counts}
    rates: dict[str, dict[str, float]] = {}
    keep: dict[str, float] = {}
    done = 0
    for done in range(1, iterations + 1):
        new_rates, new_keep = _maximise(counts, posts, sigla, src, n)
        moved = max(
            [abs(new_rates[s][k] - rates.get(s, {}).get(k, -1.0)) for s in sigla for k in KINDS]
            + [abs(new_keep[c] - keep.get(c, -1.0)) for c in new_keep]
        )
        rates, keep = new_rates, new_keep
        model = ErrorRates(sigla, rates, keep, src, n, done)
        posts = {pat: model._posterior(pat) for pat in counts}
        if moved < TOLERANCE:
            break
    # the last posteriors are the returned model's own (the same rates, the same arithmetic)
    return ErrorRates(sigla, rates, keep, src, n, done, known=posts if done else {}, patterns=made)


def _maximise(
    counts: Mapping[Pattern, int],
    posts: Mapping[Pattern, list[float]],
    sigla: Sequence[str],
    src: Mapping[str, str],
    n: int,
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """The M-step: expected error counts by kind over the expected positions at risk."""
    errs = {s: dict.fromkeys(KINDS, 0.0) for s in sigla}
    source_wrong = dict.fromkeys(src, 0.0)
    kept = dict.fromkeys(src, 0.0)
    for pat, m in counts.items():
        labels = dict(zip(sigla, pat[0], strict=True))
        for truth, q in enumerate(posts[pat]):
            if q == 0:
                continue
            w = m * q
            for s, lab in labels.items():
                k = pat[1][truth][lab]
                source = src.get(s)
                if source is not None and labels[source] != truth:
                    source_wrong[s] += w
                    if lab == labels[source]:
                        kept[s] += w
                    elif k is not None:
                        errs[s][k] += w
                elif k is not None:
                    errs[s][k] += w
    rates = {}
    for s in sigla:
        at_risk = n - kept.get(s, 0.0)  # a copy that keeps its source's error reads nothing new
        total = at_risk + PRIOR * 2 * len(KINDS)
        rates[s] = {k: (errs[s][k] + PRIOR) / total for k in KINDS}
    keep = {c: (kept[c] + PRIOR) / (source_wrong[c] + 2 * PRIOR) for c in src}
    return rates, keep


def log_posterior(p: float) -> float:
    """The evidence a posterior gives a reading: its log, floored where it is all but nil."""
    return math.log(max(p, 1e-6))
