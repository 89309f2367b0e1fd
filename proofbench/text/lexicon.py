"""The word lexicon: frequencies (wordfreq), a curated dictionary (SCOWL) and word shapes, offline.

``zipf(word)`` is the Zipf frequency (0 = unknown, 3 = once per million words, 7 = ``the``).
``core(token)`` strips surrounding punctuation, the form looked up. ``in_dictionary(word)`` says
whether SCOWL's large American or British list has the word (``proofbench/data/words-en.txt.gz``);
``shape_logprob(word)`` is the mean log probability per character of the word's letters (diacritics
dropped) under a
character trigram model of wordfreq's English list (``proofbench/data/char-ngrams-en.tsv.gz``).
Both data files are built by ``scripts/build_language_data.py``; see ``data/SOURCES.md``.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from proofbench.text.frequencies import get_frequency_dict, zipf_frequency

_EDGE = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)
LANGUAGE = "en"
DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1 << 18)
def core(token: str) -> str:
    """The token without surrounding punctuation: ``(However,`` -> ``However``."""
    return _EDGE.sub("", token)


@lru_cache(maxsize=4)
def _frequencies(language: str) -> dict[str, float]:
    # wordfreq caches its table by the arguments as given, and ``zipf_frequency`` asks for it as
    # (language, "best"): the same arguments here share that one table instead of building a
    # second (0.16 s and 8 MB)
    return get_frequency_dict(language, "best")


def frequency_table(language: str = LANGUAGE) -> Mapping[str, float]:
    """wordfreq's table of lower-cased words and frequencies (a word not in it has Zipf 0)."""
    return _frequencies(language)


@lru_cache(maxsize=1 << 18)
def zipf(word: str, language: str = LANGUAGE) -> float:
    """Zipf frequency of a single word (hyphenated compounds are looked up whole); 0 if unknown.

    A word of letters only, or of letters and apostrophes that wordfreq lists as one word
    (``don't``), is looked up in wordfreq's table directly (NFC, case-folded, ``’`` read as
    ``'``: the figure ``wordfreq.zipf_frequency`` gives, which first tokenizes, 100 times
    slower); others go through ``zipf_frequency`` (``d'un`` is two of its words)."""
    if not word:
        return 0.0
    table = _frequencies(language)
    if word.isascii() and word.isalpha():
        f = table.get(word.lower(), 0.0)
        return round(math.log10(f) + 9, 2) if f > 0 else 0.0
    if _LETTERS_APOSTROPHES.match(word) and word.replace("'", "").replace("\u2019", "").isalpha():
        key = unicodedata.normalize("NFC", word).replace("\u2019", "'").casefold()
        f = table.get(key, 0.0)
        if f > 0:
            return round(math.log10(f) + 9, 2)
        if word.isalpha():
            return 0.0
    return float(zipf_frequency(word, language))


_LETTERS_APOSTROPHES = re.compile(r"^[^\W\d_]+(?:['\u2019][^\W\d_]+)*$")


def is_word(word: str, threshold: float = 1.0) -> bool:
    """True if the lexicon knows the word at least at ``threshold`` Zipf."""
    return zipf(word) >= threshold


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """The SCOWL words (case as listed: lower-case words, capitalized names)."""
    # one decompression and one split: a line at a time took three times as long; the lines
    # are taken as they stand, the builder writing each word stripped and none blank (a
    # test holds the file to it): 0.060 -> 0.039-0.047 s of CPU rather than each one stripped
    text = gzip.decompress((DATA / "words-en.txt.gz").read_bytes()).decode("utf-8")
    words = text.split("\n")
    if words[-1] == "":  # the end of the last line
        words.pop()
    return frozenset(words)


_GOOD: ContextVar[frozenset[str]] = ContextVar("good_words", default=frozenset())


@contextmanager
def good_words(words: Iterable[str]) -> Iterator[None]:
    """Within the block, ``in_dictionary`` and ``is_good_word`` also accept these words (a
    manifest's ``good_words``), as written or lower-cased; the sets of nested blocks add up."""
    added = frozenset(w.replace("’", "'") for w in words)
    token = _GOOD.set(_GOOD.get() | added | {w.lower() for w in added})
    try:
        yield
    finally:
        _GOOD.reset(token)


@contextmanager
def good_words_as(words: frozenset[str]) -> Iterator[None]:
    """Within the block, the good words in force are exactly ``words`` (a ``good_word_set()``
    taken earlier), whatever blocks enclose it: work put off from inside a ``good_words``
    block is done as it would have been done there."""
    token = _GOOD.set(words)
    try:
        yield
    finally:
        _GOOD.reset(token)


def good_word_set() -> frozenset[str]:
    """The words the current ``good_words`` blocks add (as written and lower-cased): a memo of
    an answer that depends on ``in_dictionary`` keys on it."""
    return _GOOD.get()


def is_good_word(word: str) -> bool:
    """True if the current ``good_words`` block lists the word (as written or lower-cased)."""
    good = _GOOD.get()
    if not good:
        return False
    w = word.replace("’", "'")
    return w in good or w.lower() in good


def in_dictionary(word: str) -> bool:
    """True if the dictionary has the word: as written, lower-cased (a capital at a sentence's
    start), title-cased (a name in capitals), without a possessive ``'s``, or, for a hyphenated
    compound, every part; or if the current ``good_words`` block lists it."""
    return is_good_word(word) or _in_dictionary(word)


@lru_cache(maxsize=1 << 18)
def _in_dictionary(word: str) -> bool:
    w = word.replace("’", "'")
    if not w:
        return False
    words = dictionary()
    if w in words or w.lower() in words or w.capitalize() in words:
        return True
    if w.lower().endswith("'s") and len(w) > 2:
        return _in_dictionary(w[:-2])
    if "-" in w.strip("-"):
        parts = [p for p in w.split("-") if p]
        return len(parts) > 1 and all(_in_dictionary(p) for p in parts)
    return False


@lru_cache(maxsize=1)
def _trigrams() -> tuple[dict[str, float], dict[str, float], float]:
    # one decompression and one split into fields, as ``dictionary`` reads its file: a line at
    # a time through gzip's text reader took longer (16,017 lines: 0.033 -> 0.026 s of CPU)
    text = gzip.decompress((DATA / "char-ngrams-en.tsv.gz").read_bytes()).decode("utf-8")
    fields = text.replace("\t", "\n").split("\n")
    if fields[-1] == "":
        fields.pop()
    counts = dict(zip(fields[::2], map(int, fields[1::2]), strict=True))
    context: dict[str, int] = {}
    for gram, n in counts.items():
        context[gram[:2]] = context.get(gram[:2], 0) + n
    alphabet = len({c for g in counts for c in g})
    logp = {g: math.log((n + 1) / (context[g[:2]] + alphabet)) for g, n in counts.items()}
    floor_ctx = {c: math.log(1 / (n + alphabet)) for c, n in context.items()}
    return logp, floor_ctx, math.log(1 / alphabet)


def _plain(word: str) -> str:
    """The word without diacritics and apostrophes (``Natásha`` -> ``Natasha``, ``arm’d`` ->
    ``armd``): the trigram model is of plain letters, and neither is a sign of a misreading."""
    if word.isascii():  # no diacritic to drop (NFD leaves ASCII as it is)
        return word.replace("'", "")
    plain = unicodedata.normalize("NFD", word).replace("'", "").replace("\u2019", "")
    return "".join(c for c in plain if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 18)
def shape_logprob(word: str) -> float:
    """Mean log probability per character of ``^word$`` (lower-cased) under the trigram model,
    add-one smoothed; a character the model never saw scores as an unseen trigram. Higher is
    more word-like (``the`` about -1.5, ``shaU`` or ``t?e`` far lower)."""
    w = "^" + _plain(word.lower()) + "$"
    if len(w) < 3:
        return 0.0
    logp, floor_ctx, floor = _trigrams()
    get = logp.get
    total = 0.0
    for i in range(len(w) - 2):
        g = w[i : i + 3]
        p = get(g)
        if p is None:  # the fallback looked up only here (most trigrams are seen)
            p = floor_ctx.get(g[:2], floor)
        total += p
    return total / (len(w) - 2)
