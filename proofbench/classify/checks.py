"""Single-witness checks: suspicious readings found in one text, without other witnesses.

Input: a tokenized ``Witness`` (its text tokens; for ``proofbench check FILE`` the whole file is
text); output: ``Flag`` objects sorted by offset. Checks, each named in ``Flag.check``:

- ``initials-comma``   a comma between initials: ``U,S.``
- ``colon-space``      no space after a colon between words: ``Dated:May``
- ``space-before``     a space before a comma, period, semicolon or colon
- ``unbalanced``       a bracket or quotation mark without its partner in a paragraph
- ``escaped-quote``    the same, where a backslash stands before the mark (``\\”``: text escaped
                       for the web or a program, the backslash kept)
- ``doubled-word``     a function word written twice: ``the the``
- ``inline-hyphen``    a hyphen left inside a line: ``com- munication``
- ``inconsistent``     a form used once where the text otherwise writes it another way
- ``line-end-dash``    a hyphen at a line end between two words where the text's own usage says
                       a dash (``--``) broke there, not a compound (``army-⏎a``)
- ``suspect-word``     a word whose probability of error (``classify.suspect``: a logistic model
                       fitted on real OCR against its ground truth) reaches the threshold; this
                       covers non-words, digits or capitals inside words, punctuation inside
                       words, mojibake, repeated non-words and scannos

The false alarms of all of them on clean books are measured by ``benchmarks/false_alarms.py``.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from proofbench.classify.forms import core, word_zipf
from proofbench.classify.suspect import (
    STATIC,
    check_model,
    dictionary_candidate,
    disputed_probabilities,
    forget,
    known_word,
    probabilities,
    suspects,
    text_forms,
)
from proofbench.classify.wordlists import WordLists, current
from proofbench.collector import paused
from proofbench.model import (
    Flag,
    Token,
    VariantClass,
    Witness,
    token_ends,
    token_starts,
)
from proofbench.text.lexicon import good_word_set, good_words_as

_INITIALS_COMMA = re.compile(r"^\(?((?:[A-Z]\.)*[A-Z]),([A-Z]\.)")
_COLON = re.compile(r"^([A-Za-z]{2,}):([A-Za-z]{2,})")
_LONE_PUNCT = re.compile(r"^[,.;:]+$")
_ELLIPSIS = re.compile(r"^\.{2,}|^…")
DOUBLED = frozenset(
    ("the", "a", "an", "of", "to", "and", "in", "on", "at", "for", "with", "by", "from", "as",
     "or", "but", "into", "onto", "upon")
)  # fmt: skip
"""Words that never stand twice in a row in good English (``had had``, ``that that`` can)."""
_BLANK_LINE = re.compile(r"\n[ \r]*\n")
_PAIRS = (("(", ")"), ("[", "]"), ("\u201c", "\u201d"))
_PAIR_CHARS = "".join(a + b for a, b in _PAIRS)
_ESCAPED = re.compile(r"\\+([\"'\u201c\u201d\u2018\u2019])")
_PAIR_CHAR = re.compile("[" + re.escape(_PAIR_CHARS) + "]")
HYPHEN_MAJORITY = 6
"""A compound written once otherwise is flagged only against this many of the other form."""


@dataclass(frozen=True, slots=True)
class _Text:
    """The tokens, their texts, the distinct texts (in order) and each token's index among
    them: the checks work out what they can per distinct form, which a book repeats many times,
    and find the tokens of the forms they want with one array operation."""

    toks: Sequence[Token]
    texts: Sequence[str]
    distinct: dict[str, int]
    ids: np.ndarray

    @classmethod
    def of(cls, toks: Sequence[Token]) -> _Text:
        # the pass the word model's evidence makes too (``suspect.text_forms``): made once
        written = text_forms(toks)
        return cls(toks, written.texts, written.distinct, written.ids)

    def where(self, forms: Iterable[str]) -> list[int]:
        """The indices, in order, of the tokens written as one of ``forms``."""
        wanted = np.zeros(len(self.distinct), dtype=bool)
        wanted[[self.distinct[f] for f in forms]] = True
        found: list[int] = np.flatnonzero(wanted[self.ids]).tolist()
        return found

    def counts(self) -> dict[str, int]:
        """How many tokens each distinct text has."""
        n = np.bincount(self.ids, minlength=len(self.distinct)).tolist()
        return dict(zip(self.distinct, n, strict=True))


def _flag(
    w: Witness,
    start: int,
    end: int,
    check: str,
    cls: VariantClass,
    message: str,
    suggestion: str | None,
    confidence: float,
) -> Flag:
    return Flag(
        witness=w.siglum,
        start=start,
        end=end,
        text=w.text[start:end],
        check=check,
        cls=cls,
        message=message,
        suggestion=suggestion,
        confidence=confidence,
    )


def _initials(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    found = {s: m for s in x.distinct if "," in s and (m := _INITIALS_COMMA.match(s))}
    for t in [toks[i] for i in x.where(found)] if found else ():
        m = found[t.t]
        if m:
            fixed = t.t.replace(f"{m.group(1)},{m.group(2)}", f"{m.group(1)}.{m.group(2)}", 1)
            yield _flag(
                w, t.start, t.end, "initials-comma", VariantClass.PUNCTUATION,
                f"a comma between initials in {t.t!r}", fixed, 0.8,
            )  # fmt: skip


def _colon(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    found = {s for s in x.distinct if ":" in s and _COLON.match(s) and "://" not in s}
    for t in [toks[i] for i in x.where(found)] if found else ():
        if t.t in found:
            fixed = t.t.replace(":", ": ", 1)
            yield _flag(
                w, t.start, t.end, "colon-space", VariantClass.SPACING,
                f"no space after the colon in {t.t!r}", fixed, 0.7,
            )  # fmt: skip


def _space_before(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    lone = {s for s in x.distinct if _LONE_PUNCT.match(s) and not _ELLIPSIS.match(s)}
    for i in [i for i in x.where(lone) if i]:
        prev, t = toks[i - 1], toks[i]
        gap = w.text[prev.end : t.start]
        if "\n" in gap or not core(prev.t):
            continue
        yield _flag(
            w, prev.start, t.end, "space-before", VariantClass.SPACING,
            f"a space before {t.t!r}", prev.t + t.t, 0.5,
        )  # fmt: skip


def paragraphs(w: Witness, toks: Sequence[Token]) -> list[list[Token]]:
    """The text tokens grouped by paragraph: the witness's blocks, else blank-line breaks."""
    cuts = paragraph_starts(w, toks)
    return [list(toks[a:b]) for a, b in zip(cuts, [*cuts[1:], len(toks)], strict=True)]


