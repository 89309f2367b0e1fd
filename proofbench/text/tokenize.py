"""Stage 2, tokenize: Witness (text, spans, apparatus) -> Witness with tokens.

A token is a maximal run of non-space characters, punctuation attached (``U,S.``,
``(However,``), so that a slip of punctuation is a variant of its word; an unspaced dash
ends a word (``Speak.--I`` is ``Speak.--`` and ``I``). A word broken at a line end (``commu-`` /
``nication``) becomes one token spanning the break, with the hyphen decision recorded. Every
token keeps ``witness.text[start:end] == t``, its normalized form ``n`` under the profile, the
rules that changed it, its source (page, box, confidence) and, for tokens inside an apparatus
span, the apparatus kind.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import accumulate, compress
from operator import attrgetter, itemgetter
from typing import NamedTuple, TypeVar

import numpy as np

from proofbench.model import (
    ApparatusKind,
    Hyphenation,
    Source,
    SourceSpan,
    Tokens,
    Witness,
    offsets,
)
from proofbench.text.hyphenation import HYPHENS, block_boundary, decide, is_candidate
from proofbench.text.lexicon import core
from proofbench.text.normalize import normalize, normalize_forms, profile

_WORD = re.compile(r"\S+")
_PART = r"[^\s\-\u2014\u2015]+(?:-(?!-)[^\s\-\u2014\u2015]*)*"
_DASHED_WORD = re.compile(rf"{_PART}(?:-{{2,}}|[\u2014\u2015]+)?|[\-\u2014\u2015]+(?:{_PART})?")
"""A word, where an unspaced dash (``--``, an em dash or a horizontal bar) ends a word: the dash
stays on the word before it (``Speak.--`` ``I``), as other punctuation does; a single hyphen
does not (``parent-species``, a line-end ``commu-``)."""
_DASH = re.compile(r"--|[\u2014\u2015]")
_SPLIT = re.compile(rf"({_WORD.pattern})")
_SPLIT_DASHED = re.compile(rf"([^\s\-\u2014\u2015]++(?![\-\u2014\u2015])|{_DASHED_WORD.pattern})")
"""``_DASHED_WORD`` as a capturing group, led by a fast path for a word with no dash: a run of
other characters taken whole (possessive: never given back) where no dash follows it is the
match the full pattern finds there; else the full pattern is tried. A book's words split
0.75 -> 0.56 s a million (measured on pipeline_bench.py's OCR witness, same parts)."""
_V = TypeVar("_V")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_START, _END, _SOURCE = attrgetter("start"), attrgetter("end"), attrgetter("source")
_WORDS_A_SPAN = 25
"""Where the source spans hold fewer words than this each, words are placed by one sorted
search (``_sources``), else a span at a time: the measured crossover (a span costs the loop
about 2.5 us, a word the search about 60 ns: at 100k words between 2,000 and 10,000 spans, at
1M between 2,000 and 100,000)."""
_HYPHEN_ENDS = frozenset(HYPHENS)
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n?|\n)(?:[ \t]*(?:\r\n?|\n))?[ \t]*\Z")
"""A line break (LF, CRLF or an old Mac's CR), or a column or page break (one blank line)."""


def _words_of(text: str) -> re.Pattern[str]:
    """The word pattern for ``text``: the plain one, faster, where it holds no dash."""
    return _DASHED_WORD if _DASH.search(text) else _WORD


def words(text: str) -> Iterable[tuple[int, int]]:
    """The (start, end) of every word of ``text``: whitespace-delimited, or ended by a dash."""
    for m in _words_of(text).finditer(text):
        yield m.start(), m.end()


def vocabulary(witnesses: Sequence[Witness], written: Counter[str] | None = None) -> Counter[str]:
    """Every word form (punctuation stripped, lower-cased) of the witnesses, with its count.

    ``written``, where given, holds the counts of the forms as written, already counted.
    """
    # Count the written forms first, then strip each distinct form once: a book has a few
    # tens of thousands of forms for its hundreds of thousands of words.
    if written is None:
        written = Counter()
        for w in witnesses:
            written.update(_words_of(w.text).findall(w.text))
    counts: Counter[str] = Counter()
    for form, n in written.items():
        counts[core(form).lower()] += n
    return counts


class Vocabulary:
    """The collation's word forms with counts, computed on first use (most texts never need it)."""

    def __init__(self, witnesses: Sequence[Witness], written: Counter[str] | None = None) -> None:
        self._witnesses = tuple(witnesses)
        self._written = written
        self._counts: Counter[str] | None = None

    @property
    def counts(self) -> Counter[str]:
        """The counts (computed once)."""
        if self._counts is None:
            self._counts = vocabulary(self._witnesses, self._written)
            self._written = None
        return self._counts


