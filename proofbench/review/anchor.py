"""Stored decisions -> the items of a new collation they belong to, or orphans with a reason.

Input: the anchors of the items that have decisions (``{item key: Anchor}``) and the items of
the current collation. Output: an ``Attachment``: which current item each stored decision is
attached to, and which decisions are orphaned, each with a sentence saying why. No decision is
ever dropped: every stored key ends up in exactly one of the two maps.

Matching, in order of trust: the same variant id; the same hash (the target's reading in the
same words of context), when exactly one free item has it; then a fuzzy match on the context
and readings, only to a place that keeps one side of the old context word for word and only
when exactly one such place qualifies. Each current item takes at most one decision.

A decision never moves to a look-alike: when its place is gone, an item elsewhere with the same
readings but other surroundings does not take it, nor does one of two places that fit equally.
It becomes an orphan, and an editor decides where it belongs.
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
    ambiguous: set[str] = set()
    by_stored_hash: dict[str, int] = {}
    for a in anchors.values():
        by_stored_hash[a.hash] = by_stored_hash.get(a.hash, 0) + 1
    for stored, a in sorted(anchors.items()):
        if stored in attached:
            continue
        same = [i for i in by_hash.get(a.hash, []) if i.key not in claimed]
        if len(same) == 1 and by_stored_hash[a.hash] == 1:
            attached[stored] = same[0].key
            claimed.add(same[0].key)
        elif same:
            ambiguous.add(stored)  # identical places: which one is an editor's call
    pending = [(s, a) for s, a in sorted(anchors.items()) if s not in attached]
    fits: dict[str, list[tuple[float, str]]] = {}
    candidates = _Candidates(items) if len(pending) * len(items) > EXHAUSTIVE else None
    for stored, a in pending:
        if stored in ambiguous:
            continue
        for i in candidates.near(a) if candidates is not None else items:
            if i.key in claimed or not same_place(a, i):
                continue
            sc = score(a, i)
            if sc >= MIN_SCORE:
                fits.setdefault(stored, []).append((sc, i.key))
    wanted: dict[str, int] = {}
    for found in fits.values():
        for _, key in found:
            wanted[key] = wanted.get(key, 0) + 1
    for stored, found in sorted(fits.items()):
        # One place fits, and no other decision fits it: anything else is ambiguous.
        if len(found) == 1 and wanted[found[0][1]] == 1:
            attached[stored] = found[0][1]
            claimed.add(found[0][1])
        else:
            ambiguous.add(stored)
    orphans = {
        s: _why(a, items, claimed, s in ambiguous) for s, a in anchors.items() if s not in attached
    }
    return Attachment(attached, orphans)


def same_place(anchor: Anchor, item: Item) -> bool:
    """Whether ``item`` keeps one side of ``anchor``'s context word for word.

    An edit next to a decided place changes one side of its context; a look-alike elsewhere
    (the same readings in other surroundings) changes both.
    """
    return _norm(anchor.before) == _norm(item.anchor.before) or _norm(anchor.after) == _norm(
        item.anchor.after
    )


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


def _why(anchor: Anchor, items: Sequence[Item], claimed: set[str], ambiguous: bool) -> str:
    reading = anchor.reading or "(nothing)"
    place = f"between “{anchor.before}” and “{anchor.after}”"
    if ambiguous:
        return (
            f"more than one place now fits the decision on “{reading}” {place}; "
            "an editor says which, if any"
        )
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
