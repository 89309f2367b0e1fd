"""Collation -> the review queue's items, each anchored to the target's text.

Input: a Collation. Output: ``Item``s, one per variant and one per single-witness flag of the
target that no variant covers, each with an ``Anchor``: the target's siglum, the readings, a
few words of the target's text on either side, the offsets and a hash. The anchor, not a
variant number, is what a decision is tied to, so it can find its variant again after the
witnesses change (see ``proofbench.review.anchor``).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from proofbench.model import Collation, Flag, Variant

CONTEXT_WORDS = 5
_WORD = re.compile(r"\S+")


_SET = object.__setattr__


def _state_of(obj: Any) -> tuple[Any, ...]:
    """A slotted frozen dataclass's fields, in slot order: its pickled state."""
    return tuple(getattr(obj, n) for n in obj.__slots__)


def _restore(obj: Any, state: tuple[Any, ...]) -> None:
    """Set a slotted frozen dataclass's fields from ``_state_of``'s tuple. The dataclass
    default looks up ``fields()`` for every object unpickled: with two objects an item, 0.75 s
    of the 1.1 s a 27,000-item outline took to unpickle (cProfile, sixth session)."""
    for name, value in zip(obj.__slots__, state, strict=True):
        _SET(obj, name, value)


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a decision stands in the text, independent of variant numbering."""

    target: str
    readings: Mapping[str, str]
    before: str
    after: str
    start: int
    end: int
    variant_id: str
    hash: str = ""

    def __getstate__(self) -> tuple[Any, ...]:
        return _state_of(self)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        _restore(self, state)

    @property
    def reading(self) -> str:
        """The target's reading at the anchor."""
        return self.readings.get(self.target, "")

    def to_json(self) -> str:
        """The anchor as a JSON object (what the store keeps with every event)."""
        return json.dumps(
            {
                "target": self.target,
                "readings": dict(self.readings),
                "context": [self.before, self.after],
                "offsets": [self.start, self.end],
                "variant_id": self.variant_id,
                "hash": self.hash,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        """The anchor from ``to_json``'s output."""
        d = json.loads(text)
        return cls(
            target=d["target"],
            readings=dict(d["readings"]),
            before=d["context"][0],
            after=d["context"][1],
            start=int(d["offsets"][0]),
            end=int(d["offsets"][1]),
            variant_id=d["variant_id"],
            hash=d["hash"],
        )


def anchor_hash(target: str, reading: str, before: str, after: str) -> str:
    """A short digest of the target's reading in its context."""
    data = "\x1f".join((target, " ".join(reading.split()), before, after)).encode()
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to review: a variant, or a flag on the target no variant covers."""

    key: str
    kind: str
    cls: str
    classes: tuple[str, ...]
    readings: Mapping[str, str]
    target: str
    start: int
    end: int
    suggestion: str | None
    confidence: float
    suspect: tuple[str, ...]
    evidence: tuple[str, ...]
    anchor: Anchor
    variant: Variant | None = field(default=None, compare=False)

    def __getstate__(self) -> tuple[Any, ...]:
        return _state_of(self)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        _restore(self, state)

    @property
    def target_reading(self) -> str:
        """What the target reads here (``""`` where it has nothing)."""
        return self.readings.get(self.target, "")

    @property
    def suspicion(self) -> tuple[int, float, int]:
        """Sort key: the target judged wrong first, then higher confidence, then text order."""
        return (0 if self.target in self.suspect else 1, -self.confidence, self.start)


def context_around(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """The ``words`` words of ``text`` before ``start`` and after ``end``, spaces collapsed."""
    before = " ".join(_WORD.findall(text[max(0, start - 40 * words) : start])[-words:])
    after = " ".join(_WORD.findall(text[end : end + 40 * words])[:words])
    return before, after


def _anchor(
    target: str, text: str, readings: Mapping[str, str], start: int, end: int, key: str
) -> Anchor:
    before, after = context_around(text, start, end)
    h = anchor_hash(target, readings.get(target, ""), before, after)
    return Anchor(target, dict(readings), before, after, start, end, key, h)


def flag_key(flag: Flag, before: str, after: str) -> str:
    """A stable key for a flag: a digest of its check, text and context."""
    data = "\x1f".join((flag.witness, flag.check, flag.text, before, after)).encode()
    return "flag-" + hashlib.sha256(data).hexdigest()[:12]


class SpanIndex:
    """Variant spans, indexed so that asking whether a flag meets one costs a bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted((s, max(e, s + 1)) for s, e in spans)  # an empty span covers its place
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the spans starting at or before each
        top = -1
        for _, e in ordered:
            top = max(top, e)
            self.reach.append(top)

    def meets(self, start: int, end: int) -> bool:
        """Whether some span holds ``start``, or starts inside ``[start, end)``."""
        i = bisect.bisect_right(self.starts, start)
        if i and self.reach[i - 1] > start:
            return True
        return i < len(self.starts) and self.starts[i] < end


def review_items(collation: Collation) -> tuple[Item, ...]:
    """Every variant and uncovered target flag of the collation, in text order."""
    from proofbench.render.layout import variant_span  # only here: the render stage is big

    target = collation.target
    text = collation.witness(target).text
    out: list[Item] = []
    taken: list[tuple[int, int]] = []
    seen: set[str] = set()
    for v in collation.variants:
        start, end = variant_span(collation, v, target)
        taken.append((start, end))
        readings = {s: v.readings.get(s, "") for s in collation.alignment.sigla}
        out.append(
            Item(
                key=v.id,
                kind="variant",
                cls=v.cls.value,
                # The primary class first, then the secondary ones: the queue filters on all.
                classes=tuple(dict.fromkeys((v.cls.value, *(c.value for c in v.classes)))),
                readings=readings,
                target=target,
                start=start,
                end=end,
                suggestion=v.suggestion,
                confidence=v.confidence,
                suspect=v.suspect,
                evidence=v.evidence,
                anchor=_anchor(target, text, readings, start, end, v.id),
                variant=v,
            )
        )
    covered = SpanIndex(taken)
    for f in collation.flags:
        if f.witness != target:
            continue
        if covered.meets(f.start, f.end):
            continue
        before, after = context_around(text, f.start, f.end)
        key = flag_key(f, before, after)
        while key in seen:  # the same word flagged twice in the same words: number them
            key += "+"
        seen.add(key)
        readings = {target: f.text}
        out.append(
            Item(
                key=key,
                kind="flag",
                cls=f.cls.value,
                classes=(f.cls.value,),
                readings=readings,
                target=target,
                start=f.start,
                end=f.end,
                suggestion=f.suggestion,
                confidence=f.confidence,
                suspect=(target,),
                evidence=(f.message,),
                anchor=_anchor(target, text, readings, f.start, f.end, key),
            )
        )
    out.sort(key=lambda i: (i.start, i.end, i.key))
    return tuple(out)
