"""Collation -> the target witness's text with the suggested corrections applied.

Input: a Collation and RenderOptions. Output: the target's whole extracted text (for a plain
text witness, its file content), where each variant's suggestion replaces the target's reading
if its confidence is at least ``options.min_confidence`` (a decision ``accepted`` applies it
whatever the confidence; ``rejected``, ``dismissed`` and ``corrected`` never). Nothing else
changes, so a diff against the original shows only the corrections.
"""

from __future__ import annotations

from proofbench.edits import drop_overlaps, spaced
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
