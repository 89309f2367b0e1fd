"""Single-witness checks: suspicious readings found in one text, without other witnesses.

Input: a tokenized ``Witness`` (its text tokens; for ``proofbench check FILE`` the whole file is
text); output: ``Flag`` objects sorted by offset. Checks, each named in ``Flag.check``:

- ``initials-comma``   a comma between initials: ``L,D.``
- ``colon-space``      no space after a colon between words: ``Written:July``
- ``space-before``     a space before a comma, period, semicolon or colon
- ``unbalanced``       a bracket or quotation mark without its partner in a paragraph
- ``doubled-word``     a function word written twice: ``the the``
- ``inline-hyphen``    a hyphen left inside a line: ``com- munication``
                       better (``the huge and jammed ball`` -> ``hall``)
- ``non-word``         a word the lexicon does not know, one slip from a common word
- ``inconsistent``     a form used once where the text otherwise writes it another way

All are tuned to stay quiet on clean text (under one false alarm per 1,000 words on the clean
books measured by ``benchmarks/false_alarms.py``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from proofbench.classify.forms import core, is_nonword, word_zipf
from proofbench.classify.spelling import best_candidate
from proofbench.model import Flag, Token, VariantClass, Witness

_INITIALS_COMMA = re.compile(r"^\(?((?:[A-Z]\.)*[A-Z]),([A-Z]\.)")
_COLON = re.compile(r"^([A-Za-z]{2,}):([A-Za-z]{2,})")
_LONE_PUNCT = re.compile(r"^[,.;:]+$")
_ELLIPSIS = re.compile(r"^\.{2,}|^…")
DOUBLED = frozenset(
    ("the", "a", "an", "of", "to", "and", "in", "on", "at", "for", "with", "by", "from", "as",
     "or", "but", "into", "onto", "upon")
)  # fmt: skip
"""Words that never stand twice in a row in good English (``had had``, ``that that`` can)."""
_PAIRS = (("(", ")"), ("[", "]"), ("\u201c", "\u201d"))
HYPHEN_MAJORITY = 6
"""A compound written once otherwise is flagged only against this many of the other form."""


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


def _initials(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    for t in toks:
        m = _INITIALS_COMMA.match(t.t)
        if m:
            fixed = t.t.replace(f"{m.group(1)},{m.group(2)}", f"{m.group(1)}.{m.group(2)}", 1)
            yield _flag(
                w, t.start, t.end, "initials-comma", VariantClass.PUNCTUATION,
                f"a comma between initials in {t.t!r}", fixed, 0.8,
            )  # fmt: skip


def _colon(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    for t in toks:
        m = _COLON.match(t.t)
        if m and "://" not in t.t:
            fixed = t.t.replace(":", ": ", 1)
            yield _flag(
                w, t.start, t.end, "colon-space", VariantClass.SPACING,
                f"no space after the colon in {t.t!r}", fixed, 0.7,
            )  # fmt: skip


def _space_before(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    for prev, t in itertools.pairwise(toks):
        if not _LONE_PUNCT.match(t.t) or _ELLIPSIS.match(t.t):
            continue
        gap = w.text[prev.end : t.start]
        if "\n" in gap or not core(prev.t):
            continue
        yield _flag(
            w, prev.start, t.end, "space-before", VariantClass.SPACING,
            f"a space before {t.t!r}", prev.t + t.t, 0.5,
        )  # fmt: skip


def paragraphs(w: Witness, toks: Sequence[Token]) -> list[list[Token]]:
    """The text tokens grouped by paragraph: the witness's blocks, else blank-line breaks."""
    groups: list[list[Token]] = []
    if w.blocks:
        ends = sorted((b.start, b.end) for b in w.blocks)
        bi = 0
        current: list[Token] = []
        for t in toks:
            while bi < len(ends) and t.start >= ends[bi][1]:
                bi += 1
                if current:
                    groups.append(current)
                    current = []
            current.append(t)
        if current:
            groups.append(current)
        return groups
    current = []
    prev_end = 0
    for t in toks:
        if current and "\n\n" in w.text[prev_end : t.start].replace(" ", "").replace("\r", ""):
            groups.append(current)
            current = []
        current.append(t)
        prev_end = t.end
    if current:
        groups.append(current)
    return groups


