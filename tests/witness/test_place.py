"""Places of offsets in a witness's files: plain text, HTML (by word) and hOCR (by word id)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from foundation_support import P45_FILES, T05_FILE, load_files

from proofbench.model import Kind
from proofbench.pipeline import witness_from_text
from proofbench.witness.place import Locator, Place, line_starts, place


def _editor_place(text: str, offset: int) -> tuple[int, int]:
    """Line and column as an editor counts them: newlines before, characters since the last."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _at(raw: str, where: Place) -> str:
    """The file's text from a place on."""
    return raw[line_starts(raw)[where.line - 1] + where.column - 1 :]


@given(st.text(alphabet="ab \n\r\u00e9", max_size=60))
def test_every_offset_of_a_text_is_its_editor_place(text: str) -> None:
    w = witness_from_text("A", text)
    locator = Locator(w)
    for offset in range(len(w.text) + 1):
        got = locator.place(offset)
        assert got is not None
        assert (got.line, got.column) == _editor_place(w.text, offset)


def test_one_locator_places_many_offsets_as_one_each() -> None:
    text = "".join(f"line {i} word\r\n" if i % 3 else f"line {i}\n\n" for i in range(300))
    w = witness_from_text("A", text)
    locator = Locator(w)
    offsets = [t.start for t in w.tokens]
    assert [locator.place(o) for o in offsets] == [place(w, o) for o in offsets]
    last = w.tokens[-1]
    got = locator.place(last.start)
    assert got is not None and _at(w.text, got).startswith(last.t)


def test_html_words_are_found_at_their_place_in_the_file() -> None:
    w = load_files(T05_FILE, siglum="T05", kind=Kind.TRANSCRIPTION)
    raw = T05_FILE.read_text(encoding="utf-8")
    locator = Locator(w)
    found = 0
    for tok in w.text_tokens:
        got = locator.place(tok.start)
        if got is None or got.column == 1:  # no source, or the word not found from its line
            continue
        word = re.match(r"\w+|[^\w\s]", tok.t)
        assert word is not None
        assert _at(raw, got).startswith(word[0]), (tok, got)
        found += 1
    assert found > len(w.text_tokens) // 2


def test_hocr_words_are_placed_at_the_tag_of_their_id() -> None:
    w = load_files(*P45_FILES, siglum="P45", kind=Kind.OCR)
    raws = {str(f): f.read_text(encoding="utf-8") for f in P45_FILES}
    locator = Locator(w)
    for tok in w.text_tokens:
        assert tok.source is not None and tok.source.word_id
        got = locator.place(tok.start)
        assert got is not None and got.file == tok.source.file
        tag = _at(raws[got.file], got)
        assert tag.startswith("<")
        assert re.match(rf"""<[^>]*\bid\s*=\s*["']{re.escape(tok.source.word_id)}["']""", tag)
