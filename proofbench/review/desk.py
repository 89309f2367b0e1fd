"""A collation and its review store seen together: the queue, each item's state, the actions.

Input: a Collation (or its ``Outline``, the rest read only when needed) and a Store.
Output: ``Entry``s (an item with its stored key and state), the filtered queue (most suspect
first), progress counts, the orphaned decisions, and actions taken through ``act``. This is
the library the web app, ``apply`` and ``decisions`` commands call.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from proofbench.errors import StoreError
from proofbench.model import Collation, Variant
from proofbench.review.anchor import Attachment, attach
from proofbench.review.items import Anchor, Item
from proofbench.review.outline import Outline, outline_of
from proofbench.review.store import (
    FINAL,
    Event,
    Planned,
    State,
    Step,
    Store,
    User,
    advance,
    scope_of,
)


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


SORTS = ("suspicion", "text", "confidence")
"""Queue orders: most suspect first (the default), text order, highest confidence first."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Queue filters; empty strings (and the whole confidence range) mean no filter.

    ``cls`` matches an item's primary or secondary class; ``witness`` a suspect witness;
    ``status`` the item's status; ``reviewer`` anyone who acted on it; ``min_conf`` and
    ``max_conf`` bound the confidence, both ends included.
    """

    cls: str = ""
    witness: str = ""
    status: str = ""
    reviewer: str = ""
    min_conf: float = 0.0
    max_conf: float = 1.0

    @property
    def empty(self) -> bool:
        """True when nothing is filtered out."""
        return self == Filters()

    def passes(self, item: Item, state: State) -> bool:
        """Whether ``item`` in ``state`` passes every filter."""
        return self.passes_item(item) and self.passes_state(state)

    def passes_item(self, item: Item) -> bool:
        """Whether ``item`` passes the filters on what the collation fixes (class, witness,
        confidence)."""
        if self.cls and self.cls not in item.classes:
            return False
        if self.witness and self.witness not in item.suspect:
            return False
        return self.min_conf <= item.confidence <= self.max_conf

    def passes_state(self, state: State) -> bool:
        """Whether ``state`` passes the filters on the review (status, reviewer)."""
        if self.status and state.status != self.status:
            return False
        return not (self.reviewer and self.reviewer not in state.reviewers)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the queue: its entries, where it starts, and how many entries pass."""

    entries: list[Entry]
    offset: int
    limit: int
    total: int


OPEN = State()
FIXED_KEPT = 32
"""Filter combinations whose items a desk keeps (a memory bound, not a tuning: each is at most
one list of references to the queue's items)."""


