"""Bytes -> str: BOMs, declared charsets (iso-8859-1 read as cp1252), binary, undecodable."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from proofbench.errors import EncodingError, FormatError, MissingFileError
from proofbench.witness.decode import declared_encoding, decode, looks_binary, read_bytes, read_text


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode(b"", "f.txt") == ("", "utf-8")


def test_bom_only_is_empty_text() -> None:
    assert decode(codecs.BOM_UTF8, "f.txt") == ("", "utf-8-sig")


def test_utf8_bom_is_dropped_from_the_text() -> None:
    text, enc = decode(codecs.BOM_UTF8 + "café\n".encode(), "f.txt")
    assert text == "café\n"
    assert enc == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "Dear Friends,\r\nI was — “touched”.\n".encode(codec)
    text, enc = decode(data, "f.txt")
    assert text == "Dear Friends,\r\nI was — “touched”.\n"
    assert enc == "utf-16"


def test_utf16_is_not_taken_for_binary() -> None:
    assert not looks_binary(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le"))


@pytest.mark.parametrize("data", [b"a\nb", b"a\r\nb\r\n", b"\n", b"x"])
def test_line_ends_and_final_newline_are_kept(data: bytes) -> None:
    assert decode(data, "f.txt")[0] == data.decode()


def test_declared_iso_8859_1_is_read_as_cp1252() -> None:
    data = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        b"</head><body><p>Stalin\x92s \x93hired\x94 assassin \x96 caf\xe9</p></body></html>"
    )
    assert declared_encoding(data) == "iso-8859-1"
    text, enc = decode(data, "f.html")
    assert enc == "cp1252"
    assert "Stalin\u2019s \u201chired\u201d assassin \u2013 café" in text


def test_xml_declaration_is_honoured() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-15"?><a>€</a>'.encode("iso-8859-15")
    text, enc = decode(data, "f.xml")
    assert enc == "iso-8859-15"
    assert "€" in text


def test_invalid_utf8_names_the_byte_offset() -> None:
    data = b"Trotsky " + b"\xff" + b" rest"
    with pytest.raises(EncodingError) as info:
        decode(data, "letter.txt")
    assert info.value.offset == 8
    assert info.value.file == "letter.txt"
    assert "letter.txt" in str(info.value) and "byte 8" in str(info.value)


def test_forced_encoding_decodes_what_utf8_cannot() -> None:
    text, enc = decode(b"caf\xe9", "f.txt", "latin-1")
    assert text == "café"
    assert enc == "cp1252"


def test_forced_latin1_accepts_every_byte() -> None:
    data = bytes(range(0x20, 0x100))
    text, _ = decode(data, "f.txt", "latin-1")
    assert len(text) == len(data)
    # The five bytes Windows-1252 leaves undefined read as the C1 controls, as browsers do.
    assert [text[b - 0x20] for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)] == [
        "\x81",
        "\x8d",
        "\x8f",
        "\x90",
        "\x9d",
    ]
    assert text[0x80 - 0x20] == "\u20ac"


def test_unknown_encoding_is_an_encoding_error() -> None:
    with pytest.raises(EncodingError, match="unknown encoding"):
        decode(b"abc", "f.txt", "no-such-codec")


def test_binary_content_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "page.png")


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        (b"", False),
        (b"plain text\n", False),
        (b"tab\tseparated\r\n", False),
        (b"a\x00b", True),
        (bytes(range(1, 9)) * 10, True),
    ],
)
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


def test_read_bytes_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="no such file") as info:
        read_bytes(tmp_path / "absent.txt")
    assert info.value.file == str(tmp_path / "absent.txt")
    with pytest.raises(MissingFileError, match="folder"):
        read_bytes(tmp_path)


def test_read_text_reads_and_decodes(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(codecs.BOM_UTF8 + b"x\r\ny")
    assert read_text(f) == ("x\r\ny", "utf-8-sig")


def test_single_byte_mojibake_is_a_warning_with_its_fix(tmp_path: Path) -> None:
    from proofbench.model import WitnessSpec
    from proofbench.witness import load_witness

    path = tmp_path / "act.txt"
    path.write_text("Ah! when againó\nAnd yet thisó so near, ó and far.\n", encoding="utf-8")
    w = load_witness(WitnessSpec("A", (str(path),)))
    assert len(w.warnings) == 1
    assert "act.txt" in w.warnings[0] and "'—'" in w.warnings[0]
    assert 'normalize.replace = [{ pattern = "ó", replacement = "—" }]' in w.warnings[0]
    assert w.text.count("ó") == 3  # the text stays what the file says


def test_utf8_read_as_cp1252_is_a_warning(tmp_path: Path) -> None:
    from proofbench.model import WitnessSpec
    from proofbench.witness import load_witness

    path = tmp_path / "page.txt"
    path.write_text("the caf\u00c3\u00a9 was open \u00e2\u20ac\u201d indeed\n", encoding="utf-8")
    (warning,) = load_witness(WitnessSpec("A", (str(path),))).warnings
    assert "UTF-8 read as a single-byte code page" in warning


def test_accented_text_is_no_mojibake(tmp_path: Path) -> None:
    from proofbench.model import WitnessSpec
    from proofbench.witness import load_witness

    path = tmp_path / "es.txt"
    path.write_text("Habló con él: la canción está aquí, dijo José; habló otra vez.\n", "utf-8")
    assert load_witness(WitnessSpec("A", (str(path),))).warnings == ()
