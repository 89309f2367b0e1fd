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
hyphens (``wine-shop``, ``f1oundering``), the tokens are the runs; any other English word of
printable ASCII (``kutuzov's``, ``l'ha``, ``18th``, ``_my_``), or of ASCII, Latin letters and
curly single quotes (``kutúzov’s``, ``d’hôtel``), is split by wordfreq's tokenizer's rules,
worked out here (``english_tokens``), and its numbers weighed by wordfreq's number rule; any
other word by wordfreq's own tokenizer (wordfreq imported then, but its table never built:
the one read here serves). ``tests/text/test_frequencies.py`` holds both functions to
wordfreq's, on words of the corpora and generated ones.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
import unicodedata
from functools import cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple

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


class _Table(NamedTuple):
    """wordfreq's table read once: the words and frequencies, and, where the table lists no
    word twice, each of its lists' frequency and length in file order (the keys then fall in
    frequency, list by list), else None."""

    table: dict[str, float]
    falling: list[tuple[float, int]] | None


@cache
def _read(lang: str, wordlist: str) -> _Table:
    """The table for ``lang`` from wordfreq's file where one is named exactly by the language;
    any other language (a code wordfreq matches to a neighbour, a list it lacks) is asked of
    wordfreq itself, and its order is not known to fall."""
    path = _data_file(lang, wordlist)
    if path is None:
        from wordfreq import get_frequency_dict as wordfreq_table

        return _Table(wordfreq_table(lang, wordlist), None)
    data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: not a cBpack file of wordfreq (header {header!r})")
    # the list at index i holds the words of -i centibels: a frequency of 10^(-i/100); one
    # comprehension over them all rather than a dict made and merged per list (a fresh
    # process: 0.16 -> 0.12 s of CPU for the 321,180 English words; the same order and values)
    lists = [(10 ** (-index / 100), bucket) for index, bucket in enumerate(data[1:]) if bucket]
    table = {word: freq for freq, bucket in lists for word in bucket}
    once = sum(len(bucket) for _, bucket in lists) == len(table)  # no word twice: it falls
    return _Table(table, [(freq, len(bucket)) for freq, bucket in lists] if once else None)


def get_frequency_dict(lang: str, wordlist: str = "best") -> dict[str, float]:
    """wordfreq's table of words and frequencies for ``lang`` (``wordfreq.get_frequency_dict``),
    read once."""
    return _read(lang, wordlist).table


def words_at_least(lang: str, min_freq: float, wordlist: str = "best") -> frozenset[str]:
    """The words of ``get_frequency_dict(lang, wordlist)`` of frequency ``min_freq`` or more:
    the table's first words where it falls (its lists' lengths added up rather than every
    word's frequency compared: the English table's 30,788 words of 9e-7 or more in 0.003
    rather than 0.015-0.021 s of CPU), else each word's frequency compared."""
    table, lists = _read(lang, wordlist)
    if lists is None:
        return frozenset(w for w, f in table.items() if f >= min_freq)
    n = sum(size for freq, size in lists if freq >= min_freq)
    return frozenset(islice(table, n))


def zipf_frequency(word: str, lang: str) -> float:
    """The Zipf frequency wordfreq gives ``word`` (``wordfreq.zipf_frequency(word, lang)``).

    Always from this module's table: where wordfreq's tokenizer is needed, only its tokenizer
    and number rule are asked, so wordfreq never builds a second table (30 MB and 0.3 s)."""
    if _data_file(lang, "best") is None:
        from wordfreq import zipf_frequency as wordfreq_zipf

        return float(wordfreq_zipf(word, lang))
    if _COMPOUND.fullmatch(word):
        return _zipf([(part, part, 1.0) for part in word.lower().split("-")], lang)
    if lang == "en" and (tokens := english_tokens(word)) is not None:
        return _zipf([(t, _smash_numbers(t), _digit_freq(t)) for t in tokens], lang)
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


