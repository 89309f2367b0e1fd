"""hOCR honours the manifest's ``encoding``, as the error for undecodable bytes tells users to.

An hOCR file in a legacy encoding (no declaration, or a wrong one) is an EncodingError naming the
byte, until the manifest names the encoding; then it loads with the right letters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.errors import EncodingError, FormatError
from proofbench.model import WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import load_witness

PAGE = (
    '<div class="ocr_page" title="bbox 0 0 1000 1400">'
    '<span class="ocr_line" title="bbox 100 200 900 240">'
    '<span class="ocrx_word" title="bbox 100 200 200 240; x_wconf 90">Caf\u00e9</span> '
    '<span class="ocrx_word" title="bbox 300 200 400 240; x_wconf 80">\u201cLenin\u201d</span>'
    "</span></div>"
)
FLAVOURS = {
    "html": f"<html><head></head><body>{PAGE}</body></html>",
    "xhtml-declared-utf8": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head></head><body>{PAGE}</body></html>'
    ),
}


def _write(tmp_path: Path, flavour: str) -> Path:
    path = tmp_path / "page.hocr"
    path.write_bytes(FLAVOURS[flavour].encode("cp1252"))
    return path


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_undecodable_hocr_names_the_byte(tmp_path: Path, flavour: str) -> None:
    path = _write(tmp_path, flavour)
    with pytest.raises(EncodingError) as info:
        load_witness(WitnessSpec("A", (str(path),), format="hocr"))
    assert info.value.offset == path.read_bytes().index(b"\xe9")


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_the_manifest_encoding_makes_it_load(tmp_path: Path, flavour: str) -> None:
    path = _write(tmp_path, flavour)
    w = tokenize(load_witness(WitnessSpec("A", (str(path),), encoding="cp1252")))
    assert w.format == "hocr"
    assert [t.t for t in w.tokens] == ["Caf\u00e9", "\u201cLenin\u201d"]
    assert [t.source.confidence for t in w.tokens if t.source] == [90, 80]
    assert all(w.text[t.start : t.end] == t.t for t in w.tokens)


def test_a_broken_declared_xhtml_is_still_refused_with_an_encoding(tmp_path: Path) -> None:
    path = tmp_path / "page.hocr"
    path.write_bytes(FLAVOURS["xhtml-declared-utf8"].encode("cp1252")[:-20])
    with pytest.raises(FormatError):
        load_witness(WitnessSpec("A", (str(path),), format="hocr", encoding="cp1252"))
