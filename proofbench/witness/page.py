"""PAGE XML (2010, 2013, 2017, 2019 schemas; Transkribus, OCR-D, ABBYY GT) -> Witness.

Input: PAGE files (``PcGts`` root in a ``schema.primaresearch.org/PAGE`` namespace), one page
each. Output: a Witness built by the shared OCR page model (``build_ocr_witness``).

Reads ``Page`` (``imageFilename``/``imageWidth``/``imageHeight``) and its ``TextRegion`` elements.
Order: the regions named in ``ReadingOrder`` (``OrderedGroup`` of ``RegionRefIndexed`` by
``index``, nested groups flattened; ``RegionRef`` in document order) take the places of those
regions in document order, in reading order; regions it omits (ground truth often leaves out
running heads and page numbers) stay where the document has them. Without a reading order,
document order.

Text: ``TextLine``/``Word``/``TextEquiv``/``Unicode`` (``TextEquiv@conf`` 0-1 -> confidence
0-100; of several ``TextEquiv``, the lowest ``index``); ``Coords`` (``points`` attribute, or the
2010 schema's ``Point`` children) -> bbox. A line without ``Word`` elements is its ``TextEquiv``
split on spaces, each word carrying the line's box; a region without ``TextLine`` elements is its
``TextEquiv`` split on newlines into lines, boxed by the region when it is one line (the lines of a
multi-line region get no box of their own: none is invented).

Region ``type``: ``header`` -> running head, ``footer``/``signature-mark``/``catch-word`` ->
footer, ``page-number`` -> page number (apparatus); ``heading`` -> a heading block. A
``drop-capital`` region is joined to the first word of the region that follows it in reading
order (``O`` + ``F the`` -> ``OF the``), so the word is read whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from proofbench.errors import FormatError, ManifestError
from proofbench.model import BBox, Witness, WitnessSpec
from proofbench.witness.ocr import (
    OcrBlock,
    OcrLine,
    OcrPage,
    OcrWord,
    find_image,
    join_drop_capitals,
    load_xml_pages,
)
from proofbench.witness.xml import local, parse_xml, root_element

FORMAT = "page"
_NAMESPACE = "schema.primaresearch.org/PAGE/gts/pagecontent/"
_LINE_ROLES = {
    "header": "header",
    "footer": "footer",
    "signature-mark": "footer",
    "catch-word": "footer",
    "page-number": "page-number",
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def sniff(data: bytes, name: str) -> bool:
    """PAGE XML: the root element is ``PcGts`` in a PRImA PAGE namespace (or none)."""
    root = root_element(data)
    return root is not None and root[1] == "PcGts" and (not root[0] or _NAMESPACE in root[0])


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c.tag) == name]


def _bbox(el: etree._Element) -> BBox | None:
    """The bounding box of an element's ``Coords`` polygon; None if it has none."""
    coords = _children(el, "Coords")
    if not coords:
        return None
    xs: list[float] = []
    ys: list[float] = []
    points = coords[0].get("points")
    if points:
        numbers = [float(n) for n in _NUMBER.findall(points)]
        xs, ys = numbers[0::2], numbers[1::2]
    else:
        for point in _children(coords[0], "Point"):
            x, y = point.get("x"), point.get("y")
            if x is not None and y is not None and _NUMBER.fullmatch(x) and _NUMBER.fullmatch(y):
                xs.append(float(x))
                ys.append(float(y))
    if not xs or len(xs) != len(ys):
        return None
    return (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))


def _text_equiv(el: etree._Element) -> tuple[str, float | None] | None:
    """The element's own text and confidence (0-100), from its preferred ``TextEquiv``."""
    equivs = _children(el, "TextEquiv")
    if not equivs:
        return None

    def rank(e: etree._Element) -> int:
        index = e.get("index")
        return int(index) if index and index.lstrip("-").isdigit() else 1 << 30

    best = min(equivs, key=rank)
    unicode = _children(best, "Unicode")
    if not unicode:
        return None
    text = "".join(unicode[0].itertext())
    conf: float | None = None
    raw = best.get("conf")
    if raw is not None and _NUMBER.fullmatch(raw.strip()):
        value = float(raw)
        conf = max(0.0, min(100.0, value * 100 if value <= 1 else value))
    return text, conf


def _split(text: str, bbox: BBox | None, conf: float | None) -> tuple[OcrWord, ...]:
    return tuple(OcrWord(t, bbox, conf) for t in text.split())


