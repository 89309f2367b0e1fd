"""The decision log exported as JSON and CSV: every event, refused attempts included."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from app_support import find_ball, make_store, review_collation

from proofbench.errors import PermissionDeniedError, StaleDecisionError
from proofbench.model import Collation
from proofbench.review.desk import Desk
from proofbench.review.export import COLUMNS, EXPORTERS, SCHEMA

__all__ = ["review_collation"]


@pytest.fixture
def decided(db_url: str, review_collation: Collation) -> Iterator[Desk]:
    """A review where pat proposed, was refused an accept, ed accepted, then a stale reject."""
    store = make_store(db_url)
    desk = Desk(review_collation, store)
    pat, ed = store.user("pat"), store.user("ed")
    assert pat is not None and ed is not None
    ball = find_ball(desk.items)
    entry = desk.entry(ball.key)
    assert entry is not None
    first = desk.act(entry.stored, "propose", pat, 0, reading="hall.", choice="witness:P45")
    with pytest.raises(PermissionDeniedError):
        desk.act(entry.stored, "accept", pat, first.seq, reading="hall.", choice="proposal")
    desk.act(entry.stored, "accept", ed, first.seq, reading="hall.", choice="proposal", note="ok")
    with pytest.raises(StaleDecisionError):
        desk.act(entry.stored, "reject", ed, first.seq)
    yield desk
    store.close()


def test_json_export_holds_every_attempt(decided: Desk) -> None:
    doc = json.loads(EXPORTERS["json"](decided))
    assert doc["schema"] == SCHEMA and doc["target"] == decided.collation.target
    got = [(e["user"], e["action"], e["outcome"]) for e in doc["events"]]
    assert got == [
        ("pat", "propose", "ok"),
        ("pat", "accept", "refused"),
        ("ed", "accept", "ok"),
        ("ed", "reject", "refused"),
    ]
    ball = find_ball(decided.items)
    assert {e["item"] for e in doc["events"]} == {ball.key}
    accepted = doc["events"][2]
    assert accepted["status_before"] == "proposed" and accepted["reading_before"] == "hall."
    assert accepted["target_reading"] == ball.target_reading
    assert accepted["context_before"] and accepted["note"] == "ok"
    assert doc["events"][3]["message"] and "changed" in doc["events"][3]["message"]
    assert doc["orphans"] == []


def test_csv_export_has_a_row_per_event(decided: Desk) -> None:
    text = EXPORTERS["csv"](decided)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert [r["outcome"] for r in rows] == ["ok", "refused", "ok", "refused"]
    assert rows[0]["reading"] == "hall." and rows[0]["choice"] == "witness:P45"
    assert rows[1]["message"] == "a proofreader may not accept"
    assert all(int(r["seq"]) for r in rows)


def test_empty_log_exports(db_url: str, review_collation: Collation) -> None:
    store = make_store(db_url)
    desk = Desk(review_collation, store)
    assert json.loads(EXPORTERS["json"](desk))["events"] == []
    assert EXPORTERS["csv"](desk).splitlines() == [",".join(COLUMNS)]
    store.close()


def test_csv_export_neutralizes_formulas(db_url: str, review_collation: Collation) -> None:
    """A note or reading a reviewer typed as a formula reaches the spreadsheet as text."""
    store = make_store(db_url)
    try:
        desk = Desk(review_collation, store)
        pat = store.user("pat")
        assert pat is not None
        entry = desk.entry(find_ball(desk.items).key)
        assert entry is not None
        desk.act(entry.stored, "propose", pat, 0, reading="=HYPERLINK(1)", note="@SUM(A1)")
        rows = list(csv.DictReader(io.StringIO(EXPORTERS["csv"](desk))))
        assert rows[-1]["reading"] == "'=HYPERLINK(1)" and rows[-1]["note"] == "'@SUM(A1)"
        cells = [c for r in rows for c in r.values() if c]
        assert not [c for c in cells if c[0] in "=+-@"], "no cell starts a formula"
    finally:
        store.close()
