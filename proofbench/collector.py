"""Python's cyclic garbage collector, paused while a collation is made and skipped at exit.

A collation allocates millions of objects that live to its end (tokens' strings, the
lexicon's tables, the places, the variants) and almost no reference cycles, yet the collector
walks the heap again and again as it grows: at 3 x 100k words (``benchmarks/pipeline_bench.py``'s
set, measured with ``gc.callbacks``, commit of this module's introduction) it ran 721 times for
1.44 s of the command's 11.7 s of CPU, its five full collections 1.04 s, and found 376 objects
in cycles in all; interpreter exit walked the heap once more (0.22 s at 100k, about 0.3 s of
the 2 s a 3 x 2k collation costs). Reference counting still frees everything else as before.

The single-witness check's evidence (``classify.suspect``, 1.5-1.9 s of collections on War and
Peace) runs paused too. ``paused()`` turns the collector off for a block, and back on after it,
only in a process with one thread (the command line): a threaded server (the review app) or a
Dask worker keeps its collector running, since its other threads may make cycles meanwhile.
``skip_at_exit()`` moves the live heap out of the collector's sight (``gc.freeze``) as a
command-line process exits, where the operating system frees it whole.
"""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off within the block, if this process has one thread and the
    collector is on; as it was after the block (also on an error)."""
    if not gc.isenabled() or threading.active_count() > 1:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        _settled()
        gc.enable()


def _settled() -> None:
    """Move every object the collector tracks to its oldest generation, without a walk.

    While the collector is off, each new container still joins the youngest generation, so the
    first collection after a pause would walk everything the block made and kept (War and
    Peace's ``check``: 0.077 s for that one collection, timed with ``gc.callbacks``). Frozen
    and at once unfrozen, the objects join the oldest generation, where only a full collection
    looks at them: a cycle left behind is still found by one (``gc.freeze`` and
    ``gc.unfreeze`` splice the generations' lists; neither walks them)."""
    gc.freeze()
    gc.unfreeze()


def skip_at_exit() -> None:
    """Spare this process's exit its walk of the heap: ``gc.freeze`` runs as it exits (an
    ``atexit`` hook, registered once however often this is called), before the interpreter
    tears its modules down. For a command-line entry point; nothing changes before exit."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
