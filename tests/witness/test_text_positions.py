"""Places reported for text witnesses point where a user looks: byte offsets and line numbers.

An EncodingError's byte offset must index the file as it is on disk (BOM included), and a plain
text token's line must be the line an editor or ``grep -n`` shows (only CR, LF, CRLF end lines).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofbench.errors import EncodingError
from proofbench.model import WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import load_witness
from proofbench.witness.decode import decode
from proofbench.witness.text import lines


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["no-bom", "utf8-bom"])
def test_encoding_error_offset_counts_from_the_file_start(bom: bytes) -> None:
    data = bom + "Trotsky’s ".encode() + b"caf\xe9\n"
    bad = data.index(b"\xe9")
    with pytest.raises(EncodingError) as info:
        decode(data, "w.txt")
    assert info.value.offset == bad
    assert data[info.value.offset] == 0xE9
    assert "0xe9" in str(info.value)
    assert f"(byte {bad})" in str(info.value)


def test_utf16_error_offset_counts_from_the_file_start() -> None:
    # An unpaired high surrogate after two good characters.
    data = codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8" + "c".encode("utf-16-le")
    with pytest.raises(EncodingError) as info:
        decode(data, "w.txt")
    assert info.value.offset == 6
    assert data[6:8] == b"\x00\xd8"


def _load(path: Path) -> list[tuple[str, int | None]]:
    w = tokenize(load_witness(WitnessSpec("A", (str(path),))))
    return [(t.t, t.source.line if t.source else None) for t in w.tokens]


def test_form_feed_does_not_start_a_line(tmp_path: Path) -> None:
    # pdftotext separates pages with a form feed inside a line.
    path = tmp_path / "pages.txt"
    path.write_text("end of page one\x0cpage two\nthird line\n", encoding="utf-8")
    grep_lines = path.read_bytes().split(b"\n")
    found = dict(_load(path))
    for word in ("one", "page", "two", "third"):
        assert word.encode() in grep_lines[found[word] - 1], word
    assert (found["page"], found["third"]) == (1, 2)


@pytest.mark.parametrize("sep", ["\u2028", "\x85", "\x0b"])
def test_unicode_separators_do_not_start_a_line(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "w.txt"
    path.write_text(f"alpha{sep}beta\ngamma", encoding="utf-8")
    found = dict(_load(path))
    assert (found["beta"], found["gamma"]) == (1, 2)


@pytest.mark.parametrize(
    ("eol", "expected"),
    [("\n", [1, 2, 3]), ("\r\n", [1, 2, 3]), ("\r", [1, 2, 3])],
    ids=["lf", "crlf", "cr"],
)
def test_line_numbers_under_each_line_ending(tmp_path: Path, eol: str, expected: list[int]) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes(eol.join(["one", "two", "three"]).encode())
    assert [line for _, line in _load(path)] == expected


@given(st.text(alphabet=st.sampled_from(list("ab \r\n\x0c\u2028\x85")), max_size=40))
def test_lines_tile_the_text(text: str) -> None:
    parts = lines(text)
    assert "".join(parts) == text
    assert all(p for p in parts)
    # Every part but the last ends a line, and no part holds a line end before its own end.
    for p in parts[:-1]:
        assert p.endswith(("\n", "\r"))
    for p in parts:
        body = p.rstrip("\r\n")
        assert "\n" not in body and "\r" not in body
    assert len(parts) == len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) - (
        1 if text.endswith(("\n", "\r")) or not text else 0
    )


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_paragraphs_are_blocks_under_each_line_ending(tmp_path: Path, eol: str) -> None:
    paragraphs = [["Dear Friends,"], ["I was deeply touched", "and gratified."], ["N."]]
    path = tmp_path / "w.txt"
    path.write_bytes((eol * 2).join(eol.join(p) for p in paragraphs).encode() + eol.encode())
    w = load_witness(WitnessSpec("A", (str(path),)))
    assert [w.text[b.start : b.end] for b in w.blocks] == [eol.join(p) for p in paragraphs]
