"""The one composer: manifest -> Collation (load, tokenize, align, classify).

``load`` stops after tokenizing (what ``witnesses`` and ``text`` need); ``collate`` runs the whole
analysis. Rendering and review consume the Collation; they are not composed here.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from proofbench import __version__, collector
from proofbench.align import align
from proofbench.classify import classify
from proofbench.classify.wordlists import from_manifest, using
from proofbench.errors import ManifestError
from proofbench.model import (
    Alignment,
    Collation,
    Flag,
    Kind,
    Manifest,
    Variant,
    Witness,
    WitnessSpec,
)
from proofbench.parallel import available, can_fork, forked_map
from proofbench.text import tokenize_all
from proofbench.text.normalize import PROFILES, RuleError, collation_profile, witness_profile
from proofbench.witness import collatex, load_witness
from proofbench.witness.build import witness_from_spec
from proofbench.witness.decode import read_bytes
from proofbench.witness.manifest import load_manifest, single_file_manifest

_T = TypeVar("_T")

_PARALLEL_BYTES = 1 << 20
"""Witness files of at least this many bytes in all may be loaded in parallel (``_workers``).

Measured (``load_witnesses`` on pipeline_bench.py's witnesses, 2 cores, load 10-12): starting
and joining a pool of forked processes costs about 0.1 s of CPU (3 x 10k words: 0.19 s against
0.10 s serially), and loading costs about 1 s of CPU a megabyte (3 x 100k words, 1.7 MB: 1.7 to
2.4 s, most of it the mojibake check); so with two processes the saving passes the cost near
0.2 MB. A megabyte leaves a margin for the noise of those figures."""

Progress = Callable[[int, int], None]
Stages = Callable[[str], Progress | None]
"""A reporter per stage: given "loading", "tokenizing", "aligning" or "classifying", a
``Progress`` (called with done and total, ending at total == done) or None for silence."""


def _none(stage: str) -> Progress | None:
    return None


def _step(progress: Progress | None, run: Callable[[], _T]) -> _T:
    """Run a stage that cannot count its own progress, reported as one step of one."""
    if progress is not None:
        progress(0, 1)
    out = run()
    if progress is not None:
        progress(1, 1)
    return out


__all__ = [
    "collate",
    "load",
    "load_manifest",
    "manifest_for",
    "single_file_manifest",
    "witness_from_text",
]


def _profile(manifest: Manifest, spec: WitnessSpec | None = None) -> str:
    """The composed normalization profile of the collation (or of one witness)."""
    if manifest.profile not in PROFILES:
        raise ManifestError(
            f"unknown normalization profile {manifest.profile!r} (known: {', '.join(PROFILES)})",
            file=manifest.path,
        )
    try:
        return witness_profile(manifest, spec) if spec else collation_profile(manifest)
    except RuleError as exc:
        raise ManifestError(str(exc), file=manifest.path) from None


def _workers(specs: Sequence[WitnessSpec]) -> int:
    """How many processes load the witnesses: one each, up to the idle cores, where it pays.

    Forking pays where the input is large enough (``_PARALLEL_BYTES``) and a core is idle
    (the load average below the core count: on a busy machine, processes only queue); it is
    safe only from a process with one thread that is no daemon (a Dask worker, a threaded
    server: serial).
    """
    if len(specs) < 2:
        return 1
    try:
        size = sum(os.path.getsize(f) for spec in specs for f in spec.files)
    except OSError:  # a missing file (or a fragment): the serial load names it
        return 1
    if size < _PARALLEL_BYTES or not can_fork():
        return 1
    cores = available()
    idle = cores - os.getloadavg()[0]
    return max(1, min(len(specs), cores, 1 + int(idle)))


def _load_one(_: None, spec: WitnessSpec) -> Witness:
    return load_witness(spec)


def _load_all(
    specs: Sequence[WitnessSpec], loading: Progress | None, workers: int | None
) -> list[Witness]:
    """The witnesses loaded, in order; in ``workers`` processes (None: as ``_workers`` says).

    The result is the same either way (a Witness is plain data): ``parallel.forked_map``
    forks only where it is safe, and should a child fail it loads them all again here, so an
    error is raised as the serial load raises it (an error's file and place do not survive
    pickling).
    """
    workers = _workers(specs) if workers is None else min(workers, len(specs))
    done = None if loading is None else (lambda k: loading(k, len(specs)))
    return forked_map(_load_one, None, specs, workers, done)


def load_witnesses(
    manifest: Manifest, stages: Stages = _none, workers: int | None = None
) -> tuple[Witness, ...]:
    """Load and tokenize every witness of the manifest; raises InputError subclasses.

    ``workers``: how many processes load the witnesses (1: in this one; None: as many as pay,
    see ``_workers``). The witnesses are the same however many.
    """
    raw = _load_all(manifest.witnesses, stages("loading"), workers)
    profile = _profile(manifest)
    own = {s.siglum: _profile(manifest, s) for s in manifest.witnesses}
    mixed = {k: v for k, v in own.items() if v != profile}
    return _step(stages("tokenizing"), lambda: tokenize_all(raw, profile, mixed))


def manifest_for(path: str | Path) -> Manifest:
    """The manifest at ``path``, or one made for a CollateX JSON input file (its witnesses).

    Raises InputError subclasses naming the file.
    """
    data = read_bytes(path)
    if collatex.sniff(data, str(path)):
        specs = tuple(collatex.witness_specs_from_collatex(path))
        return Manifest(path=str(path), title=Path(path).stem, witnesses=specs)
    return load_manifest(path)


def load(path: str | Path) -> tuple[Manifest, tuple[Witness, ...]]:
    """Read a manifest (or a CollateX JSON input file) and load its witnesses, tokenized."""
    manifest = manifest_for(path)
    return manifest, load_witnesses(manifest)


def witness_from_text(
    siglum: str, text: str, kind: Kind = Kind.TRANSCRIPTION, profile_name: str = "default"
) -> Witness:
    """A tokenized witness made from a string (for tests, benchmarks and library users)."""
    spec = WitnessSpec(siglum=siglum, files=(f"<{siglum}>",), kind=kind)
    raw = witness_from_spec(spec, text=text, fmt="text", encoding="utf-8")
    return tokenize_all([raw], profile_name)[0]


def created_stamp() -> str:
    """The report's creation time: SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
        if epoch and epoch.isdigit()
        else _dt.datetime.now(_dt.UTC)
    )
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _classify(
    manifest: Manifest, witnesses: Sequence[Witness], alignment: Alignment, jobs: int = 1
) -> tuple[tuple[Variant, ...], tuple[Flag, ...]]:
    """``classify`` with the manifest's word lists in force (good, bad and scanno words)."""
    with using(from_manifest(manifest)):
        return classify(manifest, witnesses, alignment, typographic=manifest.typographic, jobs=jobs)


