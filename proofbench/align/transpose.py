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

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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
"""Least length of a short run's joined key to move further than its neighbour."""
SWAP_MIN_KEY = 3
"""Least length of a short run's joined key at all: a moved ``a`` is no evidence, unless the
collation reads its words nowhere but at the two places (``_alone``)."""
SAMPLED = 400
"""How many forms of a long run are looked up to find its scattered counterpart."""
LONG_SIM = 0.6
"""Least similarity of two long runs as sequences of forms."""
CHAR_COMPARED = 40
"""Runs up to this many nodes are compared by the characters of their keys."""
CHAR_SIM = 0.8
"""Least similarity of two such runs' joined keys."""
POSTING_CAP = 64
"""Forms found in more runs than this are not used to find candidates."""
NEIGHBOURS = 8
"""How many runs on either side are tried as a short run's partner."""
INDEXED = 24
"""How many forms at the start of a run are indexed and looked up."""
PASSES = 3
"""Passes of pairing: what is left of runs paired by a part is paired again."""
PARTIAL_MIN = 5
"""Least number of equal forms for a part of a long run to be paired with part of another
(the shortest block the witness model moves, ``witness_model.py``)."""
NEAR_PART_MIN = 3
"""Least number of equal forms for a part of a long run to be paired with part of another
within a short run's reach (``SHORT_REACH``): a part read there is a short run read by its keys
(``an almost perfect series between``/``..., an almost perfect series; so``)."""
PARTIAL_RANK = 0.5
"""Factor on a part's similarity when candidates are compared: any whole match comes first."""

Run = tuple[int, int, int]
"""A run of nodes ``(k0, k1, mask)``: ``mask`` the witnesses present in each of them."""


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


def _claimed(moves: Sequence[Move], size: int) -> bytearray:
    """Per node of a graph of ``size`` nodes, 1 where one of the moves holds it."""
    return _claim(bytearray(size), moves)


def _claim(claimed: bytearray, moves: Sequence[Move]) -> bytearray:
    """``claimed`` (per node, 1 where a move holds it) with the moves' places marked too."""
    for mv in moves:
        for lo, hi in (mv.first, mv.second):
            claimed[lo:hi] = b"\x01" * (hi - lo)
    return claimed


def node_masks(graph: Graph) -> dict[int, int]:
    """For each node where the witnesses differ, the bit set of the merged witnesses present
    there (bit = position in ``Graph.members``); every other node has them all."""
    masks: dict[int, int] = {}
    ends = [graph.ends[w] for w in graph.members]
    for k in sorted(graph.differ):
        mask = 0
        for bit, e in enumerate(ends):
            if e[k] != (e[k - 1] if k else 0):
                mask |= 1 << bit
        masks[k] = mask
    return masks


def _runs(
    masks: dict[int, int], full: int, claimed: bytearray | None = None
) -> list[tuple[int, int, int]]:
    """Maximal runs ``(k0, k1, mask)`` of nodes sharing one mask that is not everyone's (and,
    given ``claimed``, that no move holds yet)."""
    runs: list[tuple[int, int, int]] = []
    for k, mask in masks.items():  # in node order
        if mask == full or (claimed is not None and claimed[k]):
            continue
        if runs and runs[-1][1] == k and runs[-1][2] == mask:
            runs[-1] = (runs[-1][0], k + 1, mask)
        else:
            runs.append((k, k + 1, mask))
    return runs


