"""Work shared among forked processes, with the results of a single-process run.

Input: a function, the items it maps over and how many processes may run it; output: the list
of its results in the items' order, as ``[fn(x) for x in items]`` gives it. The stages use it
where the work is embarrassingly parallel (a witness each, a batch of variant places each).

Processes are forked (``concurrent.futures`` with the fork start method), so each child starts
with the parent's memory: what the function reads (the witnesses, the collation's estimates) is
not pickled, only each item and each result. Forking is safe only from a process with one
thread that is no daemon, so a Dask worker or a threaded server (the review app) runs the work
in its own process, as it does where fork is not to be had.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

# multiprocessing and concurrent.futures are imported where a pool may start: a small
# collation, which forks nothing, need not load them.

_S = TypeVar("_S")
_I = TypeVar("_I")
_O = TypeVar("_O")

_task: tuple[Callable[[object, object], object], object] | None = None
"""The function and shared data of the map under way, set in the parent before it forks and so
inherited by every child (never pickled)."""
_lock = threading.Lock()

__all__ = ["available", "can_fork", "forked_map", "start"]


def available() -> int:
    """How many CPUs this process may use (its affinity mask; the CPU count where there is
    none): the default number of jobs."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether this process may fork workers: fork exists, and the process has one thread and
    is no daemon (a forked child of a threaded process inherits locks held by other threads)."""
    import multiprocessing

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def _call(item: object) -> object:
    """In a child: the function of the map under way, on its shared data and one item."""
    assert _task is not None
    fn, shared = _task
    return fn(shared, item)


def start(
    fn: Callable[[_S, _I], _O],
    shared: _S,
    items: Sequence[_I],
    workers: int,
    done: Callable[[int], None] | None = None,
) -> Callable[[], list[_O]]:
    """``[fn(shared, x) for x in items]`` started in up to ``workers`` forked processes, while
    this one goes on; the function returned waits for the results (and gives them again when
    called again). ``done``, if given, hears how many results are in, in order, as each comes.

    With no workers, no item or no safe fork, the work is done here and now. ``shared``
    reaches the children by the fork, not by pickling: only the items and the results travel.
    The results are those of the serial run (each child computes what this process would);
    should the pool fail (a child killed, a result that does not pickle), the work is done
    again here, so an error is raised as the serial run raises it, with its file and place.
    One pool runs at a time: while one runs, another call works here.
    """
    global _task

    def serial() -> list[_O]:
        out = []
        for x in items:
            out.append(fn(shared, x))
            if done is not None:
                done(len(out))
        return out

    workers = min(workers, len(items))
    if workers < 1 or not can_fork() or not _lock.acquire(blocking=False):
        here = serial()
        return lambda: here
    _task = (fn, shared)  # type: ignore[assignment]
    # The children's garbage collector leaves what they inherit alone (frozen at the fork):
    # else each child's full collections walk the parent's whole heap, writing every object's
    # header and so copying its page (measured at 3 x 100k words: classify 9.7-10.1 s of CPU
    # with two jobs, 8.4-8.9 s frozen). This process's collector takes it back once they exist.
    import concurrent.futures
    import multiprocessing

    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
        futures = [pool.submit(_call, x) for x in items]  # the fork context forks them all here
    except Exception:  # no pool to be had (no processes left): the work is done here
        _task = None
        _lock.release()
        here = serial()
        return lambda: here
    finally:
        gc.unfreeze()
    got: list[list[_O]] = []

    def wait() -> list[_O]:
        global _task
        if not got:
            try:
                results: list[_O] = []
                for f in futures:
                    results.append(cast(_O, f.result()))
                    if done is not None:
                        done(len(results))
                got.append(results)
            except Exception:  # any failure: the serial run says what it is
                pass
            finally:
                pool.shutdown()
                _task = None
                _lock.release()
            if not got:
                got.append(serial())
        return got[0]

    return wait


def forked_map(
    fn: Callable[[_S, _I], _O],
    shared: _S,
    items: Sequence[_I],
    jobs: int,
    done: Callable[[int], None] | None = None,
) -> list[_O]:
    """``[fn(shared, x) for x in items]``, computed in up to ``jobs`` forked processes (see
    ``start``, and for ``done``); with one job, here."""
    return start(fn, shared, items, jobs if jobs > 1 else 0, done)()
