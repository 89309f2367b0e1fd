"""The JSON export: the documented ``proofbench/collation@1`` format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from render_fixtures import check_golden

from proofbench.model import Collation
from proofbench.render import RENDERERS, RenderOptions


def test_json_carries_the_documented_fields(pivot_letter: Collation) -> None:
    data = json.loads(RENDERERS["json"](pivot_letter, RenderOptions()))
    assert data["schema"] == "proofbench/collation@1"
    assert data["target"] == "W15"
    assert [w["siglum"] for w in data["witnesses"]] == ["P45", "T05", "W15"]
    t05 = data["witnesses"][1]
    assert {"siglum", "label", "kind", "date", "derives_from"} <= set(t05)
    assert t05["derives_from"] == "P45"
    assert len(data["variants"]) == len(pivot_letter.variants)
    keys = {"id", "class", "classes", "readings", "locations", "suggestion", "confidence"}
    keys |= {"suspect", "evidence"}
    for v, src in zip(data["variants"], pivot_letter.variants, strict=True):
        assert keys <= set(v)
        assert set(v["readings"]) == {"P45", "T05", "W15"}
        for s, loc in v["locations"].items():
            if not src.readings[s]:
                continue  # a zero-width point (checked below)
            w = pivot_letter.witness(s)
            starts = {t.start: t for t in w.tokens}
            assert loc["start"] in starts and loc["end"] in {t.end for t in w.tokens}
            assert starts[loc["start"]].reading == src.readings[s].split()[0]
    absent = [v for v in data["variants"] if "" in v["readings"].values()]
    assert absent, "absence is written as the empty string"
    for v in absent:
        for s, r in v["readings"].items():
            assert set(v["locations"]) == set(v["readings"]), "every witness has a location"
            if not r:
                loc = v["locations"][s]
                assert loc["start"] == loc["end"], "a zero-width point where it reads nothing"


def _resolve(data: dict[str, Any]) -> tuple[int, int]:
    """Resolve every variant location with the JSON alone: (spans matching, spans with a
    line-end hyphen, which the JSON's ``words`` resolve)."""
    texts = {w["siglum"]: w["text"] for w in data["witnesses"]}
    ok = hyphen = 0
    for v in data["variants"]:
        for s, loc in v["locations"].items():
            span = texts[s][loc["start"] : loc["end"]]
            if " ".join(span.split()) == v["readings"][s]:
                ok += 1
            else:
                assert re.search(r"-\s*\n", span), (s, span, v["readings"][s])
                hyphen += 1
    return ok, hyphen


def test_every_offset_resolves_outside_the_library(letter: Collation) -> None:
    """The letter (hOCR, HTML and text witnesses): each span of the JSON's own text is the
    reading, but for words broken at a line end."""
    data = json.loads(RENDERERS["json"](letter, RenderOptions()))
    ok, hyphen = _resolve(data)
    assert ok > 0 and hyphen <= ok // 10, (ok, hyphen)


def test_json_tokens_carry_the_ocr_source(letter: Collation) -> None:
    data = json.loads(RENDERERS["json"](letter, RenderOptions(json_tokens=True)))
    ocr = next(w for w in data["witnesses"] if w["kind"] == "ocr")
    assert len(ocr["words"]) == len(letter.witness(ocr["siglum"]).tokens)
    for word in ocr["words"]:
        assert ocr["text"][word["start"] : word["end"]] == word["t"]
        assert word["page"] >= 1 and len(word["bbox"]) == 4 and word["confidence"] is not None
    plain = json.loads(RENDERERS["json"](letter, RenderOptions()))
    assert all("words" not in w for w in plain["witnesses"]), "words only when asked for"


def test_json_flags_and_alignment(pivot_letter: Collation) -> None:
    data = json.loads(RENDERERS["json"](pivot_letter, RenderOptions()))
    assert len(data["flags"]) == len(pivot_letter.flags)
    for f in data["flags"]:
        assert {"witness", "start", "end", "text", "check", "class", "suggestion"} <= set(f)
        assert {"confidence", "message"} <= set(f)
    cols = data["alignment"]["columns"]
    assert len(cols) == len(pivot_letter.alignment.columns)
    assert {c["kind"] for c in cols} == {"equal", "variant"}


def test_json_is_deterministic(pivot_letter: Collation) -> None:
    a = RENDERERS["json"](pivot_letter, RenderOptions())
    b = RENDERERS["json"](pivot_letter, RenderOptions())
    assert a == b
    assert a.endswith("\n")


def test_json_golden(pivot_letter: Collation) -> None:
    check_golden("fixture.json", RENDERERS["json"](pivot_letter, RenderOptions()))


def test_csv_golden_and_shape(pivot_letter: Collation) -> None:
    import csv
    import io

    text = RENDERERS["csv"](pivot_letter, RenderOptions())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(pivot_letter.variants)
    first = pivot_letter.variants[0]
    assert rows[0]["id"] == first.id
    assert rows[0]["class"] == first.cls.value
    for s in ("P45", "T05", "W15"):
        assert rows[0][f"reading_{s}"] == (first.readings[s] or "\u2205")
    check_golden("fixture.csv", text)


def _doc_fields(section: str) -> set[str]:
    """The field names of one table of docs/collation-json.md (``## section``)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "collation-json.md").read_text("utf-8")
    part = doc.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in part.splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| `") else ""
        names |= set(re.findall(r"`([a-z_]+)`", cell))
    return names


def test_the_doc_lists_every_field_written(letter: Collation) -> None:
    data = json.loads(RENDERERS["json"](letter, RenderOptions(json_tokens=True)))
    assert _doc_fields("Top level") == set(data)
    assert _doc_fields("`witnesses[]`") == set(data["witnesses"][0])
    assert _doc_fields("`variants[]`") == set(data["variants"][0]) | {"decision"}
    assert _doc_fields("`flags[]`") == set(data["flags"][0])
