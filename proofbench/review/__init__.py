"""Stage 6, review: a decision store and web app over a Collation; corrected text out.

Input: a Collation and a store (SQLite file or PostgreSQL URL). Output: decisions as an
append-only event log, the review web app, the target's text with accepted decisions applied
(txt or TEI), the decision log as CSV/JSON, and decision statuses for the HTML report.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from proofbench.model import Collation
from proofbench.review.apply import APPLIERS, OCR_FORMATS, apply_ocr, apply_tei, apply_txt
from proofbench.review.desk import Desk, Filters, Progress
from proofbench.review.items import Anchor, Item, review_items
from proofbench.review.store import ROLES, Store, User, database_url, default_db, scope_of


def open_store(db: str | Path | None, manifest: str | Path | None = None) -> Store:
    """The store named by ``db`` (path or URL), else the one beside ``manifest`` (created)."""
    if db is None:
        if manifest is None:
            raise ValueError("give a database or a manifest")
        db = default_db(manifest)
    return Store(db)


def decision_status(manifest_path_or_db: str | Path, collation: Collation) -> dict[str, str]:
    """Variant id -> decision status for the HTML report; ``{}`` when there is no store.

    Takes a manifest path (its store beside it, never created here), a store file or a URL.
    Statuses: accepted (the suggestion), corrected (another reading accepted), rejected,
    proposed, deferred, dismissed; undecided variants are left out.
    """
    arg = str(manifest_path_or_db)
    if "://" not in arg:
        path = Path(arg)
        if path.suffix.lower() in (".toml", ".json") or path.is_dir():
            path = default_db(path)
        if not path.is_file():
            return {}
        arg = str(path)
    store = Store(arg)
    try:
        return dict(Desk(collation, store).statuses())
    finally:
        store.close()


def statuses(desk: Desk) -> Mapping[str, str]:
    """The desk's variant statuses (see ``decision_status``)."""
    return desk.statuses()


__all__ = [
    "APPLIERS",
    "OCR_FORMATS",
    "ROLES",
    "Anchor",
    "Desk",
    "Filters",
    "Item",
    "Progress",
    "Store",
    "User",
    "apply_ocr",
    "apply_tei",
    "apply_txt",
    "database_url",
    "decision_status",
    "default_db",
    "open_store",
    "review_items",
    "scope_of",
]
