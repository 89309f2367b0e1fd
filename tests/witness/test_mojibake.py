"""The cheap gate before ftfy: where it sees no sign of UTF-8 mojibake, ftfy finds none either.

ftfy's full fix costs a third of a second a megabyte; ``utf8_signs`` decides from the text's
distinct characters and one search whether to ask it. The properties: UTF-8 text read as any
code page ftfy repairs shows a sign; text with no sign gets no re-decoding step from ftfy.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import ftfy
from ftfy.chardata import CHARMAP_ENCODINGS
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.model import WitnessSpec
from proofbench.witness import load_witness
from proofbench.witness.mojibake import (
    CODE_PAGES,
    REACH,
    charmap,
    near_non_ascii,
    single_byte,
    utf8_signs,
)

# Letters, punctuation and symbols Western books carry, ASCII and a space among them.
_ALPHABET = "ab cdE.,;'\"?-éèàçüöñßæøÅÉ“”‘’—–…«»£§°©€™ƒ†•ÃÂâ€\u00a0"
_texts = st.text(alphabet=_ALPHABET, min_size=1, max_size=60)


def _redecodes(text: str) -> bool:
    steps = ftfy.fix_encoding_and_explain(text)[1] or []
    return any(s[0] in {"encode", "decode"} or s[1] == "decode_inconsistent_utf8" for s in steps)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_no_sign_means_ftfy_finds_nothing_to_re_decode(text: str) -> None:
    if not utf8_signs(text, frozenset(text)):
        assert not _redecodes(text)


_WORDS_ALPHABET = _ALPHABET + "\u0085ВГРСΒΓβāŒœ¢¥ÐÎ´»·šŸžЂ×²ØÙ√±≈‚Äвќ"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_WORDS_ALPHABET, min_size=1, max_size=12))
def test_a_word_without_a_sign_is_one_ftfy_leaves_as_it_is(word: str) -> None:
    # what the single-witness check relies on to ask ftfy only where a word shows a sign
    if not utf8_signs(word, frozenset(word)):
        assert ftfy.fix_encoding(word) == word


@settings(max_examples=200, deadline=None)
@given(_texts.filter(lambda t: not t.isascii()), st.sampled_from(CHARMAP_ENCODINGS))
def test_utf8_read_as_a_code_page_shows_a_sign(text: str, encoding: str) -> None:
    misread = text.encode("utf-8").decode(encoding, errors="ignore")
    if not misread.isascii():
        assert utf8_signs(misread, frozenset(misread))


def test_typographic_english_shows_no_sign() -> None:
    text = "“Ah,” she said—‘not so’… and went on. " * 50
    assert not utf8_signs(text, frozenset(text))
    assert single_byte(text) == []


def test_the_gate_keeps_the_warning_on_utf8_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("“Quoted,” she said. The caf\u00c3\u00a9 \u00e2\u20ac\u201d open\n", "utf-8")
    (warning,) = load_witness(WitnessSpec("A", (str(path),))).warnings
    assert "page.txt" in warning and "UTF-8 read as a single-byte code page" in warning


def test_many_distinct_letters_are_tallied_in_one_pass() -> None:
    greek = "".join(map(chr, range(0x3B1, 0x3CA))) * 3  # 25 letters... and more below
    cyrillic = "".join(map(chr, range(0x430, 0x450))) * 3
    text = greek + cyrillic + " againó " * 200
    # 57 distinct non-ASCII letters plus ó: counted one by one; with the Latin-1 letters too,
    # more than the few counted that way, tallied. Both give the same answer.
    few = single_byte(text)
    many = single_byte(text + "".join(map(chr, range(0xE0, 0xF0))))
    assert [(c, f, n) for c, f, n, _ in few] == [("ó", "—", 200)]
    assert [(c, f) for c, f, _, _ in many] == [("ó", "—")]


def test_ftfy_is_imported_only_where_a_text_shows_a_sign(tmp_path: Path) -> None:
    # ftfy (0.05-0.4 s to import) can find nothing mis-decoded in ASCII text, nor in a text
    # without a lead character followed by a continuation one in some code page
    (tmp_path / "a.txt").write_text("Plain ASCII text, -- with a dash.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Caf\u00e9 au lait, \u201cquoted\u201d.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Caf\u00c3\u00a9 au lait.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from proofbench.pipeline import load_witnesses, single_file_manifest\n"
        + "".join(
            f"load_witnesses(single_file_manifest({str(tmp_path / name)!r}))\n"
            "print('ftfy' in sys.modules)\n"
            for name in ("a.txt", "b.txt", "c.txt")
        )
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


def test_the_code_pages_are_ftfys_and_read_as_its_codecs_read_them() -> None:
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy- codecs)

    assert tuple(CHARMAP_ENCODINGS) == CODE_PAGES
    for encoding in CODE_PAGES:
        for low, high in ((0x80, 0xBF), (0xC0, 0xF4), (0x1B, 0xFF)):  # 0x1A: ftfy's U+FFFD
            assert charmap(encoding, low, high) == _charmap(encoding, low, high)


def _charmap(encoding: str, low: int, high: int) -> frozenset[str]:
    return frozenset(bytes(range(low, high + 1)).decode(encoding, errors="ignore"))


def _signs_by_search(sample: str) -> bool:
    """The gate as one regular-expression search a code page's signs: the reference.

    A sign: a lead byte's character then a continuation byte's (or a lost byte's), or one of
    the leads ftfy's ``ALTERED_UTF8_RE`` names then a space (not in MacRoman); or a C1 control.
    """
    chars = frozenset(sample)
    if chars & frozenset(map(chr, range(0x80, 0xA0))):
        return True
    altered = bytes([0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xE0, 0xE1, 0xE2, 0xE3, 0xF0])
    for encoding in CHARMAP_ENCODINGS:
        lost = "\x1a\ufffd" + ("?" if encoding.startswith("sloppy") else "")
        signs = [(_charmap(encoding, 0xC0, 0xF4), _charmap(encoding, 0x80, 0xBF) | set(lost))]
        if encoding != "macroman":
            signs.append((frozenset(altered.decode(encoding, errors="ignore")), frozenset(" ")))
        for leads, continuations in signs:
            lead, follow = leads & chars, continuations & chars
            if lead and follow:
                pattern = f"[{re.escape(''.join(sorted(lead)))}][{re.escape(''.join(follow))}]"
                if re.search(pattern, sample):
                    return True
    return False


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_the_gate_from_only_the_characters_not_ascii_is_the_search(text: str) -> None:
    beyond = frozenset(c for c in text if not c.isascii())
    assert utf8_signs(text, beyond) == _signs_by_search(text)
    assert utf8_signs(text, frozenset(text)) == _signs_by_search(text)


@given(st.text(alphabet="aéÉ.—–’“\u00e0\u00c3 x", max_size=40))
def test_single_byte_from_a_tally_is_as_from_the_text(text: str) -> None:
    from collections import Counter

    tally = Counter(c for c in text if not c.isascii())
    assert sorted(single_byte(text, frozenset(tally), tally)) == sorted(single_byte(text))


def test_ftfys_mojibake_test_is_short_and_never_matches_only_ascii() -> None:
    # what near_non_ascii relies on: a match is at most 2 * REACH + 1 characters long, and
    # holds a character that is not ASCII
    from re import _parser  # type: ignore[attr-defined]

    from ftfy.badness import BADNESS_RE

    assert _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1] <= 2 * REACH + 1
    ascii_text = "".join(map(chr, range(128))) * 3
    for i in range(128):
        assert not BADNESS_RE.search(ascii_text, i, i + 2 * REACH + 1)


_MOJIBAKE_ALPHABET = "ab Z.,?!\n\t 0" + "ÃÂâ€œ™©°×²ØÙàµ√±≈‚Äвќ\u00a0\u0085ВГРСΒΓβāŒœ¢£¥ÐÎ–—´»·šŸžЂ"


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=_MOJIBAKE_ALPHABET, max_size=8),
            st.integers(0, 30).map(lambda n: "x" * n),
        ),
        max_size=20,
    ).map("".join)
)
def test_the_stretches_around_non_ascii_are_as_bad_as_the_whole_text(text: str) -> None:
    from ftfy.badness import BADNESS_RE

    assert BADNESS_RE.findall(near_non_ascii(text)) == BADNESS_RE.findall(text)
