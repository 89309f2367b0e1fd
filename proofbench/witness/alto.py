"""ALTO XML (v1.x, v2, v3, v4, any namespace or none) -> Witness, through the shared OCR page model.

Input: ALTO files, one or more ``Page`` each. Output: a Witness built by ``build_ocr_witness``.

Reads ``Page`` (``WIDTH``/``HEIGHT``), its ``TopMargin``, ``LeftMargin``, ``PrintSpace``,
``RightMargin`` and ``BottomMargin`` in that order, the ``TextBlock`` elements inside them (also
within ``ComposedBlock``), ``TextLine`` and ``String`` (``CONTENT``; ``HPOS``/``VPOS``/``WIDTH``/
``HEIGHT`` -> bbox; ``WC`` 0-1 -> confidence 0-100; ``ID``). ``SP`` is the space between words.

Words are kept as printed: a ``HYP`` element's hyphen is appended to the ``String`` marked
``SUBS_TYPE="HypPart1"`` (else to the word before it), and a ``HypPart1`` whose line lacks the
``HYP`` gets the hyphen it was printed with, so ``coun-`` / ``tervailing`` stays two pieces and
the tokenizer joins them (``SUBS_CONTENT`` is not inserted: it would duplicate the word). Specks
the engine read beyond the hyphen, or before a ``HypPart2``, are moved aside and marked noise,
so the halves the file pairs stay side by side.

Apparatus hints: lines in ``TopMargin`` are running heads (``BottomMargin``: footers), a
page number by its pattern; a ``TYPE`` attribute or a ``TAGREFS`` tag label (``header``,
``footer``, ``page-number``, ``heading``...) on a block or line is passed on as its role.

Boxes are in the file's ``MeasurementUnit`` (pixels for most engines; ``mm10`` / ``inch1200``
files keep those units, since the image resolution is not known). The page image named in
``sourceImageInformation/fileName`` is looked up beside the ALTO file (by base name, Windows
paths included), else a sibling image with the ALTO file's stem.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

from lxml import etree

from proofbench.errors import FormatError
from proofbench.model import BBox, Witness, WitnessSpec
from proofbench.witness.ocr import (
    OcrBlock,
    OcrLine,
    OcrPage,
    OcrWord,
    find_image,
    join_drop_capitals,
    load_xml_pages,
    order_blocks,
    order_by_reference,
)
from proofbench.witness.xml import local, parse_xml, root_element

FORMAT = "alto"
_MARGINS = ("TopMargin", "LeftMargin", "PrintSpace", "RightMargin", "BottomMargin")
_MARGIN_ROLES = {"TopMargin": "header", "BottomMargin": "footer"}
_PAGE_NUMBER = re.compile(r"^[\[(]?(?:\d{1,4}|[ivxlcdm]{1,7})[.\])]?$", re.IGNORECASE)
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011", "¬", "=")
# Role words an engine may write in TYPE or a tag label, mapped to the shared model's roles.
_ROLES = {
    "header": "header",
    "running-head": "header",
    "runninghead": "header",
    "running_title": "header",
    "headline": "header",
    "pageheader": "header",
    "footer": "footer",
    "pagefooter": "footer",
    "page-number": "page-number",
    "pagenumber": "page-number",
    "page_number": "page-number",
    "folio": "page-number",
    "heading": "heading",
    "title": "heading",
    "subheading": "heading",
}


def sniff(data: bytes, name: str) -> bool:
    """ALTO: the root element is ``alto`` (whatever its namespace)."""
    root = root_element(data)
    return root is not None and root[1].lower() == "alto"


def _number(el: etree._Element, attr: str) -> float | None:
    value = el.get(attr)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # inf, nan: as if absent


def _bbox(el: etree._Element) -> BBox | None:
    x, y = _number(el, "HPOS"), _number(el, "VPOS")
    w, h = _number(el, "WIDTH"), _number(el, "HEIGHT")
    if x is None or y is None or w is None or h is None:
        return None
    return (round(x), round(y), round(x + w), round(y + h))


def _confidence(el: etree._Element) -> float | None:
    wc = _number(el, "WC")
    if wc is None:
        return None
    return max(0.0, min(100.0, wc * 100 if wc <= 1 else wc))


def _role(el: etree._Element, tags: dict[str, str]) -> str | None:
    """The role an engine gave an element, through ``TYPE`` or a ``TAGREFS`` label."""
    names = [el.get("TYPE") or ""]
    names += [tags.get(ref, "") for ref in (el.get("TAGREFS") or "").split()]
    for name in names:
        role = _ROLES.get(name.strip().lower())
        if role:
            return role
    return None


_SPECK = "a speck beyond a line-end hyphen: the file pairs the word's halves around it"


def _line(el: etree._Element, role: str | None) -> OcrLine:
    """One ``TextLine``; the halves of a word the file marks as hyphenated stay adjacent.

    ``SUBS_TYPE="HypPart1"`` names the first half: the ``HYP`` joins that word (not whatever
    String the engine wrote last), and Strings after it on the line (specks beyond the hyphen,
    a column rule read as ``I``) are moved before it and marked noise, so the tokenizer sees the
    halves side by side. Likewise Strings before a ``HypPart2``, which by definition opens its
    line.
    """
    words: list[OcrWord] = []
    part1: int | None = None
    part2: int | None = None
    hyphened = False
    for child in el:
        name = local(child.tag)
        if name == "String":
            content = (child.get("CONTENT") or "").strip()
            if not content:
                continue
            subs = child.get("SUBS_TYPE")
            # CONTENT is one word; should an engine put spaces in it, each piece is a word.
            box, conf, wid = _bbox(child), _confidence(child), child.get("ID")
            words += [OcrWord(piece, box, conf, wid) for piece in content.split()]
            if subs == "HypPart1":
                part1, hyphened = len(words) - 1, content.endswith(_HYPHENS)
            elif subs == "HypPart2" and part2 is None:
                part2 = len(words) - 1
        elif name == "HYP" and words:
            at = part1 if part1 is not None else len(words) - 1
            target = words[at]
            if target.text.endswith(_HYPHENS):
                continue
            mark = (child.get("CONTENT") or "-").strip() or "-"
            box = target.bbox
            x, w = _number(child, "HPOS"), _number(child, "WIDTH")
            if box is not None and x is not None and w is not None:
                # HYP often has no HEIGHT: widen the word's box to the hyphen's right edge.
                box = (min(box[0], round(x)), box[1], max(box[2], round(x + w)), box[3])
            words[at] = OcrWord(target.text + mark, box, target.confidence, target.id)
            hyphened = True
    if part1 is not None and not hyphened:  # HypPart1 without its HYP: the hyphen is implied
        half = words[part1]
        words[part1] = OcrWord(half.text + "-", half.bbox, half.confidence, half.id)
    if part2 is not None and part2 > 0 and part2 != part1:
        before = [_noise(word) for word in words[:part2]]
        words = [words[part2], *before, *words[part2 + 1 :]]
        part1 = None if part1 is None else part1 if part1 > part2 else None
    if part1 is not None and part1 < len(words) - 1:
        words = [*words[:part1], *(_noise(word) for word in words[part1 + 1 :]), words[part1]]
    return OcrLine(tuple(words), _bbox(el), role)


def _noise(word: OcrWord) -> OcrWord:
    return OcrWord(word.text, word.bbox, word.confidence, word.id, _SPECK)


def _blocks(area: etree._Element, area_role: str | None, tags: dict[str, str]) -> list[OcrBlock]:
    blocks: list[OcrBlock] = []
    for block in area.iter():
        if local(block.tag) != "TextBlock":
            continue
        block_role = _role(block, tags)
        if block_role is None:
            for ancestor in block.iterancestors():
                if local(ancestor.tag) == "ComposedBlock":
                    block_role = _role(ancestor, tags)
                    if block_role:
                        break
        lines = []
        for ln in block:
            if local(ln.tag) != "TextLine":
                continue
            role = _role(ln, tags) or (block_role if block_role != "heading" else None)
            if role is None and area_role is not None:
                role = area_role
            line = _line(ln, role)
            if area_role is not None and line.role == area_role:
                text = " ".join(w.text for w in line.words)
                if _PAGE_NUMBER.match(text.strip()):
                    line = OcrLine(line.words, line.bbox, "page-number")
            lines.append(line)
        if lines:
            blocks.append(OcrBlock(tuple(lines), _bbox(block), block_role, block.get("ID")))
    return blocks


def _reading_order(root: etree._Element) -> list[str]:
    """The ids a file's own ``ReadingOrder`` lists (``ElementRef``/``BlockRef`` ``REF``)."""
    refs: list[str] = []
    for order in root.iter():
        if local(order.tag) == "ReadingOrder":
            for el in order.iter():
                ref = el.get("REF") or el.get("BLOCKREF")
                if ref and local(el.tag).endswith("Ref"):
                    refs.extend(ref.split())
    return refs


