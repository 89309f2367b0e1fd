"""Version 4: the session key leaves the store (it is kept in a private file, see
``review.keys``), and failed logins are counted in the store, so a lockout survives a restart."""

from __future__ import annotations

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, text

VERSION = 4


def upgrade(conn: Connection) -> None:
    """Drop ``settings.secret_key``; create ``login_failures``."""
    conn.execute(text("DELETE FROM settings WHERE key = 'secret_key'"))
    md = MetaData()
    Table(
        "login_failures",
        md,
        Column("key", String(200), primary_key=True),
        Column("count", Integer, nullable=False),
        Column("last", Float, nullable=False),
    )
    md.create_all(conn)
