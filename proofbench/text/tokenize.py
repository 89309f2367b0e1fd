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
_FAR = 1 << 62
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
    # Count the written forms first, then strip each distinct form once: a book has a few
    # tens of thousands of forms for its hundreds of thousands of words.
    written: Counter[str] = Counter()
    for w in witnesses:
        written.update(m.group() for m in _words_of(w.text).finditer(w.text))
    counts: Counter[str] = Counter()
    for form, n in written.items():
        counts[core(form).lower()] += n
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


class _Cursor:
    """The source span and apparatus kind at increasing offsets, in one pass over each list.

    Offsets asked for never decrease (tokens come in text order), so each lookup only moves a
    pointer forward: tokenizing costs one walk over the spans, not a binary search per token.
    """

    def __init__(self, witness: Witness) -> None:
        self.spans: tuple[SourceSpan, ...] = witness.spans
        self.span_starts = [s.start for s in self.spans]
        self.at = -1  # the last span starting at or before the offset last asked for
        self.until = 0  # the offset up to which the last answer holds
        marks = sorted(
            (a for a in witness.apparatus if a.end > a.start), key=lambda a: (a.start, -a.end)
        )
        self.app = marks
        self.app_starts = [a.start for a in marks]
        self.app_at = -1

    def source(self, start: int) -> Source | None:
        starts = self.span_starts
        i = self.at
        last = len(starts) - 1
        while i < last and starts[i + 1] <= start:
            i += 1
        self.at = i
        # The answer holds up to ``until``: the end of this span, or the start of the next.
        upto = starts[i + 1] if i < last else _FAR
        if i >= 0 and start < self.spans[i].end:
            self.until = min(self.spans[i].end, upto)
            return self.spans[i].source
        self.until = upto
        return None

    def apparatus(self, start: int) -> ApparatusKind | None:
        starts = self.app_starts
        i = self.app_at
        last = len(starts) - 1
        while i < last and starts[i + 1] <= start:
            i += 1
        self.app_at = i
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
    look = _Cursor(witness)
    tokens: list[Token] = []
    append = tokens.append
    # Hot loop (millions of words in a book): local names, and each written form's interned
    # string and normalization looked up once per form.
    forms: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    apparatus_at = look.apparatus if look.app else None
    source_at = look.source if look.spans else None
    hyphen_ends = _HYPHEN_ENDS
    crosses_block = block_boundary(witness)
    matches = _words_of(text).finditer(text)
    m = next(matches, None)
    until = 0
    source: Source | None = None
    while m is not None:
        after = next(matches, None)
        start, end = m.span()
        t = m.group()
        kind = apparatus_at(start) if apparatus_at else None
        if start >= until:  # most words share their line's source: ask only past it
            source = source_at(start) if source_at else None
            until = look.until if source_at else _FAR
        hyph = None
        if t[-1] in hyphen_ends and kind is None and after is not None:
            nstart, nend = after.span()
            second = after.group()
            if (
                is_candidate(t, second)
                and _LINE_BREAK.match(text, end, nstart)
                and look.apparatus(nstart) is None
                and not crosses_block(end, nstart)
            ):
                hyph = decide(t, second, vocab.counts)
                source = _merge_sources(source, look.source(nstart))
                until = 0  # the cursor moved on: ask again at the next word
                end = nend
                t = text[start:end]
                after = next(matches, None)  # the second part is read: it is in this token
        if hyph is None:
            got = forms.get(t)
            if got is None:
                got = forms[t] = (t, *normalize(t, profile_name))
            append(Token(got[0], got[1], start, end, len(tokens), source, got[2], None, kind))
        else:
            n, norm = normalize(hyph.joined, profile_name)
            append(Token(t, n, start, end, len(tokens), source, norm, hyph, kind))
        m = after
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