def paragraph_starts(w: Witness, toks: Sequence[Token]) -> list[int]:
    """The index of each paragraph's first token (see ``paragraphs``), in order; empty if there
    are no tokens."""
    if not toks:
        return []
    if w.blocks:
        # A token belongs to the first block (in order of start) that ends after it starts:
        # the first block whose end, run up to its place as a maximum, exceeds the token's
        # start (a block before it ends at or before the token's start, as its running maximum
        # says); a paragraph starts where that block changes. One ``searchsorted`` over the
        # tokens rather than a walk of them.
        ends = sorted((b.start, b.end) for b in w.blocks)
        reach = np.maximum.accumulate(np.array([e for _, e in ends], dtype=np.int64))
        block = np.searchsorted(reach, np.asarray(token_starts(toks), dtype=np.int64), "right")
        changed = np.flatnonzero(block[1:] != block[:-1]) + 1
        return [0, *changed.tolist()]
    # A break is a blank line (spaces and carriage returns aside) between two tokens; found in
    # the text once, then placed among the tokens by offset rather than by slicing every gap.
    # (the blank lines' ends placed among the token starts in one ``searchsorted``)
    spans = [m.span() for m in _BLANK_LINE.finditer(w.text)]
    if not spans:
        return [0]
    at = np.array(spans, dtype=np.int64).reshape(-1, 2)
    starts = np.asarray(token_starts(toks), dtype=np.int64)
    token_end = np.asarray(token_ends(toks), dtype=np.int64)
    after = np.searchsorted(starts, at[:, 1], side="left")
    inside = (after > 0) & (after < len(toks))
    after, gap_start = after[inside], at[inside, 0]
    cuts = np.unique(after[token_end[after - 1] <= gap_start])
    return [0, *cuts.tolist()]


