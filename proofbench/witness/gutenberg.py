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
        at = ends[0].start()
        at += len(text[at:]) - len(text[at:].lstrip())
        found.append(
            Apparatus(at, len(text.rstrip()), ApparatusKind.FOOTER, "the Project Gutenberg licence")
        )
    return tuple(a for a in found if a.end > a.start)


def blocks(
    text: str, patterns: Sequence[tuple[re.Pattern[str], re.Pattern[str]]]
) -> list[Apparatus]:
    """Runs of lines from one matching a start pattern to the next matching its end pattern.

    Each pattern matches a whole line (stripped). A start with no end after it marks nothing:
    a missing end would otherwise swallow the rest of the text.
    """
    found: list[Apparatus] = []
    offsets: list[tuple[int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        offsets.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    for start, end in patterns:
        i = 0
        while i < len(offsets):
            at, body = offsets[i]
            if body.strip() and start.fullmatch(body.strip()):
                j = next(
                    (k for k in range(i + 1, len(offsets)) if end.fullmatch(offsets[k][1].strip())),
                    None,
                )
                if j is None:
                    break
                stop = offsets[j][0] + len(offsets[j][1])
                reason = f"lines from the manifest's block {start.pattern!r} to {end.pattern!r}"
                found.append(Apparatus(at, stop, ApparatusKind.HEADER, reason))
                i = j + 1
            else:
                i += 1
    return found
