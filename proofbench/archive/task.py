"""One document -> its report files and its index row: the unit of work of an archive run.

Input: a ``Job`` (the document, the output folder, the settings, last run's row). Output: an
``Outcome`` holding the row. ``process`` is a plain top-level function of picklable data, so the
same call runs in this process (``--serial``) or as a Dask task on any worker that sees the
same files; it never raises for a bad document: the failure becomes the row's one-line error.

A re-run skips a document whose inputs did not change: the row records the files the collation
read (the manifest, every witness file, every page image) and a SHA-256 over their bytes and the
settings that shape the report; when the same files hash the same and the reports are still
there, last run's row stands. Reports are written atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proofbench import __version__
from proofbench.archive.documents import Document
from proofbench.classify.weigh import apply_threshold
from proofbench.errors import ProofbenchError
from proofbench.model import Collation
from proofbench.witness.collatex import split_fragment

REPORTS = "reports"
"""The folder of the output folder that holds the documents' reports."""
EXTENSIONS = {"html": ".html", "json": ".json", "tei": ".tei.xml", "csv": ".csv", "txt": ".txt"}


@dataclass(frozen=True, slots=True)
class Settings:
    """What shapes every document's report: formats, the txt threshold, the creation stamp."""

    formats: tuple[str, ...] = ("html",)
    min_confidence: float = field(default_factory=apply_threshold)
    created: str | None = None
    """Stamp written in every report (None: the pipeline's own, SOURCE_DATE_EPOCH or now)."""

    def fingerprint(self) -> str:
        """What, besides the inputs, decides the reports' content (not the stamp: a date)."""
        return f"proofbench {__version__}; formats {','.join(self.formats)}; {self.min_confidence}"


@dataclass(frozen=True, slots=True)
class Job:
    """A document to process, where to write, and last run's row for it (None: none)."""

    document: Document
    outdir: str
    settings: Settings
    previous: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a document: its row, and whether it was collated now or reused."""

    row: Mapping[str, Any]
    reused: bool = False

    @property
    def failed(self) -> bool:
        return self.row.get("error") is not None


def report_paths(document: Document, settings: Settings) -> dict[str, str]:
    """Each format's report path, relative to the output folder (POSIX separators)."""
    return {f: f"{REPORTS}/{document.id}{EXTENSIONS[f]}" for f in settings.formats}


def inputs_key(manifest: Path, inputs: list[str], settings: Settings) -> str | None:
    """SHA-256 over the settings and every input's name and bytes; None if one is unreadable."""
    h = hashlib.sha256(settings.fingerprint().encode())
    for rel in inputs:
        try:
            data = (manifest.parent / rel).read_bytes()
        except OSError:
            return None
        h.update(b"\0" + rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _inputs(collation: Collation, manifest: Path) -> list[str]:
    """The files the collation read, relative to the manifest's folder, sorted, manifest first."""
    files = {split_fragment(f)[0] for spec in collation.manifest.witnesses for f in spec.files}
    for w in collation.witnesses:
        files.update(s.source.image for s in w.spans if s.source.image)
    names = set()
    for f in files:
        path = Path(f) if Path(f).is_absolute() else manifest.parent / f
        if path.is_file():
            names.add(os.path.relpath(path, manifest.parent))
    return [manifest.name, *sorted(n for n in names if n != manifest.name)]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, LF) to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def base_row(job: Job) -> dict[str, Any]:
    """The row's fields known before collating: id, manifest, tags, report links."""
    doc = job.document
    return {
        "id": doc.id,
        "manifest": Path(os.path.relpath(doc.manifest, job.outdir)).as_posix(),
        "tags": dict(doc.tags),
        "reports": report_paths(doc, job.settings),
    }


def _unchanged(job: Job) -> bool:
    prev = job.previous
    if not prev or prev.get("error") is not None or not prev.get("key"):
        return False
    if prev.get("reports") != report_paths(job.document, job.settings):
        return False
    if any(not (Path(job.outdir) / p).is_file() for p in prev["reports"].values()):
        return False
    inputs = prev.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
        return False
    key = inputs_key(Path(job.document.manifest), inputs, job.settings)
    return key is not None and key == prev["key"]


def _collate(job: Job) -> dict[str, Any]:
    from proofbench.archive.figures import figures
    from proofbench.pipeline import collate
    from proofbench.render import RENDERERS, RenderOptions
    from proofbench.render.collation_json import kept_variants

    manifest = Path(job.document.manifest)
    # One process a document: the archive shares the cores among documents (Dask's workers),
    # and a worker that forked its own would oversubscribe them.
    collation = collate(manifest, jobs=1)
    if job.settings.created is not None:
        collation = dataclasses.replace(collation, created=job.settings.created)
    options = RenderOptions(min_confidence=job.settings.min_confidence)
    row = base_row(job)
    for fmt, rel in row["reports"].items():
        write_atomic(Path(job.outdir) / rel, RENDERERS[fmt](collation, options))
    inputs = _inputs(collation, manifest)
    row.update(figures(collation, kept_variants(collation, options)))
    row.update(error=None, inputs=inputs, key=inputs_key(manifest, inputs, job.settings))
    return row


def failed_row(job: Job, error: str) -> dict[str, Any]:
    """The row of a document that could not be collated: its one-line error."""
    row = base_row(job)
    row["reports"] = {}
    row["error"] = " ".join(error.split()) or "failed"
    return row


def process(job: Job) -> Outcome:
    """Collate one document and write its reports, or reuse last run's row if nothing changed.

    Never raises for the document's sake: bad input (ProofbenchError) becomes the row's error as
    the CLI would print it; anything else becomes ``internal error: Type: message``.
    """
    if _unchanged(job):
        assert job.previous is not None
        # The index may have changed the document's tags: those are the index's, not inputs.
        return Outcome(row={**job.previous, **base_row(job)}, reused=True)
    try:
        return Outcome(row=_collate(job))
    except ProofbenchError as exc:
        return Outcome(row=failed_row(job, str(exc)))
    except Exception as exc:  # a bug on one document must not stop the archive
        return Outcome(row=failed_row(job, f"internal error: {type(exc).__name__}: {exc}"))
