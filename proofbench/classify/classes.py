"""The variant taxonomy applied: what kind of difference separates two readings.

Input: a base reading (the suggested or majority one) and a deviating reading, both normalized
strings, plus whether the deviation comes from an OCR witness and the confusion model; output:
the primary ``VariantClass``, secondary classes and notes for the evidence.

Order of tests (first that fits is primary): editorial brackets, omission/addition,
transposition, spacing, hyphenation, case, punctuation, spelling variant, OCR confusion,
misspelling, substitution. A transcription's difference is an OCR confusion where this scan is
seen to make it, or where OCR engines make its pieces more often than people slip into them
(``ocr_odds``: the counts of ``data/ocr-pieces.tsv`` against ``data/human-slips.tsv``); a piece
the shape table keeps but people make more often (a vowel for a vowel) is then a substitution or
a misspelling. Typographic-only differences (quotes, dashes) compare equal after
``norm`` and are classed ``typographic`` by the caller.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from breame.spelling import get_american_spelling, get_british_spelling

from proofbench.classify.confusion import LEARNED_MIN, ConfusionModel
from proofbench.classify.data import piece_counts, spelling_variants
from proofbench.classify.forms import is_nonword
from proofbench.model import VariantClass as VC

_BRACKETED = re.compile(r"\[[^\]]*\]")
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_WORDCHARS = re.compile(r"[\W_]+", re.UNICODE)


def _words(s: str) -> list[str]:
    return s.split()


def _letters(s: str) -> str:
    return _WORDCHARS.sub("", s)


def is_spelling_variant(a: str, b: str) -> bool:
    """True if a real variant list attests the two words as one word's spellings, case and marks
    aside: breame's British/American pairs (Apache-2.0; ``colour``/``color``), or SCOWL's VarCon
    and AGID (``toward``/``towards``, ``enquire``/``inquire``, ``burned``/``burnt``; see
    ``data/SOURCES.md``).

    Hand-written alternations (``w``/``v``, ``our``/``or``) are not evidence: they made variants
    of ``wine``/``vine`` and ``four``/``for``. ``shew``/``show`` is in neither list (AGID has the
    two verbs apart), so ``shewn``/``shown`` is no variant here."""
    a, b = _letters(a).lower(), _letters(b).lower()
    if a == b or not a or not b:
        return False
    return _attested(a, b) or _attested(b, a)


@lru_cache(maxsize=1 << 16)
def _attested(a: str, b: str) -> bool:
    return (
        (a, b) in spelling_variants()
        or get_american_spelling(a).lower() == b
        or get_british_spelling(a).lower() == b
    )


@lru_cache(maxsize=1)
def _odds_tables() -> tuple[
    dict[tuple[str, str], float], float, dict[tuple[str, str], float], float
]:
    ocr, human = piece_counts()
    kinds = len(set(ocr) | set(human))
    # Jeffreys' prior, half a count for every kind either source has made: a piece one source
    # never made keeps a small chance there, the same for both
    n_ocr, n_human = sum(ocr.values()) + kinds / 2, sum(human.values()) + kinds / 2
    return (
        {k: (v + 0.5) / n_ocr for k, v in ocr.items()},
        0.5 / n_ocr,
        {k: (v + 0.5) / n_human for k, v in human.items()},
        0.5 / n_human,
    )


def ocr_odds(blocks: Sequence[tuple[str, str]]) -> float:
    """How much likelier the differing pieces are as an OCR engine's misreading than as a
    person's slip: the product over the pieces of their shares among the pieces OCR engines
    made (against ground truth) and among those people made (misspellings), each smoothed.

    1 means either is as likely; above 1 the difference reads as an OCR confusion."""
    ocr, ocr_unseen, human, human_unseen = _odds_tables()
    odds = 1.0
    for piece in blocks:
        odds *= ocr.get(piece, ocr_unseen) / human.get(piece, human_unseen)
    return odds


def is_dittography(base: str, dev: str) -> bool:
    """True if ``dev`` repeats a word of ``base`` in place (``the the`` for ``the``)."""
    bw, dw = _words(base.lower()), _words(dev.lower())
    return any(dw[i] == dw[i + 1] for i in range(len(dw) - 1)) and len(dw) > len(bw)


def classify_pair(
    base: str, dev: str, confusion: ConfusionModel, dev_is_ocr: bool = False
) -> tuple[VC, tuple[VC, ...], tuple[str, ...]]:
    """The class of the difference from ``base`` to ``dev``, secondary classes and notes."""
    notes: list[str] = []
    secondary: list[VC] = []
    if base == dev:
        return VC.TYPOGRAPHIC, (), ("the readings differ only typographically",)
    bb, db = set(_BRACKETED.findall(base)), set(_BRACKETED.findall(dev))
    if bb != db and (
        not base or not dev or _BRACKETED.sub("", base).split() == _BRACKETED.sub("", dev).split()
    ):
        secondary.append(VC.ADDITION)  # an editorial insertion, whichever side holds it
        return VC.EDITORIAL, tuple(secondary), ("a square-bracketed editorial insertion",)
    bw, dw = _words(base), _words(dev)
    if not dev:
        cls = VC.OMISSION
        if len(bw) > 3:
            notes.append(f"{len(bw)} words missing: an eye-skip or dropped line")
        if dev_is_ocr and all(not _letters(w) for w in bw):
            return VC.PUNCTUATION, (VC.OMISSION, VC.OCR_CONFUSION), ("a mark the OCR missed",)
        if dev_is_ocr and len(bw) <= 2 and all(len(_letters(w)) <= 2 for w in bw):
            return VC.OCR_CONFUSION, (VC.OMISSION,), ("a short word the OCR lost",)
        return cls, tuple(secondary), tuple(notes)
    if not base:
        if dev_is_ocr and all(len(_letters(w)) <= 1 for w in dw):
            return VC.OCR_CONFUSION, (VC.ADDITION,), ("a speck or rule read as a character",)
        return VC.ADDITION, tuple(secondary), tuple(notes)
    if len(bw) != len(dw) and abs(len(bw) - len(dw)) <= len(bw) and is_dittography(base, dev):
        return VC.ADDITION, (), ("a dittography: a word written twice",)
    if len(bw) > 1 and Counter(w.lower() for w in bw) == Counter(w.lower() for w in dw):
        return VC.TRANSPOSITION, (), ("the same words in another order",)
    if base.replace(" ", "") == dev.replace(" ", ""):
        return VC.SPACING, (), ()
    if base.replace(" ", "").replace("-", "") == dev.replace(" ", "").replace("-", ""):
        return VC.HYPHENATION, (), ()
    if base.lower() == dev.lower():
        if dev_is_ocr:
            return VC.OCR_CONFUSION, (VC.CASE,), ("a letter's case misread by the OCR",)
        if confusion.is_confusion(base, dev):
            secondary.append(VC.OCR_CONFUSION)
        return VC.CASE, tuple(secondary), ()
    explanation = confusion.explain(base, dev)
    if _PUNCT.sub("", base).split() == _PUNCT.sub("", dev).split():
        if explanation.explained:
            secondary.append(VC.OCR_CONFUSION)
            notes.append(f"{explanation.describe()} is an OCR confusion")
        return VC.PUNCTUATION, tuple(secondary), tuple(notes)
    if len(bw) == len(dw) and all(
        x == y or is_spelling_variant(x, y) for x, y in zip(bw, dw, strict=True)
    ):
        return VC.SPELLING_VARIANT, (), ("an accepted alternative spelling",)
    # a transcription's difference is an OCR confusion where the scan is seen to make it here,
    # or where OCR engines make its pieces more often than people slip into them
    odds = ocr_odds(explanation.blocks) if explanation.blocks else 0.0
    ocr_like = explanation.learned >= LEARNED_MIN or odds > 1.0
    if ocr_like or dev_is_ocr:
        if explanation.explained:
            notes.append(f"{explanation.describe()} is an OCR shape confusion")
        elif odds > 1.0 and not dev_is_ocr:
            notes.append(
                f"{explanation.describe()} is likelier an OCR misreading than a slip of the hand "
                f"({odds:.0f} to 1 in the counts of OCR and of misspellings)"
            )
        if any(is_nonword(w) for w in dw):
            secondary.append(VC.MISSPELLING)
        elif len(bw) == len(dw) and not dev_is_ocr:
            secondary.append(VC.SUBSTITUTION)
        if len(bw) != len(dw):
            secondary.append(VC.SPACING)
        return VC.OCR_CONFUSION, tuple(secondary), tuple(notes)
    if len(dw) < len(bw) and all(w in bw for w in dw):
        return VC.OMISSION, (), ()
    if len(dw) > len(bw) and all(w in dw for w in bw):
        return VC.ADDITION, (), ()
    if any(is_nonword(w) for w in dw) and not any(is_nonword(w) for w in bw):
        return VC.MISSPELLING, (), ("not a word the lexicon knows",)
    return VC.SUBSTITUTION, (), ()
