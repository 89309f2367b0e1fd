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

from proofbench import __version__
from proofbench.align import align
from proofbench.classify import classify
from proofbench.errors import ManifestError
from proofbench.model import Collation, Kind, Manifest, Witness, WitnessSpec
from proofbench.text import tokenize_all
from proofbench.text.normalize import PROFILES, RuleError, collation_profile, witness_profile
from proofbench.witness import collatex, load_witness
from proofbench.witness.build import witness_from_spec
from proofbench.witness.decode import read_bytes
from proofbench.witness.manifest import load_manifest, single_file_manifest

_T = TypeVar("_T")

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


def load_witnesses(manifest: Manifest, stages: Stages = _none) -> tuple[Witness, ...]:
    """Load and tokenize every witness of the manifest; raises InputError subclasses."""
    loading = stages("loading")
    raw = []
    for spec in manifest.witnesses:
        raw.append(load_witness(spec))
        if loading is not None:
            loading(len(raw), len(manifest.witnesses))
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


def collate_witnesses(
    manifest: Manifest,
    witnesses: Sequence[Witness],
    progress: Progress | None = None,
    stages: Stages = _none,
) -> Collation:
    """Align and classify already loaded witnesses (``progress``: the aligning stage's)."""
    alignment = align(witnesses, progress=progress or stages("aligning"))
    variants, flags = _step(
        stages("classifying"),
        lambda: classify(manifest, witnesses, alignment, typographic=manifest.typographic),
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
    path: str | Path, progress: Progress | None = None, stages: Stages = _none
) -> Collation:
    """The whole analysis of a manifest: load, tokenize, align, classify.

    ``progress`` reports the aligning stage; ``stages`` gives a reporter for every stage.
    """
    manifest = manifest_for(path)
    witnesses = load_witnesses(manifest, stages)
    return collate_witnesses(manifest, witnesses, progress, stages)