class _Words(NamedTuple):
    """A witness's words as columns: the written forms (one string per form), their offsets."""

    ts: list[str]
    starts: list[int]
    ends: list[int]


def _words(text: str) -> _Words:
    """The words of ``text`` in one C-level pass each: split, accumulate, slice."""
    parts = _splitter(text).split(text)
    # parts alternate: the text before the first word, a word, the text between, ...
    lengths = list(map(len, parts))  # small ints, which Python shares
    forms: dict[str, str] = {}
    ts = list(map(forms.setdefault, parts[1::2], parts[1::2]))  # one string per written form
    # The repeated forms' strings are freed before the offsets are made, which take their
    # place in memory instead of leaving it in holes between them (50 MB a million words).
    del parts, forms
    offsets = list(accumulate(lengths, initial=0))
    return _Words(ts, offsets[1:-1:2], offsets[2::2])


def _merge_sources(a: Source | None, b: Source | None) -> Source | None:
    """The first part's source, with the lower of the two confidences."""
    if a is None or b is None or a.confidence is None or b.confidence is None:
        return a or b
    return replace(a, confidence=min(a.confidence, b.confidence))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic tuples are made.

    Tokens hold no reference cycles, yet each allocation burst triggers full collections that
    cost a third of tokenizing time on a book; reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def tokenize(
    witness: Witness,
    vocab: Vocabulary | None = None,
    profile_name: str = "default",
    words: _Words | None = None,
) -> Witness:
    """The witness with its tokens; ``vocab`` is the evidence for line-end hyphen decisions.

    A witness that arrives with tokens (pre-tokenized input: CollateX JSON ``tokens``) keeps
    them as given; one without a given normalized form (``n`` empty) gets the profile's.
    Equal written forms share one string object (a book's millions of words have a few tens
    of thousands of forms).

    Raises KeyError for an unknown profile.
    """
    profile(profile_name)
    if witness.tokens:
        given = []
        for tok in witness.tokens:
            if not tok.n:
                n, rules = normalize(tok.t, profile_name)
                tok = tok._replace(n=n, norm=rules)
            given.append(tok)
        return replace(witness, tokens=tuple(given))
    text = witness.text
    vocab = vocab if vocab is not None else Vocabulary([witness])
    # Column by column, each in one pass at C speed (split, accumulate, map, zip): a book's
    # million words cost a few C-level passes, not a Python loop iteration each.
    # ``words`` (tokenize_all's) is this call's own: its columns are edited in place below.
    ts, starts, ends = words if words is not None else _words(text)
    count = len(ts)
    sources = _sources(starts, witness.spans)
    kinds = _by_start(starts, _marks(witness), count, nested=True)
    forms = set(ts)
    normal = normalize_forms(forms, profile_name)
    # one lookup a word, then each half of its (n, rules) pair taken at C speed
    got = list(map(normal.__getitem__, ts))
    ns, norms = list(map(_FIRST, got)), list(map(_SECOND, got))
    del got, normal
    hyphs: list[Hyphenation | None] = [None] * count
    merged = _line_end_hyphens(witness, ts, starts, ends, sources, kinds, vocab, forms)
    del forms
    if merged:
        for k, (end, source, hyph) in merged.items():
            t = text[starts[k] : end]
            n, norm = normalize(hyph.joined, profile_name)
            ts[k], ns[k], norms[k], ends[k] = t, n, norm, end
            sources[k], hyphs[k] = source, hyph
        gone = [k + 1 for k in merged]  # each join's second part, in order
        ts, ns, starts, ends = (
            _without(ts, gone),
            _without(ns, gone),
            _without(starts, gone),
            _without(ends, gone),
        )
        sources, norms, hyphs, kinds = (
            _without(sources, gone),
            _without(norms, gone),
            _without(hyphs, gone),
            _without(kinds, gone),
        )
    tokens = Tokens(
        ts,
        ns,
        offsets(starts),
        offsets(ends),
        sources,
        norms,
        {k: h for k, h in enumerate(hyphs) if h is not None} if merged else None,
        kinds,
    )
    return replace(witness, tokens=tokens)


def _without(column: list[_V], gone: list[int]) -> list[_V]:
    """The column without the items at the positions ``gone`` (ascending): copied a run
    between two of them at a time (a slice each), not an index at a time."""
    out: list[_V] = []
    at = 0
    for g in gone:
        out += column[at:g]
        at = g + 1
    out += column[at:]
    return out


def _splitter(text: str) -> re.Pattern[str]:
    """The word pattern for ``text`` as a capturing group: ``split`` yields gaps and words."""
    return _SPLIT_DASHED if _DASH.search(text) else _SPLIT


def _marks(witness: Witness) -> list[tuple[int, int, ApparatusKind]]:
    """The apparatus spans, outer before inner: where marks nest, the innermost one wins."""
    marks = sorted(
        (a for a in witness.apparatus if a.end > a.start), key=lambda a: (a.start, -a.end)
    )
    return [(a.start, a.end, a.kind) for a in marks]


