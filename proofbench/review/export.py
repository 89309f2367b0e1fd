"""The decision log -> CSV or JSON text, every event including refused attempts.

Input: a ``Desk``. Output: text. JSON (schema ``proofbench/decisions@1``) holds the events, each
with the current item it stands on (null for an orphan) and its anchor; CSV has one row per
event, the anchor's context and offsets flattened into columns; a cell a spreadsheet would run
as a formula gets a leading ``'`` (``render.table.spreadsheet_safe``, as OWASP advises).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from proofbench.review.desk import Desk
from proofbench.review.store import Event

SCHEMA = "proofbench/decisions@1"
COLUMNS = (
    "seq",
    "at",
    "user",
    "role",
    "action",
    "outcome",
    "item",
    "variant_id",
    "stored",
    "choice",
    "reading",
    "note",
    "based_on",
    "status_before",
    "reading_before",
    "message",
    "target",
    "target_reading",
    "context_before",
    "context_after",
    "start",
    "end",
)


def _row(e: Event, current: str | None) -> dict[str, Any]:
    a = e.anchor
    return {
        "seq": e.seq,
        "at": e.at,
        "user": e.user,
        "role": e.role,
        "action": e.action,
        "outcome": "refused" if e.refused else "ok",
        "item": current,
        "variant_id": e.variant_id,
        "stored": e.item,
        "choice": e.choice,
        "reading": e.reading,
        "note": e.note,
        "based_on": e.based_on,
        "status_before": e.state_before.get("status"),
        "reading_before": e.state_before.get("reading"),
        "message": e.message,
        "target": a.target,
        "target_reading": a.reading,
        "context_before": a.before,
        "context_after": a.after,
        "start": a.start,
        "end": a.end,
    }


def _rows(desk: Desk) -> list[dict[str, Any]]:
    return [_row(e, desk.current_key(e.item)) for e in desk.history()]


def export_json(desk: Desk) -> str:
    """The log as JSON."""
    doc = {
        "schema": SCHEMA,
        "manifest": desk.outline.manifest.path,
        "target": desk.outline.target,
        "events": _rows(desk),
        "orphans": [o.stored for o in desk.orphans()],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> Any:
    from proofbench.render.table import spreadsheet_safe  # not at import: render is big

    if value is None:
        return ""
    return spreadsheet_safe(value) if isinstance(value, str) else value


def export_csv(desk: Desk) -> str:
    """The log as CSV, one row per event."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in _rows(desk):
        w.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


EXPORTERS: dict[str, Callable[[Desk], str]] = {"json": export_json, "csv": export_csv}
