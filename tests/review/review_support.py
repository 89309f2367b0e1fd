"""Helpers of the review tests: where things are, the letter's collation, skipping under CI."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from proofbench.model import Collation

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS / "render"))  # render_fixtures: a collation without align/classify
from render_fixtures import pivot_collation  # noqa: E402


def pipeline_ready() -> bool:
    """True once align and classify exist, so ``proofbench.pipeline.collate`` runs."""
    try:
        from proofbench.align import align  # noqa: F401
        from proofbench.classify import classify  # noqa: F401
    except ImportError:
        return False
    return True


def collate_letter(manifest: Path) -> Collation:
    """The collation of a letter manifest: the real pipeline's, else the hand-built one."""
    from proofbench.pipeline import collate, load

    if pipeline_ready():
        return collate(manifest)
    m, witnesses = load(manifest)
    return pivot_collation(m, witnesses)


def missing(reason: str) -> None:
    """Skip for want of a system part; under CI fail instead."""
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI must run these tests)")
    pytest.skip(reason)
