"""Group commit (``review/group.py``): decisions that queue while a commit is on disk are
written by one transaction, each acknowledged only once it is committed, each failure its own;
on SQLite and on PostgreSQL, through ``GroupCommit`` itself and through ``Store.act``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, text

from proofbench.errors import StaleDecisionError
from proofbench.review.group import GroupCommit
from proofbench.review.items import Anchor
from proofbench.review.store import Store

ANCHOR = Anchor(
    "W", {"W": "ball.", "P": "hall."}, "huge and jammed", "You and I,", 10, 15, "v1", "h"
)


def _wait_for(cond: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not cond():
        assert time.monotonic() < deadline, "the threads never queued"
        time.sleep(0.005)


def _start(fns: list[Callable[[], Any]]) -> tuple[list[threading.Thread], dict[int, Any]]:
    out: dict[int, Any] = {}

    def run(n: int, fn: Callable[[], Any]) -> None:
        try:
            out[n] = fn()
        except Exception as exc:  # the thread's outcome, checked by the test
            out[n] = exc

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in enumerate(fns)]
    for t in threads:
        t.start()
    return threads, out


def _table(tmp_path: Any) -> Any:
    engine = create_engine(
        f"sqlite:///{tmp_path / 'g.db'}", connect_args={"check_same_thread": False}
    )
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    return engine


@pytest.mark.parametrize("failing", [None, 3])
def test_units_queued_behind_a_commit_share_the_next_one(tmp_path: Any, failing: int) -> None:
    engine = _table(tmp_path)
    group = GroupCommit(engine.begin, lambda _c, _s: None)
    gate, inside = threading.Event(), threading.Event()

    def first(conn: Connection) -> int:
        inside.set()
        gate.wait(30)  # a commit still on disk while others arrive
        conn.execute(text("INSERT INTO t VALUES (0)"))
        return 0

    def insert(n: int) -> Callable[[Connection], int]:
        def work(conn: Connection) -> int:
            conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            if n == failing:
                raise ValueError(f"unit {n} fails")
            return n

        return work

    def seen_after(n: int) -> Callable[[], bool]:
        def run() -> bool:
            assert group.run("s", insert(n)) == n
            with engine.connect() as other:  # acknowledged: committed, visible to anyone
                return bool(other.execute(text("SELECT 1 FROM t WHERE n = :n"), {"n": n}).first())

        return run

    lead, _ = _start([lambda: group.run("s", first)])
    assert inside.wait(30)
    threads, out = _start([seen_after(n) for n in range(1, 6)])
    _wait_for(lambda: group.waiting() == 5)
    gate.set()
    for t in [*lead, *threads]:
        t.join(30)
    with engine.connect() as conn:
        kept = [r[0] for r in conn.execute(text("SELECT n FROM t ORDER BY n"))]
    if failing is None:
        assert [out[k] for k in range(5)] == [True] * 5
        assert kept == [0, 1, 2, 3, 4, 5]
        assert (group.batches, group.units) == (2, 6)  # the five queued shared one commit
    else:  # the batch rolled back, then each unit alone: the failure is the failing unit's
        assert isinstance(out[failing - 1], ValueError)
        assert kept == [n for n in range(6) if n != failing]
        assert group.units == 5
    engine.dispose()


def test_a_lone_unit_commits_at_once(tmp_path: Any) -> None:
    engine = _table(tmp_path)
    group = GroupCommit(engine.begin, lambda _c, _s: None)
    for n in range(3):
        done = group.run("s", lambda c, n=n: c.execute(text(f"INSERT INTO t VALUES ({n})")))
        assert done.rowcount == 1
    assert (group.batches, group.units) == (3, 3)
    engine.dispose()


@pytest.fixture()
def store(db_url: str) -> Any:
    s = Store(db_url)
    yield s
    s.close()


def test_decisions_queued_together_keep_the_stale_check(store: Store) -> None:
    """Two editors act on the same item from the same state, their decisions queued behind one
    commit: the batch checks each against the state the earlier one left, so one is stored and
    the other refused (and logged as refused); decisions on other items in the batch stand."""
    eve = store.add_user("eve", "editor", "eve-secret")
    ann = store.add_user("ann", "editor", "ann-secret")
    with store._group.turn:  # a commit in flight: whatever arrives now queues behind it
        threads, out = _start(
            [
                lambda: store.act("s", "v1", "accept", eve, 0, ANCHOR, "hall.", "witness:P"),
                lambda: store.act("s", "v1", "reject", ann, 0, ANCHOR),
                lambda: store.act("s", "v2", "accept", ann, 0, ANCHOR, "hall.", "witness:P"),
            ]
        )
        _wait_for(lambda: store._group.waiting() == 3)
    for t in threads:
        t.join(30)
    assert store._group.batches == 1  # the three in one transaction
    stale = [k for k in (0, 1) if isinstance(out[k], StaleDecisionError)]
    assert len(stale) == 1, out
    assert "changed since you loaded it" in str(out[stale[0]])
    log = store.events("s")
    assert sorted((e.item, e.refused) for e in log) == [("v1", False), ("v1", True), ("v2", False)]
    assert store.states("s")["v2"].status == "accepted"


def test_eight_threads_deciding_lose_nothing(store: Store) -> None:
    """Every decision acknowledged by any of 8 threads acting at once is in the log, once."""
    eve = store.add_user("eve", "editor", "eve-secret")
    barrier = threading.Barrier(8)

    def reviewer(k: int) -> Callable[[], list[int]]:
        def run() -> list[int]:
            barrier.wait()
            return [
                store.act("s", f"v{k}-{n}", "accept", eve, 0, ANCHOR, "hall.", "witness:P").seq
                for n in range(10)
            ]

        return run

    threads, out = _start([reviewer(k) for k in range(8)])
    for t in threads:
        t.join(60)
    acked = sorted(s for seqs in out.values() for s in seqs)
    assert len(acked) == 80
    assert [e.seq for e in store.events("s")] == acked
    assert store._group.units == 80
