"""Version 2: server-side login sessions, so a logout (or an admin) can end one for good."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Connection, MetaData, String, Table

VERSION = 2


def upgrade(conn: Connection) -> None:
    """Create ``sessions``: one row per login, keyed by a digest of its random token."""
    md = MetaData()
    Table(
        "sessions",
        md,
        Column("digest", String(64), primary_key=True),
        Column("user_name", String(100), nullable=False, index=True),
        Column("created_at", String(40), nullable=False),
        Column("revoked", Boolean, nullable=False, default=False),
    )
    md.create_all(conn)
