"""The review store: accounts and an append-only log of decisions, in SQLite or PostgreSQL.

Input: a database (a file path, or an SQLAlchemy/PostgreSQL URL) and actions taken by users.
Output: users, ``Event``s and each item's current ``State``, folded from its events.

Events are only ever inserted. Every state-changing action carries ``based_on``, the sequence
number of the item's latest state-changing event the user saw (0 for none); if another action
came in between, the action is refused (``StaleDecisionError``) and the refused attempt is
appended to the log too. The check and the insert run in one transaction, and a unique
constraint on the predecessor (``chain``) makes the database refuse a racing second insert.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import json
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from werkzeug.security import check_password_hash, generate_password_hash

from proofbench.errors import PermissionDeniedError, StaleDecisionError, StoreError
from proofbench.review import migrations
from proofbench.review.group import GroupCommit
from proofbench.review.hot import Hot, HotInsert, Returned
from proofbench.review.items import Anchor
from proofbench.review.keys import signing_key
from proofbench.review.schema import events, login_failures, sessions, users

ROLES = ("proofreader", "editor", "admin")
"""proofreader proposes; editor decides (accept, reject, overrule); admin also manages accounts."""

ACTIONS = ("propose", "accept", "reject", "defer", "note", "dismiss")
PERMITTED: dict[str, frozenset[str]] = {
    "proofreader": frozenset({"propose", "defer", "note"}),
    "editor": frozenset({"propose", "accept", "reject", "defer", "note", "dismiss"}),
    "admin": frozenset({"propose", "accept", "reject", "defer", "note", "dismiss"}),
}
"""Which role may take which action; checked here, on the server, whatever the client sends."""

STATUSES = ("open", "proposed", "accepted", "rejected", "deferred", "dismissed")
FINAL = ("accepted", "rejected", "dismissed")
"""Statuses that close an item."""
DECIDES = frozenset({"accept", "reject", "dismiss"})
"""Actions that decide; only a role allowed them may change an item once it is decided."""

_STATUS = {
    "propose": "proposed",
    "accept": "accepted",
    "reject": "rejected",
    "defer": "deferred",
    "dismiss": "dismissed",
}


@functools.cache
def _dummy_hash() -> str:
    """A hash to check a password against when the account does not exist (same work):
    made on first use, not at import (scrypt takes a noticeable moment)."""
    return generate_password_hash("proofbench-no-such-user")


MAX_NOTE = 4000
"""Characters in a note: a paragraph of reasons, not a document (a policy, not a measurement:
it keeps a history page of many notes readable and bounded)."""
MAX_READING = 1000
"""Characters in a reading: more than a few lines of the text is a rewrite, not a correction."""


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Unicode's Cc category (U+0000-001F, U+007F-009F) but tab and line ends."""


def refuse_controls(what: str, value: str) -> None:
    """Raise StoreError when ``value`` holds NUL or another control character.

    Tab and line ends are allowed; everything else in Unicode's Cc category is refused on every
    backend (PostgreSQL cannot store NUL in text at all, SQLite would keep it silently).
    """
    found = _CONTROL.search(value)
    if found is not None:
        raise StoreError(
            f"{what} holds the control character U+{ord(found.group()):04X} at character "
            f"{found.start() + 1}: remove it and try again"
        )


def _bounded(what: str, value: str | None, limit: int) -> None:
    if value is None:
        return
    refuse_controls(what, value)
    if len(value) > limit:
        raise StoreError(f"{what} is {len(value)} characters long; at most {limit} are kept")


@dataclass(frozen=True, slots=True)
class User:
    """A reviewer account (the password hash never leaves the store)."""

    name: str
    role: str
    created_at: str
    created_by: str

    def may(self, action: str) -> bool:
        """Whether this user's role allows ``action``."""
        return action in PERMITTED.get(self.role, frozenset())


@dataclass(frozen=True, slots=True)
class State:
    """An item's decision as the log stands: status, the reading chosen, by whom, when."""

    status: str = "open"
    reading: str | None = None
    choice: str | None = None
    by: str | None = None
    at: str | None = None
    seq: int = 0
    """The sequence number of the latest state-changing event: what the next action is based on."""
    notes: int = 0
    reviewers: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """The parts recorded as an event's ``state_before``."""
        return {"status": self.status, "reading": self.reading, "by": self.by, "seq": self.seq}


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log: an action taken, or an attempt refused."""

    seq: int
    scope: str
    item: str
    variant_id: str
    action: str
    choice: str | None
    reading: str | None
    note: str | None
    user: str
    role: str
    at: str
    based_on: int
    state_before: dict[str, Any]
    anchor: Anchor
    refused: bool
    message: str | None

    @property
    def changes_state(self) -> bool:
        """True for an applied action other than a note."""
        return not self.refused and self.action != "note"

    @property
    def overrules(self) -> str | None:
        """Whose decision or proposal this accept or reject overturns, or None.

        None where it agrees with what stood: a reject after a proposal to keep the target's
        reading, an accept of the reading already proposed or accepted.
        """
        if self.refused or self.action not in ("accept", "reject"):
            return None
        status, by = self.state_before.get("status"), self.state_before.get("by")
        if status not in ("proposed", "accepted", "rejected") or not by:
            return None
        kept = self.anchor.reading
        mine = self.reading if self.action == "accept" else kept
        before = self.state_before.get("reading")
        theirs = kept if status == "rejected" or before is None else before
        return None if mine == theirs else str(by)


class Step(NamedTuple):
    """What folding needs of an event, without its audit detail decoded (``Store.steps``);
    ``anchor`` is the anchor's JSON."""

    seq: int
    item: str
    action: str
    reading: str | None
    choice: str | None
    user: str
    at: str
    refused: bool
    anchor: str


