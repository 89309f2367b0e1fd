"""Weighing the testimony at one variant place: which reading to suggest, how sure, and why.

Input: the readings of one place grouped by normalized text, the witnesses (kind, genealogy,
OCR confidences), the confusion model and confidence scale of each OCR witness, the collation's
own word counts and the single-witness flags; output: a ``Verdict`` with the suggested reading,
its probability, the suspect sigla and evidence sentences.

Each reading gets a vector of evidence (``FEATURES``): who reads it (OCR witnesses, with the
log-odds that a word read at that confidence is right, measured on this collation by
``witness_model``; independent transcriptions; copies that keep or depart from their source),
whether an OCR reading differs from another by a confusion this scan makes, and what its words
are (non-words, words outside the dictionary, garbled shapes, how often this text uses them
elsewhere, how they fit their neighbours, a full stop before a lower-case word...). The score of
a reading is the sum of its evidence times the model's coefficients, and its probability the
softmax of the scores over the place's readings (a conditional logit model). The coefficients are
not set by hand: ``benchmarks/fit_judgement.py`` fits them by maximum likelihood on half the
evaluation cases and writes them, with their provenance, to ``data/judgement-model.json``.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from proofbench.classify.confusion import ConfusionModel
from proofbench.classify.context import TextStats, neighbours
from proofbench.classify.data import DATA
from proofbench.classify.error_rates import ErrorRates, log_posterior
from proofbench.classify.forms import core, is_nonword, word_zipf
from proofbench.classify.prose_fit import comparable, prose_fits, spaced_alike
from proofbench.classify.witness_model import ConfidenceScale
from proofbench.model import Flag, Kind, Token, Witness
from proofbench.text.lexicon import in_dictionary
from proofbench.text.lexicon import shape_logprob as _shape_logprob

FEATURES = (
    "ocr",
    "ocr_logit",
    "ocr_learned",
    "ocr_seeded",
    "ocr_mark",
    "ocr_mark_other",
    "ocr_mark_lost",
    "ocr_quote_lost",
    "ocr_order",
    "ocr_join",
    "human",
    "copy_agree",
    "proofread",
    "garbled_source",
    "error_rates",
    "eyeskip",
    "words_added",
    "empty",
    "nonword",
    "unknown",
    "unknown_used",
    "text_uses",
    "dialect",
    "zipf_gap",
    "garbled",
    "stray_hyphen",
    "shape",
    "context",
    "prose",
    "flag",
    "stop_lower",
    "paragraph_no_stop",
    "capital_mid",
)
"""The evidence of a reading (see the module docstring and docs/judgement.md)."""
_NO_EVIDENCE = dict.fromkeys(FEATURES, 0.0)
"""A reading's evidence before any is counted (copied for each reading)."""

LEARNED_MIN = 2
"""A substitution this scan is seen to make twice in the collation is its habit."""
FLAG_REACH = 2000
"""No flag spans more characters than this (flags cover a word or two)."""
_GARBLED = re.compile(
    r"[A-Za-z]\d|\d[A-Za-z]|[a-z][A-Z]|[A-Za-z][^\w\s'’\-.,;:!?\"“”‘()\[\]][A-Za-z]"
)
_ENDS = (".", "!", "?", ":", '"', "”", "’", "'", ")")
_INITIALS = re.compile(r"^[A-Z](?:\.[A-Z])+\.?$")
"""Initials as print sets them (``U.S.``, ``J.R.R``; a word's core loses its last stop)."""
_LIGATURES = str.maketrans({"æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe"})
"""The ligatures print sets for two letters that dictionaries spell apart."""
_QUOTES = frozenset("\"'“”‘’")
_STRAY_HYPHEN = re.compile(r"(?:^|\s)-+(?=\w)|-(?=—)|—-")
"""A hyphen where print never sets one: before a word's first letter, or beside a dash (a
line-end hyphen or a dash misread, not a compound's hyphen)."""
_NUMERAL = re.compile(r"^\d+(?:[.,]\d+)*(?:st|nd|rd|th|d|s|['’]s)?$")
"""A number as print writes it, with its ordinal or plural ending (``31st``, ``2d``,
``1860s``, ``1,000``): digits beside letters by the grammar of numbers, a form of its own, never
a word of the dictionary nor a garble. ``1O5`` and ``l2th`` are no such form."""


