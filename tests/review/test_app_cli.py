"""The `proofbench review` command: its URL, a chosen port, a clean stop, bad stores."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import LETTER, HttpClient, pipeline_ready, start, stop

pytestmark = pytest.mark.skipif(
    not pipeline_ready(), reason="`proofbench review` needs the align and classify stages"
)


def test_review_on_a_chosen_port_stops_cleanly(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = str(tmp_path / "p.db")
    proc, url = start(db, tmp_path / "log", "--port", str(port))
    try:
        assert url == f"http://127.0.0.1:{port}/"
        status, _, headers = HttpClient(url).request("/")
        assert status == 302 and headers["Location"].startswith("/login")
    finally:
        stop(proc, signal.SIGINT)
    assert proc.returncode == 0
    log = (tmp_path / "log").read_text(encoding="utf-8")
    assert "no accounts yet" in log and "users add" in log


def test_review_with_a_bad_store_is_one_line_and_status_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "proofbench.cli",
            "review",
            str(LETTER),
            "--db",
            str(tmp_path / "no" / "such" / "dir.db"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("proofbench: ") and "review store" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