def _drop_capitals(blocks: list[OcrBlock]) -> list[OcrBlock]:
    """Blocks of one capital letter spanning two or more lines of the block after: drop caps.

    A drop capital is by definition set beside several lines of the paragraph it opens; its
    box is at least as tall as two of that block's lines and stands left of it.
    """
    out = list(blocks)
    for i, block in enumerate(out[:-1]):
        words = [w for ln in block.lines for w in ln.words]
        nxt = out[i + 1]
        if len(words) != 1 or block.bbox is None or nxt.bbox is None or len(nxt.lines) < 2:
            continue
        text = words[0].text
        if not (len(text) == 1 and text.isalpha() and text.isupper()):
            continue
        pitch = [
            b.bbox[1] - a.bbox[1]
            for a, b in itertools.pairwise(nxt.lines)
            if a.bbox is not None and b.bbox is not None
        ]
        tall = bool(pitch) and block.bbox[3] - block.bbox[1] >= 2 * min(pitch)
        beside = block.bbox[2] <= nxt.bbox[0] + (block.bbox[2] - block.bbox[0])
        if tall and beside:
            out[i] = OcrBlock(block.lines, block.bbox, "drop-capital", block.id)
    return join_drop_capitals(out)


def _image_name(root: etree._Element) -> str | None:
    for el in root.iter():
        if local(el.tag) == "fileName" and el.text and el.text.strip():
            return str(el.text).strip()
    return None


