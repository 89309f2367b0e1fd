"""A collation and its review store seen together: the queue, each item's state, the actions.

Input: a Collation and a Store. Output: ``Entry``s (an item with its stored key and state), the
filtered queue (most suspect first), progress counts, the orphaned decisions, and actions taken
through ``act``. This is the library the web app, ``apply`` and ``decisions`` commands call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from proofbench.model import Collation
from proofbench.review.anchor import Attachment, attach
from proofbench.review.items import Anchor, Item, review_items
from proofbench.review.store import FINAL, Event, State, Store, User, fold, scope_of


@dataclass(frozen=True, slots=True)
class Entry:
    """A current item, the key its decisions are stored under, and its state."""

    item: Item
    stored: str
    state: State


@dataclass(frozen=True, slots=True)
class Orphan:
    """A stored decision that found no variant in the current collation."""

    stored: str
    anchor: Anchor
    state: State
    reason: str


@dataclass(frozen=True, slots=True)
class Progress:
    """How much of the queue is done."""

    total: int
    decided: int
    proposed: int
    deferred: int
    open: int
    orphans: int

    @property
    def percent(self) -> float:
        """Decided items as a percentage of all (100 for an empty queue)."""
        return 100.0 * self.decided / self.total if self.total else 100.0


@dataclass(frozen=True, slots=True)
class Filters:
    """Queue filters; empty strings mean no filter."""

    cls: str = ""
    witness: str = ""
    status: str = ""
    reviewer: str = ""


@dataclass(frozen=True, slots=True)
class _View:
    stamp: tuple[int, int]
    attachment: Attachment
    states: dict[str, State]
    anchors: dict[str, Anchor]
    entries: list[Entry]
    by_key: dict[str, Entry]


class Desk:
    """The review of one collation in one store."""

    def __init__(self, collation: Collation, store: Store, scope: str | None = None) -> None:
        self.collation = collation
        self.store = store
        self.scope = scope or scope_of(collation.manifest.path)
        self.items = review_items(collation)
        self._by_key = {i.key: i for i in self.items}
        self._cache: _View | None = None

    def _view(self) -> _View:
        """The log folded and attached; re-read only when the log has grown."""
        stamp = self.store.stamp(self.scope)
        if self._cache is None or self._cache.stamp != stamp:
            anchors: dict[str, Anchor] = {}
            by_item: dict[str, list[Event]] = {}
            for e in self.store.events(self.scope):
                by_item.setdefault(e.item, []).append(e)
                if not e.refused or e.item not in anchors:
                    anchors[e.item] = e.anchor
            states = {k: fold(v) for k, v in by_item.items()}
            att = attach(anchors, self.items)
            back = {c: s for s, c in att.attached.items()}
            entries = []
            for i in self.items:
                stored = back.get(i.key, i.key)
                entries.append(Entry(i, stored, states.get(stored, State())))
            by_key = {e.item.key: e for e in entries}
            self._cache = _View(stamp, att, states, anchors, entries, by_key)
        return self._cache

    def attachment(self) -> Attachment:
        """Where each stored decision stands in this collation."""
        return self._view().attachment

    def entries(self) -> list[Entry]:
        """Every item of the collation with its state, in text order."""
        return list(self._view().entries)

    def entry(self, key: str) -> Entry | None:
        """The entry of a current item key, or None."""
        return self._view().by_key.get(key)

    def queue(self, filters: Filters = Filters()) -> list[Entry]:
        """The entries passing the filters, most suspect first."""
        out = []
        for e in self.entries():
            if filters.cls and filters.cls not in e.item.classes:
                continue
            if filters.witness and filters.witness not in e.item.suspect:
                continue
            if filters.status and e.state.status != filters.status:
                continue
            if filters.reviewer and filters.reviewer not in e.state.reviewers:
                continue
            out.append(e)
        out.sort(key=lambda e: e.item.suspicion)
        return out

    def orphans(self) -> list[Orphan]:
        """Stored decisions with no place in this collation (dismissed ones left out)."""
        view = self._view()
        out = []
        for stored, why in sorted(view.attachment.orphans.items()):
            state = view.states.get(stored, State())
            if state.status == "dismissed" or (state.status == "open" and not state.notes):
                continue
            out.append(Orphan(stored, view.anchors[stored], state, why))
        return out

    def progress(self) -> Progress:
        """Counts of the queue by state."""
        entries = self.entries()
        count = {s: 0 for s in ("decided", "proposed", "deferred", "open")}
        for e in entries:
            s = e.state.status
            key = "decided" if s in FINAL else s if s in count else "open"
            count[key] += 1
        return Progress(len(entries), orphans=len(self.orphans()), **count)

    def history(self, stored: str | None = None) -> list[Event]:
        """The log of the whole review, or of one stored item, oldest first."""
        return self.store.events(self.scope, stored)

    def act(
        self,
        stored: str,
        action: str,
        user: User,
        based_on: int,
        reading: str | None = None,
        choice: str | None = None,
        note: str | None = None,
    ) -> Event:
        """Take an action on a current item (by its stored key) or on an orphan.

        Raises PermissionDeniedError, StaleDecisionError, StoreError (see ``Store.act``), and
        KeyError for a key that is neither.
        """
        anchor = self._anchor_of(stored)
        return self.store.act(
            self.scope, stored, action, user, based_on, anchor, reading, choice, note
        )

    def _anchor_of(self, stored: str) -> Anchor:
        att = self.attachment()
        current = att.attached.get(stored, stored if stored in self._by_key else None)
        if current is not None and current in self._by_key:
            return self._by_key[current].anchor
        anchors = self._view().anchors
        if stored in anchors:
            return anchors[stored]
        raise KeyError(stored)

    def decided_readings(self) -> dict[str, str]:
        """Current item key -> the reading an editor accepted, for accepted items only."""
        out = {}
        for e in self.entries():
            if e.state.status == "accepted" and e.state.reading is not None:
                out[e.item.key] = e.state.reading
        return out

    def statuses(self) -> Mapping[str, str]:
        """Variant id -> decision status, for the HTML report.

        ``accepted`` where the accepted reading is the suggestion, ``corrected`` where another
        reading was accepted, ``rejected`` where the target's reading was kept; otherwise the
        item's status (``proposed``, ``deferred``, ``dismissed``). Open variants are left out.
        """
        out: dict[str, str] = {}
        for e in self.entries():
            s = e.state.status
            if e.item.kind != "variant" or s == "open":
                continue
            if s == "accepted":
                if e.state.reading == e.item.target_reading:
                    s = "rejected"
                elif e.state.reading != e.item.suggestion:
                    s = "corrected"
            out[e.item.key] = s
        return out
