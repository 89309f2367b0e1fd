"""Plain-text loader: the letter's W15, and edge cases written out (empty, BOMs, newlines, CRLF)."""

from __future__ import annotations

import codecs
import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from foundation_support import W15_FILE, assert_offsets, load_files

from proofbench.errors import EmptyWitnessError, EncodingError, ManifestError
from proofbench.model import ApparatusKind, BlockKind, Kind
from proofbench.witness import detect

LETTER_PATTERNS = (
    "natalia in red",
    "Natalia Sedova Trotsky",
    "(Written|Source|Online Version|Transcribed/HTML Markup|Proofread):.*",
    "Natalia Sedova Archive.*",
    "Write Natalia Sedova Archive.*",
    "Last updated on:.*",
)


def _write(tmp_path: Path, data: bytes, name: str = "w.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_w15_text_is_the_file_content() -> None:
    w = load_files(W15_FILE, siglum="W15", kind=Kind.PROOFREAD)
    assert w.format == "text"
    assert detect(str(W15_FILE)) == "text"
    assert w.text == W15_FILE.read_text(encoding="utf-8")
    assert w.siglum == "W15" and w.kind is Kind.PROOFREAD
    assert_offsets(w)


def test_w15_tokens_carry_file_and_line() -> None:
    w = load_files(W15_FILE)
    lines = W15_FILE.read_text(encoding="utf-8").split("\n")
    for tok in w.tokens:
        assert tok.source is not None
        assert tok.source.file == str(W15_FILE)
        assert tok.source.line is not None
        assert tok.t in lines[tok.source.line - 1], tok
        assert tok.source.page is None and tok.source.confidence is None


def test_w15_header_lines_are_apparatus() -> None:
    w = load_files(W15_FILE, apparatus_patterns=LETTER_PATTERNS)
    marked = [w.text[a.start : a.end] for a in w.apparatus]
    assert "natalia in red" in marked
    assert any(m.startswith("Written:") for m in marked)
    assert any(m.startswith("Source: Fourth International") for m in marked)
    assert any(m.startswith("Last updated on:") for m in marked)
    assert all(a.kind is ApparatusKind.HEADER for a in w.apparatus)
    by_t = {t.t: t for t in w.tokens}
    assert by_t["Written:July"].apparatus is ApparatusKind.HEADER
    text_words = {t.t for t in w.text_tokens}
    assert "Written:July" not in text_words and "Online" not in text_words
    # The letter's own words stay text.
    assert {"Dear", "Friends,", "communication"} <= text_words
    assert len(w.text_tokens) < len(w.tokens)


def test_without_patterns_nothing_is_apparatus() -> None:
    w = load_files(W15_FILE)
    assert w.apparatus == ()
    assert w.text_tokens == w.tokens


def test_bad_pattern_is_a_manifest_error() -> None:
    with pytest.raises(ManifestError, match="bad apparatus pattern"):
        load_files(W15_FILE, apparatus_patterns=("(unclosed",))


def test_empty_file_is_an_empty_witness(tmp_path: Path) -> None:
    path = _write(tmp_path, b"")
    with pytest.raises(EmptyWitnessError) as info:
        load_files(path)
    assert info.value.file == str(path)


@pytest.mark.parametrize("data", [codecs.BOM_UTF8, b" \n\t\r\n", codecs.BOM_UTF8 + b"\n\n"])
def test_bom_only_or_blank_is_an_empty_witness(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EmptyWitnessError):
        load_files(_write(tmp_path, data))


def test_utf8_bom_is_not_text(tmp_path: Path) -> None:
    w = load_files(_write(tmp_path, codecs.BOM_UTF8 + b"Dear Friends,\n"))
    assert w.text == "Dear Friends,\n"
    assert [t.t for t in w.tokens] == ["Dear", "Friends,"]
    assert w.tokens[0].start == 0
    assert_offsets(w)


def test_utf16_with_bom(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "Dear Friends,\nI was touched.\n".encode("utf-16-le")
    w = load_files(_write(tmp_path, data))
    assert w.text == "Dear Friends,\nI was touched.\n"
    assert w.encoding == "utf-16"
    assert [t.t for t in w.tokens] == ["Dear", "Friends,", "I", "was", "touched."]
    assert w.tokens[2].source is not None and w.tokens[2].source.line == 2
    assert_offsets(w)


@pytest.mark.parametrize("content", ["one\ntwo\n", "one\ntwo", "one\r\ntwo\r\n", "one\r\ntwo"])
def test_trailing_newline_and_crlf_are_kept(tmp_path: Path, content: str) -> None:
    w = load_files(_write(tmp_path, content.encode()))
    assert w.text == content
    assert [t.t for t in w.tokens] == ["one", "two"]
    assert [t.source.line for t in w.tokens if t.source] == [1, 2]
    assert_offsets(w)


def test_crlf_line_end_hyphen_is_joined(tmp_path: Path) -> None:
    w = load_files(_write(tmp_path, b"by your commu-\r\nnication of July\r\n"))
    tok = next(t for t in w.tokens if t.hyphenation is not None)
    assert tok.t == "commu-\r\nnication"
    assert tok.reading == "communication"
    assert tok.n == "communication"
    assert_offsets(w)


def test_paragraphs_are_blocks(tmp_path: Path) -> None:
    content = "First para\nline two\n\n\nSecond para\n"
    w = load_files(_write(tmp_path, content.encode()))
    assert [(w.text[b.start : b.end], b.kind) for b in w.blocks] == [
        ("First para\nline two", BlockKind.PARAGRAPH),
        ("Second para", BlockKind.PARAGRAPH),
    ]


def test_several_files_are_joined_in_order(tmp_path: Path) -> None:
    a = _write(tmp_path, b"page one\n", "a.txt")
    b = _write(tmp_path, b"page two", "b.txt")
    w = load_files(a, b)
    assert w.text == "page one\n\n\npage two"
    assert [(t.t, t.source.file, t.source.line) for t in w.tokens if t.source] == [
        ("page", str(a), 1),
        ("one", str(a), 1),
        ("page", str(b), 1),
        ("two", str(b), 1),
    ]
    assert_offsets(w)


def test_invalid_utf8_names_file_and_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Dear Friends,\ncaf\xe9 au lait\n")
    with pytest.raises(EncodingError) as info:
        load_files(path)
    assert info.value.file == str(path)
    assert info.value.offset == 17


def test_declared_encoding_makes_it_load(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Dear Friends,\ncaf\xe9 au lait\n")
    w = load_files(path, encoding="latin-1")
    assert "café au lait" in w.text
    assert_offsets(w)


_LINE_END = re.compile(r"\r\n|\r|\n")
_PIECES = st.sampled_from(
    ["word", "Dear", "commu-", "nication", "\u201cq\u201d", " ", "\t", "\u00a0", "\f", "\n",
     "\r\n", "\r", "\n\n", "-\n", "\u2028"]
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    pieces=st.lists(_PIECES, min_size=1, max_size=40),
    bom=st.booleans(),
    codec=st.sampled_from(["utf-8", "utf-16"]),
)
def test_property_file_offsets_and_lines(pieces: list[str], bom: bool, codec: str) -> None:
    content = "".join(pieces)
    if not content.strip():
        return
    data = content.encode(codec)  # Python's utf-16 writes a BOM itself
    if bom and codec == "utf-8":
        data = codecs.BOM_UTF8 + data
    with tempfile.TemporaryDirectory() as folder:
        w = load_files(_write(Path(folder), data))
    assert w.text == content
    assert_offsets(w)
    for tok in w.tokens:
        assert tok.source is not None
        assert tok.source.line == 1 + len(_LINE_END.findall(content, 0, tok.start)), tok
