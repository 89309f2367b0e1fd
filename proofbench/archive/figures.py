"""Collation -> the figures of one archive-index row: words, variants by class, suspects, rates.

Input: a Collation (and the variants its report shows). Output: a plain dict, JSON-ready, with
sorted keys where order is free, so that the index is the same byte for byte however the
documents were scheduled. The figures are those of the document's own report (the render
stage's summary), plus the pages of the most suspect readings and, per witness, how often its
reading differs from the suggestion, by class (``differs_by_class``).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from typing import Any

from proofbench.model import Collation, Variant, Witness
from proofbench.render.summary import summarize

WORST_PAGES = 3
"""Pages listed per document: a row of the index, not a report (the report lists them all)."""


def _rate(x: float) -> float:
    # Six digits: the index is compared byte for byte, and no reader needs more.
    return round(x, 6)


def _paged_witness(collation: Collation) -> Witness | None:
    """The witness whose pages locate errors: the target if paged, else the first paged one."""
    paged = [w for w in collation.witnesses if w.pages]
    for w in paged:
        if w.siglum == collation.target:
            return w
    return paged[0] if paged else None


def _size(witness: Witness) -> tuple[int, int]:
    """Characters and words of a witness's text as the error rates count them (render.summary:
    each reading's characters and one separator per word)."""
    words = witness.text_tokens
    return sum(len(t.reading) + 1 for t in words), len(words)


def worst_pages(collation: Collation, variants: Sequence[Variant]) -> list[dict[str, Any]]:
    """The pages of the paged witness with the most readings judged wrong (``suspect``).

    Each: ``{"witness", "page", "suspect", "words"}``, most suspect first, then by page; at most
    WORST_PAGES; empty when no witness has pages or none of its readings is suspect.
    """
    witness = _paged_witness(collation)
    if witness is None:
        return []
    located = [
        (t.start, t.source.page)
        for t in witness.text_tokens
        if t.source is not None and t.source.page is not None
    ]
    if not located:
        return []
    starts = [s for s, _ in located]
    words = Counter(p for _, p in located)
    hits: Counter[int] = Counter()
    for v in variants:
        loc = v.locations.get(witness.siglum)
        if witness.siglum not in v.suspect or loc is None:
            continue
        k = max(bisect.bisect_right(starts, loc.start) - 1, 0)
        hits[located[k][1]] += 1
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:WORST_PAGES]
    return [
        {"witness": witness.siglum, "page": page, "suspect": n, "words": words[page]}
        for page, n in ranked
    ]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def differs_by_class(collation: Collation, variants: Sequence[Variant]) -> dict[str, Any]:
    """Each witness's readings that differ from the suggestion, counted by the variant's class.

    ``{siglum: {"judged": places, "differs": {class: n}}}``: ``judged`` counts the variants
    with a suggestion where the witness has a reading (``""`` for absence counts), ``differs``
    those where that reading is not the suggestion (spaces collapsed). Taking the suggestion
    as right makes these estimated error counts, pooled per witness source by ``sources``.
    """
    out: dict[str, Any] = {}
    for w in collation.witnesses:
        judged = 0
        differs: Counter[str] = Counter()
        for v in variants:
            if v.suggestion is None or w.siglum not in v.readings:
                continue
            judged += 1
            if not _same(v.readings[w.siglum], v.suggestion):
                differs[v.cls.value] += 1
        out[w.siglum] = {"judged": judged, "differs": dict(sorted(differs.items()))}
    return out


def figures(collation: Collation, variants: Sequence[Variant]) -> dict[str, Any]:
    """The index row's figures for one collated document (see the module docstring)."""
    summary = summarize(collation, variants)
    target = collation.target
    mine = [r for r in summary.rates if r.witness == target]
    sizes = {w.siglum: _size(w) for w in collation.witnesses}
    rates = [
        {
            "reference": r.reference,
            "cer": _rate(r.cer),
            "wer": _rate(r.wer),
            # the counts behind the rates, so that rates can be pooled across documents
            "char_edits": r.char_edits,
            "word_edits": r.word_edits,
            "ref_chars": sizes[r.reference][0],
            "ref_words": sizes[r.reference][1],
        }
        for r in mine
    ]
    suspect = Counter(s for v in variants for s in v.suspect)
    differs = differs_by_class(collation, variants)
    return {
        "title": collation.manifest.title,
        "target": target,
        "witnesses": [
            {
                "siglum": w.siglum,
                "kind": w.kind.value,
                "words": summary.tokens[w.siglum],
                "suspect": suspect[w.siglum],
                **differs[w.siglum],
            }
            for w in collation.witnesses
        ],
        "words": summary.tokens[target],
        "variants": summary.variants,
        "by_class": {cls.value: n for cls, n in summary.by_class},
        "suspect_target": summary.suspect_target,
        "flags_target": summary.flags_target,
        "rates": rates,
        "cer": max((_rate(r.cer) for r in mine), default=0.0),
        "wer": max((_rate(r.wer) for r in mine), default=0.0),
        "worst_pages": worst_pages(collation, variants),
    }
