"""The letter through the whole pipeline: golden exports, the committed reports, the command."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from render_fixtures import check_golden

from proofbench.model import Collation
from proofbench.render import RENDERERS, RenderOptions

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
OUTPUTS = {
    "letter.html": "html",
    "letter.json": "json",
    "letter.tei.xml": "tei",
    "letter.csv": "csv",
    "letter.txt": "txt",
}
STAMP = "2000-01-01T00:00:00Z"


def _decisions(collation: Collation) -> dict[str, str]:
    """The review decisions `proofbench collate` shows: a store beside the manifest, if any."""
    try:
        from proofbench.review import decision_status
    except ImportError:
        return {}
    return decision_status(ROOT / "witnesses" / "letter.toml", collation)


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proofbench.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("name", "fmt"), [("json", "json"), ("tei.xml", "tei"), ("csv", "csv")])
def test_letter_golden(letter: Collation, name: str, fmt: str) -> None:
    stamped = dataclasses.replace(letter, created=STAMP)
    check_golden(f"letter.{name}", RENDERERS[fmt](stamped, RenderOptions()))


def test_committed_reports_are_not_stale(letter: Collation) -> None:
    """Regenerate every committed report with its recorded creation time; all must match."""
    committed = REPORTS / "letter.json"
    assert committed.exists(), "reports/letter.json is committed (run `make report`)"
    created = json.loads(committed.read_text("utf-8"))["created"]
    stamped = dataclasses.replace(letter, created=created)
    options = RenderOptions(decisions=_decisions(letter))  # as `proofbench collate` does
    for name, fmt in OUTPUTS.items():
        path = REPORTS / name
        assert path.exists(), f"reports/{name} is committed (run `make report`)"
        fresh = RENDERERS[fmt](stamped, options)
        assert fresh == path.read_text("utf-8"), f"reports/{name} is stale: run `make report`"


def test_letter_report_has_the_known_findings(letter: Collation) -> None:
    """The W15 readings the witness kit names as wrong are marked suspect, with the print's."""
    by_reading = {
        v.readings.get("W15", "").strip(".,"): v for v in letter.variants if "W15" in v.suspect
    }
    # E01 (L,D.) and E03 (there,); E02 (ball.) is left to the reviewer until context evidence
    # comes from data (issue 9).
    assert "L,D" in by_reading and (by_reading["L,D"].suggestion or "").startswith("L.D")
    assert "there" in by_reading and by_reading["there"].suggestion == "there"


def test_cli_writes_several_outputs(letter: Collation, tmp_path: Path) -> None:
    outs = [tmp_path / "r.html", tmp_path / "r.json", tmp_path / "r.tei.xml", tmp_path / "r.txt"]
    args = ["collate", "witnesses/letter.toml", "--created", STAMP]
    for o in outs:
        args += ["-o", str(o)]
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    assert all(o.stat().st_size > 0 for o in outs)
    assert json.loads(outs[1].read_text("utf-8"))["created"] == STAMP
    assert outs[2].read_text("utf-8").startswith("<?xml")


def test_cli_format_overrides_extension(letter: Collation, tmp_path: Path) -> None:
    out = tmp_path / "findings.out"
    done = _cli("collate", "witnesses/letter.toml", "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text("utf-8").startswith("id,class,classes,")


def test_cli_refuses_unknown_extension(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    done = _cli("collate", "witnesses/letter.toml", "-o", str(out))
    assert done.returncode == 2
    assert "report.docx" in done.stderr and "--format" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()
