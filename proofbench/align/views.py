"""Views derived from an ``Alignment``: one witness against another, and the JSON form.

Input: ``Alignment`` and its witnesses. Output: ``PairOp`` tuples (``pairwise``) and a plain
``dict`` ready for ``json.dumps`` (``alignment_to_json``; the collation JSON embeds its
``columns``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from proofbench.model import Alignment, ColumnKind, Witness, token_ends, token_norms, token_starts

EQUAL = "equal"
REPLACE = "replace"
DELETE = "delete"
INSERT = "insert"
TRANSPOSED = "transposed"


@dataclass(frozen=True, slots=True)
class PairOp:
    """One column seen from two witnesses: ``a``'s and ``b``'s token indices there.

    ``kind``: ``equal`` (same forms), ``replace``, ``delete`` (only ``a`` reads here),
    ``insert`` (only ``b``), or ``transposed`` (a moved block, at the place where the
    witness really reads it: the other place's copy is left out).
    """

    kind: str
    a: tuple[int, ...]
    b: tuple[int, ...]
    column: int


def real_places(alignment: Alignment) -> dict[int, tuple[int, frozenset[str]]]:
    """For each transposed column: its place (0 or 1) and the sigla that read the block second."""
    out: dict[int, tuple[int, frozenset[str]]] = {}
    for tr in alignment.transpositions:
        second = frozenset(tr.sigla)
        for place, cols in enumerate(tr.columns):
            for c in cols:
                out[c] = (place, second)
    return out


def pairwise(
    alignment: Alignment, witnesses: Sequence[Witness], a: str, b: str
) -> tuple[PairOp, ...]:
    """Witness ``a`` against witness ``b``: one op per column where either reads something.

    Over the ops, each witness's text tokens appear once each, in order (transposed blocks at
    the place where that witness reads them). Raises KeyError for an unknown siglum.
    """
    by_siglum = {w.siglum: w for w in witnesses}
    wa, wb = by_siglum[a], by_siglum[b]
    na, nb = token_norms(wa.tokens), token_norms(wb.tokens)
    places = real_places(alignment)
    ops: list[PairOp] = []
    for c, column in enumerate(alignment.columns):
        ra = column.readings.get(a, ())
        rb = column.readings.get(b, ())
        if c in places:
            place, second = places[c]
            ra = ra if (a in second) == (place == 1) else ()
            rb = rb if (b in second) == (place == 1) else ()
            if ra or rb:
                ops.append(PairOp(TRANSPOSED, ra, rb, c))
            continue
        if not ra and not rb:
            continue
        if not rb:
            kind = DELETE
        elif not ra:
            kind = INSERT
        elif column.kind is ColumnKind.EQUAL or [na[i] for i in ra] == [nb[i] for i in rb]:
            kind = EQUAL
        else:
            kind = REPLACE
        ops.append(PairOp(kind, ra, rb, c))
    return tuple(ops)


def column_dicts(alignment: Alignment, witnesses: Sequence[Witness]) -> Iterator[dict[str, Any]]:
    """The alignment's columns as JSON-ready data, one at a time (see ``alignment_to_json``)."""
    by_siglum = {w.siglum: w for w in witnesses}
    starts = {s: token_starts(by_siglum[s].tokens) for s in alignment.sigla}
    ends = {s: token_ends(by_siglum[s].tokens) for s in alignment.sigla}
    cursor = dict.fromkeys(alignment.sigla, 0)
    for column in alignment.columns:
        readings: dict[str, Any] = {}
        for siglum in alignment.sigla:
            witness = by_siglum[siglum]
            idx = column.readings.get(siglum, ())
            if idx:
                start = starts[siglum][idx[0]]
                end = ends[siglum][idx[-1]]
                if column.transposition is None:
                    cursor[siglum] = end
            else:
                start = end = cursor[siglum]
            readings[siglum] = {
                "tokens": list(idx),
                "start": start,
                "end": end,
                "text": witness.text[start:end],
            }
        yield {
            "kind": column.kind.value,
            "transposition": column.transposition,
            "readings": readings,
        }


def alignment_to_json(
    alignment: Alignment, witnesses: Sequence[Witness], columns: bool = True
) -> dict[str, Any]:
    """The alignment as JSON-ready data: witnesses, columns, transpositions.

    Each column: ``kind``, ``transposition`` (id or null) and ``readings``: for every siglum,
    ``tokens`` (indices into the witness's tokens), ``start``/``end`` (character offsets into its
    text; for an empty reading, both are the offset where the reading would stand) and ``text``
    (the witness's text over that span). Deterministic: same input, same data, same key order.
    Without ``columns``, the list of columns is left out (a writer that streams them takes
    them one at a time from ``column_dicts``).
    """
    by_siglum = {w.siglum: w for w in witnesses}
    return {
        "witnesses": [
            {
                "siglum": s,
                "label": by_siglum[s].label,
                "tokens": len(by_siglum[s].text_tokens),
            }
            for s in alignment.sigla
        ],
        **({"columns": list(column_dicts(alignment, witnesses))} if columns else {}),
        "transpositions": [
            {"id": t.id, "sigla": list(t.sigla), "columns": [list(c) for c in t.columns]}
            for t in alignment.transpositions
        ],
    }
