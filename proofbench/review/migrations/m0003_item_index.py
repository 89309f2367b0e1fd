"""Version 3: an index of events by scope, item and sequence number, so an item's newest
events (its history page) are read from the index's end, however long its log."""

from __future__ import annotations

from sqlalchemy import Connection, text

VERSION = 3


def upgrade(conn: Connection) -> None:
    """Create ``events_item_seq`` on ``events (scope, item, seq)``."""
    conn.execute(text("CREATE INDEX events_item_seq ON events (scope, item, seq)"))
