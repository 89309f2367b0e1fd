"""Fixtures of the render tests: the letter's collation, a hand-built one, a real browser."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from proofbench.model import Collation

# tests/ (the shared browser.py) and this folder (render_fixtures.py, hostile.py) as import roots,
# whatever pytest's import mode.
for _path in (Path(__file__).resolve().parents[1], Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
from browser import browser_fixture  # noqa: E402
from render_fixtures import pipeline_ready, pivot_collation  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "witnesses" / "letter.toml"

browser = browser_fixture()


@pytest.fixture(scope="session")
def pivot_letter() -> Collation:
    """The letter's real witnesses, aligned and classified by the test fixture's simple rules."""
    from proofbench.pipeline import load

    old = Path.cwd()
    os.chdir(ROOT)  # the manifest's paths (page images) are relative to the repository
    try:
        manifest, witnesses = load("witnesses/letter.toml")
    finally:
        os.chdir(old)
    return pivot_collation(manifest, witnesses)


@pytest.fixture(scope="session")
def letter() -> Collation:
    """The letter's collation by the real pipeline, or the fixture's until the pipeline exists."""
    if not pipeline_ready():
        pytest.skip("the align and classify stages are not built yet")
    from proofbench.pipeline import collate

    old = Path.cwd()
    os.chdir(ROOT)
    try:
        return collate("witnesses/letter.toml")
    finally:
        os.chdir(old)