def advance(state: State, e: Event | Step) -> State:
    """The state after one more event of the item (a refused attempt changes nothing)."""
    if e.refused:
        return state
    who = tuple(dict.fromkeys((*state.reviewers, e.user)))
    if e.action == "note":
        return replace(state, notes=state.notes + 1, reviewers=who)
    reading = e.reading
    if e.action == "defer":
        reading = state.reading
    elif e.action in ("reject", "dismiss"):
        reading = None
    return State(
        status=_STATUS[e.action],
        reading=reading,
        choice=e.choice if e.action != "defer" else state.choice,
        by=e.user,
        at=e.at,
        seq=e.seq,
        notes=state.notes,
        reviewers=who,
    )


def fold(evs: Sequence[Event]) -> State:
    """The state an item's events (in order) lead to."""
    state = State()
    for e in evs:
        state = advance(state, e)
    return state


def database_url(db: str) -> str:
    """An SQLAlchemy URL for ``db``: a URL as given (``postgresql://`` -> psycopg 3), or a file."""
    if "://" in db:
        if db.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + db.split("://", 1)[1]
        return db
    return "sqlite:///" + str(Path(db).resolve())


def default_db(manifest: str | Path) -> Path:
    """The store beside a manifest: ``<dir>/<manifest stem>.review.db``."""
    p = Path(manifest)
    return p.with_name(p.stem + ".review.db")


