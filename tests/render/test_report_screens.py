"""The report's screens in real headless Chromium: the first screen, full-text search, the
density overview, evidence as text, and a narrow phone-sized screen.

Screenshots go to test-artifacts/. The words searched for are picked from the report's own data,
so the tests hold for any collation with variants, not only the letter's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Guard, screenshot
from render_fixtures import pipeline_ready

from proofbench.model import Collation
from proofbench.render import RENDERERS, RenderOptions

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "reports" / "letter.html"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, pivot_letter: Collation) -> Path:
    """The committed letter report once the pipeline writes it, else the fixture's rendering."""
    if pipeline_ready() and COMMITTED.exists():
        return COMMITTED
    path = tmp_path_factory.mktemp("screens") / "letter.html"
    path.write_text(RENDERERS["html"](pivot_letter, RenderOptions()), encoding="utf-8")
    return path


def _data(path: Path) -> dict[str, Any]:
    html = path.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="pb-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))  # type: ignore[no-any-return]


def _text(pieces: list[Any]) -> str:
    return "".join(p if isinstance(p, str) else p[1] for p in pieces)


def _witness_texts(data: dict[str, Any]) -> dict[str, str]:
    out = {s: [] for s in data["sigla"]}
    for page in data["pages"]:
        for r, block in enumerate(page["blocks"]):
            for s in data["sigla"]:
                pieces = block[1] if s == data["target"] else page["cells"][r].get(s, [])
                out[s].append(_text(pieces))
    return {s: "\n".join(parts) for s, parts in out.items()}


def _context(browser: Any, width: int, height: int) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from _context(browser, 1400, 900)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    yield from _context(browser, 400, 800)


def _open(page: Any, path: Path, fragment: str = "") -> Guard:
    guard = Guard(page)
    page.goto(path.as_uri() + fragment)
    page.wait_for_selector("html.js-ready")
    return guard


def _hit(page: Any) -> dict[str, Any]:
    """The highlighted search hit: its text, its place on screen, its view and column."""
    return page.evaluate(
        """() => {
        const h = CSS.highlights.get('pb-hit');
        if (!h) return null;
        const r = [...h][0];
        const box = r.getBoundingClientRect();
        const cell = r.startContainer.parentElement.closest('td, p, h3, blockquote');
        return {text: r.toString(), top: box.top, bottom: box.bottom,
                col: cell && cell.tagName === 'TD' ? cell.cellIndex : -1};
    }"""
    )


def test_first_screen_shows_the_text_and_the_suspect_readings(page: Any, report: Path) -> None:
    data = _data(report)
    suspects = [it for it in data["items"] if data["target"] in it["sus"]]
    assert suspects, "the letter's target has suspect readings"
    guard = _open(page, report)
    screenshot(page, "report-first-screen.png")
    text_top = page.locator("#reading").bounding_box()["y"]
    assert text_top < 900 / 2, f"the text starts at {text_top}px of a 900px screen"
    strip = page.locator("#sus-list .sus-go")
    assert strip.count() == min(len(suspects), 12)
    assert strip.first.bounding_box()["y"] < 900
    # The first suspect reading's entry is open beside the text, with its suggestion.
    entry = page.locator("#entry")
    assert f"{data['target']} suspect" in entry.locator(".badges").inner_text()
    assert entry.bounding_box()["y"] < 900
    # Each button of the strip goes to its reading.
    strip.nth(min(2, strip.count() - 1)).click()
    cur = page.locator("#reading a.m.cur").first
    assert "sus" in cur.get_attribute("class")
    assert page.evaluate("location.hash").startswith("#v-")
    assert guard.errors == [] and guard.requests == []


