"""collector.py: the cyclic collector paused for a collation in a one-thread process only."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

import pytest

from proofbench import collector


def test_paused_then_restored():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_error():
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("bad input")
    assert gc.isenabled()


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
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # atexit runs the last registered first: the freeze, then the check registered before it
    assert out.stdout.strip() == "True"
