"""A moved phrase one of whose words the other witnesses read once at its old place (a chance
agreement there) is still found moved, when the move shows more agreements than it takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.align import align

from .helpers import check_tiling, reading, wit

HEAD = "start of the text. they say that all the boats of the harbour were built from the"
OLD = "old grey oak (Quercus robur) and having sailed them for years, I agree with them."
NEW = (
    "having owned all the boats of the oak and having sailed them for years, it seems to us "
    "almost certain that all were made out of the old grey oak, Quercus robur; and so forth."
)
TAIL = "four five six seven eight end"


def test_a_chance_agreement_inside_a_moved_phrase_is_traded_for_the_move() -> None:
    # B reads the phrase later; its one ``oak`` at the old place pairs A's, alone, by chance
    a = wit("A", f"{HEAD} {OLD} {TAIL}")
    b = wit("B", f"start of the text. {NEW} {TAIL}")
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    assert len(alignment.transpositions) == 1
    (moved,) = alignment.transpositions
    pairs = [
        (reading(a, col.readings["A"]), reading(b, col.readings["B"]))
        for col in (alignment.columns[c] for c in moved.columns[0])
    ]
    # the chance ``oak`` is the move's now, and the move shows the phrase's longer agreement
    assert " ".join(x for x, _ in pairs) == "old grey oak (Quercus robur)"
    assert " ".join(y for _, y in pairs) == "old grey oak, Quercus robur;"
    assert ("old grey", "old grey") in pairs
    # B's ``oak`` read at the old place stands as B's own word, beside the move
    shown = [
        (reading(a, col.readings["A"]), reading(b, col.readings["B"]))
        for col in alignment.columns
        if col.transposition is None
    ]
    assert ("", "oak") in shown


def test_a_chance_agreement_is_kept_where_the_move_would_show_no_more() -> None:
    # The phrase's other reading matches by its keys, as a move must, but only one of its
    # forms is the same (case and punctuation): a move would show one agreement for the one
    # it takes
    new = NEW.replace("old grey oak, Quercus robur;", "old Grey Oak, Quercus Robur;")
    a = wit("A", f"{HEAD} {OLD} {TAIL}")
    b = wit("B", f"start of the text. {new} {TAIL}")
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    assert alignment.transpositions == ()
    shown = [
        (reading(a, col.readings["A"]), reading(b, col.readings["B"])) for col in alignment.columns
    ]
    assert ("oak", "oak") in shown  # the agreement stays


DARWIN = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "darwin-origin-ch1"


@pytest.mark.skipif(not DARWIN.is_dir(), reason="../shared/corpora is absent (a bare clone)")
def test_the_others_part_of_a_traded_agreement_is_aligned_where_it_now_stands() -> None:
    # Chapter 1 of the Origin, six editions: the three 1859-1861 read a sentence whose one
    # word is read by 1869 and 1872 once earlier, by chance; 1866 reads the sentence and,
    # after it, the clause 1869 and 1872 moved before it. Once the chance agreement is traded
    # for the move, the two later editions' part of it stands after the sentence, where 1866
    # reads the clause: there it agrees with 1866's word of the same form, in one column.
    years = ("1859", "1860", "1861", "1866", "1869", "1872")
    texts = {y: (DARWIN / "txt" / f"darwin{y}.txt").read_text("utf-8") for y in years}
    ws = [wit(f"E{y}", texts[y]) for y in years]
    alignment = align(ws)
    check_tiling(alignment, ws)
    by = {w.siglum: w for w in ws}
    traded = [
        c
        for c in alignment.columns
        if c.transposition is None
        and not c.readings.get("E1859")
        and {s: reading(by[s], c.readings.get(s, ())) for s in ("E1866", "E1869", "E1872")}
        == dict.fromkeys(("E1866", "E1869", "E1872"), "the")
    ]
    # 1866's own clause around it (read before and after it in 1866 alone)
    assert any(
        reading(by["E1866"], alignment.columns[k - 1].readings.get("E1866", ())).endswith("all")
        and not alignment.columns[k - 1].readings.get("E1869")
        for k in (alignment.columns.index(c) for c in traded)
    )


_WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "the",
    "a",
    "of",
    "and",
    "in",
    "to",
]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_token_stands_once_and_equal_columns_agree_where_phrases_move(data) -> None:
    # Two witnesses read a phrase in place; two others read one of its words early, by chance,
    # and the phrase later; one of the first two reads, after the phrase, a clause holding that
    # word again: the shape in which an agreement is traded and its word then placed
    def words(lo: int, hi: int) -> list[str]:
        return data.draw(st.lists(st.sampled_from(_WORDS), min_size=lo, max_size=hi))

    head, tail, pre, phrase = words(3, 10), words(3, 6), words(2, 5), words(4, 8)
    word = data.draw(st.sampled_from(phrase))
    clause = words(3, 6)
    k = data.draw(st.integers(0, len(clause)))
    texts = {
        "A": head + pre + phrase + tail,
        "B": head + pre + phrase + clause[:k] + [word] + clause[k:] + words(0, 3) + tail,
        "C": head + clause[:k] + [word] + words(0, 2) + clause[k:] + words(2, 5) + phrase + tail,
    }
    texts["D"] = texts["C"]
    ws = [wit(s, " ".join(t)) for s, t in texts.items()]
    alignment = align(ws)
    check_tiling(alignment, ws)
    by = {w.siglum: w for w in ws}
    for col in alignment.columns:
        if col.kind.value == "equal":
            forms = {tuple(by[s].tokens[i].n for i in r) for s, r in col.readings.items() if r}
            assert len(forms) == 1
