"""The review app in real headless Chromium: a proofreader proposes, an editor accepts, apply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from app_support import (
    LETTER,
    PASSWORD,
    browser,
    collate_letter,
    find_ball,
    live_server,
    make_store,
    pipeline_ready,
)
from browser import Guard, screenshot

from proofbench.review.desk import Desk

__all__ = ["browser"]
pytestmark = pytest.mark.browser


def log_in(b: Any, base: str, name: str) -> tuple[Any, Any, Guard]:
    context = b.new_context()
    page = context.new_page()
    guard = Guard(page, allow=[base])
    page.goto(base)
    assert "/login" in page.url  # nothing without a session
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#queue")
    assert name in page.inner_text("#me")
    return context, page, guard


def test_proofreader_proposes_editor_accepts_then_apply(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "letter.review.db"
    store = make_store(db)
    collation = collate_letter()
    desk = Desk(collation, store)
    ball = find_ball(desk.items)
    with live_server(desk) as live:
        ctx, page, guard = log_in(browser, live.url, "pat")
        page.click(f'a[href="/item/{ball.key}"]')
        page.wait_for_selector("#readings")
        assert "ball." in page.inner_text("#readings") and "hall." in page.inner_text("#readings")
        assert page.locator("button[value=accept]").count() == 0  # proposals only
        assert page.locator("#readings img, .crops img").count() >= 1  # the print's page crop
        assert page.locator("#readings ins, #readings del").count() >= 1  # the char diff
        page.wait_for_load_state("load")  # the shortcut script is in
        with page.expect_navigation():
            page.keyboard.press("1")  # propose the first other witness's reading: P45's "hall."
        page.goto(f"{live.url}item/{ball.key}")
        assert "proposed" in page.inner_text("#state")
        assert "hall." in page.inner_text("#state-reading")
        assert guard.errors == [] and guard.requests == []
        ctx.close()

        ctx, page, guard = log_in(browser, live.url, "ed")
        page.goto(f"{live.url}item/{ball.key}")
        assert "Accept the proposal" in page.inner_text("#actions")
        page.wait_for_load_state("load")
        with page.expect_navigation():
            page.keyboard.press("p")  # accept the proposal
        page.goto(f"{live.url}item/{ball.key}")
        assert "accepted" in page.inner_text("#state")
        history = page.inner_text("#item-history")
        assert "pat" in history and "ed" in history and "propose" in history
        screenshot(page, "review-item.png", full_page=True)
        assert guard.errors == [] and guard.requests == []
        ctx.close()
    store.close()

    out = tmp_path / "corrected.txt"
    if pipeline_ready():
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "proofbench.cli",
                "apply",
                str(LETTER),
                "-o",
                str(out),
                "--db",
                str(db),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        text = out.read_text(encoding="utf-8")
    else:  # until the pipeline runs, apply the same decisions through the library
        from proofbench.review.apply import APPLIERS
        from proofbench.review.store import Store

        again = Store(str(db))
        text = APPLIERS["txt"](Desk(collation, again))
        again.close()
    assert "huge and jammed hall" in text
    assert "jammed ball" not in text


def test_proofreader_cannot_accept_in_the_browser(browser: Any, tmp_path: Path) -> None:
    store = make_store(tmp_path / "r.db")
    desk = Desk(collate_letter(), store)
    ball = find_ball(desk.items)
    with live_server(desk) as live:
        ctx, page, _guard = log_in(browser, live.url, "pat")
        page.wait_for_load_state("load")
        first = page.get_attribute("#queue tbody tr[data-href]", "data-href")
        page.keyboard.press("j")  # the queue's keys: j selects the first row, Enter opens it
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(str(first))
        page.goto(f"{live.url}item/{ball.key}")
        # Forge an accept from the page itself: the server says no.
        with page.expect_navigation():
            page.evaluate(
                "() => { const b = document.querySelector('#accept-suggestion');"
                " b.value = 'accept'; b.click(); }"
            )
        assert "403" in page.inner_text("h1")
        assert "may not accept" in page.content()
        ctx.close()
    entry = desk.entry(ball.key)
    assert entry is not None and entry.state.status == "open"
    store.close()