def _line(el: etree._Element, role: str | None, level: str = "word") -> OcrLine:
    box = _bbox(el)
    words = []
    for word in _children(el, "Word") if level == "word" else []:
        found = _text_equiv(word)
        if found is None:
            continue
        text, conf = found
        pieces = text.split()
        # A Word is one word; stray inner spaces would break the one-span-per-word contract.
        for piece in pieces:
            words.append(OcrWord(piece, _bbox(word), conf, word.get("id")))
    if not words:
        found = _text_equiv(el)
        if found is not None:
            return OcrLine(_split(found[0], box, found[1]), box, role)
    return OcrLine(tuple(words), box, role)


def _region(el: etree._Element, level: str = "word") -> OcrBlock:
    kind = (el.get("type") or "").strip().lower()
    role = _LINE_ROLES.get(kind)
    lines = (
        [] if level == "region" else [_line(ln, role, level) for ln in _children(el, "TextLine")]
    )
    # A region holding regions: its own TextEquiv repeats theirs, which are read in their turn.
    nested = any(local(c.tag).endswith("Region") for c in el)
    if not nested and not any(ln.words for ln in lines):
        found = _text_equiv(el)
        if found is not None:
            text, conf = found
            rows = [r for r in text.splitlines() if r.strip()]
            box = _bbox(el)
            line_box = box if len(rows) == 1 else None
            lines = [OcrLine(_split(r, box, conf), line_box, role) for r in rows]
    role = "heading" if kind == "heading" else kind or None
    return OcrBlock(tuple(lines), _bbox(el), role, el.get("id"))


def _index(value: str | None) -> float:
    """A reading-order ``index``: an integer by the schema, ``1.0`` or junk in the wild (last)."""
    try:
        number = float(value or "")
    except ValueError:
        return float("inf")
    return number if number == number else float("inf")  # NaN sorts last too


def _reading_order(page: etree._Element) -> list[str]:
    """Region ids in reading order, groups flattened; [] when the page gives none."""
    order: list[str] = []

    def walk(group: etree._Element) -> None:
        members = [c for c in group if local(c.tag)]
        if any(c.get("index") is not None for c in members):
            members.sort(key=lambda c: _index(c.get("index")))
        for member in members:
            name = local(member.tag)
            if name.startswith("RegionRef"):
                ref = member.get("regionRef")
                if ref:
                    order.append(ref)
            elif name.endswith("Group") or name.endswith("Indexed"):
                ref = member.get("regionRef")
                if ref:  # a group may stand for a region itself
                    order.append(ref)
                walk(member)

    for ro in _children(page, "ReadingOrder"):
        walk(ro)
    return order


def _ordered_regions(page: etree._Element) -> list[etree._Element]:
    regions = [el for el in page.iter() if local(el.tag) == "TextRegion"]
    order = _reading_order(page)
    if not order:
        return regions
    rank = {ref: i for i, ref in enumerate(dict.fromkeys(order))}
    listed = sorted((r for r in regions if r.get("id") in rank), key=lambda r: rank[r.get("id")])
    it = iter(listed)
    return [next(it) if r.get("id") in rank else r for r in regions]


LEVELS = ("word", "line", "region")
"""Where a PAGE file's text is read from when its levels disagree (Transkribus edits lines and
leaves words stale): the finest level present (``word``, the default), or the line's or the
region's own ``TextEquiv`` (manifest ``level = "line"``)."""


def parse_page(data: bytes, path: str, level: str = "word") -> list[OcrPage]:
    """The page(s) of one PAGE XML file; raises FormatError when malformed or not PAGE."""
    root = parse_xml(data, path)
    if local(root.tag) != "PcGts":
        raise FormatError(f"not PAGE XML: the root element is <{local(root.tag)}>", file=path)
    pages = []
    for page in _children(root, "Page"):
        blocks = [_region(r, level) for r in _ordered_regions(page)]
        width, height = page.get("imageWidth"), page.get("imageHeight")
        pages.append(
            OcrPage(
                file=path,
                blocks=tuple(join_drop_capitals([b for b in blocks if b.lines])),
                width=int(width) if width and width.isdigit() else None,
                height=int(height) if height and height.isdigit() else None,
                image=find_image(path, page.get("imageFilename")),
                page_id=root.get("pcGtsId"),
                image_name=page.get("imageFilename"),
            )
        )
    if not pages:
        raise FormatError("PAGE XML file has no Page element", file=path)
    return pages


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load one or more PAGE XML files (pages in order) as one witness."""
    level = spec.level or "word"
    if level not in LEVELS:
        raise ManifestError(
            f"witness {spec.siglum}: level must be one of {', '.join(LEVELS)}, not {level!r}"
        )
    return load_xml_pages(spec, files, lambda data, path: parse_page(data, path, level), FORMAT)
