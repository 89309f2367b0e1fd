"""Group commit: the decisions of several request threads written by one transaction, one fsync.

Input: units of work (a function of an open write transaction's connection) handed in by the
threads of one process. Output: each unit's result (or its exception), returned to its thread
only after the transaction holding it has committed, so an acknowledged decision is on disk
(SQLite ``synchronous=FULL``, PostgreSQL ``synchronous_commit`` on) exactly as when every
decision had its own transaction.

Why: a durable commit waits for the disk (an fsync, 4-8 ms measured on this machine) while the
writer holds the store's write lock, so one transaction per decision caps the store at one
decision per fsync however many reviewers there are. Here the first thread to find the writer's
turn free takes every unit queued so far (its own and those of the threads that arrived while
the last commit was on disk), runs them in order in one transaction and commits once; the others
find their unit done when they get the turn. Nothing waits on a timer: a lone writer commits at
once, and a batch is as large as the traffic that queued behind the previous commit.

A unit that raises is not half-kept: the whole transaction is rolled back and every unit of the
batch is run again in a transaction of its own, so one failure is that unit's alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError


@dataclass(slots=True)
class _Unit:
    scope: str
    work: Callable[[Connection], Any]
    result: Any = None
    error: BaseException | None = None
    done: bool = False


class _Dropped(Exception):
    """The database dropped the transaction's connection before its COMMIT was sent."""


class GroupCommit:
    """Write transactions of one process, queued and committed together.

    ``begin`` opens a write transaction (a context manager yielding its connection, committing
    on a clean exit); ``lock`` makes a transaction the only writer of a scope (called once per
    scope of a batch, in sorted order, so two processes never take two scopes crosswise).
    ``turn`` is the lock a writer of this process holds while its transaction is open: other
    writers of the store that do not go through the group take it too.
    """

    def __init__(
        self,
        begin: Callable[[], AbstractContextManager[Connection]],
        lock: Callable[[Connection, str], None],
    ) -> None:
        self._begin = begin
        self._lock = lock
        self.turn = threading.Lock()
        self._queued: list[_Unit] = []
        self._queue_lock = threading.Lock()
        self.batches = 0
        """Transactions committed so far (with ``units``: how many decisions each held)."""
        self.units = 0

    def run(self, scope: str, work: Callable[[Connection], Any]) -> Any:
        """Run ``work(conn)`` in a write transaction of ``scope``; its result once committed.

        Raises what ``work`` raised (nothing of it stored), or the commit's error (nothing of
        the batch stored).
        """
        unit = _Unit(scope, work)
        with self._queue_lock:
            self._queued.append(unit)
        with self.turn:
            if not unit.done:  # no earlier batch took it: this thread commits what is queued
                with self._queue_lock:
                    batch, self._queued = self._queued, []
                self._commit(batch)
        if unit.error is not None:
            raise unit.error
        return unit.result

    def _commit(self, batch: list[_Unit]) -> None:
        try:
            results = self._transaction(batch)
        except BaseException as exc:
            if len(batch) == 1:
                batch[0].error = exc
            else:  # which unit failed is not known for sure: each alone, in its own transaction
                for u in batch:
                    self._commit([u])
            for u in batch:
                u.done = True
            return
        self.batches += 1
        self.units += len(batch)
        for u, r in zip(batch, results, strict=True):
            u.result = r
            u.done = True

    def _transaction(self, batch: list[_Unit]) -> list[Any]:
        """Run the batch in one transaction; its units' results once committed.

        A connection the database dropped (a server restart; the pool does not ping on every
        checkout) shows before the COMMIT is sent: on the scope's lock, or, where the
        statements travel in a pipeline, on the first answer a unit awaits. Then nothing of
        the batch is stored, and it is run once more on a new connection. A failure anywhere
        else, the COMMIT's included, is raised, nothing of the batch stored."""
        for attempt in range(2):
            try:
                with self._begin() as conn:
                    try:
                        for scope in sorted({u.scope for u in batch}):
                            self._lock(conn, scope)
                        results = [u.work(conn) for u in batch]
                    except DBAPIError as exc:
                        if attempt or not exc.connection_invalidated:
                            raise
                        raise _Dropped from exc  # out of the block: rolled back, not committed
                return results
            except _Dropped:
                continue
        raise AssertionError("unreachable")

    def waiting(self) -> int:
        """How many units are queued for the next commit."""
        with self._queue_lock:
            return len(self._queued)
