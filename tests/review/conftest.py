"""Fixtures of the review tests: a throwaway PostgreSQL server, stores over SQLite and
PostgreSQL, the letter's collation (hand-built until the pipeline runs end to end), a browser.

The PostgreSQL server is a real one: a cluster made with ``initdb`` in a temporary directory,
started on a free local port with its socket in that directory, once per session. As root it
runs as the ``postgres`` system user (else ``nobody``). Where PostgreSQL is not installed the
PostgreSQL tests skip, except under CI (env ``CI`` set), where they fail.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from proofbench.model import Collation

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # review_support, also under --import-mode=importlib
from review_support import ROOT, TESTS, collate_letter, missing, pipeline_ready  # noqa: E402

sys.path.insert(0, str(TESTS))  # the shared browser.py
from browser import browser_fixture  # noqa: E402

browser = browser_fixture()
__all__ = ["ROOT", "browser", "collate_letter", "pipeline_ready"]


# --- PostgreSQL ---------------------------------------------------------------------------
def pg_bindir() -> Path | None:
    """The folder holding initdb and postgres, or None."""
    candidates: list[str] = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if (Path(c) / "initdb").is_file() and (Path(c) / "postgres").is_file():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class PgServer:
    """A running throwaway PostgreSQL server."""

    host: str
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server on a free local port, for the whole session."""
    bindir = pg_bindir()
    if bindir is None:
        missing("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    assert bindir is not None
    kwargs: dict[str, object] = {}
    tmp = Path(tempfile.mkdtemp(prefix="proofbench-pg-"))
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            runas = pwd.getpwnam("postgres")
        except KeyError:
            runas = pwd.getpwnam("nobody")
        os.chown(tmp, runas.pw_uid, runas.pw_gid)
        kwargs = {"user": runas.pw_uid, "group": runas.pw_gid}
    env = {**os.environ, "LC_ALL": "C", "HOME": str(tmp)}
    data, port = tmp / "data", _free_port()
    proc: subprocess.Popen[bytes] | None = None
    log = None
    try:
        subprocess.run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "proofbench",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=tmp,
            **kwargs,  # type: ignore[call-overload]
        )
        log = open(tmp / "server.log", "wb")  # noqa: SIM115 - open for the server's life
        proc = subprocess.Popen(
            [
                str(bindir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(tmp),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=60",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp,
            **kwargs,  # type: ignore[call-overload]
        )
        server = PgServer("127.0.0.1", port, "proofbench")
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(
                    host=server.host,
                    port=port,
                    user=server.user,
                    dbname="postgres",
                    connect_timeout=2,
                ).close()
                break
            except psycopg.OperationalError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    text = (tmp / "server.log").read_text(errors="replace")
                    pytest.fail(f"PostgreSQL did not start:\n{text}")
                time.sleep(0.2)
        yield server
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if log is not None:
            log.close()
        shutil.rmtree(tmp, ignore_errors=True)


_counter = itertools.count(1)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store location: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "review.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database(f"review_{os.getpid()}_{next(_counter)}")


# --- the letter ----------------------------------------------------------------------------
@pytest.fixture()
def letter_dir(tmp_path: Path) -> Path:
    """A private copy of witnesses/ (manifest, files, page images), free to edit."""
    dest = tmp_path / "witnesses"
    shutil.copytree(ROOT / "witnesses", dest)
    return dest


@pytest.fixture()
def letter_manifest(letter_dir: Path) -> Path:
    """The letter's manifest in a private copy of witnesses/."""
    return letter_dir / "letter.toml"


@pytest.fixture(scope="session")
def letter_collation() -> Collation:
    """The letter's collation (real pipeline once it runs, else hand-built), from witnesses/."""
    return collate_letter(ROOT / "witnesses" / "letter.toml")


# --- the collation cache -------------------------------------------------------------------
def _env_folder(name: str, tmp_path_factory: pytest.TempPathFactory, folder: str) -> Iterator[None]:
    """Set the environment variable ``name`` to a new temporary folder for the session."""
    old = os.environ.get(name)
    os.environ[name] = str(tmp_path_factory.mktemp(folder))
    yield
    if old is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = old


@pytest.fixture(scope="session", autouse=True)
def _session_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Session keys of server databases are kept in a temporary folder, not ~/.config."""
    yield from _env_folder("PROOFBENCH_KEYS", tmp_path_factory, "keys")


@pytest.fixture(scope="session", autouse=True)
def _collation_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands under test cache collations in a temporary folder, never beside witnesses/."""
    yield from _env_folder("PROOFBENCH_CACHE", tmp_path_factory, "collation-cache")
