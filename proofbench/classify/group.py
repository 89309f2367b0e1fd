"""Grouping alignment columns into variant places.

Input: an ``Alignment`` and its tokenized witnesses; output: ``Place`` objects, each a run of
adjacent variant columns that make one variant. Adjacent variant columns merge when the same
witnesses are absent through both and those present read each alike (an eye-skip omission spread
over 17 columns is one variant; a variant inside a shared addition stays its own), or when their
joint readings differ only by spacing (``M. I.`` / ``M.I.``); neighbouring slips that merely sit
side by side stay apart, and an equal column always separates places. The columns of a transposed
block, at both its places, make one place; the variants between its places stay their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from proofbench.classify.forms import norm
from proofbench.model import Alignment, Column, ColumnKind, Witness


@dataclass(frozen=True, slots=True)
class Place:
    """One variant place: its column indices and each witness's token indices there."""

    columns: tuple[int, ...]
    tokens: Mapping[str, tuple[int, ...]]
    transposition: int | None = None


def _reading(witness: Witness, indices: Sequence[int]) -> str:
    return norm(" ".join(witness.tokens[i].reading for i in indices))


def _squash(s: str) -> str:
    return s.replace(" ", "").replace("-", "")


def _column_readings(col: Column, wit: Mapping[str, Witness]) -> dict[str, str]:
    return {s: _reading(w, col.readings.get(s, ())) for s, w in wit.items()}


def _joins(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """True if the joint readings of two columns agree modulo spacing where single ones do not."""
    joint = {s: _squash(a[s] + b[s]) for s in a}
    sigla = list(a)
    for i, x in enumerate(sigla):
        for y in sigla[i + 1 :]:
            differs = a[x] != a[y] or b[x] != b[y]
            gap = not a[x] or not a[y] or not b[x] or not b[y]
            if joint[x] == joint[y] and differs and gap:
                return True
    return False


def _alike(readings: Mapping[str, str]) -> bool:
    """Whether the witnesses present read the same (so the column only adds or omits)."""
    return len({r for r in readings.values() if r}) <= 1


def places(alignment: Alignment, witnesses: Sequence[Witness]) -> list[Place]:
    """The variant places of an alignment, in column order."""
    wit = {w.siglum: w for w in witnesses if w.siglum in alignment.sigla}
    out: list[Place] = []
    run: list[int] = []
    run_readings: list[dict[str, str]] = []

    def flush() -> None:
        if run:
            toks = {
                s: tuple(i for c in run for i in alignment.columns[c].readings.get(s, ()))
                for s in wit
            }
            trans = alignment.columns[run[0]].transposition
            out.append(Place(columns=tuple(run), tokens=toks, transposition=trans))
        run.clear()
        run_readings.clear()

    for ci, col in enumerate(alignment.columns):
        if col.kind is ColumnKind.EQUAL:
            flush()
            continue
        readings = _column_readings(col, wit)
        if run:
            prev = run_readings[-1]
            prev_col = alignment.columns[run[-1]]
            same_trans = prev_col.transposition == col.transposition
            gone_prev = {s for s in wit if not prev[s]}
            absent_both = (
                bool(gone_prev)
                and gone_prev == {s for s in wit if not readings[s]}
                and _alike(prev)
                and _alike(readings)
            )
            merge = same_trans and (absent_both or _joins(prev, readings))
            if not merge:
                flush()
        run.append(ci)
        run_readings.append(readings)
    flush()
    return _transpositions(alignment, wit, out)


def _transpositions(
    alignment: Alignment, wit: Mapping[str, Witness], found: list[Place]
) -> list[Place]:
    """Make the columns of each transposed block, at both its places, one place.

    Where only agreement stands between the two places, the place spans it, so that its
    readings show the two orders. Otherwise the place is the block's own columns, and the
    variants between stay variants of their own (a moved title must not hide the errors read
    between).
    """
    if not alignment.transpositions:
        return found
    out = list(found)
    for tr in alignment.transpositions:
        cols = sorted({c for group in tr.columns for c in group})
        if not cols:
            continue
        mine = set(cols)
        between = range(cols[0], cols[-1] + 1)
        if all(c in mine or alignment.columns[c].kind is ColumnKind.EQUAL for c in between):
            # Nothing but agreement between the two places (``each other``/``other each``):
            # the place reads the whole stretch, so the readings show the order.
            cols = list(between)
        toks = {
            s: tuple(sorted({i for c in cols for i in alignment.columns[c].readings.get(s, ())}))
            for s in wit
        }
        out = [p for p in out if not mine.intersection(p.columns)]
        out.append(Place(columns=tuple(cols), tokens=toks, transposition=tr.id))
    out.sort(key=lambda p: p.columns[0])
    return out
