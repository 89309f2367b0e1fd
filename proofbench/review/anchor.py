"""Stored decisions -> the items of a new collation they belong to, or orphans with a reason.

Input: the anchors of the items that have decisions (``{item key: Anchor}``) and the items of
the current collation. Output: an ``Attachment``: which current item each stored decision is
attached to, and which decisions are orphaned, each with a sentence saying why. No decision is
ever dropped: every stored key ends up in exactly one of the two maps.

Matching, in order of trust: the same variant id; the same hash (the target's reading in the
same words of context); then a fuzzy match on the context and readings, preferring the place
nearest the old offsets. Each current item takes at most one decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from proofbench.review.items import Anchor, Item

MIN_SCORE = 0.72
"""The least fuzzy score (0-1) at which a decision re-attaches."""
EXHAUSTIVE = 200_000
"""Up to this many (decision, item) pairs, every pair is scored; beyond, only items sharing a
rarer word with the decision's anchor (a book with thousands of re-anchored decisions)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """Stored item keys -> current item keys, and orphaned keys -> why."""

    attached: Mapping[str, str]
    orphans: Mapping[str, str]

    def current_key(self, stored: str) -> str | None:
        """The current item a stored decision belongs to, or None if orphaned."""
        return self.attached.get(stored)

    def stored_key(self, current: str) -> str:
        """The key under which a current item's decisions are stored (its own for new ones)."""
        for s, c in self.attached.items():
            if c == current:
                return s
        return current


def _norm(s: str) -> str:
    return " ".join(s.split())


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return fuzz.ratio(a, b) / 100.0


def score(anchor: Anchor, item: Item) -> float:
    """How well ``item`` fits the place ``anchor`` describes, 0-1."""
    ctx = (
        _similarity(anchor.before, item.anchor.before)
        + _similarity(anchor.after, item.anchor.after)
    ) / 2
    own = _similarity(_norm(anchor.reading), _norm(item.target_reading))
    shared = set(anchor.readings) & set(item.readings)
    others = [
        _similarity(_norm(anchor.readings[s]), _norm(item.readings[s]))
        for s in shared
        if s != anchor.target
    ]
    rest = sum(others) / len(others) if others else own
    return 0.45 * ctx + 0.4 * own + 0.15 * rest


def attach(anchors: Mapping[str, Anchor], items: Sequence[Item]) -> Attachment:
    """Attach each stored decision's anchor to one current item, or orphan it with a reason."""
    attached: dict[str, str] = {}
    claimed: set[str] = set()
    by_key = {i.key: i for i in items}
    by_hash: dict[str, list[Item]] = {}
    for i in items:
        by_hash.setdefault(i.anchor.hash, []).append(i)

    for stored, a in sorted(anchors.items()):
        if a.variant_id in by_key and a.variant_id not in claimed:
            attached[stored] = a.variant_id
            claimed.add(a.variant_id)
    for stored, a in sorted(anchors.items()):
        if stored in attached:
            continue
        same = [i for i in by_hash.get(a.hash, []) if i.key not in claimed]
        if same:
            best = min(same, key=lambda i: abs(i.start - a.start))
            attached[stored] = best.key
            claimed.add(best.key)
    pending = [(s, a) for s, a in sorted(anchors.items()) if s not in attached]
    scored: list[tuple[float, int, str, str]] = []
    candidates = _Candidates(items) if len(pending) * len(items) > EXHAUSTIVE else None
    for stored, a in pending:
        for i in candidates.near(a) if candidates is not None else items:
            if i.key in claimed:
                continue
            sc = score(a, i)
            if sc >= MIN_SCORE:
                scored.append((-sc, abs(i.start - a.start), stored, i.key))
    scored.sort()
    for _, _, stored, key in scored:
        if stored in attached or key in claimed:
            continue
        attached[stored] = key
        claimed.add(key)
    orphans = {s: _why(a, items, claimed) for s, a in anchors.items() if s not in attached}
    return Attachment(attached, orphans)


class _Candidates:
    """Items indexed by their rarer words, so a fuzzy match need not score every item."""

    RARE = 64
    """A word in more items' anchors than this says too little about a place to index."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.by_word: dict[str, list[Item]] = {}
        for i in items:
            for w in _words(i.anchor):
                self.by_word.setdefault(w, []).append(i)

    def near(self, anchor: Anchor) -> list[Item]:
        """The items sharing a rare word of context or reading with ``anchor``."""
        out: dict[str, Item] = {}
        for w in _words(anchor):
            posting = self.by_word.get(w, [])
            if len(posting) <= self.RARE:
                out.update((i.key, i) for i in posting)
        return list(out.values())


def _words(anchor: Anchor) -> set[str]:
    return set(f"{anchor.before} {anchor.reading} {anchor.after}".lower().split())


def _why(anchor: Anchor, items: Sequence[Item], claimed: set[str]) -> str:
    reading = anchor.reading or "(nothing)"
    place = f"between “{anchor.before}” and “{anchor.after}”"
    near = [i for i in items if _similarity(anchor.before, i.anchor.before) > 0.8]
    if near:
        best = min(near, key=lambda i: abs(i.start - anchor.start))
        if best.key in claimed:
            return f"the variant {place} already carries another decision"
        return (
            f"the variant {place} changed: the target read “{reading}”, "
            f"now “{best.target_reading or '(nothing)'}”"
        )
    return (
        f"no variant {place} any more (the target read “{reading}” there); "
        "the witnesses may now agree"
    )