def scope_of(manifest_path: str) -> str:
    """The name a manifest's decisions are filed under in a store (its file's stem)."""
    return Path(manifest_path).stem


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _private_file(url: str) -> None:
    """Create the SQLite file (and its journal files) readable by its owner alone."""
    path = url.split(":///", 1)[1]
    if path in ("", ":memory:"):
        return
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        for p in (path, path + "-wal", path + "-shm"):
            if os.path.exists(p):
                os.chmod(p, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot open the review store {path}: {exc.strerror}") from exc


READ_ONLY = "proofbench_read_only"
"""The execution option of ``Store.reader``: its transactions only read."""


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged decision is on disk, even after a power cut or an OS crash.
        # NORMAL (sync only at checkpoints) measured 51-52 decisions/s against 24-43/s with 8
        # clients (RESULTS.md, review, fourth session), but may lose the last acknowledged
        # decisions to a power cut: an editor's decision is the data this store keeps.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the lock at once, so a check and its insert are never interleaved;
        # readers (``Store.reader``) read a snapshot of the WAL and never wait for a writer.
        read = conn.get_execution_options().get(READ_ONLY, False)
        # On the driver's connection: SQLAlchemy's execution of it cost more than the BEGIN.
        conn.connection.dbapi_connection.execute("BEGIN" if read else "BEGIN IMMEDIATE")  # type: ignore[union-attr]

    return engine


class Store:
    """A review store, migrated to the newest schema on opening."""

    def __init__(self, db: str | Path) -> None:
        url = database_url(str(db))
        self.url = url
        if url.startswith("sqlite"):
            _private_file(url)
        try:
            self.reader: Engine
            """The engine for reading only: on SQLite its transactions take no write lock,
            so a page view never queues behind a decision being written; on PostgreSQL its
            own pool of connections in autocommit, so a request's reads send no BEGIN before
            them and no ROLLBACK when the connection goes back to the pool (two round trips
            a request; each statement reads the newest committed log, as READ COMMITTED did)."""
            if url.startswith("sqlite"):
                self.engine = _sqlite_engine(url)
                self.reader = self.engine.execution_options(**{READ_ONLY: True})
            else:
                # No ping on every checkout (a round trip per request): a connection the
                # server dropped is found by the read or write that meets it (_hot_rows,
                # group.py), which is made again once on a new connection.
                self.engine = create_engine(url)
                self.reader = create_engine(url, isolation_level="AUTOCOMMIT")
            dialect = self.engine.dialect
            self._session_user = Hot(_SESSION_USER, dialect)
            self._events_after = Hot(_EVENTS_AFTER, dialect)
            self._item_latest = Hot(ITEM_LATEST, dialect)
            self._analyze_rule: tuple[float, float] | None = None
            self._held = threading.local()  # this thread's connection for hot reads, if any
            self._group = GroupCommit(
                self.engine.begin if url.startswith("sqlite") else self._pipelined, lock_scope
            )
            """Decisions of this process's request threads, several to a commit."""
            self._writers: contextlib.AbstractContextManager[Any] = (
                self._group.turn if url.startswith("sqlite") else contextlib.nullcontext()
            )
            self.version = migrations.upgrade(self.engine)
        except StoreError:
            self._dispose()
            raise
        except SQLAlchemyError as exc:
            if hasattr(self, "engine"):
                self._dispose()
            why = " ".join(str(getattr(exc, "orig", None) or exc).split())  # one line
            raise StoreError(f"cannot open the review store {self.display}: {why}") from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction. On SQLite this process's writers first queue on one lock:
        SQLite's own busy handler polls with sleeps of up to 100 ms, which under 8 writers
        cost far more than the writes themselves (a commit takes well under a millisecond)."""
        with self._writers, self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _pipelined(self) -> Iterator[Connection]:
        """A write transaction on PostgreSQL whose statements psycopg sends in a pipeline
        (``Connection.pipeline()``): a statement whose answer is not needed yet is queued
        and travels with the next one whose answer is. A decision alone then makes two round
        trips instead of five: BEGIN, the scope's lock and the item's state read together,
        then its insert with the COMMIT (the insert's returned number is read after it).
        The COMMIT still waits for the server's flush to disk (``synchronous_commit``)."""
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            with raw.pipeline(), conn.begin():
                yield conn

    @property
    def display(self) -> str:
        """The store's URL without a password."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        """Release the database connections. The store stays usable: a later read or write
        opens new ones (``workers.py`` relies on it before a fork)."""
        self._dispose()

    def _dispose(self) -> None:
        reader = getattr(self, "reader", None)
        if reader is not None and reader.pool is not self.engine.pool:  # PostgreSQL's own
            reader.dispose()
        self.engine.dispose()

    def secret_key(self) -> str:
        """The key signing session cookies: kept in a private file outside the store
        (``review.keys``), made on first use, the same across restarts."""
        return signing_key(self.url)

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """One pooled connection for this thread's per-request reads (``review/hot.py``) until
        the block ends, instead of one checkout per read (a web request makes two or three).
        Nested blocks share the outer one."""
        if getattr(self._held, "conn", None) is not None:
            yield
            return
        self._held.conn = self.reader.raw_connection()  # the pool's connection alone
        try:
            yield
        finally:
            conn, self._held.conn = self._held.conn, None
            conn.close()  # back to the pool

    def _hot_rows(self, hot: Hot, params: dict[str, Any]) -> Sequence[Any]:
        """The rows of a hot read on this thread's held connection. A connection the database
        dropped (a server restart) is discarded and the read made once more on a new one: the
        pool does not ping a connection on every checkout (a round trip per request, 4.5 % of
        the server's time on PostgreSQL, sixth session), so a dead one is found here."""
        with self.holding():  # the request's connection, or one for this read alone
            try:
                return hot.rows(self._held.conn, params)
            except self.engine.dialect.loaded_dbapi.Error as exc:
                dead = self._held.conn
                if not self.engine.dialect.is_disconnect(exc, dead.dbapi_connection, None):
                    raise
                dead.invalidate(exc)  # closed, and replaced by the pool on the next checkout
                dead.close()
                self._held.conn = self.reader.raw_connection()
                return hot.rows(self._held.conn, params)

    # --- planner statistics ---------------------------------------------------------------
    def stale_after(self, rows: float) -> float | None:
        """How many events may be added to a log of ``rows`` before the planner's statistics
        of it are stale by PostgreSQL's own rule (``autovacuum_analyze_threshold`` +
        ``autovacuum_analyze_scale_factor`` x rows, the server's settings); None on SQLite,
        whose planner keeps no statistics unless asked."""
        if self.engine.dialect.name != "postgresql":
            return None
        if self._analyze_rule is None:
            q = (
                "SELECT current_setting('autovacuum_analyze_threshold')::float8, "
                "current_setting('autovacuum_analyze_scale_factor')::float8"
            )
            with self.reader.connect() as conn:
                base, share = conn.exec_driver_sql(q).one()
            self._analyze_rule = (float(base), float(share))
        base, share = self._analyze_rule
        return base + share * max(0.0, rows)

    def analyzed_rows(self) -> float:
        """The number of events the planner's statistics were last made from (0 if never;
        PostgreSQL's ``pg_class.reltuples``, 0 on SQLite)."""
        if self.engine.dialect.name != "postgresql":
            return 0.0
        q = "SELECT reltuples FROM pg_class WHERE oid = 'events'::regclass"
        with self.reader.connect() as conn:
            return max(0.0, float(conn.exec_driver_sql(q).scalar() or 0.0))

    def analyze(self) -> None:
        """Make the planner's statistics of the log anew now (PostgreSQL's ``ANALYZE``;
        nothing on SQLite). Autovacuum would do it within its naptime (a minute by default);
        until then a plan made from the statistics of a far smaller log can sort an item's
        whole history for its newest 100 events (180 ms against 0.4 ms measured at 40,000
        events on one item)."""
        if self.engine.dialect.name != "postgresql":
            return
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE events")

    # --- failed logins ------------------------------------------------------------------------
    def failures(self, keys: Sequence[str]) -> dict[str, tuple[int, float]]:
        """The failed-login counts and last times recorded under ``keys``."""
        q = select(login_failures).where(login_failures.c.key.in_(list(keys)))
        with self.reader.connect() as conn:  # ("count" is also a method of a row: by name)
            rows = conn.execute(q).mappings().all()
        return {str(r["key"]): (int(r["count"]), float(r["last"])) for r in rows}

    def count_failure(self, keys: Sequence[str], now: float, forget_before: float) -> None:
        """One more failed login under each key (a count whose last failure came before
        ``forget_before`` starts again at one); rows older than that are dropped, so the
        table holds only the failures that still count."""
        for attempt in range(2):  # a racing first insert on PostgreSQL: count again
            try:
                with self._write() as conn:
                    conn.execute(
                        delete(login_failures).where(login_failures.c.last < forget_before)
                    )
                    for key in keys:
                        row = (
                            conn.execute(select(login_failures).where(login_failures.c.key == key))
                            .mappings()
                            .first()
                        )
                        if row is None:
                            conn.execute(insert(login_failures).values(key=key, count=1, last=now))
                        else:
                            conn.execute(
                                update(login_failures)
                                .where(login_failures.c.key == key)
                                .values(count=int(row["count"]) + 1, last=now)
                            )
                return
            except IntegrityError:
                if attempt:
                    raise

    def forget_failures(self, keys: Sequence[str]) -> None:
        """Forget the failed logins under ``keys`` (after a successful one)."""
        with self._write() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key.in_(list(keys))))

    # --- sessions -------------------------------------------------------------------------
    def open_session(self, user: User) -> str:
        """A new login session of ``user``: the random token for the cookie (only its digest
        is stored, so reading the store gives no one a way in)."""
        token = secrets.token_urlsafe(32)
        with self._write() as conn:
            conn.execute(
                insert(sessions).values(
                    digest=_digest(token), user_name=user.name, created_at=_now(), revoked=False
                )
            )
        return token

    def session_user(self, token: str) -> User | None:
        """The account of a live session, or None (unknown, revoked, or its user gone)."""
        if not token or len(token) > 200:
            return None
        rows = self._hot_rows(self._session_user, {"digest": _digest(token)})
        row = rows[0] if rows else None
        return User(row.name, row.role, row.created_at, row.created_by) if row else None

    def end_session(self, token: str) -> None:
        """Revoke one session (logout): its cookie never works again."""
        with self._write() as conn:
            conn.execute(
                update(sessions).where(sessions.c.digest == _digest(token)).values(revoked=True)
            )

    def end_sessions_of(self, name: str) -> int:
        """Revoke every session of a user (account disabled, password changed); how many."""
        with self._write() as conn:
            done = conn.execute(
                update(sessions)
                .where(sessions.c.user_name == name, sessions.c.revoked.is_(False))
                .values(revoked=True)
            )
        return int(done.rowcount or 0)

    # --- accounts -------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str, by: str = "cli") -> User:
        """Create an account; raises StoreError for a bad role, empty password or a taken name."""
        name = name.strip()
        refuse_controls("the user name", name)
        refuse_controls("the password", password)
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
        if not name or len(name) > 100 or any(c.isspace() for c in name):
            raise StoreError(f"bad user name {name!r}: 1-100 characters, no spaces")
        if len(password) < 8:
            raise StoreError("the password must have at least 8 characters")
        user = User(name, role, _now(), by)
        try:
            with self._write() as conn:
                conn.execute(
                    insert(users).values(
                        name=name,
                        role=role,
                        password_hash=generate_password_hash(password),
                        created_at=user.created_at,
                        created_by=by,
                    )
                )
        except IntegrityError as exc:
            raise StoreError(f"a user named {name!r} exists already") from exc
        return user

    def user(self, name: str) -> User | None:
        """The account of that name, or None."""
        with self.reader.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return User(row.name, row.role, row.created_at, row.created_by) if row else None

    def users(self) -> list[User]:
        """Every account, by name."""
        with self.reader.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
        return [User(r.name, r.role, r.created_at, r.created_by) for r in rows]

    def authenticate(self, name: str, password: str) -> User | None:
        """The account if the password is right, else None (same work either way)."""
        if any(unicodedata.category(c) == "Cc" for c in name) or len(name) > 100:
            check_password_hash(_dummy_hash(), password)
            return None  # no such account can exist; the database never sees the name
        with self.reader.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            check_password_hash(_dummy_hash(), password)
            return None
        if not check_password_hash(row.password_hash, password):
            return None
        return User(row.name, row.role, row.created_at, row.created_by)

    # --- the log --------------------------------------------------------------------------
    def events(self, scope: str, item: str | None = None, after: int = 0) -> list[Event]:
        """The log of a scope (or of one item), oldest first, refused attempts included;
        only the events numbered above ``after`` when it is given."""
        if item is None:  # the desk's look for what is new, on every page: built once
            rows = self._hot_rows(self._events_after, {"scope": scope, "after": after})
            return [_event(r) for r in rows]
        q = select(events).where(events.c.scope == scope)
        if item is not None:
            q = q.where(events.c.item == item)
        if after:
            q = q.where(events.c.seq > after)
        with self.reader.connect() as conn:
            rows = conn.execute(q.order_by(events.c.seq)).all()
        return [_event(r) for r in rows]

    def steps(self, scope: str) -> list[Step]:
        """The log of a scope as ``Step``s, oldest first: what a fold needs, read in one query
        with nothing decoded."""
        with self.reader.connect() as conn:
            rows = conn.execute(_STEPS, {"scope": scope}).all()
        return [Step(*r) for r in rows]  # the columns of _STEPS are Step's fields, in order

    def latest(
        self,
        scope: str,
        item: str | None = None,
        limit: int = 100,
        before: int = 0,
        counted: bool = True,
    ) -> tuple[list[Event], int]:
        """The newest ``limit`` events of a scope (or one item), newest first, only those
        numbered below ``before`` when it is given; and how many events there are in all
        (-1 when not ``counted``: a caller that keeps count, as a desk does, saves the
        count's walk of the index). A page costs the same with 40,000 events as with 40."""
        if item is not None and not before and not counted:  # an item page: built once
            params = {"scope": scope, "item": item, "limit": max(0, limit)}
            rows = self._hot_rows(self._item_latest, params)
            return [_event(r) for r in rows], -1
        q = select(events).where(events.c.scope == scope)
        n = select(func.count()).select_from(events).where(events.c.scope == scope)
        if item is not None:
            q = q.where(events.c.item == item)
            n = n.where(events.c.item == item)
        if before:
            q = q.where(events.c.seq < before)
        with self.reader.connect() as conn:
            rows = conn.execute(q.order_by(events.c.seq.desc()).limit(max(0, limit))).all()
            total = int(conn.execute(n).scalar() or 0) if counted else -1
        return [_event(r) for r in rows], total

    def states(self, scope: str) -> dict[str, State]:
        """Every item with events in the scope -> its current state."""
        by_item: dict[str, list[Event]] = {}
        for e in self.events(scope):
            by_item.setdefault(e.item, []).append(e)
        return {k: fold(v) for k, v in by_item.items()}

    def anchors(self, scope: str) -> dict[str, Anchor]:
        """Every item with events -> the anchor of its latest applied event."""
        out: dict[str, Anchor] = {}
        for e in self.events(scope):
            if not e.refused or e.item not in out:
                out[e.item] = e.anchor
        return out

    def stamp(self, scope: str) -> tuple[int, int]:
        """The number of events in the scope and the highest sequence number: changes whenever
        the log does (the count catches an event committed late with a lower number)."""
        q = select(func.count(), func.max(events.c.seq)).where(events.c.scope == scope)
        with self.reader.connect() as conn:
            n, top = conn.execute(q).one()
        return int(n or 0), int(top or 0)

    def head(self, scope: str, item: str) -> int:
        """The item's latest state-changing sequence number (0 if none)."""
        with self.reader.connect() as conn:
            return _head(conn, scope, item)

    def act(
        self,
        scope: str,
        item: str,
        action: str,
        user: User,
        based_on: int,
        anchor: Anchor,
        reading: str | None = None,
        choice: str | None = None,
        note: str | None = None,
    ) -> Event:
        """Append ``user``'s action on ``item``, if the role allows it and the state is unchanged.

        Raises PermissionDeniedError (the role may not), StaleDecisionError (another action came
        after ``based_on``; the attempt is logged as refused), StoreError for a malformed action.
        """
        row = _row(scope, Planned(item, anchor, based_on, reading, choice), action, user, note)
        if not user.may(action):
            msg = f"a {user.role} may not {action}"
            self._refuse(row, msg)
            raise PermissionDeniedError(msg)
        try:  # committed with whatever other threads' decisions queued meanwhile (group.py)
            seq, refusal = self._group.run(
                scope, functools.partial(_decide, row=row, user=user, based_on=based_on)
            )
        except IntegrityError:  # another process's event took the place (no scope lock there)
            msg = _stale_message(State(seq=self.head(scope, item)), based_on)
            self._refuse(row, msg)
            raise StaleDecisionError(msg) from None
        if refusal is not None:
            raise refusal
        return _event_from(int(seq.value()), row)

    def act_many(
        self, scope: str, action: str, user: User, plan: Sequence[Planned], note: str | None
    ) -> tuple[list[Event], list[tuple[str, str]]]:
        """Take one action on many items in one transaction: (events appended, refused).

        Each item gets its own event with the same audit detail as ``act`` (its state before,
        what it was based on, its anchor, the note); an item whose state moved past its
        ``based_on``, or that the role may not change, is refused and its refused attempt is
        logged in the same transaction, as ``act`` logs it. Either every event of the batch
        is stored or none is (a crash leaves no half batch). Raises PermissionDeniedError
        when the role may not take the action at all, StoreError for a malformed one.
        """
        rows = [_row(scope, p, action, user, note) for p in plan]
        if not user.may(action):
            raise PermissionDeniedError(f"a {user.role} may not {action}")
        if len({r["item"] for r in rows}) == len(rows):
            try:
                return self._act_batched(scope, action, user, rows)
            except IntegrityError:
                pass  # another writer raced one of the items: take them one by one, below
        return self._act_one_by_one(scope, action, user, rows)

    def _act_batched(
        self, scope: str, action: str, user: User, rows: list[dict[str, Any]]
    ) -> tuple[list[Event], list[tuple[str, str]]]:
        """``act_many`` in a few statements: the items' logs read together, every event
        inserted by one statement (the per-statement cost, not the database, is what a batch
        of thousands spends its time on). Raises IntegrityError when another writer's event
        took an item's place meanwhile (PostgreSQL); nothing is stored then."""
        done: list[Event] = []
        refused: list[tuple[str, str]] = []
        with self._write() as conn:
            lock_scope(conn, scope)
            logs: dict[str, list[Event]] = {}
            keys = [r["item"] for r in rows]
            for n in range(0, len(keys), 500):
                q = select(events).where(
                    events.c.scope == scope,
                    events.c.item.in_(keys[n : n + 500]),
                    events.c.chain.is_not(None),  # what the check needs (see _item_state)
                )
                for r in conn.execute(q.order_by(events.c.seq)).all():
                    logs.setdefault(r.item, []).append(_event(r))
            for row in rows:
                before = fold(logs.get(row["item"], []))
                try:
                    _check(before, action, user, row["based_on"])
                    _fill(row, before)
                except (_Stale, _Denied) as exc:
                    _fill(row, before, refused=str(exc))
                    refused.append((row["item"], str(exc)))
            if rows:
                seqs = _insert_many(conn, rows)
                for seq, row in zip(seqs, rows, strict=True):
                    if not row["refused"]:
                        done.append(_event_from(int(seq), row))
        return done, refused

    def _act_one_by_one(
        self, scope: str, action: str, user: User, rows: list[dict[str, Any]]
    ) -> tuple[list[Event], list[tuple[str, str]]]:
        done: list[Event] = []
        refused: list[tuple[str, str]] = []
        with self._write() as conn:
            lock_scope(conn, scope)
            for row in rows:
                before = _item_state(conn, scope, row["item"])
                try:
                    _check(before, action, user, row["based_on"])
                    with conn.begin_nested():  # a racing insert undoes this item alone
                        seq = _insert(conn, row, before)
                    done.append(_event_from(seq, row))
                    continue
                except (_Stale, _Denied) as exc:
                    msg = str(exc)
                except IntegrityError:
                    head = State(seq=_head(conn, scope, row["item"]))
                    msg = _stale_message(head, row["based_on"])
                    before = _item_state(conn, scope, row["item"])
                _insert(conn, row, before, refused=msg)
                refused.append((row["item"], msg))
        return done, refused

    def _refuse(self, row: dict[str, Any], message: str) -> None:
        def work(conn: Connection) -> None:
            _insert(conn, row, _item_state(conn, row["scope"], row["item"]), message)

        self._group.run(row["scope"], work)


# Statements run on every page view, built once (building one costs more than running it).
_SESSION_USER = (
    select(users)
    .join(sessions, sessions.c.user_name == users.c.name)
    .where(sessions.c.digest == bindparam("digest"), sessions.c.revoked.is_(False))
)
_EVENTS_AFTER = (
    select(events)
    .where(events.c.scope == bindparam("scope"), events.c.seq > bindparam("after"))
    .order_by(events.c.seq)
)
_STEPS = (
    select(
        events.c.seq,
        events.c.item,
        events.c.action,
        events.c.reading,
        events.c.choice,
        events.c.user_name,
        events.c.at,
        events.c.refused,
        events.c.anchor,
    )
    .where(events.c.scope == bindparam("scope"))
    .order_by(events.c.seq)
)
_ITEM_STATE = (
    select(events)
    .where(
        events.c.scope == bindparam("scope"),
        events.c.item == bindparam("item"),
        events.c.chain.is_not(None),
    )
    .order_by(events.c.seq)
)

ITEM_LATEST = (
    select(events)
    .where(events.c.scope == bindparam("scope"), events.c.item == bindparam("item"))
    .order_by(events.c.seq.desc())
    .limit(bindparam("limit"))
)
_INSERT_EVENT = insert(events).returning(events.c.seq)  # a decision's event, values as parameters


class _Writes:
    """The statements of a decision's transaction compiled for one dialect (``review/hot.py``):
    the item's state read, and the event's insert per set of columns given."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.item_state = Hot(_ITEM_STATE, dialect)
        self._inserts: dict[frozenset[str], HotInsert] = {}

    def insert(self, row: dict[str, Any]) -> HotInsert:
        cols = frozenset(row)
        got = self._inserts.get(cols)
        if got is None:
            got = self._inserts[cols] = HotInsert(_INSERT_EVENT, self.dialect, cols)
        return got


_WRITES: dict[tuple[str, str, str], _Writes] = {}


def _compiled(dialect: Dialect) -> _Writes:
    """The decision statements for ``dialect`` (compiled once per kind of database)."""
    key = (dialect.name, str(dialect.driver), str(dialect.paramstyle))
    got = _WRITES.get(key)
    if got is None:
        got = _WRITES[key] = _Writes(dialect)
    return got


@dataclass(frozen=True, slots=True)
class Planned:
    """One item's part of an action taken on many (``Store.act_many``)."""

    item: str
    anchor: Anchor
    based_on: int
    reading: str | None = None
    choice: str | None = None


class _Stale(Exception):
    pass


class _Denied(Exception):
    pass


def _row(scope: str, p: Planned, action: str, user: User, note: str | None) -> dict[str, Any]:
    """The event row of an action, checked for form (raises StoreError), not yet for rights."""
    if action not in ACTIONS:
        raise StoreError(f"unknown action {action!r}")
    if action in ("propose", "accept") and p.reading is None:
        raise StoreError(f"{action} needs a reading")
    if action == "note" and not (note or "").strip():
        raise StoreError("a note needs some text")
    _bounded("the reading", p.reading, MAX_READING)
    _bounded("the note", note, MAX_NOTE)
    _bounded("the choice", p.choice, 60)
    return {
        "scope": scope,
        "item": p.item,
        "variant_id": p.anchor.variant_id,
        "action": action,
        "choice": p.choice,
        "reading": p.reading,
        "note": note,
        "user_name": user.name,
        "role": user.role,
        "based_on": p.based_on,
        "anchor": p.anchor.to_json(),
    }


def note_row(scope: str, item: str, anchor: Anchor, user: User, note: str) -> dict[str, Any]:
    """The event row of ``user``'s note on an item, complete as ``Store.act`` inserts one (its
    state before left as an undecided item's): for writing many notes in one statement, as
    the benchmarks and tests do to give an item a long history. Raises StoreError for a note
    ``act`` would refuse."""
    row = _row(scope, Planned(item, anchor, 0), "note", user, note)
    _fill(row, State())
    return row


def _decide(
    conn: Connection, row: dict[str, Any], user: User, based_on: int
) -> tuple[Returned | None, StoreError | None]:
    """One action's check and event in an open write transaction holding the scope's lock:
    (its sequence number, to read once committed; None), or (None, the error to raise) with
    the refused attempt logged in the same transaction.

    A connection the database dropped shows here (on PostgreSQL the transaction's first
    statements travel with the state read) and is reported as SQLAlchemy reports it, so the
    group commit makes the batch again on a new connection: nothing of it was committed."""
    try:
        before = _item_state(conn, row["scope"], row["item"])
        try:
            _check(before, row["action"], user, based_on)
        except _Stale as exc:
            _insert(conn, row, before, refused=str(exc))
            return None, StaleDecisionError(str(exc))
        except _Denied as exc:
            _insert(conn, row, before, refused=str(exc))
            return None, PermissionDeniedError(str(exc))
        _fill(row, before)
        raw = conn.connection.dbapi_connection
        return _compiled(conn.dialect).insert(row).send(raw, row), None
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _reported(conn, exc, "a decision's state read") from exc


def _check(before: State, action: str, user: User, based_on: int) -> None:
    """Raise _Stale or _Denied when ``action`` may not follow the item's state ``before``."""
    if action == "note":
        return
    if before.seq != based_on:
        raise _Stale(_stale_message(before, based_on))
    if before.status in ("accepted", "rejected") and not (
        PERMITTED.get(user.role, frozenset()) >= DECIDES
    ):
        raise _Denied(
            f"a {user.role} may not {action} an item an editor has {before.status} "
            f"({before.by}, event #{before.seq}): only an editor changes it"
        )


def _insert(
    conn: Connection, row: dict[str, Any], before: State, refused: str | None = None
) -> int:
    """Insert the event of ``row`` (applied, or refused with a message); its sequence number.

    ``row`` gets the fields filled in here (state before, chain, time), so the caller can make
    the ``Event`` from it.
    """
    _fill(row, before, refused)
    return int(_compiled(conn.dialect).insert(row).one(conn.connection.dbapi_connection, row))


def _insert_many(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert complete event rows; their sequence numbers, in the rows' order.

    On PostgreSQL one prepared statement is sent for every row in a pipeline (psycopg's
    ``executemany``): SQLAlchemy's multi-row VALUES statements spent 8.5 of a 5,000-event
    batch's 15.9 s in psycopg converting their thousands of placeholders. SQLite runs the
    multi-row statements, which cost it little.
    """
    if conn.dialect.name != "postgresql":
        stmt = insert(events).returning(events.c.seq, sort_by_parameter_order=True)
        return [int(s) for s in conn.execute(stmt, rows).scalars().all()]
    cols = list(rows[0])
    sql = (
        f"INSERT INTO events ({', '.join(cols)}) "
        f"VALUES ({', '.join(f'%({c})s' for c in cols)}) RETURNING seq"
    )
    seqs: list[int] = []
    with conn.connection.dbapi_connection.cursor() as cur:  # type: ignore[union-attr]
        cur.executemany(sql, rows, returning=True)
        while True:
            seqs.append(int(cur.fetchone()[0]))
            if not cur.nextset():
                break
    return seqs


def _fill(row: dict[str, Any], before: State, refused: str | None = None) -> None:
    """Complete an event row: the state before, the chain link, refusal and time."""
    row["state_before"] = json.dumps(before.summary(), ensure_ascii=False)
    row["chain"] = None if refused is not None or row["action"] == "note" else row["based_on"]
    row["refused"] = refused is not None
    row["message"] = refused
    row["at"] = _now()


def _stale_message(current: State, based_on: int) -> str:
    who = f" by {current.by} at {current.at}" if current.by else ""
    return (
        f"This item changed since you loaded it (now {current.status}{who}, "
        f"event #{current.seq}; your action was based on #{based_on}). "
        "Nothing was overwritten; reload to see the current decision."
    )


def _head(conn: Connection, scope: str, item: str) -> int:
    q = select(func.max(events.c.seq)).where(
        events.c.scope == scope, events.c.item == item, events.c.chain.is_not(None)
    )
    return int(conn.execute(q).scalar() or 0)


def _item_state(conn: Connection, scope: str, item: str) -> State:
    """The item's state as far as an action's check and audit need it (status, reading, by,
    sequence number), folded from its applied state-changing events alone: notes and refused
    attempts change neither, so this costs the same with 40,000 notes on the item as with none
    (the ``notes`` count and ``reviewers`` of the result are left out)."""
    rows = _compiled(conn.dialect).item_state.rows(
        conn.connection.dbapi_connection, {"scope": scope, "item": item}
    )
    return fold([_event(r) for r in rows])


def lock_scope(conn: Connection, scope: str) -> None:
    """Make the transaction the scope's only writer until it ends (PostgreSQL; SQLite's
    ``BEGIN IMMEDIATE`` already is). A scope's sequence numbers are then drawn and committed in
    the same order, so a reader that has seen the events up to number n has seen every event
    of the scope up to n: ``events(scope, after=n)`` is all that is new (``Desk`` relies on it)."""
    if conn.dialect.name != "postgresql":
        return
    # On the driver's cursor (SQLAlchemy's execution of it was 6.7 % of a decision's server
    # time, py-spy); a dropped connection is still reported as SQLAlchemy reports it, so the
    # group commit can run the batch again on a new one.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    try:
        cur.execute(_LOCK_SCOPE, (scope,))
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _reported(conn, exc, _LOCK_SCOPE, (scope,)) from exc
    finally:
        cur.close()


_LOCK_SCOPE = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"


def _reported(conn: Connection, exc: Any, sql: str, params: Any = None) -> DBAPIError:
    """A driver's error on ``conn``'s cursor as SQLAlchemy reports one: a dropped connection
    is invalidated and said to be (``connection_invalidated``), so the group commit runs
    the batch again on a new one."""
    if isinstance(exc, conn.dialect.loaded_dbapi.IntegrityError):
        return IntegrityError(sql, params, exc)
    raw = conn.connection.dbapi_connection
    dropped = bool(conn.dialect.is_disconnect(exc, raw, None))
    if dropped:
        conn.invalidate(exc)
    return DBAPIError(sql, params, exc, connection_invalidated=dropped)


def _event(r: Any) -> Event:
    return Event(
        seq=r.seq,
        scope=r.scope,
        item=r.item,
        variant_id=r.variant_id,
        action=r.action,
        choice=r.choice,
        reading=r.reading,
        note=r.note,
        user=r.user_name,
        role=r.role,
        at=r.at,
        based_on=r.based_on,
        state_before=json.loads(r.state_before),
        anchor=Anchor.from_json(r.anchor),
        refused=bool(r.refused),
        message=r.message,
    )


def _event_from(seq: int, row: dict[str, Any]) -> Event:
    return Event(
        seq=seq,
        scope=row["scope"],
        item=row["item"],
        variant_id=row["variant_id"],
        action=row["action"],
        choice=row["choice"],
        reading=row["reading"],
        note=row["note"],
        user=row["user_name"],
        role=row["role"],
        at=row["at"],
        based_on=row["based_on"],
        state_before=json.loads(row["state_before"]),
        anchor=Anchor.from_json(row["anchor"]),
        refused=False,
        message=None,
    )


def iter_rows(evs: Sequence[Event]) -> Iterator[dict[str, Any]]:
    """The log as flat dicts (for export)."""
    for e in evs:
        yield {
            "seq": e.seq,
            "item": e.item,
            "variant_id": e.variant_id,
            "action": e.action,
            "choice": e.choice,
            "reading": e.reading,
            "note": e.note,
            "user": e.user,
            "role": e.role,
            "at": e.at,
            "based_on": e.based_on,
            "state_before": e.state_before,
            "target": e.anchor.target,
            "target_reading": e.anchor.reading,
            "context": [e.anchor.before, e.anchor.after],
            "offsets": [e.anchor.start, e.anchor.end],
            "hash": e.anchor.hash,
            "refused": e.refused,
            "message": e.message,
        }
