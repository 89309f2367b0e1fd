"""render/chardiff.py: the compiled character diff against the reference Python implementation."""

from __future__ import annotations

from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.render.chardiff import CHAR_DIFF_LIMIT, char_diff

TEXT = st.text(alphabet="ab c,.'-\u00e9\u0301\U0001f600", max_size=60)


def reference(a: str, b: str) -> list[list[int | str]]:
    """Pure-Python diff-match-patch, no time limit, semantic lossless cleanup."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b)
    dmp.diff_cleanupSemanticLossless(diffs)
    return [[op, text] for op, text in diffs]


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_short_readings_match_the_reference_implementation(a: str, b: str) -> None:
    assert char_diff(a, b) == reference(a, b)


@given(TEXT, TEXT)
def test_ops_rebuild_both_readings(a: str, b: str) -> None:
    ops = char_diff(a, b)
    assert "".join(str(t) for op, t in ops if int(op) <= 0) == a
    assert "".join(str(t) for op, t in ops if int(op) >= 0) == b


def test_edge_cases() -> None:
    assert char_diff("", "") == []
    assert char_diff("same", "same") == [[0, "same"]]
    assert char_diff("", "new") == [[1, "new"]]
    assert char_diff("old", "") == [[-1, "old"]]
    # astral characters count as one letter, not as a surrogate pair
    assert char_diff("a\U0001f600b", "a\U0001f601b") == [
        [0, "a"],
        [-1, "\U0001f600"],
        [1, "\U0001f601"],
        [0, "b"],
    ]


def test_long_readings_by_words_rebuild_both() -> None:
    a = " ".join(f"w{i}" for i in range(150))
    b = a.replace("w70", "w70x").replace("w3 ", "")
    assert len(a) + len(b) > CHAR_DIFF_LIMIT
    ops = char_diff(a, b)
    assert [t for op, t in ops if op != 0] == ["w3 ", "w70", "w70x"]
    assert "".join(str(t) for op, t in ops if int(op) >= 0) == b
