"""Collation -> per-page error rates of each OCR witness, and its character confusions.

Input: a Collation. Output: one ``OcrPages`` per OCR witness that has pages: for every page,
the character and word error rates against a reference witness, and the most frequent
character confusions over all pages. The reference is the target, or where the target is the
OCR witness itself, the first witness that is not OCR.

The measures are dinglehopper's (OCR-D's evaluation tool), with its units:

- CER = (substitutions + deletions + insertions) / length of the reference, counted in
  grapheme clusters of the NFC text (uniseg): the Levenshtein distance between the page's OCR
  text and the reference text of the same place. It may exceed 100 %.
- WER = the same over words: the Unicode (UAX #29, uniseg) word segments, leaving out those
  made only of spaces, punctuation, symbols or marks (``hall.`` is one word, ``hall``).
- A character confusion is one edit of the character alignment: reference ``h`` read as OCR
  ``b`` (nothing on one side for an insertion or a deletion), counted over the witness's pages.

What differs is the texts compared. dinglehopper compares a page with its own ground truth,
line for line. proofbench compares it with another witness (another edition, a later
transcription), so it compares the words as read, joined by single spaces: line-end hyphens
resolved (``commu-``/``nication`` is ``communication``, since the reference breaks its lines
elsewhere) and apparatus (running heads, page numbers) left out; dinglehopper counts those as
errors. A page's reference text is what the alignment puts beside the page's words, with what
the OCR omits counted on the page it omits it from.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from uniseg.graphemecluster import grapheme_clusters
from uniseg.wordbreak import words as word_segments

from proofbench.model import Collation, Kind

CONFUSIONS_SHOWN = 12
"""How many of a witness's character confusions the report lists (most frequent first)."""

_NOT_WORD = frozenset({"O", "M", "P", "Z", "S"})
"""Unicode major categories of which a segment made only is no word (with Cc and Cf)."""


@dataclass(frozen=True, slots=True)
class PageRate:
    """One page's (or all pages') error counts and rates against the reference."""

    page: int
    ref_chars: int
    char_edits: int
    ref_words: int
    word_edits: int

    @property
    def cer(self) -> float | None:
        return self.char_edits / self.ref_chars if self.ref_chars else None

    @property
    def wer(self) -> float | None:
        return self.word_edits / self.ref_words if self.ref_words else None


@dataclass(frozen=True, slots=True)
class Confusion:
    """A reference character (or nothing) read as another OCR character (or nothing)."""

    reference: str
    ocr: str
    count: int


@dataclass(frozen=True, slots=True)
class OcrPages:
    """The per-page rates of one OCR witness against its reference."""

    witness: str
    reference: str
    pages: tuple[PageRate, ...]
    total: PageRate
    confusions: tuple[Confusion, ...]


def _unwanted(c: str) -> bool:
    cat = unicodedata.category(c)
    return cat[0] in _NOT_WORD or cat in ("Cc", "Cf")


# uniseg is pure Python (about 4 µs a character here): segmenting a book through it takes
# minutes. Segments never cross whitespace, so each whitespace-separated piece is segmented
# alone, once per distinct piece (a text repeats its words), and plain ASCII pieces, whose
# characters are clusters of their own, skip it.
@lru_cache(maxsize=1 << 16)
def _piece_words(piece: str) -> tuple[str, ...]:
    if piece.isascii() and piece.isalnum():
        return (piece,)
    return tuple(w for w in word_segments(piece) if not all(_unwanted(c) for c in w))


@lru_cache(maxsize=1 << 16)
def _piece_clusters(piece: str) -> tuple[str, ...]:
    if piece.isascii():
        return tuple(piece)
    return tuple(grapheme_clusters(piece))


def words(text: str) -> list[str]:
    """The words of ``text`` as WER counts them (see the module docstring)."""
    return [w for piece in text.split() for w in _piece_words(piece)]


def characters(text: str) -> list[str]:
    """The characters of ``text`` as CER counts them: grapheme clusters of its NFC form.

    Spaces are clusters of their own (a combining mark right after a space, which Unicode
    would attach to it, counts alone: the texts compared here are words joined by spaces).
    """
    out: list[str] = []
    for k, piece in enumerate(unicodedata.normalize("NFC", text).split(" ")):
        if k:
            out.append(" ")
        out.extend(_piece_clusters(piece))
    return out


def _reference_for(collation: Collation, ocr: str) -> str | None:
    if collation.target != ocr:
        return collation.target
    return next((w.siglum for w in collation.witnesses if w.kind is not Kind.OCR), None)


def _pages_of(collation: Collation, ocr: str, ref: str) -> dict[int, tuple[list[str], list[str]]]:
    """Page -> (the OCR's words as read, the reference's words beside them), in text order."""
    otoks = collation.witness(ocr).tokens
    rtoks = collation.witness(ref).tokens
    out: dict[int, tuple[list[str], list[str]]] = {}
    seen_o: set[int] = set()
    seen_r: set[int] = set()
    page: int | None = None
    for col in collation.alignment.columns:
        oix = [i for i in col.readings.get(ocr, ()) if i not in seen_o]
        rix = [i for i in col.readings.get(ref, ()) if i not in seen_r]
        seen_o.update(oix)  # a transposed block counts once, at its first place
        seen_r.update(rix)
        for i in oix:
            src = otoks[i].source
            if src is not None and src.page is not None:
                page = src.page
                break
        if page is None:
            page = 1  # reference words before the OCR's first: its first page omits them
        o, r = out.setdefault(page, ([], []))
        o.extend(otoks[i].reading for i in oix)
        r.extend(rtoks[i].reading for i in rix)
    return out


def page_rates(collation: Collation) -> tuple[OcrPages, ...]:
    """Per-page CER and WER of every OCR witness with pages, and its character confusions."""
    out = []
    for w in collation.witnesses:
        if w.kind is not Kind.OCR or not w.pages:
            continue
        ref = _reference_for(collation, w.siglum)
        if ref is None:
            continue
        confusions: Counter[tuple[str, str]] = Counter()
        rates = []
        for page, (otoks, rtoks) in sorted(_pages_of(collation, w.siglum, ref).items()):
            o, r = characters(" ".join(otoks)), characters(" ".join(rtoks))
            ow, rw = words(" ".join(otoks)), words(" ".join(rtoks))
            for op in Levenshtein.editops(r, o):
                if op.tag == "replace":
                    confusions[r[op.src_pos], o[op.dest_pos]] += 1
                elif op.tag == "delete":
                    confusions[r[op.src_pos], ""] += 1
                else:
                    confusions["", o[op.dest_pos]] += 1
            rates.append(
                PageRate(
                    page=page,
                    ref_chars=len(r),
                    char_edits=Levenshtein.distance(r, o),
                    ref_words=len(rw),
                    word_edits=Levenshtein.distance(rw, ow),
                )
            )
        total = PageRate(
            page=0,
            ref_chars=sum(p.ref_chars for p in rates),
            char_edits=sum(p.char_edits for p in rates),
            ref_words=sum(p.ref_words for p in rates),
            word_edits=sum(p.word_edits for p in rates),
        )
        top = sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:CONFUSIONS_SHOWN]
        out.append(
            OcrPages(
                witness=w.siglum,
                reference=ref,
                pages=tuple(rates),
                total=total,
                confusions=tuple(Confusion(a, b, n) for (a, b), n in top),
            )
        )
    return tuple(out)
