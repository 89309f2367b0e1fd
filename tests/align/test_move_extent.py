"""A moved block is one move over the whole block, though a word some of its witnesses add
inside it splits their side into several runs."""

from __future__ import annotations

from proofbench.align import align
from proofbench.model import Alignment, Witness

from .helpers import check_tiling, wit

HEAD = "of light from the lamps and the hedge at the roadside retreating by jerks the night"
TAIL = (
    "express sent after him and the real message returned would all be there out of the midst "
    "of them the ghostly face would rise and he would accost it again buried how long almost "
    "eighteen years i hope you care to live i cant say"
)
MIDDLE = " ".join(f"word{i}" for i in range(80))


def _moved(alignment: Alignment, siglum: str) -> set[int]:
    """The tokens of ``siglum`` that stand in transposition columns."""
    return {
        i
        for col in alignment.columns
        if col.transposition is not None
        for i in col.readings.get(siglum, ())
    }


def _collated(head: str, tail: str, ocr_text: str) -> tuple[Alignment, Witness]:
    """The three witnesses aligned, the tiling checked: the edition reads ``head tail``, the
    transcription the same with a word twice between them (its run and the edition's split
    there), the OCR ``ocr_text``; and the OCR witness."""
    ed = wit("ED", f"start {head} {tail} {MIDDLE} end")
    tr = wit("TR", f"start {head} express {tail} {MIDDLE} end")
    ocr = wit("OCR", ocr_text)
    alignment = align([ed, ocr, tr])
    check_tiling(alignment, [ed, ocr, tr])
    return alignment, ocr


def test_a_word_added_inside_the_block_does_not_cut_the_move() -> None:
    block = f"{HEAD} {TAIL}"
    # the OCR read the block after the middle, with an error and a stray word at its head
    ocr_text = f"start {MIDDLE} {block.replace('lamps', 'lomps', 1)} stiff end"
    alignment, _ = _collated(HEAD, TAIL, ocr_text)
    assert len(alignment.transpositions) == 1
    words = len(block.split())
    assert len(_moved(alignment, "ED")) == words  # every word of the block, not its tail only
    assert len(_moved(alignment, "TR")) == words + 1  # and the added word inside it
    assert len(_moved(alignment, "OCR")) >= words


def test_the_block_grows_only_over_what_its_own_witnesses_read() -> None:
    # An addition of the other witnesses beside the block is no part of it: the move's
    # place stops where the nodes the moving witnesses read end.
    ocr_text = f"start added words read by the OCR alone {MIDDLE} {HEAD} {TAIL} end"
    alignment, ocr = _collated(HEAD, TAIL, ocr_text)
    assert len(alignment.transpositions) == 1
    first = next(t.index for t in ocr.text_tokens if t.t == "added")
    assert first not in _moved(alignment, "OCR")


def test_the_pieces_of_a_block_split_by_an_added_word_are_one_move() -> None:
    # Runs shorter than a sentence or two are paired by their parts, piece by piece: the two
    # pieces, one after the other at both places, are one moved block.
    tail = "express sent after him and the real message returned would all be there"
    block = f"{HEAD} {tail}"
    alignment, _ = _collated(HEAD, tail, f"start {MIDDLE} {block.replace('lamps', 'lomps', 1)} end")
    assert len(alignment.transpositions) == 1
    assert len(_moved(alignment, "ED")) == len(block.split())