def _unbalanced(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    marks = {
        s: {c: s.count(c) for c in _PAIR_CHARS if c in s}
        for s in x.distinct
        if _PAIR_CHAR.search(s)
    }
    if not marks:
        return
    # only the tokens with a mark are counted, each in the paragraph it falls in
    starts = paragraph_starts(w, toks)
    by_para: dict[int, list[int]] = {}
    for i in x.where(marks):
        by_para.setdefault(bisect.bisect_right(starts, i) - 1, []).append(i)
    for _, members in sorted(by_para.items()):
        total: Counter[str] = Counter()
        for i in members:
            total.update(marks[x.texts[i]])
        for opening, closing in _PAIRS:
            n_open, n_close = total[opening], total[closing]
            # A quotation running on into the next paragraph legitimately has no closing mark;
            # a closing mark with no opening one, or an unclosed bracket, is a slip.
            bad = n_close > n_open if opening == "\u201c" else n_open != n_close
            if not bad:
                continue
            mark = closing if n_close > n_open else opening
            order = members if mark == opening else reversed(members)
            tok = next(toks[i] for i in order if mark in toks[i].t)
            if "\\" + mark in tok.t:
                # ``\”``: a quotation mark escaped for a web page or a program, the backslash
                # left in the text, is why the marks do not pair
                yield _flag(
                    w, tok.start, tok.end, "escaped-quote", VariantClass.PUNCTUATION,
                    f"a backslash before {mark!r}: an escaping artefact of web text",
                    _ESCAPED.sub(r"\1", tok.t), 0.4,
                )  # fmt: skip
                continue
            yield _flag(
                w, tok.start, tok.end, "unbalanced", VariantClass.PUNCTUATION,
                f"{mark!r} without its partner in this paragraph", None, 0.4,
            )  # fmt: skip


def _doubled(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    if len(toks) < 2:
        return
    # per distinct form, the function word it is as a first word and as a second (its index
    # in ``DOUBLED``, -1 for none); then one comparison of neighbours over the tokens
    word = {v: k for k, v in enumerate(DOUBLED)}
    first = np.fromiter(
        (word.get(s.lower(), -1) for s in x.distinct), dtype=np.int64, count=len(x.distinct)
    )
    second = np.fromiter(
        (word.get(s.lower().strip(",.;:!?"), -2) for s in x.distinct),
        dtype=np.int64,
        count=len(x.distinct),
    )
    for i in np.flatnonzero(first[x.ids[:-1]] == second[x.ids[1:]]).tolist():
        prev, t = toks[i], toks[i + 1]
        yield _flag(
            w, prev.start, t.end, "doubled-word", VariantClass.ADDITION,
            f"{prev.t!r} written twice", t.t, 0.8,
        )  # fmt: skip


def _inline_hyphen(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    ends = {s for s in x.distinct if s.endswith("-") and not s.endswith("--")}
    for i in [i for i in x.where(ends) if i + 1 < len(x.texts)]:
        prev, t = toks[i], toks[i + 1]
        if "\n" in w.text[prev.end : t.start]:
            continue
        head, tail = core(prev.t), core(t.t)
        if not head.isalpha() or not tail.isalpha() or not tail[0].islower():
            continue
        joined = head + tail
        if word_zipf(joined) >= 2.5 and word_zipf(joined) > word_zipf(head):
            yield _flag(
                w, prev.start, t.end, "inline-hyphen", VariantClass.HYPHENATION,
                f"a line-end hyphen left inside a line: {prev.t} {t.t}", joined, 0.7,
            )  # fmt: skip


_SKELETON = re.compile(r"[,.;:]")
_MARKS = re.compile(r"[,.;:-]")
_INNER_MARK = re.compile(r"\w[,.;:-]\w")


def _skeleton(c: str) -> str:
    return _SKELETON.sub(".", c)


def _inconsistent(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    # worked out per distinct form: books repeat them; each form's core found once (the hits
    # below read it again), the counts added in a plain dict (a Counter's += took 2.5 times
    # as long on War and Peace's 40,949 forms: 0.051 against 0.018 s of CPU)
    per_form = x.counts()
    cores = [core(s) for s in per_form]
    counts: dict[str, int] = {}
    for c, n in zip(cores, per_form.values(), strict=True):
        counts[c] = counts.get(c, 0) + n
    # the cores with a mark, found once (the passes below ask of every core whether it has one)
    marked = {c for c in counts if _MARKS.search(c)}
    keys: set[str] = set()
    for c in marked:
        if len(c) >= 3 and _INNER_MARK.search(c):
            keys.update((_skeleton(c), c.replace("-", "")))
    if not keys:
        return
    by_key: dict[str, Counter[str]] = {}
    for c, n in counts.items():
        # a form without , . ; : - is its own skeleton and its own unhyphenated form
        if c in marked:
            for key in {_skeleton(c), c.replace("-", "")} & keys:
                by_key.setdefault(key, Counter())[c] += n
        elif c in keys:
            by_key.setdefault(c, Counter())[c] += n
    found: dict[str, tuple[str, int, VariantClass]] = {}
    for c, n in counts.items():
        if not c or n != 1 or (c not in marked and c not in keys):
            continue
        for key in (_skeleton(c), c.replace("-", "")):
            forms = by_key.get(key)
            if not forms or len(forms) < 2:
                continue
            top, m = forms.most_common(1)[0]
            # Compounds vary more in good books (``to-day``/``today``) than initials do.
            need = HYPHEN_MAJORITY if key == c.replace("-", "") else 3
            if top != c and m >= need:
                cls = (
                    VariantClass.HYPHENATION
                    if c.replace("-", "") == top.replace("-", "")
                    else VariantClass.PUNCTUATION
                )
                found[c] = (top, m, cls)
                break
    if not found:
        return
    hits = {s: c for s, c in zip(per_form, cores, strict=True) if c in found}
    for t in [toks[i] for i in x.where(hits)]:
        c = hits[t.t]
        top, m, cls = found[c]
        yield _flag(
            w, t.start, t.end, "inconsistent", cls,
            f"{c!r} once, where the text writes {top!r} {m} times",
            t.t.replace(c, top, 1), 0.6,
        )  # fmt: skip


_LINE_END = re.compile(r"^(\W*)([^\W\d_]+)-[ \t]*\r?\n\s*([^\W\d_]+)(.*)$", re.DOTALL)
_DASHED = re.compile(r"([^\W\d_]+)?(?:--|\u2014)([^\W\d_]+)?")
_COMPOUND = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?![\w-])")


def dash_odds(texts: Sequence[str], dashed_at: Iterable[int]) -> tuple[Counter[str], Counter[str]]:
    """How often each lower-cased word stands beside a dash (``--`` or ``—``: ``army--`` then
    ``a``, as the tokenizer leaves them) and how often it is part of a compound written on one
    line (``good-natured``), over the tokens' texts in order: the text's own evidence of what a
    hyphen between two words stands for. ``dashed_at`` are the indices of the tokens with a
    dash (the others are not read for it)."""
    dashed: Counter[str] = Counter()
    for i in dashed_at:
        s = texts[i]
        parts = [m.groups() for m in _DASHED.finditer(s)]
        dashed.update(w.lower() for g in parts for w in g if w)
        ends = (
            bool(parts) and parts[-1][1] is None and s.rstrip(_CLOSERS).endswith(("--", "\u2014"))
        )
        if ends and i + 1 < len(texts) and (m := _LEAD_WORD.match(texts[i + 1])):
            dashed[m.group(1).lower()] += 1
    joined: Counter[str] = Counter()
    for s in set(texts):
        if "-" in s and "\n" not in s and "--" not in s:
            for m in _COMPOUND.finditer(s):
                joined.update((m.group(1).lower(), m.group(2).lower()))
    return dashed, joined


_CLOSERS = "\"'\u201d\u2019)]"
_LEAD_WORD = re.compile(r"^\W*([^\W\d_]+)")


def _line_end_dash(w: Witness, x: _Text) -> Iterator[Flag]:
    """A hyphen at a line end between two words whose joined form is no word: a dash (``--``)
    broken at the line end keeps one hyphen. Its probability is the text's own: how often the
    two words stand beside a dash rather than in a one-line compound, with one of each added
    (Laplace's rule), so a pair the text never shows is even and not flagged."""
    found = {s: m for s in x.distinct if "\n" in s and (m := _LINE_END.match(s))}
    found = {s: m for s, m in found.items() if not known_word(m.group(2) + m.group(3))}
    if not found:
        return
    dashes = [t for t in x.distinct if "--" in t or "\u2014" in t]
    dashed, joined = dash_odds(x.texts, x.where(dashes) if dashes else ())
    for s, m in found.items():
        head, tail = m.group(2).lower(), m.group(3).lower()
        k = dashed[head] + dashed[tail]
        p = (k + 1) / (k + joined[head] + joined[tail] + 2)
        if p <= 0.5:
            continue
        fixed = f"{m.group(1)}{m.group(2)}--{m.group(3)}{m.group(4)}"
        for t in [x.toks[i] for i in x.where([s])]:
            yield _flag(
                w, t.start, t.end, "line-end-dash", VariantClass.PUNCTUATION,
                f"a hyphen at a line end between {m.group(2)!r} and {m.group(3)!r}: this text "
                f"writes them beside a dash {k} times, in a compound "
                f"{joined[head] + joined[tail]}", fixed, round(p, 3),
            )  # fmt: skip


CHECKS = (
    _initials,
    _colon,
    _space_before,
    _unbalanced,
    _doubled,
    _inline_hyphen,
    _inconsistent,
    _line_end_dash,
)


def _covers(spans: list[tuple[int, int]], i: int, f: Flag) -> bool:
    """True if one of the (sorted) spans up to ``i`` overlaps the flag (spans are short)."""
    while i >= 0 and spans[i][0] > f.start - 64:
        if spans[i][0] < f.end and f.start < spans[i][1]:
            return True
        i -= 1
    return False


def check(
    witness: Witness, min_confidence: float | None = None, per_thousand: float | None = None
) -> tuple[Flag, ...]:
    """Every single-witness flag of the witness's text tokens, sorted by offset then check.

    ``suspect-word`` flags (a word's probability of error, ``classify.suspect``) are given at
    or above ``min_confidence``, by default the model's own threshold; the other checks' flags
    at or above ``min_confidence`` if it is given. With ``per_thousand``, the words likeliest to
    be wrong are flagged too, that many per 1,000 words of the witness, whatever their
    probability: a proofreader's budget for a clean text, whose probabilities are all small
    (its share of errors, estimated on it, is far below the training OCR's)."""
    with paused():
        return _check(witness, min_confidence, per_thousand)


def check_each(witnesses: Mapping[str, Witness], siglum: str) -> tuple[Flag, ...]:
    """``check`` of the witness ``siglum`` of a collation's ``witnesses``, as a collation calls
    it for each in turn (in this process or a forked one): the form features the witnesses
    share (``suspect.STATIC``) are worked out once, and let go after the last witness's check
    so that they do not stand beside the weighing of the places."""
    try:
        return check(witnesses[siglum])
    finally:
        if siglum == list(witnesses)[-1]:
            STATIC.clear()


def budget(n_tokens: int, per_thousand: float | None) -> int:
    """How many words ``per_thousand`` per 1,000 words is for a text of ``n_tokens`` (rounded
    up: a short text asked for any still gets one)."""
    if not per_thousand or per_thousand <= 0 or not n_tokens:
        return 0
    return math.ceil(per_thousand * n_tokens / 1000)


def _check(
    witness: Witness, min_confidence: float | None, per_thousand: float | None = None
) -> tuple[Flag, ...]:
    toks = witness.text_tokens
    text = _Text.of(toks)
    flags = [f for run in CHECKS for f in run(witness, text)]
    lists = current()
    if lists.bad or lists.scannos:
        flags.extend(_listed(witness, text, lists))
    if min_confidence is not None:
        flags = [f for f in flags if f.confidence >= min_confidence]
    # a word a specific check has flagged keeps that check's flag, with its specific repair
    taken = {(f.start, f.end) for f in flags}
    starts = sorted(taken)
    for f in suspects(witness, toks, min_confidence, budget(len(toks), per_thousand)):
        i = bisect.bisect_right(starts, (f.end, f.end)) - 1
        if (f.start, f.end) in taken or (i >= 0 and _covers(starts, i, f)):
            continue
        flags.append(f)
    if lists.good:  # a good word is never flagged
        flags = [f for f in flags if core(f.text).lower() not in lists.good]
    flags.sort(key=lambda f: (f.start, f.end, f.check))
    disputed = _disputed(witness, toks, flags)
    forget()  # the witness's evidence served its suspects and disputed words: let it go
    return Checked(flags, disputed)


class Checked(tuple[Flag, ...]):
    """A witness's flags (a tuple), and beside them (``disputed``, by (start, end)) the flag
    ``with_disputed`` gives each of its words should the word stand at a place the witnesses
    dispute: prepared here, with the evidence at hand, so that a collation whose witnesses
    were checked in another process does not work the evidence out again. The words' dictionary
    candidates (the costly part) are looked for only when ``disputed`` is first read (a
    collation reads it of the target alone, ``proofbench check`` never), under the good words
    in force at the check; a pickled ``Checked`` carries them found."""

    _ready: dict[tuple[int, int], Flag] | None
    _pending: Callable[[], dict[tuple[int, int], Flag]] | None

    def __new__(
        cls,
        flags: Iterable[Flag],
        disputed: dict[tuple[int, int], Flag] | Callable[[], dict[tuple[int, int], Flag]],
    ) -> Checked:
        made = super().__new__(cls, flags)
        made._ready = disputed if isinstance(disputed, dict) else None
        made._pending = None if isinstance(disputed, dict) else disputed
        return made

    @property
    def disputed(self) -> dict[tuple[int, int], Flag]:
        """The flag of each word (by its (start, end)) should it stand at a disputed place."""
        if self._pending is not None:
            self._ready, self._pending = self._pending(), None
        assert self._ready is not None
        return self._ready

    def __reduce__(
        self,
    ) -> tuple[type[Checked], tuple[tuple[Flag, ...], dict[tuple[int, int], Flag]]]:
        return (Checked, (tuple(self), self.disputed))


def _disputed(
    witness: Witness, toks: Sequence[Token], flags: Sequence[Flag]
) -> Callable[[], dict[tuple[int, int], Flag]]:
    """What works out the flag ``with_disputed`` gives each token not flagged already whose core
    is letters only and no dictionary's, whose probability under the training share of errors
    reaches the threshold, and that has a dictionary candidate (see ``with_disputed``): the
    tokens and probabilities are found now, their candidates when it is called."""
    if not toks:
        return dict
    threshold = check_model().threshold
    covered = {(f.start, f.end) for f in flags}
    probs = disputed_probabilities(toks)
    asked: list[tuple[Token, str, float]] = []
    for i in np.flatnonzero(probs >= threshold).tolist():
        t = toks[i]
        c = core(t.t)
        if (t.start, t.end) in covered or not c.isalpha() or known_word(c):
            continue
        asked.append((t, c, float(probs[i])))
    good = good_word_set()

    def found() -> dict[tuple[int, int], Flag]:
        out: dict[tuple[int, int], Flag] = {}
        with good_words_as(good):
            for t, c, p in asked:
                made = _disputed_flag(witness, t, c, p)
                if made is not None:
                    out[t.start, t.end] = made
        return out

    return found


def _disputed_flag(witness: Witness, t: Token, c: str, p: float) -> Flag | None:
    fix = dictionary_candidate(c)
    if fix is None:  # a name the witnesses spell differently (``Ulianov``/``Ulianoy``)
        return None
    return _flag(
        witness, t.start, t.end, "suspect-word", VariantClass.MISSPELLING,
        f"not a dictionary word, and no witness reads one here: probability of error "
        f"{p:.2f} at a disputed place",
        t.t.replace(c, fix, 1), round(p, 3),
    )  # fmt: skip


def _listed(w: Witness, x: _Text, lists: WordLists) -> Iterator[Flag]:
    """A flag for each word of the manifest's bad words (confidence 1: the user says so) or of
    the user's scanno list (confidence: the word model's probability of error, the flag given
    whatever the default threshold, since the user asked for the list)."""
    low = {s: core(s).lower() for s in x.distinct}
    hits = x.where(s for s, c in low.items() if c in lists.bad or c in lists.scannos)
    if not hits:
        return
    probs = probabilities(x.toks)
    for i in hits:
        t = x.toks[i]
        c = low[t.t]
        if c in lists.bad:
            yield _flag(
                w, t.start, t.end, "bad-word", VariantClass.MISSPELLING,
                f"{core(t.t)!r} is one of the manifest's bad words", None, 1.0,
            )  # fmt: skip
            continue
        fix = lists.scannos[c]
        if fix is not None:
            head = core(t.t)
            fix = t.t.replace(head, fix[:1].upper() + fix[1:] if head[:1].isupper() else fix, 1)
        yield _flag(
            w, t.start, t.end, "scanno", VariantClass.OCR_CONFUSION,
            f"{core(t.t)!r} is on the scanno list: often an OCR misreading", fix,
            round(float(probs[i]), 3),
        )  # fmt: skip


def with_disputed(
    witness: Witness,
    flags: Sequence[Flag],
    places: Iterable[tuple[tuple[int, int], Iterable[str]]],
) -> tuple[Flag, ...]:
    """The witness's flags and a ``suspect-word`` flag for each of its words at a variant place
    (its (start, end) in the witness, and every witness's reading there) where every reading
    is a single word that no dictionary knows (``sorrowfl`` against ``sorrewful``): its
    probability of error is the word model's with the training share of wrong words
    (``suspect.disputed_probabilities``), flagged at the model's threshold when a dictionary
    word one slip away stands out (``suspect.dictionary_candidate``: the suggestion; without
    one the word is likelier a name spelt two ways). Sorted by offset then check."""
    toks = witness.text_tokens
    starts = token_starts(toks)
    covered = {(f.start, f.end) for f in flags}
    at: list[int] = []
    for (start, end), readings in places:
        words = [r for r in readings if r.strip()]
        if not words or any(len(r.split()) != 1 for r in words):
            continue
        cores = [core(r) for r in words]
        if not all(c.isalpha() and not known_word(c) for c in cores):
            continue
        i = bisect.bisect_left(starts, start)
        if i >= len(toks) or toks[i].start != start or toks[i].end != end:
            continue
        if (start, end) not in covered:
            at.append(i)
    if not at:
        return tuple(flags)
    if isinstance(flags, Checked):  # worked out where the witness was checked
        ready = flags.disputed
        added = [ready[k] for k in ((toks[i].start, toks[i].end) for i in at) if k in ready]
    else:
        threshold = check_model().threshold
        added = []
        for i, p in zip(at, disputed_probabilities(toks, at).tolist(), strict=True):
            made = _disputed_flag(witness, toks[i], core(toks[i].t), p) if p >= threshold else None
            if made is not None:
                added.append(made)
    out = [*flags, *added]
    out.sort(key=lambda f: (f.start, f.end, f.check))
    return tuple(out)
