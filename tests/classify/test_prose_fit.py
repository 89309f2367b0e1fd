"""How well a reading fits its neighbours in prose (``classify/prose_fit.py``), on the packaged
bigram table."""

from __future__ import annotations

from proofbench.classify.prose_fit import comparable, pair_pmi, prose_fit, spaced_alike


def test_prose_prefers_the_pairs_it_writes() -> None:
    assert pair_pmi("that", "he") > 0 > pair_pmi("that", "be")
    assert prose_fit("would", ["be"], "a") > prose_fit("would", ["he"], "a")


def test_a_mark_between_two_words_breaks_their_pair() -> None:
    assert pair_pmi("said.", "he") == 0
    assert pair_pmi("that", "—") == 0
    assert prose_fit(None, ["he"], None) == 0


def test_only_readings_of_as_many_known_words_that_differ_are_compared() -> None:
    assert comparable(["he", "be"])
    assert not comparable(["he", "he,"])  # marks alone
    assert not comparable(["of the", "the"])  # as many words
    assert not comparable(["", "the"])
    assert not comparable(["advancing", "advaneing"])  # a word the table lacks


def test_a_split_compound_is_compared_by_its_inner_pair() -> None:
    assert spaced_alike(["flower garden", "flower-garden"])
    assert not spaced_alike(["he", "be"])
    assert not spaced_alike(["he", "he"])
    # prose writes the compound as one word, not these two side by side
    assert prose_fit(None, ["flower", "garden"], None) < prose_fit(None, ["of", "the"], None)
