"""ALTO XML (v1.x, v2, v3, v4, any namespace or none) -> Witness, through the shared OCR page model.

Input: ALTO files, one or more ``Page`` each. Output: a Witness built by ``build_ocr_witness``.

Reads ``Page`` (``WIDTH``/``HEIGHT``), its ``TopMargin``, ``LeftMargin``, ``PrintSpace``,
``RightMargin`` and ``BottomMargin`` in that order, the ``TextBlock`` elements inside them (also
within ``ComposedBlock``), ``TextLine`` and ``String`` (``CONTENT``; ``HPOS``/``VPOS``/``WIDTH``/
``HEIGHT`` -> bbox; ``WC`` 0-1 -> confidence 0-100; ``ID``). ``SP`` is the space between words.

Words are kept as printed: a ``HYP`` element's hyphen is appended to the word before it, and a
``String`` marked ``SUBS_TYPE="HypPart1"`` whose line lacks the ``HYP`` gets the hyphen it was
printed with, so ``coun-`` / ``tervailing`` stays two pieces and the tokenizer joins them
(``SUBS_CONTENT`` is not inserted: it would duplicate the word).

Apparatus hints: lines in ``TopMargin`` are running heads (``BottomMargin``: footers), a
page number by its pattern; a ``TYPE`` attribute or a ``TAGREFS`` tag label (``header``,
``footer``, ``page-number``, ``heading``...) on a block or line is passed on as its role.

Boxes are in the file's ``MeasurementUnit`` (pixels for most engines; ``mm10`` / ``inch1200``
files keep those units, since the image resolution is not known). The page image named in
``sourceImageInformation/fileName`` is looked up beside the ALTO file (by base name, Windows
paths included), else a sibling image with the ALTO file's stem.
"""

from __future__ import annotations

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
    load_xml_pages,
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
        return float(value)
    except ValueError:
        return None


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


def _line(el: etree._Element, role: str | None) -> OcrLine:
    words: list[OcrWord] = []
    pending_hyphen = False
    for child in el:
        name = local(child.tag)
        if name == "String":
            content = (child.get("CONTENT") or "").strip()
            if not content:
                continue
            pending_hyphen = child.get("SUBS_TYPE") == "HypPart1" and not content.endswith(_HYPHENS)
            # CONTENT is one word; should an engine put spaces in it, each piece is a word.
            box, conf, wid = _bbox(child), _confidence(child), child.get("ID")
            words += [OcrWord(piece, box, conf, wid) for piece in content.split()]
        elif name == "HYP" and words and not words[-1].text.endswith(_HYPHENS):
            last = words[-1]
            mark = (child.get("CONTENT") or "-").strip() or "-"
            box = last.bbox
            x, w = _number(child, "HPOS"), _number(child, "WIDTH")
            if box is not None and x is not None and w is not None:
                # HYP often has no HEIGHT: widen the word's box to the hyphen's right edge.
                box = (min(box[0], round(x)), box[1], max(box[2], round(x + w)), box[3])
            words[-1] = OcrWord(last.text + mark, box, last.confidence, last.id)
            pending_hyphen = False
    if pending_hyphen:  # HypPart1 without its HYP: the printed hyphen is implied
        last = words[-1]
        words[-1] = OcrWord(last.text + "-", last.bbox, last.confidence, last.id)
    return OcrLine(tuple(words), _bbox(el), role)


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
            blocks.append(OcrBlock(tuple(lines), _bbox(block), block_role))
    return blocks


def _image(root: etree._Element, path: str) -> str | None:
    for el in root.iter():
        if local(el.tag) == "fileName" and el.text and el.text.strip():
            return find_image(path, el.text)
    return find_image(path, None)


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
    image = _image(root, path)
    pages = []
    for page in root.iter():
        if local(page.tag) != "Page":
            continue
        areas = {local(child.tag): child for child in page}
        blocks: list[OcrBlock] = []
        for name in _MARGINS:
            if name in areas:
                blocks += _blocks(areas[name], _MARGIN_ROLES.get(name), tags)
        if not any(name in areas for name in _MARGINS):  # blocks straight under Page
            blocks = _blocks(page, None, tags)
        width, height = _number(page, "WIDTH"), _number(page, "HEIGHT")
        pages.append(
            OcrPage(
                file=path,
                blocks=tuple(blocks),
                width=round(width) if width else None,
                height=round(height) if height else None,
                image=image,
                page_id=page.get("ID"),
            )
        )
    if not pages:
        raise FormatError("ALTO file has no Page element", file=path)
    return pages


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load one or more ALTO files (pages in order) as one witness."""
    return load_xml_pages(spec, files, parse_pages, FORMAT)
