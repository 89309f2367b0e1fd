"""The compact token columns (``model.Tokens``) read as the tuple of tokens they stand for."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from foundation_support import P45_FILES, load_files
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.model import (
    Apparatus,
    ApparatusKind,
    Kind,
    Token,
    Tokens,
    token_apparatus,
    token_indices,
    token_norms,
    token_readings,
    token_rules,
    token_sources,
    token_texts,
)
from proofbench.pipeline import witness_from_text
from proofbench.text import tokenize
from proofbench.text.normalize import rule_changes


def _as_tuple(tokens: Tokens) -> tuple[Token, ...]:
    return tuple(tokens[i] for i in range(len(tokens)))


def test_reading_by_index_by_slice_and_by_iteration_agree() -> None:
    w = witness_from_text("A", "The quick\nbrown fox jum-\nped over a lazy dog.")
    tokens = w.tokens
    assert isinstance(tokens, Tokens)
    whole = _as_tuple(tokens)
    assert tuple(tokens) == whole
    assert tokens[-1] == whole[-1] and tokens[-len(whole)] == whole[0]
    assert tokens[1:4] == whole[1:4] and tokens[::-2] == whole[::-2]
    assert list(reversed(tokens)) == list(reversed(whole))
    assert [t.reading for t in tokens][-5] == "jumped"  # the joined word keeps its decision
    with pytest.raises(IndexError):
        tokens[len(whole)]
    with pytest.raises(IndexError):
        tokens[-len(whole) - 1]


def test_tokens_equal_the_tuple_of_their_tokens_and_hash_as_it() -> None:
    w = witness_from_text("A", "one two two three")
    whole = _as_tuple(w.tokens)  # type: ignore[arg-type]
    assert w.tokens == whole and whole == w.tokens
    assert hash(w.tokens) == hash(whole)
    assert w.tokens != whole[:-1] and w.tokens != "one two two three"
    assert dataclasses.replace(w, tokens=whole) == w


def test_tokens_survive_pickling_with_every_column() -> None:
    raw = witness_from_text("A", "Chapter 1\nalpha beta gam-\nma delta\n")
    marked = dataclasses.replace(
        raw, tokens=(), apparatus=(Apparatus(0, 9, ApparatusKind.RUNNING_HEAD, "test"),)
    )
    w = tokenize(marked)
    back = pickle.loads(pickle.dumps(w))
    assert back.tokens == w.tokens and back.text_tokens == w.text_tokens
    assert isinstance(back.tokens, Tokens)


def test_text_tokens_leave_the_apparatus_out_and_keep_their_indices() -> None:
    raw = witness_from_text("A", "Head line\nfirst word\nnext line")
    marked = dataclasses.replace(
        raw, tokens=(), apparatus=(Apparatus(0, 9, ApparatusKind.RUNNING_HEAD, "test"),)
    )
    w = tokenize(marked)
    assert [t.t for t in w.text_tokens] == ["first", "word", "next", "line"]
    assert [t.index for t in w.text_tokens] == [2, 3, 4, 5]
    assert list(w.text_tokens) == [t for t in w.tokens if t.apparatus is None]


def test_columns_of_different_lengths_are_refused() -> None:
    from array import array

    with pytest.raises(ValueError, match="different lengths"):
        Tokens(["a", "b"], ["a"], array("i", [0, 2]), array("i", [1, 3]))


@settings(deadline=None)  # the first example loads the word lists: no timing is asserted
@given(st.lists(st.sampled_from(["a", "bb", "c-", "d\n", "e.", "  ", "\n"]), max_size=40))
def test_any_text_reads_the_same_through_every_access(parts: list[str]) -> None:
    w = witness_from_text("A", "".join(parts))
    whole = tuple(w.tokens)
    assert [w.tokens[i] for i in range(len(whole))] == list(whole)
    assert all(w.text[t.start : t.end] == t.t for t in whole)


def test_column_helpers_read_what_every_token_holds_for_columns_and_for_tuples() -> None:
    raw = witness_from_text("A", "Head line\nalpha beta gam-\nma delta\n")
    marked = dataclasses.replace(
        raw, tokens=(), apparatus=(Apparatus(0, 9, ApparatusKind.RUNNING_HEAD, "test"),)
    )
    w = tokenize(marked)
    for tokens in (w.tokens, w.text_tokens):
        assert isinstance(tokens, Tokens)
        for seq in (tokens, tuple(tokens)):
            assert list(token_texts(seq)) == [t.t for t in seq]
            assert list(token_norms(seq)) == [t.n for t in seq]
            assert list(token_indices(seq)) == [t.index for t in seq]
            assert list(token_readings(seq)) == [t.reading for t in seq]
    assert list(token_indices(w.text_tokens)) == [2, 3, 4, 5]
    assert "gamma" in token_readings(w.text_tokens)


def test_rule_source_and_apparatus_columns_and_what_reads_them_without_tokens() -> None:
    w = load_files(*P45_FILES, siglum="P", kind=Kind.OCR)  # OCR sources, curly quotes' rules
    assert isinstance(w.tokens, Tokens)
    whole = tuple(w.tokens)
    for seq in (w.tokens, whole):
        assert list(token_rules(seq)) == [t.norm for t in whole]
        assert list(token_sources(seq)) == [t.source for t in whole]
        assert list(token_apparatus(seq)) == [t.apparatus for t in whole]
    assert any(token_rules(w.tokens)) and all(token_sources(w.tokens))
    assert rule_changes(w.tokens) == rule_changes(whole) and rule_changes(whole)
    values = [
        t.source.confidence
        for t in whole
        if t.apparatus is None and t.source is not None and t.source.confidence is not None
    ]
    assert values and w.mean_confidence == sum(values) / len(values)


def test_reading_at_is_each_tokens_reading() -> None:
    w = witness_from_text("W", "a com-\nmunication, then the dia-\nlogue and well-\nknown end\n")
    toks = w.tokens
    assert isinstance(toks, Tokens) and toks.hyphenations
    assert [toks.reading_at(i) for i in range(len(toks))] == [t.reading for t in toks]
    assert "communication," in [toks.reading_at(i) for i in range(len(toks))]


@settings(deadline=None)
@given(
    st.lists(st.sampled_from(["a ", "bb-\n", "c\n", "dia-\nlogue ", "e. ", "\n\n"]), max_size=30),
    st.lists(st.tuples(st.integers(0, 120), st.integers(1, 20)), max_size=4),
)
def test_text_tokens_are_the_tokens_outside_every_apparatus_span(
    parts: list[str], spans: list[tuple[int, int]]
) -> None:
    raw = witness_from_text("A", "".join(parts))
    marks = tuple(Apparatus(a, a + n, ApparatusKind.RUNNING_HEAD, "test") for a, n in spans)
    w = tokenize(dataclasses.replace(raw, tokens=(), apparatus=marks))
    kept = [t for t in w.tokens if t.apparatus is None]
    assert list(w.text_tokens) == kept
    assert [w.text_tokens.reading_at(i) for i in range(len(kept))] == [t.reading for t in kept]
