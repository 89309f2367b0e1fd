"""hOCR (Tesseract, kraken, ocropus) -> Witness, through the shared OCR page model.

Reads ``ocr_page`` / ``ocr_carea`` (or ``ocr_par``) / ``ocr_line`` (and its kin ``ocr_header``,
``ocr_textfloat``, ``ocr_caption``...) / ``ocrx_word`` (or ``ocr_word``); takes ``bbox``,
``x_wconf`` (Tesseract, ocropus) or ``x_confs`` (kraken, averaged) from the ``title`` properties,
and the page image from ``image``. Lines without word elements (ocropus) are split on spaces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from lxml import etree, html

from proofbench.errors import FormatError
from proofbench.model import BBox, Witness, WitnessSpec
from proofbench.witness.decode import decode, read_bytes
from proofbench.witness.ocr import (
    OcrBlock,
    OcrLine,
    OcrPage,
    OcrWord,
    build_ocr_witness,
    find_image,
)
from proofbench.witness.xml import local, parse_xml

FORMAT = "hocr"
_LINE_CLASSES = {
    "ocr_line": None,
    "ocr_textfloat": None,
    "ocr_caption": "caption",
    "ocr_header": None,
    "ocr_footer": "footer",
    "ocr_pageno": "page-number",
}
_WORD_CLASSES = {"ocrx_word", "ocr_word", "ocrx_cinfo"}
_BLOCK_CLASSES = {"ocr_carea", "ocrx_block", "ocr_par"}
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")


def sniff(data: bytes, name: str) -> bool:
    """hOCR: an (X)HTML document with ``ocr_page`` elements."""
    head = data[:20000]
    return b"ocr_page" in head and (b"<html" in head.lower() or b"<div" in head.lower())


def _props(title: str | None) -> dict[str, str]:
    props = {}
    for part in (title or "").split(";"):
        part = part.strip()
        if part:
            key, _, value = part.partition(" ")
            props[key] = value.strip()
    return props


def _bbox(props: dict[str, str]) -> BBox | None:
    numbers = props.get("bbox", "").split()
    if len(numbers) != 4:
        return None
    try:
        x0, y0, x1, y1 = (int(float(n)) for n in numbers)
    except (ValueError, OverflowError):  # nan, inf: no box rather than a crash
        return None
    return (x0, y0, x1, y1)


def _confidence(props: dict[str, str]) -> float | None:
    if "x_wconf" in props:
        try:
            value = float(props["x_wconf"])
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    if "x_confs" in props:
        values = [float(v) for v in props["x_confs"].split() if re.fullmatch(r"[\d.]+", v)]
        if values:
            mean = sum(values) / len(values)
            return mean * 100 if mean <= 1 else mean
    return None


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _line(el: etree._Element, role: str | None) -> OcrLine:
    words = []
    for w in el.iter():
        if _classes(w) & _WORD_CLASSES:
            text = _text(w)
            if text:
                props = _props(w.get("title"))
                words.append(OcrWord(text, _bbox(props), _confidence(props), w.get("id")))
    if not words:  # ocropus: a line's text without word elements
        words = [OcrWord(t) for t in _text(el).split()]
    return OcrLine(tuple(words), _bbox(_props(el.get("title"))), role)


def _page(el: etree._Element, path: str) -> OcrPage:
    props = _props(el.get("title"))
    box = _bbox(props)
    image = props.get("image", "").strip().strip('"') or None
    found = find_image(path, image)
    blocks: list[OcrBlock] = []
    for block in el.iter():
        cls = _classes(block)
        if not cls & _BLOCK_CLASSES:
            continue
        if "ocr_par" in cls and any(
            _classes(a) & {"ocr_carea", "ocrx_block"} for a in block.iterancestors()
        ):
            continue  # paragraphs inside a carea are read with their carea
        lines = []
        for ln in block.iter():
            lcls = _classes(ln)
            hit = lcls & set(_LINE_CLASSES)
            if hit:
                name = sorted(hit)[0]
                role = (
                    "header"
                    if name == "ocr_header" and _is_margin_header(ln, box)
                    else _LINE_CLASSES[name]
                )
                lines.append(_line(ln, role))
        if lines:
            blocks.append(OcrBlock(tuple(lines), _bbox(_props(block.get("title")))))
    if not blocks:
        # ocropus: lines straight under the page, no block elements; one implicit block.
        lines = [_line(ln, None) for ln in el.iter() if _classes(ln) & set(_LINE_CLASSES)]
        if lines:
            blocks.append(OcrBlock(tuple(lines)))
    return OcrPage(
        file=path,
        blocks=tuple(blocks),
        width=box[2] if box else None,
        height=box[3] if box else None,
        image=found,
        page_id=el.get("id"),
        image_name=image,
    )


def _is_margin_header(line: etree._Element, page_box: BBox | None) -> bool:
    """Tesseract's ``ocr_header`` is a heading, not a running head, unless in the margin."""
    box = _bbox(_props(line.get("title")))
    if box is None or page_box is None:
        return False
    return box[1] < 0.06 * page_box[3]


def parse_pages(data: bytes, path: str, encoding: str | None = None) -> list[OcrPage]:
    """The pages of one hOCR file; raises FormatError when it is malformed or has no page.

    ``encoding`` (the manifest's) overrides what the file declares or lxml would guess.
    """
    text, _ = decode(data, path, encoding)
    declared_xml = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    if encoding is not None:
        # Parse what was decoded with the named encoding, as UTF-8 without a declaration.
        data = _XML_DECL.sub(b"", text.encode("utf-8"), count=1)
    try:
        root = parse_xml(data, path)
    except FormatError:
        if declared_xml:
            raise  # declared XML (Tesseract's XHTML): a syntax error means a broken file
        # hOCR from some engines is HTML, not XHTML: fall back to the forgiving HTML parser.
        try:
            root = html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise FormatError(f"malformed hOCR: {exc}", file=path) from None
    pages = [el for el in root.iter() if "ocr_page" in _classes(el) and local(el.tag)]
    if not pages:
        raise FormatError("hOCR file has no ocr_page element", file=path)
    return [_page(p, path) for p in pages]


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load one or more hOCR files (pages in order) as one witness."""
    pages: list[OcrPage] = []
    for path in files:
        pages.extend(parse_pages(read_bytes(path), path, spec.encoding))
    return build_ocr_witness(spec, pages, FORMAT)
