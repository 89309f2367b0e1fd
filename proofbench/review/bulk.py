"""Bulk decisions: one editor's action on every item a filter selects, previewed first.

Input: a ``Desk``, ``Filters`` and what to do (accept each item's suggestion, or reject: keep
the target's reading). Output: a ``Batch`` preview (the items that would change, and why the
others would not), then one event per item, each with the same audit detail as a single
decision plus a note naming the batch, so the log and ``decisions export`` show which events
belong together; a batch is one transaction of the store. Only undecided items (open,
proposed, deferred) are touched: a bulk action never changes a decision already taken.
``undo`` defers, again in one transaction, every item whose latest decision is still the
batch's, which takes it out of ``apply`` and back to the queue.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from proofbench.errors import PermissionDeniedError, StoreError
from proofbench.review.desk import Desk, Entry, Filters
from proofbench.review.store import User

OPEN_STATES = ("open", "proposed", "deferred")
BULK_ACTIONS = ("accept", "reject")


@dataclass(frozen=True, slots=True)
class Batch:
    """A previewed bulk action: the entries it would decide and those it leaves, by reason."""

    action: str
    filters: Filters
    target_suggested: bool
    chosen: tuple[Entry, ...]
    skipped: dict[str, int]


def select(desk: Desk, action: str, filters: Filters, target_suggested: bool = False) -> Batch:
    """The preview of ``action`` on the queue entries passing ``filters`` (and, with
    ``target_suggested``, only those whose suggestion is the target's own reading)."""
    if action not in BULK_ACTIONS:
        raise StoreError(f"a bulk action is one of {', '.join(BULK_ACTIONS)}, not {action!r}")
    chosen: list[Entry] = []
    skipped: dict[str, int] = {}
    for e in desk.queue(filters):
        why = ""
        if e.state.status not in OPEN_STATES:
            why = f"already {e.state.status}"
        elif target_suggested and e.item.suggestion != e.item.target_reading:
            why = "the suggestion is not the target's reading"
        elif action == "accept" and e.item.suggestion is None:
            why = "no suggestion"
        if why:
            skipped[why] = skipped.get(why, 0) + 1
        else:
            chosen.append(e)
    return Batch(action, filters, target_suggested, tuple(chosen), skipped)


def apply_batch(desk: Desk, batch: Batch, user: User) -> tuple[str, int, int]:
    """Take the previewed action on each chosen item; (batch id, done, refused).

    Each item's action is based on the state the preview saw, so an item someone changed in
    between is refused (and logged as refused), never overwritten. The whole batch is one
    transaction of the store: all of its events are stored, or (after a crash) none. Raises
    PermissionDeniedError when the user may not take the action at all.
    """
    if not user.may(batch.action):
        raise PermissionDeniedError(f"a {user.role} may not {batch.action}")
    ident = "bulk-" + secrets.token_hex(4)
    note = f"{ident}: {batch.action} by filter {_describe(batch)}"
    accept = batch.action == "accept"
    todo = [
        (
            e.stored,
            e.state.seq,
            e.item.suggestion if accept else None,
            "suggestion" if accept else None,
        )
        for e in batch.chosen
    ]
    done, refused = desk.act_many(batch.action, user, todo, note)
    return ident, len(done), len(refused)


def undo(desk: Desk, ident: str, user: User) -> int:
    """Defer every item whose latest decision is batch ``ident``'s; how many were undone."""
    if not user.may("accept"):
        raise PermissionDeniedError(f"a {user.role} may not undo a bulk decision")
    latest: dict[str, tuple[int, bool]] = {}
    for ev in desk.history():
        if ev.changes_state:
            latest[ev.item] = (ev.seq, (ev.note or "").startswith(ident + ":"))
    todo = [(stored, seq, None, None) for stored, (seq, ours) in latest.items() if ours]
    done, _refused = desk.act_many("defer", user, todo, note=f"undo of {ident}")
    return len(done)


def _describe(batch: Batch) -> str:
    f = batch.filters
    parts = [
        f"{k}={v}"
        for k, v in (
            ("cls", f.cls),
            ("witness", f.witness),
            ("status", f.status),
            ("reviewer", f.reviewer),
        )
        if v
    ]
    if f.min_conf > 0 or f.max_conf < 1:
        parts.append(f"confidence {f.min_conf:g}-{f.max_conf:g}")
    if batch.target_suggested:
        parts.append("suggestion = target")
    return ", ".join(parts) or "(everything)"
