"""A short agreement by chance inside a moved block, traded for the move's longer one.

Input: the merged ``Graph``, its node masks (``transpose.node_masks``) and the ``Move``s
``find_moves`` found. Output: those moves and the ones found here; the graph and the masks
gain a node for each agreement node traded, but for those that agree again where they then
stand (``_settle``).

Where witnesses M moved a phrase and reworded around it, a word of the phrase that the other
witnesses read once at its old place is an anchor there (it stands once in each), and what it
pairs is a chance agreement: M's reading of the phrase is left as omissions on either side of
it (M's ``x a b c d e y`` against the others' ``x c y ... a b c, d e``: ``c`` agrees, ``a b``
and ``d e`` are M's), each run too short to be paired with the others' long addition that
reads the phrase (a short run pairs only with a short one), and the moved block is never
found.

Here, runs of the same witnesses M parted only by agreements of fewer nodes than
``NEAR_PART_MIN`` (the fewest equal forms that pair parts of two runs near by: an agreement
shorter than that is no more evidence of a place than the move is) are read as one run and
paired as ``find_moves`` pairs runs (``_best_partner``: as alike, and as near, as any move).
The move stands only if it shows more agreements than it takes, counted per pair of witnesses
(as a reader of the columns counts them): the forms it pairs equal, times the witnesses of its
other place, must exceed the agreement's nodes it takes, times the witnesses other than M that
read them. Each node taken is then split: M's part stays in the place, the other witnesses'
part stands right after the place (inside it they read nothing else, so every witness's order
holds). There it is aligned with what M read between the place and the next node the others
read, as merging aligns two readings of one gap: the others' nodes are paired with M's of the
same form by one longest common subsequence, and each pair joined into one node that agrees
(``_settle``: where one of M goes on to read ``c`` again before ``y``, the others' ``c`` agrees
with that one).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Mapping

from rapidfuzz.distance import Indel

from proofbench.align.graph import Graph
from proofbench.align.split import _drop
from proofbench.align.transpose import (
    NEAR_PART_MIN,
    Move,
    Run,
    _best_partner,
    _claimed,
    _indexed,
    _move,
    _runs,
    node_masks,
)

Trade = tuple[Run, Run, list[int]]
"""A move found across agreements: its place that takes them, its other place, and the nodes of
the agreements taken (in order)."""


def trade_chance(
    graph: Graph,
    key_of: Callable[[int], str],
    masks: dict[int, int],
    moves: list[Move],
    counts: Mapping[int, int],
) -> list[Move]:
    """The moves with those found across a short agreement by chance (module docstring), sorted
    by first place; deterministic. ``counts``: how many nodes hold each form (``find_moves``').
    When one is found, the graph's nodes and ``masks`` are renumbered in place (the taken
    agreements split in two) and the other moves with them."""
    if len(graph.members) < 2:
        return moves
    full = (1 << len(graph.members)) - 1
    claimed = _claimed(moves, graph.size)
    merged, gaps = _bridged(_runs(masks, full, claimed), masks, claimed)
    if not gaps:
        return moves
    found = _trades(merged, gaps, graph, key_of, full, counts)
    if not found:
        return moves
    return _split(graph, key_of, masks, moves, found, full)


def _bridged(
    runs: list[Run], masks: dict[int, int], claimed: bytearray
) -> tuple[list[Run], dict[int, list[int]]]:
    """The runs with each chain of runs of one mask parted only by short agreements (fewer than
    ``NEAR_PART_MIN`` nodes, every witness reading the same, no move holding them) read as one
    run; and per such run (by index), the nodes of its agreements."""
    merged: list[Run] = []
    gaps: dict[int, list[int]] = {}
    i = 0
    while i < len(runs):
        j = i
        inside: list[int] = []
        while j + 1 < len(runs) and runs[j + 1][2] == runs[i][2]:
            g0, g1 = runs[j][1], runs[j + 1][0]
            if g1 - g0 >= NEAR_PART_MIN or any(k in masks or claimed[k] for k in range(g0, g1)):
                break
            inside.extend(range(g0, g1))
            j += 1
        if inside:
            gaps[len(merged)] = inside
        merged.append((runs[i][0], runs[j][1], runs[i][2]))
        i = j + 1
    return merged, gaps


def _trades(
    merged: list[Run],
    gaps: dict[int, list[int]],
    graph: Graph,
    key_of: Callable[[int], str],
    full: int,
    counts: Mapping[int, int],
) -> list[Trade]:
    """The moves of the joined runs that take an agreement and show more than they take
    (module docstring); each run takes part in one. Longest runs first, as ``find_moves``."""
    keys = graph.keys
    postings, long_postings, joined = _indexed(merged, keys, key_of)
    used = [False] * len(merged)
    found: list[Trade] = []
    for r in sorted(gaps, key=lambda r: (-(merged[r][1] - merged[r][0]), merged[r][0])):
        if used[r]:
            continue
        best = _best_partner(r, merged, keys, joined, postings, long_postings, used, key_of, counts)
        if best is None:
            continue
        c, mine, theirs = best
        if any(theirs[0] <= k < theirs[1] for k in gaps.get(c, ())):
            continue  # both places would take an agreement: one trade at a time
        taken = [k for k in gaps[r] if mine[0] <= k < mine[1]]
        if not taken:
            continue  # a move of one of the runs alone: ``find_moves`` did not pair it
        p, q = (mine, theirs) if mine[0] < theirs[0] else (theirs, mine)
        mv = _move(p, q, keys, key_of, graph.differ)
        shown = sum(u1 - u0 for u0, u1, v0, v1 in mv.groups if keys[u0:u1] == keys[v0:v1])
        others = full & ~mine[2]
        if shown * theirs[2].bit_count() <= len(taken) * others.bit_count():
            continue  # no more agreements than the chance ones it takes
        used[r] = used[c] = True
        found.append((mine, theirs, taken))
    return found


def _split(
    graph: Graph,
    key_of: Callable[[int], str],
    masks: dict[int, int],
    moves: list[Move],
    found: list[Trade],
    full: int,
) -> list[Move]:
    """The moves renumbered and the trades' moves added, with each taken agreement node split:
    its place's witnesses' part where it stood, the others' after the place (module docstring).
    """
    cuts = sorted(((mine[1], mine[2], taken) for mine, _, taken in found), key=lambda c: c[0])
    at = [end for end, _, _ in cuts]
    added: list[int] = []
    for _, _, taken in cuts:
        added.append((added[-1] if added else 0) + len(taken))

    def new(k: int) -> int:
        """Where node ``k`` stands once the others' parts are inserted after each place."""
        n = bisect_right(at, k)
        return k + (added[n - 1] if n else 0)

    for bit, m in enumerate(graph.members):
        ends = graph.ends[m]
        out: array[int] = array("q")
        done = 0
        for end, mask, taken in cuts:
            out.extend(ends[done:end])
            if mask >> bit & 1:
                out.extend([ends[end - 1]] * len(taken))
            else:
                # Inside the place this witness reads the taken nodes only: empty there, its
                # runs of them after the place.
                shift = len(out) - end
                before = ends[taken[0] - 1] if taken[0] else 0
                for k in range(taken[0], end):
                    out[k + shift] = before
                out.extend(ends[k] for k in taken)
            done = end
        out.extend(ends[done:])
        graph.ends[m] = out
    keys: list[int] = []
    link = bytearray()
    done = 0
    for end, _, taken in cuts:
        keys.extend(graph.keys[done:end])
        keys.extend(graph.keys[k] for k in taken)
        link.extend(graph.link[done:end])
        link.extend(bytes(len(taken)))
        done = end
    keys.extend(graph.keys[done:])
    link.extend(graph.link[done:])
    differ = {new(k): counts for k, counts in graph.differ.items()}
    remasked = {new(k): mask for k, mask in masks.items()}
    for end, mask, taken in cuts:
        after = new(end - 1) + 1
        for n, k in enumerate(taken):
            x = graph.keys[k]
            differ[new(k)] = {x: mask.bit_count()}
            remasked[new(k)] = mask
            differ[after + n] = {x: (full & ~mask).bit_count()}
            remasked[after + n] = full & ~mask
        if after + len(taken) < len(link):
            link[after + len(taken)] = 0  # it was one place with a node now moved
    graph.keys = keys
    graph.link = link
    graph.differ = dict(sorted(differ.items()))
    graph.size = len(keys)
    masks.clear()
    masks.update(sorted(remasked.items()))

    def span(lo: int, hi: int) -> tuple[int, int]:
        return (new(lo), new(hi - 1) + 1) if hi > lo else (new(lo), new(lo))

    out_moves = [_renumbered(mv, span) for mv in moves]
    for mine, theirs, _ in found:
        a = (*span(mine[0], mine[1]), mine[2])
        b = (*span(theirs[0], theirs[1]), theirs[2])
        p, q = (a, b) if a[0] < b[0] else (b, a)
        out_moves.append(_move(p, q, graph.keys, key_of, graph.differ))
    out_moves.sort(key=lambda mv: mv.first[0])
    claimed = _claimed(out_moves, graph.size)
    gone: list[int] = []
    for end, mask, taken in reversed(cuts):  # from the last: an earlier one's nodes stay put
        gone.extend(_settle(graph, masks, new(end - 1) + 1, len(taken), full & ~mask, claimed))
    if not gone:
        return out_moves
    gone.sort()
    graph.differ = dict(sorted(graph.differ.items()))  # in node order, as the graph keeps it
    _drop(graph, gone)
    masks.clear()
    masks.update(node_masks(graph))

    def kept(lo: int, hi: int) -> tuple[int, int]:
        """The range once the nodes ``gone`` (none inside a move) are dropped."""
        return lo - bisect_right(gone, lo - 1), hi - bisect_right(gone, hi - 1)

    return [_renumbered(mv, kept) for mv in out_moves]


