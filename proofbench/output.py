"""Writing an output file safely: atomically, never onto an input, ``-`` for standard output.

Input: a destination path (or ``-``), the text or bytes to write, and the paths the output must
never replace (witness files, the manifest, the review store). Output: the file, written to a
temporary file in the same folder and renamed into place, so that a failed write (disk full,
read-only, killed) leaves the previous file exactly as it was; or the text on standard output.

Raises ``OutputError`` (one line naming the file, exit status 2 at the CLI) for a destination
that is an input, a folder, or that cannot be written; never a traceback for an OSError.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import IO

from proofbench.errors import InputError
from proofbench.model import Manifest

STDOUT = "-"
"""The destination that means standard output."""
STORE_SIDECARS = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a store while it is open: as much the store as the store."""

Sink = Callable[[IO[bytes], bytes], None]
"""Writes the bytes to an open file (a seam where a test injects a full disk)."""


class OutputError(InputError):
    """An output that may not, or cannot, be written where it was asked for."""


_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder",
}


def is_stdout(path: str | Path) -> bool:
    """True for the destination ``-``."""
    return str(path) == STDOUT


def manifest_inputs(manifest: Manifest, store: str | Path | None = None) -> list[Path]:
    """The files an output of this manifest must never replace.

    The manifest, every witness file, and the review store (``store``, a path; a URL names no
    file) with its SQLite side files.
    """
    out = [Path(manifest.path)]
    for spec in manifest.witnesses:
        out += [Path(f.split("#", 1)[0]) for f in spec.files if not f.startswith("<")]
    if store is not None and "://" not in str(store):
        out.append(Path(store))
        out += [Path(f"{store}{suffix}") for suffix in STORE_SIDECARS]
    return out


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        return False
    return os.path.realpath(a) == os.path.realpath(b)


def check_destination(path: str | Path, protected: Iterable[str | Path] = ()) -> None:
    """Refuse a destination that is a folder or one of the ``protected`` files.

    Raises OutputError naming the path and what it is.
    """
    if is_stdout(path):
        return
    target = Path(path)
    if target.is_dir():
        raise OutputError("is a folder; give a file name", file=str(path))
    for p in protected:
        if _same(target, Path(p)):
            raise OutputError(
                f"refusing to write over an input ({p}); choose another output file",
                file=str(path),
            )


def _mode(target: Path) -> int:
    """The permissions to give the file: the old file's, else the umask's default."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _copy(f: IO[bytes], data: bytes) -> None:
    f.write(data)


def _failure(path: str | Path, exc: OSError) -> OutputError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"cannot write: {reason}; nothing was changed", file=str(path))


def write_bytes(
    path: str | Path,
    data: bytes,
    protected: Iterable[str | Path] = (),
    sink: Sink = _copy,
) -> None:
    """Write ``data`` to ``path`` atomically (``-``: standard output).

    The bytes go to a temporary file beside the destination, are flushed to disk, and the file
    is renamed over the destination; on any failure the temporary file is removed and the
    destination is untouched. A symbolic link is followed (its target is replaced).
    Raises OutputError.
    """
    if is_stdout(path):
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            buffer.write(data)
            buffer.flush()
        return
    check_destination(path, protected)
    target = Path(os.path.realpath(path))
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            sink(f, data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _failure(path, exc) from exc
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)


def write_pieces(
    path: str | Path,
    pieces: Iterable[str],
    protected: Iterable[str | Path] = (),
) -> None:
    """Write text pieces as UTF-8 atomically, one at a time, never holding them joined.

    ``-`` writes them to standard output; otherwise as write_bytes. Raises OutputError.
    """
    if is_stdout(path):
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return

    def sink(f: IO[bytes], _: bytes) -> None:
        for piece in pieces:
            f.write(piece.encode("utf-8"))

    write_bytes(path, b"", protected, sink)


def write_text(
    path: str | Path,
    text: str,
    protected: Iterable[str | Path] = (),
    sink: Sink = _copy,
) -> None:
    """Write ``text`` as UTF-8 (``\\n`` line ends kept as given) atomically; see write_bytes."""
    write_bytes(path, text.encode("utf-8"), protected, sink)
