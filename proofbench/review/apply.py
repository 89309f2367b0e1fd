"""Accepted decisions -> the target witness's text corrected: plain text, TEI, or its own OCR.

Input: a ``Desk`` (a collation with its store). Output: the target's reading text (apparatus
left out, line-end hyphens resolved: what ``proofbench text --no-apparatus`` prints) with each
accepted reading put in place of the target's reading and nothing else changed, so a diff
against that text shows only the corrections; or a TEI document where each correction is
``<choice><sic>old</sic><corr>new</corr></choice>``; or, for a target read from hOCR, ALTO or
PAGE XML, its own files with the corrected words written in (``apply_ocr``, ``OCR_FORMATS``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from proofbench.review.desk import Desk

if TYPE_CHECKING:
    from proofbench.edits import Edit
    from proofbench.render.writeback import WriteBack

TEI_NS = "http://www.tei-c.org/ns/1.0"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def edits(desk: Desk) -> list[Edit]:
    """The (start, end, reading) replacements on the target's text, in order, never overlapping.

    Where two accepted decisions overlap, the earlier one wins (the other stays in the log).
    """
    from proofbench.edits import drop_overlaps

    readings = desk.decided_readings()
    out: list[Edit] = []
    for item in desk.items:
        reading = readings.get(item.key)
        if reading is None or reading == item.target_reading:
            continue
        out.append((item.start, item.end, reading))
    return drop_overlaps(out)


def _pieces(desk: Desk) -> list[tuple[str, str | None]]:
    """The target's reading text as plain runs ``(text, None)`` and corrections ``(old, new)``.

    Apparatus is left out and line-end hyphens resolved, as in ``proofbench text
    --no-apparatus``; an accepted reading replaces the target's reading in place.
    """
    from proofbench.edits import spaced

    text = desk.outline.text
    fixes = edits(desk)
    taken = sorted((s, max(e, s + 1)) for s, e, _ in fixes)
    starts = [s for s, _ in taken]
    reach = list(itertools.accumulate((e for _, e in taken), max))

    def free(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # the spans starting before ``end``
        return not (i and reach[i - 1] > start)

    plain = [p for p in desk.outline.plain if free(p[0], p[1])]
    marked = [(s, e, r, True) for s, e, r in fixes] + [(s, e, r, False) for s, e, r in plain]
    marked.sort(key=lambda m: (m[0], m[1]))
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, repl, is_fix in marked:
        if start < pos:
            continue  # nested in a span already replaced
        if is_fix:
            start, end, repl = spaced(text, pos, start, end, repl)
            out.append((text[pos:start], None))
            out.append((text[start:end], repl))
        else:
            out.append((text[pos:start] + repl, None))
        pos = end
    out.append((text[pos:], None))
    return out


def apply_txt(desk: Desk) -> str:
    """The target's reading text with every accepted reading applied."""
    text = "".join(new if new is not None else old for old, new in _pieces(desk))
    return _BLANK_RUN.sub("\n\n", text).strip("\n") + "\n"


def apply_tei(desk: Desk) -> str:
    """A TEI document of the target's text, each correction as ``choice/sic/corr``."""
    c = desk.outline
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = etree.SubElement(tei, f"{{{TEI_NS}}}teiHeader")
    fdesc = etree.SubElement(header, f"{{{TEI_NS}}}fileDesc")
    tstmt = etree.SubElement(fdesc, f"{{{TEI_NS}}}titleStmt")
    etree.SubElement(tstmt, f"{{{TEI_NS}}}title").text = c.title
    pub = etree.SubElement(fdesc, f"{{{TEI_NS}}}publicationStmt")
    etree.SubElement(
        pub, f"{{{TEI_NS}}}p"
    ).text = f"Witness {c.target} corrected by the decisions of a proofbench review."
    src = etree.SubElement(fdesc, f"{{{TEI_NS}}}sourceDesc")
    etree.SubElement(src, f"{{{TEI_NS}}}p").text = c.witness(c.target).label or c.target
    body = etree.SubElement(etree.SubElement(tei, f"{{{TEI_NS}}}text"), f"{{{TEI_NS}}}body")

    para: list[etree._Element] = []

    def new_p() -> None:
        para.append(etree.SubElement(body, f"{{{TEI_NS}}}p"))

    def add_text(s: str) -> None:
        p = para[-1]
        if len(p):
            p[-1].tail = (p[-1].tail or "") + s
        else:
            p.text = (p.text or "") + s

    new_p()
    add: Callable[[str], None] = add_text
    for old, new in _pieces(desk):
        if new is None:
            chunks = _PARAGRAPH_BREAK.split(old)
            for i, chunk in enumerate(chunks):
                if i:
                    new_p()
                add(chunk)
            continue
        choice = etree.SubElement(para[-1], f"{{{TEI_NS}}}choice")
        etree.SubElement(choice, f"{{{TEI_NS}}}sic").text = old
        etree.SubElement(choice, f"{{{TEI_NS}}}corr").text = new
    for p in list(body):
        if not len(p) and not (p.text or "").strip():
            body.remove(p)
    etree.indent(header)
    return str(etree.tostring(tei, encoding="unicode")) + "\n"


APPLIERS: dict[str, Callable[[Desk], str]] = {"txt": apply_txt, "tei": apply_tei}
"""Output formats of ``proofbench apply``."""


OCR_FORMATS = ("hocr", "alto", "page")
"""Formats ``apply`` writes corrections back into: the target witness's own OCR format (the
keys of ``render.writeback.REWRITERS``, named here so that importing this module does not
load the render stage; a test holds them equal)."""


def apply_ocr(desk: Desk, fmt: str) -> WriteBack:
    """The target's OCR files with every accepted reading written into its words.

    Raises FormatError when the target was not read from ``fmt`` files.
    """
    from proofbench.render.writeback import write_back

    witness = desk.collation.witness(desk.collation.target)
    return write_back(witness, edits(desk), fmt)
