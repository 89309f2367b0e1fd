"""The collation cache: manifest path -> Collation, computed once per set of inputs.

Input: a manifest (or CollateX JSON) path. Output: its ``Collation``, loaded from a cache file
when one was made from exactly the same inputs, else collated and stored. The key is a digest
of proofbench's version, the bytes of proofbench's own code and data files, the manifest's bytes
and every input file's bytes, so any change to any of them recollates (and the review then
re-attaches its decisions to the new collation).

The cache lives in ``.proofbench/`` beside the manifest (or in ``$PROOFBENCH_CACHE``), one
file per manifest (``<name>.collation.pickle``), written atomically with mode 0600. Python's
pickle runs code when loaded, so a cache file is only read when it belongs to the current user
and nobody else may write to it or its folder; otherwise it is ignored (and replaced).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import proofbench
from proofbench import __version__
from proofbench.model import Collation
from proofbench.pipeline import Progress, collate_witnesses, load_witnesses, manifest_for

FOLDER = ".proofbench"
ENV = "PROOFBENCH_CACHE"
_MAGIC = b"proofbench-collation-cache\n"


@dataclass(frozen=True, slots=True)
class Cached:
    """A collation and whether it came from the cache (``hit``) or was just made."""

    collation: Collation
    hit: bool
    path: Path
    key: str


def cache_path(manifest: str | Path) -> Path:
    """Where the cache of ``manifest`` is kept: ``.proofbench/`` beside it, or the folder named
    by the environment variable ``PROOFBENCH_CACHE`` (for read-only folders, and tests)."""
    p = Path(manifest).resolve()
    folder = os.environ.get(ENV)
    if folder:
        where = hashlib.sha256(str(p).encode()).hexdigest()[:12]
        return Path(folder) / f"{p.name}.{where}.collation.pickle"
    return p.parent / FOLDER / f"{p.name}.collation.pickle"


def _code_digest() -> str:
    """A digest of proofbench's own files: a changed rule or data file recollates."""
    root = Path(proofbench.__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix not in (".pyc",) and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode() + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()


def _file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def inputs_key(manifest: str | Path) -> str:
    """The cache key of ``manifest``: version, code, manifest and every input file's bytes.

    Raises InputError subclasses for a manifest that cannot be read.
    """
    m = manifest_for(manifest)
    h = hashlib.sha256(_code_digest().encode())
    h.update(b"manifest\0" + _file_digest(str(manifest)).encode())
    h.update(repr(m).encode())  # the resolved specs: paths, formats, apparatus rules
    for spec in m.witnesses:
        for f in spec.files:
            name = f.split("#", 1)[0]
            digest = _file_digest(name) if os.path.isfile(name) else "-"
            h.update(f"{spec.siglum}\0{f}\0{digest}\n".encode())
    return h.hexdigest()


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector paused: it would rescan the growing heap of a book's tokens many
    times while they are made (measured: pickling 4x faster at 20k words without it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _trusted(path: Path) -> bool:
    """Whether the file and its folder are ours and writable by nobody else."""
    try:
        for p in (path, path.parent):
            st = p.stat()
            if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
    except OSError:
        return False
    return True


def load_cached(path: Path, key: str) -> Collation | None:
    """The collation stored at ``path`` under ``key``, or None (absent, other key, untrusted)."""
    if not _trusted(path):
        return None
    try:
        with open(path, "rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC or f.readline().strip().decode() != key:
                return None
            data = f.read()  # one read: unpickling from the file object reads in small pieces
        with _no_gc():
            value = pickle.loads(data)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None
    return value if isinstance(value, Collation) else None


def store_cached(path: Path, key: str, collation: Collation) -> bool:
    """Write the cache atomically (mode 0600); False where the folder is not writable."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:  # mkstemp makes it 0600
            f.write(_MAGIC + key.encode() + b"\n")
            with _no_gc():
                data = pickle.dumps(collation, protocol=pickle.HIGHEST_PROTOCOL)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def collate_cached(manifest: str | Path, progress: Progress | None = None) -> Cached:
    """The collation of ``manifest``, from the cache when its inputs are unchanged.

    Raises what ``pipeline.collate`` raises. A cache that cannot be written is not an error:
    the collation is returned all the same.
    """
    key = inputs_key(manifest)
    path = cache_path(manifest)
    found = load_cached(path, key)
    if found is not None:
        return Cached(found, True, path, key)
    m = manifest_for(manifest)
    collation = collate_witnesses(m, load_witnesses(m), progress)
    if inputs_key(manifest) == key:  # no file changed while it was being read
        store_cached(path, key, collation)
    return Cached(collation, False, path, key)
