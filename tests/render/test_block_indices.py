"""``html.block_indices``: each token's block, by runs where the starts are in order."""

from __future__ import annotations

import bisect

from hypothesis import given
from hypothesis import strategies as st

from proofbench.render.html import block_indices


def _by_bisection(starts: list[int], block_starts: list[int]) -> list[int]:
    return [max(0, bisect.bisect_right(block_starts, s) - 1) for s in starts]


@given(st.lists(st.integers(0, 60)), st.lists(st.integers(0, 60)))
def test_in_order_as_a_bisection_a_start(starts: list[int], block_starts: list[int]) -> None:
    starts.sort()
    block_starts.sort()
    assert block_indices(starts, block_starts) == _by_bisection(starts, block_starts)


@given(st.lists(st.integers(0, 60)), st.lists(st.integers(0, 60)).map(sorted))
def test_out_of_order_starts_still_bisected(starts: list[int], block_starts: list[int]) -> None:
    assert block_indices(starts, block_starts) == _by_bisection(starts, block_starts)


def test_edges() -> None:
    assert block_indices([], [0, 5]) == []
    assert block_indices([0, 3, 9], []) == [0, 0, 0]
    assert block_indices([0, 5, 6, 12], [5, 10]) == [0, 0, 0, 1]  # before the first block: 0
    assert block_indices([5, 5, 10], [5, 5, 10]) == [1, 1, 2]  # equal block starts: the last
