"""The command line loads numpy's OpenBLAS with one thread, unless the user says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = (
    "import os, proofbench.cli, numpy\n"
    "print(os.environ.get('OPENBLAS_NUM_THREADS'), len(os.listdir('/proc/self/task')))\n"
)


def _probe(env_value: str | None) -> tuple[str, int]:
    """What a fresh interpreter that imports the CLI then numpy reports: the variable's value
    and how many threads the process runs."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    }
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return out[0], int(out[1])


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
def test_cli_import_starts_no_blas_threads() -> None:
    value, threads = _probe(None)
    assert value == "1"
    assert threads == 1  # numpy's OpenBLAS starts one worker per further core otherwise


def test_user_setting_wins() -> None:
    value, _ = _probe("2")
    assert value == "2"
