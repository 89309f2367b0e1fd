"""Collation -> TEI P5 with a parallel-segmentation critical apparatus that round-trips.

Input: a Collation and RenderOptions. Output: TEI XML text. The base text is the target
witness's reading text, paragraph by paragraph (apparatus left out, line-end hyphens joined).
Each variant stands in place as an ``<app>`` holding a ``<lem>`` for the suggested reading where
there is one (``wit`` naming the witnesses that read it, else ``resp`` pointing at proofbench's
``<application>``; ``cert`` its confidence) and one ``<rdg wit="#S1 #S2">`` per distinct other
reading, then the evidence as ``<note type="evidence">``. Every reading points at the variant's
classes with ``@ana`` (categories of the taxonomy declared in ``<classDecl>``); a reading that
every witness reading it is judged wrong also points at ``#suspect``.

The contract is that reading, for one witness, the text outside the ``<app>``s and that
witness's reading inside each gives the witness's own reading text (as ``proofbench text
--no-apparatus`` prints it, up to the layout of whitespace): the space that separates an added
or omitted word is written inside the readings, and places where the witnesses' words differ
but no variant is reported (equal after normalization, or a class left out) get an ``<app>``
pointing at ``#unreported``. ``proofbench.render.tei_read.witness_texts`` reads them back.
Page breaks of OCR witnesses stand as ``<pb edRef="#S" n="…" facs="IMAGE"/>`` where their
pages begin. Built with lxml, so the output is well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

from lxml import etree

from proofbench.model import BlockKind, Collation, Variant
from proofbench.render.classes import CLASS_STYLES
from proofbench.render.collation_json import kept_variants
from proofbench.render.layout import Layout, Mark, assign, is_blank
from proofbench.render.options import RenderOptions
from proofbench.render.tei_places import Anchors, Place, padded, places

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# XML 1.0 forbids most control characters; a witness may still carry them.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SUSPECT = "suspect"
"""The category of a reading judged wrong by every witness that reads it."""
UNREPORTED = "unreported"
"""The category of a place where the words differ but no variant is reported."""


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


def _classes(v: Variant) -> str:
    names = [v.cls.value] + [c.value for c in v.classes if c is not v.cls]
    return " ".join(f"#{n}" for n in names)


def wit_id(siglum: str) -> str:
    """The witness's xml:id: its siglum, or ``_`` and the siglum where the siglum is no NCName
    (a CollateX id such as ``1``; ``n`` keeps the siglum as written)."""
    return siglum if re.match(r"[A-Za-z_]", siglum) else "_" + siglum


def _refs(sigla: Sequence[str]) -> str:
    return " ".join(f"#{wit_id(s)}" for s in sigla)


def _app(parent: etree._Element, place: Place, sigla: Sequence[str]) -> None:
    v = place.variant
    app = _sub(parent, "app")
    if v is not None and place.part >= 0:
        app.set(_XML_ID, _xml_id(v.id) + ("-2" if place.part == 2 else ""))
    if v is not None and place.part == 1:
        app.set("next", f"#{_xml_id(v.id)}-2")
    if v is not None and place.part == 2:
        app.set("prev", f"#{_xml_id(v.id)}")
    ana = _classes(v) if v is not None else f"#{UNREPORTED}"
    groups: dict[str, list[str]] = {}
    for s in sigla:
        if s in place.readings:
            groups.setdefault(place.padded(place.readings[s]), []).append(s)
    if v is not None and v.suggestion is not None and place.part == 0:
        suggestion = place.padded(v.suggestion)
        wits = groups.pop(suggestion, [])
        lem = _sub(app, "lem", suggestion, cert=f"{v.confidence:.2f}", ana=ana)
        if wits:
            lem.set("wit", _refs(wits))
        else:
            lem.set("resp", "#proofbench")
    for reading, wits in groups.items():
        rdg = _sub(app, "rdg", reading or None, wit=_refs(wits), ana=ana)
        if v is not None and all(s in v.suspect for s in wits):
            rdg.set("ana", f"{ana} #{SUSPECT}")
    if v is None or place.part not in (0, 1):
        return
    if place.part == 1 and v.suggestion is not None:
        # A moved passage's suggestion spans both places: it is said, not placed.
        _sub(app, "note", f"Suggested reading: {v.suggestion}", type="suggestion")
    for sentence in v.evidence:
        _sub(app, "note", sentence, type="evidence")


def _page_breaks(collation: Collation, anchors: Anchors) -> list[Mark]:
    """A zero-width mark in the target's text where each page of each OCR witness begins."""
    target = collation.witness(collation.target)
    column_of: dict[str, dict[int, int]] = {}
    for ci, col in enumerate(collation.alignment.columns):
        if col.transposition is not None:
            continue
        for s, idx in col.readings.items():
            for i in idx:
                column_of.setdefault(s, {}).setdefault(i, ci)
    out: list[Mark] = []
    for w in collation.witnesses:
        page: int | None = None
        for tok in w.text_tokens:
            src = tok.source
            if src is None or src.page is None or src.page == page:
                continue
            page = src.page
            where = column_of.get(w.siglum, {}).get(tok.index)
            if where is None:
                continue
            mine = collation.alignment.columns[where].readings.get(target.siglum, ())
            at = target.tokens[mine[0]].start if mine else anchors.at(where)[0]
            out.append(Mark(at, at, key=("pb", w.siglum, page, src.image or "")))
    return out


