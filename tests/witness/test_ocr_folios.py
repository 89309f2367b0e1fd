"""Page numbers in the page margin are apparatus; a word that merely looks roman is text.

A paragraph's last word often stands alone on the last line of a page, inside the bottom
margin band: ``did.``, ``civil``, ``vivid.`` are made of the letters i, v, x, l, c, d, m but are
no numerals, and must stay text. Real folios (``230``, ``xii``, ``XIV``, ``Page 7``) are marked.
"""

from __future__ import annotations

import pytest

from proofbench.model import ApparatusKind, WitnessSpec
from proofbench.witness.ocr import OcrBlock, OcrLine, OcrPage, OcrWord, build_ocr_witness

HEIGHT = 3300


def _page_with_last_line(last: str) -> OcrPage:
    body = [
        OcrLine(
            tuple(OcrWord(w, (200 + 120 * i, y, 300 + 120 * i, y + 40)) for i, w in enumerate(t)),
            (200, y, 1400, y + 40),
        )
        for y, t in [
            (1000, ["The", "general", "situation", "was", "onerous,", "but"]),
            (1060, ["there", "was", "something", "out", "of", "ordinary", "in", "what", "he"]),
        ]
    ]
    # Bottom edge at 96% of the page height: inside the 6% margin band.
    y = int(HEIGHT * 0.96) - 40
    words = tuple(OcrWord(w, (200, y, 400, y + 40)) for w in last.split())
    foot = OcrLine(words, (200, y, 400, y + 40))
    return OcrPage(file="p.hocr", blocks=(OcrBlock((*body, foot)),), width=2550, height=HEIGHT)


def _foot_apparatus(last: str) -> ApparatusKind | None:
    w = build_ocr_witness(WitnessSpec("P", ("p.hocr",)), [_page_with_last_line(last)], "hocr")
    start = w.text.rindex(last)
    kinds = [a.kind for a in w.apparatus if a.start <= start < a.end]
    return kinds[0] if kinds else None


@pytest.mark.parametrize("word", ["did.", "civil", "vivid.", "mild.", "dim", "ill.", "lid"])
def test_a_roman_looking_word_at_the_foot_is_text(word: str) -> None:
    assert _foot_apparatus(word) is None


@pytest.mark.parametrize("folio", ["230", "xii", "XIV", "iv.", "Page 7", "p. 12", "mcmxlv"])
def test_a_folio_at_the_foot_is_a_page_number(folio: str) -> None:
    assert _foot_apparatus(folio) is ApparatusKind.PAGE_NUMBER
