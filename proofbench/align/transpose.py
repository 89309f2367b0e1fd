"""Transposition detection: a run read only by some witnesses here, and by the others there.

Input: the merged ``Graph`` and each node's majority form. Output: ``Move``s, each pairing two
runs of nodes with disjoint sets of witnesses present (an omission here, an addition there)
whose contents match, with the node-level alignment of the two runs.

A moved word (``each other``/``other each``), sentence or paragraph, or an OCR column read in
the wrong order, leaves exactly this trace after order-preserving alignment: the anchors of the
moved block fall out of the longest increasing subsequence, so the block is aligned as an
omission at one place and an addition at the other. Short runs must be near each other and
near-identical; long runs may be anywhere, and must be similar as word sequences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from proofbench.align.graph import Graph
from proofbench.align.pair import EQ, match
from proofbench.align.vocab import similarity

SHORT = 4
"""Runs of at most this many nodes count as short."""
SHORT_REACH = (0, 8, 12, 40, 60)
"""How far apart (in nodes) two short runs of 1, 2, 3, 4 nodes may stand."""
SHORT_SIM = 0.8
"""Least similarity of the joined keys of two short runs."""
SHORT_MIN_KEY = 4
"""Least length of a short run's joined key: a moved ``the`` is no evidence."""
LONG_SIM = 0.6
"""Least similarity of two long runs as sequences of forms."""
POSTING_CAP = 64
"""Forms found in more runs than this are not used to find candidates."""
INDEXED = 24
"""How many forms at the start of a run are indexed and looked up."""


@dataclass(frozen=True, slots=True)
class Move:
    """A block read at two places (node ranges ``first`` and ``second``).

    The witnesses in ``first_mask`` read it at ``first``, those in ``second_mask`` at
    ``second`` (bits are positions in ``Graph.members``); ``groups`` aligns the two places'
    nodes: ``(u0, u1, v0, v1)``.
    """

    first: tuple[int, int]
    second: tuple[int, int]
    first_mask: int
    second_mask: int
    groups: tuple[tuple[int, int, int, int], ...]


def node_masks(graph: Graph) -> list[int]:
    """For each node, the bit set of the merged witnesses (bit = position in members) present."""
    masks = [0] * graph.size
    for bit, w in enumerate(graph.members):
        prev = 0
        flag = 1 << bit
        for k, e in enumerate(graph.ends[w]):
            if e != prev:
                masks[k] |= flag
                prev = e
    return masks


def _runs(masks: list[int], full: int) -> list[tuple[int, int, int]]:
    """Maximal runs ``(k0, k1, mask)`` of nodes sharing one mask that is not everyone's."""
    runs: list[tuple[int, int, int]] = []
    k, n = 0, len(masks)
    while k < n:
        mask = masks[k]
        if mask == full:
            k += 1
            continue
        k0 = k
        while k < n and masks[k] == mask:
            k += 1
        runs.append((k0, k, mask))
    return runs


def find_moves(
    graph: Graph, keys: list[int], key_of: Callable[[int], str], masks: list[int]
) -> list[Move]:
    """The transpositions in the graph; each run takes part in at most one. Deterministic."""
    if len(graph.members) < 2:
        return []
    full = (1 << len(graph.members)) - 1
    runs = _runs(masks, full)
    postings: dict[int, list[int]] = {}
    for r, (k0, k1, _) in enumerate(runs):
        for x in dict.fromkeys(keys[k0 : min(k1, k0 + INDEXED)]):
            postings.setdefault(x, []).append(r)
    joined = [""] * len(runs)
    for r, (k0, k1, _) in enumerate(runs):
        if k1 - k0 <= SHORT:
            joined[r] = "".join(key_of(x) for x in keys[k0:k1])
    used = [False] * len(runs)
    # Longest runs first: a moved paragraph claims its counterpart before its words do.
    order = sorted(range(len(runs)), key=lambda r: (-(runs[r][1] - runs[r][0]), runs[r][0]))
    pairs: list[tuple[int, int]] = []
    for r in order:
        if used[r]:
            continue
        k0, k1, mask = runs[r]
        size = k1 - k0
        short = size <= SHORT
        if short and len(joined[r]) < SHORT_MIN_KEY:
            continue
        seen: set[int] = set()
        best, best_score = -1, 0.0
        for x in dict.fromkeys(keys[k0 : min(k1, k0 + INDEXED)]):
            posting = postings.get(x, [])
            if len(posting) > POSTING_CAP:
                continue
            for c in posting:
                if c in seen or used[c] or c == r:
                    continue
                seen.add(c)
                c0, c1, cmask = runs[c]
                if cmask & mask:
                    continue
                csize = c1 - c0
                if short or csize <= SHORT:
                    if not (short and csize <= SHORT):
                        continue
                    distance = c0 - k1 if c0 >= k1 else k0 - c1
                    if distance > SHORT_REACH[max(size, csize)]:
                        continue
                    score = similarity(joined[r], joined[c], SHORT_SIM)
                    if score < SHORT_SIM:
                        continue
                    score -= distance * 1e-6  # the nearer of equals
                else:
                    if min(size, csize) * 2 < max(size, csize):
                        continue
                    score = float(
                        Indel.normalized_similarity(keys[k0:k1], keys[c0:c1], score_cutoff=LONG_SIM)
                    )
                    if score < LONG_SIM:
                        continue
                if score > best_score or (score == best_score and c < best):
                    best, best_score = c, score
        if best >= 0:
            used[r] = used[best] = True
            pairs.append((r, best) if runs[r][0] < runs[best][0] else (best, r))
    pairs.sort(key=lambda p: runs[p[0]][0])
    return [_move(runs[p], runs[q], keys, key_of) for p, q in pairs]


def _move(
    first: tuple[int, int, int],
    second: tuple[int, int, int],
    keys: list[int],
    key_of: Callable[[int], str],
) -> Move:
    """The move between two runs, with their nodes aligned to each other."""
    p0, p1, pmask = first
    q0, q1, qmask = second
    a = keys[p0:p1]
    b = keys[q0:q1]

    def alts_a(i: int) -> tuple[str, ...]:
        return (key_of(a[i]),)

    def alts_b(j: int) -> tuple[str, ...]:
        return (key_of(b[j]),)

    groups: list[tuple[int, int, int, int]] = []
    for alo, ahi, blo, bhi, kind in match(a, b, alts_a, alts_b):
        if kind == EQ:  # equal runs: node for node
            for t in range(ahi - alo):
                groups.append((p0 + alo + t, p0 + alo + t + 1, q0 + blo + t, q0 + blo + t + 1))
        else:
            groups.append((p0 + alo, p0 + ahi, q0 + blo, q0 + bhi))
    return Move((p0, p1), (q0, q1), pmask, qmask, tuple(groups))
