"""What a renderer may be told besides the Collation: thresholds, switches, review decisions.

Input: keyword arguments or a path; output: a frozen ``RenderOptions`` or a format name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from proofbench.classify.weigh import apply_threshold
from proofbench.errors import InputError

FORMATS = ("html", "json", "tei", "csv", "txt", "collatex")

_SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".collatex.json": "collatex",
    ".tei": "tei",
    ".tei.xml": "tei",
    ".xml": "tei",
    ".csv": "csv",
    ".txt": "txt",
    ".text": "txt",
}

ACCEPTED = "accepted"
"""The decision status under which a suggestion is applied whatever its confidence."""
REJECTED = "rejected"
"""A decision status under which a suggestion is never applied."""
NOT_APPLIED = frozenset({REJECTED, "dismissed", "corrected"})
"""Statuses under which the txt output leaves the target's reading alone: refused, dismissed,
or corrected to another reading (which ``proofbench apply`` writes from the review store)."""


class UnknownFormatError(InputError):
    """An output path whose extension names no format (and no ``--format`` was given)."""


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Switches shared by all renderers; each renderer reads only the ones it needs.

    ``min_confidence``: the txt renderer applies a suggestion only at or above it (by default
    the fitted ``classify.weigh.apply_threshold``).
    ``report_typographic``: keep variants classed ``typographic`` (quotes, dashes) in the outputs.
    ``decisions``: ``{variant_id: status}`` from a review store (accepted, corrected, rejected,
    proposed, deferred, dismissed); shown in the HTML, JSON and CSV, obeyed by the txt renderer.
    ``crop_budget``: bytes of page-image crops the HTML report may inline in all.
    ``page_budget``: bytes of whole page images (the page viewer) it may inline in all. A page
    of print at 1,100 px and 16 greys takes 0.08-0.31 MB as PNG (the letter's two scans), so
    the default holds a pamphlet's pages; past it, the crops stay and the viewer is left out.
    ``page_words``: the HTML reading view shows the text in pages of about this many words.
    ``json_tokens``: the JSON lists each witness's words (``words``), not only its text.
    """

    min_confidence: float = field(default_factory=apply_threshold)
    report_typographic: bool = True
    decisions: Mapping[str, str] = field(default_factory=dict)
    crop_budget: int = 2_000_000
    page_budget: int = 4_000_000
    page_words: int = 4000
    json_tokens: bool = False


def format_for_path(path: str | PurePath) -> str:
    """The output format named by a path's extension (``.tei.xml`` -> ``tei``).

    Raises UnknownFormatError when the extension names none of FORMATS.
    """
    name = PurePath(path).name.lower()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return _SUFFIXES[suffix]
    known = ", ".join(sorted(_SUFFIXES))
    raise UnknownFormatError(
        f"cannot tell the output format from the extension (known: {known}); give --format",
        file=str(path),
    )
