"""The OCR confusion model: shape confusions seeded from a table, learned from the collation.

Input: pairs of (true reading, OCR reading) taken where transcriptions agree against an OCR
witness and the OCR word is a plain error (unknown to the lexicon, or read with low confidence);
output: a ``ConfusionModel`` that says whether, and how strongly, a difference between two
readings looks like the scan's own kind of error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from proofbench.classify.data import shape_confusions
from proofbench.classify.forms import char_blocks

LEARNED_MIN = 2
"""A substitution seen this often in one collation counts as the scan's habit."""


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a difference between two readings decomposes into OCR confusions."""

    blocks: tuple[tuple[str, str], ...]
    """The differing pieces, (true side, OCR side)."""
    seeded: bool
    """Every piece is a known shape confusion."""
    learned: int
    """The smallest count, over the pieces, of that substitution seen in this collation."""

    @property
    def explained(self) -> bool:
        """Every piece is a shape confusion or a substitution this scan is seen to make."""
        return bool(self.blocks) and (self.seeded or self.learned >= LEARNED_MIN)

    def describe(self) -> str:
        """The pieces in words: ``h/b``."""
        return ", ".join(f"{a or '∅'}/{b or '∅'}" for a, b in self.blocks)


@dataclass(frozen=True, slots=True)
class ConfusionModel:
    """Seeded shape confusions plus the substitutions learned from one collation."""

    learned: Counter[tuple[str, str]] = field(default_factory=Counter)
    _explained: dict[tuple[str, str], Explanation] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """``explain``'s answers so far: the weighing and the classing of a collation ask about the
    same pairs of readings at place after place (``the``/``tbe``)."""

    @classmethod
    def learn(cls, pairs: Iterable[tuple[str, str]]) -> ConfusionModel:
        """A model learned from (true reading, OCR reading) pairs of one scan."""
        counts: Counter[tuple[str, str]] = Counter()
        for truth, ocr in pairs:
            if truth == ocr:
                continue
            for block in char_blocks(truth, ocr):
                counts[block] += 1
        return cls(learned=counts)

    def explain(self, truth: str, ocr: str) -> Explanation:
        """How ``ocr`` differs from ``truth`` in terms of OCR confusions (a symmetric seed)."""
        got = self._explained.get((truth, ocr))
        if got is None:
            blocks = tuple(char_blocks(truth, ocr))
            seeds = shape_confusions()
            seeded = bool(blocks) and all(b in seeds for b in blocks)
            learned = min((self.learned[b] for b in blocks), default=0)
            got = Explanation(blocks=blocks, seeded=seeded, learned=learned)
            self._explained[(truth, ocr)] = got
        return got

    def is_confusion(self, a: str, b: str) -> bool:
        """True if ``a`` and ``b`` differ only by confusions, in either direction."""
        return self.explain(a, b).explained or self.explain(b, a).explained
