"""Shared helpers for the align tests: witnesses from strings, readings of columns."""

from __future__ import annotations

from collections.abc import Sequence

from proofbench.model import Alignment, Witness
from proofbench.pipeline import witness_from_text


def wit(siglum: str, text: str) -> Witness:
    """A tokenized witness of a string."""
    return witness_from_text(siglum, text)


def reading(witness: Witness, indices: Sequence[int]) -> str:
    """The written forms of those tokens, joined by spaces."""
    return " ".join(witness.tokens[i].t for i in indices)


def variants(alignment: Alignment, witnesses: Sequence[Witness]) -> list[dict[str, str]]:
    """Each variant column as {siglum: reading}."""
    by = {w.siglum: w for w in witnesses}
    return [
        {s: reading(by[s], c.readings.get(s, ())) for s in alignment.sigla}
        for c in alignment.columns
        if c.kind.value == "variant"
    ]


def variant_set(
    alignment: Alignment, witnesses: Sequence[Witness]
) -> set[frozenset[tuple[str, str]]]:
    """The variants as an order-free set (for permutation properties)."""
    return {frozenset(v.items()) for v in variants(alignment, witnesses)}


def check_tiling(alignment: Alignment, witnesses: Sequence[Witness]) -> None:
    """Every text token once and in order; a transposed token twice, once at each place."""
    for w in witnesses:
        seen: list[int] = []
        moved: list[int] = []
        for c in alignment.columns:
            (seen if c.transposition is None else moved).extend(c.readings.get(w.siglum, ()))
        expected = [t.index for t in w.text_tokens]
        assert seen == sorted(seen)
        assert len(set(seen)) == len(seen)
        assert not set(seen) & set(moved)
        assert sorted(seen + sorted(set(moved))) == expected
        assert sorted(moved) == sorted(sorted(set(moved)) * 2)
