"""Version 1: schema_version, settings, users and the append-only events log."""

from __future__ import annotations

import secrets

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
)

VERSION = 1


def upgrade(conn: Connection) -> None:
    """Create the first tables and the session-signing secret."""
    md = MetaData()
    Table(
        "schema_version",
        md,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("name", String(200), nullable=False),
        Column("applied_at", String(40), nullable=False),
    )
    settings = Table(
        "settings",
        md,
        Column("key", String(100), primary_key=True),
        Column("value", Text, nullable=False),
    )
    Table(
        "users",
        md,
        Column("id", Integer, primary_key=True),
        Column("name", String(100), nullable=False, unique=True),
        Column("role", String(20), nullable=False),
        Column("password_hash", String(400), nullable=False),
        Column("created_at", String(40), nullable=False),
        Column("created_by", String(100), nullable=False),
    )
    Table(
        "events",
        md,
        Column("seq", Integer, primary_key=True),
        Column("scope", String(200), nullable=False, index=True),
        Column("item", String(100), nullable=False, index=True),
        Column("variant_id", String(100), nullable=False),
        Column("action", String(20), nullable=False),
        Column("choice", String(60), nullable=True),
        Column("reading", Text, nullable=True),
        Column("note", Text, nullable=True),
        Column("user_name", String(100), nullable=False),
        Column("role", String(20), nullable=False),
        Column("at", String(40), nullable=False),
        Column("based_on", Integer, nullable=False),
        Column("chain", Integer, nullable=True),
        Column("state_before", Text, nullable=False),
        Column("anchor", Text, nullable=False),
        Column("refused", Boolean, nullable=False, default=False),
        Column("message", Text, nullable=True),
        UniqueConstraint("scope", "item", "chain", name="events_one_successor"),
        sqlite_autoincrement=True,
    )
    md.create_all(conn)
    conn.execute(insert(settings).values(key="secret_key", value=secrets.token_hex(32)))
