"""Fixtures of the archive tests: a dozen-document archive (one broken) and a real browser."""

from __future__ import annotations

import sys
from pathlib import Path

for _path in (Path(__file__).resolve().parents[1], Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
from browser import browser_fixture  # noqa: E402

# Module scope: the browser closes when the archive browser tests end, before the render tests start
# their own session-wide one (two live sync Playwrights in one thread refuse to run).
browser = browser_fixture("module")
