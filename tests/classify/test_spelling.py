"""Spelling candidates (``classify/spelling.py``)."""

from __future__ import annotations

import pytest

from proofbench.classify import spelling
from proofbench.classify.data import shape_confusions


def _edits_by_search(word: str) -> set[str]:
    """Every string one shape confusion away, found by searching the word for each source."""
    out: set[str] = set()
    for a, b in shape_confusions():
        start = word.find(a) if a else -1
        while start != -1:
            out.add(word[:start] + b + word[start + len(a) :])
            start = word.find(a, start + 1)
    return out


def test_shape_edits_are_every_single_confusion_of_the_word() -> None:
    for word in ("tbe", "modern", "clown", "aaaa", "", "l1l"):
        assert spelling._shape_edits(word) == _edits_by_search(word)


def test_a_garble_one_shape_confusion_from_a_common_word_finds_it() -> None:
    found = spelling.candidates("tbe")
    assert found and found[0][0] == "the" and found[0][2]
    assert spelling.best_candidate("Tbe", 3.0) == ("The", found[0][1], True)


def _slips_one_by_one(word: str) -> set[str]:
    """The slips spelt out split by split (the oracle ``one_slip`` must agree with)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    return out


@pytest.mark.parametrize("word", ["", "a", "ab", "the", "aab", "café", "remembrance"])
def test_one_slip_is_every_deletion_transposition_substitution_insertion(word: str) -> None:
    assert spelling.one_slip(word) == _slips_one_by_one(word)
