"""The planner's statistics of the log kept fresh without a manual step: after a desk sees a
batch of events larger than PostgreSQL's own analyse rule allows (a bulk decision, an
import), the log is analysed at once, so an item's newest events are read from the index
without sorting its history. SQLite keeps no statistics: nothing is run there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import insert

from proofbench.model import Collation
from proofbench.review import Desk, Store
from proofbench.review.schema import events
from proofbench.review.store import ITEM_LATEST, User, note_row


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


def _notes(desk: Desk, n: int) -> str:
    """``n`` notes on one item inserted in one transaction behind the desk's back."""
    item = desk.items[0]
    row = note_row(desk.scope, item.key, item.anchor, User("eve", "editor", "-", "-"), "a remark")
    with desk.store.engine.begin() as conn:
        conn.execute(insert(events), [row] * n)
    return item.key


def _plan(store: Store, scope: str, item: str) -> str:
    sql = str(ITEM_LATEST.compile(dialect=store.engine.dialect))
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "EXPLAIN " + sql, {"scope": scope, "item": item, "limit": 100}
        ).all()
    return "\n".join(r[0] for r in rows)


def test_a_large_batch_seen_by_a_desk_is_analysed_at_once(
    store: Store, letter_collation: Collation
) -> None:
    desk = Desk(letter_collation, store)
    desk.progress()  # the log read (empty)
    if store.engine.dialect.name != "postgresql":
        assert store.stale_after(1000) is None and store.analyzed_rows() == 0.0
        _notes(desk, 500)
        assert desk.progress().total == len(desk.items)  # folded, nothing else to do
        return
    assert store.analyzed_rows() == 0.0  # a new table: never analysed
    key = _notes(desk, 20_000)
    desk.progress()  # the view that folds the batch
    assert store.analyzed_rows() >= 20_000
    plan = _plan(store, desk.scope, desk.entry(key).stored)  # type: ignore[union-attr]
    assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_few_new_events_do_not_analyse_again(store: Store, letter_collation: Collation) -> None:
    assert store.engine.dialect.name == "postgresql"
    desk = Desk(letter_collation, store)
    _notes(desk, 5_000)
    desk.progress()
    analysed = store.analyzed_rows()
    assert analysed >= 5_000
    limit = store.stale_after(analysed)
    assert limit is not None and limit > 100
    _notes(desk, 100)  # under the rule: autovacuum's business, not the desk's
    desk.progress()
    assert store.analyzed_rows() == analysed
    # a desk opened on the log re-reads it, and finds it analysed
    again = Desk(letter_collation, store)
    again.progress()
    assert store.analyzed_rows() == analysed
