"""An archive: many documents (manifests) -> a report each and one index, serially or on Dask.

Input: sources (a folder of manifests, manifests, a CSV or TOML index; ``documents``) and an
output folder. Output: ``OUTDIR/reports/<id>.html`` (and the other formats asked for) per
document, and ``OUTDIR/index.{json,csv,html}`` (``index``). This package comes after render/ in
the pipeline: it composes ``pipeline.collate`` and the renderers for each document (``task``)
and runs the documents in this process or as Dask tasks (``runner``).

``run_archive`` is the library call behind ``proofbench archive``. It raises only for bad
sources (InputError); a bad document is a failed row of the index, with its one-line error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proofbench.archive.documents import Document, discover
from proofbench.archive.index import SCHEMA, previous_rows, write_index
from proofbench.archive.runner import Cluster, Progress, run_dask, run_serial
from proofbench.archive.task import Job, Outcome, Settings


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    """What a run did: every document's outcome (in id order) and the index files written."""

    outcomes: tuple[Outcome, ...]
    index: tuple[Path, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.failed)

    @property
    def reused(self) -> int:
        return sum(o.reused for o in self.outcomes)


def run_archive(
    sources: Iterable[str | Path],
    outdir: str | Path,
    settings: Settings | None = None,
    cluster: Cluster | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> ArchiveResult:
    """Collate every document of the sources into ``outdir`` and write the archive index.

    ``cluster`` None runs serially in this process; otherwise on Dask (see ``runner``).
    Unless ``force``, a document whose inputs are unchanged since last run keeps its row.
    Raises MissingFileError / ManifestError for bad sources.
    """
    from proofbench.pipeline import created_stamp

    out = Path(outdir).resolve()
    documents = discover(list(sources), skip=[out])
    settings = settings or Settings()
    created = settings.created or created_stamp()
    # One stamp for the run: every report made now says when the archive was collated.
    settings = dataclasses.replace(settings, created=created)
    previous = {} if force else previous_rows(out)
    jobs = [Job(d, str(out), settings, previous.get(d.id)) for d in documents]
    finished: dict[str, Mapping[str, Any]] = {}

    def record(done: int, total: int, outcome: Outcome) -> None:
        finished[outcome.row["id"]] = outcome.row
        if progress:
            progress(done, total, outcome)

    try:
        outcomes = run_serial(jobs, record) if cluster is None else run_dask(jobs, cluster, record)
    except BaseException:
        # An interrupted run keeps what it did: the index gets the rows finished so far (and
        # last run's rows of the others, still checked by their hashes), so the next run
        # skips them instead of starting over.
        if finished:
            kept = [finished.get(d.id) or previous.get(d.id) for d in documents]
            write_index(out, [r for r in kept if r is not None], settings, created)
        raise
    paths = write_index(out, [o.row for o in outcomes], settings, created)
    return ArchiveResult(tuple(outcomes), tuple(paths))


__all__ = [
    "SCHEMA",
    "ArchiveResult",
    "Cluster",
    "Document",
    "Outcome",
    "Settings",
    "discover",
    "run_archive",
]
