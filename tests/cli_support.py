"""Running the proofbench command line as a user does, in-process: exit code and both streams.

``run_cli`` drives the click group with click's ``CliRunner`` in the given working folder:
errors are mapped inside click (``proofbench.cli.ProofbenchGroup``), so what a user sees on
the terminal is what the runner captures, without starting a Python per test. An exception
that escapes the mapping shows in ``stderr`` as a traceback, so tests asserting "no traceback"
still catch it. ``run_script`` runs the installed console script in a subprocess, for the few
tests about the entry point itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from proofbench.cli import cli

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


def run_cli(args: list[str], cwd: Path = ROOT, input: str | bytes | None = None) -> Result:
    """Run ``proofbench ARGS`` in-process in ``cwd`` (``input`` as stdin) and capture it."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args, input=input, prog_name="proofbench")
    finally:
        os.chdir(old)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(*result.exc_info)
        )
    return Result(result.exit_code, result.stdout, stderr)


def command() -> list[str]:
    """The installed ``proofbench`` script beside this Python, else ``python -m proofbench.cli``."""
    script = Path(sys.executable).parent / "proofbench"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "proofbench.cli"]


def run_script(args: list[str], cwd: Path = ROOT, input: str | None = None) -> Result:
    """Run the installed ``proofbench ARGS`` as a subprocess in ``cwd`` and capture the result."""
    proc = subprocess.run(
        [*command(), *args],
        cwd=cwd,
        input=input,
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
