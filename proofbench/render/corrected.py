"""Collation -> the target witness's text with the suggested corrections applied.

Input: a Collation and RenderOptions. Output: the target's whole extracted text (for a plain
text witness, its file content), where each variant's suggestion replaces the target's reading
if its confidence is at least ``options.min_confidence`` (a decision ``accepted`` applies it
whatever the confidence; ``rejected``, ``dismissed`` and ``corrected`` never). Nothing else
changes, so a diff against the original shows only the corrections.
"""

from __future__ import annotations

from proofbench.model import Collation
from proofbench.render.collation_json import kept_variants
from proofbench.render.layout import variant_span
from proofbench.render.options import ACCEPTED, NOT_APPLIED, RenderOptions


def corrections(collation: Collation, options: RenderOptions) -> list[tuple[int, int, str]]:
    """The (start, end, replacement) edits on the target's text, in order, never overlapping."""
    target = collation.target
    edits: list[tuple[int, int, str]] = []
    for v in kept_variants(collation, options):
        if v.suggestion is None or v.suggestion == v.readings.get(target, ""):
            continue
        decision = options.decisions.get(v.id)
        if decision in NOT_APPLIED:
            continue
        if decision != ACCEPTED and v.confidence < options.min_confidence:
            continue
        start, end = variant_span(collation, v, target)
        edits.append((start, end, v.suggestion))
    return drop_overlaps(edits)


Edit = tuple[int, int, str]


def drop_overlaps(edits: list[Edit]) -> list[Edit]:
    """The edits in order, an edit overlapping an earlier one dropped (the first one wins)."""
    kept: list[Edit] = []
    for e in sorted(edits):
        if kept and e[0] < kept[-1][1]:
            continue
        kept.append(e)
    return kept


def spaced(text: str, pos: int, start: int, end: int, repl: str) -> Edit:
    """An edit adjusted for spacing: an insertion keeps one space between it and the words
    around it; a deletion takes one neighbouring space with it (not before ``pos``)."""
    if start == end:
        if start > 0 and not text[start - 1].isspace():
            repl = " " + repl
        elif start < len(text) and not text[start].isspace():
            repl = repl + " "
    elif not repl:
        if end < len(text) and text[end] == " ":
            end += 1
        elif start > pos and text[start - 1] == " ":
            start -= 1
    return start, end, repl


def render_txt(collation: Collation, options: RenderOptions) -> str:
    """The target's text with the corrections applied."""
    text = collation.witness(collation.target).text
    out: list[str] = []
    pos = 0
    for edit in corrections(collation, options):
        start, end, repl = spaced(text, pos, *edit)
        out.append(text[pos:start])
        out.append(repl)
        pos = end
    out.append(text[pos:])
    return "".join(out)
