"""How columns become variant places: inner variants of a shared addition, and moves."""

from __future__ import annotations

from proofbench.align import align
from proofbench.classify.group import places
from proofbench.pipeline import witness_from_text


def _readings(text_places: list, witnesses: list) -> list[dict[str, str]]:
    by = {w.siglum: w for w in witnesses}
    return [
        {s: " ".join(by[s].tokens[i].t for i in p.tokens.get(s, ())) for s in by}
        for p in text_places
    ]


def test_variant_inside_a_shared_addition_is_a_place_of_its_own() -> None:
    a = witness_from_text("A", "It began. It ended at last.")
    b = witness_from_text(
        "B", "It began. Then came the long war in Florida and peace. It ended at last."
    )
    c = witness_from_text(
        "C", "It began. Then came the long war in Virginia and peace. It ended at last."
    )
    found = _readings(places(align([a, b, c]), [a, b, c]), [a, b, c])
    assert {"A": "", "B": "Florida", "C": "Virginia"} in found
    assert all(r["B"] == "Florida" or "Florida" not in r["B"] for r in found)


BODY = (
    "the river ran cold and clear under the old stone bridge where the children played "
    "every summer evening until the lamps were lit along the quiet street and their "
    "mothers called them home for supper before the long night came down upon the town"
)
TITLE = "A History of the Parish of Saint Edmund"


def test_a_moved_block_does_not_swallow_the_variants_between() -> None:
    """An OCR read the title at the end, and misread two words in between."""
    edition = witness_from_text("ED", f"{TITLE}. {BODY}.")
    ocr_body = BODY.replace("bridge", "bridgc").replace("supper", "snpper")
    ocr = witness_from_text("OCR", f"{ocr_body}. {TITLE}.")
    alignment = align([edition, ocr])
    assert alignment.transpositions
    found = places(alignment, [edition, ocr])
    moved = [p for p in found if p.transposition is not None]
    assert len(moved) == 1
    texts = _readings(found, [edition, ocr])
    assert {"ED": "bridge", "OCR": "bridgc"} in texts
    assert {"ED": "supper", "OCR": "snpper"} in texts
    assert all(len(p.tokens["ED"]) <= len(TITLE.split()) for p in moved)


def test_two_moved_blocks_are_a_place_each_in_column_order() -> None:
    """Two titles read at the end by an OCR: each block is one place, no column in two."""
    second = "Notes on the Bells of Saint Mary"
    more = (
        "in winter the fields lay white and silent and the farmers mended their nets by "
        "the fire while the wind went round the chimneys and the sheep huddled in the fold"
    )
    edition = witness_from_text("ED", f"{TITLE}. {BODY}. {second}. {more}.")
    ocr_body = BODY.replace("bridge", "bridgc")
    ocr = witness_from_text("OCR", f"{ocr_body}. {more}. {TITLE}. {second}.")
    alignment = align([edition, ocr])
    found = places(alignment, [edition, ocr])
    moved = [p for p in found if p.transposition is not None]
    assert sorted(p.transposition for p in moved) == [t.id for t in alignment.transpositions]
    assert len(moved) == len(alignment.transpositions) >= 2
    starts = [p.columns[0] for p in found]
    assert starts == sorted(starts)
    used = [c for p in found for c in p.columns]
    assert len(used) == len(set(used))
    assert {"ED": "bridge", "OCR": "bridgc"} in _readings(found, [edition, ocr])


def test_a_swap_reads_both_orders() -> None:
    a = witness_from_text("A", "catching what each other meant")
    b = witness_from_text("B", "catching what other each meant")
    found = [p for p in places(align([a, b]), [a, b]) if p.transposition is not None]
    assert _readings(found, [a, b]) == [{"A": "each other", "B": "other each"}]


def test_a_rewritten_passage_is_one_place() -> None:
    """Chance matches (``the``, ``of``) inside a rewrite do not shred it into many items."""
    a = witness_from_text(
        "A",
        "He came home late. The question of the hour was disputed by all of the wise men"
        " of the town. She slept.",
    )
    b = witness_from_text(
        "B",
        "He came home late. Nobody in the village could settle the matter for weeks, and"
        " they argued of nothing else. She slept.",
    )
    found = _readings(places(align([a, b]), [a, b]), [a, b])
    assert len(found) == 1
    assert found[0]["A"].startswith("The question") and found[0]["A"].endswith("town.")
    assert found[0]["B"].startswith("Nobody") and found[0]["B"].endswith("else.")


def test_misreadings_side_by_side_stay_their_own() -> None:
    """Alike readings (``tbe``/``the``) are no rewrite, however close together."""
    a = witness_from_text("A", "the quick brown fox jumps over the lazy dog")
    b = witness_from_text("B", "tbe qnick brown fox jnmps ovcr the lazy dog")
    found = _readings(places(align([a, b]), [a, b]), [a, b])
    assert [r["B"] for r in found] == ["tbe", "qnick", "jnmps", "ovcr"]


def test_an_omission_beside_another_witness_addition_is_no_rewrite() -> None:
    """A reads a sentence T and W lack; W adds a footer after the words all three read.

    T reads neither piece, so they are not one replacement: the omission and the footer are
    two places, and the long omission does not reach to the footer.
    """
    head = "I had rather have been ignorant than have discovered this in one I valued so high."
    a = witness_from_text(
        "A",
        f"{head} God forbid that she should suffer as guilty. She is to be tried to-day, and I"
        " hope, I sincerely hope, that she will be acquitted.",
    )
    t = witness_from_text("T", f"{head} God forbid that she will be acquitted.")
    w = witness_from_text(
        "W", f"{head} God forbid that she will be acquitted. Text Library Index, last updated."
    )
    found = _readings(places(align([a, t, w]), [a, t, w]), [a, t, w])
    assert found == [
        {
            "A": "should suffer as guilty. She is to be tried to-day, and I hope, I sincerely"
            " hope, that she",
            "T": "",
            "W": "",
        },
        {"A": "", "T": "", "W": "Text Library Index, last updated."},
    ]


def test_the_variant_columns_readings_come_normalized_beside_the_places() -> None:
    from proofbench.classify.forms import norm
    from proofbench.classify.group import places_read
    from proofbench.model import ColumnKind

    a = witness_from_text("A", "He said “yes” to the old man -- twice, then left.")
    b = witness_from_text("B", 'He said "yes" to tho old rnan, twice then left it.')
    c = witness_from_text("C", "He said yes to the old man twice, then he left.")
    ws = [a, b, c]
    alignment = align(ws)
    found, read = places_read(alignment, ws)
    assert found == places(alignment, ws)
    variant = [i for i, col in enumerate(alignment.columns) if col.kind is not ColumnKind.EQUAL]
    assert sorted(read) == variant
    for i in variant:
        col = alignment.columns[i]
        for w in ws:
            words = " ".join(w.tokens[k].reading for k in col.readings.get(w.siglum, ()))
            assert read[i][w.siglum] == norm(words)
    assert any(len(p.columns) == 1 for p in found)
