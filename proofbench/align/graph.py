"""Progressive multi-witness alignment: witnesses merged one by one into a sequence of nodes.

Input: the interned forms of N witnesses' text tokens. Output: a ``Graph`` whose nodes are the
places of the alignment; each node holds, for each witness, a (possibly empty) run of that
witness's tokens. A witness's runs over the nodes tile its tokens in order, so a node is stored
as one cumulative end per witness (``ends[w][k]``), in flat int arrays: no per-token objects.

Order: the two most similar witnesses are merged first, then repeatedly the witness most
similar to one already merged (ties broken by siglum), so the result does not depend on the
order in which witnesses are listed. Each new witness is aligned (``pair.match``) against the
nodes, each node read as its majority form.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from proofbench.align.pair import COUNTED_IN_C, EQ, NEAR_MATCH, Block, match
from proofbench.align.vocab import Vocab

JOINER = "\x1f"
"""Joins the forms of a multi-token reading into one form (a character no token holds)."""
JOIN_MAX = 6
"""A replacement of more words than this on either side is not joined into one place."""
MAX_ALTS = 3
"""How many distinct readings of a node are tried as near matches."""


@dataclass(slots=True)
class Graph:
    """The alignment under construction (mutable; private to the align stage)."""

    ids: list[list[int]]
    """Per witness (in input order): the ids of its text tokens' forms."""
    members: list[int]
    """The witnesses merged so far, in merge order."""
    ends: dict[int, array[int]]
    """Per merged witness: cumulative end of its run at each node."""
    size: int = 0
    """Number of nodes."""
    keys: list[int] = field(default_factory=list)
    """Each node's majority form id (a multi-token reading as its joined form)."""
    differ: dict[int, dict[int, int]] = field(default_factory=dict)
    """The nodes where the merged witnesses do not all read the same form: their readings'
    form ids with their counts (in merge order). Every other node is an agreement."""
    link: bytearray = field(default_factory=bytearray)
    """Per node: 1 where the node is one place with the node before it (the parts of a
    replacement of another length: one witness's words, then the nodes it does not read).
    The parts stay nodes of their own so that a later witness matches them word for word;
    ``columns.py`` shows a linked group as one column where that keeps every agreement."""

    def run(self, w: int, k: int) -> tuple[int, int]:
        """Witness ``w``'s run at node ``k`` as a half-open range of its text tokens."""
        ends = self.ends[w]
        return (ends[k - 1] if k else 0), ends[k]


def similarity_order(ids: Sequence[list[int]], sigla: Sequence[str]) -> list[int]:
    """The merge order: most similar pair first, then nearest to the merged set (Prim's order).

    Similarity of two witnesses: shared tokens (bag of forms) over the longer length.
    """
    n = len(ids)
    if n <= 1:
        return list(range(n))
    shared_of = _shared_counts(ids)
    sims = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            shared = shared_of(i, j)
            longest = max(len(ids[i]), len(ids[j])) or 1
            sims[i][j] = sims[j][i] = shared / longest
    # Ties break by siglum, never by position in the input.
    pairs = [(i, j) if sigla[i] < sigla[j] else (j, i) for i in range(n) for j in range(i + 1, n)]
    first, second = min(pairs, key=lambda p: (-sims[p[0]][p[1]], sigla[p[0]], sigla[p[1]]))
    order = [first, second]
    left = set(range(n)) - set(order)
    while left:
        nxt = min(left, key=lambda w: (-max(sims[w][m] for m in order), sigla[w]))
        order.append(nxt)
        left.remove(nxt)
    return order


def _shared_counts(ids: Sequence[list[int]]) -> Callable[[int, int], int]:
    """``shared(i, j)``: how many tokens witnesses ``i`` and ``j`` share as bags of forms.

    Long witnesses are counted by numpy's ``bincount``, short ones by ``Counter``: the two
    cross over near ``pair.COUNTED_IN_C`` forms (two bags of n Zipf-distributed forms and
    their shared count: 256 forms 57 us by Counter, 98 by numpy; 1,024 212 and 184; one bag of
    1M forms drawn from 70k, 0.79 s by Counter, 0.05 by numpy; 2026-12-02, load 4). The
    counts are the same.
    """
    if min(map(len, ids)) < COUNTED_IN_C:
        bags = [Counter(x) for x in ids]

        def by_counter(i: int, j: int) -> int:
            small, big = (bags[i], bags[j]) if len(bags[i]) <= len(bags[j]) else (bags[j], bags[i])
            return sum(min(c, big[x]) for x, c in small.items() if x in big)

        return by_counter
    import numpy as np  # only long witnesses need it

    xs = [np.fromiter(x, dtype=np.int64, count=len(x)) for x in ids]
    size = max(int(x.max()) for x in xs) + 1
    counts = [np.bincount(x, minlength=size) for x in xs]

    def by_bincount(i: int, j: int) -> int:
        return int(np.minimum(counts[i], counts[j]).sum())

    return by_bincount


