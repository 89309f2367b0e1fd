"""Benchmark (not a test): do the exports read right on Darwin's six editions?

Run: ``.venv/bin/python benchmarks/export_bench.py [--schema]``. Collates chapter 1 of the six
editions of *On the Origin of Species* (``../shared/corpora/darwin-origin-ch1``, public domain)
with the 1872 edition as target, then measures what a user's own tools would see:

- TEI: each witness rebuilt from the apparatus (``render.tei_read.witness_texts``, what the
  Versioning Machine or the TEI Stylesheets show for one witness) against its own reading text
  (``proofbench text --no-apparatus``): the words that differ (run together, lost or doubled);
  with ``--schema``, whether the TEI is valid ``tei_all`` (tests/data/schemas, slow to load);
- CSV: cells a spreadsheet or pandas would read as missing (empty) in the reading columns;
- JSON: variant locations whose span of the JSON's own witness text has the reading's words;
- the time to write each format, and to collate.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from proofbench.pipeline import collate
from proofbench.render import RENDERERS, RenderOptions
from proofbench.render.tei_read import witness_texts
from proofbench.text.reading import reading_text

ROOT = Path(__file__).resolve().parents[1]
DARWIN = ROOT.parent / "shared" / "corpora" / "darwin-origin-ch1" / "txt"
YEARS = ("1859", "1860", "1861", "1866", "1869", "1872")


def _manifest(folder: Path) -> Path:
    lines = ['[collation]\ntitle = "Origin of Species, chapter 1"\ntarget = "E1872"\n']
    for year in YEARS:
        path = DARWIN / f"darwin{year}.txt"
        lines.append(
            f'[[witness]]\nsiglum = "E{year}"\nkind = "edition"\ndate = "{year}"\nfile = "{path}"\n'
        )
    out = folder / "darwin.toml"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def _differing_words(want: list[str], got: list[str]) -> int:
    """Words of the rebuilt text not matched one to one with the witness's own."""
    return sum(
        max(op.src_end - op.src_start, op.dest_end - op.dest_start)
        for op in Levenshtein.opcodes(want, got)
        if op.tag != "equal"
    )


def main() -> None:
    if not DARWIN.is_dir():
        sys.exit(f"{DARWIN}: not found (the corpora live in ../shared)")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        c = collate(_manifest(Path(tmp)))
        print(f"collate: {time.perf_counter() - t0:.1f} s, {len(c.variants)} variants")
    options = RenderOptions()
    out: dict[str, str] = {}
    for fmt in ("tei", "json", "csv", "collatex"):
        t0 = time.perf_counter()
        out[fmt] = RENDERERS[fmt](c, options)
        print(f"write {fmt}: {time.perf_counter() - t0:.2f} s, {len(out[fmt]) / 1e6:.2f} MB")

    rebuilt = witness_texts(out["tei"])
    total = 0
    for w in c.witnesses:
        want, got = reading_text(w).split(), rebuilt[w.siglum].split()
        bad = _differing_words(want, got)
        total += bad
        print(f"TEI rebuild {w.siglum}: {len(want)} words, {bad} differ")
    print(f"TEI rebuild, all witnesses: {total} words differ")

    rows = list(csv.DictReader(io.StringIO(out["csv"])))
    reading_cols = [k for k in rows[0] if k.startswith("reading_")] if rows else []
    empty = sum(1 for r in rows for k in reading_cols if r[k] == "")
    print(f"CSV: {len(rows)} rows, {empty} empty reading cells (pandas NaN)")

    data = json.loads(out["json"])
    texts = {w["siglum"]: w["text"] for w in data["witnesses"]}
    spans = match = 0
    for v in data["variants"]:
        for s, loc in v["locations"].items():
            spans += 1
            span = texts[s][loc["start"] : loc["end"]]
            match += " ".join(span.split()) == v["readings"][s]
    print(f"JSON: {match} of {spans} locations resolve to their reading in the JSON's own text")

    if "--schema" in sys.argv:
        from lxml import etree

        t0 = time.perf_counter()
        with gzip.open(ROOT / "tests" / "data" / "schemas" / "tei_all.rng.gz") as f:
            schema = etree.RelaxNG(etree.parse(f))
        ok = schema.validate(etree.fromstring(out["tei"].encode("utf-8")))
        print(f"TEI valid tei_all: {ok} ({time.perf_counter() - t0:.1f} s with the schema load)")


if __name__ == "__main__":
    main()
