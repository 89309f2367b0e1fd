"""Alignment keeps every agreement: anchors, merges and columns (issue 10, items 1-3)."""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from proofbench.align import align
from proofbench.align.pair import heaviest_chain

from .helpers import check_tiling, variants, wit


@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(1, 5)), max_size=9, unique_by=lambda x: x[0])
)
def test_heaviest_chain_is_heaviest(items: list[tuple[int, int]]) -> None:
    seq = [v for v, _ in items]
    weights = [float(w) for _, w in items]
    chain = heaviest_chain(seq, weights)
    assert chain == sorted(chain)
    assert all(seq[p] < seq[q] for p, q in pairwise(chain))
    best = 0.0
    for r in range(len(seq) + 1):
        for combo in combinations(range(len(seq)), r):
            if all(seq[p] < seq[q] for p, q in pairwise(combo)):
                best = max(best, sum(weights[p] for p in combo))
    assert sum(weights[p] for p in chain) == best


def _agreeing(alignment: object, witnesses: list, word: str) -> set[str]:
    """The sigla whose token ``word`` stands in a column they read alike."""
    by = {w.siglum: w for w in witnesses}
    out: set[str] = set()
    for column in alignment.columns:  # type: ignore[attr-defined]
        readings = {s: tuple(by[s].tokens[i].n for i in r) for s, r in column.readings.items() if r}
        for s, r in readings.items():
            if word in r and sum(1 for t in readings.values() if t == r) > 1:
                out.add(s)
    return out


def test_anchors_align_the_most_words() -> None:
    """Of the crossing anchor chains, the one that aligns ``the cat``, ``birds in the``."""
    a = wit("A", "This morning the cat observed little birds in the trees.")
    b = wit(
        "B",
        "The cat was observing birds in the little trees this morning, it observed birds"
        " for two hours.",
    )
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    for word in ("cat", "birds", "in"):
        assert _agreeing(alignment, [a, b], word) == {"A", "B"}, word


def test_merge_keeps_earlier_agreements() -> None:
    a = wit("A", "The quick brown fox jumps over the lazy dog")
    b = wit("B", "The fast brown fox jumps over the black dog")
    c = wit("C", "The red fox jumps over the fence")
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    assert _agreeing(alignment, [a, b, c], "brown") == {"A", "B"}
    assert _agreeing(alignment, [a, b, c], "dog") == {"A", "B"}


def test_variant_inside_a_shared_addition_is_its_own() -> None:
    """B and C add a sentence that A lacks, and differ inside it."""
    a = wit("A", "It began. It ended at last.")
    b = wit("B", "It began. Then came the long war in Florida and the peace. It ended at last.")
    c = wit("C", "It began. Then came the long war in Virginia and the peace. It ended at last.")
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    found = variants(alignment, [a, b, c])
    assert {"A": "", "B": "Florida", "C": "Virginia"} in found
    assert all("Florida" not in v["B"] or v["B"] == "Florida" for v in found)


@given(
    st.lists(st.integers(0, 2), max_size=40), st.lists(st.integers(0, 2), max_size=40), st.data()
)
def test_common_counts_the_shared_run(a: list[int], b: list[int], data: st.DataObject) -> None:
    from proofbench.align.pair import common_run

    i = data.draw(st.integers(0, len(a)))
    j = data.draw(st.integers(0, len(b)))
    ahead = 0
    while i + ahead < len(a) and j + ahead < len(b) and a[i + ahead] == b[j + ahead]:
        ahead += 1
    back = 0
    while i - back > 0 and j - back > 0 and a[i - back - 1] == b[j - back - 1]:
        back += 1
    assert common_run(a, b, i, j, min(len(a) - i, len(b) - j)) == ahead
    assert common_run(a, b, i, j, -min(i, j)) == back


def test_later_witness_matches_inside_a_replacement_of_another_length() -> None:
    """C replaces A's phrase by one of another length; D, merged after C, reads as C does.

    The replacement's parts stay nodes of their own (linked as one place), so D matches C's
    words and A/B keep theirs: the two pairs read alike in every column but one each.
    (Darwin's chapter 1, 1866 against 1869 and 1872.)
    """
    lead = "The rules of classification are at present empirical."
    a = (
        f"{lead} Moreover, on the view of the origin of genera which I shall presently give,"
        " we have no right to expect often to meet with generic differences in our"
        " domesticated productions."
    )
    c = (
        f"{lead} When it is explained how genera originate under nature, it will be seen that"
        " we have no right to expect often to find a generic amount of difference in our"
        " domesticated races."
    )
    witnesses = [
        wit("A", a),
        wit("B", a.replace("rules", "laws")),
        wit("C", c),
        wit("D", c.replace("races", "breeds")),
    ]
    alignment = align(witnesses)
    check_tiling(alignment, witnesses)
    found = variants(alignment, witnesses)
    assert [v for v in found if v["A"] != v["B"]] == [
        {"A": "rules", "B": "laws", "C": "rules", "D": "rules"}
    ]
    assert [v for v in found if v["C"] != v["D"]] == [
        {"A": "productions.", "B": "productions.", "C": "races.", "D": "breeds."}
    ]
    assert {"A": "shall presently give,", "B": "shall presently give,"}.items() <= next(
        v for v in found if v["C"] == "will be seen that"
    ).items()


