"""Collation -> the HTML report: one self-contained file, data embedded, drawn by its own script.

Input: a Collation and RenderOptions. Output: HTML text. Jinja2 (autoescape, StrictUndefined)
draws the static parts (header, genealogy, summary, legend, the witnesses' apparatus) from one
``ReportContext``; the text views are drawn in the browser from a JSON island (``<script
type="application/json">``, with ``<``, ``>``, ``&`` and ``'`` escaped by ``tojson``) that the
script reads and renders with ``textContent`` page by page, so long texts stay responsive.
CSS, script and page-image crops are inlined: the file needs no network.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from operator import le
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from proofbench.model import (
    Collation,
    Kind,
    Variant,
    VariantClass,
    Witness,
    hyphenated_tokens,
    token_ends,
    token_starts,
)
from proofbench.render.chardiff import char_diff
from proofbench.render.classes import CLASS_STYLES, ClassStyle
from proofbench.render.collation_json import SCHEMA, compact, kept_variants
from proofbench.render.crops import Cropper, PageImages, boxes_in
from proofbench.render.genealogy import Genealogy, genealogy
from proofbench.render.layout import Layout, Mark, Piece, assign, is_blank, variant_span
from proofbench.render.options import RenderOptions
from proofbench.render.page_rates import OcrPages, page_rates
from proofbench.render.summary import Summary, summarize
from proofbench.text.normalize import rule_changes


@dataclass(frozen=True, slots=True)
class WitnessRow:
    """A witness as the header lists it."""

    siglum: str
    label: str
    kind: str
    date: str
    derives_from: str | None
    files: tuple[str, ...]
    tokens: int
    pages: int
    confidence: float | None
    is_target: bool
    normalized: tuple[str, ...] = ()
    """What each normalization rule changed: ``diacritics: 683 words (Natásha → Natasha)``."""


@dataclass(frozen=True, slots=True)
class ApparatusRow:
    """One piece of a witness's apparatus, or one line-end hyphen decision."""

    kind: str
    text: str
    reason: str
    where: str


@dataclass(frozen=True, slots=True)
class WitnessApparatus:
    """The apparatus and hyphen decisions of one witness."""

    siglum: str
    rows: tuple[ApparatusRow, ...]
    hyphens: tuple[ApparatusRow, ...]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the variants-by-class chart (coordinates in the SVG's units)."""

    style: ClassStyle
    count: int
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class RateCell:
    """One cell of the error-rate matrix: ``witness`` measured against ``reference``."""

    cer: float | None
    wer: float | None


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything the report template shows; the one object templates receive."""

    title: str
    created: str
    version: str
    profile: str
    manifest: str
    target: str
    schema: str
    witnesses: tuple[WitnessRow, ...]
    genealogy: Genealogy
    summary: Summary
    classes: tuple[tuple[ClassStyle, int], ...]
    bars: tuple[Bar, ...]
    chart_height: int
    rates: tuple[tuple[str, tuple[RateCell, ...]], ...]
    ocr_pages: tuple[OcrPages, ...]
    apparatus: tuple[WitnessApparatus, ...]
    flags: tuple[dict[str, Any], ...]
    crops_skipped: int
    css: Markup
    script: Markup
    data: ReportData


_DUMPS = compact
"""The encoding of ``tojson`` under this environment's policies (``_environment``)."""
_HTML_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))
"""``tojson``'s escapes: the characters that could end the script element or an attribute."""


def _html_safe(text: str) -> str:
    """``text`` with ``tojson``'s escapes (``_HTML_SAFE``). One ``str.replace`` a character:
    ``str.translate`` looks every character up in a dict (at 3 x 100k words 0.5 s of the
    report's 1.5 s of CPU); the replacements hold none of the replaced characters, so the
    order does not matter."""
    for char, escape in _HTML_SAFE:
        text = text.replace(char, escape)
    return text