def test_search_finds_words_of_every_witness_and_scrolls_to_each(page: Any, report: Path) -> None:
    data = _data(report)
    texts = _witness_texts(data)
    target = data["target"]
    low = {s: t.lower() for s, t in texts.items()}
    # A word in the text outside any variant (in the target), and one only another witness has.
    words = re.findall(r"[A-Za-z]{6,}", texts[target])
    common = next(w for w in reversed(words) if all(w.lower() in low[s] for s in low))
    only = next(
        (s, w)
        for s in data["sigla"]
        if s != target
        for w in re.findall(r"[A-Za-z]{5,}", texts[s])
        if w.lower() not in low[target]
    )
    guard = _open(page, report)
    page.fill("#q", common)
    page.keyboard.press("Enter")
    want = sum(t.count(common.lower()) for t in low.values())
    n = len(data["sigla"])
    assert re.search(rf"\b1 / {want} hits? in {n} witnesses", page.inner_text("#hits"))
    seen_cols = set()
    for _ in range(want):
        hit = _hit(page)
        assert hit and hit["text"].lower() == common.lower()
        assert hit["top"] >= 0 and hit["bottom"] <= 900, "the hit is scrolled into view"
        seen_cols.add(hit["col"])
        page.keyboard.press("Enter")
    screenshot(page, "report-search.png")
    others = {data["sigla"].index(s) for s in data["sigla"] if s != target}
    assert others <= seen_cols, "the hits in the other witnesses are shown in their columns"
    assert page.inner_text("#hits").startswith("1 /"), "Enter after the last hit wraps"
    # A word of another witness alone: the view turns to the parallel columns, at its column.
    siglum, word = only
    page.fill("#q", word)
    page.keyboard.press("Enter")
    hit = _hit(page)
    assert hit and hit["text"].lower() == word.lower()
    assert page.get_attribute("#tab-parallel", "aria-selected") == "true"
    assert hit["col"] == data["sigla"].index(siglum)
    page.fill("#q", "")
    page.keyboard.press("Enter")
    assert page.evaluate("CSS.highlights.has('pb-hit')") is False
    assert guard.errors == [] and guard.requests == []


def test_density_overview_navigates(page: Any, report: Path) -> None:
    data = _data(report)
    guard = _open(page, report)
    bins = page.locator("#density-svg .dbin")
    assert 1 < bins.count() <= 120
    counts = [int(b.split()[0]) for b in bins.evaluate_all("bs => bs.map(b => b.ariaLabel)")]
    assert sum(counts) == len(data["items"])
    screenshot(page, "report-density.png", clip=page.locator("#density").bounding_box())
    last = bins.nth(bins.count() - 1)
    first_in_bin = data["items"][int(last.get_attribute("data-i"))]
    last.click()
    assert page.evaluate("location.hash") == "#" + (
        first_in_bin["id"] if first_in_bin["id"].startswith("v-") else "v-" + first_in_bin["id"]
    )
    assert page.locator("#reading a.m.cur").count() >= 1
    # Filtering a class away redraws the overview without it.
    page.click(".legend .lg-all[data-set=none]")
    assert page.locator("#density-svg .dbin").count() == 0
    assert guard.errors == [] and guard.requests == []


def test_evidence_reads_as_text(page: Any, report: Path) -> None:
    data = _data(report)
    quoted = [it for it in data["items"] if any("`" in e for e in it["ev"])]
    if not quoted:
        pytest.skip("no evidence quotes a word in this collation")
    it = quoted[0]
    guard = _open(page, report, "#" + ("" if it["id"].startswith("v-") else "v-") + it["id"])
    evidence = page.locator("#entry .evidence").first.inner_text()
    assert "`" not in evidence
    word = next(e for e in it["ev"] if "`" in e).split("`")[1]
    assert f"\u201c{word}\u201d" in evidence
    assert guard.errors == [] and guard.requests == []


