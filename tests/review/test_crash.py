"""A real `proofbench review` process killed with SIGKILL mid-session, then restarted.

Every decision the server acknowledged (a 303 after the POST) must be in the store and shown
by the restarted server; sessions survive too (the signing key is kept in the store).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from app_support import PASSWORD, HttpClient, based_on_of, csrf_of, pipeline_ready, start, stop

from proofbench.review.store import Store

pytestmark = pytest.mark.skipif(
    not pipeline_ready(), reason="`proofbench review` needs the align and classify stages"
)


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proofbench.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_killed_server_keeps_every_acknowledged_decision(db_url: str, tmp_path: Path) -> None:
    db = db_url  # an SQLite file, then a real PostgreSQL database
    log_path = tmp_path / "review.log"
    done = cli(
        "users",
        "add",
        "ed",
        "--role",
        "editor",
        "--db",
        str(db),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    proc, url = start(db, log_path)
    acknowledged: list[tuple[str, str]] = []
    try:
        client = HttpClient(url)
        client.login("ed")
        _, home, _ = client.request("/")
        keys = list(dict.fromkeys(re.findall(r'href="/item/([^"]+)"', home)))
        assert len(keys) >= 6
        halt = threading.Event()
        failures: list[BaseException] = []

        def decide() -> None:
            for i, key in enumerate(keys):
                if halt.is_set():
                    return
                note = f"decision {i}"
                try:
                    _, page, _ = client.request(f"/item/{key}")
                    form = {
                        "csrf": csrf_of(page),
                        "based_on": str(based_on_of(page)),
                        "action": "reject",
                        "note": note,
                    }
                    status, _, _ = client.request(f"/item/{key}", form)
                except Exception as exc:  # the server died under this request: unacknowledged
                    if not halt.is_set():
                        failures.append(exc)
                    return
                if status == 303:
                    acknowledged.append((key, note))

        worker = threading.Thread(target=decide, daemon=True)
        worker.start()
        while len(acknowledged) < 5 and worker.is_alive():
            worker.join(0.01)
        halt.set()
        os.kill(proc.pid, signal.SIGKILL)  # no shutdown, no flush: as a power cut would
        worker.join(30)
        assert failures == []
    finally:
        stop(proc, signal.SIGKILL)
    assert len(acknowledged) >= 5
    seen = list(acknowledged)

    store = Store(db)
    logged = {e.note: e for e in store.events("letter") if not e.refused}
    states = store.states("letter")
    store.close()
    for key, note in seen:
        assert logged[note].action == "reject"
        assert states[logged[note].item].status == "rejected", key

    proc, url = start(db, log_path)
    try:
        client.base = url  # the old session cookie still works after the restart
        status, history, _ = client.request("/history")
        assert status == 200
        for _key, note in seen:
            assert note in history
        # And a fresh login works too.
        fresh = HttpClient(url)
        fresh.login("ed")
        status, page, _ = fresh.request(f"/item/{seen[0][0]}")
        assert status == 200 and seen[0][1] in page
    finally:
        stop(proc, signal.SIGINT)