def _unbalanced(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    for para in paragraphs(w, toks):
        text = " ".join(t.t for t in para)
        for opening, closing in _PAIRS:
            n_open, n_close = text.count(opening), text.count(closing)
            # A quotation running on into the next paragraph legitimately has no closing mark;
            # a closing mark with no opening one, or an unclosed bracket, is a slip.
            bad = n_close > n_open if opening == "\u201c" else n_open != n_close
            if not bad:
                continue
            mark = closing if n_close > n_open else opening
            tok = next(t for t in (para if mark == opening else reversed(para)) if mark in t.t)
            yield _flag(
                w, tok.start, tok.end, "unbalanced", VariantClass.PUNCTUATION,
                f"{mark!r} without its partner in this paragraph", None, 0.4,
            )  # fmt: skip


def _doubled(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    for prev, t in itertools.pairwise(toks):
        if prev.t.lower() in DOUBLED and t.t.lower().strip(",.;:!?") == prev.t.lower():
            yield _flag(
                w, prev.start, t.end, "doubled-word", VariantClass.ADDITION,
                f"{prev.t!r} written twice", t.t, 0.8,
            )  # fmt: skip


def _inline_hyphen(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    for prev, t in itertools.pairwise(toks):
        if not prev.t.endswith("-") or prev.t.endswith("--") or "\n" in w.text[prev.end : t.start]:
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


def _inflected(word: str, candidate: str) -> bool:
    """True if ``word`` is ``candidate`` with an ending added (``yieldings``, ``drivest``)."""
    return word.startswith(candidate) or (word.endswith(("est", "eth")) and len(word) > 5)


def _nonwords(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    counts = Counter(core(t.t) for t in toks)
    for _i, t in enumerate(toks):
        c = core(t.t)
        if counts[c] > 1 or len(c) < 4 or not is_nonword(c) or "'" in t.t or "’" in t.t:
            continue
        capital = c[:1].isupper()
        if capital and (len(c) < 6 or c.isupper()):
            continue
        best = best_candidate(c, 4.0 if capital else 3.0)
        if best is None or _inflected(c.lower(), best[0].lower()):
            continue
        fixed = t.t.replace(c, best[0], 1)
        how = "an OCR shape confusion" if best[2] else "one slip"
        yield _flag(
            w, t.start, t.end, "non-word", VariantClass.MISSPELLING,
            f"{c!r} is not a known word; {best[0]!r} is {how} away", fixed,
            0.7 if best[2] else 0.6,
        )  # fmt: skip


def _skeleton(c: str) -> str:
    return re.sub(r"[,.;:]", ".", c)


def _inconsistent(w: Witness, toks: Sequence[Token]) -> Iterator[Flag]:
    keys: set[str] = set()
    for t in toks:
        c = core(t.t)
        if len(c) >= 3 and re.search(r"\w[,.;:-]\w", c):
            keys.update((_skeleton(c), c.replace("-", "")))
    by_key: dict[str, Counter[str]] = {}
    for t in toks:
        c = core(t.t)
        for key in {_skeleton(c), c.replace("-", "")} & keys:
            by_key.setdefault(key, Counter())[c] += 1
    for t in toks:
        c = core(t.t)
        if not c:
            continue
        for key in (_skeleton(c), c.replace("-", "")):
            forms = by_key.get(key)
            if not forms or len(forms) < 2 or forms[c] != 1:
                continue
            top, n = forms.most_common(1)[0]
            # Compounds vary more in good books (``to-day``/``today``) than initials do.
            need = HYPHEN_MAJORITY if key == c.replace("-", "") else 3
            if top != c and n >= need:
                cls = (
                    VariantClass.HYPHENATION
                    if c.replace("-", "") == top.replace("-", "")
                    else VariantClass.PUNCTUATION
                )
                yield _flag(
                    w, t.start, t.end, "inconsistent", cls,
                    f"{c!r} once, where the text writes {top!r} {n} times",
                    t.t.replace(c, top, 1), 0.6,
                )  # fmt: skip
                break


CHECKS = (
    _initials,
    _colon,
    _space_before,
    _unbalanced,
    _doubled,
    _inline_hyphen,
    _nonwords,
    _inconsistent,
)


def check(witness: Witness) -> tuple[Flag, ...]:
    """Every single-witness flag of the witness's text tokens, sorted by offset then check."""
    toks = witness.text_tokens
    flags = [f for run in CHECKS for f in run(witness, toks)]
    flags.sort(key=lambda f: (f.start, f.end, f.check))
    return tuple(flags)
