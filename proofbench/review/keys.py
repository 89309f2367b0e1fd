"""The key signing the review app's session cookies, kept in a private file outside the store.

Input: a store's URL. Output: the key (``signing_key``), read from its key file or made there
once. For an SQLite store the file sits beside it (``<store>.key``); for a server database it
is in ``$PROOFBENCH_KEYS`` or ``~/.config/proofbench/keys/``, named by a digest of the URL
without its password. The file is written 0600 under a name of its own and linked into place
(two servers starting at once agree on one key, and neither reads it half written), and it is
refused, never used, when it belongs to someone else or others may read or write it. So
reading the store, or a backup of it, gives no one the key; and since a cookie only carries a
random session token whose digest the store checks, even the key alone opens no session.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from proofbench.errors import StoreError

ENV = "PROOFBENCH_KEYS"
_MEMORY = secrets.token_hex(32)  # an in-memory store's key lives as long as the process


def key_path(url: str) -> Path | None:
    """Where the key of the store at ``url`` is kept (None for an in-memory SQLite store)."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        return None if path in ("", ":memory:") else Path(path + ".key")
    shown = make_url(url).render_as_string(hide_password=True)
    name = hashlib.sha256(shown.encode()).hexdigest()[:16] + ".key"
    folder = os.environ.get(ENV)
    base = Path(folder) if folder else Path.home() / ".config" / "proofbench" / "keys"
    return base / name


def signing_key(url: str) -> str:
    """The signing key of the store at ``url``, made on first use; raises StoreError when its
    file cannot be made or read, or is not private to this user."""
    path = key_path(url)
    if path is None:
        return _MEMORY
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.exists():
            return _read(path)
        # Written whole to a private file of its own, then linked into place (a link never
        # replaces a file): a server starting at the same moment reads either nothing yet
        # (and makes its own try) or the whole key, never a file still being written (two
        # server processes forked together read one cut short, eighth session).
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_hex(32) + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):  # another made it first: theirs holds
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return _read(path)
    except OSError as exc:
        raise StoreError(f"cannot keep the session key in {path}: {exc.strerror}") from exc


def _read(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, encoding="ascii") as f:
        st = os.fstat(f.fileno())
        if st.st_uid != os.getuid() or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise StoreError(
                f"the session key {path} may be read or written by others: "
                "delete it (a new one is made; everyone logs in again) or chmod 600 it"
            )
        key = f.read().strip()
    if len(key) < 32:  # a file cut short by a crash before its first key was written
        raise StoreError(f"the session key {path} is empty or cut short: delete it")
    return key
