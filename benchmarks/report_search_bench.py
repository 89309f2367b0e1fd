"""Benchmark (not a test): full-text search and the density overview in a large HTML report.

Run: ``.venv/bin/python benchmarks/report_search_bench.py [WORDS]`` (default 100,000). Renders
the render benchmark's synthetic three-witness collation of WORDS words, opens it in headless
Chromium (Debian's, as the browser tests do) and times, inside the page: the first search (it
lowers every witness's text once), a second search, stepping to the next hit (page change,
highlight and scroll), and one redraw of the density overview. Side by side: ``grep -o -i -F``
over the three witnesses' texts written to files, what a user would otherwise run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium_path  # noqa: E402
from render_bench import synthetic  # noqa: E402

from proofbench.render import RENDERERS, RenderOptions  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    words = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    collation = synthetic(words)
    folder = Path(tempfile.mkdtemp(prefix="search-bench-"))
    report = folder / "report.html"
    report.write_text(RENDERERS["html"](collation, RenderOptions()), encoding="utf-8")
    texts = []
    for w in collation.witnesses:
        path = folder / f"{w.siglum}.txt"
        path.write_text(w.text, encoding="utf-8")
        texts.append(str(path))
    # Two queries: a frequent word and a rare one, both from the target's text.
    toks = [t.t for t in collation.witness(collation.target).text_tokens]
    frequent = max(set(toks[:5000]), key=toks[:5000].count)
    rare = toks[len(toks) // 2]
    size = report.stat().st_size / 1e6
    print(f"{words} words x 3, {len(collation.variants)} variants, report {size:.1f} MB")
    path = chromium_path()
    assert path, "no Chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        page.goto(report.as_uri())
        page.wait_for_selector("html.js-ready", timeout=120_000)
        print(f"load to ready            {time.perf_counter() - t:6.2f} s")
        for label, q in (("first search", frequent), ("second search", rare), ("again", frequent)):
            ms = page.evaluate(
                """q => { const box = document.getElementById('q'); box.value = q;
                const t = performance.now();
                box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
                return [performance.now() - t, document.getElementById('hits').textContent]; }""",
                q,
            )
            print(f"{label:<24} {ms[0]:6.0f} ms  {q!r}: {ms[1]}")
        ms = page.evaluate(
            """() => { const t = performance.now();
            document.getElementById('hit-next').click(); return performance.now() - t; }"""
        )
        print(f"next hit                 {ms:6.0f} ms")
        ms = page.evaluate(
            """() => { const t = performance.now();
            document.querySelector('.legend .lg-all[data-set=all]').click();
            return performance.now() - t; }"""
        )
        print(f"filter + density redraw {ms:7.0f} ms")
        browser.close()
    for q in (frequent, rare):
        t = time.perf_counter()
        found = subprocess.run(["grep", "-o", "-i", "-F", q, *texts], capture_output=True)
        took = 1000 * (time.perf_counter() - t)
        hits = len(found.stdout.splitlines())
        print(f"grep -o -i -F {q!r:<10} {took:6.0f} ms  {hits} hits")


if __name__ == "__main__":
    main()
