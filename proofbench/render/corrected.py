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
    edits.sort()
    kept: list[tuple[int, int, str]] = []
    for e in edits:
        if kept and e[0] < kept[-1][1]:
            continue  # overlaps an earlier correction: the first one wins
        kept.append(e)
    return kept


def render_txt(collation: Collation, options: RenderOptions) -> str:
    """The target's text with the corrections applied."""
    text = collation.witness(collation.target).text
    out: list[str] = []
    pos = 0
    for start, end, repl in corrections(collation, options):
        if start == end:
            # An insertion: keep one space between it and the words around it.
            if start > 0 and not text[start - 1].isspace():
                repl = " " + repl
            elif start < len(text) and not text[start].isspace():
                repl = repl + " "
        elif not repl:
            # A deletion takes one neighbouring space with it.
            if end < len(text) and text[end] == " ":
                end += 1
            elif start > pos and text[start - 1] == " ":
                start -= 1
        out.append(text[pos:start])
        out.append(repl)
        pos = end
    out.append(text[pos:])
    return "".join(out)
