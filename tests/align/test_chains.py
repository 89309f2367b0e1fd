"""The longest increasing subsequence behind the anchors, and the merge order's similarities.

Both have a fast path (a value above every tail; bags counted by numpy for long witnesses)
that must give what the plain form gives, so each is checked against that plain form.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import Counter
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.align.graph import similarity_order
from proofbench.align.pair import COUNTED_IN_C, lis


def plain_lis(seq: list[int]) -> list[int]:
    """Patience sorting with a search at every value (the form ``lis`` had before its fast
    path): the reference for which longest subsequence is chosen."""
    tails: list[int] = []
    tail_pos: list[int] = []
    prev = [-1] * len(seq)
    for pos, value in enumerate(seq):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_pos.append(pos)
        else:
            tails[k] = value
            tail_pos[k] = pos
        prev[pos] = tail_pos[k - 1] if k else -1
    out: list[int] = []
    pos = tail_pos[-1] if tail_pos else -1
    while pos >= 0:
        out.append(pos)
        pos = prev[pos]
    return out[::-1]


def longest(seq: list[int]) -> int:
    """Length of a longest strictly increasing subsequence, by the quadratic programme."""
    best = [1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=60))
def test_lis_is_a_longest_increasing_subsequence_and_the_same_one(seq: list[int]) -> None:
    got = lis(seq)
    values = [seq[p] for p in got]
    assert got == sorted(set(got))
    assert all(x < y for x, y in pairwise(values))
    assert len(got) == longest(seq)
    assert got == plain_lis(seq)


def test_lis_of_a_text_with_moved_blocks() -> None:
    seq = list(range(2000))
    seq[100:400] = seq[250:400] + seq[100:250]  # a block moved ahead
    seq[1000:1010] = seq[1000:1010][::-1]  # a reversed stretch
    assert lis(seq) == plain_lis(seq)
    assert len(lis(seq)) == 2000 - 150 - 9


def plain_order(ids: list[list[int]], sigla: list[str]) -> list[int]:
    """The merge order with every bag counted by ``Counter`` (the short witnesses' way)."""
    n = len(ids)
    bags = [Counter(x) for x in ids]
    sims = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            shared = sum((bags[i] & bags[j]).values())
            sims[i][j] = sims[j][i] = shared / (max(len(ids[i]), len(ids[j])) or 1)
    pairs = [(i, j) if sigla[i] < sigla[j] else (j, i) for i in range(n) for j in range(i + 1, n)]
    first, second = min(pairs, key=lambda p: (-sims[p[0]][p[1]], sigla[p[0]], sigla[p[1]]))
    order = [first, second]
    left = set(range(n)) - set(order)
    while left:
        nxt = min(left, key=lambda w: (-max(sims[w][m] for m in order), sigla[w]))
        order.append(nxt)
        left.remove(nxt)
    return order


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_merge_order_of_long_witnesses_as_counted_by_counter(seed: int) -> None:
    rnd = random.Random(seed)
    base = [rnd.randrange(200) for _ in range(COUNTED_IN_C + 100)]
    ids = [
        [x if rnd.random() > rate else rnd.randrange(400) for x in base]
        for rate in (0.1, 0.3, 0.2, 0.05)
    ]
    sigla = ["D", "B", "A", "C"]
    assert similarity_order(ids, sigla) == plain_order(ids, sigla)
