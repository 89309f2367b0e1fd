"""Pairwise alignment of two sequences of interned forms: near-linear, with near matches.

Input: two id sequences ``a`` and ``b`` (equal ids are equal forms) and, for near matches, a
function giving the match keys of an element. Output: blocks ``(alo, ahi, blo, bhi, kind)`` that
tile both sequences in order:

- ``EQ``: ``a[alo:ahi] == b[blo:bhi]``, element by element;
- ``NEAR``: one or two elements against one or two, similar but not equal (``rnodern``/``modern``,
  ``U. S.``/``U.S.``);
- ``GAP``: what is left between matches: an addition, an omission, or (both sides non-empty)
  a replacement of dissimilar words.

How: common prefix and suffix are matched first; then the forms that occur exactly once in each
side of the region become anchors (patience diff; RETAS's unique-word anchors for books), the
longest increasing subsequence of them is kept, and each gap between anchors is aligned the same
way, recursively. Where no form is unique, the rarest forms that occur equally often on both
sides serve (histogram diff), then an exact LCS (rapidfuzz) if the region is not too large.
Only tiny regions, and small anchorless ones, get the dynamic programme with similarity
scores (``_fine``); anchors come first so that a moved sentence is not scattered.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise

from rapidfuzz.distance import Indel

from proofbench.align.vocab import JOIN, NEAR, similarity

EQ = 0
NEAR_MATCH = 1
GAP = 2

Block = tuple[int, int, int, int, int]
Alts = Callable[[int], tuple[str, ...]]
"""The match keys an element may be read as (a graph node can have several readings)."""

TINY_CELLS = 64
"""Regions up to this size (len(a) * len(b)) go straight to the similarity programme."""
FINE_CELLS = 4096
"""Largest anchorless region given the similarity dynamic programme."""
LCS_CELLS = 50_000_000
"""Largest anchorless region given rapidfuzz's exact LCS; larger ones stay one gap."""
JOIN_MARGIN = 0.25
"""How much better two words joined must read one word than either alone."""
NEAR_WEIGHT = 0.7
"""A near match of similarity s scores NEAR_WEIGHT * s * s (an exact match scores 1)."""
EQUAL_KEYS = 0.99
"""Score of two different forms read alike (``London.``/``London``, joined: ``U. S.``/``U.S.``):
just below an exact match, so that the same form is paired with itself first, and above any
near match (at most ``NEAR_WEIGHT``)."""
SHORT_GAP = 4
"""Longest omission or addition placed as a slip in a phrase rather than an eye-skip (the
longest run ``transpose.py`` treats as short)."""
HISTOGRAM_MAX = 8
"""Largest occurrence count of a form used as an anchor when none is unique."""
COUNTED_IN_C = 512
"""Regions of at least this many elements (both sides) find their unique forms with numpy,
smaller ones with Python's loops, which cost less there (``benchmarks/align_bench.py
--anchor-cost 1000000``: of the regions ``align()`` asks anchors of on the generated 3 x 1M
words, 256-511 elements take 104 us in Python and 124 in numpy, 512-1023 221 and 187, the
whole texts 7 times less in numpy; 2026-12-02, load 5.7). The anchors are the same either way."""


def lis(seq: Sequence[int]) -> list[int]:
    """Positions in ``seq`` of one longest strictly increasing subsequence (the leftmost-ending)."""
    tails: list[int] = []
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for pos, value in enumerate(seq):
        if not tails or value > tails[-1]:
            # Above every tail (anchors mostly stand in order): the chain grows, no search.
            prev[pos] = tail_pos[-1] if tail_pos else -1
            tails.append(value)
            tail_pos.append(pos)
            continue
        k = bisect_left(tails, value)
        tails[k] = value
        tail_pos[k] = pos
        prev[pos] = tail_pos[k - 1] if k else -1
    out: list[int] = []
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        out.append(pos)
        pos = prev[pos]
    out.reverse()
    return out


