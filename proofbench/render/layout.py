"""Where each variant stands in each witness's text, and that text cut into marked pieces.

Input: a Collation (witnesses, alignment, variants). Output: for a witness, the span of each
variant in its text (an anchor of zero width where the witness has no reading), and the text of
any range as ``Piece``s, plain or marked with a key, with apparatus left out and line-end hyphens
resolved (the reading text, as in ``proofbench.text.reading``). Shared by the HTML and TEI
renderers, so both show the same text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from proofbench.model import (
    Block,
    BlockKind,
    Collation,
    Variant,
    Witness,
    hyphenated_tokens,
    token_ends,
    token_starts,
)

MAX_BLOCK = 6000
"""Characters in the longest block shown as one (about a thousand words)."""
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")

Piece = tuple[str, Hashable | None]
"""A run of reading text and the key of the mark it belongs to (None for plain text)."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A keyed span of a witness's text (``start == end`` for an insertion point)."""

    start: int
    end: int
    key: Hashable


def variant_span(collation: Collation, variant: Variant, siglum: str) -> tuple[int, int]:
    """The span of ``variant`` in witness ``siglum``: its location, else an anchor from the columns.

    Where the witness has no reading (an omission), the anchor is the end of its last token in
    an earlier column, else the start of its first token in a later one, else 0.
    """
    loc = variant.locations.get(siglum)
    if loc is not None:
        return loc.start, loc.end
    return _anchors(collation, siglum).at(variant.columns[0] if variant.columns else 0)


class _Anchors:
    """For one witness, the offset just after its last token before each column."""

    def __init__(self, collation: Collation, siglum: str) -> None:
        witness = collation.witness(siglum)
        starts, ends = token_starts(witness.tokens), token_ends(witness.tokens)
        self.after: list[int] = []
        self.before: list[int | None] = []
        last = -1
        for col in collation.alignment.columns:
            self.after.append(last)
            idx = col.readings.get(siglum, ())
            if idx:
                last = max(last, ends[idx[-1]])
        nxt: int | None = None
        firsts: list[int | None] = []
        for col in reversed(collation.alignment.columns):
            idx = col.readings.get(siglum, ())
            if idx:
                nxt = starts[idx[0]]
            firsts.append(nxt)
        self.before = firsts[::-1]

    def at(self, column: int) -> tuple[int, int]:
        if 0 <= column < len(self.after):
            if self.after[column] >= 0:
                return self.after[column], self.after[column]
            first = self.before[column]
            if first is not None:
                return first, first
        return 0, 0


_ANCHOR_CACHE: dict[tuple[int, str], _Anchors] = {}


def _anchors(collation: Collation, siglum: str) -> _Anchors:
    key = (id(collation.alignment), siglum)
    found = _ANCHOR_CACHE.get(key)
    if found is None:
        if len(_ANCHOR_CACHE) > 32:
            _ANCHOR_CACHE.clear()
        found = _ANCHOR_CACHE[key] = _Anchors(collation, siglum)
    return found


class Layout:
    """A witness's text as the reader sees it: cut into ranges, apparatus out, hyphens joined."""

    def __init__(self, witness: Witness) -> None:
        self.witness = witness
        self.text = witness.text
        # Apparatus spans drop out; hyphenated tokens show their reading. Both are replacements.
        subs: list[tuple[int, int, str]] = [
            (a.start, a.end, "") for a in witness.apparatus if a.end > a.start
        ]
        subs += [(t.start, t.end, t.reading) for t in hyphenated_tokens(witness.tokens)]
        subs.sort(key=lambda s: (s[0], -s[1]))
        self._subs = subs
        self._sub_starts = [s[0] for s in subs]
        self._blocks: tuple[Block, ...] | None = None

    def blocks(self) -> tuple[Block, ...]:
        """The witness's blocks (else its blank-line paragraphs), none longer than MAX_BLOCK.

        A longer block is cut at a space, so that a text without paragraphs can still be shown
        page by page.
        """
        if self._blocks is None:
            found = self.witness.blocks or tuple(
                Block(m.start(), m.end(), BlockKind.PARAGRAPH)
                for m in _PARAGRAPH.finditer(self.text)
            )
            out: list[Block] = []
            for b in found or (Block(0, len(self.text), BlockKind.PARAGRAPH),):
                start = b.start
                while b.end - start > MAX_BLOCK:
                    cut = self.text.rfind(" ", start + MAX_BLOCK // 2, start + MAX_BLOCK)
                    cut = cut + 1 if cut > start else start + MAX_BLOCK
                    out.append(Block(start, cut, b.kind))
                    start = cut
                out.append(Block(start, b.end, b.kind))
            self._blocks = tuple(out)
        return self._blocks

    def clean(self, start: int, end: int) -> str:
        """The reading text of ``text[start:end]``: apparatus removed, hyphenated words joined."""
        out: list[str] = []
        pos = start
        i = max(0, bisect.bisect_left(self._sub_starts, start) - 1)
        while i < len(self._subs) and self._subs[i][0] < end:
            s, e, repl = self._subs[i]
            i += 1
            if e <= pos:
                continue
            if repl and (s < start or e > end):
                continue  # a hyphenated word cut by the range: leave it as written
            s = max(s, pos)
            out.append(self.text[pos:s])
            out.append(repl)
            pos = min(e, end)
        if pos < end:
            out.append(self.text[pos:end])
        return "".join(out)

    def pieces(self, start: int, end: int, marks: Iterable[Mark]) -> list[Piece]:
        """The range ``[start, end)`` as pieces; marks are clipped to it and never overlap.

        A mark that starts inside an earlier one is moved to that one's end; a mark outside the
        range is clipped to its nearer edge (so insertion points between blocks still show).
        """
        out: list[Piece] = []
        pos = start
        for m in sorted(marks, key=lambda m: (m.start, m.end)):
            s = min(max(m.start, pos), end)
            e = min(max(m.end, s), end)
            if s > pos:
                text = self.clean(pos, s)
                if text:
                    out.append((text, None))
            out.append((self.clean(s, e), m.key))
            pos = e
        if pos < end:
            text = self.clean(pos, end)
            if text:
                out.append((text, None))
        return out


def assign(ranges: Sequence[tuple[int, int]], marks: Iterable[Mark]) -> list[list[Mark]]:
    """Marks grouped by the ranges they overlap: a mark spanning two ranges is in both.

    A mark that starts in a gap between ranges goes with the preceding one. Pieces of one
    mark in later ranges carry the same key: a renderer that writes the whole reading at the
    first piece skips the continuations (see ``continuation``).
    """
    starts = [r[0] for r in ranges]
    out: list[list[Mark]] = [[] for _ in ranges]
    if not ranges:
        return out
    for m in marks:
        first = max(0, bisect.bisect_right(starts, m.start) - 1)
        last = max(first, bisect.bisect_left(starts, m.end) - 1)
        for i in range(first, last + 1):
            out[i].append(m)
    return out


def is_blank(pieces: Sequence[Piece]) -> bool:
    """True where the pieces hold no text and no mark."""
    return all(key is None and not text.strip() for text, key in pieces)
