"""OCR pages -> Witness: the layout model shared by the hOCR, ALTO and PAGE XML loaders.

Each OCR loader parses its format into ``OcrPage`` objects (blocks of lines of words with boxes
and confidences); ``build_ocr_witness`` lays them out as text (lines joined by newlines, blocks
and paragraphs by blank lines), records a source span for every word, and marks running heads
and page numbers as apparatus by position on the page, repetition across pages and page-number
patterns. Line-end hyphens are left in the text; the tokenizer decides them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from proofbench.model import ApparatusKind, BBox, BlockKind, Source, Witness, WitnessSpec
from proofbench.witness.build import TextBuilder


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One recognized word with its box and confidence (0-100, None if the engine gave none)."""

    text: str
    bbox: BBox | None = None
    confidence: float | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of words; ``role`` carries an engine's own hint (``header``, ``footer``...)."""

    words: tuple[OcrWord, ...]
    bbox: BBox | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class OcrBlock:
    """A text block (column, paragraph, region) of lines in reading order."""

    lines: tuple[OcrLine, ...]
    bbox: BBox | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page: its file, image, size and blocks in reading order."""

    file: str
    blocks: tuple[OcrBlock, ...]
    width: int | None = None
    height: int | None = None
    image: str | None = None
    page_id: str | None = None


# Lines whose top edge lies within this fraction of the page height from the top (or whose
# bottom edge lies within it from the bottom) are candidates for running heads and folios.
MARGIN_BAND = 0.06
_PAGE_NUMBER = re.compile(r"^(?:page|p\.|pp\.)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\.?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def _line_text(line: OcrLine) -> str:
    return " ".join(w.text for w in line.words)


def _head_key(text: str) -> str:
    """A line's text with numbers and case removed, to recognise a head repeated on pages."""
    return _DIGITS.sub("#", text).casefold().strip()


def _in_margin(line: OcrLine, page: OcrPage) -> bool:
    if line.bbox is None or not page.height:
        return False
    band = MARGIN_BAND * page.height
    return line.bbox[1] <= band or line.bbox[3] >= page.height - band


def _repeated_heads(pages: Sequence[OcrPage]) -> set[str]:
    """Words of margin lines that recur on two or more pages (running-head vocabulary)."""
    seen: dict[str, set[int]] = {}
    for number, page in enumerate(pages):
        for block in page.blocks:
            for line in block.lines:
                if _in_margin(line, page):
                    for word in line.words:
                        key = _head_key(word.text)
                        if key and key != "#":
                            seen.setdefault(key, set()).add(number)
    return {k for k, v in seen.items() if len(v) > 1}


def _line_apparatus(
    line: OcrLine, page: OcrPage, repeated: set[str]
) -> tuple[ApparatusKind, str] | None:
    """Whether a whole line is a running head or page number, and why."""
    text = _line_text(line).strip()
    if not text:
        return None
    role = (line.role or "").lower()
    if role in {"header", "running-head", "headline", "pageheader"}:
        return ApparatusKind.RUNNING_HEAD, f"the OCR engine tagged the line as {line.role}"
    if role in {"footer", "pagefooter", "footnote-continued"}:
        return ApparatusKind.FOOTER, f"the OCR engine tagged the line as {line.role}"
    if role in {"page-number", "pagenumber"}:
        return ApparatusKind.PAGE_NUMBER, "the OCR engine tagged the line as a page number"
    if not _in_margin(line, page):
        return None
    if _PAGE_NUMBER.match(text):
        return ApparatusKind.PAGE_NUMBER, "a page number in the page margin"
    words = [_head_key(w.text) for w in line.words]
    if len(words) <= 10:
        shared = sum(1 for w in words if w in repeated or w == "#")
        if shared * 2 >= len(words):
            return ApparatusKind.RUNNING_HEAD, "a short margin line repeated on other pages"
        letters = [c for c in text if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            return ApparatusKind.RUNNING_HEAD, "a short capitalised line in the page margin"
        if len(words) <= 3 and any(c.isdigit() for c in text):
            return ApparatusKind.RUNNING_HEAD, "a short dated line in the page margin"
    return None


def _paragraph_breaks(block: OcrBlock) -> list[bool]:
    """For each line, whether it starts a new paragraph: indented against the block's margin."""
    lefts = [ln.bbox[0] for ln in block.lines if ln.bbox is not None]
    if len(lefts) < 3:
        return [i == 0 for i in range(len(block.lines))]
    heights = sorted(ln.bbox[3] - ln.bbox[1] for ln in block.lines if ln.bbox is not None)
    indent = max(heights[len(heights) // 2] * 0.6, 12)
    margin = sorted(lefts)[len(lefts) // 4]
    breaks = []
    for i, line in enumerate(block.lines):
        starts = i == 0
        if line.bbox is not None and i > 0:
            starts = line.bbox[0] - margin > indent
        breaks.append(starts)
    return breaks


def build_ocr_witness(
    spec: WitnessSpec, pages: Sequence[OcrPage], fmt: str, encoding: str = "utf-8"
) -> Witness:
    """Lay out OCR pages as one witness; raises EmptyWitnessError if no page holds a word."""
    builder = TextBuilder()
    repeated = _repeated_heads(pages)
    for number, page in enumerate(pages, start=1):
        if number > 1:
            builder.separate("\n\n")
            at = builder.position
            builder.mark_apparatus(at, at, ApparatusKind.PAGE_BREAK, f"page {number} begins")
        line_no = 0
        for block in page.blocks:
            breaks = _paragraph_breaks(block)
            kind = BlockKind.HEADING if (block.role or "") == "heading" else BlockKind.PARAGRAPH
            builder.open_block(kind)
            for line, new_paragraph in zip(block.lines, breaks, strict=True):
                line_no += 1
                if not line.words:
                    continue
                judged = _line_apparatus(line, page, repeated)
                if new_paragraph and not builder.ends_with("\n\n") and builder.position:
                    builder.open_block(kind)
                else:
                    builder.separate("\n")
                start = builder.position
                for i, word in enumerate(line.words):
                    if i:
                        builder.append(" ")
                    source = Source(
                        file=page.file,
                        page=number,
                        line=line_no,
                        bbox=word.bbox,
                        confidence=word.confidence,
                        image=page.image,
                        word_id=word.id,
                    )
                    builder.append(word.text, source)
                if judged is not None:
                    kind_, reason = judged
                    builder.mark_apparatus(start, builder.position, kind_, reason)
    return builder.finish(spec, fmt, encoding, pages=len(pages))
