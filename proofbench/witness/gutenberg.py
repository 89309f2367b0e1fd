"""Blocks of apparatus in plain text: Project Gutenberg's header and licence, and the manifest's.

Input: a witness's text (and the manifest's ``apparatus.blocks``, start and end patterns).
Output: Apparatus spans covering whole lines, never the text between them.

A Project Gutenberg e-text carries a header (title, credits, the old "small print") before its
``*** START OF THE PROJECT GUTENBERG EBOOK ...`` line, and its licence after the ``*** END OF
...`` line (older releases: ``*END*THE SMALL PRINT!...*END*`` ends the header, ``End of the
Project Gutenberg Etext of ...`` starts the footer). They are set apart by default: they are
facts about the release, and differ between releases more than the book does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from proofbench.model import Apparatus, ApparatusKind

_START = re.compile(
    r"^\s*\*{3}\s*START OF (?:THIS|THE) PROJECT GUTENBERG E(?:BOOK|TEXT)[^\n]*(?:\n[^\n]*\*{3})?"
    r"|^\s*\*+\s*END\*?\s*THE SMALL PRINT![^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
_END = re.compile(
    r"^\s*\*{3}\s*END OF (?:THIS|THE) PROJECT GUTENBERG E(?:BOOK|TEXT)"
    r"|^\s*End of (?:the )?Project Gutenberg'?s? E(?:book|text)",
    re.IGNORECASE | re.MULTILINE,
)
_LINE_END = re.compile(r"\r?\n|\r|\Z")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
"""A line with its ending, as editors and grep count them: only CR, LF and CRLF end one
(``str.splitlines`` also breaks at form feeds, which pdftotext puts between pages, U+2028, NEL
and other separators, and would shift every line number)."""
_SPACE = re.compile(r"\s*")


def _to_line_end(text: str, at: int) -> int:
    m = _LINE_END.search(text, at)
    return m.start() if m else len(text)


def gutenberg(text: str) -> tuple[Apparatus, ...]:
    """The header and licence of a Project Gutenberg e-text; () for any other text."""
    if "gutenberg" not in text[:20000].lower() and "gutenberg" not in text[-40000:].lower():
        return ()
    found: list[Apparatus] = []
    head_end = 0
    starts = list(_START.finditer(text, 0, min(len(text), len(text) // 2 + 1)))
    if starts:
        head_end = _to_line_end(text, starts[-1].end())
        found.append(Apparatus(0, head_end, ApparatusKind.HEADER, "the Project Gutenberg header"))
    ends = [m for m in _END.finditer(text, head_end) if m.start() > len(text) // 2]
    if ends:
        # Offsets found in place: a slice or a strip of a book would copy all of it.
        at = _SPACE.match(text, ends[0].start()).end()  # type: ignore[union-attr]
        stop = len(text)
        while stop > at and text[stop - 1].isspace():
            stop -= 1
        found.append(Apparatus(at, stop, ApparatusKind.FOOTER, "the Project Gutenberg licence"))
    return tuple(a for a in found if a.end > a.start)


def blocks(
    text: str, patterns: Sequence[tuple[re.Pattern[str], re.Pattern[str]]]
) -> list[Apparatus]:
    """Runs of lines from one matching a start pattern to the next matching its end pattern.

    Each pattern matches a whole line (stripped). A start with no end after it marks nothing:
    a missing end would otherwise swallow the rest of the text.
    """
    found: list[Apparatus] = []
    for start, end in patterns:
        # One pass over the lines, never all held: a book has a million.
        opened: int | None = None
        pos = 0
        for m in LINE.finditer(text):
            line = m.group()
            body = line.rstrip("\r\n")
            stripped = body.strip()
            if opened is None:
                if stripped and start.fullmatch(stripped):
                    opened = pos
            elif end.fullmatch(stripped):
                reason = f"lines from the manifest's block {start.pattern!r} to {end.pattern!r}"
                found.append(Apparatus(opened, pos + len(body), ApparatusKind.HEADER, reason))
                opened = None
            pos += len(line)
    return found
