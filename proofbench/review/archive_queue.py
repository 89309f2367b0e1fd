"""An archive's documents and one review store -> one review queue across every document.

Input: the folder ``proofbench archive`` wrote (its ``index.json``, the public
``proofbench-archive/1`` format: each document's id and manifest) and a review store (SQLite
file or PostgreSQL URL). Output: an ``ArchiveQueue`` that filters and pages the review items of
every document at once (most suspect first across the archive), with each item's state.

The store holds every document's items: ``index`` puts each document's review items (those of
``review_items``, serialized whole, anchors included) in the table ``archive_items_v1``, keyed
by the document's id, and records in ``archive_documents_v1`` the collation cache's key of the
inputs they came from, so a document is read again only when its inputs (or proofbench) change.
These two tables are derived data, not history: they are not part of the decision log's
migrations (``review.migrations``), they are created when missing, and a new layout gets a new
table name rather than a migration.

Decisions stay per document, as for a single manifest: a document's decisions are filed under
the scope of its id (``letters/1945-07-31``), so ``proofbench apply MANIFEST --db URL --scope
ID`` applies them, and re-attachment works as it does for one collation: the queue attaches a
document's stored decisions to its current items with ``anchor.attach`` (the Desk's own rule),
from the stored items, without loading the collation. A document's item pages and actions are
the single-document app's (``proofbench.review.app``) over a ``Desk`` of that document.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from proofbench.errors import ManifestError, MissingFileError, ProofbenchError
from proofbench.model import Collation
from proofbench.review.anchor import attach
from proofbench.review.desk import Desk
from proofbench.review.items import Anchor, Item, review_items
from proofbench.review.schema import events as events_table
from proofbench.review.store import FINAL, Event, State, Store, fold

ARCHIVE_SCHEMA = "proofbench-archive/1"
"""The archive index format this module reads (``proofbench.archive``'s ``SCHEMA``)."""

METADATA = MetaData()

documents_table = Table(
    "archive_documents_v1",
    METADATA,
    Column("scope", String(200), primary_key=True),
    Column("manifest", Text, nullable=False),
    Column("key", String(64), nullable=False),
    Column("item_count", Integer, nullable=False),
)
"""One row per document indexed: its id (the scope of its decisions), manifest, inputs key."""

items_table = Table(
    "archive_items_v1",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("scope", String(200), nullable=False, index=True),
    Column("key", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("classes", Text, nullable=False),
    Column("suspect", Text, nullable=False),
    Column("target_suspect", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("start", Integer, nullable=False),
    Column("item", Text, nullable=False),
    Index("archive_items_v1_order", "target_suspect", "confidence", "scope", "start"),
    sqlite_autoincrement=True,
)
"""Every document's review items: the filtered columns, and the whole item as JSON."""


@dataclass(frozen=True, slots=True)
class ArchiveDocument:
    """A document of the archive index that collated: its id, manifest (absolute), tags."""

    id: str
    manifest: str
    title: str
    target: str
    tags: tuple[tuple[str, str], ...]


def read_archive(outdir: str | Path) -> tuple[tuple[ArchiveDocument, ...], tuple[str, ...]]:
    """The documents of the archive index in ``outdir`` (collated ones) and the failed ids.

    Raises MissingFileError when there is no ``index.json``, ManifestError when it is not an
    archive index this proofbench reads.
    """
    path = Path(outdir) / "index.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MissingFileError(
            "no archive index here (run `proofbench archive SOURCES -o FOLDER` first)",
            file=str(path),
        ) from None
    except OSError as exc:
        raise MissingFileError(
            f"cannot read the archive index: {exc.strerror}", file=str(path)
        ) from None
    except ValueError as exc:
        raise ManifestError(f"not valid JSON: {exc}", file=str(path)) from None
    if not isinstance(data, dict) or data.get("schema") != ARCHIVE_SCHEMA:
        raise ManifestError(f"not an archive index ({ARCHIVE_SCHEMA})", file=str(path))
    docs, failed = [], []
    for n, row in enumerate(data.get("rows", []), start=1):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise ManifestError(f"row {n} has no document id", file=str(path))
        if row.get("error") is not None:
            failed.append(row["id"])
            continue
        manifest = (path.parent / str(row.get("manifest", ""))).resolve()
        tags = tuple((str(k), str(v)) for k, v in dict(row.get("tags") or {}).items())
        docs.append(
            ArchiveDocument(
                row["id"], str(manifest), str(row.get("title", "")), str(row.get("target", "")),
                tags,
            )
        )  # fmt: skip
    return tuple(sorted(docs, key=lambda d: d.id)), tuple(sorted(failed))


def item_to_json(item: Item) -> str:
    """An item as the queue stores it (everything but the variant object)."""
    return json.dumps(
        {
            "key": item.key,
            "kind": item.kind,
            "cls": item.cls,
            "classes": list(item.classes),
            "readings": dict(item.readings),
            "target": item.target,
            "start": item.start,
            "end": item.end,
            "suggestion": item.suggestion,
            "confidence": item.confidence,
            "suspect": list(item.suspect),
            "evidence": list(item.evidence),
            "anchor": item.anchor.to_json(),
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def item_from_json(text: str) -> Item:
    """The item ``item_to_json`` wrote (without its variant object)."""
    d = json.loads(text)
    return Item(
        key=d["key"],
        kind=d["kind"],
        cls=d["cls"],
        classes=tuple(d["classes"]),
        readings=dict(d["readings"]),
        target=d["target"],
        start=int(d["start"]),
        end=int(d["end"]),
        suggestion=d["suggestion"],
        confidence=float(d["confidence"]),
        suspect=tuple(d["suspect"]),
        evidence=tuple(d["evidence"]),
        anchor=Anchor.from_json(d["anchor"]),
    )


def _padded(values: Sequence[str]) -> str:
    # " a b ": a LIKE '% a %' matches a whole value, never a part of one
    return " " + " ".join(values) + " "


@dataclass(frozen=True, slots=True)
class ArchiveFilters:
    """Filters of the archive queue; empty strings (and the whole confidence range): none.

    ``document`` an id; ``tag`` ``KEY=VALUE`` of the archive index; ``cls``, ``witness``,
    ``status``, ``reviewer``, ``min_conf``/``max_conf`` as the single-document queue's.
    """

    document: str = ""
    tag: str = ""
    cls: str = ""
    witness: str = ""
    status: str = ""
    reviewer: str = ""
    min_conf: float = 0.0
    max_conf: float = 1.0

    def passes_state(self, state: State) -> bool:
        """Whether an item in ``state`` passes the status and reviewer filters."""
        if self.status and state.status != self.status:
            return False
        return not self.reviewer or self.reviewer in state.reviewers


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """An item of the archive queue: its document, the item, its state."""

    document: ArchiveDocument
    item: Item
    state: State


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """One page of the archive queue and how many items pass the filters in all."""

    entries: list[ArchiveEntry]
    offset: int
    limit: int
    total: int


@dataclass(frozen=True, slots=True)
class ArchiveProgress:
    """The archive's review in counts: items, decided, proposed, deferred, orphaned."""

    documents: int
    total: int
    decided: int
    proposed: int
    deferred: int
    orphans: int

    @property
    def percent(self) -> float:
        """Decided items as a percentage of all (100 for an empty queue)."""
        return 100.0 * self.decided / self.total if self.total else 100.0


OPEN = State()
Collate = Callable[[str], Collation]
"""manifest path -> its collation (the CLI passes the collation cache's)."""


@dataclass(frozen=True, slots=True)
class _Scope:
    """A document's decisions as the log stands: current item key -> state, and orphans."""

    stamp: tuple[int, int]
    states: Mapping[str, State]
    orphans: int


class ArchiveQueue:
    """The review of every document of an archive in one store (see the module docstring)."""

    def __init__(
        self, store: Store, documents: Sequence[ArchiveDocument], collate: Collate
    ) -> None:
        self.store = store
        self.documents = tuple(documents)
        self.by_id = {d.id: d for d in self.documents}
        self._collate = collate
        self._lock = threading.RLock()
        self._desks: dict[str, Desk] = {}
        self._scopes: dict[str, _Scope] = {}
        self.unreadable: dict[str, str] = {}
        """Document id -> why its files no longer read or collate (see ``index``)."""
        METADATA.create_all(store.engine, checkfirst=True)

    # --- the items ------------------------------------------------------------------------
    def _stale_keys(self) -> list[tuple[ArchiveDocument, str]]:
        """The stale documents with their current inputs key (the collation cache's)."""
        from proofbench.cache import inputs_key

        with self.store.engine.connect() as conn:
            rows = conn.execute(select(documents_table.c.scope, documents_table.c.key)).all()
        known = {r.scope: r.key for r in rows}
        out = []
        for d in self.documents:
            try:
                key = inputs_key(d.manifest)
            except ProofbenchError as exc:
                self.unreadable[d.id] = str(exc)
                continue
            if known.get(d.id) != key:
                out.append((d, key))
        return out

    def stale(self) -> list[ArchiveDocument]:
        """The documents whose stored items are missing or were made from other inputs."""
        return [d for d, _ in self._stale_keys()]

    def index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Store the items of every stale document (one transaction each); how many were read.

        A document's collation comes from ``collate`` (the collation cache). A document that no
        longer reads or collates (a file gone since the archive ran) keeps the items stored
        before, if any, and is listed in ``unreadable`` with its one-line error; the others go on.
        """
        todo = self._stale_keys()
        done = 0
        for n, (doc, key) in enumerate(todo, start=1):
            try:
                collation = self._collate(doc.manifest)
            except ProofbenchError as exc:
                self.unreadable[doc.id] = str(exc)
                if progress:
                    progress(n, len(todo))
                continue
            self.unreadable.pop(doc.id, None)
            items = review_items(collation)
            with self._lock, self.store.engine.begin() as conn:
                conn.execute(delete(items_table).where(items_table.c.scope == doc.id))
                conn.execute(delete(documents_table).where(documents_table.c.scope == doc.id))
                if items:
                    conn.execute(insert(items_table), [_item_row(doc.id, i) for i in items])
                conn.execute(
                    insert(documents_table).values(
                        scope=doc.id, manifest=doc.manifest, key=key, item_count=len(items)
                    )
                )
                self._desks.pop(doc.id, None)
                self._scopes.pop(doc.id, None)
            done += 1
            if progress:
                progress(n, len(todo))
        return done

    def items_of(self, doc_id: str) -> list[Item]:
        """The stored items of one document, in text order."""
        q = (
            select(items_table.c.item)
            .where(items_table.c.scope == doc_id)
            .order_by(items_table.c.start, items_table.c.id)
        )
        with self.store.engine.connect() as conn:
            return [item_from_json(r.item) for r in conn.execute(q)]

    # --- the decisions --------------------------------------------------------------------
    def _stamps(self) -> dict[str, tuple[int, int]]:
        """Each document with events -> (events, highest sequence number) of its scope."""
        e = events_table
        q = select(e.c.scope, func.count(), func.max(e.c.seq)).group_by(e.c.scope)
        with self.store.engine.connect() as conn:
            rows = conn.execute(q).all()
        return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows if r[0] in self.by_id}

    def _scope(self, doc_id: str, stamp: tuple[int, int]) -> _Scope:
        """A document's decisions attached to its stored items, as a Desk attaches them."""
        evs: list[Event] = self.store.events(doc_id)
        anchors: dict[str, Anchor] = {}
        by_item: dict[str, list[Event]] = {}
        for e in evs:
            if not e.refused or e.item not in anchors:
                anchors[e.item] = e.anchor
            by_item.setdefault(e.item, []).append(e)
        att = attach(anchors, self.items_of(doc_id))
        states = {current: fold(by_item[stored]) for stored, current in att.attached.items()}
        orphans = sum(
            1
            for stored in att.orphans
            if (s := fold(by_item[stored])).status != "dismissed"
            and (s.status != "open" or s.notes)
        )
        return _Scope(stamp, states, orphans)

    def states(self) -> dict[tuple[str, str], State]:
        """(document id, current item key) -> state, for every item with a decision.

        A document's log is read and attached again only when it changed (its event count or
        highest sequence number), so a page view reads one grouped count of the log.
        """
        with self._lock:
            stamps = self._stamps()
            for doc_id, stamp in stamps.items():
                known = self._scopes.get(doc_id)
                if known is None or known.stamp != stamp:
                    self._scopes[doc_id] = self._scope(doc_id, stamp)
            return {
                (doc_id, key): state
                for doc_id in stamps
                for key, state in self._scopes[doc_id].states.items()
            }

    def progress(self) -> ArchiveProgress:
        """Counts of the whole archive's queue by state."""
        states = self.states()
        with self.store.engine.connect() as conn:
            total = conn.execute(
                select(func.count()).where(items_table.c.scope.in_(list(self.by_id)))
            ).scalar_one()
        count = {"decided": 0, "proposed": 0, "deferred": 0}
        for s in states.values():
            if s.status in FINAL:
                count["decided"] += 1
            elif s.status in count:
                count[s.status] += 1
        with self._lock:
            orphans = sum(self._scopes[d].orphans for d in self._scopes if d in self.by_id)
        return ArchiveProgress(len(self.documents), int(total), orphans=orphans, **count)

    # --- the queue ------------------------------------------------------------------------
    def _scopes_for(self, f: ArchiveFilters) -> list[str]:
        ids = list(self.by_id)
        if f.document:
            ids = [i for i in ids if i == f.document]
        if f.tag:
            key, _, value = f.tag.partition("=")
            ids = [i for i in ids if (key, value) in self.by_id[i].tags]
        return ids

    def page(
        self, f: ArchiveFilters = ArchiveFilters(), offset: int = 0, limit: int = 100
    ) -> ArchivePage:
        """Up to ``limit`` items passing the filters from ``offset`` on, and how many pass.

        Order: the target judged wrong first, then higher confidence, then document and place
        (the single-document queue's order, across documents).
        """
        offset, limit = max(0, offset), max(0, limit)
        t = items_table
        where: list[ColumnElement[bool]] = [t.c.scope.in_(self._scopes_for(f))]
        if f.cls:
            where.append(t.c.classes.contains(_padded([f.cls]), autoescape=True))
        if f.witness:
            where.append(t.c.suspect.contains(_padded([f.witness]), autoescape=True))
        if f.min_conf > 0.0:
            where.append(t.c.confidence >= f.min_conf)
        if f.max_conf < 1.0:
            where.append(t.c.confidence <= f.max_conf)
        order = (t.c.target_suspect.desc(), t.c.confidence.desc(), t.c.scope, t.c.start, t.c.key)
        states = self.states()
        rows: Sequence[Any]
        with self.store.engine.connect() as conn:
            if not f.status and not f.reviewer:
                total = conn.execute(select(func.count()).where(*where)).scalar_one()
                q = select(t.c.scope, t.c.item).where(*where).order_by(*order)
                rows = conn.execute(q.offset(offset).limit(limit)).all()
            else:
                light = conn.execute(
                    select(t.c.id, t.c.scope, t.c.key).where(*where).order_by(*order)
                )
                chosen = [r.id for r in light if f.passes_state(states.get((r.scope, r.key), OPEN))]
                total = len(chosen)
                wanted = chosen[offset : offset + limit]
                found = (
                    {
                        r.id: r
                        for r in conn.execute(
                            select(t.c.id, t.c.scope, t.c.item).where(t.c.id.in_(wanted))
                        )
                    }
                    if wanted
                    else {}
                )
                rows = [found[i] for i in wanted]
        entries = []
        for r in rows:
            item = item_from_json(r.item)
            state = states.get((r.scope, item.key), OPEN)
            entries.append(ArchiveEntry(self.by_id[r.scope], item, state))
        return ArchivePage(entries, offset, limit, int(total))

    def counts(self) -> dict[str, int]:
        """Document id -> its items in the store."""
        q = select(documents_table.c.scope, documents_table.c.item_count)
        with self.store.engine.connect() as conn:
            return {r.scope: int(r.item_count) for r in conn.execute(q) if r.scope in self.by_id}

    # --- one document ---------------------------------------------------------------------
    def desk(self, doc_id: str) -> Desk:
        """The Desk of one document (its collation loaded once), filed under its id.

        Raises KeyError for an id that is not a collated document of the archive.
        """
        doc = self.by_id[doc_id]
        with self._lock:
            desk = self._desks.get(doc_id)
            if desk is None:
                desk = Desk(self._collate(doc.manifest), self.store, scope=doc.id)
                self._desks[doc_id] = desk
            return desk


def _item_row(scope: str, item: Item) -> dict[str, Any]:
    return {
        "scope": scope,
        "key": item.key,
        "kind": item.kind,
        "classes": _padded(item.classes),
        "suspect": _padded(item.suspect),
        "target_suspect": item.target in item.suspect,
        "confidence": item.confidence,
        "start": item.start,
        "item": item_to_json(item),
    }
