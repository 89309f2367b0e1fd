"""Tokenizer: the offset invariant on every witness of the letter, and as a property of any text."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from foundation_support import LETTER, assert_offsets

from proofbench.model import Apparatus, ApparatusKind, Kind, Source, SourceSpan, Tokens, Witness
from proofbench.pipeline import load, witness_from_text
from proofbench.text import tokenize
from proofbench.text.normalize import normalize
from proofbench.text.tokenize import words


@pytest.fixture(scope="module")
def letter() -> tuple[Witness, ...]:
    return load(LETTER)[1]


def test_letter_offsets_for_every_token(letter: tuple[Witness, ...]) -> None:
    assert [w.siglum for w in letter] == ["P45", "T05", "W15"]
    for w in letter:
        assert len(w.tokens) > 500
        for tok in w.tokens:
            assert w.text[tok.start : tok.end] == tok.t, (w.siglum, tok)
        assert_offsets(w)


def test_letter_tokens_cover_every_word(letter: tuple[Witness, ...]) -> None:
    for w in letter:
        _assert_cover(w)


def test_letter_text_tokens_exclude_apparatus(letter: tuple[Witness, ...]) -> None:
    for w in letter:
        app = [t for t in w.tokens if t.apparatus is not None]
        assert app, w.siglum
        assert len(w.text_tokens) == len(w.tokens) - len(app)
        assert all(t.apparatus is None for t in w.text_tokens)
        for tok in app:  # an apparatus token lies inside an apparatus span of its kind
            assert any(
                a.start <= tok.start < a.end and a.kind is tok.apparatus for a in w.apparatus
            ), tok


def test_letter_normal_forms(letter: tuple[Witness, ...]) -> None:
    w15 = letter[2]
    for tok in w15.tokens:
        n, rules = normalize(tok.reading)
        assert (tok.n, tok.norm) == (n, rules)
    curly = next(t for t in w15.tokens if t.t == "Stalin\u2019s")
    assert curly.n == "Stalin's" and curly.norm == ("quotes",)


def _assert_cover(w: Witness) -> None:
    """Every non-space character of the text lies in exactly one token; spaces only inside
    a line-end-hyphenated token."""
    owner = [0] * len(w.text)
    for tok in w.tokens:
        for i in range(tok.start, tok.end):
            owner[i] += 1
    for i, c in enumerate(w.text):
        if not c.isspace():
            assert owner[i] == 1, (i, c)
    for tok in w.tokens:
        if any(c.isspace() for c in tok.t):
            assert tok.hyphenation is not None, tok


def test_simple_split_and_punctuation_attached() -> None:
    w = witness_from_text("A", "said (Incidentally, L.D. would\thasten \u2014 to Lenin.")
    assert [t.t for t in w.tokens] == [
        "said", "(Incidentally,", "L.D.", "would", "hasten", "\u2014", "to", "Lenin.",
    ]  # fmt: skip
    assert_offsets(w)


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\u00a0\t"])
def test_no_words_no_tokens(text: str) -> None:
    assert witness_from_text("A", text).tokens == ()


def test_line_end_hyphen_is_one_token_across_the_break() -> None:
    w = witness_from_text("A", "by your commu-\nnication of the\nhalf-\nspoken words")
    commu = w.tokens[2]
    assert commu.t == "commu-\nnication" and commu.start == 8
    assert commu.reading == "communication" and commu.n == "communication"
    assert commu.hyphenation is not None and not commu.hyphenation.kept_hyphen
    half = w.tokens[5]
    assert half.t == "half-\nspoken" and half.reading == "half-spoken"
    assert [t.index for t in w.tokens] == list(range(len(w.tokens)))


def test_hyphen_not_at_line_end_is_left_alone() -> None:
    w = witness_from_text("A", "commu- nication and Brest-Litovsk")
    assert [t.t for t in w.tokens] == ["commu-", "nication", "and", "Brest-Litovsk"]
    assert all(t.hyphenation is None for t in w.tokens)


def test_hyphen_at_end_of_text_is_left_alone() -> None:
    w = witness_from_text("A", "the last word is commu-\n")
    assert w.tokens[-1].t == "commu-" and w.tokens[-1].hyphenation is None


def test_kind_and_profile_pass_through() -> None:
    w = witness_from_text("B", "The LENIN", kind=Kind.OCR, profile_name="caseless")
    assert w.kind is Kind.OCR and [t.n for t in w.tokens] == ["the", "lenin"]


def test_unknown_profile_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown normalization profile"):
        witness_from_text("A", "x", profile_name="nope")


def test_apparatus_span_marks_its_tokens() -> None:
    raw = witness_from_text("A", "FOURTH INTERNATIONAL\nThe text goes on-\nward")
    head = Apparatus(0, 20, ApparatusKind.RUNNING_HEAD, "test")
    w = tokenize(dataclasses.replace(raw, tokens=(), apparatus=(head,)))
    assert [t.apparatus for t in w.tokens[:2]] == [ApparatusKind.RUNNING_HEAD] * 2
    assert [t.t for t in w.text_tokens] == ["The", "text", "goes", "on-\nward"]


def test_nested_apparatus_innermost_wins_and_outer_resumes() -> None:
    raw = witness_from_text("A", "one two 17 three four")
    outer = Apparatus(0, 21, ApparatusKind.RUNNING_HEAD, "test")
    inner = Apparatus(8, 10, ApparatusKind.PAGE_NUMBER, "test")
    w = tokenize(dataclasses.replace(raw, tokens=(), apparatus=(inner, outer)))
    head, number = ApparatusKind.RUNNING_HEAD, ApparatusKind.PAGE_NUMBER
    assert [t.apparatus for t in w.tokens] == [head, head, number, head, head]


def test_sources_follow_their_spans_and_gaps_have_none() -> None:
    raw = witness_from_text("A", "alpha beta\ngamma delta\nepsilon")
    first, second = Source("f", line=1), Source("f", line=2)
    # The second span starts inside the first: the first holds only up to where it starts.
    spans = (SourceSpan(0, 17, first), SourceSpan(11, 16, second))
    w = tokenize(dataclasses.replace(raw, tokens=(), spans=spans))
    assert [t.source for t in w.tokens] == [first, first, second, None, None]


@settings(deadline=None)
@given(
    st.lists(st.sampled_from(["ab", "c", "de f", " ", "g h i j"]), min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=80),
)
def test_each_word_gets_the_last_span_starting_at_or_before_it_that_holds_it(
    parts: list[str], cuts: list[tuple[int, int]]
) -> None:
    # Spans in order of their start, some with equal starts, gaps and overlaps: however many
    # (one per word or a few for many words, the two ways words are placed), a word gets the
    # source of the last span starting at or before it, held up to where the next one starts.
    raw = witness_from_text("A", " ".join(parts))
    spans = tuple(
        SourceSpan(a, a + n, Source("f", line=i)) for i, (a, n) in enumerate(sorted(cuts))
    )
    w = tokenize(dataclasses.replace(raw, tokens=(), spans=spans))
    for tok in w.tokens:
        held = [
            k
            for k, sp in enumerate(spans)
            if sp.start <= tok.start
            and tok.start < min([sp.end] + [o.start for o in spans[k + 1 :]])
        ]
        assert tok.source == (spans[held[-1]].source if held else None), tok


def test_a_witness_tokens_are_columns_with_shared_forms() -> None:
    # A book's tokens are columns: one string per written form, offsets in 4-byte arrays.
    w = witness_from_text("A", "word other " * 2000)
    tokens = w.tokens
    assert isinstance(tokens, Tokens)
    assert tokens.starts.itemsize == 4 and tokens.ends.itemsize == 4
    assert tokens.ts[0] is tokens.ts[2] and tokens.ns[1] is tokens.ns[3]
    assert [t.index for t in tokens] == list(range(4000))
    assert all(w.text[t.start : t.end] == t.t for t in tokens)


# Text made of words, punctuation, spaces of every kind, line ends, hyphens at line ends,
# curly quotes and dashes: what the tokenizer meets in witnesses.
_PIECES = st.sampled_from(
    [
        "a", "the", "Lenin", "commu", "nication", "half", "spoken", "L.D.", "(In", "it,",
        "\u201cword\u201d", "\u2019s", "\u2014", "--", "-", "\u00ad", "ﬁ", "\u017f",
        " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\u00a0", "\u2009", "-\n", "-\n\n", "\u00ad\n",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.lists(_PIECES, max_size=60).map("".join),
    st.text(max_size=80),
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_property_offsets_round_trip(text: str) -> None:
    w = witness_from_text("A", text)
    prev_end = 0
    for i, tok in enumerate(w.tokens):
        assert text[tok.start : tok.end] == tok.t
        assert tok.index == i
        assert prev_end <= tok.start < tok.end
        assert not tok.t[0].isspace() and not tok.t[-1].isspace()
        assert tok.n == normalize(tok.reading)[0]
        prev_end = tok.end
    _assert_cover(w)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_property_without_hyphens_tokens_are_the_words(text: str) -> None:
    w = witness_from_text("A", text)
    joined = [t for t in w.tokens if t.hyphenation is not None]
    pieces = [t.t for t in w.tokens if t.hyphenation is None]
    # An unspaced dash ends a word (``Speak.--I``: test_unspaced_dash_separates_words).
    assume(not re.search(r"--|[\u2014\u2015]", text))
    assert len(pieces) + 2 * len(joined) == len(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Speak.--I know", ["Speak.--", "I", "know"]),
        ("the war\u2014and peace", ["the", "war\u2014", "and", "peace"]),
        ("parent-species", ["parent-species"]),
        ("a --I b", ["a", "--I", "b"]),
        ("no dash here", ["no", "dash", "here"]),
    ],
)
def test_unspaced_dash_separates_words(text: str, expected: list[str]) -> None:
    assert [t.t for t in witness_from_text("A", text).tokens] == expected


_DASHED = st.lists(
    st.sampled_from(["ab", "c.", "-", "--", "\u2014", "\u2015", " ", "\t"]), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(_DASHED.map("".join))
def test_property_dashed_tokens_are_the_words_of_the_dashed_pattern(text: str) -> None:
    # No line breaks, so no hyphen joins: the tokens are the words ``words`` finds, each
    # where the pattern finds it (the tokenizer splits at spaces first, then each dashed form).
    w = witness_from_text("A", text)
    assert [(t.start, t.end) for t in w.tokens] == list(words(text))