class Desk:
    """The review of one collation in one store.

    The log is read once, folded and attached; after that each view reads only the events
    appended since (by sequence number) and advances the states of their items, so a page
    costs the same with 40,000 events as with one. Decisions are attached to the collation's
    items once, when the log is first read; a first event on an item without a decision is
    stored under that item's own key.
    """

    def __init__(
        self,
        collation: Collation | Outline,
        store: Store,
        scope: str | None = None,
        load: Callable[[], Collation] | None = None,
    ) -> None:
        """A desk on a collation, or on its outline with ``load`` to read the whole collation
        when a page first needs it (page-image crops, the OCR write-back)."""
        self._lock = threading.RLock()
        self._view = threading.local()
        if isinstance(collation, Outline):
            self.outline = collation
            self._collation: Collation | None = None
        else:
            self.outline = outline_of(collation)
            self._collation = collation
        self._load = load
        self._variants: dict[str, Variant] | None = None
        self.store = store
        self.scope = scope or scope_of(self.outline.manifest.path)
        self.items = self.outline.items
        self._by_key = {i.key: i for i in self.items}
        # Each queue order and its ranks, sorted on first use (``_order``) or by ``prepare``
        # after the URL is announced: 0.2 s of CPU at 27,000 items, not spent before start-up.
        self._orders: dict[str, tuple[list[Item], dict[str, int]]] = {}
        self._loaded = False
        self._top = 0  # the highest sequence number folded
        self._states: dict[str, State] = {}
        self._anchors: dict[str, Anchor] = {}
        self._attached: dict[str, str] = {}  # stored key -> current item key
        self._stored: dict[str, str] = {}  # current item key -> stored key
        self._orphans: dict[str, str] = {}  # stored key -> why it has no item
        self._counts: dict[str, int] = {}  # status -> current items in it (open ones not kept)
        self._logged: dict[str, int] = {}  # stored key -> events in its log
        self._seen = 0  # events folded (refused attempts included)
        self._static: dict[tuple[str, str, str, float, float], list[Item]] = {}

    @property
    def collation(self) -> Collation:
        """The whole collation, read on first use when the desk was opened on an outline.

        Raises StoreError when the desk has an outline and nothing to load the rest from.
        """
        with self._lock:
            if self._collation is None:
                if self._load is None:
                    raise StoreError("this review was opened on an outline alone")
                self._collation = self._load()
            return self._collation

    def variant_of(self, item: Item) -> Variant | None:
        """The item's variant (None for a flag), from the collation if the item lacks it."""
        if item.variant is not None or item.kind != "variant":
            return item.variant
        with self._lock:
            if self._variants is None:
                self._variants = {v.id: v for v in self.collation.variants}
            return self._variants.get(item.key)

    # --- keeping up with the log ---------------------------------------------------------
    def _refresh(self) -> None:
        """Fold the events appended since the last look (all of them the first time).

        One indexed query for the events numbered above the last one folded: the store commits
        a scope's numbers in order (``store.lock_scope``), so nothing can appear below it later.
        The query runs outside the desk's lock, so page views do not wait on each other's
        reads; the fold (of the events still new when the lock is taken) runs inside it.
        """
        if getattr(self._view, "open", False):
            return  # this thread's view has looked already
        with self._lock:
            if not self._loaded:
                self._reload()
                return
            top = self._top
        new = self.store.events(self.scope, after=top)
        if new:
            with self._lock:
                self._fold([e for e in new if e.seq > self._top])
                seen = self._seen
            self._keep_statistics(len(new), seen - len(new))

    def _keep_statistics(self, added: int, before: float) -> None:
        """Analyse the log now when one look found more new events than the database's own
        rule allows before its planner statistics are stale (``Store.stale_after``): a bulk
        decision, an import, another process's batch. Autovacuum would do the same within a
        minute; the pages read in that minute are the ones this spares."""
        limit = self.store.stale_after(before)
        if limit is not None and added > limit:
            self.store.analyze()

    @contextlib.contextmanager
    def view(self) -> Iterator[None]:
        """One look at the log for everything this thread reads inside (a web request): the
        new events are read once on entering, not once per call of the views."""
        self._refresh()
        self._view.open = True
        try:
            yield
        finally:
            self._view.open = False

    def look_again(self) -> None:
        """Read the new events now, even inside a view (after an action was refused as stale,
        the page shows the state that refused it)."""
        was = getattr(self._view, "open", False)
        self._view.open = False
        try:
            self._refresh()
        finally:
            self._view.open = was

    def _reload(self) -> None:
        """Read the whole log: its steps alone, and the anchor of each item's latest applied
        event decoded once per item, not once per event (a book's log of 45,000 events spent
        10 of apply's 23 s decoding every event's audit detail)."""
        steps = self.store.steps(self.scope)
        raw: dict[str, str] = {}
        for e in steps:
            if not e.refused or e.item not in raw:
                raw[e.item] = e.anchor
        anchors = {k: Anchor.from_json(v) for k, v in raw.items()}
        att = attach(anchors, self.items)
        self._attached = dict(att.attached)
        self._stored = {c: s for s, c in att.attached.items()}
        self._orphans = dict(att.orphans)
        self._states, self._anchors = {}, anchors
        self._counts, self._logged = {}, {}
        self._top, self._seen = 0, 0
        for e in steps:
            self._advance(e)
        self._loaded = True
        if steps and self.store.stale_after(0) is not None:  # grown since it was analysed?
            analysed = self.store.analyzed_rows()
            self._keep_statistics(int(len(steps) - analysed), analysed)

    def _fold(self, evs: list[Event]) -> None:
        for e in evs:
            if not e.refused or e.item not in self._anchors:
                self._anchors[e.item] = e.anchor
            if e.item not in self._attached and e.item not in self._orphans:
                if e.item in self._by_key and e.item not in self._stored:
                    self._attached[e.item] = e.item
                    self._stored[e.item] = e.item
                else:
                    self._orphans[e.item] = "decided on no item of this collation"
            self._advance(e)

    def _advance(self, e: Event | Step) -> None:
        old = self._states.get(e.item, OPEN)
        new = self._states[e.item] = advance(old, e)
        self._logged[e.item] = self._logged.get(e.item, 0) + 1
        self._seen += 1
        if old.status != new.status and e.item in self._attached:
            for status, step in ((old.status, -1), (new.status, 1)):
                self._counts[status] = self._counts.get(status, 0) + step
        self._top = max(self._top, e.seq)

    def _state_of(self, item: Item) -> State:
        return self._states.get(self._stored.get(item.key, item.key), OPEN)

    def _entry(self, item: Item) -> Entry:
        stored = self._stored.get(item.key, item.key)
        return Entry(item, stored, self._states.get(stored, OPEN))

    # --- views ---------------------------------------------------------------------------
    def attachment(self) -> Attachment:
        """Where each stored decision stands in this collation."""
        self._refresh()
        return Attachment(dict(self._attached), dict(self._orphans))

    def entries(self) -> list[Entry]:
        """Every item of the collation with its state, in text order."""
        self._refresh()
        return [self._entry(i) for i in self.items]

    def entry(self, key: str) -> Entry | None:
        """The entry of a current item key, or None."""
        self._refresh()
        item = self._by_key.get(key)
        return self._entry(item) if item is not None else None

    def queue(self, filters: Filters = Filters(), sort: str = "suspicion") -> list[Entry]:
        """The entries passing the filters, most suspect first (or in another of ``SORTS``)."""
        return self.page(filters, sort, 0, len(self.items)).entries

    def page(
        self,
        filters: Filters = Filters(),
        sort: str = "suspicion",
        offset: int = 0,
        limit: int = 100,
    ) -> Page:
        """Up to ``limit`` entries passing the filters from ``offset`` on, in the order
        ``sort``, and how many pass in all. The orders are made once; a view only filters."""
        self._refresh()
        offset, limit = max(0, offset), max(0, limit)
        fixed = self._fixed(filters, sort)
        if not filters.status and not filters.reviewer:
            chosen = fixed[offset : offset + limit]
            return Page([self._entry(i) for i in chosen], offset, limit, len(fixed))
        out: list[Entry] = []
        total = 0
        for i in fixed:
            if filters.passes_state(self._state_of(i)):
                if offset <= total < offset + limit:
                    out.append(self._entry(i))
                total += 1
        return Page(out, offset, limit, total)

    def _order(self, sort: str) -> tuple[list[Item], dict[str, int]]:
        """The items in queue order ``sort`` (unknown orders: ``suspicion``) and each key's
        place in it, sorted once, on first use."""
        sort = sort if sort in SORTS else "suspicion"
        got = self._orders.get(sort)
        if got is None:
            with self._lock:
                got = self._orders.get(sort)
                if got is None:
                    if sort == "suspicion":
                        order = sorted(self.items, key=lambda i: i.suspicion)
                    elif sort == "confidence":
                        order = sorted(self.items, key=lambda i: (-i.confidence, i.start, i.key))
                    else:
                        order = list(self.items)
                    got = order, {i.key: n for n, i in enumerate(order)}
                    self._orders[sort] = got
        return got

    def prepare(self) -> None:
        """Sort every queue order now (the server does it after announcing its URL, so the
        first queue page finds them sorted; a page asking earlier sorts its own)."""
        for sort in SORTS:
            self._order(sort)

    def _fixed(self, f: Filters, sort: str) -> list[Item]:
        """The items of order ``sort`` passing the filters that never change (class, witness,
        confidence): worked out once per combination, so a view only checks states.
        Up to ``FIXED_KEPT`` combinations are kept, the oldest dropped first."""
        order = self._order(sort)[0]
        if not (f.cls or f.witness or f.min_conf > 0.0 or f.max_conf < 1.0):
            return order
        key = (sort, f.cls, f.witness, f.min_conf, f.max_conf)
        with self._lock:
            got = self._static.get(key)
        if got is None:
            got = [i for i in order if f.passes_item(i)]
            with self._lock:
                while len(self._static) >= FIXED_KEPT:
                    del self._static[next(iter(self._static))]
                self._static[key] = got
        return got

    def neighbours(
        self, key: str, filters: Filters = Filters(), sort: str = "suspicion"
    ) -> tuple[str | None, str | None]:
        """The keys before and after ``key`` in the filtered queue (None at either end),
        found by walking out from its place in the order, never by sorting."""
        self._refresh()
        order, rank = self._order(sort)
        at = rank.get(key)
        if at is None:
            return None, None

        def walk(indices: range) -> str | None:
            for n in indices:
                i = order[n]
                if filters.passes(i, self._state_of(i)):
                    return i.key
            return None

        return walk(range(at - 1, -1, -1)), walk(range(at + 1, len(order)))

    def orphans(self) -> list[Orphan]:
        """Stored decisions with no place in this collation (dismissed ones left out)."""
        self._refresh()
        out = []
        for stored, why in sorted(self._orphans.items()):
            state = self._states.get(stored, OPEN)
            if state.status == "dismissed" or (state.status == "open" and not state.notes):
                continue
            out.append(Orphan(stored, self._anchors[stored], state, why))
        return out

    def progress(self) -> Progress:
        """Counts of the queue by state, kept as the events are folded (no walk of anything)."""
        self._refresh()
        with self._lock:
            count = {k: self._counts.get(k, 0) for k in ("proposed", "deferred")}
            decided = sum(self._counts.get(k, 0) for k in FINAL)
        rest = len(self.items) - decided - sum(count.values())
        return Progress(len(self.items), decided, open=rest, orphans=len(self.orphans()), **count)

    def logged(self, stored: str) -> int:
        """How many events (refused attempts included) the log holds for a stored key."""
        self._refresh()
        return self._logged.get(stored, 0)

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

    def act_many(
        self,
        action: str,
        user: User,
        todo: Sequence[tuple[str, int, str | None, str | None]],
        note: str | None = None,
    ) -> tuple[list[Event], list[tuple[str, str]]]:
        """Take ``action`` on many items in one transaction (``Store.act_many``).

        ``todo`` holds (stored key, based on, reading, choice) per item; returns the events
        appended and the (stored key, reason) of the items refused. Raises KeyError for a key
        that is neither a current item nor an orphan, before anything is stored.
        """
        self._refresh()
        plan = [Planned(k, self._anchor_known(k), b, r, c) for k, b, r, c in todo]
        return self.store.act_many(self.scope, action, user, plan, note)

    def _anchor_of(self, stored: str) -> Anchor:
        self._refresh()
        return self._anchor_known(stored)

    def _anchor_known(self, stored: str) -> Anchor:
        current = self._attached.get(stored, stored if stored in self._by_key else None)
        if current is not None and current in self._by_key:
            return self._by_key[current].anchor
        if stored in self._anchors:
            return self._anchors[stored]
        raise KeyError(stored)

    def current_key(self, stored: str) -> str | None:
        """The current item a stored decision stands on, or None for an orphan."""
        self._refresh()
        return self._attached.get(stored)

    def _decided(self) -> list[tuple[Item, State]]:
        """The current items that have events, with their states, in text order."""
        self._refresh()
        out = []
        for stored, current in self._attached.items():
            item = self._by_key.get(current)
            state = self._states.get(stored)
            if item is not None and state is not None:
                out.append((item, state))
        out.sort(key=lambda p: (p[0].start, p[0].end, p[0].key))
        return out

    def decided_readings(self) -> dict[str, str]:
        """Current item key -> the reading an editor accepted, for accepted items only."""
        return {
            i.key: s.reading
            for i, s in self._decided()
            if s.status == "accepted" and s.reading is not None
        }

    def statuses(self) -> Mapping[str, str]:
        """Variant id -> decision status, for the HTML report.

        ``accepted`` where the accepted reading is the suggestion, ``corrected`` where another
        reading was accepted, ``rejected`` where the target's reading was kept; otherwise the
        item's status (``proposed``, ``deferred``, ``dismissed``). Open variants are left out.
        """
        out: dict[str, str] = {}
        for item, state in self._decided():
            s = state.status
            if item.kind != "variant" or s == "open":
                continue
            if s == "accepted":
                if state.reading == item.target_reading:
                    s = "rejected"
                elif state.reading != item.suggestion:
                    s = "corrected"
            out[item.key] = s
        return out
