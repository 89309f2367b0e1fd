"""classify() on hand-built alignments: grouping, classes, locations, ids, weighing."""

from __future__ import annotations

from proofbench.classify import classify
from proofbench.model import Kind, Variant, VariantClass

from .helpers import columns, diagonal, manifest, wit, with_confidence


def one(variants: tuple[Variant, ...]) -> Variant:
    assert len(variants) == 1, variants
    return variants[0]


def test_identical_witnesses_have_no_variants() -> None:
    ws = [wit("A", "the same words here"), wit("B", "the same words here")]
    variants, _ = classify(manifest(ws), ws, diagonal(ws))
    assert variants == ()


def test_no_witnesses_in_the_alignment() -> None:
    ws = [wit("A", "text")]
    assert classify(manifest(ws), ws, columns([])) == ((), ())


def test_eye_skip_is_one_omission() -> None:
    a = wit("A", "by Lenin and Trotsky. Those were the days. More than once Lenin and Trotsky met")
    b = wit("B", "by Lenin and Trotsky met")
    # A's tokens 0-2 equal B's 0-2; A 3..12 absent from B; A 13..14 equal B 3..4.
    spec = [{"A": (i,), "B": (i,)} for i in range(3)]
    spec += [{"A": (i,)} for i in range(3, 13)]
    spec += [{"A": (13,), "B": (3,)}, {"A": (14,), "B": (4,)}]
    ws = [a, b]
    v = one(classify(manifest(ws, "A"), ws, columns(ws, *spec))[0])
    # two plain transcriptions and no other evidence: which side erred is open, so the class
    # is the omission or the addition of the one passage, never a run of small variants
    assert v.cls in (VariantClass.OMISSION, VariantClass.ADDITION)
    assert v.readings["B"] == ""
    assert v.readings["A"].startswith("Trotsky. Those") and v.readings["A"].endswith("Lenin and")
    # The absent reading stands where it would be: just after B's "and".
    loc = v.locations["B"]
    assert loc.start == loc.end == b.text.index("and") + 3
    assert b.text[: loc.start].endswith("Lenin and")


def test_spacing_of_initials_is_one_variant() -> None:
    a = wit("A", "with M.I. Ulianova")
    b = wit("B", "with M. I. Ulianova")
    ws = [a, b]
    spec = [
        {"A": (0,), "B": (0,)},
        {"A": (1,), "B": (1,)},
        {"B": (2,)},
        {"A": (2,), "B": (3,)},
    ]
    v = one(classify(manifest(ws, "A"), ws, columns(ws, *spec))[0])
    assert v.cls is VariantClass.SPACING
    assert v.readings == {"A": "M.I.", "B": "M. I."}
    assert a.text[v.locations["A"].start : v.locations["A"].end] == "M.I."
    assert b.text[v.locations["B"].start : v.locations["B"].end] == "M. I."


def test_an_equal_column_separates_neighbours() -> None:
    ws = [wit("A", "a red hat and blue coat"), wit("B", "a rod hat and bleu coat")]
    variants, _ = classify(manifest(ws), ws, diagonal(ws))
    assert [dict(v.readings) for v in variants] == [
        {"A": "red", "B": "rod"},
        {"A": "blue", "B": "bleu"},
    ]


def test_adjacent_unrelated_slips_stay_apart() -> None:
    ws = [
        wit("A", "the huge hall was full"),
        wit("B", "the hugs hall was full"),
        wit("C", "the huge hail was full"),
    ]
    variants, _ = classify(manifest(ws), ws, diagonal(ws))
    assert len(variants) == 2


def test_ids_are_stable_and_distinct() -> None:
    ws = [wit("A", "a red hat and blue coat"), wit("B", "a rod hat and bleu coat")]
    first, _ = classify(manifest(ws), ws, diagonal(ws))
    again, _ = classify(manifest(ws), ws, diagonal(ws))
    assert [v.id for v in first] == [v.id for v in again]
    assert len({v.id for v in first}) == 2
    assert all(v.id.startswith("v-") and len(v.id) == 12 for v in first)
    other = [wit("A", "a red hat and blue cape"), wit("B", "a rod hat and bleu cape")]
    changed, _ = classify(manifest(other), other, diagonal(other))
    assert changed[0].id != first[0].id  # the context is part of the id


def test_context_is_the_targets_words_around() -> None:
    ws = [
        wit("A", "one two three four five six seven"),
        wit("B", "one two three FOUR five six seven"),
    ]
    v = one(classify(manifest(ws, "B"), ws, diagonal(ws))[0])
    assert v.context == ("one two three", "five six seven")


def test_typographic_only_differences_are_not_reported() -> None:
    ws = [
        wit("A", "Stalin\u2019s hired assassin \u2014 and"),
        wit("B", "Stalin's hired assassin -- and"),
    ]
    assert classify(manifest(ws), ws, diagonal(ws))[0] == ()


def test_genealogy_counts_a_copy_once() -> None:
    """Two copies of one slip against an independent good reading: the copy adds little."""
    src = with_confidence(wit("P", "the crowded dining hall."), 95.0)
    t = wit("T", "the crowded dining hsll.", derives_from="P")
    w = wit("W", "the crowded dining hsll.", kind=Kind.PROOFREAD, derives_from="T")
    ws = [src, t, w]
    v = one(classify(manifest(ws, "W"), ws, diagonal(ws))[0])
    assert v.suggestion == "hall."
    assert v.suspect == ("T", "W")
    assert any("counts once" in e for e in v.evidence)
    assert v.cls is VariantClass.OCR_CONFUSION


