"""How far an OCR witness's word confidence is to be trusted, measured on the collation itself.

Input: the ``Alignment`` of a collation and its witnesses; output: for each OCR witness a
``ConfidenceScale`` that maps the engine's word confidence (0-100, or none) to the log-odds that a
word read at that confidence agrees with the other witnesses in this collation.

An engine's confidence is a score, not a probability: Tesseract's 90 means different things on
clean print and on a faded newspaper. Where the other witnesses agree with the OCR word, it was
read right; where they differ, it was usually misread. So the OCR's words are grouped in bands of
its own confidences (the bands are quantiles of them, each holding about the same number of
words), the share agreeing in each band is counted, pooled so that it never falls as confidence
rises (isotonic regression by pooling adjacent violators), and turned into log-odds. A witness
without confidences gets its overall share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from proofbench.model import Alignment, ColumnKind, Kind, Witness

BANDS = 8
"""Confidence bands per OCR witness: enough to show the curve, each holding an eighth of its
words (on a page of 300 words, about 40 each)."""


@dataclass(frozen=True, slots=True)
class ConfidenceScale:
    """Log-odds that an OCR word agrees with the others, by band of its engine confidence."""

    uppers: tuple[float, ...]
    """The highest confidence of each band, ascending."""
    logits: tuple[float, ...]
    overall: float
    """The log-odds over all its words (for a word without a confidence)."""

    def logit(self, confidence: float | None) -> float:
        """The log-odds of agreement for a word read at ``confidence``."""
        if confidence is None or not self.uppers:
            return self.overall
        for upper, value in zip(self.uppers, self.logits, strict=True):
            if confidence <= upper:
                return value
        return self.logits[-1]


def _logit(agree: float, total: float) -> float:
    p = (agree + 0.5) / (total + 1.0)
    return math.log(p / (1.0 - p))


def _pooled(bands: Sequence[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Pool adjacent bands (upper, agree, total) until the share agreeing never falls."""
    out: list[tuple[float, float, float]] = []
    for upper, agree, total in bands:
        out.append((upper, agree, total))
        while len(out) > 1 and out[-2][1] / out[-2][2] > out[-1][1] / out[-1][2]:
            u, a, t = out.pop()
            _, a2, t2 = out.pop()
            out.append((u, a + a2, t + t2))
    return out


def scale_of(confidences: Sequence[tuple[float | None, bool]]) -> ConfidenceScale:
    """The scale of one witness from (confidence, agrees) of each of its words."""
    total = len(confidences)
    agree = sum(ok for _, ok in confidences)
    overall = _logit(agree, total)
    known = sorted((c, ok) for c, ok in confidences if c is not None)
    if len(known) < 2 * BANDS:
        return ConfidenceScale(uppers=(), logits=(), overall=overall)
    bands: list[tuple[float, float, float]] = []
    size = len(known) / BANDS
    start = 0
    for b in range(1, BANDS + 1):
        end = round(b * size)
        # a band never splits words of equal confidence
        while end < len(known) and end > start and known[end][0] == known[end - 1][0]:
            end += 1
        if end <= start:
            continue
        part = known[start:end]
        bands.append((part[-1][0], float(sum(ok for _, ok in part)), float(len(part))))
        start = end
        if start >= len(known):
            break
    pooled = _pooled(bands)
    return ConfidenceScale(
        uppers=tuple(u for u, _, _ in pooled),
        logits=tuple(_logit(a, t) for _, a, t in pooled),
        overall=overall,
    )


def confidence_scales(
    alignment: Alignment, witnesses: Mapping[str, Witness]
) -> dict[str, ConfidenceScale]:
    """The ``ConfidenceScale`` of every OCR witness of the collation (needs two witnesses)."""
    out: dict[str, ConfidenceScale] = {}
    if len(witnesses) < 2:
        return out
    for s, w in witnesses.items():
        if w.kind is not Kind.OCR:
            continue
        rows: list[tuple[float | None, bool]] = []
        for col in alignment.columns:
            for i in col.readings.get(s, ()):
                src = w.tokens[i].source
                rows.append((src.confidence if src else None, col.kind is ColumnKind.EQUAL))
        out[s] = scale_of(rows)
    return out