@dataclass(frozen=True, slots=True)
class Testimony:
    """One witness's reading at a place: its normalized text and tokens."""

    siglum: str
    text: str
    tokens: tuple[Token, ...]
    at: int = 0
    """Where the reading starts in its witness (where an absent reading would stand)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The weighed outcome at one place."""

    reading: str
    """The suggested normalized reading."""
    confidence: float
    suspect: tuple[str, ...]
    evidence: tuple[str, ...]
    scores: Mapping[str, float]
    features: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """Each reading's evidence vector (for fitting and for explaining)."""


@dataclass(frozen=True, slots=True)
class Collation:
    """What weighing needs of the whole collation, estimated once."""

    witnesses: Mapping[str, Witness]
    models: Mapping[str, ConfusionModel]
    scales: Mapping[str, ConfidenceScale]
    stats: TextStats
    flags: Mapping[str, Sequence[Flag]]
    paragraph_ends: Mapping[str, frozenset[int]]
    shape_typical: float
    target: str | None = None
    """The siglum of the text being corrected: its reading is kept only with ``keep()``."""
    rates: ErrorRates | None = None
    """Each witness's error rates by kind, estimated over the collation's places."""
    _facts: dict[str, _Word] = field(default_factory=dict, init=False, repr=False, compare=False)
    """What ``_language`` asks of each word, by word, as far as this collation asked: a text
    repeats its words (at 3 x 100k words, 20,462 words in the readings weighed, 4,991 distinct).
    Kept with the collation, not in a module cache: whether a word is known depends on the
    manifest's ``good_words`` in force."""
    _flag_starts: dict[str, list[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Where each witness's flags start, in order (``_overlapping`` bisects them)."""


@dataclass(frozen=True, slots=True)
class _Word:
    """What a reading's word says of it by itself, whatever the place (see ``_language``)."""

    garbled: bool
    """It mixes letters with digits, capitals or marks, and is no number or initials."""
    lettered: bool
    """It has a letter."""
    shape: float
    """How far its shape falls below the collation's typical word (0 for a number or initials,
    or where it has no letter)."""
    unknown: bool
    """It has a letter, is no number or initials, and no dictionary has it (``_known``)."""
    dialect: bool
    """It has a letter and a British or an American form (``TextStats.dialect``): only then
    does the text's lean count for it."""


@lru_cache(maxsize=1)
def _model() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (DATA / "judgement-model.json").read_text(encoding="utf-8")
    )
    return data


def coefficients() -> dict[str, float]:
    """The fitted coefficients of ``data/judgement-model.json`` (0 for a feature it lacks)."""
    return dict(_coefficients())


@lru_cache(maxsize=1)
def _coefficients() -> Mapping[str, float]:
    """``coefficients``, read once (every place is scored with them)."""
    coef = _model()["coefficients"]
    assert isinstance(coef, dict)
    return MappingProxyType({f: float(coef.get(f, 0.0)) for f in FEATURES})


def keep() -> float:
    """The probability the target's reading needs to be kept as the suggestion where the target
    is a copy of another witness of the collation, reads as its source does (a reading the
    copyist may have let through; where it departs from its source it made a deliberate
    change, which is weighed like any other reading) and the place has two readings (fitted on
    such places; see
    ``benchmarks/fit_judgement.py``): below it, the likeliest other reading is suggested,
    with ``calibrated`` confidence. 0.5 would be the plain most probable reading."""
    value = _model().get("keep_target", 0.5)
    assert isinstance(value, (int, float))
    return float(value)


@lru_cache(maxsize=1 << 16)
def shape_logprob(word: str) -> float:
    """The lexicon's character-trigram score of a word, remembered (a text repeats its words)."""
    return _shape_logprob(word)


def ocr_confidence(tokens: Sequence[Token]) -> float | None:
    """The lowest OCR word confidence of the tokens, None where none has one."""
    values = [t.source.confidence for t in tokens if t.source and t.source.confidence is not None]
    return min(values) if values else None


def typical_shape(stats: TextStats) -> float:
    """The median character-trigram score of the collation's most used alphabetic words: the
    shape of an ordinary word of this text (a garble scores far below it)."""
    scores = sorted(shape_logprob(w) for w, _ in stats.words.most_common(2000) if w.isalpha())
    return scores[len(scores) // 2] if scores else -2.5


def _q(text: str) -> str:
    return f"`{text}`" if text else "nothing"


def _ocr_evidence(
    c: Collation,
    w: Witness,
    t: Testimony,
    groups: Mapping[str, list[Testimony]],
    f: dict[str, float],
    notes: list[str],
) -> None:
    conf = ocr_confidence(t.tokens)
    f["ocr"] += 1
    scale = c.scales.get(w.siglum)
    f["ocr_logit"] += scale.logit(conf) if scale else 0.0
    conf_txt = f" with confidence {conf:.0f}" if conf is not None else ""
    model = c.models.get(w.siglum, ConfusionModel())
    learned = seeded = False
    marks_only = True
    reason = ""
    for other in groups:
        if other == t.text:
            continue
        ex = model.explain(other, t.text)
        if not ex.blocks:
            continue
        marks_only = marks_only and not any(ch.isalnum() for a, b in ex.blocks for ch in a + b)
        if ex.learned >= LEARNED_MIN and not learned:
            learned = True
            reason = (
                f"this scan misreads {ex.describe()} elsewhere ({ex.learned} times in this "
                "collation)"
            )
        elif ex.seeded and not seeded and not learned:
            seeded = True
            reason = f"{ex.describe()} is a common OCR shape confusion"
    squashed = t.text.replace(" ", "").replace("-", "")
    words = sorted(t.text.split())
    if any(o != t.text and sorted(o.split()) == words for o in groups):
        f["ocr_order"] += 1
        reason = "an OCR reads words in the order printed"
    elif not _STRAY_HYPHEN.search(t.text) and any(
        o != t.text and o.replace(" ", "").replace("-", "") == squashed for o in groups
    ):
        f["ocr_join"] += 1
        reason = "the difference is a space or hyphen"
    elif learned:
        f["ocr_learned"] += 1
    elif marks_only and len(groups) > 1 and _lacks_quote(t.text, groups):
        # before the shape table: a lost quote is in it (a scan loses them), but a quotation
        # mark or apostrophe the transcriptions have and the OCR lacks is the OCR's loss far
        # more often than the transcribers' invention, which the table's pair does not say
        f["ocr_quote_lost"] += 1
        reason = "the OCR lacks a quotation mark or apostrophe"
    elif seeded:
        f["ocr_seeded"] += 1
    elif marks_only and len(groups) > 1:
        mine = sum(not ch.isalnum() and not ch.isspace() for ch in t.text)
        if any(sum(not ch.isalnum() and not ch.isspace() for ch in o) > mine for o in groups):
            f["ocr_mark_lost"] += 1
            reason = "the OCR lacks a mark, which a scan loses easily"
        elif any(sum(not ch.isalnum() and not ch.isspace() for ch in o) < mine for o in groups):
            f["ocr_mark"] += 1
            reason = "the OCR has a mark more, which no letter confusion explains"
        else:
            f["ocr_mark_other"] += 1
            reason = "the OCR reads another mark, which no shape confusion explains"
    notes.append(
        f"the {w.siglum} OCR reads {_q(t.text)}{conf_txt}" + (f": {reason}" if reason else "")
    )


def _lacks_quote(text: str, groups: Mapping[str, list[Testimony]]) -> bool:
    """Whether another reading of the place has more quotation marks or apostrophes."""
    quotes = sum(ch in _QUOTES for ch in text)
    return any(sum(ch in _QUOTES for ch in o) > quotes for o in groups)


@lru_cache(maxsize=1 << 10)
def _words(text: str) -> tuple[str, ...]:
    """The cores of a reading's words (those that have one), remembered (readings recur)."""
    return tuple(x for x in (core(w) for w in text.split()) if x)


def _word(c: Collation, x: str) -> _Word:
    """What word ``x`` says of its reading by itself (remembered by the collation)."""
    got = c._facts.get(x)
    if got is None:
        # a number or initials is a form of its own, which no lexicon holds: not a garble
        form = bool(_NUMERAL.match(x) or _INITIALS.match(x))
        lettered = any(ch.isalpha() for ch in x)
        shape = 0.0
        if lettered and not form:
            parts = [y for y in x.split("-") if y] or [x]
            shape = max(0.0, c.shape_typical - min(shape_logprob(y) for y in parts))
        got = _Word(
            garbled=bool(_GARBLED.search(x)) and not form,
            lettered=lettered,
            shape=shape,
            unknown=lettered and not form and not _known(x),
            dialect=lettered and c.stats.dialect(x, 1.0) != 0.0,
        )
        c._facts[x] = got
    return got


@lru_cache(maxsize=1 << 10)
def _has_nonword(text: str) -> bool:
    """Whether a word of the reading is a non-word (``is_nonword``), remembered."""
    return any(is_nonword(x) for x in text.split())


@lru_cache(maxsize=1 << 10)
def _stray(text: str) -> bool:
    """Whether the reading has a hyphen where print sets none (``_STRAY_HYPHEN``), remembered."""
    return bool(_STRAY_HYPHEN.search(text))


def _language(
    c: Collation,
    text: str,
    others: Sequence[str],
    here: int,
    lean: Callable[[], float],
    f: dict[str, float],
    notes: list[str],
) -> None:
    """The evidence of a reading's words; ``lean``: the text's spelling lean outside the place
    (``TextStats.lean``), asked only where a word has a British or American form."""
    words = text.split()
    if not words:
        f["empty"] = 1.0
        return
    if _has_nonword(text):
        f["nonword"] = 1.0
        if any(o and not _has_nonword(o) for o in others):
            bad = next(x for x in words if is_nonword(x))
            notes.append(f"`{core(bad)}` is not a word the lexicon knows")
    if any(not o for o in others):
        _added(c, words, here, f, notes)
    if _stray(text) and not any(_stray(o) for o in others):
        f["stray_hyphen"] = 1.0
        notes.append(f"{_q(text)} has a hyphen where print sets none")
    theirs = {x.lower() for o in others for x in _words(o)}
    uses: list[float] = []
    for x in _words(text):
        if x.lower() in theirs:
            continue
        facts = _word(c, x)
        if facts.garbled:
            f["garbled"] += 1
            notes.append(f"`{x}` mixes letters with digits, capitals or marks as words never do")
        if facts.lettered:
            f["shape"] += facts.shape
            used = c.stats.uses(x, here)
            # saturating: a word this text uses is a word of it, whether twice or a thousand
            # times (how common it is, is the frequencies' evidence, ``zipf_gap``); the share
            # used / (1 + used) is Laplace's rule of succession for "used again"
            seen = used / (1 + used)
            if all(others):
                uses.append(seen)
            fit = c.stats.dialect(x, lean()) if facts.dialect else 0.0
            if fit:
                f["dialect"] += fit
                notes.append(
                    f"`{x}` is {'' if fit > 0 else 'not '}spelt as this text spells elsewhere "
                    f"({'British' if lean() > 0 else 'American'})"
                )
            if facts.unknown:
                f["unknown"] += 1
                f["unknown_used"] += seen
                if used >= 2:
                    notes.append(f"`{x}` is in no dictionary, but this text uses it {used} times")
    if uses:
        # the mean, not the sum: a word split in two common words is no likelier for it
        f["text_uses"] = sum(uses) / len(uses)
    gap, note = _rarer(text, tuple(others))
    if gap:
        f["zipf_gap"] = gap
        if note:
            notes.append(note)


def _known(word: str) -> bool:
    """Whether the dictionary has a word, spelt with its ligatures or without (``æ`` as
    ``ae``), or each part of a hyphenated one with the marks at the parts' edges set aside
    (``effect)-and``: a parenthesis closed before a dash)."""
    if in_dictionary(word) or in_dictionary(word.translate(_LIGATURES)):
        return True
    parts = [core(p) for p in word.split("-")]
    return len(parts) > 1 and all(parts) and all(in_dictionary(p) for p in parts)


def _added(
    c: Collation, words: Sequence[str], here: int, f: dict[str, float], notes: list[str]
) -> None:
    """Evidence of a reading that another witness lacks: a run of words all of which are
    words (of the dictionary, or of this text, used elsewhere) is what a copyist leaves out;
    a scan's own insertions are marks, stray letters and broken words."""
    # a mark standing alone (a rule or speck read as ``|``) is neither a word nor a garble
    cores = [x for x in (core(w) for w in words) if x]
    if cores and all(
        x.replace("-", "").replace("'", "").replace("’", "").isalpha()
        and (in_dictionary(x) or c.stats.uses(x, here) >= 2)
        for x in cores
    ):
        f["words_added"] = math.log1p(len(cores))
        notes.append(
            f"{_q(' '.join(words))}, which another witness lacks, is made of known words: "
            "what a copyist leaves out, where a scan's own insertions are marks and broken words"
        )


def _plausibility(
    c: Collation,
    w: Witness,
    t: Testimony,
    others: Sequence[str],
    f: dict[str, float],
    notes: list[str],
) -> None:
    if not t.tokens:
        return
    ends = c.paragraph_ends.get(w.siglum, frozenset())
    size = len(w.tokens)
    last = t.tokens[-1]
    # the neighbouring tokens made only where the reading's own edge asks about them
    stop_before_lower = (
        last.t.endswith(".") and last.index + 1 < size and w.tokens[last.index + 1].t[:1].islower()
    )
    if stop_before_lower and any(not o.endswith(".") for o in others):
        f["stop_lower"] = 1.0
        notes.append(f"{w.siglum} has a full stop before a lower-case word")
    if (
        last.t[-1:].isalnum()
        and (last.end in ends or last.index + 1 >= size)
        and any(o.endswith((".", "!", "?")) for o in others)
    ):
        f["paragraph_no_stop"] = 1.0
        notes.append(f"{w.siglum} ends a paragraph without a full stop")
    first = t.tokens[0]
    prev = w.tokens[first.index - 1] if first.index > 0 and first.t[:1].isupper() else None
    if (
        prev is not None
        and prev.apparatus is None
        and prev.end not in ends
        and not prev.t.endswith(_ENDS)
        and any(o[:1].islower() and o[:1] == t.text[:1].lower() for o in others)
    ):
        f["capital_mid"] = 1.0
        notes.append(f"{w.siglum} has a capital in mid-sentence")


def _flags(
    c: Collation, members: Sequence[Testimony], f: dict[str, float], notes: list[str]
) -> None:
    seen: set[str] = set()
    for m in members:
        flags = c.flags.get(m.siglum, ())
        for fl in _overlapping(flags, m.tokens, _flag_starts(c, m.siglum, flags)):
            if fl.check in seen:
                continue
            seen.add(fl.check)
            f["flag"] += fl.confidence
            notes.append(f"in {m.siglum}, {fl.message}")


def place_features(
    testimonies: Sequence[Testimony], c: Collation
) -> tuple[dict[str, dict[str, float]], dict[str, list[str]]]:
    """Each reading's evidence vector at a place, and the sentences that state it."""
    groups: dict[str, list[Testimony]] = {}
    for t in testimonies:
        groups.setdefault(t.text, []).append(t)
    feats: dict[str, dict[str, float]] = {}
    notes_by: dict[str, list[str]] = {}
    leans: list[float] = []

    def lean() -> float:
        if not leans:
            leans.append(c.stats.lean(w for t in testimonies for w in t.text.split()))
        return leans[0]

    here = [t.text.split() for t in testimonies]
    texts = list(groups)
    in_prose = comparable(texts)
    spaced = not in_prose and spaced_alike(texts)
    prose: dict[str, float] = {}
    if in_prose or spaced:
        # every reading between the same neighbours, a transcription's where there is one (an
        # OCR's neighbours may be garbled, which would count against its reading, not for
        # it); readings that differ only in spacing are scored by their inner pairs alone
        anchor = next(
            (t for t in testimonies if c.witnesses[t.siglum].kind is not Kind.OCR),
            testimonies[0],
        )
        left, right = (
            neighbours(c.witnesses[anchor.siglum], anchor.tokens, anchor.at)
            if in_prose
            else (None, None)
        )
        fits = prose_fits(left, [t.split() for t in texts], right)
        prose = dict(zip(texts, fits, strict=True))
    for text, members in groups.items():
        f = _NO_EVIDENCE.copy()
        notes: list[str] = []
        in_group = {m.siglum for m in members}
        for m in members:
            w = c.witnesses[m.siglum]
            if w.kind is Kind.OCR:
                _ocr_evidence(c, w, m, groups, f, notes)
            elif w.derives_from and w.derives_from in in_group:
                f["copy_agree"] += 1
                notes.append(
                    f"{w.siglum} derives from {w.derives_from}, so their agreement counts once"
                )
            else:
                f["human"] += 1
                if w.derives_from and w.derives_from in c.witnesses:
                    notes.append(
                        f"{w.siglum} departs from its source {w.derives_from}: a deliberate change"
                    )
            if w.kind in (Kind.PROOFREAD, Kind.EDITION):
                f["proofread"] += 1
        others = [o for o in groups if o != text]
        _language(c, text, others, len(members), lean, f, notes)
        _flags(c, members, f, notes)
        first = members[0]
        wf = c.witnesses[first.siglum]
        _plausibility(c, wf, first, others, f, notes)
        before, after = neighbours(wf, first.tokens, first.at)
        fit = c.stats.fit(before, text.split(), after, here)
        f["context"] = 2 * fit if not text else fit
        f["prose"] = prose.get(text, 0.0)
        if text and any(not o for o in others) and _eyeskip(first, before, after):
            f["eyeskip"] = 1.0
            notes.append(
                f"{_q(text)} begins or ends as its neighbours do: a copyist's eye skips from "
                "one to the other and leaves it out"
            )
        feats[text] = f
        notes_by[text] = notes
    _garbled_source(groups, c, feats, notes_by)
    if prose:
        _prose_note(feats, notes_by)
    if c.rates is not None:
        post = c.rates.posterior({t.siglum: t.text for t in testimonies})
        for text, f in feats.items():
            f["error_rates"] = log_posterior(post.get(text, 0.0))
    return feats, notes_by


PROSE_NOTE = math.log(10)
"""A reading's neighbours in prose are stated as evidence where they make it ten times as
likely, beside its frequency, as they make the next reading (a sentence for the reader; the
score counts every difference)."""


def _prose_note(feats: Mapping[str, Mapping[str, float]], notes_by: dict[str, list[str]]) -> None:
    """The sentence for the reading that fits its neighbours in prose far better than any
    other reading of the place."""
    ranked = sorted(feats, key=lambda t: feats[t]["prose"], reverse=True)
    best, second = ranked[0], ranked[1]
    if feats[best]["prose"] - feats[second]["prose"] >= PROSE_NOTE:
        notes_by[best].append(
            f"{_q(best)} fits its neighbours in English prose far better than {_q(second)}"
        )


def _eyeskip(t: Testimony, before: str | None, after: str | None) -> bool:
    """Whether a reading of two or more words ends with the word before it or begins with the
    word after it (as its witness reads them): the repetition that lets a copyist's eye skip a
    passage (homeoteleuton, homeoarchy)."""
    words = [x for x in (core(w).lower() for w in t.text.split()) if x]
    if len(words) < 2:
        return False  # one word beside its twin is as likely a repetition (dittography)
    return bool(
        (before is not None and core(before).lower() == words[-1])
        or (after is not None and core(after).lower() == words[0])
    )


def _garbled_source(
    groups: Mapping[str, list[Testimony]],
    c: Collation,
    feats: dict[str, dict[str, float]],
    notes_by: dict[str, list[str]],
) -> None:
    """Where an OCR reading stands alone against two or more others and differs from just one of
    them by OCR confusions, it is a garbled form of that one, which it supports."""
    if len(groups) < 3:
        return
    for text, members in groups.items():
        if not members or any(c.witnesses[m.siglum].kind is not Kind.OCR for m in members):
            continue
        model = c.models.get(members[0].siglum, ConfusionModel())
        sources = [o for o in groups if o != text and o and model.explain(o, text).explained]
        if len(sources) != 1:
            continue
        feats[sources[0]]["garbled_source"] += 1
        notes_by[sources[0]].append(
            f"the {members[0].siglum} OCR's {_q(text)} is a misreading of {_q(sources[0])} "
            f"({model.explain(sources[0], text).describe()})"
        )


def apply_threshold() -> float:
    """The stated confidence from which the txt export applies a suggestion: the level above
    which applying the corrections left the fewest errors in the training targets (fitted by
    ``benchmarks/fit_judgement.py`` on the calibrated confidence)."""
    value = _model().get("apply_threshold", 0.5)
    assert isinstance(value, (int, float))
    return float(value)


def calibrated(p: float, kept_other: bool) -> float:
    """The probability that a suggestion is right, from the model's own probability ``p`` of it
    and whether it was suggested over the target's likelier reading (``keep()``): a logistic
    map ``1 / (1 + exp(-((a + d * kept_other) * logit(p) + b + c * kept_other)))`` fitted on
    the training places' out-of-fold probabilities by ``benchmarks/fit_judgement.py`` (Platt
    scaling). Without a fitted map, ``p`` itself."""
    cal = _model().get("calibration")
    if not isinstance(cal, dict):
        return p
    q = min(max(p, 1e-6), 1 - 1e-6)
    slope = float(cal["a"]) + float(cal.get("d", 0.0)) * kept_other
    z = slope * math.log(q / (1 - q)) + float(cal["b"]) + float(cal["c"]) * kept_other
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


def score(f: Mapping[str, float], coef: Mapping[str, float]) -> float:
    """The linear score of an evidence vector."""
    return sum([coef[k] * v for k, v in f.items() if v])


def weigh(testimonies: Sequence[Testimony], c: Collation) -> Verdict:
    """The suggested reading at one place, its probability and its reasons."""
    feats, notes_by = place_features(testimonies, c)
    coef = _coefficients()
    scores = {text: score(f, coef) for text, f in feats.items()}
    top = max(scores.values())
    z = sum(math.exp(s - top) for s in scores.values())
    order = {t.text: i for i, t in reversed(list(enumerate(testimonies)))}
    best = max(scores, key=lambda k: (scores[k], -order[k]))
    mine = next((t.text for t in testimonies if t.siglum == c.target), None)
    target = c.witnesses.get(c.target or "")
    if target is None or target.derives_from not in c.witnesses:
        mine = None  # fitted on targets that copy another witness; elsewhere the likeliest
    elif not any(t.siglum == target.derives_from and t.text == mine for t in testimonies):
        mine = None  # the target departs from its source here: a deliberate change
    kept_other = best == mine and len(scores) == 2 and math.exp(scores[best] - top) / z < keep()
    if kept_other:
        best = max((k for k in scores if k != mine), key=lambda k: (scores[k], -order[k]))
    confidence = calibrated(math.exp(scores[best] - top) / z, kept_other)
    suspect = tuple(t.siglum for t in testimonies if t.text != best)
    evidence = [n for text in feats for n in notes_by[text]]
    return Verdict(
        reading=best,
        confidence=round(confidence, 3),
        suspect=suspect,
        evidence=tuple(dict.fromkeys(evidence)),
        scores=scores,
        features=feats,
    )


@lru_cache(maxsize=1 << 10)
def _rarer(text: str, others: tuple[str, ...]) -> tuple[float, str | None]:
    """How much rarer (in Zipf units, summed over its differing words) ``text`` is than the
    likeliest other reading of as many words, and a note where the gap is large (remembered:
    a pair of readings recurs, ``the``/``tho``)."""
    words = text.split()
    best = 0.0
    note = None
    for o in others:
        ow = o.split()
        if len(ow) != len(words):
            continue
        gap = 0.0
        pair = ("", "")
        for a, b in zip(words, ow, strict=True):
            ca, cb = core(a), core(b)
            if ca.lower() == cb.lower() or not ca.isalpha() or not cb.isalpha():
                continue
            d = word_zipf(b) - word_zipf(a)
            if d > 0:
                gap += d
                pair = (ca, cb)
        if gap > best:
            best = gap
            note = (
                f"`{pair[0]}` is a rarer word than `{pair[1]}` ({gap:.1f} Zipf)"
                if gap >= 2
                else None
            )
    return best, note


def _flag_starts(c: Collation, siglum: str, flags: Sequence[Flag]) -> Sequence[int]:
    """Where each of a witness's flags starts, in order (listed once per collation)."""
    got = c._flag_starts.get(siglum)
    if got is None:
        got = c._flag_starts[siglum] = [fl.start for fl in flags]
    return got


def _overlapping(
    flags: Sequence[Flag], tokens: Sequence[Token], starts: Sequence[int] | None = None
) -> list[Flag]:
    """The flags (sorted by start) that overlap the tokens' span (``starts``: the flags'
    starts, where the caller has them listed)."""
    if not tokens or not flags:
        return []
    start, end = tokens[0].start, tokens[-1].end
    out = []
    if starts is None:
        starts = [fl.start for fl in flags]
    i = bisect.bisect_left(starts, end) - 1
    while i >= 0 and flags[i].start > start - FLAG_REACH:
        if flags[i].end > start:
            out.append(flags[i])
        i -= 1
    return out[::-1]
