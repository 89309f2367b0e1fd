"""The desk at book scale: paging, neighbours without sorting, and states kept up to date
event by event agreeing with a fold of the whole log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from review_support import ROOT, collate_letter

from proofbench.model import Collation
from proofbench.review import Desk, Filters, Store
from proofbench.review.desk import SORTS
from proofbench.review.store import User


@pytest.fixture(scope="module")
def letter() -> Collation:
    return collate_letter(ROOT / "witnesses" / "letter.toml")


@pytest.fixture()
def people(tmp_path: Path) -> Iterator[tuple[Store, User, User]]:
    store = Store(tmp_path / "r.db")
    yield (
        store,
        store.add_user("pat", "proofreader", "pat-secret"),
        store.add_user("eve", "editor", "eve-secret"),
    )
    store.close()


def snapshot(desk: Desk) -> list[tuple[str, str, object, int, int]]:
    return [
        (e.item.key, e.state.status, e.state.reading, e.state.seq, e.state.notes)
        for e in desk.entries()
    ]


def test_incremental_states_agree_with_a_fresh_fold(
    letter: Collation, people: tuple[Store, User, User]
) -> None:
    store, pat, eve = people
    live = Desk(letter, store)
    live.progress()  # the log is read once here; afterwards only new events are folded
    items = live.queue()
    for n, e in enumerate(items[:30]):
        seq = live.act(e.stored, "propose", pat, 0, reading=f"r{n}").seq
        if n % 3 == 0:
            live.act(e.stored, "accept", eve, seq, reading=f"r{n}")
        elif n % 3 == 1:
            live.act(e.stored, "note", pat, 0, note="see the print")
        assert snapshot(live) == snapshot(Desk(letter, store))
    assert live.progress() == Desk(letter, store).progress()
    assert live.decided_readings() == Desk(letter, store).decided_readings()


def test_pages_tile_the_queue_and_neighbours_walk_it(
    letter: Collation, people: tuple[Store, User, User]
) -> None:
    store, pat, _ = people
    desk = Desk(letter, store)
    for e in desk.queue()[::4]:
        desk.act(e.stored, "propose", pat, 0, reading="x")
    cls = desk.items[0].cls
    for f in (Filters(), Filters(status="proposed"), Filters(cls=cls), Filters(min_conf=0.5)):
        for sort in SORTS:
            full = [e.item.key for e in desk.queue(f, sort)]
            tiled: list[str] = []
            for offset in range(0, len(desk.items) + 7, 7):
                pg = desk.page(f, sort, offset, 7)
                assert pg.total == len(full)
                tiled += [e.item.key for e in pg.entries]
            assert tiled == full, (f, sort)
            for i, key in enumerate(full):
                prev = full[i - 1] if i else None
                nxt = full[i + 1] if i + 1 < len(full) else None
                assert desk.neighbours(key, f, sort) == (prev, nxt)
    ranged = desk.queue(Filters(min_conf=0.5, max_conf=0.9))
    assert ranged and all(0.5 <= e.item.confidence <= 0.9 for e in ranged)
    assert [e.item.confidence for e in desk.queue(sort="confidence")] == sorted(
        (i.confidence for i in desk.items), reverse=True
    )
