"""Login limits: failed attempts counted per account name and per client address, lockout,
and a bound on how many password hashes are checked at once.

Input: login attempts (name, address, outcome). Output: whether an attempt may be tried now,
and how long to wait otherwise. Password hashing (scrypt) takes tens of megabytes per check, so
concurrent logins would otherwise take memory without limit; ``hashing`` lets at most
``HASHERS`` run together and turns the rest away (HTTP 503) instead of queueing them forever.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proofbench.review.store import Store

FAILURES = 5
"""Failed logins in a row for one account name before it is locked."""
ADDRESS_FAILURES = 4 * FAILURES
"""Failed logins from one address before it is locked: an address may try a few names (a
typo in one's own name), but not spray them."""
LOCKOUT = 15 * 60.0
"""Seconds a locked name or address waits; each failure while locked starts it again."""
HASHERS = max(1, min(4, os.cpu_count() or 1))
"""Password checks at once: more than the cores only adds memory, never speed."""
WAIT = 10.0
"""Seconds a login waits for a hashing slot before it is told to come back later."""


class LoginGuard:
    """Counts failures and locks names and addresses; thread-safe; forgets on success.

    With a ``store`` the counts are kept in it (``login_failures``), so a restart of the server
    does not lift a lockout and the memory they take is the database's; without one they are
    kept in memory (bounded), for a server with no store of its own. Times are seconds since
    the epoch, comparable across restarts.
    """

    def __init__(self, store: Store | None = None, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, last failure)
        self._slots = threading.BoundedSemaphore(HASHERS)

    def _keys(self, name: str, address: str) -> tuple[str, str]:
        # A digest of the name: any text a client sends (NUL included) makes a storable key.
        digest = hashlib.sha256(name.casefold().encode("utf-8", "replace")).hexdigest()[:32]
        return ("name:" + digest, "addr:" + address[:100])

    def _counts(self, keys: tuple[str, str]) -> dict[str, tuple[int, float]]:
        if self.store is not None:
            return self.store.failures(keys)
        with self._lock:
            return {k: self._failures[k] for k in keys if k in self._failures}

    def wait(self, name: str, address: str) -> float:
        """Seconds until an attempt for ``name`` from ``address`` may be made (0: now)."""
        now = self.clock()
        keys = self._keys(name, address)
        counts = self._counts(keys)
        left = 0.0
        for k, limit in zip(keys, (FAILURES, ADDRESS_FAILURES), strict=True):
            count, last = counts.get(k, (0, 0.0))
            if count >= limit:
                left = max(left, last + LOCKOUT - now)
        return max(0.0, left)

    def failed(self, name: str, address: str) -> None:
        """Record a failed attempt."""
        now = self.clock()
        keys = self._keys(name, address)
        if self.store is not None:
            self.store.count_failure(keys, now, now - LOCKOUT)
            return
        with self._lock:
            if len(self._failures) > 100_000:  # bounded memory under a spray of names
                self._failures = {k: v for k, v in self._failures.items() if v[1] + LOCKOUT > now}
            for k in keys:
                count, last = self._failures.get(k, (0, 0.0))
                if last + LOCKOUT < now:
                    count = 0
                self._failures[k] = (count + 1, now)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the failures of that name and address."""
        keys = self._keys(name, address)
        if self.store is not None:
            self.store.forget_failures(keys)
            return
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)

    @contextmanager
    def hashing(self) -> Iterator[bool]:
        """A slot to check a password in: yields False when none came free in ``WAIT`` s."""
        got = self._slots.acquire(timeout=WAIT)
        try:
            yield got
        finally:
            if got:
                self._slots.release()
