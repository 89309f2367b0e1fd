"""Several processes serving one review app on one port, where the store takes their writes.

Input: the store's URL and a function that builds and runs one process's server (on the
listening socket every process shares, ``server.listening``). Output: ``processes_for`` (how
many processes a store is served by) and ``Workers`` (the extra processes, forked, and ended
with the one that forked them).

Why: one Python process runs one thread at a time (the interpreter lock). Under 8 deciding
clients on PostgreSQL the server used about 9.5 ms of CPU a decision, which caps one process
near 100 decisions a second whatever the number of cores (RESULTS.md, issue 13, eighth
session: 85 % of a core at 88.8/s). With one process per core, each with its own lock, the
processes accept connections from one listening socket, whichever is free first, and each
serves the connections it accepted. Nothing the processes share lives in memory: sessions,
the login counts and the log are the store's rows; each process's view of the log reads what
is new on every request; the store's writers of several processes exclude each other with
PostgreSQL's scope lock (``store.lock_scope``), as two servers on one database always did.

Only PostgreSQL is served by several processes: SQLite lets one writer in at a time and makes
writers of other processes wait in its busy handler, which polls with sleeps of up to 100 ms
(``Store._write``), so a second process would queue its decisions behind the first's instead
of joining its group commit (``group.py``).

Each forked process dies with the process that forked it (Linux's ``PR_SET_PDEATHSIG``): a
server killed outright (SIGKILL, as the crash test does) leaves no process serving its port.
Elsewhere than Linux there is one process.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1
"""prctl(2)'s option number for the signal a process gets when its parent ends (linux/prctl.h)."""


def processes_for(url: str) -> int:
    """How many processes serve a store: one per CPU this process may run on for PostgreSQL
    (each has its own interpreter lock), one for SQLite or where processes cannot be forked
    safely (not Linux, or threads already running: a fork copies only the calling thread)."""
    if not url.startswith("postgresql") or not _forkable():
        return 1
    return max(1, len(os.sched_getaffinity(0)))


def _forkable() -> bool:
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "sched_getaffinity")
        and threading.active_count() == 1
    )


class Workers:
    """``count`` - 1 processes forked from this one, each running ``run()`` until it returns
    or is interrupted; ``end`` stops them (SIGTERM) and waits for them (idempotent)."""

    def __init__(self, count: int, run: Callable[[], None]) -> None:
        self.pids: list[int] = []
        parent = os.getpid()
        for _ in range(count - 1):
            pid = os.fork()
            if pid == 0:  # the child: serve, then leave without the parent's clean-up
                os._exit(_child(parent, run))
            self.pids.append(pid)

    def end(self) -> None:
        """Stop every forked process and wait for it."""
        pids, self.pids = self.pids, []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):  # ended already
                os.kill(pid, signal.SIGTERM)
        for pid in pids:
            with contextlib.suppress(ChildProcessError):  # reaped already
                os.waitpid(pid, 0)


def _child(parent: int, run: Callable[[], None]) -> int:
    """Run a forked process's server; its exit status."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent ended before the signal was asked for
            return 0
        run()
    except KeyboardInterrupt:
        return 0
    except BaseException:
        traceback.print_exc()
        return 1
    return 0
