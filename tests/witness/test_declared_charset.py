"""Declared charsets as browsers honour them: a UTF-16/32 declaration in ASCII bytes is UTF-8.

A declaration that can be read as ASCII bytes is itself proof that the file is not UTF-16 or
UTF-32 (those would need a BOM or show NUL bytes); WHATWG takes such pages as UTF-8.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.model import WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import load_witness
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
