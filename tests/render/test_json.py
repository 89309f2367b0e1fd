"""The JSON export: the documented ``proofbench/collation@1`` format."""

from __future__ import annotations

import json

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
            w = pivot_letter.witness(s)
            starts = {t.start: t for t in w.tokens}
            assert loc["start"] in starts and loc["end"] in {t.end for t in w.tokens}
            assert starts[loc["start"]].reading == src.readings[s].split()[0]
    absent = [v for v in data["variants"] if "" in v["readings"].values()]
    assert absent, "absence is written as the empty string"
    assert all(s not in v["locations"] for v in absent for s, r in v["readings"].items() if not r)


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
        assert rows[0][f"reading_{s}"] == first.readings[s]
    check_golden("fixture.csv", text)
