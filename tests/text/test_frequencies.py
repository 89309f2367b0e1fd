"""text/frequencies.py gives wordfreq's own figures without importing wordfreq for them.

wordfreq is the oracle: its table must come out equal, entry for entry and in the same order,
and every word must get wordfreq's Zipf figure to the last bit, on every word of the corpora
and on generated ones.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.text import frequencies

wordfreq = pytest.importorskip("wordfreq")

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"


def test_table_is_wordfreqs():
    ours = frequencies.get_frequency_dict("en", "best")
    theirs = wordfreq.get_frequency_dict("en", "best")
    assert list(ours) == list(theirs)
    assert all(ours[w].hex() == theirs[w].hex() for w in theirs)


def test_other_languages():
    # another language's own file, read here; a code no file is named by exactly (wordfreq
    # matches it to a neighbour), asked of wordfreq
    assert frequencies.get_frequency_dict("fr", "best") == wordfreq.get_frequency_dict("fr")
    assert frequencies.get_frequency_dict("en-US", "best") == wordfreq.get_frequency_dict("en")


@pytest.mark.parametrize(
    "word",
    [
        "wine-shop",
        "to-day",
        "Five-and-Twentieth",
        "f1oundering",
        "travel1ers",
        "zzqx-shop",  # a part wordfreq does not know: Zipf 0
        "the",
        "1st",
        "1860s",  # a run of digits: wordfreq's tokenizer and number rule
        "don't",
        "d'un",
        "Natásha",
        "well--known",
        "-by",
        "",
    ],
)
def test_zipf_is_wordfreqs(word):
    assert repr(frequencies.zipf_frequency(word, "en")) == repr(
        float(wordfreq.zipf_frequency(word, "en"))
    )


_PART = st.one_of(
    st.sampled_from(["the", "shop", "wine", "day", "to", "morrow", "ale", "house", "Q", "xj"]),
    st.text(alphabet="abeilostQ0123456789", min_size=1, max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PART, min_size=1, max_size=4), st.booleans())
def test_generated_compounds(parts, upper):
    word = "-".join(parts)
    word = word.upper() if upper else word
    assert repr(frequencies.zipf_frequency(word, "en")) == repr(
        float(wordfreq.zipf_frequency(word, "en"))
    )


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1234567890-'’.,:éÆ ß$%", min_size=0, max_size=12))
def test_generated_words_of_any_kind(word):
    # numbers (1860s, 3.5, 1,000), apostrophes, accents, spaces: wordfreq's tokenizer and
    # number rule, this module's table
    assert repr(frequencies.zipf_frequency(word, "en")) == repr(
        float(wordfreq.zipf_frequency(word, "en"))
    )


@functools.cache
def _corpora_forms() -> frozenset[str]:
    """The whitespace-separated forms of the corpora's text files under 20 MB (read once)."""
    forms: set[str] = set()
    for path in sorted(CORPORA.rglob("*.txt")):
        if path.stat().st_size < 20_000_000:
            forms.update(path.read_text(encoding="utf-8", errors="ignore").split())
    return frozenset(forms)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent (a bare clone)")
