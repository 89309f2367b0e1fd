"""`review --archive` in real headless Chromium: log in once, page and filter the archive's
queue, decide an item on its document's page, see the decision in the archive queue."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from app_support import PASSWORD, make_store, with_browser
from browser import Guard, screenshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "archive"))
from archive_support import CREATED, write_archive

from proofbench.archive import Settings, run_archive
from proofbench.cache import collate_cached
from proofbench.review.archive_app import make_archive_server
from proofbench.review.archive_queue import ArchiveFilters, ArchiveQueue, read_archive

pytestmark = pytest.mark.browser


@contextmanager
def serving(queue: ArchiveQueue) -> Iterator[str]:
    server = make_archive_server(queue)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_archive_queue_in_chromium(tmp_path: Path) -> None:
    write_archive(tmp_path / "src")
    run_archive([tmp_path / "src"], tmp_path / "out", Settings(created=CREATED))
    documents, _ = read_archive(tmp_path / "out")
    store = make_store(tmp_path / "review.db")
    queue = ArchiveQueue(store, documents, lambda m: collate_cached(m).collation)
    queue.index()
    top = queue.page(ArchiveFilters(), 0, 1).entries[0]
    total = queue.page().total
    try:
        with serving(queue) as base:

            def scenario(browser: Any) -> None:
                context = browser.new_context()
                page = context.new_page()
                guard = Guard(page, allow=[base])
                page.goto(base)
                assert "/login" in page.url
                page.fill("#name", "ed")
                page.fill("#password", PASSWORD)
                page.click("#login-submit")
                page.wait_for_selector("#queue")
                assert f"of {total} decided" in page.inner_text("#progress")
                docs = page.eval_on_selector_all(
                    "#queue tr[data-document]", "rs => rs.map(r => r.dataset.document)"
                )
                assert len(set(docs)) > 1
                # filter to one document through the form
                page.select_option("#filter-document", top.document.id)
                with page.expect_navigation():
                    page.click("#filters button[type=submit]")
                docs = page.eval_on_selector_all(
                    "#queue tr[data-document]", "rs => rs.map(r => r.dataset.document)"
                )
                assert docs and set(docs) == {top.document.id}
                screenshot(page, "review-archive-queue.png", full_page=True)
                # open the first item: the document's own page, the same session
                with page.expect_navigation():
                    page.click("#queue tbody tr:first-child a.reading")
                assert f"/doc/{top.document.id}/item/{top.item.key}" in page.url
                page.wait_for_selector("#actions")
                with page.expect_navigation():
                    page.click("#accept-suggestion")
                page.goto(f"{base}?status=accepted")
                rows = page.locator("#queue tr[data-document]")
                assert rows.count() == 1
                assert rows.first.get_attribute("data-key") == top.item.key
                assert "accepted" in rows.first.inner_text()
                assert guard.errors == [] and guard.requests == []
                context.close()

            with_browser(scenario)
    finally:
        store.close()
