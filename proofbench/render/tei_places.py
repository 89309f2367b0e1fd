"""Where the TEI apparatus puts an ``<app>``, and what each witness reads there.

Input: a Collation and the variants an output keeps. Output: ``Place``s in the target's text,
in order: one per variant, two linked ones per moved passage (the passage at each of its places,
read only by the witnesses that have it there, with the differences between the two places as
places of their own), and one per column outside every variant where the witnesses' words still
differ (equal after normalization, or of a class left out): together they hold every difference
between the witnesses, so that each can be rebuilt from the apparatus. ``padded`` then moves the
whitespace that separates an added or omitted word inside the readings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from proofbench.model import Collation, ColumnKind, Transposition, Variant, Witness
from proofbench.render.layout import variant_span


@dataclass(frozen=True, slots=True)
class Place:
    """One ``<app>``: its span in the target's text and every witness's reading there."""

    start: int
    end: int
    readings: Mapping[str, str]
    variant: Variant | None = None
    """The variant it shows, else None (an unreported difference)."""
    part: int = 0
    """For a moved passage: 1 at its first place, 2 at its second; 0 otherwise."""
    pad: tuple[str, str] = ("", "")
    """Whitespace written before and after every non-empty reading."""

    def padded(self, reading: str) -> str:
        """A reading with the separating whitespace inside (an empty one stays empty)."""
        return f"{self.pad[0]}{reading}{self.pad[1]}" if reading else ""


class Anchors:
    """For the target: the offset after its last token before each column (copies of moved
    passages left out), else before its first token after it."""

    def __init__(self, collation: Collation) -> None:
        target = collation.witness(collation.target)
        cols = collation.alignment.columns
        self.after: list[int | None] = []
        last: int | None = None
        for col in cols:
            self.after.append(last)
            idx = col.readings.get(target.siglum, ())
            if idx and col.transposition is None:
                last = target.tokens[idx[-1]].end
        self.before: list[int | None] = [None] * len(cols)
        nxt: int | None = None
        for ci in range(len(cols) - 1, -1, -1):
            self.before[ci] = nxt
            idx = cols[ci].readings.get(target.siglum, ())
            if idx and cols[ci].transposition is None:
                nxt = target.tokens[idx[0]].start

    def at(self, column: int) -> tuple[int, int]:
        pos = self.after[column] if 0 <= column < len(self.after) else None
        if pos is None and 0 <= column < len(self.before):
            pos = self.before[column]
        pos = pos or 0
        return pos, pos


def _text(witness: Witness, indices: Sequence[int]) -> str:
    return " ".join(witness.tokens[i].reading for i in indices)


def _span(collation: Collation, anchors: Anchors, columns: Sequence[int]) -> tuple[int, int]:
    """The target's span over these columns: its words there, else an insertion point."""
    target = collation.witness(collation.target)
    idx = [
        i for c in columns for i in collation.alignment.columns[c].readings.get(target.siglum, ())
    ]
    if idx:
        return target.tokens[min(idx)].start, target.tokens[max(idx)].end
    return anchors.at(columns[0])


def home(collation: Collation, siglum: str, groups: Sequence[Sequence[int]]) -> int | None:
    """Which of a moved passage's places (0 or 1) is where the witness has it, if either.

    A witness's words stand at both places; at its own place their order fits the columns
    around it, at the other one it does not.
    """
    cols = collation.alignment.columns
    inside = {c for g in groups for c in g}

    def neighbour(start: int, step: int) -> int | None:
        c = start
        while 0 <= c < len(cols):
            idx = cols[c].readings.get(siglum, ())
            if idx and c not in inside and cols[c].transposition is None:
                return idx[-1] if step < 0 else idx[0]
            c += step
        return None

    first: int | None = None
    for gi, group in enumerate(groups):
        idx = [i for c in group for i in cols[c].readings.get(siglum, ())]
        if not idx:
            continue
        first = gi if first is None else first
        before, after = neighbour(group[0] - 1, -1), neighbour(group[-1] + 1, 1)
        if (before is None or before < min(idx)) and (after is None or after > max(idx)):
            return gi
    return first


