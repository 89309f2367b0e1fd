"""Mutated real files never crash a loader: a witness, or an InputError naming the file.

Seeds are the repository's own sample files of every format (ALTO, PAGE, TEI, CollateX JSON,
hOCR, HTML, text); hypothesis flips, cuts, repeats and splices bytes of them and inserts the
hostile pieces real files have carried (inf/NaN coordinates, odd encodings, lone surrogates,
deep nesting). The run is bounded by its number of examples, each file a few KB.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofbench.errors import InputError
from proofbench.model import WitnessSpec
from proofbench.text.tokenize import tokenize_all
from proofbench.witness import load_witness

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(
    p
    for p in [*(ROOT / "tests" / "data" / "samples").iterdir(), *(ROOT / "witnesses").rglob("*")]
    if p.is_file() and p.suffix in {".xml", ".json", ".hocr", ".html", ".txt"}
)
HOSTILE = [
    b'HPOS="inf"', b'VPOS="nan"', b"bbox nan 0 inf 9", b'index="1.0"', b"\\ud800", b"\x00",
    b'encoding="zlib"', b'charset="rot13"', b"<font>" * 300, b"<!--", b"]]>", b"&amp", b"\xff\xfe",
    b"<pb/>", b"<app><rdg wit='#a'>x</rdg><rdg wit='#b'>y</rdg></app>", b"-\n", b"\r",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    data = bytearray(seed.read_bytes()[:6000])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 100))] * draw(st.integers(2, 20))
        else:
            del data[at:]
    return seed.name, bytes(data)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(mutated())
def test_a_mutated_file_loads_or_is_refused_in_one_line(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            witness = load_witness(WitnessSpec("A", (str(path),)))
            tokenize_all([witness])
        except InputError as exc:
            line = str(exc)
            assert "\n" not in line and name in line
