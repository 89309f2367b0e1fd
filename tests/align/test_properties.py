"""Hypothesis properties of align(): self-alignment, tiling, order independence, edit recovery."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from proofbench.align import align, alignment_to_json, pairwise
from proofbench.model import ColumnKind

from .helpers import check_tiling, variant_set, variants, wit

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.sampled_from(["the", "a", "cat", "sat", "on", "mat", "dog", "ran", "and", "of", "hat"])
TEXTS = st.lists(WORDS, max_size=40).map(" ".join)


@SETTINGS
@given(TEXTS)
def test_self_alignment_has_no_variants(text: str) -> None:
    a, b = wit("A", text), wit("B", text)
    alignment = align([a, b])
    assert all(c.kind is ColumnKind.EQUAL for c in alignment.columns)
    assert alignment.transpositions == ()


@SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_every_token_once_and_in_order(texts: list[str]) -> None:
    witnesses = [wit(f"W{k}", t) for k, t in enumerate(texts)]
    check_tiling(align(witnesses), witnesses)


def edited(base: list[str], edits: list[tuple[int, int, str]]) -> str:
    """``base`` with each edit applied: 0 swaps a word with the next, 1 drops it, 2 adds one."""
    words = list(base)
    for kind, at, word in edits:
        if not words:
            break
        k = at % len(words)
        if kind == 0 and k + 1 < len(words):
            words[k], words[k + 1] = words[k + 1], words[k]
        elif kind == 1:
            del words[k]
        elif kind == 2:
            words.insert(k, word)
    return " ".join(words)


RELATED = st.tuples(
    st.lists(WORDS, min_size=1, max_size=30),
    st.lists(
        st.lists(st.tuples(st.integers(0, 2), st.integers(0, 99), WORDS), max_size=3),
        min_size=3,
        max_size=6,
    ),
)


@SETTINGS
@given(RELATED)
def test_every_token_once_and_in_order_among_related_witnesses(
    related: tuple[list[str], list[list[tuple[int, int, str]]]],
) -> None:
    """Up to six witnesses of one text, each with a few swaps, drops and additions: the
    splits of moved words and the joins of touching nodes (``split.py``) keep the tiling."""
    base, scripts = related
    witnesses = [wit(f"W{k}", edited(base, script)) for k, script in enumerate(scripts)]
    check_tiling(align(witnesses), witnesses)


@SETTINGS
@given(st.lists(TEXTS, min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_order_of_witnesses_does_not_matter(texts: list[str], rnd: object) -> None:
    witnesses = [wit(f"W{k}", t) for k, t in enumerate(texts)]
    shuffled = list(witnesses)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert variant_set(align(witnesses), witnesses) == variant_set(align(shuffled), shuffled)


@SETTINGS
@given(TEXTS)
def test_deterministic_json(text: str) -> None:
    a, b = wit("A", text), wit("B", " ".join(reversed(text.split())))
    first = alignment_to_json(align([a, b]), [a, b])
    assert first == alignment_to_json(align([a, b]), [a, b])


EDITS = st.lists(
    st.tuples(st.sampled_from(["sub", "del", "ins"]), st.integers(0, 10_000)), max_size=8
)


@SETTINGS
@given(st.integers(1, 60), EDITS)
def test_edit_script_recovered(size: int, script: list[tuple[str, int]]) -> None:
    base = [f"w{i}" for i in range(size)]
    edited: list[str | None] = list(base)  # None: deleted
    inserted: dict[int, list[str]] = {}
    changed: set[int] = set()
    for k, (op, pos) in enumerate(script):
        i = pos % size
        if op == "sub" and edited[i] is not None:
            edited[i] = f"QZ{k}"
            changed.add(i)
        elif op == "del":
            edited[i] = None
            changed.add(i)
        elif op == "ins":
            inserted.setdefault(i, []).append(f"QZ{k}")
    words: list[str] = []
    for i, w in enumerate(edited):
        words.extend(inserted.get(i, []))
        if w is not None:
            words.append(w)
    a, b = wit("A", " ".join(base)), wit("B", " ".join(words))
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    # Every edited base word, and every new word, stands in a variant column; nothing else does.
    varied_a = {
        i for c in alignment.columns if c.kind is ColumnKind.VARIANT for i in c.readings["A"]
    }
    varied_b = {
        b.tokens[i].t
        for c in alignment.columns
        if c.kind is ColumnKind.VARIANT
        for i in c.readings["B"]
    }
    assert varied_a == changed
    assert varied_b == {w for w in words if w.startswith("QZ")}
    # Oracle: the alignment is a longest common subsequence (rapidfuzz's Indel distance).
    cost = sum(
        len(c.readings["A"]) + len(c.readings["B"])
        for c in alignment.columns
        if c.kind is ColumnKind.VARIANT
        and [a.tokens[i].n for i in c.readings["A"]] != [b.tokens[i].n for i in c.readings["B"]]
    )
    assert cost == Indel.distance(base, words)
    assert alignment.transpositions == ()
    assert len(variants(alignment, [a, b])) <= len(script)


APART = st.sampled_from(["the", "a", "dog", "ran", "and", "of", "cat", "sun", "is", "red"])
"""Words no two of which are a near match (key similarity below ``vocab.NEAR``), nor two joined
one: between two witnesses of them, only equal forms can be paired."""


@SETTINGS
@given(st.lists(APART, max_size=40), st.lists(APART, max_size=40))
def test_two_witnesses_leave_no_equal_word_inside_a_replacement(x: list[str], y: list[str]) -> None:
    """Between two agreements (or a move) of two witnesses, no form is read on both sides:
    each equal word that can be paired without crossing an agreement is paired, so a rewrite
    of one witness against the other keeps the words they share as agreements. (Where words
    are near, a near match may outweigh an equal pair: ``a dog``/``ca do g a``.)"""
    a, b = wit("A", " ".join(x)), wit("B", " ".join(y))
    alignment = align([a, b])
    here: set[str] = set()
    there: set[str] = set()
    for op in (*pairwise(alignment, [a, b], "A", "B"), None):
        if op is not None and op.kind not in ("equal", "transposed"):
            here.update(a.tokens[i].n for i in op.a)
            there.update(b.tokens[j].n for j in op.b)
            continue
        assert not here & there, (here, there)
        here, there = set(), set()
