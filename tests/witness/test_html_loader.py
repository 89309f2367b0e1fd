"""HTML loader: the letter's T05 (declared iso-8859-1, read as cp1252) and a page made here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from foundation_support import FOUNDATION, T05_FILE, assert_offsets, load_files

from proofbench.errors import EmptyWitnessError, FormatError, ManifestError
from proofbench.model import ApparatusKind, BlockKind, Witness
from proofbench.witness import detect

SAMPLE = FOUNDATION / "latin1-page.html"
LETTER_SELECTORS = ("p.title", "p.information", "p.footer")


def _apparatus(w: Witness) -> dict[str, ApparatusKind]:
    return {w.text[a.start : a.end]: a.kind for a in w.apparatus}


@pytest.fixture(scope="module")
def t05() -> Witness:
    return load_files(T05_FILE, siglum="T05", apparatus_selectors=LETTER_SELECTORS)


def test_t05_is_html_read_as_cp1252(t05: Witness) -> None:
    assert detect(str(T05_FILE)) == "html"
    assert t05.format == "html"
    assert b"iso-8859-1" in T05_FILE.read_bytes()
    assert t05.encoding == "cp1252"
    assert_offsets(t05)


def test_t05_body_text_in_reading_order(t05: Witness) -> None:
    text = t05.text
    assert "Natalia Sedova: A Message" not in text  # the <title> is not body text
    a = text.index("A Message from Natalia Sedov Trotsky")
    b = text.index("Dear Friends,")
    c = text.index("With all my heart I wish you success")
    assert a < b < c
    # Whitespace inside a block collapses as a browser collapses it; no markup leaks.
    assert "<" not in text and "class=" not in text


def test_t05_headings_and_quotes_are_marked(t05: Witness) -> None:
    blocks = {t05.text[b.start : b.end]: b.kind for b in t05.blocks}
    assert blocks["A Message from Natalia Sedov Trotsky"] is BlockKind.HEADING
    assert BlockKind.QUOTE in blocks.values()
    assert blocks["July 31, 1945"] is BlockKind.PARAGRAPH


def test_t05_information_block_and_footer_are_apparatus(t05: Witness) -> None:
    marked = _apparatus(t05)
    info = next(m for m in marked if m.startswith("Written:"))
    assert "Source: Fourth International" in info and info.endswith("Mike Bessler.")
    footer = next(m for m in marked if m.startswith("Natalia Sedova Archive"))
    assert marked[footer] is ApparatusKind.FOOTER
    assert "Marxist Writers Archive" in footer
    assert marked["Natalia Sedova Trotsky"] is ApparatusKind.HEADER
    by_t = [t for t in t05.tokens if t.t in {"Written:", "Bessler.", "Marxist"}]
    assert by_t and all(t.apparatus is not None for t in by_t)
    text_words = [t.t for t in t05.text_tokens]
    assert "Written:" not in text_words and "Bessler." not in text_words
    assert "Dear" in text_words and "communication" in text_words


def test_t05_tokens_carry_file_and_line(t05: Witness) -> None:
    lines = T05_FILE.read_bytes().decode("cp1252").split("\n")
    for tok in t05.text_tokens:
        assert tok.source is not None and tok.source.file == str(T05_FILE)
        assert tok.source.line is not None
    dear = next(t for t in t05.tokens if t.t == "Dear")
    assert dear.source is not None and dear.source.line is not None
    assert "Dear Friends" in lines[dear.source.line - 1]


def test_sample_cp1252_and_structure() -> None:
    w = load_files(SAMPLE)
    assert w.encoding == "cp1252"
    assert "Stalin\u2019s \u201chired\u201d assassin \u2013 café," in w.text
    assert "some spaces\nand a break." in w.text  # collapsed spaces, <br> is a line break
    assert "Last\u00a0line & more" in w.text  # entities decoded; nbsp kept as written
    for gone in ("Not text", "color: red", "not text", "a comment"):
        assert gone not in w.text
    marked = _apparatus(w)
    assert marked["Home | Archive"] is ApparatusKind.NAVIGATION
    assert marked["Archive footer"] is ApparatusKind.FOOTER
    blocks = {w.text[b.start : b.end]: b.kind for b in w.blocks}
    assert blocks["A Message"] is BlockKind.HEADING
    assert blocks["Quoted words."] is BlockKind.QUOTE
    last = next(t for t in w.tokens if t.t == "Last")
    assert last.n == "Last" and w.text[last.end] == "\u00a0"
    assert_offsets(w)


def test_manifest_encoding_overrides_declaration(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b'<html><head><meta charset="utf-8"></head><body><p>caf\xe9</p></body></html>')
    w = load_files(page, encoding="latin-1")
    assert "café" in w.text


def test_bad_selector_is_a_manifest_error() -> None:
    with pytest.raises(ManifestError, match="bad apparatus selector"):
        load_files(SAMPLE, apparatus_selectors=("p[[",))


@pytest.mark.parametrize(
    "data",
    [b"<html><body></body></html>", b"<!DOCTYPE html><html><head><title>t</title></head></html>"],
)
def test_empty_html_is_refused(tmp_path: Path, data: bytes) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(data)
    with pytest.raises((EmptyWitnessError, FormatError)) as info:
        load_files(page)
    assert info.value.file == str(page)


def test_html_with_only_an_xml_declaration_is_empty(tmp_path: Path) -> None:
    page = tmp_path / "decl.html"
    page.write_bytes(b'<?xml version="1.0"?>\n')
    with pytest.raises(FormatError, match="empty HTML"):
        load_files(page, format="html")
