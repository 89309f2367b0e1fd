"""From the merged graph and its moves to the public ``Alignment``.

Input: a ``Graph`` (nodes), the ``Move``s found in it, and for each witness the token indices of
its text tokens. Output: ``Alignment`` columns in node order, where

- a run of nodes in which every witness reads the same forms is one EQUAL column (a segment;
  each reading then holds the same number of tokens, word for word);
- any other node is one VARIANT column (readings may be empty: omission; or hold several
  tokens: ``U. S.`` against ``U.S.``); consecutive nodes read by the same witnesses, not by
  all, and read alike by them, are one column (an omission of 17 words is one variant; a
  variant among the witnesses of a shared addition is a column of its own);
- a replacement of another length is one VARIANT column over its linked nodes (``Graph.link``),
  unless some witnesses read alike at one of its nodes and not over them all (a later witness
  that matched part of it word for word): then its nodes are columns as above;
- a moved block stands at both of its places as VARIANT columns carrying its transposition id,
  with every witness's reading of it (so its tokens appear twice); ``Transposition.sigla`` are
  the witnesses that read it at its second place (``columns[1]``), the others that read it at
  its first (``columns[0]``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Mapping, Sequence

from proofbench.align.graph import Graph, keeps_agreements
from proofbench.align.transpose import Move
from proofbench.model import Alignment, Column, ColumnKind, Transposition

Readings = dict[str, tuple[int, ...]]


def to_alignment(
    graph: Graph,
    sigla: Sequence[str],
    token_index: Sequence[list[int]],
    moves: Sequence[Move],
    masks: Mapping[int, int],
    differ: Collection[int],
) -> Alignment:
    """Build the columns; deterministic, readings keyed in the order of ``sigla``.

    ``differ`` holds the nodes where the witnesses' readings are not all the same form.
    """
    n = len(sigla)
    bit = {w: 1 << b for b, w in enumerate(graph.members)}
    full = (1 << len(graph.members)) - 1
    ends = [graph.ends[w] for w in range(n)]

    def start(w: int, k: int) -> int:
        return ends[w][k - 1] if k else 0

    columns: list[Column] = []

    def emit(lo: int, hi: int, kind: ColumnKind, tid: int | None = None) -> None:
        readings: Readings = {}
        for w in range(n):
            readings[sigla[w]] = tuple(token_index[w][start(w, lo) : ends[w][hi - 1]])
        columns.append(Column(readings, kind, tid))

    move_at: dict[int, tuple[int, int]] = {}
    moved = bytearray(graph.size)
    for m, mv in enumerate(moves):
        move_at[mv.first[0]] = (m, 0)
        move_at[mv.second[0]] = (m, 1)
        for lo, hi in (mv.first, mv.second):
            moved[lo:hi] = b"\x01" * (hi - lo)
    link = graph.link
    places: list[list[list[int]]] = [[[], []] for _ in moves]

    def equal(k: int) -> bool:
        return k not in differ

    def mixed(k: int) -> bool:
        """Whether the witnesses present at node ``k`` read it differently."""
        counts = graph.differ.get(k)
        return counts is not None and len(counts) > 1

    k, size = 0, graph.size
    # The nodes where something other than agreement may start: an agreeing stretch is
    # skipped to the next of them in one step, not walked node by node.
    stops = sorted({*differ, *move_at})
    segment = -1  # first node of the pending EQUAL segment
    while k < size:
        if k in move_at:
            if segment >= 0:
                emit(segment, k, ColumnKind.EQUAL)
                segment = -1
            m, place = move_at[k]
            mv = moves[m]
            for u0, u1, v0, v1 in mv.groups:
                readings: Readings = {}
                for w in range(n):
                    if bit[w] & mv.first_mask and u1 > u0:
                        span = token_index[w][start(w, u0) : ends[w][u1 - 1]]
                    elif bit[w] & mv.second_mask and v1 > v0:
                        span = token_index[w][start(w, v0) : ends[w][v1 - 1]]
                    else:
                        span = []
                    readings[sigla[w]] = tuple(span)
                places[m][place].append(len(columns))
                columns.append(Column(readings, ColumnKind.VARIANT, m + 1))
            k = mv.first[1] if place == 0 else mv.second[1]
            continue
        if equal(k):
            if segment < 0:
                segment = k
            at = bisect_right(stops, k)
            k = stops[at] if at < len(stops) else size
            continue
        if segment >= 0:
            emit(segment, k, ColumnKind.EQUAL)
            segment = -1
        hi = k + 1
        while hi < size and link[hi] and not moved[hi]:
            hi += 1
        if hi > k + 1 and keeps_agreements(graph.ids, graph.ends, graph.members, k, hi):
            emit(k, hi, ColumnKind.VARIANT)
            k = hi
            continue
        # An omission or addition of several words is one column (one variant).
        # Only where the witnesses present agree: a variant among them inside a shared
        # addition is a column (a variant) of its own.
        hi = k + 1
        mask = masks.get(k, full)
        if mask != full and not mixed(k):
            while hi < size and masks.get(hi, full) == mask and hi not in move_at and not mixed(hi):
                hi += 1
        emit(k, hi, ColumnKind.VARIANT)
        k = hi
    if segment >= 0:
        emit(segment, size, ColumnKind.EQUAL)
    transpositions = tuple(
        Transposition(
            m + 1,
            tuple(sigla[w] for w in range(n) if bit[w] & mv.second_mask),
            (tuple(places[m][0]), tuple(places[m][1])),
        )
        for m, mv in enumerate(moves)
    )
    return Alignment(tuple(sigla), tuple(columns), transpositions)
