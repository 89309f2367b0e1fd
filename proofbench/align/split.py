"""Parting a moved word from the reading it was paired with, so that the move can be found.

Input: the merged ``Graph``. Output: the same graph, with some nodes split in two.

Progressive alignment pairs what stands between two agreements. A word that one witness moved
next door often lands in a node where another witness reads something else (``lattice again``
/ ``again lattice`` while a third witness added ``eighteen`` at the same place: the node reads
``eighteen`` and ``again``), so the moved word is no omission or addition of its own and the
transposition finder, which pairs runs read by disjoint witnesses, never sees it.

Here, a node where the witnesses present read differently is split when one of its readings,
read by witnesses G, is read near by other witnesses H (none of G) and G do not read it
there: the node becomes G's reading, then the others'. The nearby node is split the same way
if others read something else there. The reach and the least key lengths are those of a
short move (``transpose.SHORT_REACH``, ``SWAP_MIN_KEY``, ``SHORT_MIN_KEY``), so that a split
is made only where ``find_moves`` will pair the two parts.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence

from proofbench.align.graph import Graph
from proofbench.align.transpose import SHORT_MIN_KEY, SHORT_REACH, SWAP_MIN_KEY

ReadingOf = Callable[[int, int, int], int]
"""``reading_of(m, s, e)``: member ``m``'s tokens ``s:e`` as one form id (-1 if empty)."""


def _readings(graph: Graph, k: int, reading_of: ReadingOf) -> dict[int, int]:
    """Each merged witness's reading (form id, -1 absent) at node ``k``, by bit position."""
    out: dict[int, int] = {}
    for bit, m in enumerate(graph.members):
        e = graph.ends[m]
        s = e[k - 1] if k else 0
        out[bit] = reading_of(m, s, e[k]) if e[k] > s else -1
    return out


def split_moved(graph: Graph, reading_of: ReadingOf, key_of: Callable[[int], str]) -> int:
    """Split the nodes described in the module docstring; returns how many were split."""
    mixed = [k for k, counts in sorted(graph.differ.items()) if len(counts) > 1]
    if not mixed:
        return 0
    reach = SHORT_REACH[1]
    cache: dict[int, dict[int, int]] = {}

    def readings(k: int) -> dict[int, int]:
        found = cache.get(k)
        if found is None:
            found = cache[k] = _readings(graph, k, reading_of)
        return found

    where: dict[int, list[int]] = {}  # form -> the nodes (in order) whose readings differ
    for kk, counts in sorted(graph.differ.items()):
        for x in counts:
            where.setdefault(x, []).append(kk)
    splits: dict[int, int] = {}  # node -> bit set of the witnesses whose reading goes first
    for k in mixed:
        if k in splits:
            continue
        if not any(_near(where.get(x, ()), k, reach + 1) for x in graph.differ[k]):
            continue  # no reading of this node is read near it: nothing to part
        here = readings(k)
        groups: dict[int, int] = {}
        for bit, x in here.items():
            if x >= 0:
                groups[x] = groups.get(x, 0) | (1 << bit)
        for x in sorted(groups):
            key = key_of(x)
            if len(key) < SWAP_MIN_KEY:
                continue
            g = groups[x]
            partner = _partner(graph, k, x, g, key, reach, readings, splits)
            if partner is None:
                continue
            kk, h = partner
            splits[k] = g
            if kk in graph.differ and len(graph.differ[kk]) > 1:
                splits[kk] = h
            break
    if splits:
        _apply(graph, splits, reading_of)
    return len(splits)


def _near(nodes: Sequence[int], k: int, reach: int) -> bool:
    """Whether a node other than ``k`` within ``reach`` of it is in ``nodes`` (sorted)."""
    at = bisect_left(nodes, k - reach)
    while at < len(nodes) and nodes[at] <= k + reach:
        if nodes[at] != k:
            return True
        at += 1
    return False


def _partner(
    graph: Graph,
    k: int,
    x: int,
    g: int,
    key: str,
    reach: int,
    readings: Callable[[int], dict[int, int]],
    splits: dict[int, int],
) -> tuple[int, int] | None:
    """The nearest node where witnesses other than ``g`` read ``x`` and ``g`` do not."""
    for d in range(1, reach + 2):
        if d > 2 and len(key) < SHORT_MIN_KEY:
            break  # short words move only by swapping with their neighbour
        for kk in (k - d, k + d):
            if not 0 <= kk < graph.size or kk in splits:
                continue
            counts = graph.differ.get(kk)
            if counts is None or x not in counts:
                continue  # everyone reads the same there (g too), or nobody reads x
            there = readings(kk)
            h = 0
            for bit, y in there.items():
                if y == x:
                    h |= 1 << bit
            if h and not h & g:
                return kk, h
    return None


def _apply(graph: Graph, splits: dict[int, int], reading_of: ReadingOf) -> None:
    """Rebuild the graph's arrays with each split node as two: its first witnesses', the rest's."""
    points = sorted(splits)
    members = graph.members
    old_ends = graph.ends
    new_ends: dict[int, array[int]] = {}
    for bit, m in enumerate(members):
        e = old_ends[m]
        out: array[int] = array("q")
        at = 0
        for k in points:
            out.extend(e[at:k])
            start = e[k - 1] if k else 0
            out.append(e[k] if splits[k] >> bit & 1 else start)
            out.append(e[k])
            at = k + 1
        out.extend(e[at:])
        new_ends[m] = out
    keys: list[int] = []
    differ: dict[int, dict[int, int]] = {}
    link = bytearray()
    at = 0
    shift = 0
    dnodes = sorted(graph.differ)
    di = 0
    for k in [*points, graph.size]:
        keys.extend(graph.keys[at:k])
        link.extend(graph.link[at:k])
        while di < len(dnodes) and dnodes[di] < k:
            differ[dnodes[di] + shift] = graph.differ[dnodes[di]]
            di += 1
        if k == graph.size:
            break
        first = splits[k]
        firsts: dict[int, int] = {}
        rest: dict[int, int] = {}
        for bit, m in enumerate(members):
            e = old_ends[m]
            s = e[k - 1] if k else 0
            if e[k] == s:
                continue
            x = reading_of(m, s, e[k])
            side = firsts if first >> bit & 1 else rest
            side[x] = side.get(x, 0) + 1
        for counts in (firsts, rest):
            differ[k + shift + (counts is rest)] = counts
            keys.append(max(counts, key=counts.__getitem__))
        # The two parts are still one place, unless a move claims one of them.
        link.append(graph.link[k])
        link.append(1)
        if di < len(dnodes) and dnodes[di] == k:
            di += 1
        shift += 1
        at = k + 1
    graph.ends = new_ends
    graph.keys = keys
    graph.differ = differ
    graph.link = link
    graph.size += len(points)
