"""Hand-built witnesses and alignments for the classify tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from proofbench.model import Alignment, Column, ColumnKind, Kind, Manifest, Witness, WitnessSpec
from proofbench.pipeline import witness_from_text


def wit(
    siglum: str, text: str, kind: Kind = Kind.TRANSCRIPTION, derives_from: str | None = None
) -> Witness:
    """A tokenized witness of a string, with a kind and a source."""
    w = witness_from_text(siglum, text, kind=kind)
    return dataclasses.replace(w, derives_from=derives_from)


def with_confidence(w: Witness, confidence: float) -> Witness:
    """The witness with every token carrying an OCR confidence (as if read from hOCR)."""
    from proofbench.model import Source

    toks = tuple(t._replace(source=Source(file="<ocr>", confidence=confidence)) for t in w.tokens)
    return dataclasses.replace(w, tokens=toks, kind=Kind.OCR)


def manifest(witnesses: Sequence[Witness], target: str | None = None) -> Manifest:
    """A manifest naming the witnesses."""
    specs = tuple(
        WitnessSpec(siglum=w.siglum, files=w.files, kind=w.kind, derives_from=w.derives_from)
        for w in witnesses
    )
    return Manifest(path="<test>", title="test", witnesses=specs, target=target)


def columns(witnesses: Sequence[Witness], *spec: Mapping[str, Sequence[int]]) -> Alignment:
    """An alignment of the given columns (siglum -> token indices); kinds computed."""
    by = {w.siglum: w for w in witnesses}
    cols = []
    for readings in spec:
        full = {s: tuple(readings.get(s, ())) for s in by}
        texts = {" ".join(by[s].tokens[i].n for i in ix) for s, ix in full.items()}
        kind = ColumnKind.EQUAL if len(texts) == 1 else ColumnKind.VARIANT
        cols.append(Column(readings=full, kind=kind))
    return Alignment(sigla=tuple(by), columns=tuple(cols))


def diagonal(witnesses: Sequence[Witness]) -> Alignment:
    """Word-for-word alignment of witnesses with the same number of tokens."""
    n = len(witnesses[0].tokens)
    return columns(witnesses, *({w.siglum: (i,) for w in witnesses} for i in range(n)))
