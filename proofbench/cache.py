"""The collation cache: manifest path -> Collation, computed once per set of inputs.

Input: a manifest (or CollateX JSON) path. Output: its ``Collation``, loaded from a cache file
when one was made from exactly the same inputs, else collated and stored. The key is a digest
of proofbench's version, the bytes of proofbench's own code and data files, the manifest's bytes
and every input file's bytes, so any change to any of them recollates (and the review then
re-attaches its decisions to the new collation).

The cache lives in ``.proofbench/`` beside the manifest (or in ``$PROOFBENCH_CACHE``), one
file per manifest (``<name>.collation.pickle``), written atomically with mode 0600. The file
holds its key, an index, and separate pickled parts: the collation, and views derived from it
(the review's outline: items, the target's text, the witnesses' names), so a reader unpickles
only the part it needs (a book's review opens on its outline without reading its tokens). Python's
pickle runs code when loaded, so a cache file is only read when it belongs to the current user
and nobody else may write to it or its folder; otherwise it is ignored (and replaced).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import pickle
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import proofbench
from proofbench import __version__
from proofbench.model import Collation

if TYPE_CHECKING:
    from proofbench.model import Manifest
    from proofbench.pipeline import Progress

FOLDER = ".proofbench"
ENV = "PROOFBENCH_CACHE"
_MAGIC = b"proofbench-collation-cache 2\n"
COLLATION = "collation"
"""The name of the collation's own part of a cache file."""


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


def read_manifest(path: str | Path) -> Manifest:
    """``pipeline.manifest_for`` without importing the pipeline (its stages take a second to
    import, the time a warm review has to open in): a manifest, or one made for a CollateX
    JSON file. Raises InputError subclasses naming the file."""
    from proofbench.witness import collatex
    from proofbench.witness.decode import read_bytes
    from proofbench.witness.manifest import load_manifest

    if collatex.sniff(read_bytes(path), str(path)):
        from proofbench.pipeline import manifest_for

        return manifest_for(path)
    return load_manifest(path)


def _collate(manifest: str | Path, progress: Progress | None = None) -> Collation:
    from proofbench.pipeline import collate_witnesses, load_witnesses, manifest_for

    m = manifest_for(manifest)
    return collate_witnesses(m, load_witnesses(m), progress)


def inputs_key(manifest: str | Path) -> str:
    """The cache key of ``manifest``: version, code, manifest and every input file's bytes.

    The same for any spelling of the manifest's path (``bench.toml`` from its folder, or its
    absolute path): the path is resolved before the manifest is read, so its resolved specs
    (part of the key) name the same files either way. Raises InputError subclasses for a
    manifest that cannot be read.
    """
    manifest = Path(manifest).resolve()
    m = read_manifest(manifest)
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


def _open_trusted(path: Path) -> BinaryIO | None:
    """The file opened for reading if it and its folder are ours and writable by nobody else
    (checked on the open file itself, so it cannot be swapped between check and read)."""
    try:
        st = path.parent.stat()
        if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    f = os.fdopen(fd, "rb")
    st = os.fstat(fd)
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        f.close()
        return None
    return f


def load_section(path: Path, key: str, name: str) -> object | None:
    """The part ``name`` of the cache at ``path`` made under ``key``, or None (absent, made
    for other inputs, untrusted, unreadable). Only that part is read and unpickled."""
    f = _open_trusted(path)
    if f is None:
        return None
    try:
        with f:
            if f.read(len(_MAGIC)) != _MAGIC or f.readline().strip().decode() != key:
                return None
            index = json.loads(f.readline())
            if name not in index:
                return None
            offset, length = (int(n) for n in index[name])
            f.seek(offset, os.SEEK_CUR)
            data = f.read(length)  # one read: unpickling from the file reads in small pieces
        if len(data) != length:
            return None
        with _no_gc():
            value: object = pickle.loads(data)
        return value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None