def test_narrow_screen_shows_the_entry_over_the_text(phone: Any, report: Path) -> None:
    guard = _open(phone, report)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide on a 400px screen"
    assert not phone.locator("#entry").is_visible(), "no entry covers the first screen"
    marks = phone.locator("#reading a.m")
    mark = marks.nth(marks.count() // 2)
    mark.scroll_into_view_if_needed()
    mark.click()
    entry = phone.locator("#entry")
    assert entry.is_visible()
    box = entry.bounding_box()
    assert box["y"] + box["height"] <= 800 + 1 and box["y"] >= 800 / 3
    cur = phone.locator("#reading a.m.cur").first.bounding_box()
    assert cur["y"] >= 0 and cur["y"] + cur["height"] <= box["y"], "the selection stays visible"
    screenshot(phone, "report-narrow-entry.png")
    phone.click("#entry .entry-close")
    assert not entry.is_visible()
    assert guard.errors == [] and guard.requests == []


def test_a_crop_opens_the_whole_page_with_both_halves_of_a_broken_word(
    page: Any, report: Path
) -> None:
    data = _data(report)
    broken = [
        (it, s, boxes)
        for it in data["items"]
        for s, (_, boxes) in it.get("pg", {}).items()
        if len(boxes) == 2 and boxes[1][1] >= boxes[0][3] and it["crop"].get(s)
    ]
    if not broken:
        pytest.skip("no reading of an OCR witness is broken across two lines here")
    it, siglum, boxes = broken[0]
    guard = _open(page, report, "#" + ("" if it["id"].startswith("v-") else "v-") + it["id"])
    crop = page.locator("#entry img.crop-img").first
    height = crop.evaluate("img => img.naturalHeight")
    assert height > 64, "both lines of the broken word are in the crop, one strip each"
    crop.click()
    dialog = page.locator("#page-view")
    assert dialog.evaluate("d => d.open")
    page.wait_for_function("document.getElementById('pv-img').complete")
    assert page.evaluate("document.getElementById('pv-img').naturalWidth") > 500
    shown = page.locator("#pv-stage .pv-box")
    assert shown.count() == 2
    view = page.locator("#pv-scroll").bounding_box()
    first = shown.first.bounding_box()
    assert view["y"] <= first["y"] <= view["y"] + view["height"], "scrolled to the words"
    # The boxes sit where the scan has them, in proportion to the page.
    img = page.locator("#pv-img").bounding_box()
    w = data["pageImages"][it["pg"][siglum][0]]["w"]
    assert abs((first["x"] - img["x"]) / img["width"] - boxes[0][0] / w) < 0.01
    screenshot(page, "report-page-viewer.png")
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert guard.errors == [] and guard.requests == []


def test_page_error_rates_and_confusions_are_shown_and_defined(page: Any, report: Path) -> None:
    guard = _open(page, report)
    tables = page.locator("details.page-rates")
    if tables.count() == 0:
        pytest.skip("no OCR witness with pages in this collation")
    first = tables.first
    first.locator("summary").click()
    rows = first.locator("table.pages tbody tr")
    assert rows.count() >= 1
    for cells in rows.evaluate_all("rs => rs.map(r => [...r.cells].map(c => c.innerText))"):
        assert re.fullmatch(r"\d+(\.\d)?%", cells[1]) and re.fullmatch(r"\d+ / \d+", cells[2])
        edits, chars = map(int, cells[2].split(" / "))
        assert abs(float(cells[1].rstrip("%")) - 100 * edits / chars) < 0.06
    assert first.locator("table.confusions tbody tr").count() >= 1
    screenshot(page, "report-page-rates.png", clip=first.bounding_box())
    first.locator("a.open-help").click()
    help_text = page.locator("#help").inner_text()
    assert page.locator("#help").evaluate("d => d.open")
    for needed in ("dinglehopper", "grapheme", "Levenshtein", "UAX #29", "hyphens"):
        assert needed in help_text, needed
    assert guard.errors == [] and guard.requests == []


def test_two_witnesses_side_by_side_scroll_together(page: Any, report: Path) -> None:
    data = _data(report)
    guard = _open(page, report)
    page.keyboard.press("4")
    assert page.get_attribute("#tab-pair", "aria-selected") == "true"
    other = next(s for s in data["sigla"] if s != data["target"])
    page.select_option("#pair-a", data["target"])
    page.select_option("#pair-b", other)
    a, b = page.locator("#pane-a"), page.locator("#pane-b")
    assert data["target"] in a.locator(".pane-h").inner_text()
    assert other in b.locator(".pane-h").inner_text()
    blocks = a.locator(".blk").count()
    assert blocks == b.locator(".blk").count() > 3
    # Scroll the left pane to a block past the middle: the right pane follows to the same block.
    r = blocks * 2 // 3
    a.evaluate(f"p => p.scrollTop = p.querySelector('.blk[data-r=\"{r}\"]').offsetTop")
    page.wait_for_timeout(100)
    at = b.evaluate(
        f"""p => {{ const blk = p.querySelector('.blk[data-r="{r}"]');
            return [blk.offsetTop, blk.offsetHeight, p.scrollTop]; }}"""
    )
    assert at[2] > 0 and abs(at[2] - at[0]) <= 2, at
    screenshot(page, "report-two-witnesses.png")
    # A mark chosen in one pane is the current variant in both.
    mark = a.locator("a.m").nth(a.locator("a.m").count() // 2)
    mark.scroll_into_view_if_needed()
    mark.click()
    i = mark.get_attribute("data-i")
    assert b.locator(f'a.m.cur[data-i="{i}"]').count() >= 1 or not data["items"][int(i)]["r"].get(
        other
    )
    assert "Variant" in page.locator("#entry h3").inner_text()
    # With the link off, the right pane stays where it is.
    page.uncheck("#pair-sync")
    before = b.evaluate("p => p.scrollTop")
    a.evaluate("p => p.scrollTop = 0")
    page.wait_for_timeout(100)
    assert b.evaluate("p => p.scrollTop") == before
    assert guard.errors == [] and guard.requests == []
