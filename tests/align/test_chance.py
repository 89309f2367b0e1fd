"""A moved phrase one of whose words the other witnesses read once at its old place (a chance
agreement there) is still found moved, when the move shows more agreements than it takes."""

from __future__ import annotations

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
