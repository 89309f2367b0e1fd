"""Format detection imports a format's module only when it is needed, and finds what it did.

Plain text (no ``<`` anywhere, no ``{`` near the start) is known without asking the other
formats' sniffers, so their modules (and lxml) stay unimported; every sniffer agrees that such
bytes are not its format.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench import witness


def test_each_name_is_its_modules_format():
    for fmt in witness.FORMATS:
        assert fmt == importlib.import_module(f"proofbench.witness.{fmt}").FORMAT


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600).map(lambda b: b.replace(b"<", b"").replace(b"{", b"")))
def test_no_sniffer_claims_bytes_without_markup_or_json(data):
    assert witness._plain(data)
    for fmt in witness.FORMATS[:-1]:
        assert not importlib.import_module(f"proofbench.witness.{fmt}").sniff(data, "x")


def test_markup_and_json_are_not_taken_for_plain_text():
    assert not witness._plain(b"<html><body><p>a</p></body></html>")
    assert not witness._plain(b'\xef\xbb\xbf{"witnesses": []}')
    assert not witness._plain(b"plain words " * 1000 + b"<pb/>")  # a tag far in: sniffers decide


def test_a_text_witness_loads_without_the_markup_formats(tmp_path):
    (tmp_path / "a.txt").write_text("one two three\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from proofbench.model import WitnessSpec\n"
        "from proofbench.witness import load_witness\n"
        f"w = load_witness(WitnessSpec(siglum='A', files=({str(tmp_path / 'a.txt')!r},)))\n"
        "assert w.format == 'text', w.format\n"
        "print(sorted(m for m in ('lxml.etree', 'proofbench.witness.tei',"
        " 'proofbench.witness.html') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
