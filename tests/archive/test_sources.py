"""Pooling figures per source (a tag of the index): sums, never means of rates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive_support import CREATED, write_archive

from proofbench.archive import Settings, run_archive
from proofbench.archive.sources import by_source


def _row(doc: str, batch: str, edits: int, chars: int, words: int, suspect: int) -> Any:
    return {
        "id": doc,
        "error": None,
        "tags": {"batch": batch, "hand": ""},
        "words": words,
        "suspect_target": suspect,
        "witnesses": [
            {"siglum": "OCR", "kind": "ocr", "words": words, "suspect": suspect},
            {"siglum": "ED", "kind": "edition", "words": words, "suspect": 0},
        ],
        "rates": [
            {"char_edits": edits, "ref_chars": chars, "word_edits": edits, "ref_words": words}
        ],
    }


def test_rates_are_pooled_by_length_not_averaged() -> None:
    rows = [
        _row("a", "b1", 10, 100, 20, 2),
        _row("b", "b1", 9, 900, 180, 1),
        _row("c", "b2", 0, 50, 10, 0),
        {"id": "d", "error": "x: no such file", "tags": {"batch": "b2"}},
    ]
    b1, b2 = by_source(rows)
    assert (b1["tag"], b1["value"], b1["documents"], b1["failed"]) == ("batch", "b1", 2, 0)
    assert b1["cer"] == round(19 / 1000, 6) and b1["wer"] == round(19 / 200, 6)
    assert b1["suspect_target"] == 3 and b1["suspect_per_1000_words"] == 15.0
    assert b1["kinds"]["ocr"] == {"words": 200, "suspect": 3, "suspect_per_1000_words": 15.0}
    assert b1["kinds"]["edition"]["suspect"] == 0
    assert (b2["documents"], b2["failed"], b2["cer"]) == (2, 1, 0.0)
    # an empty tag value is no source
    assert all(s["tag"] != "hand" for s in (b1, b2))


def test_each_rows_counts_give_its_rates_and_the_index_pools_them(tmp_path: Path) -> None:
    write_archive(tmp_path / "src", documents=4)
    index = tmp_path / "index.csv"
    lines = ["manifest,batch"]
    for m in sorted((tmp_path / "src").rglob("doc.toml")):
        lines.append(f"{m.relative_to(tmp_path).as_posix()},{m.parent.parent.name}")
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_archive([index], tmp_path / "out", Settings(created=CREATED))
    data = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    ok = [r for r in data["rows"] if r["error"] is None]
    assert len(ok) == 3
    for r in ok:
        for x in r["rates"]:
            assert x["cer"] == round(x["char_edits"] / x["ref_chars"], 6)
            assert x["wer"] == round(x["word_edits"] / x["ref_words"], 6)
        ocr = next(w for w in r["witnesses"] if w["siglum"] == "OCR")
        assert ocr["suspect"] == r["suspect_target"]  # OCR is these documents' target
    assert [(s["value"], s["documents"]) for s in data["sources"]] == [
        ("batch0", 2),
        ("batch1", 1),
        ("batch9", 1),
    ]
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="sources"' in html and "batch0" in html
