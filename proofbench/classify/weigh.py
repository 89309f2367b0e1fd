"""Weighing the testimony at one variant place: which reading to suggest, how sure, and why.

Input: the readings of one place grouped by normalized text, the witnesses (kind, genealogy,
OCR confidences), the confusion model of each OCR witness and the single-witness flags; output:
a ``Verdict`` with the suggested group, a confidence, the suspect sigla and evidence sentences.

The score of a reading is the sum of its independent testimonies:

- a witness weighs by its kind (transcription 1.0, proofread 1.1, edition 1.3); an OCR witness by
  its word confidence (0.2 + 1.2 x confidence/100);
- genealogy: a witness that agrees with the source it derives from adds only a fifth of its
  weight (the two are one testimony);
- an OCR reading that differs from another reading by a confusion this scan is seen to make
  counts 0.35 of its weight, by a common shape confusion 0.65; where the difference is a mark
  (punctuation) no confusion explains and it read the word with confidence, 1.25 (the
  transcriber slipped);
- an OCR reading that stands alone against two or more others lends half its weight to the one
  it garbles (differs from by OCR confusions only);
- a reading that holds a word the lexicon does not know (or a rare word where another reading
  has a common one), that a single-witness check flags, that
  puts a full stop before a lower-case word or ends a paragraph with none, loses weight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from proofbench.classify.confusion import ConfusionModel
from proofbench.classify.forms import core, is_nonword, word_zipf
from proofbench.model import Flag, Kind, Token, Witness

KIND_WEIGHT = {
    Kind.TRANSCRIPTION: 1.0,
    Kind.PROOFREAD: 1.1,
    Kind.EDITION: 1.3,
}
DERIVED_SHARE = 0.2
LEARNED_FACTOR = 0.35
SEEDED_FACTOR = 0.65
UNLIKE_OCR_FACTOR = 1.25
CONFIDENT = 80.0
GARBLED_SHARE = 0.5
RARE = 2.0
FLAG_REACH = 2000
"""No flag spans more characters than this (flags cover a word or two)."""
COMMON = 3.5
RARITY_GAP = 2.5


@dataclass(frozen=True, slots=True)
class Testimony:
    """One witness's reading at a place: its normalized text and tokens."""

    siglum: str
    text: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The weighed outcome at one place."""

    reading: str
    """The suggested normalized reading."""
    confidence: float
    suspect: tuple[str, ...]
    evidence: tuple[str, ...]
    scores: Mapping[str, float]


def ocr_confidence(tokens: Sequence[Token]) -> float | None:
    """The lowest OCR word confidence of the tokens, None where none has one."""
    values = [t.source.confidence for t in tokens if t.source and t.source.confidence is not None]
    return min(values) if values else None


def _q(text: str) -> str:
    return f"`{text}`" if text else "nothing"


def _witness_weight(
    w: Witness,
    t: Testimony,
    groups: Mapping[str, list[Testimony]],
    models: Mapping[str, ConfusionModel],
    notes: list[str],
) -> float:
    if w.kind is not Kind.OCR:
        return KIND_WEIGHT.get(w.kind, 1.0)
    conf = ocr_confidence(t.tokens)
    weight = 0.2 + 1.2 * (conf / 100.0) if conf is not None else 0.8
    conf_txt = f" with confidence {conf:.0f}" if conf is not None else ""
    model = models.get(w.siglum, ConfusionModel())
    factor: float | None = None
    reason = ""
    marks_only = True
    for other in groups:
        if other == t.text:
            continue
        ex = model.explain(other, t.text)
        if not ex.blocks:
            continue
        marks_only = marks_only and not any(c.isalnum() for a, b in ex.blocks for c in a + b)
        if ex.learned >= 2:
            f, why = (
                LEARNED_FACTOR,
                f"this scan misreads {ex.describe()} elsewhere ({ex.learned} times in this "
                "collation)",
            )
        elif ex.seeded:
            f, why = SEEDED_FACTOR, f"{ex.describe()} is a common OCR shape confusion"
        else:
            f, why = 1.0, ""
        if factor is None or f < factor:
            factor, reason = f, why
    if factor is None or factor == 1.0:
        if conf is not None and conf >= CONFIDENT and marks_only:
            factor = UNLIKE_OCR_FACTOR
            notes.append(
                f"the {w.siglum} OCR reads {_q(t.text)}{conf_txt}, and the difference is a mark "
                "no OCR confusion explains: the transcription more likely slipped"
            )
        else:
            factor = 1.0
            notes.append(f"the {w.siglum} OCR reads {_q(t.text)}{conf_txt}")
    else:
        notes.append(f"the {w.siglum} OCR reads {_q(t.text)}{conf_txt}, but {reason}")
    return weight * factor


def _paragraph_end(w: Witness, tok: Token, ends: frozenset[int]) -> bool:
    return tok.end in ends or tok.index + 1 >= len(w.tokens)


def _plausibility(
    w: Witness, t: Testimony, others: Sequence[str], ends: frozenset[int], notes: list[str]
) -> float:
    """A penalty (<= 0) for readings that are odd in their own witness."""
    penalty = 0.0
    if t.tokens:
        last = t.tokens[-1]
        nxt = w.tokens[last.index + 1] if last.index + 1 < len(w.tokens) else None
        stop_before_lower = last.t.endswith(".") and nxt is not None and nxt.t[:1].islower()
        if stop_before_lower and any(not o.endswith(".") for o in others):
            penalty -= 0.6
            notes.append(f"{w.siglum} has a full stop before a lower-case word")
        if (
            last.t[-1:].isalnum()
            and _paragraph_end(w, last, ends)
            and any(o.endswith((".", "!", "?")) for o in others)
        ):
            penalty -= 0.6
            notes.append(f"{w.siglum} ends a paragraph without a full stop")
    return penalty


def weigh(
    testimonies: Sequence[Testimony],
    witnesses: Mapping[str, Witness],
    models: Mapping[str, ConfusionModel],
    flags: Mapping[str, Sequence[Flag]],
    paragraph_ends: Mapping[str, frozenset[int]] | None = None,
) -> Verdict:
    """The suggested reading at one place and its reasons (see the module docstring)."""
    groups: dict[str, list[Testimony]] = {}
    for t in testimonies:
        groups.setdefault(t.text, []).append(t)
    scores: dict[str, float] = {}
    evidence: list[str] = []
    for text, members in groups.items():
        notes: list[str] = []
        score = 0.0
        in_group = {m.siglum for m in members}
        for m in members:
            w = witnesses[m.siglum]
            weight = _witness_weight(w, m, groups, models, notes)
            if w.derives_from and w.derives_from in in_group:
                weight *= DERIVED_SHARE
                notes.append(
                    f"{w.siglum} derives from {w.derives_from}, so their agreement counts once"
                )
            score += weight
        others = [o for o in groups if o != text]
        words = text.split()
        if any(is_nonword(x) for x in words) and any(
            not any(is_nonword(x) for x in o.split()) for o in others if o
        ):
            score -= 0.8
            bad = next(x for x in words if is_nonword(x))
            notes.append(f"`{bad}` is not a word the lexicon knows")
        else:
            rare = _rarer(text, others)
            if rare:
                score -= 0.5
                notes.append(rare)
        flag_penalty = 0.0
        seen_checks: set[str] = set()
        for m in members:
            w = witnesses[m.siglum]
            for f in _overlapping(flags.get(m.siglum, ()), m.tokens):
                if f.check in seen_checks:
                    continue
                seen_checks.add(f.check)
                flag_penalty += 0.7 * f.confidence
                notes.append(f"in {m.siglum}, {f.message}")
        score -= min(flag_penalty, 1.2)
        for m in members[:1]:
            ends = (paragraph_ends or {}).get(m.siglum, frozenset())
            score += _plausibility(witnesses[m.siglum], m, others, ends, notes)
        scores[text] = score
        evidence.extend(notes)
    _garbled_support(groups, witnesses, models, scores, evidence)
    best = max(scores, key=lambda k: (scores[k], -_first_index(testimonies, k)))
    z = sum(math.exp(2 * s) for s in scores.values())
    confidence = math.exp(2 * scores[best]) / z if z else 0.0
    suspect = tuple(t.siglum for t in testimonies if t.text != best)
    return Verdict(
        reading=best,
        confidence=round(confidence, 3),
        suspect=suspect,
        evidence=tuple(dict.fromkeys(evidence)),
        scores=scores,
    )


def _garbled_support(
    groups: Mapping[str, list[Testimony]],
    witnesses: Mapping[str, Witness],
    models: Mapping[str, ConfusionModel],
    scores: dict[str, float],
    evidence: list[str],
) -> None:
    """Where an OCR reading stands alone against two or more others, it is a garbled form of
    one of them: the one it differs from by OCR confusions only gets half its weight."""
    if len(groups) < 3:
        return
    for text, members in groups.items():
        if not members or any(witnesses[m.siglum].kind is not Kind.OCR for m in members):
            continue
        m = members[0]
        model = models.get(m.siglum, ConfusionModel())
        sources = [o for o in groups if o != text and o and model.explain(o, text).explained]
        if len(sources) != 1:
            continue
        conf = ocr_confidence(m.tokens)
        weight = 0.2 + 1.2 * (conf / 100.0) if conf is not None else 0.8
        scores[sources[0]] += GARBLED_SHARE * weight
        evidence.append(
            f"the {m.siglum} OCR's {_q(text)} is a misreading of {_q(sources[0])} "
            f"({model.explain(sources[0], text).describe()})"
        )


def _rarer(text: str, others: Sequence[str]) -> str | None:
    """A note if a word of ``text`` is rare where another reading has a common word instead."""
    words = text.split()
    for o in others:
        ow = o.split()
        if len(ow) != len(words):
            continue
        for a, b in zip(words, ow, strict=True):
            ca, cb = core(a), core(b)
            if ca == cb or not ca.isalpha() or not cb.isalpha() or is_nonword(a):
                continue
            za, zb = word_zipf(a), word_zipf(b)
            if (za < RARE and zb >= COMMON) or za + RARITY_GAP < zb:
                return f"`{ca}` is a rare word where `{cb}` is a common one"
    return None


def _first_index(testimonies: Sequence[Testimony], text: str) -> int:
    return next(i for i, t in enumerate(testimonies) if t.text == text)


def _overlapping(flags: Sequence[Flag], tokens: Sequence[Token]) -> list[Flag]:
    """The flags (sorted by start) that overlap the tokens' span."""
    if not tokens or not flags:
        return []
    start, end = tokens[0].start, tokens[-1].end
    out = []
    i = _bisect(flags, end) - 1
    while i >= 0 and flags[i].start > start - FLAG_REACH:
        if flags[i].end > start:
            out.append(flags[i])
        i -= 1
    return out[::-1]


def _bisect(flags: Sequence[Flag], end: int) -> int:
    lo, hi = 0, len(flags)
    while lo < hi:
        mid = (lo + hi) // 2
        if flags[mid].start < end:
            lo = mid + 1
        else:
            hi = mid
    return lo
