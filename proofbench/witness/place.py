"""Where an offset of a witness's extracted text stands in its files: file, line and column.

Input: a Witness and an offset into ``Witness.text``. Output: a ``Place`` (file, 1-based line
and column as a text editor counts them). Plain text maps the offset directly. Markup formats
(HTML, TEI, hOCR, ALTO, PAGE) keep, per source span, the file and the line the loader read it
from: the place is found in that file by the OCR word's id where there is one, else by the word
at the offset, searched from the recorded line (skipping as many occurrences as the span holds
before the offset). Line ends are counted as ``\\n``; a ``\\r\\n`` file counts the same.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from proofbench.errors import InputError
from proofbench.model import SourceSpan, Witness
from proofbench.witness.decode import read_text

_WORD = re.compile(r"\w+|[^\w\s]")
"""What is searched for in a markup file: the word at the offset, or its punctuation mark."""


@dataclass(frozen=True, slots=True)
class Place:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class Locator:
    """Places of one witness's offsets; reads each of its files at most once."""

    def __init__(self, witness: Witness) -> None:
        self.witness = witness
        self._starts = [s.start for s in witness.spans]
        self._files: dict[str, str] = {}

    def _file_text(self, path: str) -> str:
        if path not in self._files:
            self._files[path] = read_text(path, self.witness.encoding)[0]
        return self._files[path]

    def _span(self, offset: int) -> SourceSpan | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.witness.spans[i] if i >= 0 else None

    def place(self, offset: int) -> Place | None:
        """The place of ``offset`` in the witness's files, or None where no source says."""
        w = self.witness
        if w.format == "text" and len(w.files) == 1:
            return Place(w.files[0], *_line_col(w.text, offset))
        span = self._span(offset)
        if span is None:
            return None
        src = span.source
        try:
            raw = self._file_text(src.file)
        except InputError:
            return None
        if src.word_id:
            m = re.search(r"""\bid\s*=\s*["']""" + re.escape(src.word_id) + "[\"']", raw)
            if m:
                return Place(src.file, *_line_col(raw, max(0, raw.rfind("<", 0, m.start()))))
        if src.line is None:
            return None
        lines = raw.split("\n")
        from_offset = sum(len(x) + 1 for x in lines[: src.line - 1])
        if w.format == "text":
            # One line per span: the offset's column within it.
            before = w.text[span.start : offset]
            return Place(src.file, src.line + before.count("\n"), offset - span.start + 1)
        word = _WORD.search(w.text, offset, offset + 200)
        if word is None:
            return Place(src.file, src.line, 1)
        skip = sum(1 for m in _WORD.finditer(w.text, span.start, offset) if m[0] == word[0])
        literal = re.escape(word[0])
        pattern = re.compile(r"(?<!\w)" + literal + r"(?!\w)" if word[0][0].isalnum() else literal)
        found = None
        for m in pattern.finditer(raw, from_offset):
            if skip == 0:
                found = m.start()
                break
            skip -= 1
        if found is None:
            return Place(src.file, src.line, 1)
        return Place(src.file, *_line_col(raw, found))


def place(witness: Witness, offset: int) -> Place | None:
    """The place of one offset of ``witness.text`` in its files (see ``Locator``)."""
    return Locator(witness).place(offset)
