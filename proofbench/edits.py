"""Edits on a text, ``(start, end, replacement)``: the overlap and spacing rules of applying them.

Input: edits as character spans of a text and their replacements. Output: the edits kept in
order (``drop_overlaps``) and each adjusted for the spaces around it (``spaced``). One
implementation shared by render's corrected text (``render/corrected.py``) and review's
``apply`` (``review/apply.py``). It lives outside both stages so that ``apply`` need not
import the render package, whose modules bring the classify and text stages' word lists
(0.8 s of CPU of a 1M-word ``apply``, sixth session).
"""

from __future__ import annotations

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
