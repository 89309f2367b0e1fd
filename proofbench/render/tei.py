"""Collation -> TEI P5 with a parallel-segmentation critical apparatus.

Input: a Collation and RenderOptions. Output: TEI XML text. The base text is the target
witness's reading text, paragraph by paragraph (apparatus left out, line-end hyphens joined);
each variant stands in place as ``<app type="CLASS">`` holding a ``<lem>`` for the suggested
reading where there is one (``wit`` naming the witnesses that read it, ``cert`` its confidence)
and one ``<rdg wit="#S1 #S2">`` per distinct other reading (``type="suspect"`` where every
witness reading it is judged wrong), then the evidence as ``<note type="evidence">``.
Witnesses are declared in ``<listWit>``. Built with lxml, so the output is well-formed XML.
"""

from __future__ import annotations

import re

from lxml import etree

from proofbench.model import BlockKind, Collation, Variant
from proofbench.render.collation_json import kept_variants
from proofbench.render.layout import Layout, Mark, assign, is_blank, variant_span
from proofbench.render.options import RenderOptions

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
# XML 1.0 forbids most control characters; a witness may still carry them.
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _BAD_XML.sub("\ufffd", text)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _T + tag)
    for k, v in attrs.items():
        el.set(_XML_ID if k == "xml_id" else k, _clean(v))
    if text:
        el.text = _clean(text)
    return el


def _append_text(parent: etree._Element, text: str) -> None:
    """Append text after the parent's last child (or inside it, when it has none)."""
    text = _clean(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _xml_id(variant_id: str) -> str:
    # xml:id must be an NCName: start with a letter, no colons or spaces.
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", variant_id)
    return safe if re.match(r"[A-Za-z_]", safe) else "v-" + safe


def _app(parent: etree._Element, v: Variant, sigla: list[str]) -> None:
    app = _sub(parent, "app", type=v.cls.value, xml_id=_xml_id(v.id))
    if len(v.classes) > 1:
        app.set("ana", " ".join(f"#{c.value}" for c in v.classes))
    groups: dict[str, list[str]] = {}
    for s in sigla:
        if s in v.readings:
            groups.setdefault(v.readings[s], []).append(s)
    if v.suggestion is not None:
        wits = groups.pop(v.suggestion, [])
        lem = _sub(parent=app, tag="lem", text=v.suggestion, cert=f"{v.confidence:.2f}")
        if wits:
            lem.set("wit", " ".join(f"#{s}" for s in wits))
        else:
            lem.set("resp", "#proofbench")
    for reading, wits in groups.items():
        rdg = _sub(app, "rdg", reading or None, wit=" ".join(f"#{s}" for s in wits))
        if wits and all(s in v.suspect for s in wits):
            rdg.set("type", "suspect")
    for sentence in v.evidence:
        _sub(app, "note", sentence, type="evidence")


def render_tei(collation: Collation, options: RenderOptions) -> str:
    """The collation as TEI P5 XML text (UTF-8 declaration, ending in a newline)."""
    sigla = [w.siglum for w in collation.witnesses]
    root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", collation.manifest.title or "Collation")
    pub = _sub(file_desc, "publicationStmt")
    made = f"Collated by proofbench {collation.version} (normalization profile {collation.profile})"
    _sub(pub, "p", made + (f" on {collation.created}." if collation.created else "."))
    source = _sub(file_desc, "sourceDesc")
    list_wit = _sub(source, "listWit")
    for w in collation.witnesses:
        wit = _sub(list_wit, "witness", w.label or w.siglum, xml_id=w.siglum, n=w.kind.value)
        if w.date:
            _append_text(wit, " ")
            date = _sub(wit, "date", w.date)
            if _ISO_DATE.fullmatch(w.date):
                date.set("when", w.date)
        if w.derives_from:
            _append_text(wit, " ")
            _sub(
                wit,
                "ref",
                f"derives from {w.derives_from}",
                type="derives-from",
                target=f"#{w.derives_from}",
            )
    resp = _sub(
        list_wit, "witness", "proofbench's suggested reading (a conjecture)", xml_id="proofbench"
    )
    resp.set("n", "conjecture")
    encoding = _sub(header, "encodingDesc")
    _sub(encoding, "variantEncoding", method="parallel-segmentation", location="internal")

    text_el = _sub(root, "text")
    body = _sub(text_el, "body")
    body.text = text_el.tail = "\n"
    target = collation.witness(collation.target)
    layout = Layout(target)
    variants = {i: v for i, v in enumerate(kept_variants(collation, options))}
    marks = [Mark(*variant_span(collation, v, target.siglum), key=i) for i, v in variants.items()]
    blocks = layout.blocks()
    written: set[int] = set()
    for block, block_marks in zip(
        blocks, assign([(b.start, b.end) for b in blocks], marks), strict=True
    ):
        pieces = layout.pieces(block.start, block.end, block_marks)
        # A continuation of a mark from an earlier block is in that block's app already.
        pieces = [(t, k) for t, k in pieces if k is None or k not in written]
        if is_blank(pieces):
            continue
        # Every block is a <p> (a <head> may only open a division); its role goes in @rend.
        el = _sub(body, "p")
        el.tail = "\n"  # one paragraph a line: readable diffs; whitespace between <p>s is void
        if block.kind is not BlockKind.PARAGRAPH:
            el.set("rend", block.kind.value)
        for text, key in pieces:
            if key is None:
                _append_text(el, text)
            elif key not in written:
                assert isinstance(key, int)
                written.add(key)
                _app(el, variants[key], sigla)
    etree.indent(header, space=" ", level=1)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data.decode("utf-8") + "\n"
