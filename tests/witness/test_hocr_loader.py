"""hOCR loader: the letter's P45 (Tesseract, two pages), ocropus and kraken samples made here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from foundation_support import FOUNDATION, P45_FILES, assert_offsets, load_files

from proofbench.errors import FormatError
from proofbench.model import ApparatusKind, Kind, Witness
from proofbench.witness import detect

OCROPUS = FOUNDATION / "ocropus.hocr"
KRAKEN = FOUNDATION / "kraken.hocr"
BROKEN = FOUNDATION / "broken.hocr"


@pytest.fixture(scope="module")
def p45() -> Witness:
    return load_files(*P45_FILES, siglum="P45", kind=Kind.OCR)


def test_p45_two_pages(p45: Witness) -> None:
    assert all(detect(str(f)) == "hocr" for f in P45_FILES)
    assert p45.format == "hocr" and p45.pages == 2
    pages = {t.source.page for t in p45.tokens if t.source}
    assert pages == {1, 2}
    files = [t.source.file for t in p45.tokens if t.source]
    # Pages in order: every token of page 229 before every token of page 230.
    assert files == sorted(files) and set(files) == {str(f) for f in P45_FILES}
    assert any(a.kind is ApparatusKind.PAGE_BREAK for a in p45.apparatus)
    assert_offsets(p45)


def test_p45_tokens_carry_page_bbox_confidence_image(p45: Witness) -> None:
    for tok in p45.text_tokens:
        src = tok.source
        assert src is not None
        assert src.page in (1, 2) and src.line is not None and src.line > 0
        assert src.bbox is not None and src.bbox[0] < src.bbox[2] and src.bbox[1] < src.bbox[3]
        assert src.confidence is not None and 0 <= src.confidence <= 100
        assert src.image is not None and Path(src.image).is_file()
        assert Path(src.image).name == f"page-{228 + src.page}.png"
        assert src.word_id


def test_p45_word_hall_has_its_confidence(p45: Witness) -> None:
    hall = [t for t in p45.tokens if t.n == "hall."]
    assert len(hall) == 1
    src = hall[0].source
    assert src is not None and src.confidence == 94
    # The value is the word's own x_wconf in the file, traced through its id.
    raw = P45_FILES[src.page - 1 if src.page else 0].read_text(encoding="utf-8")
    assert f"id='{src.word_id}'" in raw or f'id="{src.word_id}"' in raw
    assert "x_wconf 94'>hall.<" in raw


def test_p45_mean_confidence(p45: Witness) -> None:
    confs = [
        t.source.confidence for t in p45.text_tokens if t.source and t.source.confidence is not None
    ]
    assert p45.mean_confidence == pytest.approx(sum(confs) / len(confs))
    assert 50 < p45.mean_confidence < 100  # type: ignore[operator]


def test_p45_running_heads_are_apparatus(p45: Witness) -> None:
    marked = {p45.text[a.start : a.end]: a.kind for a in p45.apparatus}
    assert marked["FOURTH INTERNATIONAL"] is ApparatusKind.RUNNING_HEAD
    head = next(m for m in marked if m.startswith("Page 230"))
    assert marked[head] is ApparatusKind.RUNNING_HEAD
    assert marked["230"] is ApparatusKind.PAGE_NUMBER
    in_heads = [t for t in p45.tokens if t.t in {"FOURTH", "INTERNATIONAL", "230"}]
    assert in_heads and all(t.apparatus is not None for t in in_heads)
    text = [t.t for t in p45.text_tokens]
    assert "FOURTH" not in text and "230" not in text
    assert "International" in text or "International." in text  # the word in the letter stays


def test_ocropus_lines_without_words() -> None:
    w = load_files(OCROPUS)
    assert detect(str(OCROPUS)) == "hocr"
    assert w.format == "hocr" and w.pages == 1
    assert w.text.splitlines() == [
        "The letter was written in",
        "haste and sent by commu-",
        "nication to the comrades.",
    ]
    assert [t.reading for t in w.tokens][-4:] == ["communication", "to", "the", "comrades."]
    assert [t.source.line for t in w.tokens if t.source] == [1] * 5 + [2] * 5 + [3] * 3
    assert all(t.source and t.source.confidence is None for t in w.tokens)
    assert_offsets(w)


def test_kraken_character_confidences_are_averaged() -> None:
    w = load_files(KRAKEN)
    assert w.text == "Dear Friends,\nI was deeply"
    conf = {t.t: t.source.confidence for t in w.tokens if t.source}
    assert conf["Dear"] == pytest.approx(90.0)
    assert conf["Friends,"] == pytest.approx(66.25)
    assert conf["I"] == pytest.approx(100.0)
    assert conf["was"] == pytest.approx(97.0)
    boxes = {t.t: t.source.bbox for t in w.tokens if t.source}
    assert boxes["deeply"] == (320, 250, 480, 290)
    ids = [t.source.word_id for t in w.tokens if t.source]
    assert ids == ["w1", "w2", "w3", "w4", "w5"]
    assert_offsets(w)


def test_broken_xhtml_hocr_is_a_format_error_with_line() -> None:
    with pytest.raises(FormatError, match="malformed XML") as info:
        load_files(BROKEN)
    assert info.value.file == str(BROKEN)
    assert info.value.line is not None and info.value.line > 1


def test_hocr_and_text_pages_cannot_mix(tmp_path: Path) -> None:
    other = tmp_path / "page.txt"
    other.write_text("plain text page\n", encoding="utf-8")
    with pytest.raises(FormatError, match="is text"):
        load_files(P45_FILES[0], other)


def test_manifest_encoding_is_honoured(tmp_path: Path) -> None:
    page = tmp_path / "latin.hocr"
    page.write_bytes(KRAKEN.read_bytes().replace(b">deeply<", b">d\xe9eply<"))
    w = load_files(page, encoding="latin-1")
    assert w.text.endswith("I was d\u00e9eply")
    assert_offsets(w)
