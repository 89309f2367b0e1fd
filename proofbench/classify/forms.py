"""Word forms and character differences: the small vocabulary of the classifier.

Input: strings (token texts, readings); output: cores, normalized forms, character-level edit
blocks and lexicon verdicts. Pure functions, cached where books make them hot.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from proofbench.text.lexicon import core, zipf
from proofbench.text.normalize import dashes, quotes

__all__ = ["char_blocks", "core", "is_nonword", "norm", "word_zipf"]

_ALPHA = re.compile(r"^[A-Za-z][a-z]*(?:['’][a-z]+)?$")


@lru_cache(maxsize=1 << 10)
def norm(s: str) -> str:
    """A reading compared across witnesses: quotes and dashes straightened, spaces collapsed
    (remembered: the places of a collation read ``the`` and ``and`` thousands of times; at
    3 x 100k words, 56,043 readings normalized in weighing's first pass alone). The spaces by
    ``str.split``, which splits where ``\\s`` matches (every code point checked), not by a
    regex: 2.0-2.3 against 3.0-4.1 us a reading (five of a collation's, timeit, load 2.6)."""
    return " ".join(dashes(quotes(s)).split())


@lru_cache(maxsize=1 << 16)
def word_zipf(word: str) -> float:
    """Zipf frequency of a word's core, the lower-cased form if that is better known."""
    c = core(word)
    if not c:
        return 0.0
    return max(zipf(c), zipf(c.lower()))


@lru_cache(maxsize=1 << 10)
def is_nonword(word: str) -> bool:
    """True for an alphabetic word the lexicon does not know (numbers, names-like forms excluded).

    Conservative: only plain alphabetic cores of 3+ letters; a capitalized form counts only if
    its lower-cased form is also unknown.
    """
    c = core(word)
    if len(c) < 3 or not _ALPHA.match(c.replace("’", "'")):
        return False
    return word_zipf(c) == 0.0


def char_blocks(a: str, b: str) -> list[tuple[str, str]]:
    """The differing pieces of ``a`` and ``b``: ``("rn", "m")`` for ``burn``/``bum``.

    Adjacent edit operations are merged into one block, so a two-for-one shape confusion
    stays one piece.
    """
    blocks: list[tuple[str, str]] = []
    prev_end: tuple[int, int] | None = None
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            prev_end = None
            continue
        pa, pb = a[op.src_start : op.src_end], b[op.dest_start : op.dest_end]
        if prev_end is not None and blocks:
            qa, qb = blocks.pop()
            pa, pb = qa + pa, qb + pb
        blocks.append((pa, pb))
        prev_end = (op.src_end, op.dest_end)
    return blocks
