"""wordfreq's word frequencies, read from wordfreq's own data file without importing wordfreq.

Input: a language code (and, for ``zipf_frequency``, a word); output: wordfreq's table of
frequencies, or a word's Zipf frequency, exactly as ``wordfreq.get_frequency_dict`` and
``wordfreq.zipf_frequency`` give them.

Why: importing wordfreq costs more CPU than a short collation's own work (about 0.13 s here,
measured: it imports langcodes and the ``regex`` module's large expressions, and finds its data
folder by inspecting the call stack), while the lexicon needs only its table. The table is read
here from the same file wordfreq reads (``wordfreq/data/{large,small}_<lang>.msgpack.gz``: a
gzipped msgpack list, a header and then one list of words per centibel of frequency, as
``wordfreq.read_cBpack`` documents), found with ``importlib.util.find_spec``, which locates the
package without running it.

A word's Zipf figure follows wordfreq's documented rule: a word's tokens are looked up, a
missing one makes the word unknown, ``1 / f = 1 / f1 + 1 / f2 + ...``, rounded to three
significant digits. For a run of ASCII letters and single digits, or such runs joined by single
hyphens (``wine-shop``, ``f1oundering``), the tokens are the runs; any other word is split by
wordfreq's own tokenizer, and its numbers weighed by wordfreq's number rule (wordfreq imported
then, but its table never built: the one read here serves). ``tests/text/test_frequencies.py``
holds both functions to wordfreq's, on words of the corpora and generated ones.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
from functools import cache
from pathlib import Path

import msgpack

_COMPOUND = re.compile(r"(?!.*\d\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
"""ASCII letters and digits, no two digits side by side (wordfreq folds a run of digits into
one figure), or runs of them joined by single hyphens: wordfreq's tokens are the runs."""


@cache
def _data_file(lang: str, wordlist: str) -> Path | None:
    """wordfreq's data file for exactly this language and list ("best": large, else small)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    names = ("large", "small") if wordlist == "best" else (wordlist,)
    for name in names:
        path = folder / f"{name}_{lang}.msgpack.gz"
        if path.is_file():
            return path
    return None


@cache
def get_frequency_dict(lang: str, wordlist: str = "best") -> dict[str, float]:
    """wordfreq's table of words and frequencies for ``lang`` (``wordfreq.get_frequency_dict``).

    Read from wordfreq's file where one is named exactly by the language; any other language
    (a code wordfreq matches to a neighbour, a list it lacks) is asked of wordfreq itself.
    """
    path = _data_file(lang, wordlist)
    if path is None:
        from wordfreq import get_frequency_dict as wordfreq_table

        return wordfreq_table(lang, wordlist)
    data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: not a cBpack file of wordfreq (header {header!r})")
    table: dict[str, float] = {}
    for index, bucket in enumerate(data[1:]):
        if bucket:
            # the list at index i holds the words of -i centibels: a frequency of 10^(-i/100)
            table.update(dict.fromkeys(bucket, 10 ** (-index / 100)))
    return table


def zipf_frequency(word: str, lang: str) -> float:
    """The Zipf frequency wordfreq gives ``word`` (``wordfreq.zipf_frequency(word, lang)``).

    Always from this module's table: where wordfreq's tokenizer is needed, only its tokenizer
    and number rule are asked, so wordfreq never builds a second table (30 MB and 0.3 s)."""
    if _data_file(lang, "best") is None:
        from wordfreq import zipf_frequency as wordfreq_zipf

        return float(wordfreq_zipf(word, lang))
    if _COMPOUND.fullmatch(word):
        return _zipf([(part, part, 1.0) for part in word.lower().split("-")], lang)
    from wordfreq import zipf_frequency as wordfreq_zipf
    from wordfreq.language_info import get_language_info
    from wordfreq.numbers import digit_freq, smash_numbers
    from wordfreq.tokens import lossy_tokenize

    if get_language_info(lang)["tokenizer"] == "jieba":  # wordfreq's own rule for spaces
        return float(wordfreq_zipf(word, lang))
    tokens = lossy_tokenize(word, lang)
    return _zipf([(t, smash_numbers(t), digit_freq(t)) for t in tokens], lang)


def _zipf(tokens: list[tuple[str, str, float]], lang: str) -> float:
    """wordfreq's rule for a word of several tokens, each (token, its digits folded to 0s, the
    share of the folded figure that is this number): any unknown makes the word Zipf 0, else
    ``1 / f = 1 / f1 + 1 / f2 + ...``, rounded to three significant digits."""
    table = get_frequency_dict(lang, "best")
    minimum = 10**0 / 1e9  # the frequency of Zipf 0, the least wordfreq returns by default
    if not tokens:
        return round(math.log(minimum, 10) + 9, 2)
    inverse = 0.0
    for token, folded, share in tokens:
        f = table.get(folded)
        if f is None:
            return round(math.log(minimum, 10) + 9, 2)
        inverse += 1.0 / (f * share if folded != token else f)
    freq = max(1.0 / inverse, minimum)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)
