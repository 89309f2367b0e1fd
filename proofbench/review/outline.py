"""Collation -> its ``Outline``: what a review needs of it, without the witnesses' tokens.

Input: a Collation. Output: an ``Outline``: the manifest, the target's siglum, each witness's
siglum, label and kind, the review items (``review_items``, without their ``Variant``s), the
target's extracted text and the spans ``apply`` rewrites in it besides the corrections
(apparatus left out, line-end hyphens resolved). The queue, the item pages of text witnesses,
``apply`` in txt and TEI and ``decisions export`` read only this; the collation itself (tokens,
alignment, every witness's text) is needed only for page-image crops and the OCR write-back.
The collation cache keeps an outline beside the collation, so a review of a book opens in the
time it takes to read its outline, not its tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from proofbench.model import Collation, Kind, Manifest
from proofbench.review.items import Item, review_items

if TYPE_CHECKING:
    from proofbench.edits import Edit


@dataclass(frozen=True, slots=True)
class WitnessHead:
    """A witness as the review pages name it."""

    siglum: str
    label: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Outline:
    """The parts of a collation a review reads (see the module docstring)."""

    manifest: Manifest
    target: str
    witnesses: tuple[WitnessHead, ...]
    items: tuple[Item, ...]
    text: str
    """The target's extracted text (offsets of items and ``plain`` point into it)."""
    plain: tuple[Edit, ...]
    """Replacements of the target's reading text other than corrections, in text order: each
    outer apparatus span by ``""``, each line-end hyphenated word outside apparatus by its
    joined reading."""

    @property
    def has_ocr(self) -> bool:
        """Whether any witness was read from OCR (whose pages have image crops)."""
        return any(w.kind is Kind.OCR for w in self.witnesses)

    @property
    def title(self) -> str:
        """The manifest's title."""
        return self.manifest.title

    def witness(self, siglum: str) -> WitnessHead:
        """The witness of that siglum; raises KeyError."""
        for w in self.witnesses:
            if w.siglum == siglum:
                return w
        raise KeyError(siglum)


def outline_of(collation: Collation, keep_variants: bool = True) -> Outline:
    """The outline of ``collation``; without ``keep_variants`` the items drop their
    ``Variant`` (what the cache stores: the variant is found again in the collation)."""
    from proofbench.text.reading import outer_apparatus  # here: the text stage loads its data

    items = review_items(collation)
    if not keep_variants:
        items = tuple(replace(i, variant=None) if i.variant is not None else i for i in items)
    target = collation.witness(collation.target)
    plain: list[Edit] = [(s, e, "") for s, e, _ in outer_apparatus(target)]
    plain += [
        (t.start, t.end, t.reading)
        for t in target.tokens
        if t.hyphenation is not None and t.apparatus is None
    ]
    plain.sort(key=lambda p: (p[0], p[1]))
    return Outline(
        manifest=collation.manifest,
        target=collation.target,
        witnesses=tuple(WitnessHead(w.siglum, w.label, w.kind) for w in collation.witnesses),
        items=items,
        text=target.text,
        plain=tuple(plain),
    )
