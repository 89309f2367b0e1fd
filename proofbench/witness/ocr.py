"""OCR pages -> Witness: the layout model shared by the hOCR, ALTO and PAGE XML loaders.

Each OCR loader parses its format into ``OcrPage`` objects (blocks of lines of words with boxes
and confidences); ``build_ocr_witness`` lays them out as text (lines joined by newlines, blocks
and paragraphs by blank lines), records a source span for every word, and marks running heads
and page numbers as apparatus by position on the page, repetition across pages and page-number
patterns. Line-end hyphens are left in the text; the tokenizer decides them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from proofbench.model import ApparatusKind, BBox, BlockKind, Source, Witness, WitnessSpec
from proofbench.witness.build import TextBuilder
from proofbench.witness.decode import read_bytes
from proofbench.witness.images import locate
from proofbench.witness.xml import xml_encoding


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One recognized word with its box and confidence (0-100, None if the engine gave none)."""

    text: str
    bbox: BBox | None = None
    confidence: float | None = None
    id: str | None = None
    noise: str | None = None
    """Why the engine's own markup shows the word is no text (a speck beyond a line-end hyphen)."""


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
    id: str | None = None


@dataclass(frozen=True, slots=True)
class OcrPage:
    """One page: its file, image, size and blocks in reading order."""

    file: str
    blocks: tuple[OcrBlock, ...]
    width: int | None = None
    height: int | None = None
    image: str | None = None
    page_id: str | None = None
    image_name: str | None = None
    """The image file the engine recorded, as written (another machine's path, often)."""


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".jp2")

_NUMERAL = (
    r"(?:\d{1,4}|(?=[ivxlcdm]+(?![A-Za-z])|[IVXLCDM]+(?![A-Za-z]))(?![cdlmCDLM](?![A-Za-z]))"
    r"(?i:m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})))\.?"
)
_PAGE_NUMBER = re.compile(
    r"^(?:(?i:page|p\.|pp\.)\s*)?"
    rf"(?:{_NUMERAL}|\(\s*{_NUMERAL}\s*\)|\[\s*{_NUMERAL}\s*\]"
    rf"|[-\u2013\u2014]\s*{_NUMERAL}\s*[-\u2013\u2014])$"
)
"""A folio: digits, or a well-formed roman numeral in one case (a lone letter only i, v or x: a
stray c or l is noise), bare or set between brackets or dashes as some printers do
(``( vi )``, ``[12]``, ``— 6 —``; an opening mark needs its closing one). Words made of roman
letters (``did``, ``civil``, ``mild``, ``vivid``) are not numerals: a paragraph's last word alone
at the foot of a page is text."""
_DIGITS = re.compile(r"\d+")
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_ROMAN_LETTERS = re.compile(r"^[\W_]*[ivxlcdm]{1,5}[\W_]*$", re.IGNORECASE)


def _line_text(line: OcrLine) -> str:
    return " ".join(w.text for w in line.words)


def _head_keys(text: str) -> list[str]:
    """The letter runs of a word, case folded, to recognise a head repeated on pages.

    Numbers go (the folio changes from page to page) and so does punctuation, which OCR reads
    differently on each page (``PREFACE—INTRODUCTION.`` / ``Preface.—Lntroduction.``).
    """
    return [m.group().casefold() for m in _LETTER_RUNS.finditer(text)]


def _median(values: Sequence[int]) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


@dataclass(frozen=True, slots=True)
class Frame:
    """Where a page's text block runs (``top``-``bottom``) and its outermost lines end.

    ``first`` is the bottom edge of the page's topmost line, ``last`` the top edge of its
    lowest: a running head is the first line of a page, a folio line its first or last.
    """

    top: int
    bottom: int
    first: int
    last: int


def text_frame(page: OcrPage) -> Frame | None:
    """The top of the first and the bottom of the last full-measure line of the page's text block.

    The text block is made of the blocks the engine found to hold several lines (a running head,
    a folio or a caption is a block of one line), and of their lines those that run the full
    measure, give or take one line height (justified lines differ by less than a letter). None
    where no two lines share a measure.
    """
    lines = [
        ln
        for b in page.blocks
        if sum(1 for ln in b.lines if ln.words) > 1
        for ln in b.lines
        if ln.words and ln.bbox is not None
    ]
    boxes = [ln.bbox for ln in lines if ln.bbox is not None]
    if len(boxes) < 2:
        return None
    height = _median([b[3] - b[1] for b in boxes])
    widths = sorted((b[2] - b[0] for b in boxes), reverse=True)
    # The measure: the widest width that two lines share, to a line height (one wider line
    # alone is a head or a title set across the columns).
    measure = next((w for w, v in itertools.pairwise(widths) if w - v <= height), None)
    if measure is None:
        return None
    full = [b for b in boxes if abs(b[2] - b[0] - measure) <= height]
    every = [ln.bbox for b in page.blocks for ln in b.lines if ln.words and ln.bbox is not None]
    first = min(every, key=lambda b: b[1])[3]
    last = max(every, key=lambda b: b[3])[1]
    return Frame(min(b[1] for b in full), max(b[3] for b in full), first, last)


