"""``proofbench witnesses``: the apparatus column counts what the manifest and the scans mark.

Oracles independent of the loaders: W15's apparatus lines are the file's lines that one of the
manifest's patterns matches whole (counted here with ``re`` over the raw file); T05's are the
elements its CSS selectors name (counted with lxml); P45's are the three running heads the
witness kit documents.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from lxml import html
from lxml.cssselect import CSSSelector

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, for the CLI helper
from cli_support import run_cli

ROOT = Path(__file__).resolve().parents[1]
LETTER = ROOT / "witnesses" / "letter.toml"


def _rows() -> dict[str, list[str]]:
    result = run_cli(["witnesses", str(LETTER)])
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split()
    # The files cell may hold ", "; the counted columns are the last four.
    assert header[-4:] == ["tokens", "apparatus", "pages", "conf"]
    return {cells[0]: cells for cells in (ln.split() for ln in lines[1:]) if cells}


def _spec(siglum: str) -> dict[str, object]:
    manifest = tomllib.loads(LETTER.read_text(encoding="utf-8"))
    return next(w for w in manifest["witness"] if w["siglum"] == siglum)


def test_w15_apparatus_count_is_the_matching_lines() -> None:
    spec = _spec("W15")
    patterns = [re.compile(p) for p in spec["apparatus"]["patterns"]]  # type: ignore[index]
    raw = (LETTER.parent / str(spec["file"])).read_text(encoding="utf-8")
    expected = sum(
        1
        for line in raw.split("\n")
        if line.strip() and any(p.fullmatch(line.strip()) for p in patterns)
    )
    assert expected >= 8  # navigation, author lines, the five header lines, footer lines
    assert _rows()["W15"][-3] == str(expected)


def test_t05_apparatus_count_is_the_selected_elements() -> None:
    spec = _spec("T05")
    doc = html.fromstring((LETTER.parent / str(spec["file"])).read_bytes())
    selected = {
        el
        for sel in spec["apparatus"]["selectors"]  # type: ignore[index]
        for el in CSSSelector(sel)(doc)
        if el.text_content().strip()
    }
    defaults = [el for tag in ("nav", "header", "footer") for el in doc.iter(tag)]
    assert len(selected) >= 3
    assert _rows()["T05"][-3] == str(len(selected | set(defaults)))


def test_p45_apparatus_count_is_the_running_heads() -> None:
    # The kit: page 229's head "August 1945" / "FOURTH INTERNATIONAL" (its folio lost by the OCR)
    # and page 230's "Page 230 FOURTH INTERNATIONAL August 1945".
    row = _rows()["P45"]
    assert row[-3] == "3"
    assert row[-2] == "2"
