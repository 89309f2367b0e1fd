"""Fixtures of the render tests: the letter's collation, a hand-built one, a real browser."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from proofbench.model import Collation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared browser.py
from browser import browser_fixture
from render_fixtures import pivot_collation

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "witnesses" / "letter.toml"

browser = browser_fixture()


def pipeline_ready() -> bool:
    """True once the align and classify stages exist (the whole pipeline runs)."""
    try:
        from proofbench.align import align  # noqa: F401
        from proofbench.classify import classify  # noqa: F401
    except ImportError:
        return False
    return True


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