def _by_start(
    starts: list[int], spans: Sequence[tuple[int, int, _V]], count: int, nested: bool = False
) -> list[_V | None]:
    """For each word, the value of the span that holds the word's start, or None.

    Spans come in order of their start. Source spans tile the text: a word belongs to the last
    span starting at or before it, if it starts before that span's end. Apparatus marks may
    nest (``nested``): the last mark in order that holds the word wins, the innermost. The
    cost is a bisection per span, not per word (a line's words share its source).
    """
    out: list[_V | None] = [None] * count
    if not spans:
        return out
    for i, (lo, hi, value) in enumerate(spans):
        if not nested and i + 1 < len(spans):
            hi = min(hi, spans[i + 1][0])  # the next span takes over where it starts
        a = bisect_left(starts, lo)
        b = bisect_left(starts, hi, a)
        if b > a:
            out[a:b] = [value] * (b - a)
    return out


def _sources(starts: list[int], spans: Sequence[SourceSpan]) -> list[Source | None]:
    """For each word, the source of the span holding its start, or None: ``_by_start`` of the
    source spans, which tile the text in order of their start.

    Where they are many (a text's lines, an OCR's words) all words are placed at once: one
    sorted search of the words' starts among the spans' starts (numpy's ``searchsorted``), not
    a bisection and a slice a span. Few spans for the words (a text of long lines, one line)
    keep the loop."""
    if len(spans) * _WORDS_A_SPAN < len(starts):
        return _by_start(starts, [(s.start, s.end, s.source) for s in spans], len(starts))
    n = len(spans)
    lo = np.fromiter(map(_START, spans), np.int64, n)
    hi = np.fromiter(map(_END, spans), np.int64, n)
    values: list[Source | None] = list(map(_SOURCE, spans))
    values.append(None)  # what a word outside every span gets
    at = np.fromiter(starts, np.int64, len(starts))
    # the last span starting at or before each word (so the next one starts after it)
    which = np.searchsorted(lo, at, side="right") - 1
    outside = (which < 0) | (at >= hi[np.maximum(which, 0)])
    which[outside] = n
    return list(map(values.__getitem__, which.tolist()))


def _line_end_hyphens(
    witness: Witness,
    ts: list[str],
    starts: list[int],
    ends: list[int],
    sources: list[Source | None],
    kinds: list[ApparatusKind | None],
    vocab: Vocabulary,
    forms: Iterable[str] | None = None,
) -> dict[int, tuple[int, Source | None, Hyphenation]]:
    """The words broken at a line end: first part's index -> (end, source, decision).

    ``forms``: the distinct forms of ``ts``, where the caller has them."""
    hyphen_ends = _HYPHEN_ENDS
    candidates = {t for t in (set(ts) if forms is None else forms) if t[-1] in hyphen_ends}
    if not candidates:
        return {}
    text = witness.text
    crosses_block = block_boundary(witness)
    out: dict[int, tuple[int, Source | None, Hyphenation]] = {}
    last = len(ts) - 1
    taken = -1  # the second part of the last join is no first part
    for k in compress(range(len(ts)), map(candidates.__contains__, ts)):
        if k <= taken or k == last or kinds[k] is not None:
            continue
        t, second = ts[k], ts[k + 1]
        end, nstart = ends[k], starts[k + 1]
        if (
            is_candidate(t, second)
            and _LINE_BREAK.match(text, end, nstart)
            and kinds[k + 1] is None
            and not crosses_block(end, nstart)
        ):
            hyph = decide(t, second, vocab.counts)
            out[k] = (ends[k + 1], _merge_sources(sources[k], sources[k + 1]), hyph)
            taken = k + 1
    return out


def tokenize_all(
    witnesses: Sequence[Witness],
    profile_name: str = "default",
    profiles: Mapping[str, str] | None = None,
) -> tuple[Witness, ...]:
    """Tokenize every witness, with the vocabulary of all of them as hyphenation evidence.

    ``profiles`` maps a siglum to its own profile, where a witness has rules of its own.
    """
    own = profiles or {}
    with paused_gc():
        # The words of every witness first: their written forms are the vocabulary's counts.
        words = [None if w.tokens else _words(w.text) for w in witnesses]
        written: Counter[str] = Counter()
        for w, got in zip(witnesses, words, strict=True):
            written.update(got.ts if got is not None else _words_of(w.text).findall(w.text))
        vocab = Vocabulary(witnesses, written)
        out = []
        for i, w in enumerate(witnesses):
            got, words[i] = words[i], None  # each witness's columns go once its tokens are made
            out.append(tokenize(w, vocab, own.get(w.siglum, profile_name), got))
            del got
        return tuple(out)
