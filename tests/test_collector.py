"""collector.py: the cyclic collector paused for a collation in a one-thread process only."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

from proofbench import collector


def _fresh(code: str) -> str:
    """Run code in a fresh interpreter (this one may hold threads an earlier test left)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_paused_then_restored():
    code = (
        "import gc\n"
        "from proofbench import collector\n"
        "with collector.paused():\n"
        "    print(gc.isenabled())\n"
        "print(gc.isenabled())\n"
    )
    assert _fresh(code).split() == ["False", "True"]


def test_restored_after_an_error():
    code = (
        "import gc\n"
        "from proofbench import collector\n"
        "try:\n"
        "    with collector.paused():\n"
        "        raise ValueError('bad input')\n"
        "except ValueError:\n"
        "    print(gc.isenabled())\n"
    )
    assert _fresh(code) == "True"


def test_left_on_with_other_threads():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with collector.paused():
            assert gc.isenabled()  # another thread may make cycles meanwhile
    finally:
        stop.set()
        other.join()


def test_left_off_if_the_caller_turned_it_off():
    gc.disable()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_skip_at_exit_freezes_only_at_exit():
    code = (
        "import atexit, gc\n"
        "from proofbench import collector\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
        "collector.skip_at_exit(); collector.skip_at_exit()\n"
        "assert gc.get_freeze_count() == 0\n"
    )
    # atexit runs the last registered first: the freeze, then the check registered before it
    assert _fresh(code) == "True"


def test_what_a_pause_made_is_not_walked_by_the_next_young_collection():
    code = (
        "import gc\n"
        "from proofbench import collector\n"
        "with collector.paused():\n"
        "    kept = [[k] for k in range(50_000)]\n"
        "young = {id(o) for o in gc.get_objects(generation=0)}\n"
        "old = {id(o) for o in gc.get_objects(generation=2)}\n"
        "print(sum(id(o) in young for o in kept), sum(id(o) in old for o in kept))\n"
    )
    assert _fresh(code).split() == ["0", "50000"]


def test_a_cycle_made_in_a_pause_is_still_collected():
    code = (
        "import gc, weakref\n"
        "from proofbench import collector\n"
        "class Node: pass\n"
        "with collector.paused():\n"
        "    a, b = Node(), Node()\n"
        "    a.other, b.other = b, a\n"
        "    gone = weakref.ref(a)\n"
        "    del a, b\n"
        "print(gone() is not None)\n"
        "gc.collect()\n"
        "print(gone() is None)\n"
    )
    assert _fresh(code).split() == ["True", "True"]
