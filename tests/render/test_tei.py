"""The TEI export: valid P5 (tei_all), parallel segmentation that gives every witness back."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from render_fixtures import check_golden

from proofbench.model import Collation
from proofbench.render import RENDERERS, RenderOptions
from proofbench.render.layout import Layout
from proofbench.render.tei_read import witness_texts
from proofbench.text.reading import reading_text

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"

# Three witnesses of one text: C adds a word, drops a word, and moves a clause (B's reading
# order), B runs two words apart from A. The target is C.
THREE = {
    "A": "The storm broke over the hills at dawn.\n\nWe waited in the old barn, cold and wet.\n",
    "B": "The storm broke over the hills at dawn.\n\nCold and wet, we waited in the old barn.\n",
    "C": "The great storm broke over hills at dawn.\n\nWe waited in the old barn, cold and wet.\n",
}


def _parse(c: Collation) -> etree._Element:
    return etree.fromstring(RENDERERS["tei"](c, RenderOptions()).encode("utf-8"))


@cache
def _tei_all() -> etree.RelaxNG:
    with gzip.open(SCHEMAS / "tei_all.rng.gz") as f:
        return etree.RelaxNG(etree.parse(f))


def _valid(text: str) -> None:
    schema = _tei_all()
    doc = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(doc), schema.error_log.filter_from_errors()[:5]


def _words(text: str) -> str:
    return " ".join(text.split())


def _three(tmp_path: Path) -> Collation:
    from proofbench.pipeline import collate

    lines = ['[collation]\ntitle = "three"\ntarget = "C"\n']
    for siglum, text in THREE.items():
        (tmp_path / f"{siglum}.txt").write_text(text, encoding="utf-8")
        lines.append(f'[[witness]]\nsiglum = "{siglum}"\nfile = "{siglum}.txt"\n')
    manifest = tmp_path / "three.toml"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    return collate(str(manifest))


def test_tei_declares_witnesses_and_method(pivot_letter: Collation) -> None:
    root = _parse(pivot_letter)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    wits = root.findall(".//tei:listWit/tei:witness", NS)
    assert [w.get(XML_ID) for w in wits] == ["P45", "T05", "W15"], "no phantom witness"
    assert [w.get("n") for w in wits] == ["P45", "T05", "W15"], "@n is the siglum"
    kinds = [w.find("tei:term[@type='kind']", NS) for w in wits]
    assert [k.text for k in kinds if k is not None] == ["ocr", "transcription", "proofread"]
    enc = root.find(".//tei:variantEncoding", NS)
    assert enc is not None and enc.get("method") == "parallel-segmentation"
    app = root.find(".//tei:appInfo/tei:application", NS)
    assert app is not None and app.get(XML_ID) == "proofbench"


def test_tei_apparatus_entries(pivot_letter: Collation) -> None:
    root = _parse(pivot_letter)
    apps = [a for a in root.findall(".//tei:body//tei:app", NS) if a.get(XML_ID)]
    assert len(apps) == len(pivot_letter.variants)
    declared = {w.get(XML_ID) for w in root.findall(".//tei:listWit/tei:witness", NS)}
    for app, v in zip(apps, pivot_letter.variants, strict=True):
        lem = app.find("tei:lem", NS)
        assert (lem is not None) == (v.suggestion is not None)
        if lem is not None:
            assert (lem.text or "").strip() == v.suggestion
        named = []
        for r in app.findall("tei:rdg", NS) + ([lem] if lem is not None else []):
            assert f"#{v.cls.value}" in (r.get("ana") or "").split(), "the class on the reading"
            for ref in (r.get("wit") or "").split():
                assert ref.startswith("#") and ref[1:] in declared
                named.append(ref[1:])
        assert sorted(named) == sorted(v.readings), "every witness reads exactly once"


def test_tei_pointers_all_resolve(pivot_letter: Collation) -> None:
    """Every @ana, @wit, @resp, @edRef and ref/@target names an xml:id of the document."""
    root = _parse(pivot_letter)
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    pointers = 0
    for el in root.iter():
        for attr in ("ana", "wit", "resp", "edRef", "target"):
            for ref in (el.get(attr) or "").split():
                pointers += 1
                assert ref.startswith("#") and ref[1:] in ids, f"{attr}={ref} dangles"
    assert pointers > len(pivot_letter.variants)


def test_tei_page_breaks_link_the_page_images(pivot_letter: Collation) -> None:
    root = _parse(pivot_letter)
    pbs = root.findall(".//tei:body//tei:pb", NS)
    ocr = pivot_letter.witness("P45")
    assert [(pb.get("edRef"), pb.get("n")) for pb in pbs] == [
        ("#P45", str(p)) for p in range(1, ocr.pages + 1)
    ]
    images = {t.source.image for t in ocr.tokens if t.source is not None}
    assert {pb.get("facs") for pb in pbs} == images


def test_tei_base_text_is_the_targets(pivot_letter: Collation) -> None:
    """Outside the apps and in the target's readings: the target's reading text."""
    target = pivot_letter.target
    got = witness_texts(RENDERERS["tei"](pivot_letter, RenderOptions()))[target]
    layout = Layout(pivot_letter.witness(target))
    want = " ".join(layout.clean(b.start, b.end) for b in layout.blocks())
    assert _words(got) == _words(want)


def test_every_letter_witness_rebuilds_from_the_tei(letter: Collation) -> None:
    """Each witness read back from the apparatus is its own text: no word run into the next."""
    rebuilt = witness_texts(RENDERERS["tei"](letter, RenderOptions()))
    assert set(rebuilt) == {w.siglum for w in letter.witnesses}
    for w in letter.witnesses:
        assert _words(rebuilt[w.siglum]) == _words(reading_text(w)), w.siglum


def test_three_witnesses_with_addition_omission_and_move(tmp_path: Path) -> None:
    from render_fixtures import pipeline_ready

    if not pipeline_ready():
        pytest.skip("the align and classify stages are not built yet")
    c = _three(tmp_path)
    classes = {cls.value for v in c.variants for cls in (v.cls, *v.classes)}
    assert {"addition", "omission", "transposition"} <= classes, classes
    tei = RENDERERS["tei"](c, RenderOptions())
    rebuilt = witness_texts(tei)
    for w in c.witnesses:
        assert _words(rebuilt[w.siglum]) == _words(THREE[w.siglum]), w.siglum
    _valid(tei)


def test_tei_is_valid_tei_all(pivot_letter: Collation, letter: Collation) -> None:
    _valid(RENDERERS["tei"](pivot_letter, RenderOptions()))
    _valid(RENDERERS["tei"](letter, RenderOptions()))


def test_tei_golden(pivot_letter: Collation) -> None:
    check_golden("fixture.tei.xml", RENDERERS["tei"](pivot_letter, RenderOptions()))
