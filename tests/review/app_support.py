"""Helpers of the review app's tests: the collation to review, stores with accounts, servers.

``review_collation`` is the letter's collation by the real pipeline once the align and classify
stages exist, else the render tests' hand-built pivot collation of the same real witnesses (the
ball/hall variant is in both; tests find it by its readings, never by id). ``live_server``
serves a Desk on a free local port in a thread; ``HttpClient`` is a cookie-keeping client over
urllib for servers in other processes.
"""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from proofbench.model import Collation
from proofbench.review.desk import Desk
from proofbench.review.items import Item
from proofbench.review.store import Store

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
LETTER = ROOT / "witnesses" / "letter.toml"
sys.path.insert(0, str(TESTS))  # the shared browser.py
sys.path.insert(0, str(TESTS / "render"))  # render_fixtures: the hand-built collation

from browser import launch  # noqa: E402

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_BASED = re.compile(r'name="based_on" value="(\d+)"')


def pipeline_ready() -> bool:
    """True once the align and classify stages exist."""
    try:
        from proofbench.align import align  # noqa: F401
        from proofbench.classify import classify  # noqa: F401
    except ImportError:
        return False
    return True


def collate_letter(manifest: Path = LETTER) -> Collation:
    """The letter's collation: the real pipeline if it runs, else the hand-built one."""
    if pipeline_ready():
        from proofbench.pipeline import collate

        return collate(manifest)
    from render_fixtures import pivot_collation

    from proofbench.pipeline import load

    m, ws = load(manifest)
    return pivot_collation(m, ws)


@pytest.fixture(scope="session")
def review_collation() -> Collation:
    """The letter's collation (see ``collate_letter``)."""
    return collate_letter()


def find_ball(items: tuple[Item, ...] | list[Item]) -> Item:
    """The item where the target W15 reads ``ball.`` and the print P45 ``hall.``."""
    for it in items:
        if "ball" in it.readings.get("W15", "") and "hall" in it.readings.get("P45", ""):
            return it
    raise AssertionError("no ball/hall variant in the collation")


def make_store(path: Path | str) -> Store:
    """A store with accounts: ada (admin), ed (editor), pat and pia (proofreaders)."""
    store = Store(str(path))
    for name, role in (
        ("ada", "admin"),
        ("ed", "editor"),
        ("pat", "proofreader"),
        ("pia", "proofreader"),
    ):
        store.add_user(name, role, PASSWORD)
    return store


@dataclass
class Live:
    """A server running in this process."""

    url: str
    desk: Desk


@contextmanager
def live_server(desk: Desk) -> Iterator[Live]:
    """Serve ``desk`` on 127.0.0.1 at a free port until the block ends."""
    from proofbench.review.app import make_server_for

    server = make_server_for(desk)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}/", desk)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def csrf_of(html: str) -> str:
    """The CSRF token of a page's forms."""
    m = _CSRF.search(html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def based_on_of(html: str) -> int:
    """The state an item page's action forms are based on."""
    m = _BASED.search(html)
    assert m, "no based_on on the page"
    return int(m.group(1))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class HttpClient:
    """A browser-less session against a server in another process (cookies kept)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(urllib.parse.urljoin(self.base, path), data=body)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.read().decode(), dict(resp.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)

    def login(self, name: str, password: str = PASSWORD) -> None:
        _, page, _ = self.request("/login")
        status, _, _ = self.request(
            "/login", {"csrf": csrf_of(page), "name": name, "password": password}
        )
        assert status == 303, f"login of {name} failed ({status})"


def start(db: str, log_path: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`proofbench review` on a free port; returns the process and the URL it printed."""
    with open(log_path, "a", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "proofbench.cli", "review", str(LETTER), "--db", db, *extra],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    out = proc.stdout
    threading.Thread(target=lambda: [lines.put(x) for x in out], daemon=True).start()
    try:
        url = lines.get(timeout=300).strip()
    except queue.Empty:
        stop(proc, signal.SIGKILL)
        raise AssertionError("the review server printed no URL") from None
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
    return proc, url


def stop(proc: subprocess.Popen[str], sig: int) -> None:
    """Send ``sig``, wait for the process (killing it if it lingers), close its pipe."""
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)
    if proc.stdout is not None:
        proc.stdout.close()


def with_browser(scenario: Callable[[Any], None]) -> None:
    """Run ``scenario(browser)`` on a real headless Chromium, in a thread of its own.

    Playwright's sync API refuses to start where another Playwright runs in the same thread, and
    the render tests keep a session-wide one open in the main thread; a thread of our own has no
    event loop of theirs. Skips (fails under CI) when Chromium is missing, as ``browser.launch``.
    """
    raised: list[BaseException] = []

    def run() -> None:
        try:
            with launch() as b:
                scenario(b)
        except BaseException as exc:  # re-raised in the test's own thread, skips included
            raised.append(exc)

    thread = threading.Thread(target=run, name="review-browser")
    thread.start()
    thread.join(600)
    assert not thread.is_alive(), "the browser scenario did not finish"
    if raised:
        raise raised[0]