def collate_witnesses(
    manifest: Manifest,
    witnesses: Sequence[Witness],
    progress: Progress | None = None,
    stages: Stages = _none,
    jobs: int | None = None,
) -> Collation:
    """Align and classify already loaded witnesses (``progress``: the aligning stage's).

    ``jobs``: how many processes may share the work (None: the CPUs this process may use;
    1: all of it here). The collation is the same however many.
    """
    jobs = available() if jobs is None else jobs
    alignment = align(witnesses, progress=progress or stages("aligning"))
    variants, flags = _step(
        stages("classifying"),
        lambda: _classify(manifest, witnesses, alignment, jobs),
    )
    return Collation(
        manifest=manifest,
        witnesses=tuple(witnesses),
        alignment=alignment,
        variants=variants,
        flags=flags,
        profile=_profile(manifest),
        created=created_stamp(),
        version=__version__,
    )


def collate(
    path: str | Path,
    progress: Progress | None = None,
    stages: Stages = _none,
    jobs: int | None = None,
) -> Collation:
    """The whole analysis of a manifest: load, tokenize, align, classify.

    ``progress`` reports the aligning stage; ``stages`` gives a reporter for every stage.
    ``jobs``: how many processes may share the work (None: the CPUs this process may use; 1:
    all of it in this one). The collation is the same however many.
    """
    with collector.paused():  # a collation makes next to no reference cycles (collector.py)
        manifest = manifest_for(path)
        jobs = available() if jobs is None else jobs
        workers = min(jobs, _workers(manifest.witnesses))
        witnesses = load_witnesses(manifest, stages, workers)
        return collate_witnesses(manifest, witnesses, progress, stages, jobs)
