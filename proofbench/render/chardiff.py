"""Two readings -> the difference between them, letter by letter (or word by word when long).

Input: two strings. Output: ``[[op, text], ...]`` with op -1 (only in the first), 0 (in both),
+1 (only in the second); joining the texts of ops <= 0 gives the first string, of ops >= 0 the
second. The report and the review app show these inside a variant.

The diff itself runs in C++ (fast-diff-match-patch, Google's diff-match-patch ported), with no
time limit, so the result never depends on the machine's speed; the semantic lossless cleanup
(shifting an edit to word boundaries: ``[-b][+h]all`` stays, ``th[-e c][+is]at`` does not
split a word needlessly) is the reference Python implementation's, run on the C++ result, which
is cheap: the cleanup is linear in the number of edits, the diff is not.
"""

from __future__ import annotations

import re

import fast_diff_match_patch
from diff_match_patch import diff_match_patch

CHAR_DIFF_LIMIT = 400
"""Readings longer than this together are compared word by word, not letter by letter."""
WORD_DIFF_LIMIT = 4000
"""Readings of more words than this together (a moved page) are not compared at all."""

_WORDS = re.compile(r"\s+|\S+")
_OPS = {"=": 0, "-": -1, "+": 1}
_CLEANUP = diff_match_patch()


def _raw(a: str, b: str, checklines: bool) -> list[tuple[int, str]]:
    """diff-match-patch's ``diff_main`` (merged, no semantic cleanup), computed in C++."""
    if a == b:
        return [(0, a)] if a else []
    out = fast_diff_match_patch.diff(
        a, b, timelimit=0, checklines=checklines, cleanup="No", counts_only=False
    )
    return [(_OPS[op], text) for op, text in out]


def char_diff(a: str, b: str) -> list[list[int | str]]:
    """The difference from ``a`` to ``b`` as ``[op, text]`` (-1, 0, +1); ``[]`` if too long.

    Letter by letter for short readings (``CHAR_DIFF_LIMIT``), with edits shifted to word
    boundaries where that loses nothing; word by word for long ones, each word (and each run
    of spaces) compared whole; nothing (``[]``) past ``WORD_DIFF_LIMIT`` words.
    """
    if len(a) + len(b) <= CHAR_DIFF_LIMIT:
        diffs = _raw(a, b, checklines=True)
        _CLEANUP.diff_cleanupSemanticLossless(diffs)
        return [[op, text] for op, text in diffs]
    wa, wb = _WORDS.findall(a), _WORDS.findall(b)
    if len(wa) + len(wb) > WORD_DIFF_LIMIT:
        return []
    code: dict[str, str] = {}
    words: list[str] = []

    def encode(ws: list[str]) -> str:
        out = []
        for w in ws:
            if w not in code:
                code[w] = chr(0xF0000 + len(words))  # private use: never in the text
                words.append(w)
            out.append(code[w])
        return "".join(out)

    diffs = _raw(encode(wa), encode(wb), checklines=False)
    back = {c: w for w, c in code.items()}
    return [[op, "".join(back[ch] for ch in text)] for op, text in diffs]
