"""The word lexicon: word frequencies from an installed package (wordfreq), offline.

``zipf(word)`` is the Zipf frequency (0 = unknown, 3 = once per million words, 7 = ``the``).
``core(token)`` strips surrounding punctuation, the form looked up.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

_EDGE = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)
LANGUAGE = "en"


def core(token: str) -> str:
    """The token without surrounding punctuation: ``(Incidentally,`` -> ``Incidentally``."""
    return _EDGE.sub("", token)


@lru_cache(maxsize=1 << 17)
def zipf(word: str, language: str = LANGUAGE) -> float:
    """Zipf frequency of a single word (hyphenated compounds are looked up whole); 0 if unknown."""
    if not word:
        return 0.0
    return float(zipf_frequency(word, language))


def is_word(word: str, threshold: float = 1.0) -> bool:
    """True if the lexicon knows the word at least at ``threshold`` Zipf."""
    return zipf(word) >= threshold