def _application_version(version: str) -> str:
    """The version as TEI's ``@version`` allows it: up to four dotted numbers (``0.1.0``)."""
    found = re.match(r"\d+[a-z]*\d*(\.\d+[a-z]*\d*){0,3}", version)
    return found.group(0) if found else "0"


def _header(root: etree._Element, collation: Collation, options: RenderOptions) -> None:
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", collation.manifest.title or "Collation")
    pub = _sub(file_desc, "publicationStmt")
    made = f"Collated by proofbench {collation.version} (normalization profile {collation.profile})"
    _sub(pub, "p", made + (f" on {collation.created}." if collation.created else "."))
    source = _sub(file_desc, "sourceDesc")
    list_wit = _sub(source, "listWit")
    for w in collation.witnesses:
        wit = _sub(list_wit, "witness", xml_id=wit_id(w.siglum), n=w.siglum)
        _sub(wit, "label", w.label or w.siglum)
        _append_text(wit, " ")
        _sub(wit, "term", w.kind.value, type="kind")
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
                target=f"#{wit_id(w.derives_from)}",
            )
    encoding = _sub(header, "encodingDesc")
    app_info = _sub(encoding, "appInfo")
    application = _sub(
        app_info,
        "application",
        xml_id="proofbench",
        ident="proofbench",
        version=_application_version(collation.version),
    )
    _sub(application, "label", "proofbench")
    _sub(application, "desc", "Collated the witnesses and suggested the readings in <lem>.")
    _sub(encoding, "variantEncoding", method="parallel-segmentation", location="internal")
    taxonomy = _sub(_sub(encoding, "classDecl"), "taxonomy", xml_id="variant-classes")
    for style in CLASS_STYLES.values():
        cat = _sub(taxonomy, "category", xml_id=style.value)
        _sub(cat, "catDesc", f"{style.label}: {style.about}")
    for ident, about in (
        (SUSPECT, "suspect: a reading judged wrong"),
        (
            UNREPORTED,
            f"unreported: the words differ, but not as a variant (profile {collation.profile})",
        ),
    ):
        _sub(_sub(taxonomy, "category", xml_id=ident), "catDesc", about)
    etree.indent(header, space=" ", level=1)


def render_tei(collation: Collation, options: RenderOptions) -> str:
    """The collation as TEI P5 XML text (UTF-8 declaration, ending in a newline)."""
    sigla = [w.siglum for w in collation.witnesses]
    root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    _header(root, collation, options)
    text_el = _sub(root, "text")
    body = _sub(text_el, "body")
    body.text = text_el.tail = "\n"
    target = collation.witness(collation.target)
    layout = Layout(target)
    found = places(collation, kept_variants(collation, options))
    marks: list[Mark] = [Mark(p.start, p.end, key=i) for i, p in enumerate(found)]
    marks += _page_breaks(collation, Anchors(collation))
    blocks = layout.blocks()
    written: set[Hashable] = set()
    for block, block_marks in zip(
        blocks, assign([(b.start, b.end) for b in blocks], marks), strict=True
    ):
        ready: dict[int, Place] = {}
        floor = block.start  # marks never overlap: each starts at or after the last one's end
        for i, m in sorted(enumerate(block_marks), key=lambda im: (im[1].start, im[1].end)):
            if isinstance(m.key, int) and m.key not in written:
                place = ready[m.key] = padded(
                    found[m.key], layout.text, block.start, block.end, floor
                )
                block_marks[i] = Mark(place.start, place.end, m.key)
                floor = max(floor, place.end)
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
                continue
            if key in written:
                continue
            written.add(key)
            if isinstance(key, tuple):
                _, siglum, page, image = key
                pb = _sub(el, "pb", edRef=f"#{wit_id(siglum)}", n=str(page))
                if image:
                    pb.set("facs", image)
            else:
                assert isinstance(key, int)
                _app(el, ready[key], sigla)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data.decode("utf-8") + "\n"
