"""The package as a user gets it: built with the declared build-system floor in a clean venv,
installed from the wheel, imported; and scripts/system-deps.sh on a machine it cannot fix.

The build test needs the floor's setuptools from the package index (or pip's cache); it skips
with the reason when that cannot be had (offline without a cache).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _floor() -> str:
    (req,) = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    m = re.fullmatch(r"setuptools>=([0-9.]+)", req)
    assert m, req
    return m[1]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=~ ]", requirement)[0].lower()


def _sources(dest: Path) -> Path:
    """The repository's tracked files copied to ``dest`` (what a fresh clone holds)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell which files a clone holds")
    for name in listed.stdout.decode().split("\0"):
        if not name or not (ROOT / name).is_file():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def test_metadata_names_a_distribution_of_its_own() -> None:
    project = PYPROJECT["project"]
    assert project["name"] != "proofbench", "'proofbench' on PyPI is another project"
    assert project["scripts"] == {"proofbench": "proofbench.cli:main"}
    assert project["license"] == "MIT" and (ROOT / "LICENSE").is_file()
    assert int(_floor().split(".")[0]) >= 77, "license = 'MIT' needs setuptools 77"
    assert any(c.startswith("Programming Language :: Python :: 3") for c in project["classifiers"])
    assert (ROOT / "proofbench" / "py.typed").is_file()
    heavy = {"flask", "sqlalchemy", "psycopg", "werkzeug"}
    core = {re.split(r"[\[<>=~ ]", d)[0].lower() for d in project["dependencies"]}
    assert not core & heavy, "collating needs no web app or database"
    review = {
        re.split(r"[\[<>=~ ]", d)[0].lower() for d in project["optional-dependencies"]["review"]
    }
    assert heavy <= review


def test_sdist_and_wheel_build_with_the_floor_and_import(tmp_path: Path) -> None:
    build = tmp_path / "build-venv"
    _run(sys.executable, "-m", "venv", build)
    py = build / "bin" / "python"
    got = subprocess.run(
        # The floor's own release series (77.0.0 itself was never published).
        [
            py,
            "-m",
            "pip",
            "install",
            "-q",
            f"setuptools>={_floor()},<{int(_floor().split('.')[0]) + 1}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if got.returncode != 0:
        pytest.skip(f"setuptools {_floor()}.x cannot be had here: {got.stderr.strip()[-200:]}")
    src = _sources(tmp_path / "clone")
    dist = tmp_path / "dist"
    dist.mkdir()
    backend = "import sys, setuptools.build_meta as b; print(getattr(b, sys.argv[1])(sys.argv[2]))"
    sdist = dist / _run(py, "-c", backend, "build_sdist", dist, cwd=src).strip().splitlines()[-1]
    assert sdist.name.startswith("proofbench_workbench-")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    # The wheel is built from the sdist: what the sdist leaves out, the wheel lacks too.
    wheel = (
        dist / _run(py, "-c", backend, "build_wheel", dist, cwd=unpacked).strip().splitlines()[-1]
    )
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "proofbench/py.typed",
        "proofbench/render/templates/report.html.j2",
        "proofbench/render/static/report.js",
    ):
        assert needed in names, needed
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    meta = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        .decode()
    )
    assert "Name: proofbench-workbench" in meta and "License-Expression: MIT" in meta
    assert "Provides-Extra: review" in meta
    # Install the wheel alone into a fresh folder; its dependencies come from this venv's
    # site-packages, without the editable install (python -S reads no .pth file).
    site = tmp_path / "site"
    _run(py, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel)
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir())
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{deps}"}
    out = _run(
        sys.executable,
        "-S",
        "-c",
        "import proofbench; from proofbench import collate, load, check; "
        "print(proofbench.__file__); print(collate.__doc__.split()[0])",
        cwd=tmp_path,
        env=env,
    )
    assert out.splitlines()[0].startswith(str(site)), out
    assert out.splitlines()[1] == "Load,"


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


def _system_deps(tmp_path: Path, sudo_body: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """system-deps.sh as a non-root user whose python3 lacks ensurepip (bare Debian)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    _fake(bin_dir, "python3", "exit 1")  # no ensurepip: python3-venv is missing
    _fake(bin_dir, "id", "echo 1000")
    _fake(bin_dir, "apt-get", f'echo "$@" >> {log}')
    _fake(bin_dir, "sudo", sudo_body)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHON": "python3"}
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "system-deps.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done, log


def test_system_deps_with_a_password_sudo_says_what_to_run_and_goes_on(tmp_path: Path) -> None:
    done, log = _system_deps(tmp_path, 'echo "sudo: a password is required" >&2; exit 1')
    assert done.returncode == 0, done.stderr
    assert "python3-venv" in done.stderr and "sudo apt-get install" in done.stderr
    assert not log.exists(), "nothing ran apt-get"


def test_system_deps_installs_python3_venv_with_a_working_sudo(tmp_path: Path) -> None:
    done, log = _system_deps(tmp_path, '[ "$1" = -n ] && shift; "$@"')
    assert done.returncode == 0, done.stderr
    installs = [ln for ln in log.read_text().splitlines() if ln.startswith("install")]
    assert installs and "python3-venv" in installs[0].split()
