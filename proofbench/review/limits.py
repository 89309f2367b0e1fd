"""Login limits: failed attempts counted per account name and per client address, lockout,
and a bound on how many password hashes are checked at once.

Input: login attempts (name, address, outcome). Output: whether an attempt may be tried now,
and how long to wait otherwise. Password hashing (scrypt) takes tens of megabytes per check, so
concurrent logins would otherwise take memory without limit; ``hashing`` lets at most
``HASHERS`` run together and turns the rest away (HTTP 503) instead of queueing them forever.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
    """Counts failures and locks names and addresses; thread-safe; forgets on success."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, last failure)
        self._slots = threading.BoundedSemaphore(HASHERS)

    def _keys(self, name: str, address: str) -> tuple[str, str]:
        return ("name:" + name.casefold()[:100], "addr:" + address)

    def wait(self, name: str, address: str) -> float:
        """Seconds until an attempt for ``name`` from ``address`` may be made (0: now)."""
        now = self.clock()
        with self._lock:
            left = 0.0
            limits = (FAILURES, ADDRESS_FAILURES)
            for k, limit in zip(self._keys(name, address), limits, strict=True):
                count, last = self._failures.get(k, (0, 0.0))
                if count >= limit:
                    left = max(left, last + LOCKOUT - now)
            return max(0.0, left)

    def failed(self, name: str, address: str) -> None:
        """Record a failed attempt."""
        now = self.clock()
        with self._lock:
            if len(self._failures) > 100_000:  # bounded memory under a spray of names
                self._failures = {k: v for k, v in self._failures.items() if v[1] + LOCKOUT > now}
            for k in self._keys(name, address):
                count, last = self._failures.get(k, (0, 0.0))
                if last + LOCKOUT < now:
                    count = 0
                self._failures[k] = (count + 1, now)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the failures of that name and address."""
        with self._lock:
            for k in self._keys(name, address):
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