def test_words_of_the_corpora():
    forms = _corpora_forms()
    # plain words are the cases above; of the other 123k forms, every eighth in sorted order
    sample = sorted(w for w in forms if not w.isalpha())[::8]
    compounds = {w for w in sample if re.fullmatch(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+", w)}
    numbers = {w for w in sample if re.search(r"\d\d", w)}
    assert len(compounds) > 400 and len(numbers) > 400
    wrong = [
        w
        for w in sample
        if repr(frequencies.zipf_frequency(w, "en"))
        != repr(float(wordfreq.zipf_frequency(w, "en")))
    ]
    assert wrong == []


def test_the_lexicon_does_not_import_wordfreq_nor_build_its_table():
    # the point of the module: the lexicon's usual look-ups leave wordfreq unimported, and the
    # others use its tokenizer only
    code = (
        "import sys\n"
        "from proofbench.text.lexicon import zipf\n"
        "from proofbench.classify.spelling import candidates\n"
        "assert zipf('wine-shop') > 0 and zipf('the') > 6 and zipf('f1oundering') == 0\n"
        "candidates('teh')\n"
        "print('wordfreq' in sys.modules)\n"
        # ASCII numbers, possessives, elisions: wordfreq's tokens worked out here
        "assert zipf('1860s') > 0 and zipf('3.5') > 0 and zipf(\"o'er\") > 0\n"
        "assert zipf(\"d'un\") > 0 and zipf('kind...ly') > 0 and zipf('p.s') >= 0\n"
        "print('wordfreq' in sys.modules)\n"
        "assert zipf('kut\u00fazov\u2019s') == 0 and zipf('l\u2019\u00e9t\u00e9') == 0\n"
        "print('wordfreq' in sys.modules)\n"  # Latin letters, curly quotes: worked out here
        "assert zipf('\u03bb\u03cc\u03b3\u03bf\u03c2-x') >= 0\n"  # Greek: wordfreq's tokenizer
        "import wordfreq\n"
        "print(wordfreq.get_frequency_dict.cache_info().currsize)\n"  # but not its table
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False", "0"]


_ASCII = "abeIoUhy19'.,:;-/*[]()!?\"&$#%+=<>^`|~\\{}0_"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_ASCII, min_size=0, max_size=10))
def test_ascii_tokens_are_wordfreqs(word):
    # UAX #29's boundaries between letters, digits, underscores, stops, colons, commas and
    # apostrophes, and wordfreq's French particles (``l'ha``, ``qu'il``), as wordfreq's
    # tokenizer finds them
    assert frequencies.ascii_tokens(word) == wordfreq.tokens.lossy_tokenize(word, "en")


@pytest.mark.parametrize(
    "word",
    ["l'ha", "qu'il", "ab'e", "abc'e", "o'er", "1,000", "a.1", "3'4", "_my_", "my_self", "a_'e"],
)
def test_ascii_tokens_of_particles_and_numbers(word):
    assert frequencies.ascii_tokens(word) == wordfreq.tokens.lossy_tokenize(word, "en")


def test_ascii_tokens_leave_other_words_to_wordfreq():
    assert frequencies.ascii_tokens("d\u2019un") is None  # not ASCII
    assert frequencies.ascii_tokens("a b") is None  # a space
    assert frequencies.ascii_tokens("t@e") is None


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        alphabet="ab1'.:-_eh\u00e9\u00c6\u00df\u0153\u2019\u2018\u02bc\u201b\u0130\u0149\u00b5\u00e1\u00a9\u03bb",
        max_size=8,
    )
)
def test_english_tokens_are_wordfreqs(word):
    # Latin letters once in NFC and case-folded (``\u00df`` -> ``ss``), the curly single quotes
    # as the full stop is and made ``'``; a word of anything else (the modifier letter
    # apostrophe, the reversed quote, a capital I with a dot, whose case-folding adds a
    # combining mark, a symbol, a Greek letter) is left to wordfreq
    got = frequencies.english_tokens(word)
    assert got is None or got == wordfreq.tokens.lossy_tokenize(word, "en")
    assert repr(frequencies.zipf_frequency(word, "en")) == repr(
        float(wordfreq.zipf_frequency(word, "en"))
    )


@pytest.mark.parametrize(
    "word", ["kut\u00fazov\u2019s", "d\u2019h\u00f4tel", "l'\u00e9t\u00e9", "STRA\u00dfE"]
)
def test_english_tokens_of_latin_words(word):
    assert frequencies.english_tokens(word) == wordfreq.tokens.lossy_tokenize(word, "en")


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent (a bare clone)")
def test_ascii_tokens_of_the_corpora():
    forms = _corpora_forms()
    # every form of printable ASCII with a character other than letters (81k of them)
    asked = sorted(w for w in forms if not w.isalpha() and frequencies.ascii_tokens(w) is not None)
    assert len(asked) > 20_000
    wrong = [
        w for w in asked if frequencies.ascii_tokens(w) != wordfreq.tokens.lossy_tokenize(w, "en")
    ]
    assert wrong == []


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent (a bare clone)")
def test_english_tokens_of_the_corpora():
    # every form outside ASCII that english_tokens works out (5.4k of them: accented names,
    # curly possessives and elisions)
    asked = sorted(
        w for w in _corpora_forms() if not w.isascii() and frequencies.english_tokens(w) is not None
    )
    assert len(asked) > 2_000
    wrong = [
        w for w in asked if frequencies.english_tokens(w) != wordfreq.tokens.lossy_tokenize(w, "en")
    ]
    assert wrong == []


@pytest.mark.parametrize("min_freq", [1e-2, 9e-7, 1e-8, 1.0, 0.0])
def test_words_at_least_are_those_of_the_frequency(min_freq, monkeypatch):
    table = frequencies.get_frequency_dict("en", "best")
    want = frozenset(w for w, f in table.items() if f >= min_freq)
    read = frequencies._read("en", "best")
    assert read.falling is not None  # wordfreq's English lists no word twice
    assert frequencies.words_at_least("en", min_freq) == want
    # as for a table that does not fall (one asked of wordfreq itself)
    monkeypatch.setattr(frequencies, "_read", lambda *_: read._replace(falling=None))
    assert frequencies.words_at_least("en", min_freq) == want
