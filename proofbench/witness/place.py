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
_NEWLINE = re.compile("\n")
_ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*["']""")
"""An id attribute up to its value: an OCR word's id is found by it (hOCR ``id``)."""
_ID_VALUE = re.compile(r"""([^"']*)["']""")


@dataclass(frozen=True, slots=True)
class Place:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def line_starts(text: str) -> list[int]:
    """The offset of every line's first character: 0, then one past each ``\\n``."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def _line_start(starts: list[int], line: int, text: str) -> int:
    """The offset where 1-based ``line`` starts (past the text's end for a line beyond it).

    As the sum of the lengths (each with its ``\\n``) of the lines before it."""
    before = line - 1
    if before < 0:  # as a negative slice of the lines counts from the end
        before = max(0, len(starts) + before)
    return starts[before] if before < len(starts) else len(text) + 1


def _line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset``, given its text's ``line_starts``."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


class Locator:
    """Places of one witness's offsets; reads each of its files at most once.

    Each text's line starts are found once (``line_starts``) and each file's word ids indexed
    once, so that placing many offsets costs a bisection each, not a pass over the file each.
    """

    def __init__(self, witness: Witness) -> None:
        self.witness = witness
        self._starts = [s.start for s in witness.spans]
        self._files: dict[str, str] = {}
        self._lines: dict[str, list[int]] = {}
        self._ids: dict[str, dict[str, int]] = {}
        self._text_lines: list[int] | None = None

    def _file_text(self, path: str) -> str:
        if path not in self._files:
            self._files[path] = read_text(path, self.witness.encoding)[0]
        return self._files[path]

    def _file_lines(self, path: str) -> list[int]:
        if path not in self._lines:
            self._lines[path] = line_starts(self._file_text(path))
        return self._lines[path]

    def _id_at(self, path: str, word_id: str) -> int | None:
        """Where the first ``id="word_id"`` attribute of the file starts, or None."""
        if "'" in word_id or '"' in word_id:  # not an attribute value the index holds
            m = re.search(
                _ID_ATTRIBUTE.pattern + re.escape(word_id) + "[\"']", self._file_text(path)
            )
            return m.start() if m else None
        if path not in self._ids:
            raw = self._file_text(path)
            ids: dict[str, int] = {}
            for m in _ID_ATTRIBUTE.finditer(raw):
                value = _ID_VALUE.match(raw, m.end())
                if value is not None:
                    ids.setdefault(value[1], m.start())
            self._ids[path] = ids
        return self._ids[path].get(word_id)

    def _span(self, offset: int) -> SourceSpan | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.witness.spans[i] if i >= 0 else None

    def place(self, offset: int) -> Place | None:
        """The place of ``offset`` in the witness's files, or None where no source says."""
        w = self.witness
        if w.format == "text" and len(w.files) == 1:
            if self._text_lines is None:
                self._text_lines = line_starts(w.text)
            return Place(w.files[0], *_line_col(self._text_lines, offset))
        span = self._span(offset)
        if span is None:
            return None
        src = span.source
        try:
            raw = self._file_text(src.file)
        except InputError:
            return None
        if src.word_id:
            at = self._id_at(src.file, src.word_id)
            if at is not None:
                tag = max(0, raw.rfind("<", 0, at))
                return Place(src.file, *_line_col(self._file_lines(src.file), tag))
        if src.line is None:
            return None
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
        for m in pattern.finditer(raw, _line_start(self._file_lines(src.file), src.line, raw)):
            if skip == 0:
                found = m.start()
                break
            skip -= 1
        if found is None:
            return Place(src.file, src.line, 1)
        return Place(src.file, *_line_col(self._file_lines(src.file), found))


def place(witness: Witness, offset: int) -> Place | None:
    """The place of one offset of ``witness.text`` in its files (see ``Locator``)."""
    return Locator(witness).place(offset)