# --- wordfreq's English tokens of a word of ASCII or Latin letters, without wordfreq ------------
# wordfreq splits a word by the Unicode word boundaries of UAX #29 (the ``regex`` module's
# ``\b``), keeps the tokens that start with a word character (``\w``), splits off a French
# particle of one or two of them before an apostrophe and a vowel or ``h`` (``l'ha``), strips
# apostrophes from the tokens' ends and case-folds them. On printable ASCII without ``@``
# (wordfreq's gender-neutral ending) those rules come down to the classes below; ``_`` is a
# connector (ExtendNumLet: it joins letters, digits and itself; Gutenberg's texts set italics
# between underscores, ``_my_``). ``tests/text/test_frequencies.py`` holds the tokens to
# wordfreq's own on every such form of the corpora and on generated ones. Importing wordfreq
# for its tokenizer costs 0.1-0.3 s of CPU (``regex``'s large expressions, langcodes): War and
# Peace's 320 possessives, elisions and numbers (``kutuzov's``, ``d'enghien``, ``18th``) alone
# needed it, and a 3 x 100k collation's one ``my_self``.

_LETTER, _DIGIT, _EXTEND_NUM_LET, _MID_LETTER, _MID_NUM_LETTER, _MID_NUM, _OTHER = range(7)
_WORD_BREAK = {
    c: (
        _LETTER
        if c.isalpha()
        else _DIGIT
        if c.isdigit()
        else _EXTEND_NUM_LET
        if c == "_"
        else _MID_LETTER
        if c == ":"
        else _MID_NUM_LETTER
        if c in ".'"
        else _MID_NUM
        if c in ",;"
        else _OTHER
    )
    for c in map(chr, range(0x21, 0x7F))
    if c != "@"
}
"""UAX #29's Word_Break class of each printable ASCII character but ``@`` (``MidNumLet`` holds
the full stop and, as ``Single_Quote``, the apostrophe). The classes up to ``_EXTEND_NUM_LET``
are the characters of ``\\w``."""
_INITIAL_VOWELS = frozenset("AEHIOUYÁÉÍÓÚÀÈÌÒÙÂÊÎÔÛÅÏÖŒaehiouyáéíóúàèìòùâêîôûåïöœ")
"""wordfreq's ``INITIAL_VOWEL_EXPR``: after a particle and an apostrophe, they split the
particle off."""
_LATIN_END = "\u0250"
"""The letters below it (ASCII's, Latin-1 Supplement's, Latin Extended-A and -B) are UAX #29's
ALetter, and none of them is in a script wordfreq's tokenizer treats apart."""
_CURLY = {"\u2018": _MID_NUM_LETTER, "\u2019": _MID_NUM_LETTER}
"""The curly single quotes, ``MidNumLet`` as the full stop (they join letters, as ``'`` does,
but no French particle splits off before them: wordfreq's particle rule reads ``'``), which
wordfreq turns into ``'`` in the tokens it gives (ftfy's ``uncurl_quotes``)."""


def _joined(kinds: list[int], i: int) -> bool:
    """No word boundary between characters ``i - 1`` and ``i`` (UAX #29's rules WB5-WB13b)."""
    a, b = kinds[i - 1], kinds[i]
    if a <= _EXTEND_NUM_LET and b <= _EXTEND_NUM_LET:  # WB5, WB8-WB10, WB13a, WB13b
        return True
    n = len(kinds)
    if a == _LETTER and b in (_MID_LETTER, _MID_NUM_LETTER):  # WB6
        return i + 1 < n and kinds[i + 1] == _LETTER
    if a == _DIGIT and b in (_MID_NUM, _MID_NUM_LETTER):  # WB12
        return i + 1 < n and kinds[i + 1] == _DIGIT
    if b == _LETTER and a in (_MID_LETTER, _MID_NUM_LETTER):  # WB7
        return i >= 2 and kinds[i - 2] == _LETTER
    if b == _DIGIT and a in (_MID_NUM, _MID_NUM_LETTER):  # WB11
        return i >= 2 and kinds[i - 2] == _DIGIT
    return False


def ascii_tokens(word: str) -> list[str] | None:
    """wordfreq's English tokens of ``word`` (``wordfreq.tokens.lossy_tokenize(word, "en")``)
    if it is printable ASCII without ``@``; None for any other word."""
    if not word.isascii():
        return None
    kinds = [_WORD_BREAK.get(c, -1) for c in word]
    return None if -1 in kinds else _split(word, kinds)


