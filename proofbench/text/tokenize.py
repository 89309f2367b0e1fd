"""Stage 2, tokenize: Witness (text, spans, apparatus) -> Witness with tokens.

A token is a maximal run of non-space characters, punctuation attached (``L,D.``,
``(Incidentally,``), so that a slip of punctuation is a variant of its word; an unspaced dash
ends a word (``Speak.--I`` is ``Speak.--`` and ``I``). A word broken at a line end (``commu-`` /
``nication``) becomes one token spanning the break, with the hyphen decision recorded. Every
token keeps ``witness.text[start:end] == t``, its normalized form ``n`` under the profile, the
rules that changed it, its source (page, box, confidence) and, for tokens inside an apparatus
span, the apparatus kind.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace

from proofbench.model import ApparatusKind, Source, SourceSpan, Token, Witness
from proofbench.text.hyphenation import HYPHENS, block_boundary, decide, is_candidate
from proofbench.text.lexicon import core
from proofbench.text.normalize import normalize, profile

_WORD = re.compile(r"\S+")
_PART = r"[^\s\-\u2014\u2015]+(?:-(?!-)[^\s\-\u2014\u2015]*)*"
_DASHED_WORD = re.compile(rf"{_PART}(?:-{{2,}}|[\u2014\u2015]+)?|[\-\u2014\u2015]+(?:{_PART})?")
"""A word, where an unspaced dash (``--``, an em dash or a horizontal bar) ends a word: the dash
stays on the word before it (``Speak.--`` ``I``), as other punctuation does; a single hyphen
does not (``parent-species``, a line-end ``commu-``)."""
_DASH = re.compile(r"--|[\u2014\u2015]")
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


def vocabulary(witnesses: Sequence[Witness]) -> Counter[str]:
    """Every word form (punctuation stripped, lower-cased) of the witnesses, with its count."""
    counts: Counter[str] = Counter()
    for w in witnesses:
        counts.update(core(m.group()).lower() for m in _words_of(w.text).finditer(w.text))
    return counts


class Vocabulary:
    """The collation's word forms with counts, computed on first use (most texts never need it)."""

    def __init__(self, witnesses: Sequence[Witness]) -> None:
        self._witnesses = tuple(witnesses)
        self._counts: Counter[str] | None = None

    @property
    def counts(self) -> Counter[str]:
        """The counts (computed once)."""
        if self._counts is None:
            self._counts = vocabulary(self._witnesses)
        return self._counts


class _Lookup:
    """Finds the source span and apparatus kind at an offset (both sorted by start)."""

    def __init__(self, witness: Witness) -> None:
        self.spans: tuple[SourceSpan, ...] = witness.spans
        self.span_starts = [s.start for s in self.spans]
        marks = sorted(
            (a for a in witness.apparatus if a.end > a.start), key=lambda a: (a.start, -a.end)
        )
        self.app = marks
        self.app_starts = [a.start for a in marks]

    def source(self, start: int) -> Source | None:
        if not self.spans:
            return None
        i = bisect.bisect_right(self.span_starts, start) - 1
        if i >= 0 and self.spans[i].start <= start < self.spans[i].end:
            return self.spans[i].source
        return None

    def apparatus(self, start: int) -> ApparatusKind | None:
        if not self.app:
            return None
        i = bisect.bisect_right(self.app_starts, start) - 1
        # Marks may nest (a page number inside a running head): the innermost one wins.
        for mark in reversed(self.app[max(0, i - 7) : i + 1]):
            if mark.start <= start < mark.end:
                return mark.kind
        return None


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
    witness: Witness, vocab: Vocabulary | None = None, profile_name: str = "default"
) -> Witness:
    """The witness with its tokens; ``vocab`` is the evidence for line-end hyphen decisions.

    A witness that arrives with tokens (pre-tokenized input: CollateX JSON ``tokens``) keeps
    them as given; one without a given normalized form (``n`` empty) gets the profile's.

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
    look = _Lookup(witness)
    spans = [m.span() for m in _words_of(text).finditer(text)]
    tokens: list[Token] = []
    append = tokens.append
    # Hot loop (millions of words in a book): local names, and normalization memoized per form.
    cache: dict[str, tuple[str, tuple[str, ...]]] = {}
    apparatus_at = look.apparatus if look.app else None
    source_at = look.source if look.spans else None
    hyphen_ends = _HYPHEN_ENDS
    crosses_block = block_boundary(witness)
    count = len(spans)
    i = 0
    while i < count:
        start, end = spans[i]
        t = text[start:end]
        kind = apparatus_at(start) if apparatus_at else None
        source = source_at(start) if source_at else None
        hyph = None
        if t[-1] in hyphen_ends and i + 1 < count and kind is None:
            nstart, nend = spans[i + 1]
            second = text[nstart:nend]
            if (
                is_candidate(t, second)
                and _LINE_BREAK.match(text[end:nstart])
                and look.apparatus(nstart) is None
                and not crosses_block(end, nstart)
            ):
                hyph = decide(t, second, vocab.counts)
                source = _merge_sources(source, look.source(nstart))
                end = nend
                t = text[start:end]
                i += 1
        form = hyph.joined if hyph else t
        normal = cache.get(form)
        if normal is None:
            normal = cache[form] = normalize(form, profile_name)
        append(Token(t, normal[0], start, end, len(tokens), source, normal[1], hyph, kind))
        i += 1
    return replace(witness, tokens=tuple(tokens))


def tokenize_all(
    witnesses: Sequence[Witness],
    profile_name: str = "default",
    profiles: Mapping[str, str] | None = None,
) -> tuple[Witness, ...]:
    """Tokenize every witness, with the vocabulary of all of them as hyphenation evidence.

    ``profiles`` maps a siglum to its own profile, where a witness has rules of its own.
    """
    vocab = Vocabulary(witnesses)
    own = profiles or {}
    with paused_gc():
        return tuple(tokenize(w, vocab, own.get(w.siglum, profile_name)) for w in witnesses)
