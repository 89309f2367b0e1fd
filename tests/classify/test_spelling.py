"""Spelling candidates (``classify/spelling.py``)."""

from __future__ import annotations

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