def _moved(
    collation: Collation, v: Variant, anchors: Anchors, others: Mapping[int, str]
) -> list[Place] | None:
    """A moved passage as two linked places and the places between, or None if not one.

    ``others`` maps the columns of every variant to its id: a column between the two places that
    belongs to another variant is that variant's place, not this one's.
    """
    cols = set(v.columns)
    tr: Transposition | None = next(
        (
            t
            for t in collation.alignment.transpositions
            if len(t.columns) == 2 and all(c in cols for g in t.columns for c in g)
        ),
        None,
    )
    if tr is None or not all(tr.columns):
        return None
    groups = [sorted(g) for g in tr.columns]
    witnesses = collation.witnesses
    homes = {w.siglum: home(collation, w.siglum, groups) for w in witnesses}
    out: list[Place] = []
    for gi, group in enumerate(groups):
        readings = {
            w.siglum: _text(
                w,
                [
                    i
                    for c in group
                    for i in collation.alignment.columns[c].readings.get(w.siglum, ())
                ],
            )
            if homes[w.siglum] == gi
            else ""
            for w in witnesses
        }
        mine = homes[collation.target] == gi
        span = _span(collation, anchors, group) if mine else anchors.at(group[0])
        out.append(Place(*span, readings, v, gi + 1))
    inside = {c for g in groups for c in g}
    for ci in range(min(v.columns), max(v.columns) + 1):
        if ci in inside or others.get(ci, v.id) != v.id:
            continue
        out += [replace(p, variant=v, part=-1) for p in _column_places(collation, anchors, ci)]
    return out


def _column_places(collation: Collation, anchors: Anchors, ci: int) -> list[Place]:
    """Places for one column where the readings differ: word by word where the witnesses have
    as many words there (an equal column of a long run), else the whole column."""
    col = collation.alignment.columns[ci]
    target = collation.witness(collation.target)
    mine = col.readings.get(target.siglum, ())
    if col.transposition is not None or (col.kind is ColumnKind.EQUAL and not mine):
        return []
    idx = {w.siglum: col.readings.get(w.siglum, ()) for w in collation.witnesses}
    tokens = {w.siglum: w.tokens for w in collation.witnesses}
    if mine and all(len(ix) == len(mine) for ix in idx.values()):
        out: list[Place] = []
        for k, ti in enumerate(mine):
            readings = {s: tokens[s][ix[k]].reading for s, ix in idx.items()}
            if len(set(readings.values())) > 1:
                tok = target.tokens[ti]
                out.append(Place(tok.start, tok.end, readings))
        return out
    witnesses = {w.siglum: w for w in collation.witnesses}
    readings = {s: _text(witnesses[s], ix) for s, ix in idx.items()}
    if len(set(readings.values())) == 1:
        return []
    return [Place(*_span(collation, anchors, [ci]), readings)]


def places(collation: Collation, variants: Sequence[Variant]) -> list[Place]:
    """Every place of the apparatus, in the target's text order."""
    anchors = Anchors(collation)
    target = collation.target
    out: list[Place] = []
    owner = {c: v.id for v in variants for c in v.columns}
    for v in variants:
        moved = _moved(collation, v, anchors, owner) if collation.alignment.transpositions else None
        if moved is not None:
            out += moved
        else:
            out.append(Place(*variant_span(collation, v, target), v.readings, v))
    covered = sorted((min(v.columns), max(v.columns)) for v in variants if v.columns)
    cur = 0
    for ci in range(len(collation.alignment.columns)):
        while cur < len(covered) and covered[cur][1] < ci:
            cur += 1
        if cur < len(covered) and covered[cur][0] <= ci:
            continue
        out += _column_places(collation, anchors, ci)
    out.sort(key=lambda p: (p.start, p.end))
    return out


def _ws_run(text: str, start: int, bound: int, step: int) -> int:
    """The far end of the whitespace run next to ``start`` going ``step`` (-1 or 1)."""
    pos = start
    while step < 0 and pos > bound and text[pos - 1].isspace():
        pos -= 1
    while step > 0 and pos < bound and text[pos].isspace():
        pos += 1
    return pos


def padded(place: Place, text: str, lo: int, hi: int, floor: int) -> Place:
    """The place with the separating whitespace inside its readings, where some are empty.

    Where the target reads something and another witness nothing, the app takes in the space
    before the target's words (else the one after); where the target reads nothing, the other
    readings take a space on each side the base text lacks one. ``lo``/``hi`` bound the block;
    the app takes in no text before ``floor`` (the end of the app before it).
    """
    start = max(place.start, floor)
    end = max(place.end, start)
    if all(place.readings.values()):
        return replace(place, start=start, end=end)
    pad_before, pad_after = "", ""
    if start < end:
        before = _ws_run(text, start, floor, -1)
        if before < start:
            pad_before, start = text[before:start], before
        else:
            after = _ws_run(text, end, hi, 1)
            pad_after, end = text[end:after], after
    else:
        # An insertion point: a space on each side where the base text has none, so that
        # several insertions at one point stay apart too.
        start = end = min(start, hi)
        pad_before = " " if start > lo and not text[start - 1].isspace() else ""
        pad_after = " " if start < hi and not text[start].isspace() else ""
    return replace(place, start=start, end=end, pad=(pad_before, pad_after))
