"""The archive index in a real headless Chromium: it opens offline, links to every report,
sorts and filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from archive_support import CREATED, write_archive
from browser import Guard, screenshot

from proofbench.archive import Settings, run_archive

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser-archive")
    write_archive(root / "src")
    tags = root / "index.csv"
    lines = ["manifest,batch"]
    for manifest in sorted((root / "src").rglob("doc.toml")):
        rel = manifest.relative_to(root).as_posix()
        lines.append(f"{rel},{manifest.parent.parent.name}")
    tags.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_archive([tags], root / "out", Settings(created=CREATED))
    return root / "out" / "index.html"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def _ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#archive tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)"
    )


def test_index_opens_offline_and_links_to_each_report(page: Any, index: Path) -> None:
    guard = Guard(page)
    page.goto(index.as_uri())
    screenshot(page, "archive-index.png", full_page=True)
    assert page.locator("#archive tbody tr").count() == 12
    failed = page.locator("#archive tbody tr.failed")
    assert failed.count() == 1 and "gone.txt" in failed.inner_text()
    assert failed.locator("a").count() == 0
    links = page.eval_on_selector_all(
        "a.report", "as => as.map(a => [a.closest('tr').cells[1].textContent, a.href])"
    )
    assert len(links) == 11
    for title, href in links:
        assert title.startswith("Passage ")
        page.goto(href)
        # each link opens that document's own report (its title), drawn by its script
        page.wait_for_selector("html.js-ready")
        assert page.url == href
        assert title in page.title()
    assert guard.errors == [] and guard.requests == []


def test_sort_and_filter(page: Any, index: Path) -> None:
    guard = Guard(page)
    page.goto(index.as_uri())
    ids = _ids(page)
    assert ids == sorted(ids)
    col = int(page.get_by_role("button", name="words", exact=True).get_attribute("data-col"))
    words = page.locator(f"th button[data-col='{col}']")  # its name gains the sort arrow
    script = f"rows => rows.map(r => Number(r.cells[{col}].dataset.sort))"
    words.click()
    values = page.eval_on_selector_all("#archive tbody tr.ok", script)
    assert values == sorted(values) and values[0] < values[-1]
    assert _ids(page)[-1] == "src/batch9/broken/doc"  # no figures: last either way
    words.click()
    values = page.eval_on_selector_all("#archive tbody tr.ok", script)
    assert values == sorted(values, reverse=True)
    page.select_option("#filter-status", "failed")
    assert _ids(page) == ["src/batch9/broken/doc"]
    assert page.inner_text("#shown") == "1 shown"
    page.select_option("#filter-status", "")
    page.select_option("select[data-tag=batch]", "batch1")
    shown = _ids(page)
    assert shown and all("/batch1/" in i for i in shown)
    page.select_option("select[data-tag=batch]", "")
    page.fill("#filter-text", "passage 3")
    assert _ids(page) == ["src/batch1/doc03/doc"]
    page.fill("#filter-text", "gone.txt")
    assert _ids(page) == ["src/batch9/broken/doc"]
    assert guard.errors == [] and guard.requests == []
