"""The CSV export: no meaningful cell empty, and no cell a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io

from render_fixtures import pivot_collation, text_manifest

from proofbench.model import Collation
from proofbench.pipeline import witness_from_text
from proofbench.render import RENDERERS, RenderOptions
from proofbench.render.table import EMPTY, spreadsheet_safe


def _rows(c: Collation) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(RENDERERS["csv"](c, RenderOptions()))))


def test_empty_readings_and_deletions_are_marked(pivot_letter: Collation) -> None:
    rows = _rows(pivot_letter)
    sigla = [w.siglum for w in pivot_letter.witnesses]
    empties = 0
    for row, v in zip(rows, pivot_letter.variants, strict=True):
        for s in sigla:
            cell = row[f"reading_{s}"]
            assert cell != "", "a reading cell is never empty (pandas would read NaN)"
            assert (cell == EMPTY) == (v.readings[s] == "")
            empties += v.readings[s] == ""
        assert row["absent"].split() == [s for s in sigla if not v.readings[s]]
        if v.suggestion == "":
            assert row["suggestion"] == EMPTY, "a suggestion to delete is marked"
        elif v.suggestion is None:
            assert row["suggestion"] == "", "no suggestion is the one empty cell"
    assert empties, "the fixture has additions and omissions"


def test_formula_cells_are_neutralized() -> None:
    a = "the total =SUM(A1:A9) and +1 and -2 and @cmd here"
    b = "the total =HYPERLINK(x) and +3 and -4 and @run here"
    c = pivot_collation(
        text_manifest("formulas", ["A", "B"], "B"),
        [witness_from_text("A", a), witness_from_text("B", b)],
    )
    text = RENDERERS["csv"](c, RenderOptions())
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [x for x in cells if x[:1] in ("=", "+", "-", "@")], "no cell starts a formula"
    assert "'=HYPERLINK(x)" in cells and "'-4" in cells, "the text is kept, only prefixed"


def test_spreadsheet_safe_follows_owasp() -> None:
    for risky in ("=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"):
        assert spreadsheet_safe(risky) == "'" + risky
    for plain in ("word", "", "'quoted", "—dash", "a=b"):
        assert spreadsheet_safe(plain) == plain