def test_long_omission_along_a_repeat_leaves_out_the_fewest() -> None:
    """E omits eight words that can stand before or after a repeated ``competent judges as``.

    C and D read only the second copy; E's omission leaves out the first, so that E reads
    ``competent judges as`` with all four (Darwin's chapter 1, 1859/1861/1869).
    """
    head = "Hardly any domestic race exists amongst animals or plants which has not been ranked by"
    tail = "the descendants of distinct species, and the question will long remain open."
    old = f"{head} some competent judges as mere varieties, and by other competent judges as {tail}"
    mid = f"{head} competent judges as {tail}"
    new = f"{head} some competent judges as {tail}"
    new = new.replace("Hardly any", "Scarcely a").replace("long remain", "remain")
    witnesses = [
        wit("A", old),
        wit("B", old.replace("question", "matter")),
        wit("C", mid),
        wit("D", mid.replace("open", "unsettled")),
        wit("E", new),
    ]
    alignment = align(witnesses)
    check_tiling(alignment, witnesses)
    assert _agreeing(alignment, witnesses, "judges") == {"A", "B", "C", "D", "E"}
    assert {
        "A": "competent judges as mere varieties, and by other",
        "B": "competent judges as mere varieties, and by other",
        "C": "",
        "D": "",
        "E": "",
    } in variants(alignment, witnesses)


def test_near_match_does_not_cut_a_moved_run() -> None:
    # C moves ``in the same manner`` after ``degree,``, where A and B read ``than,``; the
    # near match ``than,``/``the`` (similarity 0.5) would cut the moved run in three.
    text = (
        "races differ from each other in the same manner as, only in most cases in a lesser"
        " degree than, as do closely allied species of the same genus"
    )
    witnesses = [
        wit("A", text),
        wit("B", text),
        wit(
            "C",
            "races differ from each other, only in most cases in a lesser degree, in the same"
            " manner as do closely allied species of the same genus",
        ),
    ]
    alignment = align(witnesses)
    check_tiling(alignment, witnesses)
    found = variants(alignment, witnesses)
    assert {"A": "than,", "B": "than,", "C": "the"} not in found
    moved = [
        c for c in alignment.columns if c.transposition is not None and len(c.readings["C"]) == 4
    ]
    assert len(moved) == 2


def test_a_word_is_paired_with_itself_before_two_words_read_as_it() -> None:
    """``cat`` against ``the cat the ca t``: two words joined score as a reading in other
    spacing, below the same form, so ``cat`` agrees with ``cat`` and ``ca t`` is added."""
    a = wit("A", "cat")
    b = wit("B", "the cat the ca t")
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    assert _agreeing(alignment, [a, b], "cat") == {"A", "B"}
    assert {"A": "U. S.", "B": "U.S."} in variants(
        align([wit("A", "the U. S. army"), wit("B", "the U.S. army")]),
        [wit("A", "the U. S. army"), wit("B", "the U.S. army")],
    )


@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=60),
    st.lists(st.integers(0, 30), min_size=1, max_size=60),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_unique_pairs_are_the_forms_read_once_on_each_side(
    a: list[int], b: list[int], alo: int, blo: int
) -> None:
    from proofbench.align.pair import unique_pairs

    once = {x for x in set(a) & set(b) if a.count(x) == 1 and b.count(x) == 1}
    expected_j = [blo + j for j, x in enumerate(b) if x in once]
    expected_i = [alo + a.index(b[j - blo]) for j in expected_j]
    assert unique_pairs(a, b, alo, blo) == (expected_i, expected_j)


@given(st.lists(st.sampled_from(["the", "cat", "sat", "on", "a", "mat", "dog"]), max_size=50))
def test_anchors_found_in_numpy_or_python_align_alike(words: list[str]) -> None:
    """The two ways ``pair._anchors`` finds its unique forms (``COUNTED_IN_C``) give one
    alignment: every region through numpy, then every one through the loops."""
    from proofbench.align import pair

    texts = [" ".join(words), " ".join(reversed(words)), " ".join(words[::2] + words[1::2])]
    witnesses = [wit(f"W{k}", t) for k, t in enumerate(texts)]
    saved = pair.COUNTED_IN_C
    try:
        pair.COUNTED_IN_C = 0
        vector = align(witnesses)
        pair.COUNTED_IN_C = 1 << 62
        loops = align(witnesses)
    finally:
        pair.COUNTED_IN_C = saved
    assert vector == loops
