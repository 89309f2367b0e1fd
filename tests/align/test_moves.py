"""Moves the order-preserving alignment leaves as an omission here and an addition there."""

from __future__ import annotations

from proofbench.align import align
from proofbench.model import Alignment, Witness

from .helpers import check_tiling, reading, variants, wit


def moved_readings(alignment: Alignment, witness: Witness) -> list[str]:
    """The witness's moved words (each once, in order), by transposition."""
    out: list[str] = []
    for tr in alignment.transpositions:
        cols = {c for place in tr.columns for c in place}
        tokens = {i for c in cols for i in alignment.columns[c].readings[witness.siglum]}
        out.append(reading(witness, sorted(tokens)))
    return out


def test_swap_beside_another_witness_addition_is_a_move() -> None:
    """C swapped ``lattice again`` where B added a word: the node read ``eighteen``/``again``."""
    a = wit("A", "He closed the lattice again with a sigh and sat down")
    b = wit("B", "He closed the eighteen lattice again with a sigh and sat down")
    c = wit("C", "He closed the again lattice with a sigh and sat down")
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    assert len(alignment.transpositions) == 1
    assert moved_readings(alignment, c) == ["again"]
    # B's addition stays a variant of its own.
    added = [
        col
        for col in alignment.columns
        if col.transposition is None and reading(b, col.readings["B"]) == "eighteen"
    ]
    assert len(added) == 1
    assert not added[0].readings["A"] and not added[0].readings["C"]


def test_the_same_words_in_the_same_order_are_no_move() -> None:
    text = "the black cat and the white cat sat on the mat"
    a, b = wit("A", text), wit("B", text.replace("sat", "lay"))
    assert align([a, b]).transpositions == ()


def test_moved_sentence_missing_a_clause_is_a_move() -> None:
    """A moved sentence of which the copy dropped half (an eye-skip) is still found moved."""
    moved = (
        "Across the streets, at wide intervals, one clumsy lamp was slung by a rope and pulley; "
        "at night, when the lamplighter had let these down, and lighted, and hoisted them again"
    )
    skipped = moved.replace("at wide intervals, one clumsy lamp was slung by a rope and ", "")
    before = "For the time was to come when the gaunt scarecrows of that region should have"
    after = (
        "watched the lamplighter, in their idleness and hunger, so long as to conceive the idea "
        "of improving on his method"
    )
    a = wit("A", f"{before} {moved} {after} and so on to the end of the street")
    b = wit("B", f"{before} {after} {skipped} and so on to the end of the street")
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    assert len(alignment.transpositions) == 1
    (found,) = moved_readings(alignment, b)
    assert len(found.split()) >= len(skipped.split()) - 2


def test_two_pieces_of_one_moved_sentence_are_both_found() -> None:
    """A moved block split by a word that aligned by chance is moved piece by piece."""
    block = "and once more her eyes met his beaming at her across the room"
    a = wit(
        "A",
        f"Twice she turned and looked at him {block}. She set herself a task on her "
        "stocking and resolved not to turn round till it was done. Soon he really shut "
        "his eyes and fell asleep",
    )
    b = wit(
        "B",
        f"Twice she turned and looked at him. She set herself a task on her "
        "stocking and resolved not to turn round till it was done. Soon he really shut "
        f"{block} his eyes and fell asleep",
    )
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    moved = " ".join(moved_readings(alignment, b))
    assert len(moved.split()) >= len(block.split()) - 1


def test_permuted_run_is_one_move() -> None:
    """``bread and butter``/``butter and bread``: one move, each reading whole at its place."""
    a = wit("A", "they ate bread and butter for tea")
    b = wit("B", "they ate butter and bread for tea")
    alignment = align([a, b])
    check_tiling(alignment, [a, b])
    assert len(alignment.transpositions) == 1
    tr = alignment.transpositions[0]
    for place in tr.columns:
        (column,) = [alignment.columns[c] for c in place]
        readings = {reading(a, column.readings["A"]), reading(b, column.readings["B"])}
        assert readings == {"and butter", "butter and"}


