"""The review store's tables as they stand after the newest migration (SQLAlchemy Core).

Input: nothing; output: ``METADATA`` and its tables, for the store's queries. The migrations in
``proofbench.review.migrations`` create and change the tables; they keep their own frozen copies,
so this module may follow the newest schema without rewriting history.

``events`` is append-only. ``chain`` holds, for a state-changing event that was applied, the
sequence number of the item's previous state-changing event (0 for the first); the unique
constraint on ``(scope, item, chain)`` lets the database itself refuse a second action based on
the same state. Notes and refused attempts have ``chain`` NULL (NULLs never collide).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

METADATA = MetaData()

schema_version = Table(
    "schema_version",
    METADATA,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(40), nullable=False),
)

settings = Table(
    "settings",
    METADATA,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(400), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(100), nullable=False),
)

events = Table(
    "events",
    METADATA,
    Column("seq", Integer, primary_key=True),
    Column("scope", String(200), nullable=False, index=True),
    Column("item", String(100), nullable=False),  # indexed with its scope: events_item_seq
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
    Index("events_item_seq", "scope", "item", "seq"),
    sqlite_autoincrement=True,
)

sessions = Table(
    "sessions",
    METADATA,
    Column("digest", String(64), primary_key=True),
    Column("user_name", String(100), nullable=False, index=True),
    Column("created_at", String(40), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)
"""Login sessions: the cookie holds a random token, the store only its SHA-256 digest."""

login_failures = Table(
    "login_failures",
    METADATA,
    Column("key", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("last", Float, nullable=False),
)
"""Failed logins per account name (``name:…``) and client address (``addr:…``): how many in a
row, and the time (seconds since the epoch) of the last."""
