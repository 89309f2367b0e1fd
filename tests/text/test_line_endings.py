"""Line-end hyphens are joined whatever ends the line: LF, CRLF, or an old Mac's lone CR.

Transcriptions made on classic Mac OS end lines with CR alone; the text loader counts those as
lines, and the tokenizer must see the same line ends when it decides ``commu-`` / ``nication``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.model import WitnessSpec
from proofbench.pipeline import witness_from_text
from proofbench.text import tokenize
from proofbench.witness import load_witness

ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


@pytest.mark.parametrize("eol", list(ENDINGS.values()), ids=list(ENDINGS))
@pytest.mark.parametrize("blank", [False, True], ids=["line", "column-break"])
def test_line_end_hyphen_joins_across_every_line_ending(eol: str, blank: bool) -> None:
    gap = eol * (2 if blank else 1)
    text = f"your commu-{gap}nication informing me"
    w = witness_from_text("A", text)
    assert [t.reading for t in w.tokens] == ["your", "communication", "informing", "me"]
    tok = w.tokens[1]
    assert text[tok.start : tok.end] == tok.t == f"commu-{gap}nication"
    assert tok.hyphenation is not None and not tok.hyphenation.kept_hyphen


@pytest.mark.parametrize("eol", list(ENDINGS.values()), ids=list(ENDINGS))
def test_two_blank_lines_are_a_paragraph_break_not_a_join(eol: str) -> None:
    w = witness_from_text("A", f"commu-{eol * 3}nication")
    assert [t.t for t in w.tokens] == ["commu-", "nication"]


def test_cr_file_joins_and_counts_lines(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes(b"Dear Friends,\rI was gratified by your commu-\rnication of July.\r")
    w = tokenize(load_witness(WitnessSpec("A", (str(path),))))
    by_reading = {t.reading: t for t in w.tokens}
    joined = by_reading["communication"]
    assert w.text[joined.start : joined.end] == "commu-\rnication"
    assert joined.source is not None and joined.source.line == 2
    assert by_reading["July."].source is not None and by_reading["July."].source.line == 3
