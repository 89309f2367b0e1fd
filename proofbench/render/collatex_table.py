"""Collation -> CollateX's JSON alignment table, so a CollateX user can switch without a converter.

Input: a Collation and RenderOptions. Output: JSON text shaped as CollateX's own
``collate(..., output="json")`` writes it: ``{"witnesses": [sigla], "table": [rows]}``, one row
per witness in manifest order, one cell per alignment column, each cell a list of token objects
or ``null`` where the witness has nothing there. A token has CollateX's fields, ``t`` (the word as
written with the whitespace after it, so a row's ``t``s joined give the witness's text),
``n`` (its normalized form), ``_sigil`` and ``_token_array_position`` (its place in the one
array of all witnesses' tokens, a gap between witnesses, as CollateX numbers them), and
proofbench's own: ``start``/``end`` offsets into the witness's extracted text, and for OCR words
``page``, ``bbox`` and ``confidence``. A moved passage stands once per witness, at the place where
that witness has it (the alignment keeps it at both places).
"""

from __future__ import annotations

import json
from typing import Any

from proofbench.model import Collation, Token, Witness
from proofbench.render.options import RenderOptions
from proofbench.render.tei_places import home


def _token(w: Witness, tok: Token, position: int) -> dict[str, Any]:
    nxt = tok.end
    while nxt < len(w.text) and w.text[nxt].isspace():
        nxt += 1
    out: dict[str, Any] = {
        "t": w.text[tok.start : nxt],
        "n": tok.n,
        "_sigil": w.siglum,
        "_token_array_position": position,
        "start": tok.start,
        "end": tok.end,
    }
    src = tok.source
    if src is not None and src.page is not None:
        out["page"] = src.page
    if src is not None and src.bbox is not None:
        out["bbox"] = list(src.bbox)
    if src is not None and src.confidence is not None:
        out["confidence"] = src.confidence
    return out


def _copies(collation: Collation, siglum: str) -> set[int]:
    """The columns holding the copy of a moved passage at the place the witness lacks it."""
    out: set[int] = set()
    for tr in collation.alignment.transpositions:
        groups = [sorted(g) for g in tr.columns]
        mine = home(collation, siglum, groups)
        for gi, group in enumerate(groups):
            if mine is not None and gi != mine:
                out.update(group)
    return out


def collatex_table(collation: Collation) -> dict[str, Any]:
    """The alignment table as CollateX's JSON structure (a dict)."""
    table: list[list[list[dict[str, Any]] | None]] = []
    base = 0
    for w in collation.witnesses:
        skip = _copies(collation, w.siglum)
        row: list[list[dict[str, Any]] | None] = []
        for ci, col in enumerate(collation.alignment.columns):
            idx = () if ci in skip else col.readings.get(w.siglum, ())
            row.append([_token(w, w.tokens[i], base + i) for i in idx] or None)
        table.append(row)
        base += len(w.tokens) + 1  # CollateX leaves one position between witnesses
    return {"witnesses": [w.siglum for w in collation.witnesses], "table": table}


def render_collatex(collation: Collation, options: RenderOptions) -> str:
    """The collation as CollateX JSON alignment-table text, one witness row a line."""
    data = collatex_table(collation)
    rows = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in data["table"]]
    sigla = json.dumps(data["witnesses"], ensure_ascii=False)
    return '{"table": [\n' + ",\n".join(rows) + f'\n], "witnesses": {sigla}}}\n'
