"""Shared helpers of the foundation tests: the letter's paths and a one-file witness loader."""

from __future__ import annotations

from pathlib import Path

from proofbench.model import Witness, WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import load_witness

ROOT = Path(__file__).resolve().parents[1]
WITNESSES = ROOT / "witnesses"
LETTER = WITNESSES / "letter.toml"
P45_FILES = (
    WITNESSES / "1945-print-ocr" / "page-229.hocr",
    WITNESSES / "1945-print-ocr" / "page-230.hocr",
)
T05_FILE = WITNESSES / "2005-transcription.html"
W15_FILE = WITNESSES / "2015-proofread.txt"
FOUNDATION = ROOT / "tests" / "data" / "foundation"


def load_files(*paths: Path | str, siglum: str = "A", **spec: object) -> Witness:
    """Load (and tokenize) a witness from files, with extra WitnessSpec fields."""
    raw = load_witness(WitnessSpec(siglum, tuple(str(p) for p in paths), **spec))  # type: ignore[arg-type]
    return tokenize(raw)


def assert_offsets(w: Witness) -> None:
    """Every token is the text at its span, tokens in order and not overlapping."""
    assert w.tokens
    prev_end = 0
    for i, tok in enumerate(w.tokens):
        assert w.text[tok.start : tok.end] == tok.t, tok
        assert tok.index == i
        assert tok.start >= prev_end and tok.end > tok.start
        prev_end = tok.end
