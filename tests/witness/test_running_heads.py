"""Running heads are found relative to the text block and by repetition, not in a fixed band.

On real Tesseract 5 pages (``old-books-ocr-gt``) the first line starts anywhere from 6 % to 26 %
of the page height; the head is the page's first line when it stands outside the block of
full-measure lines and is capitalised, carries a folio, or recurs on another page.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from proofbench.model import ApparatusKind, Witness, WitnessSpec
from proofbench.witness import load_witness
from proofbench.witness.ocr import OcrBlock, OcrLine, OcrPage, OcrWord, build_ocr_witness

TESS = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "old-books-ocr-gt"
) / "ocr-tesseract5-derived"
needs_corpus = pytest.mark.skipif(not TESS.is_dir(), reason="../shared/corpora is absent")


def _line(y: int, words: list[str], x: int = 200, width: int = 1200) -> OcrLine:
    step = width // max(len(words), 1)
    boxes = [(x + i * step, y, x + (i + 1) * step - 10, y + 40) for i in range(len(words))]
    return OcrLine(
        tuple(OcrWord(w, b) for w, b in zip(words, boxes, strict=True)), (x, y, x + width, y + 40)
    )


def _page(head: list[str], top: int) -> OcrPage:
    body = OcrBlock(tuple(_line(top + 100 + 60 * i, ["word"] * 9 + [f"w{i}"]) for i in range(6)))
    return OcrPage("p.hocr", (OcrBlock((_line(top, head, x=400, width=600),)), body), 1700, 2600)


def _kinds(w: Witness, text: str) -> set[ApparatusKind]:
    at = w.text.index(text)
    return {a.kind for a in w.apparatus if a.start <= at < a.end}


@pytest.mark.parametrize("top", [150, 400, 650])
def test_a_capitalised_first_line_above_the_block_is_a_head_wherever_it_stands(top: int) -> None:
    w = build_ocr_witness(WitnessSpec("A", ("p.hocr",)), [_page(["THE", "TITLE"], top)], "hocr")
    assert _kinds(w, "THE TITLE") == {ApparatusKind.RUNNING_HEAD}
    assert not _kinds(w, "w0")


def test_a_lower_case_first_line_is_a_head_only_when_repeated() -> None:
    spec = WitnessSpec("A", ("p.hocr",))
    alone = build_ocr_witness(spec, [_page(["The", "story"], 300)], "hocr")
    assert not _kinds(alone, "The story")
    twice = build_ocr_witness(
        spec, [_page(["The", "story"], 300), _page(["story", "12"], 300)], "hocr"
    )
    assert _kinds(twice, "The story") == {ApparatusKind.RUNNING_HEAD}


def test_a_first_line_of_the_text_block_is_text() -> None:
    body = _page(["ONE"], 300).blocks[1]
    first = _line(200, ["EVERY", "WORD"] * 5)
    page = OcrPage("p.hocr", (OcrBlock((first, *body.lines)),), 1700, 2600)
    w = build_ocr_witness(WitnessSpec("A", ("p.hocr",)), [page], "hocr")
    assert not _kinds(w, "EVERY WORD")


@needs_corpus
def test_old_books_heads_are_set_apart_and_no_body_line_is_lost() -> None:
    books: dict[str, list[str]] = {}
    for path in sorted(TESS.glob("*.alto.xml")):
        books.setdefault(path.name[0], []).append(str(path))
    heads = 0
    for files in books.values():
        w = load_witness(WitnessSpec("A", tuple(files)))
        for a in w.apparatus:
            if a.kind is ApparatusKind.RUNNING_HEAD:
                heads += 1
                # A head is one short line, never a run of body text.
                assert "\n" not in w.text[a.start : a.end]
                assert len(w.text[a.start : a.end].split()) <= 10
        body = w.text
        assert "Practically the entire emphasis" not in "".join(
            body[a.start : a.end] for a in w.apparatus
        )
    assert heads >= 18


@pytest.mark.parametrize(
    ("foot", "folio"),
    [
        (["(", "vi", ")"], True),
        (["(6)"], True),
        (["[12]"], True),
        (["—", "6", "—"], True),
        (["(6"], False),
        (["6)"], False),
        (["(civil)"], False),
    ],
)
def test_a_folio_below_the_block_may_stand_in_brackets_or_between_dashes(
    foot: list[str], folio: bool
) -> None:
    page = _page(["THE", "TITLE"], 300)
    below = OcrBlock((_line(300 + 100 + 60 * 7, foot, x=800, width=100),))
    w = build_ocr_witness(
        WitnessSpec("A", ("p.hocr",)), [replace(page, blocks=(*page.blocks, below))], "hocr"
    )
    expected = {ApparatusKind.PAGE_NUMBER} if folio else set()
    assert _kinds(w, " ".join(foot)) == expected