def test_swap_with_the_neighbour_beside_a_dropped_phrase_is_a_move() -> None:
    """B and C swapped ``musket missed``; A (an OCR) dropped ``fire but`` and misread ``Nashed``.

    A's ``musket`` pairs with the first word of B's and C's run ``musket fire but``; across
    one word that every witness reads, that is a swap, whatever becomes of the run's rest
    (``fire but`` stays A's omission, a variant of its own).
    """
    a = wit("A", "He fired once. Another musket missed Nashed in the pan and the men ran off.")
    t = "He fired once. Another missed musket fire but flashed in the pan and the men ran off."
    b, c = wit("B", t), wit("C", t.replace("ran off", "fled"))
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    assert len(alignment.transpositions) == 1
    # Which of the two swapped words moved is a matter of choice: the same one in all.
    moved = moved_readings(alignment, a)
    assert moved in (["musket"], ["missed"])
    assert moved_readings(alignment, b) == moved == moved_readings(alignment, c)
    rest = [
        col
        for col in alignment.columns
        if col.transposition is None and reading(b, col.readings["B"]) == "fire but"
    ]
    assert len(rest) == 1
    assert not rest[0].readings["A"]


def test_a_node_parted_beside_itself_is_no_move() -> None:
    """A's ``speaking`` against T's and W's ``speaing``, with their ``speaking`` in an addition.

    The node is parted for a move (``split.py``: T and W read ``speaking`` near by), but the
    addition is too long to pair with one word; the two parts touch, they are read at one
    place, and they stay one variant, not a move from the node to the next.
    """
    head = "Aye, I thought so. I am mistaken then."
    tail = "to Captain Peleg, that is who ye are speaking to, young man."
    a = wit("A", f"{head} | th the Captain himself. Thou art speaking {tail}")
    t = f"{head} I thought I was speaking to the Captain himself. Thou art speaing {tail}"
    b, c = wit("T", t), wit("W", t.replace("Aye", "Ay"))
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    assert alignment.transpositions == ()
    assert {"A": "speaking", "T": "speaing", "W": "speaing"} in variants(alignment, [a, b, c])


def test_a_moved_phrase_is_parted_whole() -> None:
    """E and F moved ``aboriginally distinct`` before ``species``; F reads ``appears to`` where
    the others read the phrase, so the phrase's nodes are shared with F's words.

    Parted word by word, ``aboriginally`` and ``distinct,`` each stood apart from the other,
    with F's ``appears`` between them, and no move was found: the run is parted whole.
    """
    old = (
        "In some cases I do not doubt that the intercrossing of species, aboriginally distinct,"
        " has played an important part in the origin of our breeds"
    )
    short = old.replace("I do not doubt that ", "")
    head = "In some cases the intercrossing of aboriginally distinct species"
    tail = "played an important part in the origin of our breeds"
    e_text = f"{head}, has probably {tail}"
    f_text = f"{head} appears to have {tail}"
    ws = [
        wit("A", old),
        wit("B", old),
        wit("C", short),
        wit("D", short.replace("has", "has probably")),
        wit("E", e_text),
        wit("F", f_text),
    ]
    alignment = align(ws)
    check_tiling(alignment, ws)
    assert len(alignment.transpositions) == 1
    for w in ws:
        assert moved_readings(alignment, w)[0].startswith("aboriginally distinct")
    # F's own words stay its variant, read by no one else.
    own = [
        col
        for col in alignment.columns
        if col.transposition is None and reading(ws[5], col.readings["F"]) == "appears to"
    ]
    assert len(own) == 1
    assert not any(own[0].readings[w.siglum] for w in ws[:5])


