"""Stage 5, render: Collation -> html / json / tei / csv / txt / collatex text.

``RENDERERS`` is the table of output formats, each ``(collation, options) -> str``;
``format_for_path`` names the format an output path's extension asks for; ``write`` renders one
collation to several paths at once, each written atomically (``proofbench.output``) and never
over a protected input, and piece by piece for the formats in ``STREAMS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import import_module
from pathlib import Path
from typing import TypeVar

from proofbench.model import Collation
from proofbench.output import check_destination, is_stdout, write_pieces, write_text
from proofbench.render.collation_json import SCHEMA, collation_to_dict
from proofbench.render.options import FORMATS, RenderOptions, UnknownFormatError, format_for_path

Renderer = Callable[[Collation, RenderOptions], str]

Stream = Callable[[Collation, RenderOptions], Iterable[str]]

_F = TypeVar("_F")


class _Table(Mapping[str, _F]):
    """A table of formats whose functions are imported when first looked up.

    The HTML renderer brings jinja2, Pillow and the page-rate tables (most of a second of
    start-up on a loaded machine): a command writing JSON never needs them."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = where
        self._got: dict[str, _F] = {}

    def __getitem__(self, fmt: str) -> _F:
        got = self._got.get(fmt)
        if got is None:
            module, name = self._where[fmt].split(":")
            got = self._got[fmt] = getattr(import_module(module), name)
        return got

    def __contains__(self, fmt: object) -> bool:
        return fmt in self._where  # asking whether a format exists imports nothing

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


STREAMS: Mapping[str, Stream] = _Table(
    {
        "json": "proofbench.render.collation_json:iter_json",
        "html": "proofbench.render.html:iter_html",
    }
)
"""Formats that can be written piece by piece, never held whole (joined: the renderer's text)."""

RENDERERS: Mapping[str, Renderer] = _Table(
    {
        "html": "proofbench.render.html:render_html",
        "json": "proofbench.render.collation_json:render_json",
        "tei": "proofbench.render.tei:render_tei",
        "csv": "proofbench.render.table:render_csv",
        "txt": "proofbench.render.corrected:render_txt",
        "collatex": "proofbench.render.collatex_table:render_collatex",
    }
)


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
