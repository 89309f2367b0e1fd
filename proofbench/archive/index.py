"""Rows -> the archive index: ``index.json`` (public, versioned), ``index.csv`` and ``index.html``.

Input: the rows of every document (see ``task``). Output: three files in the output folder,
each written atomically, rows in id order so that the files do not depend on the order the
documents finished in. ``index.json`` is also the archive's memory: a re-run reads last run's
rows from it (``previous_rows``) to skip documents whose inputs did not change.

The HTML index is one self-contained file (CSS and script inline, no network): a table with a
row per document linking to its report, sortable by any column and filterable by text, status
and each tag of the index. Jinja2 (autoescape, StrictUndefined) draws it from one typed
``IndexContext``; the script only sorts and hides rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from proofbench.archive.sources import by_source, witness_sources
from proofbench.archive.task import Settings, write_atomic
from proofbench.model import VariantClass

SCHEMA = "proofbench-archive/1"
FILES = ("index.json", "index.csv", "index.html")


def previous_rows(outdir: str | Path) -> dict[str, Mapping[str, Any]]:
    """Last run's rows by document id, from ``index.json``; empty if none or unreadable."""
    try:
        data = json.loads((Path(outdir) / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return {}
    rows = data.get("rows")
    if not isinstance(rows, list):
        return {}
    return {r["id"]: r for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str)}


def totals(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The archive's sums: documents, failures, words, variants by class, suspect readings."""
    ok = [r for r in rows if r.get("error") is None]
    by_class: Counter[str] = Counter()
    for r in ok:
        by_class.update(r["by_class"])
    return {
        "documents": len(rows),
        "failed": len(rows) - len(ok),
        "words": sum(r["words"] for r in ok),
        "variants": sum(r["variants"] for r in ok),
        "suspect_target": sum(r["suspect_target"] for r in ok),
        "by_class": {c.value: by_class[c.value] for c in VariantClass if by_class[c.value]},
    }


def index_dict(rows: Sequence[Mapping[str, Any]], settings: Settings, created: str) -> Any:
    """The public JSON document of the archive index."""
    ordered = sorted(rows, key=lambda r: r["id"])
    return {
        "schema": SCHEMA,
        "created": created,
        "settings": {"formats": list(settings.formats), "min_confidence": settings.min_confidence},
        "totals": totals(ordered),
        "sources": by_source(ordered),
        "witness_sources": witness_sources(ordered),
        "rows": ordered,
    }


def _tag_keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted({k for r in rows for k in r.get("tags", {})})


def _per_thousand(row: Mapping[str, Any]) -> float:
    return 1000 * row["suspect_target"] / row["words"] if row["words"] else 0.0


def _witnesses(row: Mapping[str, Any]) -> str:
    return " ".join(f"{w['siglum']}:{w['kind']}:{w['words']}" for w in row["witnesses"])


def _pages(row: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{p['witness']} p.{p['page']} ({p['suspect']} of {p['words']} words)"
        for p in row["worst_pages"]
    )


def render_csv(data: Mapping[str, Any]) -> str:
    """One line per document: figures, one column per variant class, then the index's tags."""
    rows = data["rows"]
    tags = _tag_keys(rows)
    classes = [c.value for c in VariantClass]
    head = [
        "id", "status", "error", "title", "target", "witnesses", "words", "variants",
        "suspect_target", "suspect_per_1000_words", "flags_target", "cer", "wer", *classes,
        "worst_pages", *tags, "manifest", "report",
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(head)
    for r in rows:
        tagged = [r["tags"].get(t, "") for t in tags]
        report = r["reports"].get("html", next(iter(r["reports"].values()), ""))
        if r.get("error") is not None:
            blank = [""] * (len(head) - 6 - len(tags))
            writer.writerow([r["id"], "failed", r["error"], *blank, *tagged, r["manifest"], ""])
            continue
        writer.writerow(
            [
                r["id"], "ok", "", r["title"], r["target"], _witnesses(r), r["words"],
                r["variants"], r["suspect_target"], f"{_per_thousand(r):.2f}", r["flags_target"],
                f"{r['cer']:.6f}", f"{r['wer']:.6f}", *(r["by_class"].get(c, 0) for c in classes),
                _pages(r), *tagged, r["manifest"], report,
            ]
        )  # fmt: skip
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the HTML table: what it shows and the value it sorts by."""

    text: str
    sort: str
    numeric: bool = False
    title: str = ""


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One document as the HTML index shows it."""

    id: str
    href: str | None
    failed: bool
    error: str
    cells: tuple[Cell, ...]
    tags: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class TagFilter:
    """A filter of the HTML index: a tag key of the index and the values it takes."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One tag value of the index with the pooled figures of its documents (``sources``)."""

    tag: str
    value: str
    documents: int
    failed: int
    words: int
    suspect_target: int
    per_thousand: str
    cer: str
    wer: str
    kinds: tuple[str, ...]
    """Suspect readings per 1,000 words of each witness kind (``IndexContext.kinds``)."""


def _source_rows(sources: Sequence[Mapping[str, Any]], kinds: Sequence[str]) -> list[SourceRow]:
    out = []
    for s in sources:
        per_kind = tuple(
            f"{s['kinds'][k]['suspect_per_1000_words']:.2f}" if k in s["kinds"] else "–"
            for k in kinds
        )
        out.append(
            SourceRow(
                s["tag"], s["value"], s["documents"], s["failed"], s["words"],
                s["suspect_target"], f"{s['suspect_per_1000_words']:.2f}",
                f"{100 * s['cer']:.2f}%", f"{100 * s['wer']:.2f}%", per_kind,
            )
        )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One witness source's estimated error rates, a line per variant class."""

    source: str
    summary: str
    lines: tuple[tuple[str, int, str], ...]
    """(class, readings differing from the suggestion, per 1,000 words), most first."""
    unmatched: str


def _source_tables(found: Sequence[Mapping[str, Any]]) -> list[SourceTable]:
    out = []
    for s in found:
        lines = sorted(s["differs"].items(), key=lambda cn: (-cn[1], cn[0]))
        summary = (
            f"{s['documents']} documents, {s['witnesses']} witnesses, {s['words']} words, "
            f"{s['judged']} places with a suggestion; {s['total']} readings differ from it "
            f"({s['total_per_1000_words']:.2f} per 1,000 words)"
        )
        unmatched = ", ".join(s["unmatched"])
        out.append(
            SourceTable(
                s["source"],
                summary,
                tuple((c, n, f"{s['per_1000_words'][c]:.2f}") for c, n in lines),
                unmatched,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class IndexContext:
    """Everything ``archive.html.j2`` draws."""

    created: str
    totals: Mapping[str, Any]
    columns: tuple[str, ...]
    rows: tuple[IndexRow, ...]
    filters: tuple[TagFilter, ...]
    sources: tuple[SourceRow, ...]
    kinds: tuple[str, ...]
    witness_sources: tuple[SourceTable, ...]
    css: Markup
    script: Markup


def _num(x: float, shown: str, title: str = "") -> Cell:
    return Cell(shown, f"{x:.6f}", numeric=True, title=title)


def _html_row(r: Mapping[str, Any], classes: Sequence[str], tags: Sequence[str]) -> IndexRow:
    report = r["reports"].get("html")
    failed = r.get("error") is not None
    pairs = tuple((t, r["tags"].get(t, "")) for t in tags)
    tag_cells = tuple(Cell(v, v) for _, v in pairs)
    if failed:
        empty = tuple(Cell("", "", numeric=True) for _ in range(8 + len(classes)))
        cells = (Cell(r["id"], r["id"]), Cell("", ""), Cell("failed", "failed"), *tag_cells, *empty)
        return IndexRow(r["id"], None, True, r["error"], cells, pairs)
    rates = ", ".join(
        f"{r['target']} vs {x['reference']}: CER {100 * x['cer']:.2f}%, WER {100 * x['wer']:.2f}%"
        for x in r["rates"]
    )
    cells = (
        Cell(r["id"], r["id"]),
        Cell(r["title"], r["title"]),
        Cell("ok", "ok"),
        *tag_cells,
        Cell(_witnesses(r).replace(" ", ", "), str(len(r["witnesses"]))),
        _num(r["words"], str(r["words"])),
        _num(r["variants"], str(r["variants"])),
        _num(r["suspect_target"], str(r["suspect_target"])),
        _num(_per_thousand(r), f"{_per_thousand(r):.2f}"),
        _num(r["cer"], f"{100 * r['cer']:.2f}%", rates),
        _num(r["wer"], f"{100 * r['wer']:.2f}%", rates),
        Cell(_pages(r), str(r["worst_pages"][0]["suspect"]) if r["worst_pages"] else "0"),
        *(_num(r["by_class"].get(c, 0), str(r["by_class"].get(c, 0))) for c in classes),
    )
    return IndexRow(r["id"], quote(report) if report else None, False, "", cells, pairs)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("proofbench.archive", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _static(name: str) -> str:
    return (resources.files("proofbench.archive") / "static" / name).read_text("utf-8")


def render_html(data: Mapping[str, Any]) -> str:
    """The HTML index: one self-contained page (see the module docstring)."""
    rows = data["rows"]
    tags = _tag_keys(rows)
    present = data["totals"]["by_class"]
    classes = [c.value for c in VariantClass if c.value in present]
    columns = (
        "document", "title", "status", *tags, "witnesses", "words", "variants", "suspect in target",
        "suspect / 1000 words", "CER", "WER", "worst pages", *classes,
    )  # fmt: skip
    filters = tuple(
        TagFilter(t, tuple(sorted({r["tags"].get(t, "") for r in rows} - {""}))) for t in tags
    )
    kinds = sorted({k for s in data["sources"] for k in s["kinds"]})
    context = IndexContext(
        created=data["created"],
        totals=data["totals"],
        columns=columns,
        rows=tuple(_html_row(r, classes, tags) for r in rows),
        filters=filters,
        sources=tuple(_source_rows(data["sources"], kinds)),
        kinds=tuple(kinds),
        witness_sources=tuple(_source_tables(data["witness_sources"])),
        css=Markup(_static("archive.css")),
        script=Markup(_static("archive.js")),
    )
    return _environment().get_template("archive.html.j2").render(ctx=context)


def write_index(
    outdir: str | Path, rows: Sequence[Mapping[str, Any]], settings: Settings, created: str
) -> list[Path]:
    """Write index.json, index.csv and index.html into ``outdir``; returns their paths."""
    data = index_dict(rows, settings, created)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    out = Path(outdir)
    paths = [out / name for name in FILES]
    for path, body in zip(paths, (text, render_csv(data), render_html(data)), strict=True):
        write_atomic(path, body)
    return paths
