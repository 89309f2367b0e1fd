"""TEI parallel segmentation -> each witness's text: the inverse of ``render_tei``.

Input: TEI XML text (or bytes) with ``<app>``/``<lem>``/``<rdg wit=…>`` in its ``<body>``.
Output: ``{siglum: text}``, one text per witness declared in ``<listWit>``, its paragraphs
separated by a blank line. For each witness the text outside the apps is kept and, inside each
app, the reading whose ``@wit`` names it (none, where it reads nothing); notes, page breaks and
other milestones are left out. This is how the Versioning Machine and the TEI Stylesheets show
one witness, so a test can check that every witness comes back as its own text.
"""

from __future__ import annotations

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_READINGS = {TEI + "lem", TEI + "rdg"}
_SKIP = {TEI + "note", TEI + "pb", TEI + "lb", TEI + "cb", TEI + "witDetail"}


def _walk(el: etree._Element, siglum: str, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        if child.tag == TEI + "app":
            for reading in child:
                if reading.tag in _READINGS and f"#{siglum}" in (reading.get("wit") or "").split():
                    _walk(reading, siglum, out)
                    break
        elif child.tag not in _SKIP and isinstance(child.tag, str):
            _walk(child, siglum, out)
        if child.tail:
            out.append(child.tail)


def witness_texts(tei: str | bytes) -> dict[str, str]:
    """Every declared witness's text rebuilt from the apparatus; raises lxml's XMLSyntaxError."""
    data = tei.encode("utf-8") if isinstance(tei, str) else tei
    root = etree.fromstring(data)
    sigla = [w.get(XML_ID) or "" for w in root.iter(TEI + "witness")]
    body = root.find(f".//{TEI}body")
    out: dict[str, str] = {}
    for siglum in sigla:
        paragraphs = []
        for block in body if body is not None else ():
            pieces: list[str] = []
            _walk(block, siglum, pieces)
            paragraphs.append("".join(pieces))
        out[siglum] = "\n\n".join(paragraphs)
    return out
