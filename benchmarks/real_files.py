"""Witnesses as real engines and editions write them: the figures of issue 11.

Reads the real files in ../shared/corpora (never copied into the repository) and prints:

  hyphens     ALTO hyphen pairs joined on the 1910 Winchester News page (SUBS_TYPE pairs)
  heads       running heads and foot folios set apart on the 20 Tesseract 5 old-books pages
              (one witness a book), from the ALTO and from the hOCR; which pages carry either,
              by the ground truth's own head and folio lines
  julian      words of the Julian MS chosen from the parallel-segmentation file, and of the MS file
  crops       OCR variants of the old-books pages (Tesseract 5 hOCR against the ground truth)
              whose OCR reading has a page image (the report's crop)
  mojibake    warnings on Julian's Act1_version3.txt
  franktei    Frankenstein 1818 vs 1823 collated from TEI and from plain text: spacing variants
  licence     Frankenstein frank14 vs frank15: variants in the Project Gutenberg header/licence
  warpeace    War and Peace wrnpc11 / wrnpc12 / 2600-0 with and without a diacritics rule

Usage: python benchmarks/real_files.py [SECTION ...]   (default: all but warpeace, which aligns
three 570k-word texts). Record the output with ``uptime`` in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from lxml import etree
from rapidfuzz import fuzz

from proofbench.model import ApparatusKind, Collation, VariantClass, WitnessSpec
from proofbench.pipeline import collate
from proofbench.text.tokenize import tokenize_all
from proofbench.witness import load_witness
from proofbench.witness.gutenberg import gutenberg

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"
OLD = CORPORA / "old-books-ocr-gt"


def hyphens() -> str:
    path = CORPORA / "newspaper-alto-wordconf" / "winchester-news_1910-10_ndnp.alto.xml"
    pairs, first = [], None
    for el in etree.parse(str(path)).getroot().iter("{*}String"):
        if el.get("SUBS_TYPE") == "HypPart1":
            first = el.get("CONTENT")
        elif el.get("SUBS_TYPE") == "HypPart2" and first is not None:
            pairs.append((f"{first}-", el.get("CONTENT")))
            first = None
    w = tokenize_all([load_witness(WitnessSpec("W", (str(path),)))])[0]
    found = [t.hyphenation.parts for t in w.tokens if t.hyphenation is not None]
    right = sum(1 for p in pairs if p in found)
    return f"ALTO hyphen pairs joined (Winchester News): {right}/{len(pairs)}"


NO_HEAD = {
    "j008": "it begins in mid-sentence (``expected of boys…``, page 3's sentence); its folio, 4,"
    " stands at the foot",
    "a014": "a plate: a full-page map, its caption and the text under it; the image's top band"
    " holds binarisation specks only (Tesseract reads them as ``wy Ti ‘. 4``), no folio",
}
"""Pages whose ground truth's first line is no running head, as their images show (the other
eighteen begin with the head). The ground truth keeps heads and folios as lines of their own
(SOURCE.md); a014's has neither, its first line being the map's caption followed by the text, so
a014 is the one page of the twenty without a head or folio. Their first line is counted as body
text: setting it apart loses a line."""

_FOLIO = re.compile(r"[(\[]?\s*(?:\d{1,4}|[ivxlc]{1,6})\.?\s*[)\]]?", re.IGNORECASE)
"""A ground-truth line that is a folio alone (``13``, ``( vi )``): the foot folios."""


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _heads(suffix: str) -> str:
    books: dict[str, list[Path]] = {}
    for path in sorted((OLD / "ocr-tesseract5-derived").glob(f"*.{suffix}")):
        books.setdefault(path.name[0], []).append(path)
    found = total = lost = folios = folios_read = folios_apart = 0
    misses: list[str] = []
    unread: list[str] = []
    bare: list[str] = []
    for files in books.values():
        w = load_witness(WitnessSpec("A", tuple(str(f) for f in files)))
        for number, f in enumerate(files, start=1):
            name = f.name.split(".")[0]
            truth = (OLD / "groundtruth" / (name + ".txt")).read_text("utf-8")
            first, *rest = [ln for ln in truth.splitlines() if ln.strip()]
            set_apart = [
                w.text[a.start : a.end]
                for a in w.apparatus
                if a.kind in {ApparatusKind.RUNNING_HEAD, ApparatusKind.PAGE_NUMBER}
                and a.end > a.start
                and any(
                    s.start >= a.start and s.source.page == number
                    for s in w.spans
                    if s.start < a.end
                )
            ]
            on_page = [s for s in w.spans if s.source.page == number]
            ocr_lines = w.text[on_page[0].start : on_page[-1].end].splitlines()
            foot = rest[-1] if rest and _FOLIO.fullmatch(rest[-1].strip()) else None
            if name in NO_HEAD:  # its first line is the book's text
                rest = [first, *rest]
            if foot is not None:
                rest = rest[:-1]
                folios += 1
                if _squeeze(foot) in {_squeeze(ln) for ln in ocr_lines}:
                    folios_read += 1
                    folios_apart += _squeeze(foot) in {_squeeze(t) for t in set_apart}
                else:
                    unread.append(f"{name}'s {foot.strip()}")
            if name in NO_HEAD and foot is None:
                bare.append(name)
            body = " ".join(rest)
            lost += sum(1 for t in set_apart if len(t) > 12 and fuzz.partial_ratio(t, body) > 95)
            if name in NO_HEAD:
                continue
            total += 1
            if fuzz.partial_ratio(first, " ".join(set_apart)) >= 85:
                found += 1
            else:
                misses.append(name)
    return (
        f"old-books, Tesseract 5 {suffix}: pages with a head or folio in the ground truth"
        f" {sum(len(f) for f in books.values()) - len(bare)}/{sum(len(f) for f in books.values())}"
        f" (without: {', '.join(bare) or 'none'});"
        f" running heads set apart {found}/{total} (missed: {', '.join(misses) or 'none'});"
        f" foot folios set apart {folios_apart}/{folios_read} of those the OCR read"
        f" ({folios} in the ground truth; not read: {', '.join(unread) or 'none'});"
        f" body lines set apart: {lost}"
    )


def heads() -> str:
    return _heads("alto.xml") + "\n" + _heads("hocr")


def julian() -> str:
    base = CORPORA / "mitford-julian"
    chosen = tokenize_all([load_witness(WitnessSpec("M", (f"{base / 'JulianMelfi.xml'}#ms",)))])[0]
    alone = tokenize_all([load_witness(WitnessSpec("M", (str(base / "JulianMelfiMS.xml"),)))])[0]
    return (
        f"Julian MS words: from JulianMelfi.xml#ms {len(chosen.text_tokens):,},"
        f" from JulianMelfiMS.xml {len(alone.text_tokens):,}"
    )


def _manifest(folder: Path, specs: list[tuple[str, str, str]], collation: str = "") -> Path:
    path = folder / "m.toml"
    entries = "".join(
        f'[[witness]]\nsiglum = "{s}"\nfile = "{f}"\n{extra}\n' for s, f, extra in specs
    )
    path.write_text(f"[collation]\n{collation}\n{entries}", encoding="utf-8")
    return path


def crops() -> str:
    with_image = total = 0
    for hocr in sorted((OLD / "ocr-tesseract5-derived").glob("*.hocr")):
        truth = OLD / "groundtruth" / f"{hocr.stem}.txt"
        with tempfile.TemporaryDirectory() as folder:
            path = _manifest(
                Path(folder),
                [("GT", str(truth), 'kind = "proofread"'), ("OCR", str(hocr), "")],
                'target = "OCR"',
            )
            c = collate(path)
        ocr = c.witness("OCR")
        for v in c.variants:
            loc = v.locations.get("OCR")
            if loc is None or loc.end <= loc.start:
                continue
            total += 1
            tok = next((t for t in ocr.tokens if t.start <= loc.start < t.end), None)
            if tok is not None and tok.source is not None and tok.source.image:
                with_image += 1
    return f"old-books OCR variants with a page image for the crop: {with_image}/{total}"


def mojibake() -> str:
    path = CORPORA / "mitford-julian" / "Act1_version3.txt"
    w = load_witness(WitnessSpec("A", (str(path),)))
    return f"mojibake warnings on Act1_version3.txt: {len(w.warnings)}: {w.warnings[0][:90]}..."


def _spacing(c: Collation) -> int:
    return sum(1 for v in c.variants if v.cls is VariantClass.SPACING)


def franktei() -> str:
    base = CORPORA / "frankenstein-variorum"
    tei = [(y, str(base / "editions-tei" / f"{y}_full_prelim.xml"), "") for y in ("1818", "1823")]
    txt = [(y, str(base / "plaintext-derived" / f"{y}.txt"), "") for y in ("1818", "1823")]
    out = []
    for name, specs in (("TEI", tei), ("plain text", txt)):
        with tempfile.TemporaryDirectory() as folder:
            sig = [(f"F{s}", f, e) for s, f, e in specs]
            c = collate(_manifest(Path(folder), sig))
        out.append(f"{name}: {len(c.variants):,} variants, {_spacing(c)} spacing")
    return "Frankenstein 1818 vs 1823: " + "; ".join(out)


def licence() -> str:
    import proofbench.witness.text as text_loader

    base = CORPORA / "gutenberg-revisions" / "frankenstein-pg84"
    out = []
    for label, marks in (("header and licence as text", False), ("set apart", True)):
        # The first run reads the releases as before: no Project Gutenberg blocks.
        text_loader.gutenberg = gutenberg if marks else (lambda text: ())  # type: ignore[assignment]
        with tempfile.TemporaryDirectory() as folder:
            specs = [(s, str(base / f"{s}.txt"), "") for s in ("frank14", "frank15")]
            c = collate(_manifest(Path(folder), specs))
        inside = 0
        for v in c.variants:
            for siglum, loc in v.locations.items():
                if any(a.start <= loc.start < a.end for a in gutenberg(c.witness(siglum).text)):
                    inside += 1
                    break
        share = 100 * inside / max(1, len(c.variants))
        out.append(f"{label}: {inside}/{len(c.variants)} variants in it ({share:.0f} %)")
    text_loader.gutenberg = gutenberg  # type: ignore[assignment]
    return "Frankenstein frank14 vs frank15, PG header/licence: " + "; ".join(out)


STYLE_RULES = (
    'normalize.rules = ["diacritics", "ellipsis", "brackets", "dash-hyphen", "word-division"]\n'
    "normalize.replace = [['\\*+(?:\\[\\d+\\]|\\(\\d+\\))?|^(?:\\[\\d+\\]|\\(\\d+\\))$', '']]"
)
"""The releases' typing styles, as a user would write them in the manifest: an ellipsis of four
dots or three, spaced or not (``are ...`` / ``are...``); ``[or`` / ``(or``; a dash typed ``--``,
``-`` or ``—``; footnote marks ``*``, ``*[2]``, ``(2)`` (the replacement)."""


def warpeace() -> str:
    base = CORPORA / "gutenberg-revisions" / "war-and-peace-pg2600"
    specs = [(s, str(base / f"{s}.txt"), "") for s in ("wrnpc11", "wrnpc12", "2600-0")]
    out = []
    configs = (
        ("default", ""),
        ("diacritics", 'normalize.rules = ["diacritics"]'),
        ("diacritics and the releases' typing styles", STYLE_RULES),
    )
    for label, collation in configs:
        with tempfile.TemporaryDirectory() as folder:
            sig = [(f"W{s.replace('-', '_')}", f, e) for s, f, e in specs]
            c = collate(_manifest(Path(folder), sig, collation))
        by_class = Counter(v.cls.value for v in c.variants).most_common()
        out.append(
            f"{label}: {len(c.variants):,} variants ("
            + ", ".join(f"{n} {k}" for k, n in by_class)
            + ")"
        )
    return "War and Peace wrnpc11/wrnpc12/2600-0:\n  " + "\n  ".join(out)


SECTIONS: dict[str, Callable[[], str]] = {
    "hyphens": hyphens, "heads": heads, "julian": julian, "crops": crops, "mojibake": mojibake,
    "franktei": franktei, "licence": licence, "warpeace": warpeace,
}  # fmt: skip


def main(argv: list[str]) -> None:
    if not CORPORA.is_dir():
        sys.exit(f"{CORPORA}: the shared corpora are absent")
    names = argv or [n for n in SECTIONS if n != "warpeace"]
    for name in names:
        start = time.perf_counter()
        line = SECTIONS[name]()
        print(f"{line}  [{time.perf_counter() - start:.1f} s]", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