def find_moves(
    graph: Graph,
    keys: list[int],
    key_of: Callable[[int], str],
    masks: dict[int, int],
    counts: Mapping[int, int],
) -> list[Move]:
    """The transpositions in the graph; no node takes part in two. Deterministic. ``counts``:
    how many nodes hold each form (``Counter(keys)``, which ``chance`` reads too).

    Runs are paired in passes: a long run may be paired by the part of it that matches part
    of another (a moved sentence of which an eye-skip dropped a clause, or split by a word
    aligned by chance), and what is left of the two runs is paired again in the next pass.
    """
    if len(graph.members) < 2:
        return []
    full = (1 << len(graph.members)) - 1
    claimed = bytearray(graph.size)
    moves: list[Move] = []
    rests: list[tuple[Move, int, int]] = []
    for rank in range(PASSES):
        runs = _runs(masks, full, claimed)
        found = _pair_runs(runs, keys, key_of, graph.differ, counts, rests)
        if rank == 0:
            found.extend(
                _scattered_moves(
                    runs,
                    [False] * len(runs),
                    keys,
                    key_of,
                    masks,
                    found,
                    full,
                    graph.size,
                    graph.differ,
                )
            )
        if not found:
            break
        _claim(claimed, found)
        moves.extend(found)
    moves = _explained(moves, rests, graph.size)
    moves = _joined(moves, keys, key_of, masks, graph.differ, graph.size)
    moves = _grown(moves, keys, key_of, masks, graph.differ, graph.size)
    moves.sort(key=lambda m: m.first[0])
    return moves


def _joined(
    moves: list[Move],
    keys: list[int],
    key_of: Callable[[int], str],
    masks: dict[int, int],
    differ: Mapping[int, Mapping[int, int]],
    size: int,
) -> list[Move]:
    """The moves, each two that are one block's parts made one move.

    Runs paired by their parts (``_partial``) pair a block split into runs piece by piece:
    two moves of the same witnesses whose places follow each other in the same order at both
    ends, with at most ``SHORT`` nodes between them at each end that only that place's own
    witnesses read (the word one of them added), are one moved block, and one variant for a
    reviewer. Aligned again as one (``_move``), the words of its pieces' boundary are paired
    across it, not left at whichever piece took them."""
    claimed = _claimed(moves, size)
    out: list[Move] = []
    for mv in sorted(moves, key=lambda m: m.first[0]):
        if out and _follows(out[-1], mv, masks, claimed):
            prev = out.pop()
            mv = _move(
                (prev.first[0], mv.first[1], mv.first_mask),
                (prev.second[0], mv.second[1], mv.second_mask),
                keys,
                key_of,
                differ,
            )
        out.append(mv)
    return out


def _follows(a: Move, b: Move, masks: dict[int, int], claimed: bytearray) -> bool:
    """Whether move ``b`` continues move ``a`` at both places (``_joined``)."""
    if (a.first_mask, a.second_mask) != (b.first_mask, b.second_mask):
        return False
    for (_, end), (start, _), mask in (
        (a.first, b.first, a.first_mask),
        (a.second, b.second, a.second_mask),
    ):
        if not 0 <= start - end <= SHORT:
            return False
        if any(claimed[end:start]) or any(masks.get(k, -1) & ~mask for k in range(end, start)):
            return False  # a node between them moved, or read by another witness or all
    return b.first[1] <= a.second[0]  # (a move's first place always precedes its second)


def _grown(
    moves: list[Move],
    keys: list[int],
    key_of: Callable[[int], str],
    masks: dict[int, int],
    differ: Mapping[int, Mapping[int, int]],
    size: int,
) -> list[Move]:
    """The moves, each grown at a place over the part of the block its witnesses read beside it.

    A run is a stretch of one set of witnesses, so a word that some of the moving witnesses add
    inside the block (``express express sent``), or drop from it, splits their side of it into
    runs, and a move pairs the other side's whole block with the longest of them: more than
    ``SHORT`` nodes at an end of one place are then read at neither place of the other side.
    Where the other place is followed (or preceded) by nodes that only its own witnesses read,
    no move holds and whose forms are that overhang's (at least ``PARTIAL_MIN`` equal, as alike
    as two long runs must be), the place takes them in, up to its last equal form; they are
    looked for within the overhang's length and ``SHORT`` nodes more (the words the place's
    own witnesses add among them)."""
    claimed = _claimed(moves, size)
    out: list[Move] = []
    for mv in moves:
        for _ in range(2):  # at most twice: a head and a tail
            grown = _grown_once(mv, keys, masks, claimed)
            if grown is None:
                break
            mv = _move(
                (*grown[0], mv.first_mask), (*grown[1], mv.second_mask), keys, key_of, differ
            )
            _claim(claimed, [mv])
        out.append(mv)
    return out


