"""A real headless Chromium for tests, driven by Playwright's Python API (shared helper).

``launch()`` yields a Playwright ``Browser`` on Debian's ``chromium`` (or ``PROOFBENCH_CHROMIUM``).
Where no Chromium is found the test is skipped, except under CI (env ``CI`` set), where it
fails: CI must run the browser tests. ``Guard`` records console errors, page errors and every
request that is not ``file:`` or ``data:`` (aborting it), so a test can assert a page is
self-contained; pass ``allow`` for a local server's origin.

Use from a conftest::

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests/ folder
    from browser import browser_fixture
    browser = browser_fixture()
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None if there is none."""
    forced = os.environ.get("PROOFBENCH_CHROMIUM")
    if forced:
        return forced
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium browser; skip (fail under CI) when Chromium or Playwright is missing."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency
        path = None
    if path is None:
        reason = "no Chromium found (install Debian's chromium, or set PROOFBENCH_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must run the browser tests")
        pytest.skip(reason)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def browser_fixture(scope: str = "session") -> Callable[..., Any]:
    """A pytest fixture yielding one browser for the scope."""

    @pytest.fixture(scope=scope)  # type: ignore[call-overload]
    def browser() -> Iterator[Any]:
        with launch() as b:
            yield b

    return browser  # type: ignore[no-any-return]


class Guard:
    """Watches a page: console errors, uncaught exceptions and network requests."""

    def __init__(self, page: Any, allow: Sequence[str] = ()) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.allow = tuple(allow)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.route("**/*", self._route)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text}")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")) or url.startswith(self.allow):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()


def screenshot(page: Any, name: str, **kwargs: Any) -> Path:
    """Save a screenshot under test-artifacts/ (gitignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **kwargs)
    return path