def _renumbered(mv: Move, span: Callable[[int, int], tuple[int, int]]) -> Move:
    """The move with each of its node ranges (places and groups) as ``span`` renumbers it."""
    return Move(
        span(*mv.first),
        span(*mv.second),
        mv.first_mask,
        mv.second_mask,
        tuple((*span(u0, u1), *span(v0, v1)) for u0, u1, v0, v1 in mv.groups),
    )


def _settle(
    graph: Graph, masks: dict[int, int], after: int, n: int, others: int, claimed: bytearray
) -> list[int]:
    """Align the others' part of a traded agreement (the ``n`` nodes from ``after``, which only
    the witnesses in ``others`` read) with the nodes after it up to the next one any of them
    reads, which only the place's witnesses read (module docstring): the two node sequences,
    each in its order, are merged so that the pairs of one longest common subsequence of their
    forms stand side by side, the place's node first, and each pair is counted into that node.
    Returns the others' nodes so joined, to be dropped (``split._drop``). Nodes a move holds, a
    place of linked nodes or a node whose witnesses read differently are left as they are."""
    ours = list(range(after, after + n))
    theirs: list[int] = []
    k = after + n
    while k < graph.size and not masks.get(k, -1) & others:
        if claimed[k] or graph.link[k] or len(graph.differ.get(k, ())) != 1:
            return []
        theirs.append(k)
        k += 1
    if not theirs or (k < graph.size and graph.link[k]):
        return []
    # one longest common subsequence of the forms, rapidfuzz's (as ``transpose`` finds one)
    pairs = [
        (op.src_start + d, op.dest_start + d)
        for op in Indel.opcodes([graph.keys[j] for j in ours], [graph.keys[j] for j in theirs])
        if op.tag == "equal"
        for d in range(op.src_end - op.src_start)
    ]
    if not pairs:
        return []
    order: list[int] = []
    joined: list[int] = []
    i = j = 0
    for a, b in pairs:
        order.extend(ours[i:a])
        order.extend(theirs[j:b])
        order += [theirs[b], ours[a]]
        joined.append(after + len(order) - 1)
        i, j = a + 1, b + 1
    order.extend(ours[i:])
    order.extend(theirs[j:])
    _reorder(graph, masks, after, order)
    for k in joined:  # the place's node, then the others' of the same form: one node
        (x,) = graph.differ[k - 1]
        graph.differ[k - 1] = {x: graph.differ[k - 1][x] + graph.differ.pop(k)[x]}
    return joined


def _reorder(graph: Graph, masks: dict[int, int], first: int, order: list[int]) -> None:
    """Put the nodes ``first`` to ``first + len(order)`` in ``order`` (their old indices): keys,
    readings, masks and every witness's runs with them (no witness reads two of them that
    change places: its order holds)."""
    span = range(first, first + len(order))
    keys = [graph.keys[k] for k in order]
    differ = {k: graph.differ[k] for k in order if k in graph.differ}
    mask = {k: masks[k] for k in order if k in masks}
    for at, k in zip(span, order, strict=True):
        graph.keys[at] = keys[at - first]
        if k in differ:
            graph.differ[at] = differ[k]
        else:
            graph.differ.pop(at, None)
        if k in mask:
            masks[at] = mask[k]
        else:
            masks.pop(at, None)
    for m in graph.members:
        ends = graph.ends[m]
        start = ends[first - 1] if first else 0
        sizes = [ends[k] - (ends[k - 1] if k else 0) for k in order]
        for at, size in zip(span, sizes, strict=True):
            start += size
            ends[at] = start
