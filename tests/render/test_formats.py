"""The format table, output paths and the txt corrections."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from proofbench.model import Collation
from proofbench.render import (
    FORMATS,
    RENDERERS,
    RenderOptions,
    UnknownFormatError,
    format_for_path,
    write,
)
from proofbench.render.corrected import corrections
from proofbench.render.layout import variant_span


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a.html", "html"),
        ("reports/A.HTM", "html"),
        ("x.json", "json"),
        ("x.tei.xml", "tei"),
        ("x.xml", "tei"),
        ("x.tei", "tei"),
        ("x.csv", "csv"),
        ("x.txt", "txt"),
    ],
)
def test_format_follows_extension(path: str, fmt: str) -> None:
    assert format_for_path(path) == fmt


@pytest.mark.parametrize("path", ["report", "report.pdf", "x.html.bak", ""])
def test_unknown_extension_is_refused(path: str) -> None:
    with pytest.raises(UnknownFormatError):
        format_for_path(path)


def test_every_format_has_a_renderer() -> None:
    assert set(RENDERERS) == set(FORMATS)


def test_write_several_outputs_at_once(pivot_letter: Collation, tmp_path: Path) -> None:
    paths = [tmp_path / "r.html", tmp_path / "sub" / "r.json", tmp_path / "r.csv"]
    written = write(pivot_letter, paths)
    assert [f for _, f in written] == ["html", "json", "csv"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert json.loads(paths[1].read_text("utf-8"))["schema"] == "proofbench/collation@1"


def test_format_option_overrides_extension(pivot_letter: Collation, tmp_path: Path) -> None:
    out = tmp_path / "data.out"
    write(pivot_letter, [out], fmt="csv")
    assert out.read_text("utf-8").startswith("id,class,classes,")


def test_bad_extension_writes_nothing(pivot_letter: Collation, tmp_path: Path) -> None:
    good, bad = tmp_path / "a.json", tmp_path / "b.doc"
    with pytest.raises(UnknownFormatError):
        write(pivot_letter, [good, bad])
    assert not good.exists()


def test_txt_applies_confident_suggestions_only(pivot_letter: Collation) -> None:
    target = pivot_letter.witness(pivot_letter.target)
    strict = RENDERERS["txt"](pivot_letter, RenderOptions(min_confidence=1.0))
    assert strict == target.text  # nothing is that sure in the fixture
    loose = RenderOptions(min_confidence=0.85)
    edits = corrections(pivot_letter, loose)
    assert edits, "the fixture has confident OCR-confusion suggestions"
    text = RENDERERS["txt"](pivot_letter, loose)
    assert text != target.text
    for start, end, repl in edits:
        assert target.text[start:end] != repl
        assert repl in text


def test_txt_obeys_decisions(pivot_letter: Collation) -> None:
    low = [
        v
        for v in pivot_letter.variants
        if v.confidence < 0.8 and v.suggestion and v.readings[pivot_letter.target]
    ]
    high = [v for v in pivot_letter.variants if v.confidence >= 0.8]
    v_low, v_high = low[0], high[0]
    opts = RenderOptions(decisions={v_low.id: "accepted", v_high.id: "rejected"})
    spans = {start for start, _, _ in corrections(pivot_letter, opts)}
    assert variant_span(pivot_letter, v_low, pivot_letter.target)[0] in spans
    assert variant_span(pivot_letter, v_high, pivot_letter.target)[0] not in spans


def test_typographic_variants_can_be_left_out(pivot_letter: Collation) -> None:
    from proofbench.model import VariantClass

    v = pivot_letter.variants[0]
    typo = dataclasses.replace(v, cls=VariantClass.TYPOGRAPHIC, classes=(VariantClass.TYPOGRAPHIC,))
    c = dataclasses.replace(pivot_letter, variants=(typo, *pivot_letter.variants[1:]))
    shown = json.loads(RENDERERS["json"](c, RenderOptions()))
    hidden = json.loads(RENDERERS["json"](c, RenderOptions(report_typographic=False)))
    assert len(shown["variants"]) == len(hidden["variants"]) + 1
    assert all(x["class"] != "typographic" for x in hidden["variants"])


def test_the_format_tables_import_a_renderer_only_when_it_is_looked_up() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from proofbench.render import RENDERERS, STREAMS\n"
        "assert 'html' in RENDERERS and 'html' in STREAMS and 'x' not in RENDERERS\n"
        "assert 'proofbench.render.html' not in sys.modules, 'looked up too early'\n"
        "assert 'jinja2' not in sys.modules\n"
        "assert callable(STREAMS['html']) and 'proofbench.render.html' in sys.modules\n"
        "assert sorted(RENDERERS) == ['collatex', 'csv', 'html', 'json', 'tei', 'txt']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