def _in_margin(line: OcrLine, frame: Frame | None) -> str | None:
    """``"top"`` or ``"bottom"`` for a page's first or last line, outside its text block.

    Only the outermost line counts (with any line beside it): a caption or chapter title
    below the head and above the text is the book's text.
    """
    if line.bbox is None or frame is None:
        return None
    if line.bbox[3] <= frame.top and line.bbox[1] < frame.first:
        return "top"
    return "bottom" if line.bbox[1] >= frame.bottom and line.bbox[3] > frame.last else None


def _repeated_heads(
    pages: Sequence[OcrPage], frames: Sequence[Frame | None]
) -> set[tuple[str, str]]:
    """(side, word) of margin lines recurring on the same side of two or more pages."""
    seen: dict[tuple[str, str], set[int]] = {}
    for number, (page, frame) in enumerate(zip(pages, frames, strict=True)):
        for block in page.blocks:
            for line in block.lines:
                side = _in_margin(line, frame)
                if side is not None:
                    for word in line.words:
                        for key in _head_keys(word.text):
                            seen.setdefault((side, key), set()).add(number)
    return {k for k, v in seen.items() if len(v) > 1}


def _line_apparatus(
    line: OcrLine, frame: Frame | None, repeated: set[tuple[str, str]]
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
    side = _in_margin(line, frame)
    if side is None:
        return None
    if _PAGE_NUMBER.match(text):
        return ApparatusKind.PAGE_NUMBER, "a page number outside the text block"
    if len(line.words) > 10:
        return None
    # A roman folio at either end is read in any case (``PREFACE. Vi``): the rest decides.
    texts = [w.text for w in line.words]
    if len(texts) > 1 and _ROMAN_LETTERS.match(texts[-1]):
        texts = texts[:-1]
    if len(texts) > 1 and _ROMAN_LETTERS.match(texts[0]):
        texts = texts[1:]
    keys = [k for t in texts for k in _head_keys(t)]
    if keys and sum(1 for k in keys if (side, k) in repeated) * 2 >= len(keys):
        return (
            ApparatusKind.RUNNING_HEAD,
            "a short line outside the text block, repeated on other pages",
        )
    if side == "bottom":
        # Below the text block stand signatures, dates and closing lines as well as footers:
        # only a repetition (above) or a folio sets a line apart there.
        return None
    if _folio_words(line):
        return ApparatusKind.RUNNING_HEAD, "a short line above the text block with a page number"
    letters = [c for t in texts for c in t if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return ApparatusKind.RUNNING_HEAD, "a short capitalised line above the text block"
    if len(line.words) <= 3 and any(c.isdigit() for c in text):
        return ApparatusKind.RUNNING_HEAD, "a short dated line above the text block"
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


def _core(block: OcrBlock) -> BBox:
    """Where most of a block's lines run: the median left and right edges of its lines.

    A block's own box reaches as far as its widest line, and a speck or a column rule read as a
    letter at a line's end pushes it into the next column (by 117 px on the Winchester News
    page); the median edges are where the column is.
    """
    box = block.bbox
    assert box is not None
    lines = [ln.bbox for ln in block.lines if ln.bbox is not None and ln.words]
    if not lines:
        return box
    return (_median([b[0] for b in lines]), box[1], _median([b[2] for b in lines]), box[3])


def _bands(blocks: list[OcrBlock], axis: int) -> list[list[OcrBlock]]:
    """The blocks in groups separated by a gap along ``axis`` (0: columns, 1: rows), in order."""
    cores = {id(b): _core(b) for b in blocks}
    ordered = sorted(blocks, key=lambda b: cores[id(b)][axis])
    groups: list[list[OcrBlock]] = []
    reach = None
    for block in ordered:
        box = cores[id(block)]
        if reach is None or box[axis] >= reach:
            groups.append([block])
            reach = box[axis + 2]
        else:
            groups[-1].append(block)
            reach = max(reach, box[axis + 2])
    # Each group keeps the file's order among its blocks until it is cut further.
    rank = {id(b): i for i, b in enumerate(blocks)}
    return [sorted(g, key=lambda b: rank[id(b)]) for g in groups]


def _xy_cut(blocks: list[OcrBlock]) -> list[OcrBlock]:
    if len(blocks) < 2:
        return blocks
    for axis in (0, 1):  # columns first: a head across them stops the cut, rows then take it
        groups = _bands(blocks, axis)
        if len(groups) > 1:
            return [b for g in groups for b in _xy_cut(g)]
    return blocks


def order_blocks(blocks: Sequence[OcrBlock]) -> list[OcrBlock]:
    """Blocks in reading order from the page's geometry: columns left to right, each top down.

    A recursive XY cut: the blocks are split where a vertical gap runs through them all (into
    columns), else where a horizontal one does (into rows: a masthead, a headline across the
    columns), and each part is cut again. A block's extent across the page is where most of its
    lines run (see ``_core``). Blocks that no gap separates keep the file's order, and so does
    a page where a block has no box.
    """
    listed = list(blocks)
    if any(b.bbox is None for b in listed):
        return listed
    return _xy_cut(listed)


def order_by_reference(blocks: Sequence[OcrBlock], order: Sequence[str]) -> list[OcrBlock]:
    """Blocks named in a file's own reading order take their places in that order.

    Blocks the order omits (ground truth often leaves out running heads) stay where they are.
    """
    rank = {ref: i for i, ref in enumerate(dict.fromkeys(order))}
    listed = sorted((b for b in blocks if b.id in rank), key=lambda b: rank[b.id or ""])
    it = iter(listed)
    return [next(it) if b.id in rank else b for b in blocks]


def join_drop_capitals(blocks: Sequence[OcrBlock]) -> list[OcrBlock]:
    """A ``drop-capital`` block of one word joins the first word of the block after it.

    ``O`` + ``F the`` -> ``OF the``: the word is read whole, its box covering both.
    """
    out: list[OcrBlock] = []
    carry: OcrBlock | None = None
    for block in blocks:
        words = [w for ln in block.lines for w in ln.words]
        if block.role == "drop-capital" and len(words) == 1:
            if carry is not None:
                out.append(carry)
            carry = block
            continue
        if carry is not None:
            cap = carry.lines[0].words[0] if carry.lines[0].words else None
            cap = cap or next(w for ln in carry.lines for w in ln.words)
            first = next((i for i, ln in enumerate(block.lines) if ln.words), None)
            if first is None:
                out.append(carry)
            else:
                line = block.lines[first]
                head = line.words[0]
                box = (
                    head.bbox
                    if cap.bbox is None or head.bbox is None
                    else (
                        min(cap.bbox[0], head.bbox[0]),
                        min(cap.bbox[1], head.bbox[1]),
                        max(cap.bbox[2], head.bbox[2]),
                        max(cap.bbox[3], head.bbox[3]),
                    )
                )
                joined = OcrWord(cap.text + head.text, box, head.confidence, head.id)
                lines = list(block.lines)
                lines[first] = OcrLine((joined, *line.words[1:]), line.bbox, line.role)
                block = OcrBlock(tuple(lines), block.bbox, block.role, block.id)
            carry = None
        out.append(block)
    if carry is not None:
        out.append(carry)
    return out


def build_ocr_witness(
    spec: WitnessSpec, pages: Sequence[OcrPage], fmt: str, encoding: str = "utf-8"
) -> Witness:
    """Lay out OCR pages as one witness; raises EmptyWitnessError if no page holds a word."""
    builder = TextBuilder()
    pictures, warnings = _images(spec, pages)
    frames = [text_frame(page) for page in pages]
    repeated = _repeated_heads(pages, frames)
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
                judged = _line_apparatus(line, frames[number - 1], repeated)
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
                        image=pictures[number - 1],
                        word_id=word.id,
                    )
                    at, end = builder.append(word.text, source)
                    if word.noise is not None:
                        builder.mark_apparatus(at, end, ApparatusKind.NOISE, word.noise)
                    elif i in folio:
                        builder.mark_apparatus(
                            at, end, ApparatusKind.PAGE_NUMBER, "a page number in a running head"
                        )
                if judged is not None:
                    kind_, reason = judged
                    builder.mark_apparatus(start, builder.position, kind_, reason)
    witness = builder.finish(spec, fmt, encoding, pages=len(pages))
    return replace(witness, warnings=(*witness.warnings, *warnings)) if warnings else witness


def _images(spec: WitnessSpec, pages: Sequence[OcrPage]) -> tuple[list[str | None], list[str]]:
    """Each page's image (see ``images.locate``), and a warning for each page without one."""
    found: list[str | None] = []
    warnings = []
    for i, page in enumerate(pages):
        image = page.image if page.image and not spec.images else None
        image = image or locate(page.file, page.image_name, i, len(pages), spec.images)
        found.append(image)
        if image is None:
            named = f" (the file names {page.image_name!r})" if page.image_name else ""
            warnings.append(
                f"{page.file}: page {i + 1} has no image{named}: not found beside it, in an "
                "OCR-D METS or a sibling folder; name them with the manifest's images key"
            )
    return found, warnings


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
