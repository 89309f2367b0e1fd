"""`proofbench collate` shows each variant's decision status when a review store exists."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import PASSWORD, find_ball, pipeline_ready

from proofbench.review import decision_status
from proofbench.review.desk import Desk
from proofbench.review.store import Store, default_db

pytestmark = pytest.mark.skipif(not pipeline_ready(), reason="collate needs align and classify")


def test_report_shows_decision_status(letter_manifest: Path, tmp_path: Path) -> None:
    from proofbench.pipeline import collate

    collation = collate(letter_manifest)
    assert decision_status(letter_manifest, collation) == {}  # no store: nothing, none created
    assert not default_db(letter_manifest).exists()
    store = Store(str(default_db(letter_manifest)))
    ed = store.add_user("ed", "editor", PASSWORD)
    desk = Desk(collation, store)
    ball = find_ball(desk.items)
    entry = desk.entry(ball.key)
    assert entry is not None
    # the print's reading, which is the suggestion (issue 9: the OCR read it at confidence 94)
    desk.act(entry.stored, "accept", ed, 0, reading=ball.readings["P45"], choice="custom")
    store.close()
    want = "accepted" if ball.suggestion == ball.readings["P45"] else "corrected"
    assert decision_status(letter_manifest, collation) == {ball.key: want}

    out = tmp_path / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "proofbench.cli", "collate", str(letter_manifest), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    island = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert island, "no data island in the report"
    data = json.loads(island.group(1))
    found = {}

    def walk(x: object) -> None:
        if isinstance(x, dict):
            if "dec" in x and "id" in x:
                found[x["id"]] = x["dec"]
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    assert found == {ball.key: want}
