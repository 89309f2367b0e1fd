"""Running the proofbench command line as a user does: a subprocess, exit code and both streams."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    """What a run of the CLI produced."""

    code: int
    stdout: str
    stderr: str

    @property
    def err_lines(self) -> list[str]:
        """The non-empty lines written to stderr."""
        return [ln for ln in self.stderr.splitlines() if ln.strip()]


def _command() -> list[str]:
    """The installed ``proofbench`` script beside this Python, else ``python -m proofbench.cli``."""
    script = Path(sys.executable).parent / "proofbench"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "proofbench.cli"]


def run_cli(args: list[str], cwd: Path = ROOT) -> Result:
    """Run ``proofbench ARGS`` as a subprocess in ``cwd`` and capture the result."""
    proc = subprocess.run(
        [*_command(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_one_line_error(result: Result, *names: str) -> str:
    """Assert exit status 2 and exactly one stderr line, naming each of ``names``; return it."""
    assert result.code == 2, (result.code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.err_lines
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]
