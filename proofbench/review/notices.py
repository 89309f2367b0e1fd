"""One-time messages for a session's next page ("Recorded: accept (event #12)."), kept in the
server's memory instead of the session cookie.

Input: a session's token and a message. Output: the messages waiting for that session, each
given once. Why not Flask's ``flash``: it writes the message into the signed cookie, so the
decision's POST and the page after it each serialise and sign the cookie again (about 8 % of
a decision's server CPU in a py-spy profile of the round trip, 3 × 100k words). A message is
lost only when the server restarts between a decision and the next page, and then only the
message: the decision is in the store.
"""

from __future__ import annotations

import threading

KEPT = 10_000
"""Sessions with a message waiting that are kept (a memory bound, not a tuning: the oldest
message is dropped first, and a session normally takes its message with the next page)."""


class Notices:
    """Messages waiting for their session's next page, safe to use from many threads."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._waiting: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def add(self, session: str, message: str) -> None:
        """Keep ``message`` for the next page of ``session``."""
        with self._lock:
            self._waiting.setdefault(session, []).append(message)
            while len(self._waiting) > self._kept:
                del self._waiting[next(iter(self._waiting))]

    def take(self, session: str) -> list[str]:
        """The messages waiting for ``session``, oldest first; none are given twice."""
        if not self._waiting:  # the usual page: nothing to take, no lock
            return []
        with self._lock:
            return self._waiting.pop(session, [])
