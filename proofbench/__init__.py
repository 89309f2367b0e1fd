"""proofbench: a transcription proofreading and diff workbench.

load (witness/) -> tokenize and normalize (text/) -> align (align/) -> classify (classify/)
-> render (render/) -> review (review/); ``pipeline.collate`` composes the stages.

The library in three calls (imported on first use, so ``import proofbench`` stays cheap)::

    import proofbench
    collation = proofbench.collate("witnesses/letter.toml")   # a Collation
    collation                                   # Collation('…', target W15, 3 witnesses, …)
    manifest, witnesses = proofbench.load("witnesses/letter.toml")   # loaded and tokenized
    flags = proofbench.check("witnesses/2015-proofread.txt")          # single-witness flags

In a notebook a Collation shows as a short table (``_repr_html_``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from proofbench.model import Collation, Flag, Manifest, Witness

__all__ = ["__version__", "check", "collate", "load"]


def collate(manifest: str | Path) -> Collation:
    """Load, tokenize, align and classify the witnesses of a manifest (TOML or CollateX JSON).

    Raises a ``proofbench.errors.InputError`` naming the file and place on bad input.
    """
    from proofbench.pipeline import collate as run

    return run(manifest)


def load(manifest: str | Path) -> tuple[Manifest, tuple[Witness, ...]]:
    """The manifest and its witnesses, loaded and tokenized (no alignment)."""
    from proofbench.pipeline import load as run

    return run(manifest)


def check(witness: str | Path | Witness) -> tuple[Flag, ...]:
    """The single-witness flags of a witness, or of a witness file in any format."""
    from proofbench.classify import check as run
    from proofbench.model import Witness

    if not isinstance(witness, Witness):
        from proofbench.pipeline import load_witnesses, single_file_manifest

        witness = load_witnesses(single_file_manifest(witness))[0]
    return run(witness)
