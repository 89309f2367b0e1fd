"""Stage 5, render: Collation -> html / json / tei / csv / txt text.

``RENDERERS`` is the table of output formats, each ``(collation, options) -> str``;
``format_for_path`` names the format an output path's extension asks for; ``write`` renders one
collation to several paths at once, each written atomically, and piece by piece for the formats
in ``STREAMS``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from proofbench.model import Collation
from proofbench.render.collation_json import SCHEMA, collation_to_dict, iter_json, render_json
from proofbench.render.corrected import render_txt
from proofbench.render.html import render_html
from proofbench.render.options import FORMATS, RenderOptions, UnknownFormatError, format_for_path
from proofbench.render.table import render_csv
from proofbench.render.tei import render_tei

Renderer = Callable[[Collation, RenderOptions], str]

Stream = Callable[[Collation, RenderOptions], Iterable[str]]

STREAMS: dict[str, Stream] = {"json": iter_json}
"""Formats that can be written piece by piece, never held whole (joined: the renderer's text)."""

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
        stream = STREAMS.get(f)
        pieces = stream(collation, options) if stream else (RENDERERS[f](collation, options),)
        write_atomic(path, pieces)
    return plan


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, pieces: Iterable[str]) -> None:
    """Write the pieces as UTF-8 to a temporary file beside ``path``, then rename it over.

    A reader never sees half a file, and a failure midway leaves the old file as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.writelines(pieces)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's file is private; a report is not
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
    "write_atomic",
]
