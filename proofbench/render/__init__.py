"""Stage 5, render: Collation -> html / json / tei / csv / txt / collatex text.

``RENDERERS`` is the table of output formats, each ``(collation, options) -> str``;
``format_for_path`` names the format an output path's extension asks for; ``write`` renders one
collation to several paths at once, each written atomically (``proofbench.output``) and never
over a protected input, and piece by piece for the formats in ``STREAMS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from proofbench.model import Collation
from proofbench.output import check_destination, is_stdout, write_pieces, write_text
from proofbench.render.collatex_table import render_collatex
from proofbench.render.collation_json import SCHEMA, collation_to_dict, iter_json, render_json
from proofbench.render.corrected import render_txt
from proofbench.render.html import iter_html, render_html
from proofbench.render.options import FORMATS, RenderOptions, UnknownFormatError, format_for_path
from proofbench.render.table import render_csv
from proofbench.render.tei import render_tei

Renderer = Callable[[Collation, RenderOptions], str]

Stream = Callable[[Collation, RenderOptions], Iterable[str]]

STREAMS: dict[str, Stream] = {"json": iter_json, "html": iter_html}
"""Formats that can be written piece by piece, never held whole (joined: the renderer's text)."""

RENDERERS: dict[str, Renderer] = {
    "html": render_html,
    "json": render_json,
    "tei": render_tei,
    "csv": render_csv,
    "txt": render_txt,
    "collatex": render_collatex,
}


def write(
    collation: Collation,
    paths: Iterable[str | Path],
    options: RenderOptions | None = None,
    fmt: str | None = None,
    protected: Iterable[str | Path] = (),
) -> list[tuple[str, str]]:
    """Render the collation to each path (format from ``fmt``, else the extension; ``-`` is
    standard output, in ``fmt`` or else JSON).

    Every format and destination is checked before anything is written, so a bad extension or
    a destination that is one of the ``protected`` inputs writes nothing. Each file is written
    atomically. Returns the (path, format) pairs written. Raises UnknownFormatError, OutputError.
    """
    options = options or RenderOptions()
    guard = list(protected)
    plan = [(str(p), fmt or ("json" if is_stdout(p) else format_for_path(p))) for p in paths]
    for path, f in plan:
        if f not in RENDERERS:
            raise UnknownFormatError(f"unknown format {f!r}", file=path)
        check_destination(path, guard)
    for path, f in plan:
        stream = STREAMS.get(f)
        if stream is not None:
            write_pieces(path, stream(collation, options), guard)
        else:
            write_text(path, RENDERERS[f](collation, options), guard)
    return plan


__all__ = [
    "FORMATS",
    "RENDERERS",
    "SCHEMA",
    "STREAMS",
    "RenderOptions",
    "Renderer",
    "UnknownFormatError",
    "collation_to_dict",
    "format_for_path",
    "write",
]
