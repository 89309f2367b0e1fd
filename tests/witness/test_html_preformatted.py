"""HTML ``<pre>``: verse, letters and code laid out by hand keep their lines and indents.

Outside ``<pre>`` whitespace collapses as a browser collapses it; inside, it is the text's own
(HTML drops only a newline right after the ``<pre>`` tag).
"""

from __future__ import annotations

from pathlib import Path

from proofbench.model import WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import load_witness


def _load(tmp_path: Path, body: str) -> str:
    path = tmp_path / "page.html"
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>\n", encoding="utf-8")
    w = tokenize(load_witness(WitnessSpec("A", (str(path),))))
    for tok in w.tokens:
        assert w.text[tok.start : tok.end] == tok.t
    return w.text


def test_pre_keeps_line_breaks_and_indents(tmp_path: Path) -> None:
    verse = "Comrades, the hour\n   of decision\n\nhas come."
    text = _load(tmp_path, f"<p>Before  the\n verse</p><pre>\n{verse}</pre><p>After   it</p>")
    # Outside <pre>, whitespace still collapses; blocks stay apart by one blank line.
    assert text.rstrip("\n") == f"Before the verse\n\n{verse}\n\nAfter it"


def test_pre_with_inline_markup(tmp_path: Path) -> None:
    text = _load(tmp_path, "<pre>Line <b>one</b>\n  <i>two</i> words</pre>")
    assert "Line one\n  two words" in text


def test_leading_newline_after_pre_is_dropped_once(tmp_path: Path) -> None:
    text = _load(tmp_path, "<pre>\n\nsecond line</pre>")
    assert text.strip("\n") == "second line"
    assert text.startswith("\nsecond line")
