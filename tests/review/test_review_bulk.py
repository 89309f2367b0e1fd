"""Bulk decisions: preview, apply as one event per item with the batch named, never over a
decision already taken, refused for a proofreader, undoable by an editor."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from review_support import ROOT, collate_letter

from proofbench.errors import PermissionDeniedError
from proofbench.model import Collation
from proofbench.review import Desk, Filters, Store, apply_txt
from proofbench.review.bulk import apply_batch, select, undo


@pytest.fixture(scope="module")
def letter() -> Collation:
    return collate_letter(ROOT / "witnesses" / "letter.toml")


@pytest.fixture()
def desk(db_url: str, letter: Collation) -> Iterator[Desk]:
    store = Store(db_url)
    for name, role in (("pat", "proofreader"), ("eve", "editor")):
        store.add_user(name, role, name + "-secret")
    yield Desk(letter, store)
    store.close()


def test_bulk_reject_where_the_target_is_suggested(desk: Desk) -> None:
    eve, pat = desk.store.user("eve"), desk.store.user("pat")
    assert eve is not None and pat is not None
    first = desk.queue()[0]
    desk.act(first.stored, "accept", eve, 0, reading="by hand", choice="custom")
    batch = select(desk, "reject", Filters(), target_suggested=True)
    want = [
        e
        for e in desk.entries()
        if e.item.suggestion == e.item.target_reading and e.state.status == "open"
    ]
    assert {e.item.key for e in batch.chosen} == {e.item.key for e in want} and want
    assert sum(batch.skipped.values()) == len(desk.items) - len(want)
    with pytest.raises(PermissionDeniedError):
        apply_batch(desk, batch, pat)
    ident, done, refused = apply_batch(desk, batch, eve)
    assert (done, refused) == (len(want), 0)
    log = [e for e in desk.history() if (e.note or "").startswith(ident)]
    assert len(log) == len(want)
    assert all(e.action == "reject" and e.user == "eve" and e.state_before for e in log)
    assert desk.entry(first.item.key).state.reading == "by hand"  # type: ignore[union-attr]
    assert all(desk.entry(e.item.key).state.status == "rejected" for e in want)  # type: ignore[union-attr]
    assert undo(desk, ident, eve) == len(want)
    assert all(desk.entry(e.item.key).state.status == "deferred" for e in want)  # type: ignore[union-attr]


def test_bulk_accept_by_class_and_confidence(desk: Desk) -> None:
    eve = desk.store.user("eve")
    assert eve is not None
    cls = max({i.cls for i in desk.items}, key=lambda c: sum(i.cls == c for i in desk.items))
    f = Filters(cls=cls, min_conf=0.5)
    batch = select(desk, "accept", f)
    assert all(
        cls in e.item.classes and e.item.confidence >= 0.5 and e.item.suggestion is not None
        for e in batch.chosen
    )
    before = apply_txt(desk)
    _ident, done, _ = apply_batch(desk, batch, eve)
    assert done == len(batch.chosen)
    readings = desk.decided_readings()
    assert all(readings[e.item.key] == e.item.suggestion for e in batch.chosen)
    if any(e.item.suggestion != e.item.target_reading for e in batch.chosen):
        assert apply_txt(desk) != before
    assert select(desk, "accept", f).chosen == ()  # decided items are never taken again


def test_bulk_refuses_an_item_changed_since_the_preview_and_logs_it(desk: Desk) -> None:
    eve, pat = desk.store.user("eve"), desk.store.user("pat")
    assert eve is not None and pat is not None
    batch = select(desk, "accept", Filters())
    assert len(batch.chosen) >= 3
    moved = batch.chosen[1]
    desk.act(moved.stored, "propose", pat, 0, reading="meanwhile", choice="custom")
    ident, done, refused = apply_batch(desk, batch, eve)
    assert (done, refused) == (len(batch.chosen) - 1, 1)
    mine = [e for e in desk.history() if (e.note or "").startswith(ident)]
    assert len(mine) == len(batch.chosen)  # one event per item, the refused one included
    bad = [e for e in mine if e.refused]
    assert [e.item for e in bad] == [moved.stored] and "changed since" in (bad[0].message or "")
    assert bad[0].state_before["status"] == "proposed"
    good = [e for e in mine if not e.refused]
    assert all(e.based_on == 0 and e.state_before["status"] == "open" for e in good)
    assert all(e.anchor.hash for e in good)
    state = desk.entry(moved.item.key).state  # type: ignore[union-attr]
    assert (state.status, state.reading) == ("proposed", "meanwhile")


def test_many_actions_on_one_item_are_taken_one_by_one(desk: Desk) -> None:
    from proofbench.review.store import Planned

    eve = desk.store.user("eve")
    assert eve is not None
    e = desk.queue()[0]
    twice = [Planned(e.stored, e.item.anchor, 0, "one", "custom")] * 2
    done, refused = desk.store.act_many(desk.scope, "accept", eve, twice, "twice")
    assert len(done) == 1 and [k for k, _ in refused] == [e.stored]  # the second is stale
    log = desk.history(e.stored)
    assert [ev.refused for ev in log] == [False, True] and all(ev.note == "twice" for ev in log)
