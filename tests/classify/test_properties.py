"""Properties of classify over random witnesses aligned by the real aligner."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.align import align
from proofbench.classify import classify
from proofbench.classify.forms import norm
from proofbench.model import Kind, VariantClass

from .helpers import manifest, wit

WORDS = [
    "the",
    "hall",
    "ball",
    "L.D.",
    "L,D.",
    "amid",
    "arnid",
    "each",
    "other",
    "of",
    "[and",
    "x]",
    "—",
    "--",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(a=texts, b=texts, c=texts)
def test_variants_are_well_formed(a: str, b: str, c: str) -> None:
    ws = [
        wit("P", a, kind=Kind.OCR),
        wit("T", b, derives_from="P"),
        wit("W", c, kind=Kind.PROOFREAD, derives_from="T"),
    ]
    alignment = align(ws)
    variants, flags = classify(manifest(ws, "W"), ws, alignment)
    ids = [v.id for v in variants]
    assert len(ids) == len(set(ids))
    by = {w.siglum: w for w in ws}
    for v in variants:
        assert set(v.readings) == set(v.locations) == {"P", "T", "W"}
        # A moved block may read the same everywhere: its places differ, not its words.
        moved = v.cls is VariantClass.TRANSPOSITION
        assert len({norm(r) for r in v.readings.values()}) > 1 or moved
        assert v.cls not in v.classes
        assert 0.0 <= v.confidence <= 1.0
        assert set(v.suspect) <= set(v.readings)
        assert v.suggestion is not None
        assert norm(v.suggestion) in {norm(r) for r in v.readings.values()}
        for s, loc in v.locations.items():
            text = by[s].text
            assert 0 <= loc.start <= loc.end <= len(text)
            assert (loc.start == loc.end) == (v.readings[s] == "")
    for f in flags:
        assert by[f.witness].text[f.start : f.end] == f.text
    again, _ = classify(manifest(ws, "W"), ws, alignment)
    assert [v.id for v in again] == ids
