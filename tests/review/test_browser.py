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
    collate_letter,
    find_ball,
    live_server,
    make_store,
    pipeline_ready,
    with_browser,
)
from browser import Guard, screenshot

from proofbench.model import Collation
from proofbench.review.desk import Desk

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


def propose_then_accept(browser: Any, base: str, key: str) -> None:
    """pat proposes P45's reading with key 1; ed accepts the proposal with key p."""
    ctx, page, guard = log_in(browser, base, "pat")
    page.click(f'a[href="/item/{key}"]')
    page.wait_for_selector("#readings")
    assert "ball." in page.inner_text("#readings") and "hall." in page.inner_text("#readings")
    assert page.locator("button[value=accept]").count() == 0  # proposals only
    assert page.locator(".crops img").count() >= 1  # the print's page crop
    assert page.locator("#readings ins, #readings del").count() >= 1  # the char diff
    page.wait_for_load_state("load")  # the shortcut script is in
    with page.expect_navigation():
        page.keyboard.press("1")  # propose the first other witness's reading: P45's "hall."
    page.goto(f"{base}item/{key}")
    assert "proposed" in page.inner_text("#state")
    assert "hall." in page.inner_text("#state-reading")
    assert guard.errors == [] and guard.requests == []
    ctx.close()

    ctx, page, guard = log_in(browser, base, "ed")
    page.goto(f"{base}item/{key}")
    assert "Accept the proposal" in page.inner_text("#actions")
    page.wait_for_load_state("load")
    with page.expect_navigation():
        page.keyboard.press("p")  # accept the proposal
    page.goto(f"{base}item/{key}")
    assert "accepted" in page.inner_text("#state")
    history = page.inner_text("#item-history")
    assert "pat" in history and "ed" in history and "propose" in history
    screenshot(page, "review-item.png", full_page=True)
    assert guard.errors == [] and guard.requests == []
    ctx.close()


def applied_text(tmp_path: Path, db: Path, collation: Collation) -> str:
    """`proofbench apply` on the store (the library's apply until the pipeline runs)."""
    if not pipeline_ready():
        from proofbench.review.apply import APPLIERS
        from proofbench.review.store import Store

        again = Store(str(db))
        try:
            return APPLIERS["txt"](Desk(collation, again))
        finally:
            again.close()
    out = tmp_path / "corrected.txt"
    args = ["apply", str(LETTER), "-o", str(out), "--db", str(db)]
    done = subprocess.run(
        [sys.executable, "-m", "proofbench.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def test_proofreader_proposes_editor_accepts_then_apply(tmp_path: Path) -> None:
    db = tmp_path / "letter.review.db"
    store = make_store(db)
    collation = collate_letter()
    desk = Desk(collation, store)
    ball = find_ball(desk.items)
    assert "huge and jammed hall" not in applied_text(tmp_path, db, collation)
    with live_server(desk) as live:
        with_browser(lambda browser: propose_then_accept(browser, live.url, ball.key))
    store.close()
    text = applied_text(tmp_path, db, collation)
    assert "huge and jammed hall" in text
    assert "jammed ball" not in text


def forge_accept(browser: Any, base: str, key: str) -> None:
    """pat's page offers no accept; one forged from the page itself gets a 403."""
    ctx, page, _guard = log_in(browser, base, "pat")
    page.wait_for_load_state("load")
    first = page.get_attribute("#queue tbody tr[data-href]", "data-href")
    page.keyboard.press("j")  # the queue's keys: j selects the first row, Enter opens it
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(str(first))
    page.goto(f"{base}item/{key}")
    with page.expect_navigation():
        page.evaluate(
            "() => { const b = document.querySelector('#accept-suggestion');"
            " b.value = 'accept'; b.click(); }"
        )
    assert "403" in page.inner_text("h1")
    assert "may not accept" in page.content()
    ctx.close()


def test_proofreader_cannot_accept_in_the_browser(tmp_path: Path) -> None:
    store = make_store(tmp_path / "r.db")
    desk = Desk(collate_letter(), store)
    # an item whose suggestion is not the target's reading, so its page has the suggestion's
    # accept button to forge
    item = next(i for i in desk.items if i.suggestion and i.suggestion != i.target_reading)
    with live_server(desk) as live:
        with_browser(lambda browser: forge_accept(browser, live.url, item.key))
    entry = desk.entry(item.key)
    assert entry is not None and entry.state.status == "open"
    store.close()
