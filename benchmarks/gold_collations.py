"""Scholars' gold collations in ``../shared/corpora``, re-measured on proofbench's alignment.

Usage (from the repository root)::

    .venv/bin/python benchmarks/gold_collations.py [--only frankenstein|julian|darwin] [-v]

Three gold collations, each read from its own files (see each folder's SOURCE.md):

**Frankenstein C01-C07** (``frankenstein-variorum/gold-collation-C01-C07``): the Frankenstein
Variorum's hand-corrected collation of the preface, letters I-IV and chapter I in the four print
witnesses (1818, Thomas, 1823, 1831; the manuscript is empty there). The witness texts are the
``<seg>`` elements of the variorum-chapter files whose ids name an ``<app>`` of the spines, read
in document order (blocks ``p``/``head``/``ab``... end a line; ``del``, ``note`` and ``pb`` are
not read, so Thomas is its revised reading), so every ``<app>`` has a span in every witness.
A gold *variant place* is an ``<app>`` whose print witnesses stand in two or more ``<rdgGrp>``;
it is *visible* when those groups' readings (their ``@n`` tokens, markup stripped) still differ
after proofbench's default tokenizer and normalization (``theirs``/``their’s`` does; two
readings that differ only by a ``<hi>`` around a word do not). *Found*: proofbench gives a
variant whose readings differ between two witnesses that the gold puts in different groups, and
whose place in one of those witnesses meets the app's span there (overlaps it, or touches it
where one of the two is empty). *False*: a variant whose places meet no gold variant place
(visible or not) in any witness. *Rewritten apps*: visible places where two groups read
passages of 20 tokens or more that share at most half their words (rapidfuzz Indel
similarity of the token lists); the figure is the number of variants meeting them, the items
a reviewer has to decide there.

**Mitford's Julian** (``mitford-julian/JulianMelfi.xml``): Digital Mitford's hand-encoded
parallel-segmentation apparatus of the manuscript (``#ms``) and the 1823 print
(``#pub_1823``). Each witness's text is the file read for that witness (an ``<app>`` gives its
``<rdg>`` naming the witness; ``<choice>`` its ``sic``/``orig``/``abbr``; ``del``, ``supplied``,
``gap``, ``note`` and the header are not read; blocks end a line), so every ``<app>`` has a span
in both witnesses. A gold app counts when its two readings differ under proofbench's
tokenization and normalization (the apparatus also records apps whose readings differ only by
line breaks or markup). *Found*: a proofbench variant with different readings for the two
witnesses whose place meets the app's span in one of them. The share found is reported, and
the variants that meet no gold app, as false.

**Darwin's six editions** (``darwin-origin-ch1``): the gold paragraph correspondence of the
chapter (``paragraph-aligned/darwin_ch1_paragraphs.json``, 47 paragraphs: 43 in all six
editions, 4 only in 1869 and 1872), so 43 x 15 + 4 x 1 = 649 pairwise correspondences. The six
whole chapters (``txt/``) are aligned at once, with no paragraph hint; each gold paragraph is
found in an edition's text as its most similar line (as ``darwin_agreements.py`` does). A
correspondence of two editions' paragraphs is *placed together* when, of the tokens of each
paragraph that share a column with a token of the other edition, more than half share it with
a token of the other's gold paragraph (both directions).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ROOT / ".." / "shared" / "corpora"
FRANK = CORPORA / "frankenstein-variorum" / "gold-collation-C01-C07"
JULIAN = CORPORA / "mitford-julian" / "JulianMelfi.xml"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import darwin_agreements  # noqa: E402
from rapidfuzz.distance import Indel  # noqa: E402

from proofbench.model import Manifest, Variant, VariantClass, Witness  # noqa: E402
from proofbench.pipeline import collate_witnesses, witness_from_text  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
BLOCKS = frozenset(
    {
        "p", "ab", "head", "l", "item", "speaker", "stage", "closer", "opener", "salute",
        "signed", "dateline", "byline", "trailer", "titlePart", "castItem", "role", "roleDesc",
        "docTitle", "div", "lg", "sp",
    }
)  # fmt: skip
SKIP = frozenset(("teiHeader", "del", "supplied", "gap", "note", "pb", "metamark", "figDesc", "fw"))
AS_WRITTEN = ("sic", "orig", "abbr")
Span = tuple[int, int]
REWRITE_TOKENS = 20  # a passage, not a phrase: the Variorum's own apps of rewritten sentences


def local(tag: object) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else ""


@dataclass
class Text:
    """A witness's text as it is read, with the span of every gold app in it."""

    parts: list[str] = field(default_factory=list)
    size: int = 0
    spans: dict[str, Span] = field(default_factory=dict)

    def add(self, s: str | None) -> None:
        if s:
            s = re.sub(r"\s+", " ", s)
            self.parts.append(s)
            self.size += len(s)

    def mark(self, app: str, start: int) -> None:
        lo, hi = self.spans.get(app, (start, self.size))
        self.spans[app] = (min(lo, start), max(hi, self.size))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def meets(a: Span, b: Span) -> bool:
    """Whether two spans overlap, or touch where one of them is empty."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return lo < hi or ((a[0] == a[1] or b[0] == b[1]) and lo <= hi)


def unmarked(reading: str) -> str:
    """A gold reading's text as the witness text is read: no note, no deletion, no tags."""
    reading = re.sub(r"<(note|del)\b.*?</\1>", " ", reading, flags=re.S)
    return re.sub(r"<[^>]*>", "", reading)


