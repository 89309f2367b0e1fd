"""Hand-built collations for the render tests, independent of the align and classify stages.

``pivot_collation`` aligns every witness to the target with a plain token edit script and turns
runs of differing columns into roughly classified variants: enough realistic data (real letter
witnesses, real OCR geometry) to render, not a model of good collation.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from proofbench.model import (
    Alignment,
    Collation,
    Column,
    ColumnKind,
    Flag,
    Location,
    Manifest,
    Variant,
    VariantClass,
    Witness,
    WitnessSpec,
)

GOLDEN = Path(__file__).resolve().parent / "golden"


def pipeline_ready() -> bool:
    """True once the align and classify stages exist (the whole pipeline runs)."""
    try:
        from proofbench.align import align  # noqa: F401
        from proofbench.classify import classify  # noqa: F401
    except ImportError:
        return False
    return True


def pivot_alignment(witnesses: Sequence[Witness], target: str) -> Alignment:
    """Columns: one per target text token, plus one per gap where other witnesses have more."""
    tw = next(w for w in witnesses if w.siglum == target)
    tt = tw.text_tokens
    at: dict[str, dict[int, list[int]]] = {}
    before: dict[str, dict[int, list[int]]] = {}
    for w in witnesses:
        if w.siglum == target:
            continue
        wt = w.text_tokens
        at[w.siglum], before[w.siglum] = {}, {}
        for op in Levenshtein.opcodes([t.n for t in tt], [t.n for t in wt]):
            if op.tag in ("equal", "replace"):
                n_src = op.src_end - op.src_start
                n_dst = op.dest_end - op.dest_start
                for k in range(n_src):
                    lo = op.dest_start + (k * n_dst) // n_src
                    hi = op.dest_start + ((k + 1) * n_dst) // n_src
                    at[w.siglum][op.src_start + k] = [wt[d].index for d in range(lo, hi)]
            elif op.tag == "insert":
                before[w.siglum].setdefault(op.src_start, []).extend(
                    wt[d].index for d in range(op.dest_start, op.dest_end)
                )
    columns: list[Column] = []
    by_index = {w.siglum: w.tokens for w in witnesses}

    def column(readings: dict[str, tuple[int, ...]]) -> Column:
        forms = {
            " ".join(by_index[s].__getitem__(i).n for i in readings.get(s, ())) for s in by_index
        }
        return Column(readings, ColumnKind.EQUAL if len(forms) == 1 else ColumnKind.VARIANT)

    for j in range(len(tt) + 1):
        extra = {s: tuple(b[j]) for s, b in before.items() if j in b}
        if extra:
            columns.append(column(extra))
        if j < len(tt):
            readings = {target: (tt[j].index,)}
            for s, a in at.items():
                readings[s] = tuple(a.get(j, ()))
            columns.append(column(readings))
    return Alignment(tuple(w.siglum for w in witnesses), tuple(columns))


def _classify(readings: dict[str, str]) -> VariantClass:
    forms = [r for r in readings.values()]
    if any(not r for r in forms):
        return VariantClass.OMISSION if sum(1 for r in forms if r) > 1 else VariantClass.ADDITION
    letters = {re.sub(r"\W", "", r) for r in forms}
    if len(letters) == 1:
        return VariantClass.PUNCTUATION
    if len({r.lower() for r in forms}) == 1:
        return VariantClass.CASE
    if max(Levenshtein.distance(a, b) for a in forms for b in forms) == 1:
        return VariantClass.OCR_CONFUSION
    return VariantClass.SUBSTITUTION


def pivot_variants(
    witnesses: Sequence[Witness], alignment: Alignment, target: str, authority: str
) -> tuple[Variant, ...]:
    """Runs of variant columns as variants; the suggestion is the authority's reading."""
    toks = {w.siglum: w.tokens for w in witnesses}
    out: list[Variant] = []
    cols = alignment.columns
    c = 0
    while c < len(cols):
        if cols[c].kind is not ColumnKind.VARIANT:
            c += 1
            continue
        run = [c]
        while run[-1] + 1 < len(cols) and cols[run[-1] + 1].kind is ColumnKind.VARIANT:
            run.append(run[-1] + 1)
        c = run[-1] + 1
        readings: dict[str, str] = {}
        locations: dict[str, Location] = {}
        for s in alignment.sigla:
            ix = [i for k in run for i in cols[k].readings.get(s, ())]
            readings[s] = " ".join(toks[s][i].reading for i in ix)
            if ix:
                locations[s] = Location(toks[s][ix[0]].start, toks[s][ix[-1]].end)
        suggestion = readings[authority]
        suspect = tuple(s for s in alignment.sigla if readings[s] != suggestion)
        ctx_cols = [
            i for k in range(max(0, run[0] - 3), run[0]) for i in cols[k].readings.get(target, ())
        ]
        after = [
            i for k in range(c, min(len(cols), c + 3)) for i in cols[k].readings.get(target, ())
        ]
        context = (
            " ".join(toks[target][i].t for i in ctx_cols),
            " ".join(toks[target][i].t for i in after),
        )
        digest = hashlib.sha1(repr((sorted(readings.items()), context)).encode()).hexdigest()[:12]
        cls = _classify(readings)
        out.append(
            Variant(
                id=digest,
                columns=tuple(run),
                cls=cls,
                classes=(cls,),
                readings=readings,
                locations=locations,
                context=context,
                suggestion=suggestion,
                confidence=0.9 if cls is VariantClass.OCR_CONFUSION else 0.6,
                suspect=suspect,
                evidence=(f"{authority} reads “{suggestion}”.", "A test fixture's guess."),
            )
        )
    return tuple(out)


def pivot_collation(manifest: Manifest, witnesses: Sequence[Witness]) -> Collation:
    """A whole collation built with the pivot alignment, the first witness as the authority."""
    target = manifest.target or witnesses[-1].siglum
    alignment = pivot_alignment(witnesses, target)
    variants = pivot_variants(witnesses, alignment, target, witnesses[0].siglum)
    tw = next(w for w in witnesses if w.siglum == target)
    flags = tuple(
        Flag(target, t.start, t.end, t.t, "doubled-word", VariantClass.ADDITION, "a word twice", "")
        for a, t in zip(tw.text_tokens, tw.text_tokens[1:], strict=False)
        if a.n.lower() == t.n.lower() and t.n.isalpha()
    )
    return Collation(
        manifest=manifest,
        witnesses=tuple(witnesses),
        alignment=alignment,
        variants=variants,
        flags=flags,
        profile=manifest.profile,
        created="2026-01-01T00:00:00Z",
        version="0.0.test",
    )


def text_manifest(title: str, sigla: Sequence[str], target: str | None = None) -> Manifest:
    """A manifest naming in-memory witnesses."""
    return Manifest(
        path="<memory>",
        title=title,
        witnesses=tuple(WitnessSpec(siglum=s, files=(f"<{s}>",)) for s in sigla),
        target=target,
    )


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with golden file ``name``; rewrite it with PROOFBENCH_UPDATE_GOLDEN=1."""
    update = os.environ.get("PROOFBENCH_UPDATE_GOLDEN") == "1"
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; run with PROOFBENCH_UPDATE_GOLDEN=1 and review it")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name} differs from its golden file; if the change is intended, rerun with "
        "PROOFBENCH_UPDATE_GOLDEN=1 and review the diff"
    )
