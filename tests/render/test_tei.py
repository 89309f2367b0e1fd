"""The TEI export: well-formed P5, parallel segmentation, the target's text kept."""

from __future__ import annotations

from lxml import etree
from render_fixtures import check_golden

from proofbench.model import Collation
from proofbench.render import RENDERERS, RenderOptions
from proofbench.render.layout import Layout

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _parse(c: Collation) -> etree._Element:
    return etree.fromstring(RENDERERS["tei"](c, RenderOptions()).encode("utf-8"))


def test_tei_declares_witnesses_and_method(pivot_letter: Collation) -> None:
    root = _parse(pivot_letter)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    wits = root.findall(".//tei:listWit/tei:witness", NS)
    assert [w.get(XML_ID) for w in wits][:3] == ["P45", "T05", "W15"]
    enc = root.find(".//tei:variantEncoding", NS)
    assert enc is not None and enc.get("method") == "parallel-segmentation"


def test_tei_apparatus_entries(pivot_letter: Collation) -> None:
    root = _parse(pivot_letter)
    apps = root.findall(".//tei:body//tei:app", NS)
    assert len(apps) == len(pivot_letter.variants)
    declared = {w.get(XML_ID) for w in root.findall(".//tei:listWit/tei:witness", NS)}
    for app, v in zip(apps, pivot_letter.variants, strict=True):
        assert app.get("type") == v.cls.value
        lem = app.find("tei:lem", NS)
        assert (lem is not None) == (v.suggestion is not None)
        if lem is not None:
            assert (lem.text or "") == v.suggestion
        named = []
        for r in app.findall("tei:rdg", NS) + ([lem] if lem is not None else []):
            for ref in (r.get("wit") or "").split():
                assert ref.startswith("#") and ref[1:] in declared
                named.append(ref[1:])
        assert sorted(named) == sorted(v.readings), "every witness reads exactly once"


def test_tei_base_text_is_the_targets(pivot_letter: Collation) -> None:
    """Replace each app by the target's reading: the body's text is the target's reading text."""
    root = _parse(pivot_letter)
    target = pivot_letter.target
    for app in root.iterfind(".//tei:app", NS):
        reading = ""
        for r in app.findall("tei:rdg", NS) + app.findall("tei:lem", NS):
            if f"#{target}" in (r.get("wit") or "").split():
                reading = r.text or ""
        tail = app.tail
        app.clear()  # clears the tail too: the text after the app
        app.text, app.tail = reading, tail
    body = root.find(".//tei:body", NS)
    got = " ".join(" ".join("".join(p.itertext()).split()) for p in body)
    layout = Layout(pivot_letter.witness(target))
    want = " ".join(
        " ".join(layout.clean(b.start, b.end).split())
        for b in layout.blocks()
        if layout.clean(b.start, b.end).strip()
    )
    assert " ".join(got.split()) == " ".join(want.split())


def test_tei_golden(pivot_letter: Collation) -> None:
    check_golden("fixture.tei.xml", RENDERERS["tei"](pivot_letter, RenderOptions()))
