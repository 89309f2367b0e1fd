"""Corrections on a witness's text -> the new text of each OCR word element they touch.

Input: an OCR Witness (its source spans name each word's file and engine id) and edits
``(start, end, reading)`` on its text, in order and never overlapping. Output: ``Plan``: for each
touched element ``(file, word id)`` its new text (``""``: the word is deleted), and the number of
edits that could not be placed (no word with an id there). A correction spanning several words
puts its reading in the first and empties the others; one that inserts words at a point joins
them to the word before it (else the word after), separated by a space.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from proofbench.model import Witness

Key = tuple[str, str]
"""An OCR word element: its file and the engine's id of it."""
Edit = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Element:
    """One OCR word element and its span in the witness's text."""

    key: Key
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Plan:
    """What to write back: new text per touched element, and the edits left unplaced."""

    texts: dict[Key, str] = field(default_factory=dict)
    unplaced: int = 0


def elements(witness: Witness) -> list[Element]:
    """The witness's word elements that carry an id, in text order."""
    spans: dict[Key, list[int]] = {}
    for span in witness.spans:
        src = span.source
        if src.word_id is None:
            continue
        bounds = spans.setdefault((src.file, src.word_id), [span.start, span.end])
        bounds[0], bounds[1] = min(bounds[0], span.start), max(bounds[1], span.end)
    out = [Element(k, s, e) for k, (s, e) in spans.items()]
    out.sort(key=lambda el: el.start)
    return out


def _pieces(els: Sequence[Element], starts: Sequence[int], edit: Edit) -> list[tuple[int, Edit]]:
    """The edit cut to the elements it touches: (element index, edit within that element)."""
    s, e, reading = edit
    i = bisect.bisect_right(starts, s) - 1
    if s == e:
        # An insertion: after the word ending at or before the point, else before the next.
        if i >= 0 and els[i].end >= s:
            return (
                [(i, (els[i].end, els[i].end, " " + reading))]
                if s >= els[i].end
                else [(i, (s, s, reading))]
            )
        if i >= 0:
            return [(i, (els[i].end, els[i].end, " " + reading))]
        if els:
            return [(0, (els[0].start, els[0].start, reading + " "))]
        return []
    out: list[tuple[int, Edit]] = []
    j = max(i, 0)
    while j < len(els) and els[j].start < e:
        el = els[j]
        if el.end > s:
            cut = (max(s, el.start), min(e, el.end))
            out.append((j, (*cut, reading if not out else "")))
        j += 1
    return out


def plan(witness: Witness, edits: Sequence[Edit]) -> Plan:
    """The new text of every element the edits touch; see the module docstring."""
    els = elements(witness)
    starts = [el.start for el in els]
    per: dict[int, list[Edit]] = {}
    unplaced = 0
    for edit in edits:
        cut = _pieces(els, starts, edit)
        if not cut:
            unplaced += 1
        for j, piece in cut:
            per.setdefault(j, []).append(piece)
    texts: dict[Key, str] = {}
    text = witness.text
    for j, pieces in per.items():
        el = els[j]
        out, pos = [], el.start
        for s, e, reading in sorted(pieces, key=lambda p: (p[0], p[1])):
            out.append(text[pos:s])
            out.append(reading)
            pos = max(pos, e)
        out.append(text[pos : el.end])
        texts[el.key] = " ".join("".join(out).split())
    return Plan(texts, unplaced)