def _reading_id(graph: Graph, vocab: Vocab, m: int, s: int, e: int) -> int:
    """Witness ``m``'s tokens ``s:e`` as one form id; -1 if empty."""
    if e - s == 1:
        return graph.ids[m][s]
    if e == s:
        return -1
    forms = vocab.forms
    return vocab.id(JOINER.join(forms[t] for t in graph.ids[m][s:e]))


def alternatives(graph: Graph, k: int) -> list[int]:
    """Node ``k``'s distinct readings' form ids, most frequent first (at most ``MAX_ALTS``)."""
    counts = graph.differ.get(k)
    if counts is None:
        return [graph.keys[k]]
    return sorted(counts, key=lambda x: -counts[x])[:MAX_ALTS]


def _add(graph: Graph, w: int, blocks: list[Block], vocab: Vocab) -> None:
    """Merge witness ``w`` into the graph along ``blocks`` (nodes against ``w``'s tokens).

    Node keys and disagreements are updated as the nodes are rebuilt, so no pass over every
    node's readings is needed.
    """
    members = graph.members
    old = {m: graph.ends[m] for m in members}
    okeys, odiff = graph.keys, graph.differ
    dnodes = sorted(odiff)
    width = len(members) + 1  # witnesses after the merge
    words = graph.ids[w]
    new: dict[int, array[int]] = {m: array("q") for m in members}
    mine: array[int] = array("q")
    keys: list[int] = []
    differ: dict[int, dict[int, int]] = {}
    olink = graph.link
    size = graph.size
    link = bytearray()

    def inside(k: int) -> int:
        """Whether a node put just before old node ``k`` stands inside a linked group."""
        return olink[k] if k < size else 0

    def before(m: int, k: int) -> int:
        return old[m][k - 1] if k else 0

    def counts_of(k: int) -> dict[int, int]:
        found = odiff.get(k)
        return dict(found) if found is not None else {okeys[k]: width - 1}

    def put(counts: dict[int, int]) -> None:
        key = max(counts, key=counts.__getitem__)  # first of the most frequent: merge order
        if len(counts) > 1 or counts[key] != width:
            differ[len(keys)] = counts
        keys.append(key)

    def apart(alo: int, ahi: int, blo: int, bhi: int) -> None:
        """w's words, a node each, then the old nodes w does not read."""
        for m in members:
            new[m].extend([before(m, alo)] * (bhi - blo))
            new[m].extend(old[m][alo:ahi])
        mine.extend(range(blo + 1, bhi + 1))
        mine.extend([bhi] * (ahi - alo))
        for j in range(blo, bhi):
            put({words[j]: 1})
        for k in range(alo, ahi):
            put(counts_of(k))

    for alo, ahi, blo, bhi, kind in blocks:
        nk, nt = ahi - alo, bhi - blo
        if kind == EQ:
            for m in members:
                new[m].extend(old[m][alo:ahi])
            mine.extend(range(blo + 1, bhi + 1))
            shift = len(keys) - alo
            for i in range(bisect_left(dnodes, alo), bisect_left(dnodes, ahi)):
                k = dnodes[i]
                counts = dict(odiff[k])
                counts[okeys[k]] = counts.get(okeys[k], 0) + 1
                differ[k + shift] = counts
            keys.extend(okeys[alo:ahi])
            link.extend(olink[alo:ahi])
        elif nk == 0:  # w's addition: a node per word, so that later witnesses align by word
            for m in members:
                new[m].extend([before(m, alo)] * nt)
            mine.extend(range(blo + 1, bhi + 1))
            for j in range(blo, bhi):
                put({words[j]: 1})
            link.extend([inside(alo)] * nt)
        elif nt == 0:  # w's omission
            for m in members:
                new[m].extend(old[m][alo:ahi])
            mine.extend([blo] * nk)
            for k in range(alo, ahi):
                put(counts_of(k))
            link.extend(olink[alo:ahi])
        elif nk == nt and kind != NEAR_MATCH:  # a replacement, word for word
            for m in members:
                new[m].extend(old[m][alo:ahi])
            mine.extend(range(blo + 1, bhi + 1))
            for t in range(nk):
                counts = counts_of(alo + t)
                x = words[blo + t]
                counts[x] = counts.get(x, 0) + 1
                put(counts)
            link.extend(olink[alo:ahi])
        elif kind != NEAR_MATCH and max(nk, nt) > JOIN_MAX:
            # Too unlike to be one reading (a moved block beside another's addition): w's
            # words are an addition of their own, then the nodes are w's omission.
            apart(alo, ahi, blo, bhi)
            link.extend([inside(alo)] * nt)
            link.extend(olink[alo:ahi])
        elif nk > 1 and not keeps_agreements(graph.ids, old, members, alo, ahi):
            # Joining the nodes would part witnesses that agree word for word in them
            # (``quick brown``/``fast brown`` against ``red``): w's words take the nodes in
            # order, and what is left over is w's omission or addition.
            both = min(nk, nt)
            for m in members:
                new[m].extend(old[m][alo : alo + both])
            mine.extend(range(blo + 1, blo + both + 1))
            for t in range(both):
                counts = counts_of(alo + t)
                x = words[blo + t]
                counts[x] = counts.get(x, 0) + 1
                put(counts)
            for m in members:
                new[m].extend(old[m][alo + both : ahi])
                new[m].extend([old[m][ahi - 1]] * (nt - both))
            mine.extend([blo + both] * (nk - both))
            mine.extend(range(blo + both + 1, bhi + 1))
            for k in range(alo + both, ahi):
                put(counts_of(k))
            for j in range(blo + both, bhi):
                put({words[j]: 1})
            link.extend(olink[alo:ahi])
            link.extend([inside(ahi)] * (nt - both))
        elif kind != NEAR_MATCH:
            # A replacement of another length: w's words, a node each, then the nodes w does
            # not read. Joined into one node, they would hide from a later witness the words
            # it reads as w or as the others do (``it is explained how`` for ``view of the
            # origin of``, then ``When it is explained how``); linked, they are still one
            # place.
            apart(alo, ahi, blo, bhi)
            link.append(inside(alo))
            link.extend([1] * (nt + nk - 1))
        else:  # a near match of another length (``U. S.``/``U.S.``): one node, one reading
            counts = {}
            for m in members:
                e = old[m][ahi - 1]
                new[m].append(e)
                x = _reading_id(graph, vocab, m, before(m, alo), e)
                if x >= 0:
                    counts[x] = counts.get(x, 0) + 1
            x = _reading_id(graph, vocab, w, blo, bhi)
            counts[x] = counts.get(x, 0) + 1
            mine.append(bhi)
            put(counts)
            link.append(inside(alo))
    new[w] = mine
    graph.ends = new
    graph.members.append(w)
    graph.size = len(mine)
    graph.keys = keys
    graph.differ = differ
    graph.link = link


