"""Single-witness checks: suspicious readings found in one text, without other witnesses.

Input: a tokenized ``Witness`` (its text tokens; for ``proofbench check FILE`` the whole file is
text); output: ``Flag`` objects sorted by offset. Checks, each named in ``Flag.check``:

- ``initials-comma``   a comma between initials: ``L,D.``
- ``colon-space``      no space after a colon between words: ``Written:July``
- ``space-before``     a space before a comma, period, semicolon or colon
- ``unbalanced``       a bracket or quotation mark without its partner in a paragraph
- ``doubled-word``     a function word written twice: ``the the``
- ``inline-hyphen``    a hyphen left inside a line: ``com- munication``
- ``inconsistent``     a form used once where the text otherwise writes it another way
- ``suspect-word``     a word whose probability of error (``classify.suspect``: a logistic model
                       fitted on real OCR against its ground truth) reaches the threshold; this
                       covers non-words, digits or capitals inside words, punctuation inside
                       words, mojibake, repeated non-words and scannos

The false alarms of all of them on clean books are measured by ``benchmarks/false_alarms.py``.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from proofbench.classify.forms import core, word_zipf
from proofbench.classify.suspect import probabilities, suspects
from proofbench.classify.wordlists import WordLists, current
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
_BLANK_LINE = re.compile(r"\n[ \r]*\n")
_PAIRS = (("(", ")"), ("[", "]"), ("\u201c", "\u201d"))
_PAIR_CHARS = "".join(a + b for a, b in _PAIRS)
HYPHEN_MAJORITY = 6
"""A compound written once otherwise is flagged only against this many of the other form."""


@dataclass(frozen=True, slots=True)
class _Text:
    """The tokens, their texts, and the distinct texts (in order): the checks work out what
    they can per distinct form, which a book repeats many times."""

    toks: Sequence[Token]
    texts: list[str]
    distinct: dict[str, None]


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
    for t in toks:
        m = found.get(t.t) if found else None
        if m:
            fixed = t.t.replace(f"{m.group(1)},{m.group(2)}", f"{m.group(1)}.{m.group(2)}", 1)
            yield _flag(
                w, t.start, t.end, "initials-comma", VariantClass.PUNCTUATION,
                f"a comma between initials in {t.t!r}", fixed, 0.8,
            )  # fmt: skip


def _colon(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    found = {s for s in x.distinct if ":" in s and _COLON.match(s) and "://" not in s}
    for t in toks:
        if found and t.t in found:
            fixed = t.t.replace(":", ": ", 1)
            yield _flag(
                w, t.start, t.end, "colon-space", VariantClass.SPACING,
                f"no space after the colon in {t.t!r}", fixed, 0.7,
            )  # fmt: skip


def _space_before(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    lone = {s for s in x.distinct if _LONE_PUNCT.match(s) and not _ELLIPSIS.match(s)}
    for i in [i for i, s in enumerate(x.texts) if i and s in lone]:
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
    # A break is a blank line (spaces and carriage returns aside) between two tokens; found in
    # the text once, then placed among the tokens by offset rather than by slicing every gap.
    starts = [t.start for t in toks]
    cuts: set[int] = set()
    for m in _BLANK_LINE.finditer(w.text):
        i = bisect.bisect_left(starts, m.end())
        if 0 < i < len(toks) and toks[i - 1].end <= m.start():
            cuts.add(i)
    lo = 0
    for cut in sorted(cuts):
        if lo < cut:
            groups.append(list(toks[lo:cut]))
            lo = cut
    if lo < len(toks):
        groups.append(list(toks[lo:]))
    return groups


def _unbalanced(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    if not any(c in s for s in x.distinct for c in _PAIR_CHARS):
        return
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


def _doubled(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    first = {s: s.lower() for s in x.distinct if s.lower() in DOUBLED}
    second = {s: s.lower().strip(",.;:!?") for s in x.distinct}
    second = {s: v for s, v in second.items() if v in DOUBLED}
    pairs = zip(x.texts, x.texts[1:], strict=False)
    for i in [i for i, (a, b) in enumerate(pairs) if a in first and b in second]:
        prev, t = toks[i], toks[i + 1]
        if second[t.t] == first[prev.t]:
            yield _flag(
                w, prev.start, t.end, "doubled-word", VariantClass.ADDITION,
                f"{prev.t!r} written twice", t.t, 0.8,
            )  # fmt: skip


def _inline_hyphen(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    ends = {s for s in x.distinct if s.endswith("-") and not s.endswith("--")}
    for i in [i for i, s in enumerate(x.texts[:-1]) if s in ends]:
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
_INNER_MARK = re.compile(r"\w[,.;:-]\w")


def _skeleton(c: str) -> str:
    return _SKELETON.sub(".", c)


def _inconsistent(w: Witness, x: _Text) -> Iterator[Flag]:
    toks = x.toks
    # worked out per distinct form: books repeat them
    counts: Counter[str] = Counter()
    for s, n in Counter(x.texts).items():
        counts[core(s)] += n
    keys: set[str] = set()
    for c in counts:
        if len(c) >= 3 and _INNER_MARK.search(c):
            keys.update((_skeleton(c), c.replace("-", "")))
    if not keys:
        return
    by_key: dict[str, Counter[str]] = {}
    for c, n in counts.items():
        for key in {_skeleton(c), c.replace("-", "")} & keys:
            by_key.setdefault(key, Counter())[c] += n
    found: dict[str, tuple[str, int, VariantClass]] = {}
    for c, n in counts.items():
        if not c or n != 1:
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
    cores = {s: core(s) for s in x.distinct}
    for t in toks:
        c = cores[t.t]
        if c in found:
            top, m, cls = found[c]
            yield _flag(
                w, t.start, t.end, "inconsistent", cls,
                f"{c!r} once, where the text writes {top!r} {m} times",
                t.t.replace(c, top, 1), 0.6,
            )  # fmt: skip


CHECKS = (
    _initials,
    _colon,
    _space_before,
    _unbalanced,
    _doubled,
    _inline_hyphen,
    _inconsistent,
)


def _covers(spans: list[tuple[int, int]], i: int, f: Flag) -> bool:
    """True if one of the (sorted) spans up to ``i`` overlaps the flag (spans are short)."""
    while i >= 0 and spans[i][0] > f.start - 64:
        if spans[i][0] < f.end and f.start < spans[i][1]:
            return True
        i -= 1
    return False


def check(witness: Witness, min_confidence: float | None = None) -> tuple[Flag, ...]:
    """Every single-witness flag of the witness's text tokens, sorted by offset then check.

    ``suspect-word`` flags (a word's probability of error, ``classify.suspect``) are given at
    or above ``min_confidence``, by default the model's own threshold; the other checks' flags
    at or above ``min_confidence`` if it is given."""
    toks = witness.text_tokens
    texts = [t.t for t in toks]
    text = _Text(toks, texts, dict.fromkeys(texts))
    flags = [f for run in CHECKS for f in run(witness, text)]
    lists = current()
    if lists.bad or lists.scannos:
        flags.extend(_listed(witness, text, lists))
    if min_confidence is not None:
        flags = [f for f in flags if f.confidence >= min_confidence]
    # a word a specific check has flagged keeps that check's flag, with its specific repair
    taken = {(f.start, f.end) for f in flags}
    starts = sorted(taken)
    for f in suspects(witness, toks, min_confidence):
        i = bisect.bisect_right(starts, (f.end, f.end)) - 1
        if (f.start, f.end) in taken or (i >= 0 and _covers(starts, i, f)):
            continue
        flags.append(f)
    if lists.good:  # a good word is never flagged
        flags = [f for f in flags if core(f.text).lower() not in lists.good]
    flags.sort(key=lambda f: (f.start, f.end, f.check))
    return tuple(flags)


def _listed(w: Witness, x: _Text, lists: WordLists) -> Iterator[Flag]:
    """A flag for each word of the manifest's bad words (confidence 1: the user says so) or of
    the user's scanno list (confidence: the word model's probability of error, the flag given
    whatever the default threshold, since the user asked for the list)."""
    low = {s: core(s).lower() for s in x.distinct}
    hits = [i for i, s in enumerate(x.texts) if low[s] in lists.bad or low[s] in lists.scannos]
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
