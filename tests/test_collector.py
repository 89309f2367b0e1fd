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
