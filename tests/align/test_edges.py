"""Edge cases of align(), written out."""

from __future__ import annotations

import json

import pytest

from proofbench.align import align, alignment_to_json, pairwise
from proofbench.errors import InputError
from proofbench.model import ApparatusKind, ColumnKind

from .helpers import check_tiling, variants, wit


def test_no_witnesses() -> None:
    alignment = align([])
    assert alignment.sigla == ()
    assert alignment.columns == ()


def test_one_witness_is_one_equal_segment() -> None:
    w = wit("A", "one two three")
    alignment = align([w])
    assert [c.kind for c in alignment.columns] == [ColumnKind.EQUAL]
    assert alignment.columns[0].readings == {"A": (0, 1, 2)}


def test_empty_witnesses() -> None:
    a, b = wit("A", ""), wit("B", "")
    assert align([a, b]).columns == ()


def test_empty_against_text_is_one_omission() -> None:
    a, b = wit("A", ""), wit("B", "some words here")
    alignment = align([a, b])
    assert variants(alignment, [a, b]) == [{"A": "", "B": "some words here"}]
    check_tiling(alignment, [a, b])


def test_identical() -> None:
    text = "It was the best of times, it was the worst of times."
    a, b = wit("A", text), wit("B", text)
    alignment = align([a, b])
    assert len(alignment.columns) == 1
    assert alignment.columns[0].kind is ColumnKind.EQUAL


def test_completely_different_is_one_replacement() -> None:
    a, b = wit("A", "alpha beta gamma"), wit("B", "xyz qqq")
    alignment = align([a, b])
    assert variants(alignment, [a, b]) == [{"A": "alpha beta gamma", "B": "xyz qqq"}]


def test_duplicate_sigla_refused() -> None:
    with pytest.raises(InputError):
        align([wit("A", "x"), wit("A", "y")])


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Revolution, amid the fires", "Revolution, arnid the fires", ("amid", "arnid")),
        ("delegates was 51, but", "delegates was 5l, but", ("51,", "5l,")),
        ("love of LL.D. which", "love of L.D. which", ("LL.D.", "L.D.")),
        ("said (Incidentally, he", "said Uncidentally he", ("(Incidentally,", "Uncidentally")),
        ("with M.I. Ulianova", "with M. I. Ulianova", ("M.I.", "M. I.")),
        (
            "as the Brest-Litovsk talks",
            "as the Brest Litovsk talks",
            ("Brest-Litovsk", "Brest Litovsk"),
        ),
    ],
)
def test_near_matches_make_one_column(left: str, right: str, expected: tuple[str, str]) -> None:
    a, b = wit("A", left), wit("B", right)
    assert variants(align([a, b]), [a, b]) == [{"A": expected[0], "B": expected[1]}]


def test_near_match_inside_a_longer_gap() -> None:
    a = wit("A", "the huge and jammed hall was full of people today")
    b = wit("B", "the huge and crammed ball was full of people today")
    assert variants(align([a, b]), [a, b]) == [
        {"A": "jammed", "B": "crammed"},
        {"A": "hall", "B": "ball"},
    ]


def test_dittography_is_one_addition() -> None:
    a, b = wit("A", "in the storms and stresses"), wit("B", "in the the storms and stresses")
    assert variants(align([a, b]), [a, b]) == [{"A": "", "B": "the"}]


def test_eye_skip_is_one_omission_between_the_repeats() -> None:
    a = wit(
        "A",
        "decided jointly by Lenin and Trotsky. Those were the burning days, when every minute "
        "counted and could not be lost. More than once Lenin and Trotsky would exchange notes",
    )
    b = wit("B", "decided jointly by Lenin and Trotsky would exchange notes")
    found = variants(align([a, b]), [a, b])
    assert len(found) == 1
    assert found[0]["B"] == ""
    assert len(found[0]["A"].split()) == 20
    assert "Those were the burning days" in found[0]["A"]


def test_word_transposition() -> None:
    a = wit("A", "catching what each other meant at once")
    b = wit("B", "catching what other each meant at once")
    alignment = align([a, b])
    assert len(alignment.transpositions) == 1
    tr = alignment.transpositions[0]
    assert tr.sigla in (("A",), ("B",))
    assert all(len(place) == 1 for place in tr.columns)
    for place in tr.columns:
        column = alignment.columns[place[0]]
        assert column.transposition == tr.id
        assert column.kind is ColumnKind.VARIANT
    check_tiling(alignment, [a, b])


