"""The review server's processes: how many a store gets, and that none outlives the server.

On PostgreSQL a real ``proofbench review`` forks one process per CPU (``review/workers.py``);
killed outright, it must leave none of them serving its port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from app_support import pipeline_ready, start, stop

from proofbench.review import workers

FORKS = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (Linux /proc; zombies left out)."""
    out = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(p.name))
    return out


def _gone(pids: list[int], within: float = 20.0) -> bool:
    """Whether every process of ``pids`` has ended (or is a zombie) before ``within`` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.05)
    return False


def test_sqlite_is_served_by_one_process() -> None:
    assert workers.processes_for("sqlite:////tmp/x.review.db") == 1


@pytest.mark.skipif(not FORKS, reason="several processes only on Linux with several CPUs")
def test_postgresql_by_one_process_a_cpu_unless_threads_run() -> None:
    url = "postgresql+psycopg://u@127.0.0.1:5432/db"
    if threading.active_count() == 1:
        assert workers.processes_for(url) == len(os.sched_getaffinity(0))
    halt = threading.Event()
    t = threading.Thread(target=halt.wait)
    t.start()
    try:  # a fork copies only the calling thread: no forking while another runs
        assert workers.processes_for(url) == 1
    finally:
        halt.set()
        t.join()


FORKER = textwrap.dedent(
    """
    import sys, time
    from proofbench.review.workers import Workers
    w = Workers(3, lambda: time.sleep(600))
    print(*w.pids, flush=True)
    if sys.argv[1] == "end":
        w.end()
        print("ended", flush=True)
    time.sleep(600)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("how", ["end", "kill"])
def test_forked_processes_end_with_the_parent(how: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", FORKER, how], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        pids = [int(x) for x in proc.stdout.readline().split()]
        assert len(pids) == 2 and proc.pid not in pids
        if how == "end":
            assert proc.stdout.readline().strip() == "ended"
            assert _children(proc.pid) == []  # stopped and reaped
        else:
            os.kill(proc.pid, signal.SIGKILL)
            assert _gone(pids)
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.postgres
@pytest.mark.skipif(not FORKS, reason="several processes only on Linux with several CPUs")
@pytest.mark.skipif(not pipeline_ready(), reason="`proofbench review` needs the pipeline")
def test_a_killed_postgresql_server_leaves_no_process(pg_server: Any, tmp_path: Path) -> None:
    db = pg_server.create_database(f"workers_{os.getpid()}")
    proc, _url = start(db, tmp_path / "review.log")
    try:
        forked = _children(proc.pid)
        assert len(forked) == len(os.sched_getaffinity(0)) - 1
        os.kill(proc.pid, signal.SIGKILL)
        assert _gone(forked)
    finally:
        stop(proc, signal.SIGKILL)