def _arrange(blocks: list[OcrBlock], order: list[str]) -> list[OcrBlock]:
    """Blocks in the file's own reading order where it has one, else the layout's."""
    if order and any(b.id in order for b in blocks):
        arranged = order_by_reference(blocks, order)
    else:
        arranged = order_blocks(blocks)
    return _drop_capitals(arranged)


def parse_pages(data: bytes, path: str) -> list[OcrPage]:
    """The pages of one ALTO file; raises FormatError when it is malformed or not ALTO."""
    root = parse_xml(data, path)
    if local(root.tag).lower() != "alto":
        raise FormatError(f"not ALTO: the root element is <{local(root.tag)}>", file=path)
    tags = {
        el.get("ID", ""): el.get("LABEL") or el.get("TYPE") or ""
        for el in root.iter()
        if local(el.tag).endswith("Tag") and el.get("ID")
    }
    image_name = _image_name(root)
    image = find_image(path, image_name)
    order = _reading_order(root)
    pages = []
    for page in root.iter():
        if local(page.tag) != "Page":
            continue
        areas = {local(child.tag): child for child in page}
        blocks: list[OcrBlock] = []
        for name in _MARGINS:
            if name in areas:
                blocks += _arrange(_blocks(areas[name], _MARGIN_ROLES.get(name), tags), order)
        if not any(name in areas for name in _MARGINS):  # blocks straight under Page
            blocks = _arrange(_blocks(page, None, tags), order)
        width, height = _number(page, "WIDTH"), _number(page, "HEIGHT")
        pages.append(
            OcrPage(
                file=path,
                blocks=tuple(blocks),
                width=round(width) if width else None,
                height=round(height) if height else None,
                image=image,
                page_id=page.get("ID"),
                image_name=image_name,
            )
        )
    if not pages:
        raise FormatError("ALTO file has no Page element", file=path)
    return pages


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load one or more ALTO files (pages in order) as one witness."""
    return load_xml_pages(spec, files, parse_pages, FORMAT)