@cache
def forms(text: str) -> tuple[str, ...]:
    """The normalized forms proofbench reads in a string (default profile)."""
    return tuple(t.n for t in witness_from_text("X", text).text_tokens)


def variants(witnesses: Sequence[Witness]) -> tuple[Variant, ...]:
    manifest = Manifest(path="<gold>", title="gold", witnesses=())
    return collate_witnesses(manifest, witnesses).variants


def span_of(v: Variant, siglum: str) -> Span:
    loc = v.locations[siglum]
    return (loc.start, loc.end)


# --- Frankenstein ---------------------------------------------------------------------------

FRANK_WITS = ("f1818", "fThomas", "f1823", "f1831")
FRANK_FILES = ("preface", "letter_i", "letter_ii", "letter_iii", "letter_iv", "chapter_i")


@dataclass(frozen=True)
class GoldApp:
    """One gold variant place: its id, the witnesses' groups and whether it is visible."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    visible: bool


def frankenstein_gold() -> list[GoldApp]:
    out: list[GoldApp] = []
    for n in range(1, 8):
        root = ET.parse(FRANK / "spine" / f"spine_C0{n}.xml").getroot()
        for app in root.iter(f"{TEI}app"):
            groups: list[tuple[str, ...]] = []
            readings: set[tuple[str, ...]] = set()
            for g in app.findall(f"{TEI}rdgGrp"):
                wits = tuple(
                    str(r.get("wit"))[1:] for r in g.findall(f"{TEI}rdg") if r.get("wit") != "#fMS"
                )
                if not wits:
                    continue
                groups.append(wits)
                tokens = ast.literal_eval(g.get("n") or "[]")
                readings.add(forms(unmarked(" ".join(tokens))))
            if len(groups) > 1:
                out.append(GoldApp(str(app.get(XML_ID)), tuple(groups), len(readings) > 1))
    return out


def _walk_segs(el: ET.Element, out: Text, app: str | None, wanted: set[str]) -> None:
    tag = local(el.tag)
    if tag in SKIP:
        return
    if tag == "seg" and el.get(XML_ID):
        app = str(el.get(XML_ID)).split("-")[0]
    start = out.size
    if tag in BLOCKS and app in wanted:
        out.add("\n")
    if app in wanted:
        out.add(el.text)
    for child in el:
        _walk_segs(child, out, app, wanted)
        if app in wanted:
            out.add(child.tail)
    if tag == "seg" and app in wanted:
        out.mark(app, start)


def frankenstein_texts(gold_ids: set[str]) -> dict[str, Text]:
    wanted = {a for a in gold_ids}
    for n in range(1, 8):
        root = ET.parse(FRANK / "spine" / f"spine_C0{n}.xml").getroot()
        wanted.update(str(a.get(XML_ID)) for a in root.iter(f"{TEI}app"))
    texts: dict[str, Text] = {}
    for wit in FRANK_WITS:
        text = Text()
        for name in FRANK_FILES:
            stem = f"{wit}_{name}" if wit == "f1831" else f"{wit}_vol_1_{name}"
            root = ET.parse(FRANK / "variorum-chapters" / f"{stem}.xml").getroot()
            body = root.find(f".//{TEI}body")
            _walk_segs(body if body is not None else root, text, None, wanted)
        texts[wit] = text
    return texts


def score_places(
    gold: Sequence[GoldApp],
    texts: Mapping[str, Text],
    found_variants: Sequence[Variant],
    verbose: bool,
) -> tuple[int, int, int, list[Variant]]:
    """(visible places, found, visible found, false variants): see the module doc."""
    visible = [g for g in gold if g.visible]
    found = 0
    for g in visible:
        if any(_finds(v, g, texts) for v in found_variants):
            found += 1
        elif verbose:
            print(f"  missed {g.id}: {_gold_readings(g, texts)}")
    false = [
        v
        for v in found_variants
        if not any(
            g.id in texts[s].spans and meets(span_of(v, s), texts[s].spans[g.id])
            for g in gold
            for s in v.locations
            if s in texts
        )
    ]
    return len(visible), found, found, false


def _gold_readings(g: GoldApp, texts: Mapping[str, Text]) -> dict[str, str]:
    out = {}
    for group in g.groups:
        s = group[0]
        lo, hi = texts[s].spans.get(g.id, (0, 0))
        out[s] = texts[s].text[lo:hi].strip()[:60]
    return out


def _finds(v: Variant, g: GoldApp, texts: Mapping[str, Text]) -> bool:
    for ga, gb in combinations(g.groups, 2):
        for x in ga:
            for y in gb:
                if x not in v.readings or y not in v.readings:
                    continue
                moved = v.cls is VariantClass.TRANSPOSITION
                if not moved and forms(v.readings[x]) == forms(v.readings[y]):
                    continue
                for s in (x, y):
                    span = texts[s].spans.get(g.id)
                    if span is not None and meets(span_of(v, s), span):
                        return True
    return False


def collated(witnesses: Sequence[Witness]) -> tuple[tuple[Variant, ...], float, int]:
    """The witnesses' variants, the CPU seconds collating them took, and their words."""
    cpu = time.process_time()
    found_variants = variants(witnesses)
    return found_variants, time.process_time() - cpu, sum(len(w.text_tokens) for w in witnesses)


