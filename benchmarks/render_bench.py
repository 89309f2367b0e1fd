"""Benchmark (not a test): render a synthetic 100,000-word, three-witness collation.

Run: ``.venv/bin/python benchmarks/render_bench.py [WORDS] [--pipeline]``. Prints, for each
format, the time to write it and its size. By default the witnesses differ word for word
(substitutions about every 30 words), so the alignment is one column per word and is built here.
With ``--pipeline``, the align benchmark's seeded OCR and transcription copies of public-domain
books (``../shared/corpora``) go through the whole pipeline (align and classify) first.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "render"))

from render_fixtures import pivot_variants, text_manifest

from proofbench.model import Alignment, Collation, Column, ColumnKind
from proofbench.pipeline import witness_from_text
from proofbench.render import RENDERERS, RenderOptions


def synthetic(words: int, seed: int = 1) -> Collation:
    """Three witnesses of ``words`` words in paragraphs of about 120, each copy a little worse."""
    rng = random.Random(seed)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(5000)
    ]
    base = [rng.choice(vocab) for _ in range(words)]

    def copy(src: list[str], rate: float) -> list[str]:
        out = list(src)
        for i in range(len(out)):
            if rng.random() < rate:
                w = out[i]
                k = rng.randrange(len(w))
                out[i] = w[:k] + rng.choice("bhlrnmce,.") + w[k + 1 :]
        return out

    a = base
    b = copy(a, 0.02)
    c = copy(b, 0.01)

    def text(ws: list[str]) -> str:
        return "\n\n".join(" ".join(ws[i : i + 120]) for i in range(0, len(ws), 120)) + "\n"

    wits = [witness_from_text(s, text(ws)) for s, ws in (("A", a), ("B", b), ("C", c))]
    toks = {w.siglum: w.text_tokens for w in wits}  # a property: compute once
    n = min(len(t) for t in toks.values())
    cols = []
    for i in range(n):
        readings = {s: (t[i].index,) for s, t in toks.items()}
        forms = {t[i].n for t in toks.values()}
        cols.append(Column(readings, ColumnKind.EQUAL if len(forms) == 1 else ColumnKind.VARIANT))
    alignment = Alignment(("A", "B", "C"), tuple(cols))
    manifest = text_manifest(f"Synthetic {words} words", ["A", "B", "C"], "C")
    variants = pivot_variants(wits, alignment, "C", "A")
    return Collation(manifest, tuple(wits), alignment, variants, created="bench", version="bench")


def through_pipeline(words: int) -> Collation:
    """The align benchmark's three witnesses of ``words`` words, collated by the pipeline."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import align_bench  # type: ignore[import-not-found]

    from proofbench.pipeline import collate

    folder = Path(tempfile.mkdtemp(prefix="render-bench-"))
    return collate(align_bench.write_set(words, folder))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    words = int(args[0]) if args else 100_000
    t0 = time.perf_counter()
    collation = through_pipeline(words) if "--pipeline" in sys.argv else synthetic(words)
    took = time.perf_counter() - t0
    print(f"built {words} words, {len(collation.variants)} variants in {took:.1f} s")
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    for fmt, render in RENDERERS.items():
        t = time.perf_counter()
        text = render(collation, RenderOptions())
        dt = time.perf_counter() - t
        path = out / f"bench-{words}.{fmt}"
        path.write_text(text, encoding="utf-8")
        print(f"{fmt:5} {dt:6.2f} s  {path.stat().st_size / 1e6:7.2f} MB  {path}")


if __name__ == "__main__":
    main()
