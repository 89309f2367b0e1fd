"""The HTML report as a file: self-contained, escaped, paginated for long texts."""

from __future__ import annotations

import json
import re

from hostile import TITLE, hostile_collation
from render_fixtures import pivot_collation, text_manifest

from proofbench.model import Collation
from proofbench.pipeline import witness_from_text
from proofbench.render import RENDERERS, RenderOptions
from proofbench.render.html import report_context


def _island(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="pb-data">(.*?)</script>', html, re.S)
    assert m, "the data island is there"
    return json.loads(m.group(1))


def test_report_is_self_contained(pivot_letter: Collation) -> None:
    html = RENDERERS["html"](pivot_letter, RenderOptions())
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(http" not in html
    assert re.search(r"<style>.+</style>", html, re.S)
    assert html.count("<script") == 2  # the data island and the inline script
    assert "Content-Security-Policy" in html


def test_report_shows_the_witnesses_and_summary(pivot_letter: Collation) -> None:
    html = RENDERERS["html"](pivot_letter, RenderOptions())
    for w in pivot_letter.witnesses:
        assert w.siglum in html
        assert w.label.replace("'", "&#39;") in html
    assert "T05 derives from P45" in html  # the genealogy's description
    assert "W15 derives from T05" in html
    data = _island(html)
    assert data["target"] == "W15"
    assert len([i for i in data["items"] if i["kind"] == "variant"]) == len(pivot_letter.variants)


def test_every_variant_is_marked_in_the_text(pivot_letter: Collation) -> None:
    data = _island(RENDERERS["html"](pivot_letter, RenderOptions()))
    marked = {
        p[0]
        for page in data["pages"]
        for _, pieces in page["blocks"]
        for p in pieces
        if isinstance(p, list)
    }
    assert marked == set(range(len(data["items"])))
    assert all("page" in it for it in data["items"])


def test_ocr_witness_gets_page_crops(pivot_letter: Collation) -> None:
    data = _island(RENDERERS["html"](pivot_letter, RenderOptions()))
    crops = [it["crop"]["P45"] for it in data["items"] if "P45" in it["crop"]]
    assert len(crops) >= len(pivot_letter.variants) // 2
    assert all(c.startswith("data:image/png;base64,") for c in crops)
    none = _island(RENDERERS["html"](pivot_letter, RenderOptions(crop_budget=0)))
    assert not any(it["crop"] for it in none["items"])


def test_hostile_witness_text_stays_text() -> None:
    c = hostile_collation()
    html = RENDERERS["html"](c, RenderOptions())
    assert "pwned" in html  # the text is there...
    assert "<script>window.pwned" not in html  # ...but never as markup
    assert "</textarea>" not in html
    assert "<img src" not in html and "<b>bold" not in html
    assert html.count("<script") == 2
    assert html.count("</script>") == 2
    assert "&lt;script&gt;window.pwned=5&lt;/script&gt; &amp; &#34;Title&#34;" in html
    data = _island(html)
    assert TITLE not in html
    texts = [
        p if isinstance(p, str) else p[1]
        for page in data["pages"]
        for _, pieces in page["blocks"]
        for p in pieces
    ]
    assert "<script>window.pwned=3</script>" in "".join(texts)


def test_long_text_is_paginated() -> None:
    words = [f"w{i % 997}" for i in range(12_000)]
    a = " ".join(words)
    b = " ".join("x" if i % 500 == 7 else w for i, w in enumerate(words))
    paras_a = "\n\n".join(a[i : i + 2000] for i in range(0, len(a), 2000))
    paras_b = "\n\n".join(b[i : i + 2000] for i in range(0, len(b), 2000))
    c = pivot_collation(
        text_manifest("long", ["A", "B"], "B"),
        [witness_from_text("A", paras_a), witness_from_text("B", paras_b)],
    )
    ctx = report_context(c, RenderOptions(page_words=3000))
    pages = ctx.data["pages"]
    assert len(pages) >= 3
    assert all(isinstance(it["page"], int) for it in ctx.data["items"])
    pages_of = [it["page"] for it in ctx.data["items"]]
    assert pages_of == sorted(pages_of)


def test_review_decisions_show_in_report_and_exports(pivot_letter: Collation) -> None:
    v = pivot_letter.variants[3]
    opts = RenderOptions(decisions={v.id: "corrected"})
    data = _island(RENDERERS["html"](pivot_letter, opts))
    assert [it.get("dec") for it in data["items"] if it["id"] == v.id] == ["corrected"]
    assert sum(1 for it in data["items"] if "dec" in it) == 1
    exported = json.loads(RENDERERS["json"](pivot_letter, opts))
    assert [x.get("decision") for x in exported["variants"] if x["id"] == v.id] == ["corrected"]
    assert f"{v.id}," in RENDERERS["csv"](pivot_letter, opts)
    assert RENDERERS["csv"](pivot_letter, opts).count(",corrected\n") == 1


def test_char_diff_of_short_readings_is_letter_by_letter() -> None:
    from proofbench.render.chardiff import char_diff as _diff

    assert _diff("ball.", "hall.") == [[-1, "b"], [1, "h"], [0, "all."]]
    ops = _diff("L,D.", "L.D.")
    assert "".join(t for op, t in ops if op <= 0) == "L,D."
    assert "".join(t for op, t in ops if op >= 0) == "L.D."


def test_long_readings_are_diffed_by_words_or_not_at_all() -> None:
    from proofbench.render.chardiff import CHAR_DIFF_LIMIT, WORD_DIFF_LIMIT
    from proofbench.render.chardiff import char_diff as _diff

    a = "the quick brown fox jumps over the lazy dog " * 10
    b = a.replace("fox", "cat", 1)
    assert len(a) + len(b) > CHAR_DIFF_LIMIT
    ops = _diff(a, b)
    assert [t for op, t in ops if op != 0] == ["fox", "cat"]
    assert "".join(t for op, t in ops if op >= 0) == b
    huge = "word " * WORD_DIFF_LIMIT
    assert _diff(huge, "") == []


def test_flags_inside_variants_become_notes() -> None:
    import dataclasses

    from proofbench.model import Flag, VariantClass

    c = hostile_collation()
    v = c.variants[0]
    loc = v.locations["B"]
    inside = Flag("B", loc.start, loc.end, "x", "odd", VariantClass.MISSPELLING, "inside")
    alone = Flag("B", 0, 2, "He", "odd", VariantClass.CASE, "alone")
    c = dataclasses.replace(c, flags=(inside, alone))
    items = report_context(c, RenderOptions()).data["items"]
    assert "odd: inside" in items[0].get("notes", [])
    flags = [it for it in items if it["kind"] == "flag"]
    assert [f["ev"] for f in flags] == [["alone"]]
