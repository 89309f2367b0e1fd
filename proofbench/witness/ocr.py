"""OCR pages -> Witness: the layout model shared by the hOCR, ALTO and PAGE XML loaders.

Each OCR loader parses its format into ``OcrPage`` objects (blocks of lines of words with boxes
and confidences); ``build_ocr_witness`` lays them out as text (lines joined by newlines, blocks
and paragraphs by blank lines), records a source span for every word, and marks running heads
and page numbers as apparatus by position on the page, repetition across pages and page-number
patterns. Line-end hyphens are left in the text; the tokenizer decides them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from proofbench.model import ApparatusKind, BBox, BlockKind, Source, Witness, WitnessSpec
from proofbench.witness.build import TextBuilder
from proofbench.witness.decode import read_bytes
from proofbench.witness.xml import xml_encoding


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


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".jp2")

# Lines whose top edge lies within this fraction of the page height from the top (or whose
# bottom edge lies within it from the bottom) are candidates for running heads and folios.
MARGIN_BAND = 0.06
_PAGE_NUMBER = re.compile(
    r"^(?:(?i:page|p\.|pp\.)\s*)?"
    r"(?:\d{1,4}|(?=[ivxlcdm]+\.?$|[IVXLCDM]+\.?$)(?![cdlmCDLM]\.?$)"
    r"(?i:m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})))\.?$"
)
"""A folio: digits, or a well-formed roman numeral in one case (a lone letter only i, v or x: a
stray c or l is noise). Words made of roman letters (``did``, ``civil``, ``mild``, ``vivid``) are
not numerals: a paragraph's last word alone at the foot of a page is text."""
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


def _folio_words(line: OcrLine) -> set[int]:
    """Indices of the words of a running head that are its page number (``Page 230``, ``17``).

    A number at either end of the line counts, unless it looks like a year (a 4-digit number
    from 1400 to 2099, as in a dated head ``August 1945``); ``Page`` before it goes with it.
    """
    texts = [w.text.strip(".,") for w in line.words]
    found: set[int] = set()
    for i in {0, len(texts) - 1, 1, len(texts) - 2} & set(range(len(texts))):
        word = texts[i]
        if word.isdigit() and not (len(word) == 4 and 1400 <= int(word) <= 2099):
            edge = i in (0, len(texts) - 1)
            after_page = i > 0 and texts[i - 1].lower() in {"page", "p", "pp"}
            if edge or after_page:
                found.add(i)
                if after_page:
                    found.add(i - 1)
    return found


def _margin(block: OcrBlock) -> int | None:
    """The left edge of a block's text column (most lines start there; indents start later)."""
    lefts = sorted(ln.bbox[0] for ln in block.lines if ln.bbox is not None and ln.words)
    return lefts[len(lefts) // 4] if lefts else None


def _continues(last: tuple[OcrLine, int, int] | None, block: OcrBlock) -> bool:
    """Whether a block carries on the paragraph of the line before it (a new column, a split).

    It does when the line before ran the full measure (no paragraph ended there) and the block's
    first line is indented no more than that line was in its own column (a quotation that runs
    on into the next column is indented in both).
    """
    if last is None or not block.lines or block.bbox is None:
        return False
    line, last_margin, last_measure = last
    first, margin = block.lines[0], _margin(block)
    if first.bbox is None or line.bbox is None or margin is None:
        return False
    measure = block.bbox[2] - block.bbox[0]
    indent = (first.bbox[0] - margin) - (line.bbox[0] - last_margin)
    indented = indent > max(0.6 * (first.bbox[3] - first.bbox[1]), 12)
    # The line before must have run the full measure of its own column, and the new block must
    # be a text column of comparable measure (not a heading, a page number or a caption).
    full = line.bbox[2] - line.bbox[0] >= 0.85 * last_measure
    comparable = 0.6 * last_measure <= measure <= 1.5 * last_measure
    return not indented and full and comparable and block.role != "heading"


def _paragraph_breaks(block: OcrBlock) -> list[bool]:
    """For each line, whether it starts a new paragraph.

    A line starts one when it is indented against the line before it, or when the line before
    stopped short of the block's measure (a paragraph's last line).
    """
    breaks = []
    prev: OcrLine | None = None
    measure = None
    if block.bbox is not None:
        measure = block.bbox[2] - block.bbox[0]
    for line in block.lines:
        starts = prev is None
        if prev is not None and line.bbox is not None and prev.bbox is not None:
            height = line.bbox[3] - line.bbox[1]
            indented = line.bbox[0] - prev.bbox[0] > max(0.6 * height, 12)
            short = measure is not None and prev.bbox[2] - block.bbox[0] < 0.8 * measure  # type: ignore[index]
            starts = indented or short
        breaks.append(starts)
        if line.words:
            prev = line
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
        last: tuple[OcrLine, int, int] | None = None  # last text line, its margin, measure
        for block in page.blocks:
            breaks = _paragraph_breaks(block)
            kind = BlockKind.HEADING if (block.role or "") == "heading" else BlockKind.PARAGRAPH
            if _continues(last, block):
                breaks[0] = False
            else:
                builder.open_block(kind)
            for line, new_paragraph in zip(block.lines, breaks, strict=True):
                line_no += 1
                if not line.words:
                    continue
                judged = _line_apparatus(line, page, repeated)
                margin = _margin(block)
                last = (
                    (line, margin, block.bbox[2] - block.bbox[0])
                    if judged is None
                    and margin is not None
                    and block.bbox is not None
                    and kind is BlockKind.PARAGRAPH
                    else None
                )
                if new_paragraph and not builder.ends_with("\n\n") and builder.position:
                    builder.open_block(kind)
                else:
                    builder.separate("\n")
                start = builder.position
                running = judged is not None and judged[0] is ApparatusKind.RUNNING_HEAD
                folio = _folio_words(line) if running else set()
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
                    at, end = builder.append(word.text, source)
                    if i in folio:
                        builder.mark_apparatus(
                            at, end, ApparatusKind.PAGE_NUMBER, "a page number in a running head"
                        )
                if judged is not None:
                    kind_, reason = judged
                    builder.mark_apparatus(start, builder.position, kind_, reason)
    return builder.finish(spec, fmt, encoding, pages=len(pages))


def find_image(path: str, named: str | None) -> str | None:
    """The page image of an OCR file: ``named`` (by base name) beside it, else a sibling image.

    Engines record where the image was when they ran (often another machine, Windows paths
    included); only a file that exists here is returned, else None.
    """
    here = Path(path).parent
    candidates = []
    if named and named.strip():
        candidates.append(here / re.split(r"[\\/]", named.strip())[-1])
    stem = Path(path).name.split(".")[0]
    candidates += [here / (stem + ext) for ext in _IMAGE_SUFFIXES]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return None


def load_xml_pages(
    spec: WitnessSpec,
    files: Sequence[str],
    parse: Callable[[bytes, str], list[OcrPage]],
    fmt: str,
) -> Witness:
    """Load the pages of OCR XML files (ALTO, PAGE) in order as one witness.

    Raises MissingFileError, FormatError (malformed XML, with its line) or EmptyWitnessError.
    """
    pages: list[OcrPage] = []
    encoding = "utf-8"
    for path in files:
        data = read_bytes(path)
        encoding = xml_encoding(data)
        pages.extend(parse(data, path))
    return build_ocr_witness(spec, pages, fmt, encoding)
