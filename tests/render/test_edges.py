"""Edge cases written out: every format renders small and odd collations, and stays valid."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from render_fixtures import pivot_collation, text_manifest

from proofbench.model import Collation
from proofbench.pipeline import witness_from_text
from proofbench.render import RENDERERS, RenderOptions
from proofbench.render.html import report_context

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
CASES = {
    "identical": ("the same words\n", "the same words\n"),
    "completely different": ("alpha beta gamma", "one two three four"),
    "one word": ("word", "ward"),
    "trailing newlines": ("a b c\n\n\n", "a b d\n"),
    "paragraphs": ("first para here\n\nsecond one\n", "first para hear\n\nsecond one\n"),
    "control characters": ("bell \x07 here", "bell \x07 there"),
}


def _collation(a: str, b: str) -> Collation:
    return pivot_collation(
        text_manifest("edge", ["A", "B"], "B"),
        [witness_from_text("A", a), witness_from_text("B", b)],
    )


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_small_collations_render(case: str, fmt: str) -> None:
    c = _collation(*CASES[case])
    out = RENDERERS[fmt](c, RenderOptions())
    if fmt == "json":
        assert len(json.loads(out)["variants"]) == len(c.variants)
    elif fmt == "tei":
        root = etree.fromstring(out.encode("utf-8"))
        apps = [a for a in root.findall(".//{*}app") if a.get(XML_ID)]
        assert len(apps) == len(c.variants)
    elif fmt == "html":
        assert out.rstrip().endswith("</html>")
    elif fmt == "txt":
        assert out  # the target's text, corrected or not


def test_identical_witnesses_have_no_variants_and_one_page() -> None:
    c = _collation(*CASES["identical"])
    assert c.variants == ()
    ctx = report_context(c, RenderOptions())
    assert ctx.data["items"] == []
    assert len(ctx.data["pages"]) == 1
    assert "the witnesses agree" in RENDERERS["html"](c, RenderOptions())
    assert RENDERERS["txt"](c, RenderOptions()) == "the same words\n"


def test_every_item_is_placed_even_at_the_edges() -> None:
    c = _collation("lead words in the middle tail", "words in middle")
    ctx = report_context(c, RenderOptions())
    marked = {
        p[0]
        for page in ctx.data["pages"]
        for _, pieces in page["blocks"]
        for p in pieces
        if isinstance(p, list)
    }
    assert marked == set(range(len(ctx.data["items"])))