def test_low_confidence_ocr_loses_to_the_transcriptions() -> None:
    src = with_confidence(wit("P", "the vour letter came"), 40.0)
    t = wit("T", "the your letter came", derives_from="P")
    w = wit("W", "the your letter came", kind=Kind.PROOFREAD, derives_from="T")
    ws = [src, t, w]
    v = one(classify(manifest(ws, "W"), ws, diagonal(ws))[0])
    assert v.suggestion == "your"
    assert v.suspect == ("P",)
    assert v.cls is VariantClass.OCR_CONFUSION


def test_a_correction_by_the_proofreader_is_kept() -> None:
    src = with_confidence(wit("P", "cabbage soup and kasha in"), 96.0)
    t = wit("T", "cabbage soup and kasba in", derives_from="P")
    w = wit("W", "cabbage soup and kasha in", kind=Kind.PROOFREAD, derives_from="T")
    ws = [src, t, w]
    v = one(classify(manifest(ws, "W"), ws, diagonal(ws))[0])
    assert v.suggestion == "kasha"
    assert v.suspect == ("T",)
    assert 0.5 < v.confidence <= 1.0


def test_editorial_insertion_keeps_the_targets_reading() -> None:
    a = wit("A", "the August issues")
    b = wit("B", "the August [and September] issues", derives_from="A")
    ws = [a, b]
    spec: list[dict[str, tuple[int, ...]]] = [
        {"A": (0,), "B": (0,)},
        {"A": (1,), "B": (1,)},
        {"B": (2, 3)},
        {"A": (2,), "B": (4,)},
    ]
    v = one(classify(manifest(ws, "B"), ws, columns(ws, *spec))[0])
    assert v.cls is VariantClass.EDITORIAL
    assert v.suggestion == "[and September]"
    assert v.suspect == ()
    assert VariantClass.ADDITION in v.classes


def test_flags_of_every_witness_come_with_the_target_first() -> None:
    ws = [wit("A", "in the the storms"), wit("B", "in the storms Written:July")]
    spec = [{"A": (0,), "B": (0,)}, {"A": (1,), "B": (1,)}, {"A": (2,)}, {"A": (3,), "B": (2,)},
            {"B": (3,)}]  # fmt: skip
    _, flags = classify(manifest(ws, "B"), ws, columns(ws, *spec))
    assert [f.witness for f in flags] == ["B", "A"]


def test_typographic_differences_are_reportable_on_request() -> None:
    ws = [wit("A", "Stalin\u2019s hired assassin"), wit("B", "Stalin's hired assassin")]
    variants, _ = classify(manifest(ws, "A"), ws, diagonal(ws), typographic=True)
    v = one(variants)
    assert v.cls is VariantClass.TYPOGRAPHIC
    assert v.readings == {"A": "Stalin\u2019s", "B": "Stalin's"}
    assert v.suggestion == "Stalin\u2019s" and v.suspect == ()
    assert "quotes" in v.evidence[0]


def test_ids_survive_an_edit_elsewhere() -> None:
    a = "one two three four five six seven eight nine ten eleven twelve"
    ws = [wit("A", a), wit("B", a.replace("three", "tree").replace("eleven", "elven"))]
    first = classify(manifest(ws), ws, diagonal(ws))[0]
    ws2 = [wit("A", a), wit("B", a.replace("three", "thee").replace("eleven", "elven"))]
    second = classify(manifest(ws2), ws2, diagonal(ws2))[0]
    assert first[1].id == second[1].id
    assert first[0].id != second[0].id


def test_a_repeated_passage_gets_distinct_ids() -> None:
    a = "x x x x the hall y y y y x x x x the hall y y y y"
    ws = [wit("A", a), wit("B", a.replace("hall", "ball"))]
    variants, _ = classify(manifest(ws), ws, diagonal(ws))
    assert len(variants) == 2
    assert variants[0].context == variants[1].context
    assert variants[0].id != variants[1].id


def test_variants_share_their_equal_strings_and_tuples() -> None:
    # the same slip twice: the readings, suspects, classes and evidence are equal, and held once
    ws = [
        wit("A", "the cat sat on the mat and then the cat sat down", Kind.EDITION),
        wit("B", "the cat sat on the mat and then the cat sat down"),
        with_confidence(wit("C", "tho cat sat on the mat and then tho cat sat down"), 60),
    ]
    vs, _ = classify(manifest(ws, "C"), ws, diagonal(ws))
    assert len(vs) == 2
    a, b = vs
    assert a.id != b.id and a.locations != b.locations
    assert a.readings == b.readings and a.evidence == b.evidence
    assert all(a.readings[s] is b.readings[s] for s in a.readings)
    assert a.suggestion is b.suggestion
    assert a.evidence is b.evidence and a.suspect is b.suspect and a.classes is b.classes
    assert a.suspect == ("C",)


def test_an_absent_reading_stands_where_the_next_word_would() -> None:
    ws = [wit("A", "one two three"), wit("B", "one three")]
    cols = columns(ws, {"A": (0,), "B": (0,)}, {"A": (1,)}, {"A": (2,), "B": (1,)})
    v = one(classify(manifest(ws, "A"), ws, cols)[0])
    assert v.readings == {"A": "two", "B": ""}
    assert v.locations["B"].start == v.locations["B"].end == ws[1].tokens[0].end


def test_context_stops_at_the_texts_edges() -> None:
    ws = [wit("A", "one two three four five six"), wit("B", "uno two three four five sei")]
    first, last = classify(manifest(ws, "B"), ws, diagonal(ws))[0]
    assert first.context == ("", "two three four five")
    assert last.context == ("two three four five", "")
