"""The frozen data that flows between the stages of the pipeline.

    Manifest --witness/--> Witness --text/--> Witness(tokens) --align/--> Alignment
             --classify/--> Collation(variants, flags) --render/--> html/json/tei/csv/txt

Only invariants live here; behaviour lives in the stage packages.

Offsets are always character offsets into ``Witness.text`` (the witness's extracted text; for a
plain-text witness, the decoded file content itself), half open: ``text[start:end]``.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from itertools import compress, repeat
from operator import attrgetter
from typing import NamedTuple, TypeVar, overload

BBox = tuple[int, int, int, int]
"""x0, y0, x1, y1 in the page image's pixels."""


class Kind(StrEnum):
    """What sort of copy a witness is; weighs its testimony."""

    OCR = "ocr"
    TRANSCRIPTION = "transcription"
    PROOFREAD = "proofread"
    EDITION = "edition"


class BlockKind(StrEnum):
    """The structural role of a block of text."""

    PARAGRAPH = "p"
    HEADING = "heading"
    QUOTE = "quote"
    LINE = "line"


class ApparatusKind(StrEnum):
    """Material that is a fact about the witness, not a reading of the text."""

    NAVIGATION = "navigation"
    HEADER = "header"
    FOOTER = "footer"
    RUNNING_HEAD = "running-head"
    PAGE_NUMBER = "page-number"
    PAGE_BREAK = "page-break"
    NOISE = "noise"
    MARKUP = "markup"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a piece of a witness's text came from: a file, and for OCR its page geometry."""

    file: str
    page: int | None = None
    """1-based page number within the witness."""
    line: int | None = None
    """1-based line number: in the file for text formats, on the page for OCR formats."""
    bbox: BBox | None = None
    confidence: float | None = None
    """OCR word confidence, 0-100."""
    image: str | None = None
    """Path of the page image (resolved, absolute or relative to the manifest)."""
    word_id: str | None = None
    """The OCR engine's id of the word (hOCR ``id``, ALTO ``ID``), for tracing back."""


_CONFIDENCE = attrgetter("confidence")


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """A span of ``Witness.text`` and the source it was read from (one OCR word, one line)."""

    start: int
    end: int
    source: Source


@dataclass(frozen=True, slots=True)
class Apparatus:
    """A span of ``Witness.text`` that is apparatus, with its kind and why it was judged so."""

    start: int
    end: int
    kind: ApparatusKind
    reason: str


@dataclass(frozen=True, slots=True)
class Block:
    """A span of ``Witness.text`` that forms one block (paragraph, heading, quote)."""

    start: int
    end: int
    kind: BlockKind


@dataclass(frozen=True, slots=True)
class Hyphenation:
    """The decision taken on a word broken at a line end (``commu-`` / ``nication``)."""

    parts: tuple[str, str]
    """The two parts as written, the first with its hyphen: ``("half-", "spoken")``."""
    kept_hyphen: bool
    """True where the hyphen is the word's own (``half-spoken``), False where it was joined."""
    joined: str
    """The reading: ``communication`` or ``half-spoken``."""
    reason: str
    """The evidence, in plain words."""


class Token(NamedTuple):
    """One word of a witness, as written (``t``) and normalized (``n``).

    Invariant: ``witness.text[start:end] == t``. ``n`` is the form compared when aligning;
    ``norm`` names the normalization rules that changed it, so typographic differences stay
    reportable. A line-end hyphenated word is one token whose ``t`` spans the line break and
    whose ``hyphenation`` records the decision.

    A typed, immutable NamedTuple rather than a dataclass: books have millions of tokens, and
    a tuple is built four times faster (use ``token._replace(...)`` to derive one).
    """

    t: str
    n: str
    start: int
    end: int
    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose: the name fits
    """Position in ``Witness.tokens``."""
    source: Source | None = None
    norm: tuple[str, ...] = ()
    hyphenation: Hyphenation | None = None
    apparatus: ApparatusKind | None = None
    """Set where the token lies in an apparatus span: kept, but not aligned as text."""

    @property
    def reading(self) -> str:
        """The token as a reader sees it: ``t`` with a line-end hyphen resolved."""
        return self.hyphenation.joined if self.hyphenation else self.t