def english_tokens(word: str) -> list[str] | None:
    """wordfreq's English tokens of ``word`` (``lossy_tokenize(word, "en")``) if it is printable
    ASCII without ``@`` (``ascii_tokens``) or, once in NFC and case-folded as wordfreq first
    makes it, of such characters, Latin letters (``_LATIN_END``) and curly single quotes
    (``_CURLY``): ``kutúzov’s``, ``d’hôtel``, ``l'été``. None for any other word."""
    if word.isascii():
        return ascii_tokens(word)
    text = unicodedata.normalize("NFC", word).casefold()
    kinds = [
        _WORD_BREAK.get(c, -1)
        if c.isascii()
        else _CURLY.get(c, _LETTER if c < _LATIN_END and c.isalpha() else -1)
        for c in text
    ]
    if -1 in kinds:
        return None
    return [t.replace("\u2018", "'").replace("\u2019", "'") for t in _split(text, kinds)]


def _split(word: str, kinds: list[int]) -> list[str]:
    """The tokens of ``word`` by its characters' classes (``_WORD_BREAK``): UAX #29's
    boundaries, the tokens that start with a word character, a French particle split off, the
    apostrophes at a token's ends stripped, lower-cased."""
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        if kinds[i] > _EXTEND_NUM_LET:  # a token starts with a word character (``\w``)
            i += 1
            continue
        # one or two word characters, an apostrophe and a vowel: the particle is a token
        two = i + 1 < n and kinds[i + 1] <= _EXTEND_NUM_LET
        for end in (i + 2, i + 1) if two else (i + 1,):
            if end + 1 < n and word[end] == "'" and word[end + 1] in _INITIAL_VOWELS:
                out.append(word[i:end].lower())
                i = end + 1
                break
        else:
            end = i + 1
            while end < n and _joined(kinds, end):
                end += 1
            out.append(word[i:end].strip("'").lower())
            i = end
    return out


_MULTI_DIGIT = re.compile(r"[0-9][0-9.,]+")
_ONE_DIGIT = re.compile(r"[0-9]")
_DIGITS = re.compile(r"[0-9]+")


def _smash_numbers(token: str) -> str:
    """wordfreq's ``smash_numbers``: each run of a digit and more digits, stops or commas with
    its digits made 0s (on an ASCII token)."""
    return _MULTI_DIGIT.sub(lambda m: _ONE_DIGIT.sub("0", m.group()), token)


# wordfreq's estimates of how often a number is written (``wordfreq/numbers.py``, its
# constants as given there): Benford's law for its first digit, a curve peaking at its
# reference year for a four-digit one
_DIGIT_FREQS = (0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045)
_YEAR_LOG_PEAK = -1.9185
_NOT_YEAR_PROB = 0.1
_REFERENCE_YEAR = 2019
_PLATEAU_WIDTH = 20


def _benford_freq(text: str) -> float:
    freq: float = _DIGIT_FREQS[int(text[0])] / 10 ** (len(text) - 1)
    return freq


def _year_freq(text: str) -> float:
    year = int(text)
    if year <= _REFERENCE_YEAR:
        year_log_freq = _YEAR_LOG_PEAK - 0.0083 * (_REFERENCE_YEAR - year)
    elif _REFERENCE_YEAR < year <= _REFERENCE_YEAR + _PLATEAU_WIDTH:
        year_log_freq = _YEAR_LOG_PEAK
    else:
        year_log_freq = _YEAR_LOG_PEAK - 0.2 * (year - (_REFERENCE_YEAR + _PLATEAU_WIDTH))
    year_prob: float = 10.0**year_log_freq
    return year_prob + _NOT_YEAR_PROB * _benford_freq(text)


def _digit_freq(text: str) -> float:
    """wordfreq's ``digit_freq``: the share of its smashed form that this ASCII token's numbers
    have (1.0 for a token without a run of two digits)."""
    freq = 1.0
    for match in _MULTI_DIGIT.findall(text):
        for run in _DIGITS.findall(match):
            freq *= _year_freq(run) if len(run) == 4 else _benford_freq(run)
    return freq
