"""Pooling figures per source (a tag of the index): sums, never means of rates."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from archive_support import CREATED, write_archive

from proofbench.archive import Settings, run_archive
from proofbench.archive.sources import by_source, witness_sources


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


def _wrow(
    doc: str, tags: dict[str, str], witnesses: list[tuple[str, str, int, dict[str, int]]]
) -> Any:
    return {
        "id": doc,
        "error": None,
        "tags": tags,
        "witnesses": [
            {"siglum": s, "kind": k, "words": n, "judged": sum(d.values()) + 1, "differs": d}
            for s, k, n, d in witnesses
        ],
    }


def test_witness_sources_pool_the_witnesses_the_index_names() -> None:
    rows = [
        # source:OCR names the siglum; source:transcription the kind (no witness of that siglum)
        _wrow(
            "a",
            {"source:OCR": "tess", "source:transcription": "MB"},
            [
                ("OCR", "ocr", 100, {"ocr-confusion": 3, "spacing": 1}),
                ("T", "transcription", 100, {"misspelling": 2}),
            ],
        ),
        _wrow("b", {"source:OCR": "tess"}, [("OCR", "ocr", 900, {"ocr-confusion": 6})]),
        _wrow("c", {"source:OCR": "abbyy"}, [("O2", "ocr", 50, {"case": 1})]),  # names nothing
        {"id": "d", "error": "x: no such file", "tags": {"source:OCR": "tess"}},
        _wrow("e", {"source:OCR": "", "batch": "tess"}, [("OCR", "ocr", 10, {"case": 5})]),
    ]
    found = {s["source"]: s for s in witness_sources(rows)}
    assert sorted(found) == ["MB", "abbyy", "tess"]
    tess = found["tess"]
    assert (tess["documents"], tess["witnesses"], tess["words"]) == (2, 2, 1000)
    assert tess["differs"] == {"ocr-confusion": 9, "spacing": 1} and tess["total"] == 10
    assert tess["per_1000_words"] == {"ocr-confusion": 9.0, "spacing": 1.0}
    assert tess["total_per_1000_words"] == 10.0 and tess["judged"] == 5 + 7
    assert found["MB"]["differs"] == {"misspelling": 2} and found["MB"]["words"] == 100
    abbyy = found["abbyy"]
    assert (abbyy["documents"], abbyy["words"], abbyy["unmatched"]) == (0, 0, ["c"])


def test_witness_error_counts_match_each_documents_collation_json(tmp_path: Path) -> None:
    write_archive(tmp_path / "src", documents=5)
    index = tmp_path / "index.csv"
    lines = ["manifest,source:OCR,source:edition"]
    for k, m in enumerate(sorted((tmp_path / "src").rglob("doc.toml"))):
        lines.append(f"{m.relative_to(tmp_path).as_posix()},engine-{k % 2},print")
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_archive([index], tmp_path / "out", Settings(formats=("html", "json"), created=CREATED))
    data = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    pooled: dict[str, Counter[str]] = {}
    words: Counter[str] = Counter()
    for r in data["rows"]:
        if r["error"] is not None:
            continue
        report = json.loads((tmp_path / "out" / r["reports"]["json"]).read_text(encoding="utf-8"))
        for w in r["witnesses"]:
            # recount from the document's own collation JSON
            differs: Counter[str] = Counter()
            judged = 0
            for v in report["variants"]:
                if v["suggestion"] is None or w["siglum"] not in v["readings"]:
                    continue
                judged += 1
                if v["readings"][w["siglum"]].split() != v["suggestion"].split():
                    differs[v["class"]] += 1
            assert w["judged"] == judged and w["differs"] == dict(differs)
            source = r["tags"]["source:OCR"] if w["siglum"] == "OCR" else "print"
            pooled.setdefault(source, Counter()).update(differs)
            words[source] += w["words"]
    assert sum(pooled["engine-0"].values()) > 0  # the seeded OCR errors are found
    found = {s["source"]: s for s in data["witness_sources"]}
    assert sorted(found) == ["engine-0", "engine-1", "print"]
    for source, counts in pooled.items():
        assert found[source]["differs"] == dict(sorted(counts.items()))
        assert found[source]["words"] == words[source]
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="witness-source"') == 3 and 'data-source="engine-1"' in html