def heaviest_chain(seq: Sequence[int], weights: Sequence[float]) -> list[int]:
    """Positions in ``seq`` of a strictly increasing subsequence of greatest total weight.

    Deterministic: of equal totals, the one found first. Weights are positive. A sorted
    frontier of (value, best total ending at a value up to it) gives O(n log n) comparisons.
    """
    values: list[int] = []  # frontier values, increasing
    totals: list[float] = []  # best total of a chain ending at that value; increasing too
    ends: list[int] = []  # position of that chain's last element
    prev = [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect_left(values, value)
        base = totals[k - 1] if k else 0.0
        prev[pos] = ends[k - 1] if k else -1
        total = base + weights[pos]
        if k < len(values) and values[k] == value:
            if totals[k] >= total:
                continue
            values.pop(k)
            totals.pop(k)
            ends.pop(k)
        # Entries above that do no better are dominated by this one.
        hi = k
        while hi < len(values) and totals[hi] <= total:
            hi += 1
        values[k:hi] = [value]
        totals[k:hi] = [total]
        ends[k:hi] = [pos]
    out: list[int] = []
    pos = ends[-1] if ends else -1
    while pos >= 0:
        out.append(pos)
        pos = prev[pos]
    out.reverse()
    return out


def common_run(a: list[int], b: list[int], i: int, j: int, limit: int) -> int:
    """How many elements ``a`` and ``b`` share from ``i``/``j`` on (``limit`` > 0) or back
    before them (``limit`` < 0), at most ``abs(limit)``; compared in growing slices, so that a
    long run costs few comparisons."""
    count, step, most = 0, 8, abs(limit)
    while count < most:
        take = min(step, most - count)
        if limit > 0:
            same = a[i + count : i + count + take] == b[j + count : j + count + take]
        else:
            same = a[i - count - take : i - count] == b[j - count - take : j - count]
        if same:
            count += take
            step *= 2
        elif take == 1:
            break
        else:
            step = max(1, take // 2)
    return count


def _run_weights(
    a: list[int],
    b: list[int],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    pairs_i: list[int],
    pairs_j: list[int],
) -> list[float]:
    """Each anchor's share of the exact run through it: the run's length over its anchors."""
    last: dict[int, tuple[int, int, int]] = {}  # diagonal -> the last run found on it
    run_of: list[tuple[int, int, int]] = []
    for i, j in zip(pairs_i, pairs_j, strict=True):
        diag = j - i
        run = last.get(diag)
        if run is None or not run[1] <= i < run[2]:
            back = common_run(a, b, i, j, -min(i - alo, j - blo))
            ahead = common_run(a, b, i + 1, j + 1, min(ahi - i, bhi - j) - 1)
            run = (diag, i - back, i + 1 + ahead)
            last[diag] = run
        run_of.append(run)
    members = Counter(run_of)
    return [(run[2] - run[1]) / members[run] for run in run_of]


def _reweigh(
    a: list[int],
    b: list[int],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    pairs_i: list[int],
    pairs_j: list[int],
    keep: list[int],
) -> list[int]:
    """Where anchors cross, the chain that aligns the most tokens, not the first longest one.

    Each anchor weighs its share of the exact run through it (``the cat ... birds in the``
    outweighs ``this morning ... observed``). Only the zones where a dropped anchor crosses
    kept ones are weighed again: elsewhere every chain keeps the same anchors.
    """
    kept_i = [pairs_i[k] for k in keep]
    in_keep = set(keep)
    zones: list[list[int]] = []  # [first, last] positions (in pairs order) of each zone
    for p, i in enumerate(pairs_i):
        if p in in_keep:
            continue
        q = bisect_left(kept_i, i)  # kept anchors before q lie before i in ``a``
        r = bisect_left(keep, p)  # kept anchors before r lie before p in ``b``
        lo, hi = min(q, r), max(q, r)
        first = min(p, keep[lo]) if lo < hi else p
        last = max(p, keep[hi - 1]) if lo < hi else p
        zones.append([first, last])
    zones.sort()
    merged: list[list[int]] = []
    for zone in zones:
        # Zones with no kept anchor between them are one zone, so that the chains chosen in
        # each stay increasing together.
        if merged and bisect_left(keep, zone[0]) <= bisect_left(keep, merged[-1][1] + 1):
            merged[-1][1] = max(merged[-1][1], zone[1])
        else:
            merged.append(zone)
    out: list[int] = []
    at = 0
    for first, last in merged:
        while at < len(keep) and keep[at] < first:
            out.append(keep[at])
            at += 1
        while at < len(keep) and keep[at] <= last:
            at += 1
        span = range(first, last + 1)
        sub_i = [pairs_i[p] for p in span]
        sub_j = [pairs_j[p] for p in span]
        chosen = heaviest_chain(sub_i, _run_weights(a, b, alo, ahi, blo, bhi, sub_i, sub_j))
        out.extend(first + c for c in chosen)
    out.extend(keep[at:])
    return out


def _anchors(a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int) -> list[int]:
    """Anchor pairs, flattened ``[i0, j0, i1, j1, ...]``, increasing in both sequences."""
    a_slice = a[alo:ahi]
    b_slice = b[blo:bhi]
    if len(a_slice) + len(b_slice) >= COUNTED_IN_C:
        pairs_i, pairs_j = unique_pairs(a_slice, b_slice, alo, blo)
        if pairs_i:
            return _chained(a, b, alo, ahi, blo, bhi, pairs_i, pairs_j)
    ca = Counter(a_slice)
    cb = Counter(b_slice)
    once = {x for x, c in ca.items() if c == 1}
    chosen = {x for x, c in cb.items() if c == 1 and x in once}
    if chosen:
        # Each chosen form stands once in ``a``: its last position is its position.
        at = dict(zip(a_slice, range(alo, ahi), strict=True))
        pairs_j = [j for j, x in zip(range(blo, bhi), b_slice, strict=True) if x in chosen]
        pairs_i = [at[b[j]] for j in pairs_j]
    else:
        pairs_i, pairs_j = _histogram_pairs(a_slice, b_slice, alo, blo, ca, cb)
        if not pairs_i:
            return []
    return _chained(a, b, alo, ahi, blo, bhi, pairs_i, pairs_j)


def _histogram_pairs(
    a_slice: list[int], b_slice: list[int], alo: int, blo: int, ca: Counter[int], cb: Counter[int]
) -> tuple[list[int], list[int]]:
    """Histogram diff, where no form is read once on each side: the rarest forms that occur
    equally often on both sides (at most ``HISTOGRAM_MAX`` times), their k-th occurrences
    paired; positions offset as ``unique_pairs``'s, in ``b``'s order."""
    shared = ca.keys() & cb.keys()
    counts = [ca[x] for x in shared if ca[x] == cb[x] and ca[x] <= HISTOGRAM_MAX]
    if not counts:
        return [], []
    least = min(counts)
    chosen = {x for x in shared if ca[x] == least and cb[x] == least}
    a_pos: dict[int, list[int]] = {}
    for i, x in enumerate(a_slice, alo):
        if x in chosen:
            a_pos.setdefault(x, []).append(i)
    seen: dict[int, int] = {}
    pairs_i: list[int] = []
    pairs_j: list[int] = []
    for j, x in enumerate(b_slice, blo):
        if x in chosen:
            k = seen.get(x, 0)
            seen[x] = k + 1
            pairs_i.append(a_pos[x][k])
            pairs_j.append(j)
    return pairs_i, pairs_j


def _chained(
    a: list[int],
    b: list[int],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    pairs_i: list[int],
    pairs_j: list[int],
) -> list[int]:
    """The anchors kept of the candidate pairs (in ``b``'s order), flattened as ``_anchors``."""
    keep = lis(pairs_i)
    if len(keep) < len(pairs_i):
        keep = _reweigh(a, b, alo, ahi, blo, bhi, pairs_i, pairs_j, keep)
    out = [0] * (2 * len(keep))
    out[0::2] = [pairs_i[k] for k in keep]
    out[1::2] = [pairs_j[k] for k in keep]
    return out


def unique_pairs(
    a_slice: Sequence[int], b_slice: Sequence[int], alo: int, blo: int
) -> tuple[list[int], list[int]]:
    """The positions (offset by ``alo``/``blo``) of the forms read exactly once on each side,
    in ``b``'s order: what ``_anchors`` finds with ``Counter`` and two loops, found with numpy
    (counts by ``bincount``, positions by masks), for long regions."""
    import numpy as np  # only long regions need it; a short collation does not pay its import

    xa = np.asarray(a_slice, dtype=np.int64)
    xb = np.asarray(b_slice, dtype=np.int64)
    size = int(max(xa.max(), xb.max())) + 1
    once = (np.bincount(xa, minlength=size) == 1) & (np.bincount(xb, minlength=size) == 1)
    at_a = np.flatnonzero(once[xa])
    where = np.zeros(size, dtype=np.int64)
    where[xa[at_a]] = at_a + alo
    at_b = np.flatnonzero(once[xb])
    return where[xb[at_b]].tolist(), (at_b + blo).tolist()


def _fine(
    a: list[int],
    b: list[int],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    a_alts: Alts,
    b_alts: Alts,
    out: list[Block],
) -> None:
    """Align a small region by dynamic programming over similarity scores.

    A pair of equal ids scores 1; equal keys ``EQUAL_KEYS``; a near match (key similarity s at
    least ``NEAR``) ``NEAR_WEIGHT * s * s``; two words against one ``EQUAL_KEYS`` times the
    similarity of the joined keys (at least ``JOIN``): a reading in other spacing, never worth
    more than the same form (``cat`` is paired with ``cat``, not with a ``ca t`` beside it);
    a word left alone scores 0. Matched groups become EQ or NEAR blocks, the rest GAP blocks.
    """
    n = ahi - alo
    m = bhi - blo
    if n == 1 and m == 1:
        # One word against one, most regions: the programme's one cell, written out.
        if a[alo] == b[blo]:
            kind = EQ
        elif any(similarity(s, t, NEAR) for s in a_alts(alo) for t in b_alts(blo)):
            kind = NEAR_MATCH
        else:
            kind = GAP
        out.append((alo, ahi, blo, bhi, kind))
        return
    ka = [a_alts(alo + i) for i in range(n)]
    kb = [b_alts(blo + j) for j in range(m)]

    def sim(x: tuple[str, ...], y: tuple[str, ...], cutoff: float) -> float:
        best = 0.0
        for s in x:
            for t in y:
                v = similarity(s, t, cutoff)
                if v > best:
                    best = v
        return best

    def joined(keys: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Per end ``i`` (from 2): the keys of elements ``i - 2`` and ``i - 1`` read as one."""
        return [(), ()] + [tuple(s + t for s in x for t in y) for x, y in pairwise(keys)]

    ja, jb = joined(ka), joined(kb)

    width = m + 1
    score = [0.0] * ((n + 1) * width)
    move = [0] * ((n + 1) * width)  # 1 skip a, 2 skip b, 3 one-one, 4 two-one, 5 one-two
    for i in range(1, n + 1):
        move[i * width] = 1
    for j in range(1, m + 1):
        move[j] = 2
    for i in range(1, n + 1):
        row = i * width
        up = row - width
        ai = a[alo + i - 1]
        for j in range(1, m + 1):
            best = score[up + j]
            how = 1
            if score[row + j - 1] > best:
                best = score[row + j - 1]
                how = 2
            if ai == b[blo + j - 1]:
                s = 1.0
            else:
                s = sim(ka[i - 1], kb[j - 1], NEAR)
                if s >= 1.0:
                    s = EQUAL_KEYS  # equal keys, different forms (``London.``/``London``)
                elif s >= NEAR:
                    # Two near matches must not outweigh one exact match: ``smile while`` /
                    # ``while smile`` is a transposition, not two misspellings.
                    s = s * s * NEAR_WEIGHT
            if s > 0.0 and score[up + j - 1] + s >= best:
                best = score[up + j - 1] + s
                how = 3
            if i >= 2:
                s2 = sim(ja[i], kb[j - 1], JOIN)
                # Joined only if the pair reads the one word better than either word alone
                # (``U. S.``/``U.S.``, not ``disagreeable? of``/``disagreeable``).
                if (
                    s2 >= JOIN
                    and s2
                    >= JOIN_MARGIN + max(sim(ka[i - 2], kb[j - 1], 0), sim(ka[i - 1], kb[j - 1], 0))
                    and score[up - width + j - 1] + EQUAL_KEYS * s2 > best
                ):
                    best = score[up - width + j - 1] + EQUAL_KEYS * s2
                    how = 4
            if j >= 2:
                s2 = sim(ka[i - 1], jb[j], JOIN)
                if (
                    s2 >= JOIN
                    and s2
                    >= JOIN_MARGIN + max(sim(ka[i - 1], kb[j - 2], 0), sim(ka[i - 1], kb[j - 1], 0))
                    and score[up + j - 2] + EQUAL_KEYS * s2 > best
                ):
                    best = score[up + j - 2] + EQUAL_KEYS * s2
                    how = 5
            score[row + j] = best
            move[row + j] = how
    groups: list[Block] = []
    i, j = n, m
    while i > 0 or j > 0:
        how = move[i * width + j]
        if how == 1:
            i -= 1
        elif how == 2:
            j -= 1
        else:
            di = 2 if how == 4 else 1
            dj = 2 if how == 5 else 1
            exact = how == 3 and a[alo + i - 1] == b[blo + j - 1]
            groups.append(
                (alo + i - di, alo + i, blo + j - dj, blo + j, EQ if exact else NEAR_MATCH)
            )
            i -= di
            j -= dj
    groups.reverse()
    groups = _inside_runs_dropped(
        groups, alo, ahi, blo, bhi, lambda i, j: bool(set(ka[i]) & set(kb[j]))
    )
    pa, pb = alo, blo
    for g in groups:
        if g[0] > pa or g[2] > pb:
            out.append((pa, g[0], pb, g[2], GAP))
        out.append(g)
        pa, pb = g[1], g[3]
    if pa < ahi or pb < bhi:
        out.append((pa, ahi, pb, bhi, GAP))


def _inside_runs_dropped(
    groups: list[Block],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    same_key: Callable[[int, int], bool],
) -> list[Block]:
    """The matched groups less each near match that stands alone inside the other side's run.

    A near match pairs one word with another as its misspelling. Where, between the matches
    on either side of it, one sequence holds only that word and the other holds words on both
    sides of its partner, the pairing cuts an added run in two on a mere resemblance: 1866's
    ``degree, in the same manner as`` against ``degree than, as`` pairs ``than,``/``the``
    and parts ``in the same manner``, the words a move reads elsewhere. Such a word is one
    word replaced by a run, not a misspelling inside it; a misspelling whose context agrees
    (``the 5l st``/``the 51 st``) touches a match on one side at least. Equal keys
    (``Something,``/``Something``: the same word, its punctuation apart) are no mere
    resemblance and stay paired. ``same_key(i, j)`` tells them, offsets into the region.
    """
    out: list[Block] = []
    for k, g in enumerate(groups):
        single = g[4] == NEAR_MATCH and g[1] - g[0] == 1 and g[3] - g[2] == 1
        if single and not same_key(g[0] - alo, g[2] - blo):
            pa, pb = (groups[k - 1][1], groups[k - 1][3]) if k else (alo, blo)
            na, nb = (groups[k + 1][0], groups[k + 1][2]) if k + 1 < len(groups) else (ahi, bhi)
            alone_a = pa == g[0] and na == g[1] and pb < g[2] and nb > g[3]
            alone_b = pb == g[2] and nb == g[3] and pa < g[0] and na > g[1]
            if alone_a or alone_b:
                continue
        out.append(g)
    return out


def _lcs(
    a: list[int],
    b: list[int],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    a_alts: Alts,
    b_alts: Alts,
    out: list[Block],
) -> None:
    """Align an anchorless region by exact LCS, then its replaced stretches by ``_fine``."""
    for op in Indel.opcodes(a[alo:ahi], b[blo:bhi]):
        i0, i1, j0, j1 = (
            alo + op.src_start,
            alo + op.src_end,
            blo + op.dest_start,
            blo + op.dest_end,
        )
        if op.tag == "equal":
            out.append((i0, i1, j0, j1, EQ))
        elif i0 == i1 or j0 == j1:
            out.append((i0, i1, j0, j1, GAP))
        elif (i1 - i0) * (j1 - j0) <= FINE_CELLS:
            _fine(a, b, i0, i1, j0, j1, a_alts, b_alts, out)
        else:
            out.append((i0, i1, j0, j1, GAP))


def _coalesce(blocks: list[Block]) -> list[Block]:
    """Merge touching EQ blocks into runs and touching GAP blocks into one; drop empty ones."""
    out: list[Block] = []
    for blk in blocks:
        if blk[0] == blk[1] and blk[2] == blk[3]:
            continue
        if out:
            last = out[-1]
            if last[4] == blk[4] and blk[4] != NEAR_MATCH:
                out[-1] = (last[0], blk[1], last[2], blk[3], blk[4])
                continue
        out.append(blk)
    return out


def _place_gaps(
    blocks: list[Block], a: list[int], b: list[int], a_weight: Callable[[int], int] | None
) -> list[Block]:
    """Place each short omission or addition that can slide along a repeat, deterministically.

    ``the red cat and the black cat`` against ``the black cat`` omits ``red cat and the`` or
    ``the red cat and``: the same agreements. A gap of a few words (at most ``SHORT_GAP``) is
    a slip inside a phrase, and the repeated word is most often the first of a phrase
    (``the``, ``and``, ``!``): it stands at its leftmost place, before the repeat, where it
    ends a phrase rather than beginning one (CollateX's place too). Where ``a`` is a graph's
    nodes, ``a_weight`` counts the witnesses reading each: an omission then stands where it
    leaves out the fewest of them (``b``'s words keep the most agreements), the leftmost of
    equals. Longer gaps (eye-skips, the traces of moved blocks) stay where the anchors put
    them: an eye-skip's place is where the copyist's eye jumped, not a phrase's edge; only an
    omission of graph nodes slides, and only to leave out fewer witnesses (``_lightest``).
    """
    out: list[Block] = []
    for blk in blocks:
        alo, ahi, blo, bhi, kind = blk
        prev = out[-1] if out else None
        short = max(ahi - alo, bhi - blo) <= SHORT_GAP
        if not short or kind != GAP or prev is None or prev[4] != EQ or (alo < ahi) == (blo < bhi):
            out.append(blk)
            continue
        seq, lo, hi = (a, alo, ahi) if alo < ahi else (b, blo, bhi)
        room = prev[1] - prev[0]
        t = 0
        while t < room and seq[lo - 1 - t] == seq[hi - 1 - t]:
            t += 1
        if not t:
            out.append(blk)
            continue
        pa0, pa1, pb0, pb1, _ = prev
        out[-1] = (pa0, pa1 - t, pb0, pb1 - t, EQ)
        if alo < ahi:
            out.append((alo - t, ahi - t, blo - t, blo - t, GAP))
            out.append((ahi - t, ahi, blo - t, blo, EQ))
        else:
            out.append((alo - t, alo - t, blo - t, bhi - t, GAP))
            out.append((alo - t, alo, bhi - t, bhi, EQ))
    out = _coalesce(out)
    if a_weight is not None:
        _lightest(out, a, a_weight)
    return out


def _lightest(blocks: list[Block], a: list[int], weight: Callable[[int], int]) -> None:
    """Slide each omission of ``a`` along its repeat to where the nodes it leaves out weigh
    least; in place.

    A short one stands at its leftmost place (``_place_gaps``) and slides right. A longer one
    (an eye-skip, a move's trace) slides either way from where the anchors put it, but only to
    leave out fewer of the witnesses read so far: ``by some competent judges as`` against
    ``by some competent judges as mere varieties, and by other competent judges as``, whose
    second ``competent judges as`` more witnesses read, omits the first. Of equal weights, the
    nearest place to where it stands.
    """
    i = -1
    while i + 1 < len(blocks):
        i += 1
        alo, ahi, blo, bhi, kind = blocks[i]
        if kind != GAP or blo != bhi:
            continue
        prev = blocks[i - 1] if i and blocks[i - 1][4] == EQ else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1][4] == EQ else None
        size = ahi - alo
        left = right = 0
        if prev is not None and size > SHORT_GAP:
            while left < prev[1] - prev[0] and a[alo - 1 - left] == a[ahi - 1 - left]:
                left += 1
        if nxt is not None:
            while right < nxt[1] - nxt[0] and a[alo + right] == a[ahi + right]:
                right += 1
        if not left and not right:
            continue
        weights = [weight(k) for k in range(alo - left, ahi + right)]
        gaps = [sum(weights[:size])]
        for t in range(1, left + right + 1):
            gaps.append(gaps[-1] + weights[size + t - 1] - weights[t - 1])
        # Shifts from -left to right; the least weight, then the nearest, then the leftmost.
        shift = min(range(-left, right + 1), key=lambda d: (gaps[d + left], abs(d), d))
        if shift > 0:
            i = _slide_right(blocks, i, shift)
        elif shift < 0:
            i = _slide_left(blocks, i, -shift)


def _slide_right(blocks: list[Block], i: int, t: int) -> int:
    """Move omission ``blocks[i]`` right by ``t`` over the EQ block after it; its new index."""
    alo, ahi, blo, _, _ = blocks[i]
    nxt = blocks[i + 1]
    blocks[i] = (alo + t, ahi + t, blo + t, blo + t, GAP)
    blocks[i + 1] = (nxt[0] + t, nxt[1], nxt[2] + t, nxt[3], EQ)
    prev = blocks[i - 1] if i else None
    if prev is not None and prev[4] == EQ and prev[1] == alo:
        blocks[i - 1] = (prev[0], prev[1] + t, prev[2], prev[3] + t, EQ)
        at = i
    else:
        blocks.insert(i, (alo, alo + t, blo, blo + t, EQ))
        at = i + 1
    if blocks[at + 1][0] == blocks[at + 1][1]:
        del blocks[at + 1]
    return at


def _slide_left(blocks: list[Block], i: int, t: int) -> int:
    """Move omission ``blocks[i]`` left by ``t`` over the EQ block before it; its new index."""
    alo, ahi, blo, _, _ = blocks[i]
    prev = blocks[i - 1]
    blocks[i] = (alo - t, ahi - t, blo - t, blo - t, GAP)
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is not None and nxt[4] == EQ and nxt[0] == ahi:
        blocks[i + 1] = (ahi - t, nxt[1], blo - t, nxt[3], EQ)
    else:
        blocks.insert(i + 1, (ahi - t, ahi, blo - t, blo, EQ))
    blocks[i - 1] = (prev[0], prev[1] - t, prev[2], prev[3] - t, EQ)
    if prev[0] == prev[1] - t:
        del blocks[i - 1]
        return i - 1
    return i


def _between(
    a: list[int], b: list[int], anchors: list[int], alo: int, ahi: int, blo: int, bhi: int
) -> list[Block]:
    """The work the anchors of a region leave, in order: the gaps between them to align
    (kind -1) and EQ blocks.

    Most gaps are empty or read the same on both sides (the words between two anchors on one
    diagonal): those are no work, and join the anchors around them into one EQ block, so that
    a long region's run of agreement is one block, not a block and a gap an anchor.
    """
    out: list[Block] = []
    ra, rb = alo, blo  # where the pending EQ run starts
    pa, pb = alo, blo  # where the gap before the next anchor starts (the run's end)
    for k in range(0, len(anchors) + 1, 2):
        i, j = (anchors[k], anchors[k + 1]) if k < len(anchors) else (ahi, bhi)
        if (pa < i or pb < j) and not (i - pa == j - pb and a[pa:i] == b[pb:j]):
            if pa > ra:
                out.append((ra, pa, rb, pb, EQ))
            out.append((pa, i, pb, j, -1))
            ra, rb = i, j
        pa, pb = i + 1, j + 1
    if ahi > ra:
        out.append((ra, ahi, rb, bhi, EQ))
    return out


def match(
    a: list[int],
    b: list[int],
    a_alts: Alts,
    b_alts: Alts,
    a_weight: Callable[[int], int] | None = None,
) -> list[Block]:
    """Align ``a`` with ``b``; the blocks tile both in order (see the module docstring).

    Deterministic: the same input gives the same blocks. An omission or addition that could
    stand at several places along a repeat stands where ``_place_gaps`` puts it, among
    places of equal ``a_weight``.
    """
    out: list[Block] = []
    # A stack of pending work: regions to align and blocks to emit, leftmost on top.
    stack: list[Block] = [(0, len(a), 0, len(b), -1)]
    while stack:
        alo, ahi, blo, bhi, kind = stack.pop()
        if kind >= 0:
            out.append((alo, ahi, blo, bhi, kind))
            continue
        start_a, start_b = alo, blo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start_a:
            out.append((start_a, alo, start_b, blo, EQ))
        end_a, end_b = ahi, bhi
        while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if ahi < end_a:
            stack.append((ahi, end_a, bhi, end_b, EQ))
        if alo == ahi or blo == bhi:
            if alo < ahi or blo < bhi:
                out.append((alo, ahi, blo, bhi, GAP))
            continue
        cells = (ahi - alo) * (bhi - blo)
        if cells <= TINY_CELLS:
            _fine(a, b, alo, ahi, blo, bhi, a_alts, b_alts, out)
            continue
        anchors = _anchors(a, b, alo, ahi, blo, bhi)
        if not anchors:
            if cells <= FINE_CELLS:
                _fine(a, b, alo, ahi, blo, bhi, a_alts, b_alts, out)
            elif cells <= LCS_CELLS:
                _lcs(a, b, alo, ahi, blo, bhi, a_alts, b_alts, out)
            else:
                out.append((alo, ahi, blo, bhi, GAP))
            continue
        stack.extend(reversed(_between(a, b, anchors, alo, ahi, blo, bhi)))
    return _place_gaps(_coalesce(out), a, b, a_weight)