def frankenstein(verbose: bool) -> None:
    gold = frankenstein_gold()
    texts = frankenstein_texts({g.id for g in gold})
    witnesses = [witness_from_text(w, texts[w].text) for w in FRANK_WITS]
    found_variants, cpu, words = collated(witnesses)
    total, found, _, false = score_places(gold, texts, found_variants, verbose)
    print(
        f"Frankenstein C01-C07: {words} tokens in 4 witnesses, {len(gold)} gold variant places,"
        f" {total} visible; found {found}/{total}; false variants {len(false)}"
        f" (of {len(found_variants)}); collate CPU {cpu:.2f} s"
    )
    rewritten = [g for g in gold if g.visible and _rewritten(g, texts)]
    items = [
        v
        for v in found_variants
        if any(
            g.id in texts[s].spans and meets(span_of(v, s), texts[s].spans[g.id])
            for g in rewritten
            for s in v.locations
            if s in texts
        )
    ]
    print(f"  rewritten apps: {len(rewritten)}, variants meeting them: {len(items)}")
    if verbose:
        for v in false:
            print(f"  false: {dict(v.readings)}")


def _rewritten(g: GoldApp, texts: Mapping[str, Text]) -> bool:
    """Whether two groups read passages (20 tokens or more) that share at most half their words."""
    readings = []
    for group in g.groups:
        lo, hi = texts[group[0]].spans.get(g.id, (0, 0))
        readings.append(forms(texts[group[0]].text[lo:hi]))
    return any(
        min(len(a), len(b)) >= REWRITE_TOKENS and Indel.normalized_similarity(a, b) <= 0.5
        for a, b in combinations(readings, 2)
    )


# --- Julian ---------------------------------------------------------------------------------


