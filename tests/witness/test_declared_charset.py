"""Declared and named encodings as browsers honour them.

A declaration that can be read as ASCII bytes is itself proof that the file is not UTF-16 or
UTF-32 (those would need a BOM or show NUL bytes); WHATWG takes such pages as UTF-8. A BOM wins
over any named encoding; a BOM-less UTF-16/32 file loads once the manifest names its encoding.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from proofbench.errors import FormatError
from proofbench.model import WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import detect, load_witness
from proofbench.witness.decode import decode


@pytest.mark.parametrize("name", ["utf-16", "UTF-16LE", "utf-16be", "utf-32"])
@pytest.mark.parametrize("body", ["caf\u00e9 au lait", "Dear Friends, caf\u00e9"])
def test_utf16_declaration_in_ascii_bytes_is_read_as_utf8(name: str, body: str) -> None:
    # Both an odd and an even byte count: utf-16 would fail on one and make mojibake of the other.
    data = f'<html><head><meta charset="{name}"></head><body><p>{body}</p></body></html>'.encode()
    text, encoding = decode(data, "page.html")
    assert body in text
    assert encoding == "utf-8"


def test_utf16_declared_page_loads_as_a_witness(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-16">'
        b"</head><body><p>Trotsky\xe2\x80\x99s caf\xc3\xa9</p></body></html>"
    )
    w = tokenize(load_witness(WitnessSpec("A", (str(path),))))
    assert [t.t for t in w.tokens] == ["Trotsky\u2019s", "caf\u00e9"]


def test_a_real_utf16_file_is_still_read_by_its_bom() -> None:
    data = '\ufeff<html><meta charset="utf-16"><body><p>caf\u00e9</p></body></html>'.encode(
        "utf-16-le"
    )
    text, encoding = decode(data, "page.html")
    assert "caf\u00e9" in text and not text.startswith("\ufeff")
    assert encoding == "utf-16"


def test_other_declarations_are_still_honoured() -> None:
    data = b'<html><head><meta charset="iso-8859-1"></head><body><p>\x93caf\xe9\x94</p></body>'
    text, encoding = decode(data, "page.html")
    assert "\u201ccaf\u00e9\u201d" in text
    assert encoding == "cp1252"


# --- encodings named in the manifest -----------------------------------------------------------


@pytest.mark.parametrize("named", ["latin-1", "cp1252", "utf-16-le"])
def test_a_bom_wins_over_the_named_encoding(named: str) -> None:
    text, encoding = decode(codecs.BOM_UTF8 + "caf\u00e9".encode(), "w.txt", named)
    assert text == "caf\u00e9"
    assert encoding == "utf-8-sig"


@pytest.mark.parametrize("named", ["utf-16-le", "UTF-16BE", "utf-32-le"])
def test_a_bomless_wide_file_loads_when_the_manifest_names_it(tmp_path: Path, named: str) -> None:
    codec = codecs.lookup(named).name
    path = tmp_path / "w.txt"
    path.write_bytes("Dear Friends,\ncaf\u00e9 au lait\n".encode(codec))
    w = tokenize(load_witness(WitnessSpec("A", (str(path),), encoding=named)))
    assert [t.t for t in w.tokens] == ["Dear", "Friends,", "caf\u00e9", "au", "lait"]
    assert [t.source.line for t in w.tokens if t.source] == [1, 1, 2, 2, 2]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_without_a_named_encoding_is_read(tmp_path: Path, codec: str) -> None:
    # A NUL in every other byte, on one side only: UTF-16 text, not a binary file.
    path = tmp_path / "w.txt"
    path.write_bytes("Dear Friends, caf\u00e9\n".encode(codec))
    w = load_witness(WitnessSpec("A", (str(path),)))
    assert w.text == "Dear Friends, caf\u00e9\n" and w.encoding == codec


def test_nuls_on_both_sides_stay_binary(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes(b"ab\x00\x00cd\x00e\x00")
    with pytest.raises(FormatError, match="binary"):
        load_witness(WitnessSpec("A", (str(path),)))


def test_a_binary_file_stays_binary_under_a_narrow_named_encoding() -> None:
    with pytest.raises(FormatError):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "img.txt", "latin-1")


PAGE = "<!DOCTYPE html><html><body><nav>Home</nav><p>Dear Friends, caf\u00e9</p></body></html>\n"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be"), None),
        (PAGE.encode("utf-16-le"), "utf-16-le"),
    ],
    ids=["bom-le", "bom-be", "bomless-named"],
)
def test_a_utf16_html_page_is_detected_as_html(
    tmp_path: Path, data: bytes, named: str | None
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    assert detect(str(path), named) == "html"
    w = tokenize(load_witness(WitnessSpec("A", (str(path),), encoding=named)))
    assert w.format == "html"
    assert [t.t for t in w.text_tokens] == ["Dear", "Friends,", "caf\u00e9"]
    assert [t.t for t in w.tokens if t.apparatus is not None] == ["Home"]
