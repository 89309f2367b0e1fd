"""Small archives built for the tests: documents of seeded copies of a real text, one broken.

The base text is the letter's ground truth (tests/data/letter/1945-print-truth.txt, in the
repository); each document is a passage of it in two witnesses: the passage itself (an edition)
and an OCR-like copy with seeded letter confusions, as plain-text files with a manifest.
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRUTH = ROOT / "tests" / "data" / "letter" / "1945-print-truth.txt"
LETTER = ROOT / "witnesses" / "letter.toml"
CONFUSIONS = [("e", "c"), ("rn", "m"), ("l", "1"), ("h", "b"), ("o", "0")]
CREATED = "2026-01-01T00:00:00Z"


def _ocr(words: list[str], rnd: random.Random, rate: float) -> list[str]:
    out = []
    for w in words:
        options = [(a, b) for a, b in CONFUSIONS if a in w]
        if options and rnd.random() < rate:
            a, b = rnd.choice(options)
            w = w.replace(a, b, 1)
        out.append(w)
    return out


def write_document(folder: Path, words: list[str], seed: int, title: str) -> Path:
    """A document of two witnesses (ED: the words; OCR: a seeded copy); returns its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    (folder / "ED.txt").write_text(" ".join(words) + "\n", encoding="utf-8")
    (folder / "OCR.txt").write_text(
        " ".join(_ocr(words, rnd, 0.02 + 0.02 * (seed % 5))) + "\n", encoding="utf-8"
    )
    manifest = folder / "doc.toml"
    manifest.write_text(
        "[collation]\n"
        f"title = {title!r}\n"
        'target = "OCR"\n\n'
        '[[witness]]\nsiglum = "ED"\nkind = "edition"\nfile = "ED.txt"\n\n'
        '[[witness]]\nsiglum = "OCR"\nkind = "ocr"\nfile = "OCR.txt"\n',
        encoding="utf-8",
    )
    return manifest


def write_archive(root: Path, documents: int = 12) -> list[Path]:
    """``documents`` documents under ``root`` in two batches; the last one is broken (its
    manifest names a file that is not there). Returns the manifests in id order."""
    words = TRUTH.read_text(encoding="utf-8").split()
    manifests = []
    for k in range(documents - 1):
        start = (k * 71) % (len(words) - 150)
        passage = words[start : start + 60 + 15 * k]
        manifests.append(
            write_document(root / f"batch{k % 2}" / f"doc{k:02d}", passage, k, f"Passage {k}")
        )
    broken = root / "batch9" / "broken"
    broken.mkdir(parents=True)
    (broken / "doc.toml").write_text(
        '[collation]\ntitle = "Broken"\n\n[[witness]]\nsiglum = "A"\nfile = "gone.txt"\n\n'
        '[[witness]]\nsiglum = "B"\nfile = "gone-too.txt"\n',
        encoding="utf-8",
    )
    manifests.append(broken / "doc.toml")
    return manifests


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