class ReportData(Mapping[str, Any]):
    """The script's data, held as JSON text: each item and page encoded once, when it is made.

    A book's report holds tens of thousands of items and every witness's text cut into pieces;
    as Python lists and dicts that was most of the HTML report's peak memory. ``pieces`` writes
    exactly what ``{{ data|tojson }}`` wrote for the same values (sorted keys, compact, the same
    escapes); reading a key decodes its value (for tests and tools).
    """

    def __init__(self, values: Mapping[str, Any], lists: Mapping[str, list[str]]) -> None:
        self._encoded = {k: _DUMPS(v) for k, v in values.items()}
        self._lists = dict(lists)
        self._keys = sorted([*self._encoded, *self._lists])

    def __getitem__(self, key: str) -> Any:
        if key in self._lists:
            return json.loads("[" + ",".join(self._lists[key]) + "]")
        return json.loads(self._encoded[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def pieces(self) -> Iterator[Markup]:
        """The JSON text, HTML-safe, in pieces of about ``PIECE_CHARS`` characters each (an item
        or page longer than that is a piece of its own)."""
        for i, key in enumerate(self._keys):
            head = ("{" if i == 0 else ",") + _DUMPS(key) + ":"
            if key not in self._lists:
                yield Markup(_html_safe(head + self._encoded[key]))
                continue
            yield Markup(_html_safe(head + "["))
            sep = ""
            for chunk in _chunks(self._lists[key], PIECE_CHARS):
                yield Markup(sep + _html_safe(",".join(chunk)))
                sep = ","
            yield Markup("]")
        yield Markup("}" if self._keys else "{}")


PIECE_CHARS = 1 << 18
"""How many characters of the script's data make one piece of the report (``ReportData``).

By characters, not by count: a piece of a thousand pages was every page of a book at once (at
3 x 1M words 236 pages, 18.3M characters), which the escapes, ``Markup`` and the encoding each
copied, 146 MiB at the report's peak (``tracemalloc``; 2 MiB in pieces of this size). Measured
at 3 x 1M words (the template's text from a made context, five runs, load 1.5-2): 2**14, 2**16,
2**18 and 2**20 characters a piece take the same CPU (0.45 s, medians within 0.01 s)."""


def _chunks(parts: Sequence[str], size: int) -> Iterator[list[str]]:
    """The parts in order, in runs of at least ``size`` characters (the last may be less)."""
    run: list[str] = []
    chars = 0
    for part in parts:
        run.append(part)
        chars += len(part)
        if chars >= size:
            yield run
            run, chars = [], 0
    if run:
        yield run


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("proofbench.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "ensure_ascii": False,
        "separators": (",", ":"),
    }
    env.filters["pct"] = lambda x: "–" if x is None else f"{100 * x:.1f}%"
    env.filters["glyph"] = _glyph
    return env


def _glyph(c: str) -> str:
    """A character of a confusion as a reader can see it: nothing, a space, or itself."""
    return {"": "∅", " ": "␣", "\n": "⏎", "\t": "⇥"}.get(c, c)


def _static(name: str) -> str:
    return (resources.files("proofbench.render") / "static" / name).read_text("utf-8")


def _covering(spans: list[tuple[int, int]]) -> Callable[[int, int], list[int]]:
    """A lookup: the indices of the spans that hold ``start`` or begin inside ``[start, end)``."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    starts = [spans[i][0] for i in order]
    reach: list[int] = []  # the furthest end among the spans sorted so far
    for i in order:
        reach.append(max(reach[-1] if reach else 0, max(spans[i][1], spans[i][0] + 1)))

    def find(start: int, end: int) -> list[int]:
        found = []
        j = bisect.bisect_right(starts, start) - 1
        while j >= 0 and reach[j] > start:
            s, e = spans[order[j]]
            if start < max(e, s + 1):
                found.append(order[j])
            j -= 1
        k = bisect.bisect_right(starts, start)
        while k < len(starts) and starts[k] < end:
            found.append(order[k])
            k += 1
        return sorted(found)

    return find


def tokens_in(witness: Witness, start: int, end: int) -> list[Any]:
    """The witness's text tokens overlapping ``[start, end)``, or the nearest one if none do."""
    toks = witness.tokens
    lo, hi = 0, len(toks)
    while lo < hi:  # first token ending after start
        mid = (lo + hi) // 2
        if toks[mid].end <= start:
            lo = mid + 1
        else:
            hi = mid
    out = []
    i = lo
    while i < len(toks) and toks[i].start < max(end, start + 1):
        if toks[i].apparatus is None:
            out.append(toks[i])
        i += 1
    if not out:
        near = [t for t in toks[max(0, lo - 1) : lo + 1] if t.apparatus is None]
        out = near[:2]
    return out


def _item(
    collation: Collation,
    v: Variant,
    cropper: Cropper,
    ocr: list[Witness],
    options: RenderOptions,
    notes: list[str],
    pages: PageImages,
    diff: Callable[[str, str], list[list[int | str]]] = char_diff,
) -> dict[str, Any]:
    target = collation.target
    base = v.readings.get(target, "")
    others = {r for s, r in v.readings.items() if s != target}
    if v.suggestion is not None:
        others.add(v.suggestion)
    crops = {}
    page_boxes: dict[str, list[Any]] = {}
    for w in ocr:
        start, end = variant_span(collation, v, w.siglum)
        toks = tokens_in(w, start, end)
        if not toks:
            continue
        # The tokens' whole extent: a word broken across lines brings both of its halves.
        image, boxes = boxes_in(w, min(t.start for t in toks), max(t.end for t in toks))
        uri = cropper.crop_boxes(image, boxes)
        if uri:
            crops[w.siglum] = uri
        at = pages.index(image) if image is not None and boxes else None
        if at is not None:
            page_boxes[w.siglum] = [at, [list(b) for b in boxes]]
    item: dict[str, Any] = {
        "id": v.id,
        "kind": "variant",
        "cls": v.cls.value,
        "classes": [c.value for c in v.classes],
        "r": {w.siglum: v.readings.get(w.siglum, "") for w in collation.witnesses},
        "sug": v.suggestion,
        "conf": round(v.confidence, 3),
        "sus": list(v.suspect),
        "ev": list(v.evidence),
        "ctx": list(v.context),
        "diff": {r: diff(base, r) for r in sorted(others) if r != base},
        "crop": crops,
        "pg": page_boxes,
        "loc": {s: [loc.start, loc.end] for s, loc in v.locations.items()},
        "at": variant_span(collation, v, target)[0],
    }
    if notes:
        item["notes"] = notes
    decision = options.decisions.get(v.id)
    if decision:
        item["dec"] = decision
    return item


def _flag_items(collation: Collation, taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The target's single-witness flags that no variant covers, as report items."""
    covering = _covering(taken)
    out = []
    target = collation.target
    for i, f in enumerate(collation.flags):
        if f.witness != target:
            continue
        if covering(f.start, f.end):
            continue
        out.append(
            {
                "id": f"flag-{i}",
                "kind": "flag",
                "check": f.check,
                "cls": f.cls.value,
                "classes": [f.cls.value],
                "r": {target: f.text},
                "sug": f.suggestion,
                "conf": round(f.confidence, 3),
                "sus": [target],
                "ev": [f.message],
                "ctx": ["", ""],
                "diff": {f.suggestion: char_diff(f.text, f.suggestion)} if f.suggestion else {},
                "crop": {},
                "pg": {},
                "loc": {target: [f.start, f.end]},
                "at": f.start,
            }
        )
    return out


def _pages(
    collation: Collation,
    spans: list[dict[str, tuple[int, int]]],
    options: RenderOptions,
) -> tuple[list[str], dict[int, int]]:
    """The reading text cut into pages of blocks, and for each block every witness's cell.

    Each page is encoded as JSON when it is complete (``ReportData``); beside them, for each
    item (by its place in ``spans``) the first page that shows it."""
    target = collation.witness(collation.target)
    sigla = [w.siglum for w in collation.witnesses]
    layouts = {w.siglum: Layout(w) for w in collation.witnesses}
    tlayout = layouts[target.siglum]
    blocks = tlayout.blocks()
    branges = [(b.start, b.end) for b in blocks]

    # Each witness's text, cut where the alignment crosses from one target block to the next.
    # A column may hold many words (a long equal run spanning paragraphs): the k-th of a
    # witness's n words there goes with the target's word at the same proportion of the column.
    tblock = block_indices(token_starts(target.tokens), [b.start for b in blocks])
    starts = {w.siglum: token_starts(w.tokens) for w in collation.witnesses}
    others = [w for w in collation.witnesses if w.siglum != target.siglum]
    first = {w.siglum: [len(w.text)] * len(blocks) for w in others}
    current = 0
    for col in collation.alignment.columns:
        tix = col.readings.get(target.siglum, ())
        # Most columns lie in one target block: there each witness's words go to that block
        # alike, and only the first of their starts counts (one C-level min, not a step a word).
        one = {*map(tblock.__getitem__, tix)} if tix else {current}
        for w in others:
            ix = col.readings.get(w.siglum, ())
            if not ix:
                continue
            firsts = first[w.siglum]
            wstarts = starts[w.siglum]
            if len(one) == 1:
                (b,) = one
                low = min(map(wstarts.__getitem__, ix))
                if low < firsts[b]:
                    firsts[b] = low
                continue
            for k, i in enumerate(ix):
                b = tblock[tix[k * len(tix) // len(ix)]]
                if wstarts[i] < firsts[b]:
                    firsts[b] = wstarts[i]
        if tix:
            current = max(current, tblock[tix[-1]])
    cells: dict[str, list[tuple[int, int]]] = {}
    for w in others:
        # Monotone cut points: a block with no tokens starts where the next one does.
        cut = [0] * (len(blocks) + 1)
        cut[len(blocks)] = len(w.text)
        for b in range(len(blocks) - 1, 0, -1):
            cut[b] = min(first[w.siglum][b], cut[b + 1])
        cells[w.siglum] = [(cut[b], cut[b + 1]) for b in range(len(blocks))]

    marks: dict[str, list[list[Mark]]] = {}
    for s in sigla:
        ms = [Mark(*sp[s], key=i) for i, sp in enumerate(spans) if s in sp]
        ranges = branges if s == target.siglum else cells[s]
        marks[s] = assign(ranges, ms)

    def encode(pieces: list[Piece]) -> list[Any]:
        return [text if key is None else [key, text] for text, key in pieces]

    pages: list[str] = []
    page_of: dict[int, int] = {}
    page: dict[str, Any] = {"blocks": [], "cells": []}
    words = 0
    for b, block in enumerate(blocks):
        pieces = tlayout.pieces(block.start, block.end, marks[target.siglum][b])
        row = {}
        for s in sigla:
            if s != target.siglum:
                a, e = cells[s][b]
                row[s] = encode(layouts[s].pieces(a, e, marks[s][b]))
        if is_blank(pieces) and all(is_blank(layouts[s].pieces(*cells[s][b], [])) for s in row):
            continue
        page["blocks"].append([block.kind.value, encode(pieces)])
        page["cells"].append(row)
        for _, key in pieces:
            if isinstance(key, int):
                page_of.setdefault(key, len(pages))
        words += sum(len(t.split()) for t, _ in pieces)
        if words >= options.page_words:
            pages.append(_DUMPS(page))
            page = {"blocks": [], "cells": []}
            words = 0
    if page["blocks"] or not pages:
        pages.append(_DUMPS(page))
    return pages, page_of


def block_indices(starts: Sequence[int], block_starts: Sequence[int]) -> list[int]:
    """For each start, the index of the last block starting at or before it (0 before the
    first block).

    Where both are in order (a witness's tokens and blocks are), the answer is a run of 0s, a
    run of 1s, ...: a bisection a block, not a token (at 3 x 1M words 0.67 -> 0.12 s)."""
    if not (all(map(le, starts, starts[1:])) and all(map(le, block_starts, block_starts[1:]))):
        return [max(0, bisect.bisect_right(block_starts, s) - 1) for s in starts]
    out: list[int] = []
    prev = 0
    for i, start in enumerate(block_starts[1:]):
        cut = bisect.bisect_left(starts, start)
        out.extend(repeat(i, cut - prev))
        prev = cut
    out.extend(repeat(max(0, len(block_starts) - 1), len(starts) - prev))
    return out


def report_context(collation: Collation, options: RenderOptions) -> ReportContext:
    """The report's context: figures for the template and data for the script."""
    variants = kept_variants(collation, options)
    summary = summarize(collation, variants)
    sigla = [w.siglum for w in collation.witnesses]
    target = collation.target
    base = Path(collation.manifest.path).parent
    cropper = Cropper(base, options.crop_budget)
    page_images = PageImages(cropper, options.page_budget)
    ocr = [w for w in collation.witnesses if w.kind is Kind.OCR]

    tspans = [variant_span(collation, v, target) for v in variants]
    flag_notes: dict[int, list[str]] = {}
    covering = _covering(tspans)
    for f in collation.flags:
        if f.witness != target:
            continue
        for i in covering(f.start, f.start + 1):
            if tspans[i][0] <= f.start:
                flag_notes.setdefault(i, []).append(f"{f.check}: {f.message}")
    flag_items = _flag_items(collation, tspans)
    spans: list[dict[str, tuple[int, int]]] = [
        {w.siglum: variant_span(collation, v, w.siglum) for w in collation.witnesses}
        for v in variants
    ]
    spans += [{target: (it["loc"][target][0], it["loc"][target][1])} for it in flag_items]
    pages, page_of = _pages(collation, spans, options)
    del spans

    def encoded(key: int, item: dict[str, Any]) -> str:
        if key in page_of:
            item["page"] = page_of[key]
        return _DUMPS(item)

    # Each item encoded as soon as it is made (in order: the crop budget goes to the first).
    # A pair of readings is diffed once: at 3 x 1M words 48,956 pairs are 23,931 distinct. The
    # diffs are only read, each encoded with its item at once, so the items may share them.
    diff = cache(char_diff)
    items = [
        encoded(
            i, _item(collation, v, cropper, ocr, options, flag_notes.get(i, []), page_images, diff)
        )
        for i, v in enumerate(variants)
    ]
    del diff
    items += [encoded(len(variants) + i, it) for i, it in enumerate(flag_items)]

    counts = dict(summary.by_class)
    flag_counts: dict[VariantClass, int] = {}
    for it in flag_items:
        c = VariantClass(it["cls"])
        flag_counts[c] = flag_counts.get(c, 0) + 1
    del flag_items
    shown = [
        (CLASS_STYLES[c], counts.get(c, 0) + flag_counts.get(c, 0))
        for c in VariantClass
        if counts.get(c, 0) + flag_counts.get(c, 0)
    ]
    top = max((n for _, n in summary.by_class), default=1)
    bars = tuple(
        Bar(style=CLASS_STYLES[c], count=n, y=i * 24, width=max(2, round(220 * n / top)))
        for i, (c, n) in enumerate(summary.by_class)
    )
    rate = {(r.witness, r.reference): r for r in summary.rates}
    rates = tuple(
        (
            a,
            tuple(
                RateCell(rate[a, b].cer, rate[a, b].wer) if a != b else RateCell(None, None)
                for b in sigla
            ),
        )
        for a in sigla
    )
    values = {
        "schema": SCHEMA,
        "target": target,
        "sigla": sigla,
        "witnesses": {
            w.siglum: {"label": w.label, "kind": w.kind.value, "date": w.date}
            for w in collation.witnesses
        },
        "classes": {
            c.value: {"label": s.label, "abbr": s.abbr, "about": s.about}
            for c, s in CLASS_STYLES.items()
        },
        "length": len(collation.witness(target).text),
        "pageImages": [{"uri": pg.uri, "w": pg.width, "h": pg.height} for pg in page_images.pages],
    }
    data = ReportData(values, {"items": items, "pages": pages})
    return ReportContext(
        title=collation.manifest.title or "Collation",
        created=collation.created,
        version=collation.version,
        profile=collation.profile,
        manifest=collation.manifest.path,
        target=target,
        schema=SCHEMA,
        witnesses=tuple(
            WitnessRow(
                siglum=w.siglum,
                label=w.label,
                kind=w.kind.value,
                date=w.date,
                derives_from=w.derives_from,
                files=tuple(Path(f).name for f in w.files),
                tokens=len(w.text_tokens),
                pages=w.pages,
                confidence=w.mean_confidence,
                is_target=w.siglum == target,
                normalized=tuple(
                    f"{c.rule}: {c.words} word{'' if c.words == 1 else 's'} ("
                    + ", ".join(f"{t} → {n or '∅'}" for t, n in c.examples)
                    + ")"
                    for c in rule_changes(w.tokens)
                ),
            )
            for w in collation.witnesses
        ),
        genealogy=genealogy(collation.witnesses, target),
        summary=summary,
        classes=tuple(shown),
        bars=bars,
        chart_height=max(24, 24 * len(bars)),
        rates=rates,
        ocr_pages=page_rates(collation),
        apparatus=tuple(_apparatus(w) for w in collation.witnesses),
        flags=tuple(
            {
                "witness": f.witness,
                "text": f.text,
                "check": f.check,
                "cls": f.cls.value,
                "message": f.message,
                "suggestion": f.suggestion,
                "confidence": f.confidence,
                "start": f.start,
            }
            for f in collation.flags
        ),
        crops_skipped=cropper.skipped,
        css=Markup(_static("report.css")),
        script=Markup(_static("report.js")),
        data=data,
    )


def _where(w: Witness, ends: Sequence[int], start: int) -> str:
    """A human place for an offset: page and line for OCR, else the line in the file."""
    i = bisect.bisect_right(ends, start)
    if i >= len(w.tokens) or w.tokens[i].source is None:
        return ""
    src = w.tokens[i].source
    assert src is not None
    if src.page is not None:
        return f"p. {src.page}" + (f", l. {src.line}" if src.line else "")
    return f"l. {src.line}" if src.line else ""


def _apparatus(w: Witness) -> WitnessApparatus:
    ends = token_ends(w.tokens)
    rows = tuple(
        ApparatusRow(a.kind.value, w.text[a.start : a.end], a.reason, _where(w, ends, a.start))
        for a in w.apparatus
        if a.end >= a.start
    )
    hyphens = tuple(
        ApparatusRow(
            "kept hyphen" if t.hyphenation.kept_hyphen else "joined",
            " / ".join(t.hyphenation.parts) + " → " + t.hyphenation.joined,
            t.hyphenation.reason,
            _where(w, ends, t.start),
        )
        for t in hyphenated_tokens(w.tokens)
        if t.hyphenation is not None
    )
    return WitnessApparatus(w.siglum, rows, hyphens)


def iter_html(collation: Collation, options: RenderOptions) -> Iterator[str]:
    """``render_html``'s text in the template's pieces, as they are made (never held whole)."""
    ctx = report_context(collation, options)
    return _environment().get_template("report.html.j2").generate(ctx=ctx)


def render_html(collation: Collation, options: RenderOptions) -> str:
    """The collation as one self-contained HTML report."""
    return "".join(iter_html(collation, options))