def test_moved_sentence_is_a_transposition() -> None:
    first = "The cat sat on the mat and looked at the door for a long while."
    second = "Nobody came through it that evening, nor the next morning."
    third = "In the end the old woman opened the window and let the cold air in."
    a = wit("A", f"{first} {second} {third}")
    b = wit("B", f"{second} {third} {first}")
    alignment = align([a, b])
    assert len(alignment.transpositions) == 1
    moved = alignment.transpositions[0]
    place = [alignment.columns[c] for c in moved.columns[0]]
    assert sum(len(c.readings["A"]) for c in place) == len(first.split())
    check_tiling(alignment, [a, b])


def test_fifty_witnesses() -> None:
    base = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    witnesses = []
    for k in range(50):
        words = list(base)
        words[k % 10] = words[k % 10] + "x" * (k // 10)
        witnesses.append(wit(f"W{k:02d}", " ".join(words)))
    alignment = align(witnesses)
    check_tiling(alignment, witnesses)
    # Every token stands in the column of its position: ten columns or segments of them.
    for c in alignment.columns:
        lengths = {len(r) for r in c.readings.values()}
        assert len(lengths) == 1
    assert sum(len(c.readings["W00"]) for c in alignment.columns) == 10


def test_apparatus_tokens_are_not_aligned() -> None:
    from dataclasses import replace

    a = wit("A", "Page 12 the text goes on")
    b = wit("B", "the text goes on")
    tokens = tuple(
        t._replace(apparatus=ApparatusKind.PAGE_NUMBER) if t.index < 2 else t for t in a.tokens
    )
    a = replace(a, tokens=tokens)
    alignment = align([a, b])
    assert len(alignment.columns) == 1
    assert alignment.columns[0].readings["A"] == (2, 3, 4, 5)


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    align(
        [wit("A", "a b"), wit("B", "a c"), wit("C", "a b")],
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_json_is_deterministic_and_located() -> None:
    a, b = wit("A", "love of L.D. which"), wit("B", "love of L,D. which")
    data = alignment_to_json(align([a, b]), [a, b])
    again = alignment_to_json(align([a, b]), [a, b])
    assert json.dumps(data) == json.dumps(again)
    assert [w["siglum"] for w in data["witnesses"]] == ["A", "B"]
    variant = next(c for c in data["columns"] if c["kind"] == "variant")
    assert variant["readings"]["A"]["text"] == "L.D."
    r = variant["readings"]["B"]
    assert b.text[r["start"] : r["end"]] == "L,D."


def test_pairwise_view() -> None:
    a = wit("A", "the cat sat on the mat")
    b = wit("B", "the cat sat upon the mat")
    c = wit("C", "the dog sat on the mat")
    alignment = align([a, b, c])
    ops = pairwise(alignment, [a, b, c], "A", "C")
    kinds = [op.kind for op in ops]
    assert "replace" in kinds
    # A and C agree on "on" although B differs: equal in their pairwise view.
    on = [op for op in ops if op.a and a.tokens[op.a[0]].t == "on"]
    assert on and on[0].kind == "equal"
    assert [i for op in ops for i in op.a] == [t.index for t in a.text_tokens]
    assert [i for op in ops for i in op.b] == [t.index for t in c.text_tokens]


def test_moved_paragraph_with_other_variants_inside() -> None:
    para = (
        "Every one of the travellers had been asked to wait at the gate until the coach was ready, "
        "and every one of them had waited there through the long grey morning without complaint"
    )
    middle = " ".join(f"word{i}" for i in range(60))
    noisy = para.replace("travellers", "trave1lers").replace("grey", "gray").replace(" long", "")
    a = wit("A", f"{para} {middle} end")
    b = wit("B", f"{noisy} {middle} end")
    c = wit("C", f"{middle} {para} end")
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    assert len(alignment.transpositions) == 1
    tr = alignment.transpositions[0]
    moved = {i for col in tr.columns[0] for i in alignment.columns[col].readings["C"]}
    assert len(moved) == len(para.split())


def test_short_words_swapped_with_their_neighbour() -> None:
    a = wit("A", "he saw the tall man; who stood there")
    b = wit("B", "he saw the man; tall who stood there")
    assert len(align([a, b]).transpositions) == 1
    # Moved further than its neighbour, a short word is a move only if the collation reads
    # it nowhere else: here it is, so a dropped and an added ``man;`` are the likelier story.
    seen = wit("A", "the man; saw the tall man; who stood there")
    far = wit("C", "the man; saw the tall who stood there man;")
    assert align([seen, far]).transpositions == ()


def test_short_word_read_nowhere_else_moves_further() -> None:
    a = wit("A", "he saw the tall man; who stood there")
    far = wit("C", "he saw the tall who stood there man;")
    assert len(align([a, far]).transpositions) == 1
    # CollateX's own cases: a one-letter token moved over one or two others.
    for x, y in (("a b", "b a"), ("a b c", "b c a"), ("X a b", "a b X")):
        assert len(align([wit("A", x), wit("B", y)]).transpositions) == 1, (x, y)
    # The same word read a third time: an omission and an addition, no move.
    assert align([wit("A", "a b c a"), wit("B", "b c a a")]).transpositions == ()


def test_pairwise_view_of_a_transposition_keeps_each_token_once() -> None:
    a = wit("A", "catching what each other meant at once")
    b = wit("B", "catching what other each meant at once")
    alignment = align([a, b])
    ops = pairwise(alignment, [a, b], "A", "B")
    assert [i for op in ops for i in op.a] == [t.index for t in a.text_tokens]
    assert [i for op in ops for i in op.b] == [t.index for t in b.text_tokens]
    assert "transposed" in {op.kind for op in ops}


def test_json_places_an_omission_where_it_would_stand() -> None:
    a = wit("A", "greatest hardships and gravest risks")
    b = wit("B", "greatest hardships and risks")
    data = alignment_to_json(align([a, b]), [a, b])
    omission = next(c for c in data["columns"] if c["kind"] == "variant")
    assert omission["readings"]["A"]["text"] == "gravest"
    r = omission["readings"]["B"]
    assert r["tokens"] == [] and r["text"] == ""
    assert r["start"] == r["end"] == len("greatest hardships and")


@pytest.mark.parametrize(
    ("long", "short", "gap"),
    [
        ("the red cat and the black cat", "the black cat", "the red cat and"),
        (
            "he said that the man came, and the man went",
            "he said that the man went",
            "the man came, and",
        ),
        ("a b c d ! K ! q r s", "a b c d ! q r s", "! K"),
    ],
)
def test_gap_along_a_repeat_stands_at_its_leftmost_place(long: str, short: str, gap: str) -> None:
    for texts in ((long, short), (short, long), (long, short, long)):
        witnesses = [wit(chr(65 + k), t) for k, t in enumerate(texts)]
        found = variants(align(witnesses), witnesses)
        assert [v for v in found if gap in v.values()], (texts, found)


def test_gap_along_a_repeat_keeps_the_agreements_of_the_graph() -> None:
    """``in the the storms``: the later witness's ``the`` joins the node both others read."""
    a = wit("A", "which took its origin in the the storms of the revolution")
    b = wit("B", "which took its origin in the storms of the revolution")
    c = wit("C", "which took its origin, in the storms of the revolution")
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    the_b = next(t.index for t in b.tokens if t.t == "the")
    the_c = next(t.index for t in c.tokens if t.t == "the")
    (column,) = [col for col in alignment.columns if the_b in col.readings["B"]]
    assert the_c in column.readings["C"]


def test_moved_word_paired_with_the_end_of_a_longer_run() -> None:
    # B's "white and" stands before the black all three read, A's "and white" after it, and C's
    # "black and black" splits A's and B's runs: each word is paired with one end of a run.
    ws = [
        wit("A", "the black and white cat"),
        wit("B", "the white and black cat"),
        wit("C", "the black and black cat"),
    ]
    alignment = align(ws)
    check_tiling(alignment, ws)
    assert len(alignment.transpositions) == 2


def test_end_of_a_run_is_no_move_when_its_rest_stays_an_addition() -> None:
    # "tall old" there and "tall" here: "old" is paired with nothing, so the "tall" beside it
    # is no more likely moved than dropped and added (``not having``/``having`` in Darwin).
    a = wit("A", "he saw the tall man who stood there")
    b = wit("B", "he saw the man who stood there tall old")
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    assert alignment.transpositions == ()
