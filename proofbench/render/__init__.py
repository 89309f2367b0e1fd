"""Stage 5, render: Collation -> html / json / tei / csv / txt text.

``RENDERERS`` is the table of output formats, each ``(collation, options) -> str``;
``format_for_path`` names the format an output path's extension asks for; ``write`` renders one
collation to several paths at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from proofbench.model import Collation
from proofbench.render.collation_json import SCHEMA, collation_to_dict, render_json
from proofbench.render.corrected import render_txt
from proofbench.render.html import render_html
from proofbench.render.options import FORMATS, RenderOptions, UnknownFormatError, format_for_path
from proofbench.render.table import render_csv
from proofbench.render.tei import render_tei

Renderer = Callable[[Collation, RenderOptions], str]

RENDERERS: dict[str, Renderer] = {
    "html": render_html,
    "json": render_json,
    "tei": render_tei,
    "csv": render_csv,
    "txt": render_txt,
}


def write(
    collation: Collation,
    paths: Iterable[str | Path],
    options: RenderOptions | None = None,
    fmt: str | None = None,
) -> list[tuple[Path, str]]:
    """Render the collation to each path (format from ``fmt``, else the extension).

    Every format is resolved before anything is written, so a bad extension writes nothing.
    Returns the (path, format) pairs written. Raises UnknownFormatError.
    """
    options = options or RenderOptions()
    plan = [(Path(p), fmt or format_for_path(p)) for p in paths]
    for path, f in plan:
        if f not in RENDERERS:
            raise UnknownFormatError(f"unknown format {f!r}", file=str(path))
    for path, f in plan:
        text = RENDERERS[f](collation, options)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return plan


__all__ = [
    "FORMATS",
    "RENDERERS",
    "SCHEMA",
    "RenderOptions",
    "Renderer",
    "UnknownFormatError",
    "collation_to_dict",
    "format_for_path",
    "write",
]
