"""A builder that assembles a Witness's extracted text piece by piece, keeping every source.

Loaders of structured formats (HTML, hOCR, ALTO, PAGE, TEI, CollateX JSON) append text with its
source, open and close blocks, and mark apparatus; ``finish`` returns the frozen Witness.
Offsets recorded are offsets into the final text, so ``text[span.start:span.end]`` is always the
piece that was appended.
"""

from __future__ import annotations

from dataclasses import replace

from proofbench.errors import EmptyWitnessError
from proofbench.model import (
    Apparatus,
    ApparatusKind,
    Block,
    BlockKind,
    Source,
    SourceSpan,
    Witness,
    WitnessSpec,
)


class TextBuilder:
    """Accumulates text, source spans, blocks and apparatus marks for one witness."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._spans: list[SourceSpan] = []
        self._apparatus: list[Apparatus] = []
        self._blocks: list[Block] = []
        self._block_start: int | None = None
        self._block_kind = BlockKind.PARAGRAPH

    @property
    def position(self) -> int:
        """The offset at which the next appended piece will start."""
        return self._length

    def ends_with(self, suffix: str) -> bool:
        """True if the text so far ends with ``suffix``."""
        tail = "".join(self._parts[-4:])
        return tail.endswith(suffix) if self._parts else suffix == ""

    def append(self, piece: str, source: Source | None = None) -> tuple[int, int]:
        """Append a piece of text (with its source, if any); returns its (start, end)."""
        start = self._length
        if piece:
            self._parts.append(piece)
            self._length += len(piece)
            if source is not None:
                self._spans.append(SourceSpan(start, self._length, source))
        return start, self._length

    def separate(self, separator: str) -> None:
        """Append ``separator`` unless the text is empty or already ends with it."""
        if self._length and not self.ends_with(separator):
            # Upgrade a trailing single newline to a blank line rather than stacking.
            if separator == "\n\n" and self.ends_with("\n"):
                self.append("\n")
            elif separator == " " and self.ends_with("\n"):
                return
            else:
                self.append(separator)

    def mark_apparatus(self, start: int, end: int, kind: ApparatusKind, reason: str) -> None:
        """Mark text[start:end] as apparatus of that kind, for that reason."""
        if end > start or kind is ApparatusKind.PAGE_BREAK:
            self._apparatus.append(Apparatus(start, end, kind, reason))

    def open_block(self, kind: BlockKind = BlockKind.PARAGRAPH) -> None:
        """Start a block (closing any open one), separated from earlier text by a blank line."""
        self.close_block()
        self.separate("\n\n")
        self._block_start = self._length
        self._block_kind = kind

    def close_block(self) -> None:
        """End the open block, if any, recording it when it holds text."""
        if self._block_start is not None:
            end = self._length - self._trailing_space()
            if end > self._block_start:
                self._blocks.append(Block(self._block_start, end, self._block_kind))
            self._block_start = None

    def _trailing_space(self) -> int:
        """How many whitespace characters end the text (without joining it: blocks are many)."""
        count = 0
        for part in reversed(self._parts):
            stripped = part.rstrip()
            count += len(part) - len(stripped)
            if stripped:
                break
        return count

    def text(self) -> str:
        """The text so far."""
        return "".join(self._parts)

    def finish(self, spec: WitnessSpec, fmt: str, encoding: str, pages: int = 0) -> Witness:
        """The Witness built so far; raises EmptyWitnessError if it holds no text."""
        self.close_block()
        text = self.text()
        name = spec.files[0] if spec.files else spec.siglum
        if not text.strip():
            raise EmptyWitnessError("the witness has no text", file=name)
        return witness_from_spec(
            spec,
            text=text,
            fmt=fmt,
            encoding=encoding,
            spans=tuple(self._spans),
            apparatus=tuple(sorted(self._apparatus, key=lambda a: (a.start, -a.end))),
            blocks=tuple(self._blocks),
            pages=pages,
        )


def witness_from_spec(
    spec: WitnessSpec,
    *,
    text: str,
    fmt: str,
    encoding: str,
    spans: tuple[SourceSpan, ...] = (),
    apparatus: tuple[Apparatus, ...] = (),
    blocks: tuple[Block, ...] = (),
    pages: int = 0,
) -> Witness:
    """A Witness carrying the spec's identity (siglum, label, kind, date, derives_from, files)."""
    return Witness(
        siglum=spec.siglum,
        text=text,
        files=spec.files,
        format=fmt,
        label=spec.label,
        kind=spec.kind,
        date=spec.date,
        derives_from=spec.derives_from,
        encoding=encoding,
        spans=spans,
        apparatus=apparatus,
        blocks=blocks,
        pages=pages,
    )


def with_apparatus(witness: Witness, extra: tuple[Apparatus, ...]) -> Witness:
    """The witness with more apparatus marks, kept sorted."""
    merged = tuple(sorted((*witness.apparatus, *extra), key=lambda a: (a.start, -a.end)))
    return replace(witness, apparatus=merged)
