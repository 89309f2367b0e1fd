"""Archive sources -> Documents: a folder of manifests, manifests, a CSV or TOML index.

Input: paths as a user gives them on the command line. Output: a tuple of frozen ``Document``
in id order. A document's ``id`` is its manifest's path relative to the archive's root (the
folder given, the index's folder, or the common folder of the manifests listed), without the
``.toml`` suffix: ``letters/1945-07-31``. Ids are unique and stable across runs.

An index names each document's manifest and may carry other columns (keys) about it: the OCR
engine, the transcriber, the batch. They become the document's ``tags``, shown and filtered in
the archive index::

    manifest,ocr,transcriber          [[document]]
    a/one.toml,tesseract-5,MB          manifest = "a/one.toml"
                                       ocr = "tesseract-5"

A ``.toml`` under a folder is a document when it is a manifest (it has a ``[collation]`` or a
``[[witness]]`` table); one that does not parse at all is kept as a document, so that its error
is reported rather than the file silently passed over. Bad sources (no such path, an index
without a ``manifest`` column, two documents with one id) raise ManifestError naming the file.
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from proofbench.errors import ManifestError, MissingFileError
from proofbench.witness.decode import read_text

_SAFE_ID = re.compile(r"^(?!\.{1,2}(?:/|$))[\w .-]+(?:/(?!\.{1,2}(?:/|$))[\w .-]+)*$")
INDEX_KEYS = frozenset({"manifest", "id"})
"""The columns (keys) of an index that are not tags."""


@dataclass(frozen=True, slots=True)
class Document:
    """One document of an archive: its manifest (an absolute path) and what the index says of it."""

    id: str
    manifest: str
    tags: tuple[tuple[str, str], ...] = ()
    """``(key, value)`` pairs from the index's other columns, in the index's column order."""


def _is_manifest(path: Path) -> bool:
    """Whether a ``.toml`` found under a folder is a manifest (or is broken: then it is kept)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True
    except OSError:
        return True
    return "collation" in data or "witness" in data


def _is_index(path: Path) -> bool:
    """Whether a ``.toml`` is an archive index (``[[document]]`` tables) rather than a manifest."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False
    return "document" in data and "witness" not in data


def _doc_id(manifest: Path, root: Path) -> str:
    rel = Path(os.path.relpath(manifest, root))
    name = rel.with_suffix("") if rel.suffix.lower() == ".toml" else rel
    return name.as_posix()


Tags = tuple[tuple[str, str], ...]


def _entry(raw: dict[str, object], where: str, index: Path) -> tuple[Path, str | None, Tags]:
    """The manifest path, forced id and tags of one index entry; raises ManifestError."""
    manifest = raw.get("manifest")
    if not isinstance(manifest, str) or not manifest.strip():
        raise ManifestError(f"{where}: no manifest named", file=str(index))
    forced = raw.get("id")
    if forced is not None and not (isinstance(forced, str) and _SAFE_ID.match(forced.strip())):
        # The id names the report's path under the output folder: it must stay inside it.
        raise ManifestError(
            f"{where}: id must be a relative path of names (letters, digits, '.', '_', '-', "
            "' ') separated by '/', without '.' or '..'",
            file=str(index),
        )
    tags = []
    for key, value in raw.items():
        if key in INDEX_KEYS:
            continue
        if not isinstance(value, str | int | float | bool):
            raise ManifestError(f"{where}: {key} must be a plain value", file=str(index))
        tags.append((key, str(value)))
    path = (index.parent / manifest.strip()).resolve()
    return path, forced.strip() if isinstance(forced, str) else None, tuple(tags)


def _csv_index(path: Path) -> list[Document]:
    text = read_text(path)[0]
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or "manifest" not in reader.fieldnames:
        raise ManifestError("an archive index needs a 'manifest' column", file=str(path), line=1)
    entries = []
    for n, row in enumerate(reader, start=2):
        if None in row:
            raise ManifestError("more cells than columns", file=str(path), line=n)
        values: dict[str, object] = {k: (v or "").strip() for k, v in row.items()}
        if not values.get("id"):
            values.pop("id", None)
        manifest, forced, tags = _entry(values, f"row {n}", path)
        _place(manifest, path, n)
        entries.append((manifest, forced, tags))
    return _indexed(path, entries)


def _toml_index(path: Path) -> list[Document]:
    try:
        data = tomllib.loads(read_text(path)[0])
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"not valid TOML: {exc}", file=str(path)) from None
    entries = data.get("document")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ManifestError("an archive index needs [[document]] tables", file=str(path))
    found = []
    for n, raw in enumerate(entries, start=1):
        manifest, forced, tags = _entry(raw, f"[[document]] #{n}", path)
        _place(manifest, path, None)
        found.append((manifest, forced, tags))
    return _indexed(path, found)


def _indexed(index: Path, entries: list[tuple[Path, str | None, Tags]]) -> list[Document]:
    """Documents of an index; ids relative to its folder (or above, to hold every manifest)."""
    root = Path(os.path.commonpath([index.resolve().parent, *(m.parent for m, _, _ in entries)]))
    return [Document(forced or _doc_id(m, root), str(m), tags) for m, forced, tags in entries]


def _place(manifest: Path, index: Path, line: int | None) -> None:
    if not manifest.is_file():
        raise MissingFileError(f"no such manifest {manifest}", file=str(index), line=line)


def _folder(path: Path, skip: Sequence[Path]) -> list[Document]:
    docs = []
    for found in sorted(path.rglob("*.toml")):
        resolved = found.resolve()
        if any(resolved.is_relative_to(s) for s in skip) or not _is_manifest(found):
            continue
        docs.append(Document(_doc_id(resolved, path.resolve()), str(resolved)))
    return docs


def discover(
    sources: Iterable[str | Path], skip: Sequence[str | Path] = ()
) -> tuple[Document, ...]:
    """The documents named by ``sources``: folders, manifests, CSV or TOML indexes, in id order.

    ``skip`` names folders to leave out of a folder's walk (the archive's own output). Raises
    MissingFileError for a source that is not there and ManifestError for a bad index, an
    empty archive or two documents with one id.
    """
    skipped = [Path(s).resolve() for s in skip]
    docs: list[Document] = []
    loose: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            docs.extend(_folder(path, skipped))
        elif not path.is_file():
            raise MissingFileError("no such folder, manifest or index", file=str(source))
        elif path.suffix.lower() == ".csv":
            docs.extend(_csv_index(path))
        elif path.suffix.lower() == ".toml" and _is_index(path):
            docs.extend(_toml_index(path))
        else:
            loose.append(path.resolve())
    if loose:
        root = Path(os.path.commonpath([p.parent for p in loose]))
        docs.extend(Document(_doc_id(p, root), str(p)) for p in loose)
    if not docs:
        names = ", ".join(str(s) for s in sources) or "(nothing)"
        raise ManifestError("no documents found (no manifest .toml, no index)", file=names)
    seen: dict[str, str] = {}
    for d in docs:
        if d.id in seen:
            raise ManifestError(
                f"two documents with the id {d.id!r}: {seen[d.id]} and {d.manifest}",
                file=d.manifest,
            )
        seen[d.id] = d.manifest
    return tuple(sorted(docs, key=lambda d: d.id))