def keeps_agreements(
    ids: Sequence[list[int]],
    ends: Mapping[int, array[int]],
    members: Sequence[int],
    lo: int,
    hi: int,
) -> bool:
    """Whether nodes ``lo:hi`` read as one place keep every agreement of ``members`` there.

    ``ends`` are the members' cumulative run ends. Two members that read the same at one of
    the nodes must read the same over them all.
    """
    whole: dict[int, list[int]] = {}
    for m in members:
        e = ends[m]
        whole[m] = ids[m][(e[lo - 1] if lo else 0) : e[hi - 1]]
    for k in range(lo, hi):
        seen: dict[tuple[int, ...], list[int]] = {}
        for m in members:
            e = ends[m]
            s = e[k - 1] if k else 0
            if e[k] == s:
                continue
            if seen.setdefault(tuple(ids[m][s : e[k]]), whole[m]) != whole[m]:
                return False
    return True


def build(
    ids: list[list[int]],
    sigla: Sequence[str],
    vocab: Vocab,
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> Graph:
    """Merge all witnesses into one graph in ``similarity_order``, reporting ``progress``."""
    order = similarity_order(ids, sigla)
    graph = Graph(ids=ids, members=[], ends={})
    if not order:
        return graph
    first = order[0]
    graph.members.append(first)
    graph.ends[first] = array("q", range(1, len(ids[first]) + 1))
    graph.size = len(ids[first])
    graph.keys = list(ids[first])
    graph.link = bytearray(graph.size)
    if progress:
        progress(1, total)
    for step, w in enumerate(order[1:], 2):
        words = ids[w]

        def node_alts(k: int) -> tuple[str, ...]:
            return tuple(_alt_key(vocab, x) for x in alternatives(graph, k))

        def word_alts(j: int, words: list[int] = words) -> tuple[str, ...]:
            return (vocab.key(words[j]),)

        def support(k: int) -> int:
            counts = graph.differ.get(k)
            return len(graph.members) if counts is None else counts[graph.keys[k]]

        blocks = match(graph.keys, words, node_alts, word_alts, support)
        _add(graph, w, blocks, vocab)
        if progress:
            progress(step, total)
    return graph


def _alt_key(vocab: Vocab, x: int) -> str:
    """The match key of a node reading (a joined multi-token reading keys as its words joined)."""
    form = vocab.forms[x]
    if JOINER in form:
        return "".join(vocab.key(vocab.id(part)) for part in form.split(JOINER))
    return vocab.key(x)
