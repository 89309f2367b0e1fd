"""The desk keeps the review's state as events are appended: what it shows after any mix of
actions equals a fold of the whole log read afresh; a scope's events are committed in the
order of their numbers (so reading "above the last number seen" misses nothing); a request's
view reads the log once; filtered pages equal filtering everything by hand."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Iterator

import pytest
from review_support import ROOT, collate_letter
from sqlalchemy import insert

from proofbench.errors import PermissionDeniedError, StaleDecisionError
from proofbench.model import Collation
from proofbench.review import Desk, Filters, Store
from proofbench.review.bulk import apply_batch, select
from proofbench.review.schema import events
from proofbench.review.store import lock_scope


@pytest.fixture(scope="module")
def letter() -> Collation:
    return collate_letter(ROOT / "witnesses" / "letter.toml")


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    for name, role in (("pat", "proofreader"), ("eve", "editor"), ("ed", "editor")):
        s.add_user(name, role, name + "-secret")
    yield s
    s.close()


def _random_actions(desk: Desk, other: Desk, n: int, seed: int) -> None:
    """``n`` actions by three users through two desks on one store (one desk sees the other's
    events only through the log), some of them refused."""
    rng = random.Random(seed)
    users = [desk.store.user(u) for u in ("pat", "eve", "ed")]
    keys = [i.key for i in desk.items]
    for _ in range(n):
        d = rng.choice((desk, other))
        user = rng.choice(users)
        assert user is not None
        e = d.entry(rng.choice(keys))
        assert e is not None
        action = rng.choice(("propose", "accept", "reject", "defer", "note", "dismiss"))
        reading = e.item.suggestion or "by hand" if action in ("propose", "accept") else None
        based = e.state.seq if rng.random() < 0.85 else e.state.seq + 1  # some stale
        note = "why" if action == "note" else None
        with contextlib.suppress(PermissionDeniedError, StaleDecisionError):
            d.act(e.stored, action, user, based, reading, "custom", note)


def test_the_kept_state_equals_a_fold_of_the_whole_log(store: Store, letter: Collation) -> None:
    desk, other = Desk(letter, store), Desk(letter, store)
    desk.progress()  # first look before anything happens: from here on only increments
    _random_actions(desk, other, 300, seed=3)
    fresh = Desk(letter, store)  # reads the whole log at once
    assert [e.state for e in desk.entries()] == [e.state for e in fresh.entries()]
    assert desk.progress() == fresh.progress()
    by_status = {s: sum(e.state.status == s for e in fresh.entries()) for s in ("deferred",)}
    assert desk.progress().deferred == by_status["deferred"]
    decided = sum(e.state.status in ("accepted", "rejected", "dismissed") for e in fresh.entries())
    assert desk.progress().decided == decided > 0
    for e in fresh.entries()[:10]:
        assert desk.logged(e.stored) == len(store.events(desk.scope, e.stored))


def test_filtered_pages_equal_filtering_by_hand(store: Store, letter: Collation) -> None:
    desk = Desk(letter, store)
    _random_actions(desk, desk, 120, seed=5)
    classes = sorted({c for i in desk.items for c in i.classes})
    sigla = sorted({s for i in desk.items for s in i.suspect})
    cases = [Filters(cls=c) for c in classes] + [Filters(witness=s) for s in sigla]
    cases += [Filters(status=s) for s in ("open", "accepted", "proposed", "deferred")]
    cases += [Filters(cls=classes[0], status="open"), Filters(min_conf=0.5, max_conf=0.9)]
    cases += [Filters(reviewer="eve"), Filters(reviewer="eve", cls=classes[-1])]
    for f in cases:
        for sort in ("suspicion", "text", "confidence"):
            want = [e.item.key for e in desk.queue(Filters(), sort) if f.passes(e.item, e.state)]
            for offset in (0, 3):
                page = desk.page(f, sort, offset, 5)
                assert page.total == len(want), (f, sort)
                assert [e.item.key for e in page.entries] == want[offset : offset + 5], (f, sort)


def test_a_view_reads_the_log_once(store: Store, letter: Collation) -> None:
    desk, other = Desk(letter, store), Desk(letter, store)
    eve = store.user("eve")
    assert eve is not None
    key = desk.items[0].key
    with desk.view():
        assert desk.entry(key).state.status == "open"  # type: ignore[union-attr]
        other.act(key, "accept", eve, 0, "by hand", "custom")
        assert desk.entry(key).state.status == "open"  # type: ignore[union-attr]
        desk.look_again()  # as after a refusal: now it sees the other desk's decision
        assert desk.entry(key).state.status == "accepted"  # type: ignore[union-attr]
    assert desk.entry(key).state.reading == "by hand"  # type: ignore[union-attr]


def test_a_bulk_batch_is_seen_whole_by_a_desk_that_looked_before(
    store: Store, letter: Collation
) -> None:
    desk, other = Desk(letter, store), Desk(letter, store)
    eve = store.user("eve")
    assert eve is not None
    before = desk.progress()
    batch = select(other, "accept", Filters())
    _ident, done, _ = apply_batch(other, batch, eve)
    assert done == len(batch.chosen) > 0
    assert desk.progress().decided == before.decided + done
    assert [e.state for e in desk.entries()] == [e.state for e in Desk(letter, store).entries()]


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_scope_commits_its_numbers_in_order(store: Store, letter: Collation) -> None:
    """A writer holding the scope (a slow transaction) makes a second writer wait, so the
    second event cannot become visible with a number above one still uncommitted: the desk,
    which reads only above the last number it saw, would never see the first. PostgreSQL
    only: SQLite serialises its writers by BEGIN IMMEDIATE."""
    assert store.engine.dialect.name == "postgresql"
    desk = Desk(letter, store)
    eve = store.user("eve")
    assert eve is not None
    desk.progress()
    a, b = desk.items[0], desk.items[1]
    held, release = threading.Event(), threading.Event()
    first: list[int] = []

    def slow() -> None:
        with store.engine.begin() as conn:
            lock_scope(conn, desk.scope)
            row = {
                "scope": desk.scope,
                "item": a.key,
                "variant_id": a.anchor.variant_id,
                "action": "note",
                "note": "slow",
                "user_name": "eve",
                "role": "editor",
                "at": "2026-12-01T00:00:00Z",
                "based_on": 0,
                "chain": None,
                "state_before": "{}",
                "anchor": a.anchor.to_json(),
                "refused": False,
            }
            first.append(
                int(conn.execute(insert(events).returning(events.c.seq), row).scalar_one())
            )
            held.set()
            release.wait(30)

    t = threading.Thread(target=slow)
    t.start()
    assert held.wait(30)
    done: list[int] = []
    second = threading.Thread(
        target=lambda: done.append(desk.act(b.key, "accept", eve, 0, "x", "custom").seq)
    )
    second.start()
    time.sleep(0.5)  # the second writer is waiting for the scope, not yet committed
    assert not done
    assert desk.entry(b.key).state.status == "open"  # type: ignore[union-attr]
    release.set()
    t.join(30)
    second.join(30)
    assert done and done[0] > first[0]
    assert desk.entry(b.key).state.status == "accepted"  # type: ignore[union-attr]
    assert desk.logged(a.key) == 1  # the slow one's event was not skipped