def _walk_app(el: ET.Element, out: Text, wit: str, counter: list[int]) -> None:
    tag = local(el.tag)
    if tag in SKIP:
        return
    if tag in BLOCKS:
        out.add("\n")
    if tag == "lb":
        out.add(" ")
    if tag == "app":
        counter[0] += 1
        app, start = f"app{counter[0]}", out.size
        for rdg in el:
            if f"#{wit}" in str(rdg.get("wit", "")).split():
                _walk_app(rdg, out, wit, counter)
        out.mark(app, start)
        return
    if tag == "choice":
        kids = [c for c in el if local(c.tag) in AS_WRITTEN] or list(el)[:1]
        for c in kids:
            _walk_app(c, out, wit, counter)
        return
    out.add(el.text)
    for child in el:
        _walk_app(child, out, wit, counter)
        out.add(child.tail)


def julian(verbose: bool) -> None:
    root = ET.parse(JULIAN).getroot()
    text_el = root.find(f"{TEI}text")
    assert text_el is not None
    texts: dict[str, Text] = {}
    for wit in ("ms", "pub_1823"):
        texts[wit] = Text()
        _walk_app(text_el, texts[wit], wit, [0])
    apps = sorted(set(texts["ms"].spans) | set(texts["pub_1823"].spans), key=lambda a: int(a[3:]))
    gold: list[GoldApp] = []
    for a in apps:
        readings = {}
        for wit, t in texts.items():
            lo, hi = t.spans[a]
            readings[wit] = forms(t.text[lo:hi])
        if readings["ms"] != readings["pub_1823"]:
            gold.append(GoldApp(a, (("ms",), ("pub_1823",)), True))
    witnesses = [witness_from_text(w, texts[w].text) for w in ("ms", "pub_1823")]
    found_variants, cpu, words = collated(witnesses)
    total, found, _, false = score_places(gold, texts, found_variants, verbose)
    print(
        f"Julian MS / 1823: {words} tokens, {len(apps)} gold apps, {total} with readings that"
        f" differ; found {found}/{total} ({100 * found / total:.2f} %); variants meeting no gold"
        f" app {len(false)} (of {len(found_variants)}); collate CPU {cpu:.2f} s"
    )
    if verbose:
        for v in false:
            print(f"  false: {dict(v.readings)}")


# --- Darwin ---------------------------------------------------------------------------------


def darwin(verbose: bool) -> None:
    from proofbench.align import align

    witnesses, groups = darwin_agreements.load()
    by = {w.siglum: w for w in witnesses}
    lines = {w.siglum: darwin_agreements.line_tokens(w) for w in witnesses}
    cpu = time.process_time()
    alignment = align(witnesses)
    cpu = time.process_time() - cpu
    # token -> the columns it stands in (a moved block stands at two places)
    where: dict[str, dict[int, list[int]]] = {w.siglum: {} for w in witnesses}
    for c, col in enumerate(alignment.columns):
        for s, toks in col.readings.items():
            for t in toks:
                where[s].setdefault(t, []).append(c)
    pairs = together = 0
    for group in groups:
        found = {
            f"E{y}": set(darwin_agreements.best_line(lines[f"E{y}"], content))
            for y, content in group.items()
        }
        for x, y in combinations(sorted(found), 2):
            pairs += 1
            ok = _together(alignment, where, x, found[x], y, found[y]) and _together(
                alignment, where, y, found[y], x, found[x]
            )
            together += ok
            if verbose and not ok:
                first = by[x].tokens[min(found[x])].start
                print(f"  apart: {x} / {y}: {by[x].text[first : first + 60]!r}")
    print(
        f"Darwin six editions: {pairs} gold paragraph correspondences, placed together"
        f" {together}/{pairs}; align CPU {cpu:.2f} s"
    )


def _together(
    alignment: object,
    where: Mapping[str, Mapping[int, Iterable[int]]],
    x: str,
    mine: set[int],
    y: str,
    theirs: set[int],
) -> bool:
    from proofbench.model import Alignment

    assert isinstance(alignment, Alignment)
    inside = outside = 0
    for t in mine:
        for c in where[x].get(t, ()):
            other = alignment.columns[c].readings.get(y, ())
            if other:
                inside += any(u in theirs for u in other)
                outside += not any(u in theirs for u in other)
    return inside > outside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("frankenstein", "julian", "darwin"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print what is missed")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"{CORPORA} not found: this benchmark needs ../shared/corpora")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    runs = {"frankenstein": frankenstein, "julian": julian, "darwin": darwin}
    for name, run in runs.items():
        if args.only in (None, name):
            run(args.verbose)


if __name__ == "__main__":
    main()
