"""Versioned migrations of the review store, applied in order, recorded in ``schema_version``.

Input: an SQLAlchemy Engine; output: the store's schema at the newest version. Each migration
is a module ``mNNNN_name.py`` of this package with ``VERSION`` and ``upgrade(connection)``; a
migration never changes once released (add a new one instead), and each runs in its own
transaction together with its ``schema_version`` row, so a crash leaves a consistent version.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import Connection, Engine, inspect, text

from proofbench.errors import StoreError


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: its version, name and upgrade function."""

    version: int
    name: str
    upgrade: Callable[[Connection], None]


def migrations() -> list[Migration]:
    """Every migration of this package, in version order; raises StoreError on a gap."""
    found: list[Migration] = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("m") or not info.name[1:5].isdigit():
            continue
        module: ModuleType = importlib.import_module(f"{__name__}.{info.name}")
        found.append(Migration(int(module.VERSION), info.name, module.upgrade))
    found.sort(key=lambda m: m.version)
    for i, m in enumerate(found, start=1):
        if m.version != i:
            raise StoreError(f"review store migrations: expected version {i}, found {m.name}")
    return found


def current_version(engine: Engine) -> int:
    """The store's schema version: 0 for an empty database."""
    if not inspect(engine).has_table("schema_version"):
        return 0
    with engine.connect() as conn:
        value = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
    return int(value or 0)


def upgrade(engine: Engine) -> int:
    """Apply every migration newer than the store's version; returns the version reached.

    Raises StoreError when the store is newer than this proofbench knows.
    """
    steps = migrations()
    version = current_version(engine)
    if version > len(steps):
        raise StoreError(
            f"the review store has schema version {version}; this proofbench knows {len(steps)}"
        )
    for m in steps[version:]:
        with engine.begin() as conn:
            m.upgrade(conn)
            conn.execute(
                text("INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :t)"),
                {"v": m.version, "n": m.name, "t": _dt.datetime.now(_dt.UTC).isoformat()},
            )
    return len(steps)