def load_cached(path: Path, key: str) -> Collation | None:
    """The collation stored at ``path`` under ``key``, or None (absent, other key, untrusted)."""
    value = load_section(path, key, COLLATION)
    return value if isinstance(value, Collation) else None


def store_cached(
    path: Path, key: str, collation: Collation, views: Mapping[str, object] | None = None
) -> bool:
    """Write the cache atomically (mode 0600): the collation and each view as its own part,
    so a reader unpickles only the part it needs; False where the folder is not writable."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return False
    try:
        with _no_gc():
            parts = {name: pickle.dumps(v, protocol=5) for name, v in (views or {}).items()}
            parts[COLLATION] = pickle.dumps(collation, protocol=5)
        index: dict[str, tuple[int, int]] = {}
        at = 0
        for name, data in parts.items():
            index[name] = (at, len(data))
            at += len(data)
        with os.fdopen(fd, "wb") as f:  # mkstemp makes it 0600
            f.write(_MAGIC + key.encode() + b"\n")
            f.write(json.dumps(index).encode() + b"\n")
            for data in parts.values():
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


View = Callable[[Collation], object]
"""A part derived from a collation and kept beside it in the cache (the review's outline)."""


class Cached:
    """A manifest's cached collation: whether it was found (``hit``), where, under which key;
    the collation itself is read only when ``collation`` is first asked for, and each view
    on its own (``view``)."""

    def __init__(
        self,
        manifest: str | Path,
        path: Path,
        key: str,
        hit: bool,
        collation: Collation | None = None,
        views: Mapping[str, object] | None = None,
    ) -> None:
        self.manifest = manifest
        self.path = path
        self.key = key
        self.hit = hit
        self._collation = collation
        self._views = dict(views or {})
        self._lock = threading.Lock()

    @property
    def collation(self) -> Collation:
        """The collation: in memory, else read from the cache, else (the cache having been
        replaced meanwhile) collated again. Raises what ``pipeline.collate`` raises."""
        with self._lock:
            if self._collation is None:
                self._collation = load_cached(self.path, self.key)
            if self._collation is None:
                self._collation = _collate(self.manifest)
            return self._collation

    def view(self, name: str) -> object | None:
        """The view ``name`` stored with the collation, or None when it is not there."""
        with self._lock:
            if name not in self._views:
                self._views[name] = load_section(self.path, self.key, name)
            return self._views[name]


def collate_cached(
    manifest: str | Path,
    progress: Progress | None = None,
    views: Mapping[str, View] | None = None,
) -> Cached:
    """The collation of ``manifest``, from the cache when its inputs are unchanged.

    ``views`` name parts derived from the collation to keep beside it; on a hit where one of
    them is missing (a cache written without it), it is made and the cache rewritten. On a
    hit nothing but the cache's header is read here: the collation and the views are read
    when asked for. Raises what ``pipeline.collate`` raises. A cache that cannot be written
    is not an error: the collation is returned all the same.
    """
    views = views or {}
    key = inputs_key(manifest)
    path = cache_path(manifest)
    found = _index(path, key)
    if found is not None and all(name in found for name in views):
        return Cached(manifest, path, key, True)
    collation = load_cached(path, key) if found is not None else None
    hit = collation is not None
    if collation is None:
        collation = _collate(manifest, progress)
    made = {name: make(collation) for name, make in views.items()}
    if inputs_key(manifest) == key:  # no file changed while it was being read
        store_cached(path, key, collation, made)
    return Cached(manifest, path, key, hit, collation, made)


def _index(path: Path, key: str) -> dict[str, object] | None:
    """The names of the parts of the cache at ``path`` made under ``key``, or None."""
    f = _open_trusted(path)
    if f is None:
        return None
    try:
        with f:
            if f.read(len(_MAGIC)) != _MAGIC or f.readline().strip().decode() != key:
                return None
            index = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) else None