_V = TypeVar("_V")
_IS_NONE = partial(operator.is_, None)
"""Whether a value is None, as a C-level function for ``map``."""
_new_token = tuple.__new__


def offsets(values: Sequence[int]) -> array[int]:
    """Character offsets as a compact array: 4 bytes each where they fit (texts under 2 GB)."""
    return array("i" if not values or max(values) < 2**31 else "q", values)


_make_token = partial(_new_token, Token)


class Tokens(Sequence[Token]):
    """A witness's tokens stored by column, each ``Token`` made when it is read.

    A book's million tokens as tuples cost about 250 bytes each (the tuple, two offset ints);
    as columns they cost about 40 (a pointer to the shared written and normal form, two 4-byte
    offsets, a pointer each to the shared source and rule names). Reading ``tokens[i]`` or
    iterating gives the same ``Token`` values a tuple of them would hold, and a ``Tokens``
    equals the tuple of its tokens. ``ts``, ``ns``, ``starts`` and ``ends`` are the columns,
    for readers that need one field of every token (the aligner's normal forms).

    Columns given as None hold the field's default for every token. ``index`` is None where
    a token's index is its position (a witness's own tokens), else the positions in the
    witness's tokens (``select``: the text tokens of a witness with apparatus).
    """

    __slots__ = ("_hyph", "_index", "_kind", "_norm", "_source", "ends", "ns", "starts", "ts")

    def __init__(
        self,
        ts: list[str],
        ns: list[str],
        starts: array[int],
        ends: array[int],
        sources: list[Source | None] | None = None,
        norms: list[tuple[str, ...]] | None = None,
        hyphenations: Mapping[int, Hyphenation] | None = None,
        apparatus: list[ApparatusKind | None] | None = None,
        index: array[int] | None = None,
    ) -> None:
        n = len(ts)
        columns = (ns, starts, ends, sources, norms, apparatus, index)
        if any(c is not None and len(c) != n for c in columns):
            raise ValueError("token columns of different lengths")
        self.ts, self.ns, self.starts, self.ends = ts, ns, starts, ends
        self._source = sources if sources is not None and any(sources) else None
        self._norm = norms if norms is not None and any(norms) else None
        self._hyph = dict(hyphenations) if hyphenations else None
        self._kind = apparatus if apparatus is not None and any(apparatus) else None
        self._index = index

    def __len__(self) -> int:
        return len(self.ts)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Token, ...]: ...
    def __getitem__(self, i: int | slice) -> Token | tuple[Token, ...]:
        if isinstance(i, slice):
            lo, hi, step = i.indices(len(self.ts))
            if step == 1:
                return tuple(self._rows(lo, max(lo, hi)))
            return tuple(map(self.__getitem__, range(lo, hi, step)))
        if i < 0:
            i += len(self.ts)
            if i < 0:
                raise IndexError("token index out of range")
        index, source, norm, hyph, kind = (
            self._index,
            self._source,
            self._norm,
            self._hyph,
            self._kind,
        )
        return _new_token(
            Token,
            (
                self.ts[i],
                self.ns[i],
                self.starts[i],
                self.ends[i],
                i if index is None else index[i],
                None if source is None else source[i],
                () if norm is None else norm[i],
                None if hyph is None else hyph.get(i),
                None if kind is None else kind[i],
            ),
        )

    def _rows(self, lo: int, hi: int) -> Iterator[Token]:
        """The tokens lo..hi-1, made in one C-level zip over the columns (no frame a token)."""
        whole = lo == 0 and hi == len(self.ts)

        def part(column: Sequence[_V]) -> Sequence[_V]:
            return column if whole else column[lo:hi]

        n = hi - lo
        hyph = self._hyph
        return map(
            _make_token,
            zip(
                part(self.ts),
                part(self.ns),
                part(self.starts),
                part(self.ends),
                range(lo, hi) if self._index is None else part(self._index),
                repeat(None, n) if self._source is None else part(self._source),
                repeat((), n) if self._norm is None else part(self._norm),
                repeat(None, n) if hyph is None else map(hyph.get, range(lo, hi)),
                repeat(None, n) if self._kind is None else part(self._kind),
                strict=True,
            ),
        )

    def __iter__(self) -> Iterator[Token]:
        return self._rows(0, len(self.ts))

    def __reversed__(self) -> Iterator[Token]:
        return map(self.__getitem__, range(len(self.ts) - 1, -1, -1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(Token.__eq__, self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Tokens({len(self)} tokens)"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (
            Tokens,
            (
                self.ts,
                self.ns,
                self.starts,
                self.ends,
                self._source,
                self._norm,
                self._hyph,
                self._kind,
                self._index,
            ),
        )

    @property
    def hyphenations(self) -> Mapping[int, Hyphenation]:
        """The line-end hyphen decisions, by position."""
        return self._hyph or {}

    def reading_at(self, i: int) -> str:
        """The ``reading`` of the token at position ``i`` (``Token.reading``: its text, a
        line-end hyphen resolved), read from the columns without making the Token."""
        hyph = self._hyph
        return hyph[i].joined if hyph and i in hyph else self.ts[i]

    @property
    def has_apparatus(self) -> bool:
        """Whether some token lies in an apparatus span."""
        return self._kind is not None

    def text_tokens(self) -> Tokens:
        """The tokens that are not apparatus, keeping their indices (columns copied).

        Each column is copied in one C-level ``compress`` over a mask, not an index at a time
        (War and Peace, 565k tokens: 0.32 -> 0.06 s), or sliced where the text tokens are one
        run (``_run``)."""
        kind = self._kind
        if kind is None:
            return self
        mask = list(map(_IS_NONE, kind))
        index = self._index
        hyph = self._hyph
        kept = mask.count(True)
        first = mask.index(True) if kept else 0
        end = first + kept
        if mask[first:end].count(True) == kept:  # one run (a book's header and footer aside)
            return self._run(first, end)
        keep = list(compress(range(len(kind)), mask))
        return Tokens(
            list(compress(self.ts, mask)),
            list(compress(self.ns, mask)),
            array(self.starts.typecode, compress(self.starts, mask)),
            array(self.ends.typecode, compress(self.ends, mask)),
            None if self._source is None else list(compress(self._source, mask)),
            None if self._norm is None else list(compress(self._norm, mask)),
            {bisect_left(keep, i): h for i, h in hyph.items() if kind[i] is None} if hyph else {},
            None,
            array(
                "i" if len(kind) < 2**31 else "q",
                keep if index is None else compress(index, mask),
            ),
        )

    def _run(self, first: int, end: int) -> Tokens:
        """``text_tokens`` where they are the tokens ``first`` to ``end``: each column sliced,
        which copies it at C speed without testing a mask (War and Peace's Gutenberg header
        and footer: 0.12-0.19 -> 0.04 s of CPU)."""
        hyph = self._hyph
        index = self._index
        return Tokens(
            self.ts[first:end],
            self.ns[first:end],
            self.starts[first:end],
            self.ends[first:end],
            None if self._source is None else self._source[first:end],
            None if self._norm is None else self._norm[first:end],
            {i - first: h for i, h in hyph.items() if first <= i < end} if hyph else {},
            None,
            array("i" if end < 2**31 else "q", range(first, end))
            if index is None
            else index[first:end],
        )


def token_starts(tokens: Sequence[Token]) -> Sequence[int]:
    """Every token's start offset: the column itself where the tokens are ``Tokens``."""
    return tokens.starts if isinstance(tokens, Tokens) else [t.start for t in tokens]


def token_ends(tokens: Sequence[Token]) -> Sequence[int]:
    """Every token's end offset: the column itself where the tokens are ``Tokens``."""
    return tokens.ends if isinstance(tokens, Tokens) else [t.end for t in tokens]


def token_texts(tokens: Sequence[Token]) -> Sequence[str]:
    """Every token's written form ``t``: the column itself where the tokens are ``Tokens``."""
    return tokens.ts if isinstance(tokens, Tokens) else [t.t for t in tokens]


def token_norms(tokens: Sequence[Token]) -> Sequence[str]:
    """Every token's normal form ``n``: the column itself where the tokens are ``Tokens``."""
    return tokens.ns if isinstance(tokens, Tokens) else [t.n for t in tokens]


def token_indices(tokens: Sequence[Token]) -> Sequence[int]:
    """Every token's ``index`` in its witness's tokens, made without its Token."""
    if not isinstance(tokens, Tokens):
        return [t.index for t in tokens]
    index = tokens._index
    return range(len(tokens.ts)) if index is None else index


def token_rules(tokens: Sequence[Token]) -> Sequence[tuple[str, ...]]:
    """Every token's ``norm`` (the rules that changed it), made without its Token."""
    if not isinstance(tokens, Tokens):
        return [t.norm for t in tokens]
    rules = tokens._norm
    return rules if rules is not None else [()] * len(tokens.ts)


def token_sources(tokens: Sequence[Token]) -> Sequence[Source | None]:
    """Every token's ``source``, made without its Token."""
    if not isinstance(tokens, Tokens):
        return [t.source for t in tokens]
    sources = tokens._source
    return sources if sources is not None else [None] * len(tokens.ts)


def token_apparatus(tokens: Sequence[Token]) -> Sequence[ApparatusKind | None]:
    """Every token's ``apparatus`` kind (None for text), made without its Token."""
    if not isinstance(tokens, Tokens):
        return [t.apparatus for t in tokens]
    kinds = tokens._kind
    return kinds if kinds is not None else [None] * len(tokens.ts)


def hyphenated_tokens(tokens: Sequence[Token]) -> list[Token]:
    """The tokens that join a word broken at a line end, in order (read from their column)."""
    if not isinstance(tokens, Tokens):
        return [t for t in tokens if t.hyphenation is not None]
    return [tokens[i] for i in sorted(tokens.hyphenations)]


def token_readings(tokens: Sequence[Token]) -> list[str]:
    """Every token's ``reading`` (``t``, a line-end hyphen resolved), made without its Token."""
    if not isinstance(tokens, Tokens):
        return [t.reading for t in tokens]
    out = list(tokens.ts)
    for i, h in tokens.hyphenations.items():
        out[i] = h.joined
    return out


@dataclass(frozen=True, slots=True)
class WitnessSpec:
    """One ``[[witness]]`` entry of a manifest, paths resolved against the manifest's folder."""

    siglum: str
    files: tuple[str, ...]
    label: str = ""
    kind: Kind = Kind.TRANSCRIPTION
    date: str = ""
    derives_from: str | None = None
    format: str | None = None
    """Forced format name; None means detect from content."""
    encoding: str | None = None
    apparatus_selectors: tuple[str, ...] = ()
    """CSS selectors naming HTML apparatus (navigation, header block, footer)."""
    apparatus_patterns: tuple[str, ...] = ()
    """Regular expressions; a text line matching one whole is apparatus."""
    level: str | None = None
    """PAGE XML: read the text of ``word``, ``line`` or ``region`` elements (default: finest)."""
    apparatus_blocks: tuple[tuple[str, str], ...] = ()
    """(start, end) regular expressions: the lines from a start line to its end are apparatus."""
    images: tuple[str, ...] = ()
    """Page images of an OCR witness: files (one a page, in order) or folders to search."""
    wit: str | None = None
    """The witness to read from a TEI parallel-segmentation file (its ``wit`` id)."""
    rules: tuple[str, ...] = ()
    """Normalization rules (or profiles) of this witness, after the collation's."""
    replacements: tuple[tuple[str, str], ...] = ()
    """This witness's own (regular expression, replacement) rules."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """A collation's description: its title, target and witnesses."""

    path: str
    title: str
    witnesses: tuple[WitnessSpec, ...]
    target: str | None = None
    profile: str = "default"
    rules: tuple[str, ...] = ()
    """More profiles or rules after ``profile``, in order (``diacritics``, ``punctuation``)."""
    replacements: tuple[tuple[str, str], ...] = ()
    """(regular expression, replacement) rules for every witness, applied first."""
    typographic: bool = False
    """Report variants that differ only in what the profile normalizes away (quotes, dashes)."""
    good_words: tuple[str, ...] = ()
    """Words never flagged and counted as dictionary words (guiguts' good words)."""
    bad_words: tuple[str, ...] = ()
    """Words always flagged (guiguts' bad words)."""
    scanno_list: str | None = None
    """A user's scanno list (read when checking): words flagged as likely OCR misreadings."""

    def spec(self, siglum: str) -> WitnessSpec:
        """The witness spec of that siglum; raises KeyError if none."""
        for w in self.witnesses:
            if w.siglum == siglum:
                return w
        raise KeyError(siglum)


@dataclass(frozen=True, slots=True)
class Witness:
    """One copy of the text, extracted from its files, with every piece traced to its source.

    ``text`` holds everything the loader read, apparatus included; ``apparatus`` marks what is
    not text. ``tokens`` is empty until the text stage tokenizes the witness.
    """

    siglum: str
    text: str
    files: tuple[str, ...]
    format: str
    label: str = ""
    kind: Kind = Kind.TRANSCRIPTION
    date: str = ""
    derives_from: str | None = None
    encoding: str = "utf-8"
    spans: tuple[SourceSpan, ...] = ()
    apparatus: tuple[Apparatus, ...] = ()
    blocks: tuple[Block, ...] = ()
    pages: int = 0
    tokens: Sequence[Token] = ()
    """A tuple of tokens, or (from the text stage) the compact ``Tokens`` columns."""
    warnings: tuple[str, ...] = ()
    """Problems found loading the witness that do not stop it (a page with no image, mojibake),
    each one line naming the file and place."""

    _text_tokens: Sequence[Token] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """``text_tokens``, computed on first use (a frozen witness's tokens never change)."""
    _mean_confidence: tuple[float | None] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """``mean_confidence``, computed on first use (every output states it)."""

    def __repr__(self) -> str:
        return (
            f"Witness({self.siglum!r}, {self.kind.value}, {self.format}, "
            f"{len(self.files)} file{'' if len(self.files) == 1 else 's'}, "
            f"{len(self.text)} characters, {len(self.tokens)} tokens)"
        )

    @property
    def text_tokens(self) -> Sequence[Token]:
        """The tokens that are text, not apparatus: what the aligner sees (computed once)."""
        got = self._text_tokens
        if got is None:
            tokens = self.tokens
            if isinstance(tokens, Tokens):
                got = tokens.text_tokens()
            elif all(t.apparatus is None for t in tokens):
                got = tokens
            else:
                got = tuple(t for t in tokens if t.apparatus is None)
            object.__setattr__(self, "_text_tokens", got)
        return got

    @property
    def mean_confidence(self) -> float | None:
        """Mean OCR word confidence over the text tokens that have one; None if none do."""
        got = getattr(self, "_mean_confidence", None)  # None too in a pickle made before it
        if got is None:
            sources = token_sources(self.tokens)
            # Most witnesses (plain text, TEI) carry no confidence at all: one C-level pass over
            # their sources says so, without a Python step a token.
            if {None}.issuperset(map(_CONFIDENCE, filter(None, sources))):
                got = (None,)
            else:
                kinds = token_apparatus(self.tokens)
                values = [
                    source.confidence
                    for source, kind in zip(sources, kinds, strict=True)
                    if kind is None and source is not None and source.confidence is not None
                ]
                got = (sum(values) / len(values) if values else None,)
            object.__setattr__(self, "_mean_confidence", got)
        return got[0]


class ColumnKind(StrEnum):
    """Whether the witnesses agree in a column."""

    EQUAL = "equal"
    VARIANT = "variant"


@dataclass(frozen=True, slots=True)
class Column:
    """One place in the alignment: each witness's reading there, as indices into its tokens.

    A siglum absent from ``readings`` (or mapped to ``()``) has no reading here: an omission.
    ``transposition`` links the columns of one transposed block across its two places.
    """

    readings: Mapping[str, tuple[int, ...]]
    kind: ColumnKind
    transposition: int | None = None


@dataclass(frozen=True, slots=True)
class Transposition:
    """A block that stands in a different order in some witnesses.

    ``columns`` are the indices of the columns holding the block at each of its places.
    """

    id: int
    sigla: tuple[str, ...]
    columns: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The collation of N witnesses: ordered columns covering every text token of each.

    Invariant: for each siglum, the token indices over all columns, in column order, are that
    witness's text tokens each exactly once and in order, except tokens of a transposed block,
    which stand at both of its places (linked through ``transpositions``).
    """

    sigla: tuple[str, ...]
    columns: tuple[Column, ...]
    transpositions: tuple[Transposition, ...] = ()


class VariantClass(StrEnum):
    """The taxonomy of variants (README, "Variant classes")."""

    OCR_CONFUSION = "ocr-confusion"
    PUNCTUATION = "punctuation"
    MISSPELLING = "misspelling"
    SUBSTITUTION = "substitution"
    SPELLING_VARIANT = "spelling-variant"
    CASE = "case"
    HYPHENATION = "hyphenation"
    SPACING = "spacing"
    TYPOGRAPHIC = "typographic"
    ADDITION = "addition"
    OMISSION = "omission"
    TRANSPOSITION = "transposition"
    EDITORIAL = "editorial"
    APPARATUS = "apparatus"


@dataclass(frozen=True, slots=True)
class Location:
    """A span of one witness's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Variant:
    """A place where witnesses differ, classified, with a suggested reading and its reasons.

    ``readings`` maps every siglum to its text there (``""`` for absence). ``id`` is stable across
    runs: a hash of the sigla, readings and context. ``suspect`` lists the sigla judged wrong.
    """

    id: str
    columns: tuple[int, ...]
    cls: VariantClass
    classes: tuple[VariantClass, ...]
    readings: Mapping[str, str]
    locations: Mapping[str, Location]
    context: tuple[str, str]
    """A few words of the target's (or first witness's) text before and after."""
    suggestion: str | None = None
    confidence: float = 0.0
    suspect: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Flag:
    """A suspicious reading found by a single-witness check."""

    witness: str
    start: int
    end: int
    text: str
    check: str
    cls: VariantClass
    message: str
    suggestion: str | None = None
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Collation:
    """Everything a run produced: the witnesses, their alignment and the findings."""

    manifest: Manifest
    witnesses: tuple[Witness, ...]
    alignment: Alignment
    variants: tuple[Variant, ...] = ()
    flags: tuple[Flag, ...] = ()
    profile: str = "default"
    created: str = ""
    version: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def target(self) -> str:
        """The siglum of the witness being proofread: the manifest's, else the last listed."""
        return self.manifest.target or self.witnesses[-1].siglum

    def __repr__(self) -> str:
        # The generated repr spells out every token and column: a million characters for a
        # letter. This one says what the collation is, in one line.
        sigla = ", ".join(w.siglum for w in self.witnesses)
        return (
            f"Collation({self.manifest.title!r}, target {self.target}, "
            f"{len(self.witnesses)} witnesses ({sigla}), {len(self.variants)} variants, "
            f"{len(self.flags)} flags)"
        )

    def _repr_html_(self) -> str:
        """A short HTML summary for notebooks (drawn by render/, like every HTML view)."""
        from proofbench.render.notebook import notebook_html

        return notebook_html(self)

    def witness(self, siglum: str) -> Witness:
        """The witness of that siglum; raises KeyError if none."""
        for w in self.witnesses:
            if w.siglum == siglum:
                return w
        raise KeyError(siglum)