def test_a_word_added_beside_its_own_reading_stands_with_it() -> None:
    """D reads both ``seldom`` (B's and C's word) and ``much`` (A's): no move, two places.

    The node read ``much`` by A and ``seldom`` by B and C; D's ``seldom`` stood beside it as
    an addition. Parted, A's ``much`` goes to the side of D's ``much`` and the two ``seldom``
    nodes, read by disjoint witnesses, are one place (``split.join_touching``).
    """
    ws = [
        wit("A", "it was not being much alarmed by danger, seems probable"),
        wit("B", "it was being seldom alarmed by danger, seems probable"),
        wit("C", "it was being seldom alarmed by danger, seems probable"),
        wit("D", "it was being seldom much alarmed, seems probable"),
    ]
    alignment = align(ws)
    check_tiling(alignment, ws)
    assert alignment.transpositions == ()
    got = variants(alignment, ws)
    assert {"A": "", "B": "seldom", "C": "seldom", "D": "seldom"} in got
    assert {"A": "much", "B": "", "C": "", "D": "much"} in got


def test_two_clauses_swapped_nearby_are_moves_by_their_keys() -> None:
    """Six editions' sentence (Darwin's *Origin*, chapter 1): 1861 swapped the two clauses
    ``competent judges as mere varieties`` and ``... the descendants of aboriginally distinct
    species``, its ``varieties.`` against 1859's ``varieties,``.

    The omission and the addition are long runs that match only in part; form for form they
    share four words, one short of a part's least (``transpose.PARTIAL_MIN``); read by their
    keys, as short runs near each other are, the part is found and moves.
    """
    think = (
        "I think {}this must be admitted, when we find that there are hardly any domestic "
        "races, either amongst animals or plants, which have not been ranked by "
    )
    early = (
        "competent judges as mere varieties, and by other competent judges as the descendants"
        " of aboriginally distinct species."
    )
    late = (
        "competent judges as the descendants of aboriginally distinct species, and by other "
        "competent judges as mere varieties. If any {}marked distinction existed between {} "
        "and species, this source of doubt {} not so perpetually recur."
    )
    exceptions = (
        "With these exceptions (and with that of the perfect fertility of varieties when "
        "crossed, — a subject hereafter to be discussed), domestic races of the same species "
        "differ from each other{} in the same manner as do {}closely{} species of the same "
        "genus in a state of nature{}. This must be admitted as true, for the domestic races "
        "of many animals and plants have been ranked by some "
    )
    texts = {
        "E1": think.format("") + "some " + early,
        "E2": think.format("") + early,
        "E3": think.format("that ") + late.format("", "domestic races", "could"),
        "E4": think.format("that ") + late.format("", "domestic races", "could"),
        "E5": exceptions.format(", only in most cases in a less degree,", "", "-allied", "")
        + late.format("well ", "a domestic race", "would"),
        "E6": exceptions.format(
            "", "the ", " allied", ", but the differences in most cases are less in degree"
        )
        + late.format("well ", "a domestic race", "would"),
    }
    ws = [wit(s, t) for s, t in texts.items()]
    alignment = align(ws)
    check_tiling(alignment, ws)
    moved = moved_readings(alignment, ws[2])
    assert any(m.startswith("competent judges as mere varieties") for m in moved)


def test_a_phrase_moved_across_a_clause_another_witness_added_is_a_move() -> None:
    """Darwin's 1859, 1866 and 1872 editions: 1866 added a clause before ``an almost perfect
    series``, 1872 moved the phrase before its own version of that clause. The phrase is one
    move, read by all three, not an omission of it beside an addition of it."""
    a = wit("A", "we can make an almost perfect series between the extremes of structure. Thirdly")
    b = wit(
        "B",
        "we can make in these two cases, and in some but not in all other cases, an almost "
        "perfect series between the extremes of structure. Thirdly",
    )
    c = wit(
        "C",
        "we can make, between them and the rock pigeon, an almost perfect series; so we can in "
        "some other cases, but not with all the breeds. Thirdly",
    )
    alignment = align([a, b, c])
    check_tiling(alignment, [a, b, c])
    assert "an almost perfect series;" in moved_readings(alignment, c)
    together = [
        col
        for col in alignment.columns
        if col.transposition is not None
        and reading(a, col.readings["A"])
        == reading(b, col.readings["B"])
        == reading(c, col.readings["C"])
        == "an almost perfect"
    ]
    assert len(together) == 2  # the move, at its two places
