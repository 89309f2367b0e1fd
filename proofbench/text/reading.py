"""Witness -> the text as proofbench reads it: hyphen decisions applied, apparatus set apart.

``segments`` yields (text, apparatus kind or None) pieces covering the witness's text in order,
each line-end-hyphenated word replaced by its reading; joining the pieces of kind None gives the
reading text.
"""

from __future__ import annotations

from collections.abc import Iterator

from proofbench.model import ApparatusKind, Witness


def segments(witness: Witness) -> Iterator[tuple[str, ApparatusKind | None]]:
    """The witness's text in pieces: plain text, or apparatus with its kind."""
    text = witness.text
    joins = [t for t in witness.tokens if t.hyphenation is not None]
    marks = sorted(
        (a for a in witness.apparatus if a.end > a.start), key=lambda a: (a.start, -a.end)
    )
    pos = 0
    ji = 0
    for mark in [*marks, None]:
        stop = mark.start if mark is not None else len(text)
        if stop < pos:
            continue  # nested inside a mark already shown
        while ji < len(joins) and joins[ji].start < stop:
            tok = joins[ji]
            if tok.start >= pos:
                yield text[pos : tok.start], None
                yield tok.reading, None
                pos = tok.end
            ji += 1
        yield text[pos:stop], None
        if mark is not None:
            yield text[mark.start : mark.end], mark.kind
            pos = mark.end


def reading_text(witness: Witness, apparatus: bool = False) -> str:
    """The reading text; with ``apparatus``, apparatus pieces kept in ``⟦kind: ...⟧`` brackets."""
    out = []
    for piece, kind in segments(witness):
        if kind is None:
            out.append(piece)
        elif apparatus:
            out.append(f"⟦{kind.value}: {piece}⟧")
    return "".join(out)


def outer_apparatus(witness: Witness) -> list[tuple[int, int, ApparatusKind]]:
    """The apparatus spans not nested in another (a page number inside a head counts once)."""
    outer: list[tuple[int, int, ApparatusKind]] = []
    for a in sorted(witness.apparatus, key=lambda a: (a.start, -a.end)):
        if a.end > a.start and not (outer and a.end <= outer[-1][1]):
            outer.append((a.start, a.end, a.kind))
    return outer