def _grown_once(
    mv: Move, keys: list[int], masks: dict[int, int], claimed: bytearray
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The move's two node ranges with one of them grown at one end (``_grown``), or None."""
    (p0, p1), (q0, q1) = mv.first, mv.second
    same = [op for op in Indel.opcodes(keys[p0:p1], keys[q0:q1]) if op.tag == "equal"]
    if not same:
        return None
    heads = (same[0].src_start, same[0].dest_start)
    tails = ((p1 - p0) - same[-1].src_end, (q1 - q0) - same[-1].dest_end)
    for end, (a, b) in (("head", heads), ("tail", tails)):
        for side in (0, 1):
            over, other = (a, b) if side == 0 else (b, a)
            if over <= SHORT or other > SHORT:
                continue
            # ``side`` has an overhang: the other place grows to read it
            lo, hi = (q0, q1) if side == 0 else (p0, p1)
            mask = mv.second_mask if side == 0 else mv.first_mask
            o0, o1 = (p0, p1) if side == 0 else (q0, q1)
            part = (o0, o0 + over) if end == "head" else (o1 - over, o1)
            limit = over + SHORT
            if end == "head":
                g = lo
                while g > 0 and lo - g < limit and _own(g - 1, mask, masks, claimed):
                    g -= 1
                near = (g, lo)
            else:
                g = hi
                while g < len(claimed) and g - hi < limit and _own(g, mask, masks, claimed):
                    g += 1
                near = (hi, g)
            got = _overhang_read(keys, part, near, end == "head")
            if got is None:
                continue
            grown = (got, hi) if end == "head" else (lo, got)
            return (mv.first, grown) if side == 0 else (grown, mv.second)
    return None


def _own(k: int, mask: int, masks: dict[int, int], claimed: bytearray) -> bool:
    """Whether node ``k`` is read by some of the witnesses ``mask`` and by no other, and no
    move holds it."""
    m = masks.get(k)
    return m is not None and not claimed[k] and m & ~mask == 0


def _overhang_read(
    keys: list[int], part: tuple[int, int], near: tuple[int, int], head: bool
) -> int | None:
    """Where the nodes ``near`` (beside a place) that read the overhang ``part`` begin (``head``)
    or end: at the first or last form equal to one of the overhang's, if at least
    ``PARTIAL_MIN`` are equal and the two are as alike as long runs (``LONG_SIM``); else None."""
    (a0, a1), (b0, b1) = part, near
    same = [op for op in Indel.opcodes(keys[a0:a1], keys[b0:b1]) if op.tag == "equal"]
    matched = sum(op.src_end - op.src_start for op in same)
    if matched < PARTIAL_MIN:
        return None
    edge = b0 + same[0].dest_start if head else b0 + same[-1].dest_end
    width = (a1 - a0) + (b1 - edge if head else edge - b0)
    if 2 * matched / width < LONG_SIM:
        return None
    return edge


def _explained(moves: list[Move], rests: list[tuple[Move, int, int]], size: int) -> list[Move]:
    """The moves without those that paired an end of a short run whose rest no move pairs.

    A short run split by ``_short_end`` is explained only if its rest moved too
    (``white and``/``and white`` beside a third witness's ``black and black``); a word paired
    out of a run whose other words stay mere additions (``not having``/``having``) is a
    coincidence as likely as a move, unless the two parts swapped places with the one node
    between them (``_pair_runs``). Dropping one may leave another's rest unpaired: repeated
    until none is dropped.
    """
    while rests:
        claimed = _claimed(moves, size)
        dropped = {id(mv) for mv, lo, hi in rests if not all(claimed[lo:hi])}
        if not dropped:
            break
        moves = [mv for mv in moves if id(mv) not in dropped]
        rests = [r for r in rests if id(r[0]) not in dropped]
    return moves


def _pair_runs(
    runs: list[tuple[int, int, int]],
    keys: list[int],
    key_of: Callable[[int], str],
    differ: Mapping[int, Mapping[int, int]],
    counts: Mapping[int, int],
    rests: list[tuple[Move, int, int]],
) -> list[Move]:
    """One pass of pairing runs with their counterparts; each run takes part in one move.

    A short run paired by one end (``_short_end``) adds the move and the rest's node range to
    ``rests``."""
    postings, long_postings, joined = _indexed(runs, keys, key_of)
    used = [False] * len(runs)
    # Longest runs first: a moved paragraph claims its counterpart before its words do.
    order = sorted(range(len(runs)), key=lambda r: (-(runs[r][1] - runs[r][0]), runs[r][0]))
    moves: list[Move] = []
    for r in order:
        if used[r]:
            continue
        best = _best_partner(r, runs, keys, joined, postings, long_postings, used, key_of, counts)
        if best is not None:
            c, mine, theirs = best
            used[r] = used[c] = True
            p, q = (mine, theirs) if mine[0] < theirs[0] else (theirs, mine)
            mv = _move(p, q, keys, key_of, differ)
            moves.append(mv)
            whole = runs[r] if mine != runs[r] else runs[c]
            part = mine if mine != runs[r] else theirs
            # Across one node every witness reads, the pairing is a swap with the neighbour
            # (``musket missed``/``missed musket fire but``): its own evidence, whatever
            # becomes of the rest (an OCR's dropped ``fire but``).
            swap = q[0] - p[1] == 1 and q[0] - 1 not in differ
            if part != whole and whole[1] - whole[0] <= SHORT and not swap:
                lo, hi = (part[1], whole[1]) if part[0] == whole[0] else (whole[0], part[0])
                rests.append((mv, lo, hi))
    return moves


def _indexed(
    runs: Sequence[Run], keys: list[int], key_of: Callable[[int], str]
) -> tuple[dict[int, list[int]], dict[int, list[int]], list[str]]:
    """What ``_best_partner`` looks runs up by: per form among the first ``INDEXED`` of a run,
    the runs that hold it, and the long ones among them (a long run's partner is long, and most
    runs are short); and each short run's joined keys (a long run's: empty)."""
    postings: dict[int, list[int]] = {}
    long_postings: dict[int, list[int]] = {}
    joined = [""] * len(runs)
    for r, (k0, k1, _) in enumerate(runs):
        for x in dict.fromkeys(keys[k0 : min(k1, k0 + INDEXED)]):
            postings.setdefault(x, []).append(r)
            if k1 - k0 > SHORT:
                long_postings.setdefault(x, []).append(r)
        if k1 - k0 <= SHORT:
            joined[r] = "".join(key_of(x) for x in keys[k0:k1])
    return postings, long_postings, joined


def _best_partner(
    r: int,
    runs: list[tuple[int, int, int]],
    keys: list[int],
    joined: list[str],
    postings: dict[int, list[int]],
    long_postings: dict[int, list[int]],
    used: list[bool],
    key_of: Callable[[int], str],
    counts: Mapping[int, int],
) -> tuple[int, Run, Run] | None:
    """The run that reads what run ``r`` reads, with disjoint witnesses, and the two parts that
    match (the whole runs, or for long runs a part of each); None if none. ``postings``: per
    indexed form, the runs that start with it; ``long_postings``: the long ones among them."""
    k0, k1, mask = runs[r]
    size = k1 - k0
    short = size <= SHORT
    tiny = short and len(joined[r]) < SWAP_MIN_KEY
    if tiny and any(counts[x] > 2 for x in keys[k0:k1]):
        return None  # a word read elsewhere too: the pairing is no evidence
    seen: set[int] = set()
    best, best_score = -1, 0.0
    best_parts: tuple[Run, Run] = (runs[r], runs[r])
    if short:
        # A short run's partner stands near it: look among the neighbouring runs.
        lookups: list[Sequence[int]] = [
            range(max(0, r - NEIGHBOURS), min(len(runs), r + NEIGHBOURS + 1))
        ]
    else:
        lookups = []
        for x in dict.fromkeys(keys[k0 : min(k1, k0 + INDEXED)]):
            if len(postings.get(x, ())) <= POSTING_CAP:
                lookups.append(long_postings.get(x, []))
    for candidates in lookups:
        for c in candidates:
            if c in seen or used[c] or c == r:
                continue
            seen.add(c)
            c0, c1, cmask = runs[c]
            if cmask & mask or c0 == k1 or c1 == k0:
                continue  # touching runs read at one place: a replacement, not a move
            csize = c1 - c0
            if short or csize <= SHORT:
                if not (short and csize <= SHORT):
                    continue
                distance = c0 - k1 if c0 >= k1 else k0 - c1
                if distance > SHORT_REACH[max(size, csize)]:
                    continue
                alone = _alone(keys, counts, runs[r], runs[c])
                if tiny and not alone:
                    continue
                if (
                    min(len(joined[r]), len(joined[c])) < SHORT_MIN_KEY
                    and distance > 1
                    and not alone
                ):
                    continue  # short words move only by swapping with their neighbour
                score = similarity(joined[r], joined[c], SHORT_SIM)
                if score < SHORT_SIM and sorted(keys[k0:k1]) == sorted(keys[c0:c1]):
                    # The same words in another order (``white and``/``and white``).
                    score = SHORT_SIM
                parts = (runs[r], runs[c])
                if score < SHORT_SIM:
                    end = _short_end(keys, runs[r], runs[c], key_of)
                    if end is None:
                        continue
                    # A part matched scores below any whole run that matches.
                    score, parts = SHORT_SIM * PARTIAL_RANK, end
                score -= distance * 1e-6  # the nearer of equals
            else:
                score = 0.0
                if min(size, csize) * 2 >= max(size, csize):
                    score = _long_similarity(keys, k0, k1, c0, c1, key_of)
                parts = (runs[r], runs[c])
                if score < LONG_SIM:
                    # Within a short move's reach, a part is read by its keys as a short run
                    # is (``varieties,``/``varieties.``); further off, form for form.
                    distance = c0 - k1 if c0 >= k1 else k0 - c1
                    near = key_of if distance <= SHORT_REACH[-1] else None
                    part = _partial(keys, runs[r], runs[c], near)
                    if part is None and near is not None:
                        # Fewer equal forms, where a short run of as many would move this far.
                        least = next(
                            n for n in range(NEAR_PART_MIN, SHORT + 1) if SHORT_REACH[n] >= distance
                        )
                        part = _partial(keys, runs[r], runs[c], near, least)
                        if part is not None and not _alike(keys, part[1], key_of):
                            part = None
                    if part is None:
                        continue
                    # A part matched scores below any whole run that matches.
                    score, parts = part[0] * PARTIAL_RANK, part[1]
            if score > best_score or (score == best_score and c < best):
                best, best_score, best_parts = c, score, parts
    return (best, *best_parts) if best >= 0 else None


def _alike(keys: list[int], parts: tuple[Run, Run], key_of: Callable[[int], str]) -> bool:
    """Whether two parts are as alike as two short runs must be to move (``SHORT_SIM`` of their
    joined keys): a part paired by fewer equal forms than ``PARTIAL_MIN`` is a short run read
    inside a longer one (``an almost perfect series``/``an almost perfect series;``), not three
    of the collation's commonest words around another (``in the case of``/``in the veins of``)."""
    (k0, k1, _), (c0, c1, _) = parts
    a = "".join(key_of(x) for x in keys[k0:k1])
    b = "".join(key_of(x) for x in keys[c0:c1])
    return similarity(a, b, SHORT_SIM) >= SHORT_SIM


def _short_end(
    keys: list[int], mine: Run, theirs: Run, key_of: Callable[[int], str]
) -> tuple[Run, Run] | None:
    """The parts of two short runs of unequal length where the shorter reads, form for form,
    the first or last nodes of the longer (``white``/``and white``: a moved word beside an
    added one); None if it does not, or if the part is too short a key to move at all
    (``SHORT_MIN_KEY``). The rest of the longer run is left for another pass, and the move
    stands only if that rest is paired too (``_explained``)."""
    (k0, k1, _), (c0, c1, _) = mine, theirs
    small, n = (keys[k0:k1], k1 - k0) if k1 - k0 < c1 - c0 else (keys[c0:c1], c1 - c0)
    if n == max(k1 - k0, c1 - c0) or len("".join(key_of(x) for x in small)) < SHORT_MIN_KEY:
        return None
    b0, b1, bmask = theirs if n == k1 - k0 else mine
    for lo in (b0, b1 - n):
        if keys[lo : lo + n] == small:
            part = (lo, lo + n, bmask)
            return (mine, part) if n == k1 - k0 else (part, theirs)
    return None


def _alone(keys: list[int], counts: Mapping[int, int], mine: Run, theirs: Run) -> bool:
    """Whether the two runs read the same words and the collation reads them nowhere else.

    Then one witness dropping a word and another adding that very word near by, each the
    only time the collation reads it, is a coincidence the move does not need: the move is the
    one explanation, however short or common the word (``a b``/``b a``). A word read at any
    third place could have been dropped here and added there independently.
    """
    a = Counter(keys[mine[0] : mine[1]])
    if a != Counter(keys[theirs[0] : theirs[1]]):
        return False
    return all(counts[x] == 2 * n for x, n in a.items())


def _partial(
    keys: list[int],
    mine: Run,
    theirs: Run,
    key_of: Callable[[int], str] | None = None,
    least: int = PARTIAL_MIN,
) -> tuple[float, tuple[Run, Run]] | None:
    """The parts of two long runs that read alike, by their forms (by their match keys, given
    ``key_of``): the stretch from the first to the last stretch of equal forms, trimmed at its
    ends until the parts are as similar as two whole runs must be (``LONG_SIM``) and share at
    least ``least`` forms."""
    k0, k1, kmask = mine
    c0, c1, cmask = theirs
    a: Sequence[object] = keys[k0:k1]
    b: Sequence[object] = keys[c0:c1]
    if key_of is not None:
        a, b = [key_of(x) for x in keys[k0:k1]], [key_of(x) for x in keys[c0:c1]]
    same = [
        (op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(a, b)
        if op.tag == "equal"
    ]
    lo, hi = 0, len(same)
    while hi - lo > 0:
        first, last = same[lo], same[hi - 1]
        matched = sum(b[1] - b[0] for b in same[lo:hi])
        width = (last[1] - first[0]) + (last[3] - first[2])
        if matched < least:
            return None
        score = 2 * matched / width
        if score >= LONG_SIM:
            return score, (
                (k0 + first[0], k0 + last[1], kmask),
                (c0 + first[2], c0 + last[3], cmask),
            )
        # Drop the end stretch that stands furthest from the rest.
        if hi - lo == 1:
            return None
        head = (same[lo + 1][0] - first[1]) + (same[lo + 1][2] - first[3]) - (first[1] - first[0])
        tail = (last[0] - same[hi - 2][1]) + (last[2] - same[hi - 2][3]) - (last[1] - last[0])
        if head >= tail:
            lo += 1
        else:
            hi -= 1
    return None


def _scattered_moves(
    runs: list[tuple[int, int, int]],
    used: list[bool],
    keys: list[int],
    key_of: Callable[[int], str],
    masks: dict[int, int],
    found: list[Move],
    full: int,
    size_all: int,
    differ: Mapping[int, Mapping[int, int]],
) -> list[Move]:
    """Long blocks whose first place is broken into several runs by other witnesses' variants.

    A block read only by witnesses M here is looked for there as the stretch of nodes that M
    lacks (grown around the run sharing most of its forms), whatever the others read in it.
    """
    postings: dict[int, list[int]] = {}
    for r, (k0, k1, _) in enumerate(runs):
        for x in dict.fromkeys(keys[k0 : min(k1, k0 + INDEXED)]):
            postings.setdefault(x, []).append(r)
    claimed = _claimed(found, size_all)
    starts = [run[0] for run in runs]
    moves: list[Move] = []
    order = sorted(range(len(runs)), key=lambda r: (-(runs[r][1] - runs[r][0]), runs[r][0]))
    for r in order:
        k0, k1, mask = runs[r]
        size = k1 - k0
        if used[r] or size <= SHORT or any(claimed[k0:k1]):
            continue
        hits: dict[int, int] = {}
        step = max(1, size // SAMPLED)
        for x in dict.fromkeys(keys[k0:k1:step]):
            posting = postings.get(x, [])
            if len(posting) > POSTING_CAP:
                continue
            for c in posting:
                if c != r and not used[c] and not runs[c][2] & mask:
                    hits[c] = hits.get(c, 0) + 1
        if not hits:
            continue
        c = min(hits, key=lambda c: (-hits[c], c))
        lo, hi = runs[c][0], runs[c][1]
        if any(claimed[lo:hi]):
            continue
        limit = 3 * size
        while (
            lo > 0
            and not masks.get(lo - 1, full) & mask
            and not claimed[lo - 1]
            and hi - lo < limit
        ):
            lo -= 1
        while (
            hi < size_all and not masks.get(hi, full) & mask and not claimed[hi] and hi - lo < limit
        ):
            hi += 1
        if min(size, hi - lo) * 2 < max(size, hi - lo):
            continue
        score = _long_similarity(keys, lo, hi, k0, k1, key_of)
        if score < LONG_SIM:
            continue
        used[r] = True
        for other in range(max(0, bisect_left(starts, lo) - 1), bisect_left(starts, hi)):
            if runs[other][1] > lo:
                used[other] = True
        claimed[lo:hi] = b"\x01" * (hi - lo)
        claimed[k0:k1] = b"\x01" * size
        region = (lo, hi, full & ~mask)
        p, q = (region, runs[r]) if lo < k0 else (runs[r], region)
        moves.append(_move(p, q, keys, key_of, differ))
    return moves


def _long_similarity(
    keys: list[int], k0: int, k1: int, c0: int, c1: int, key_of: Callable[[int], str]
) -> float:
    """Similarity of two runs of nodes: by characters for blocks of a sentence or so (robust
    to OCR errors in every other word), by forms for longer ones."""
    if max(k1 - k0, c1 - c0) <= CHAR_COMPARED:
        a = "".join(key_of(x) for x in keys[k0:k1])
        b = "".join(key_of(x) for x in keys[c0:c1])
        return float(Indel.normalized_similarity(a, b, score_cutoff=CHAR_SIM))
    return float(Indel.normalized_similarity(keys[k0:k1], keys[c0:c1], score_cutoff=LONG_SIM))


def _move(
    first: tuple[int, int, int],
    second: tuple[int, int, int],
    keys: list[int],
    key_of: Callable[[int], str],
    differ: Mapping[int, Mapping[int, int]],
) -> Move:
    """The move between two runs, with their nodes aligned to each other."""

    def mixed(k: int) -> bool:
        """Whether the witnesses present at node ``k`` read it differently."""
        counts = differ.get(k)
        return counts is not None and len(counts) > 1

    p0, p1, pmask = first
    q0, q1, qmask = second
    a = keys[p0:p1]
    b = keys[q0:q1]

    def alts_a(i: int) -> tuple[str, ...]:
        return (key_of(a[i]),)

    def alts_b(j: int) -> tuple[str, ...]:
        return (key_of(b[j]),)

    if a != b and sorted(a) == sorted(b):
        # The same words in another order: one reading against the other, each whole.
        return Move((p0, p1), (q0, q1), pmask, qmask, ((p0, p1, q0, q1),))
    groups: list[tuple[int, int, int, int]] = []
    for alo, ahi, blo, bhi, kind in match(a, b, alts_a, alts_b):
        if kind == EQ and ahi - alo > 1:
            # A run that reads the same at both places is one column (one segment) at each;
            # node for node where the witnesses present at a place differ among themselves.
            t = 0
            while t < ahi - alo:
                u, v = p0 + alo + t, q0 + blo + t
                hi = t + 1
                if not (mixed(u) or mixed(v)):
                    while hi < ahi - alo and not (mixed(p0 + alo + hi) or mixed(q0 + blo + hi)):
                        hi += 1
                groups.append((u, p0 + alo + hi, v, q0 + blo + hi))
                t = hi
        else:
            groups.append((p0 + alo, p0 + ahi, q0 + blo, q0 + bhi))
    return Move((p0, p1), (q0, q1), pmask, qmask, tuple(groups))
