"""Stage 1, load: a WitnessSpec (files on disk) -> Witness (text, sources, blocks, apparatus).

One module per format, each with ``sniff(data, name) -> bool`` and ``load(spec, files) -> Witness``.
The format is detected from content (the extension only breaks ties), unless the manifest names it.
"""

from __future__ import annotations

import codecs
import importlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import ModuleType

from proofbench.errors import FormatError, MissingFileError
from proofbench.model import Witness, WitnessSpec
from proofbench.witness import collatex
from proofbench.witness.decode import _is_wide, decode, looks_binary, read_bytes, wide_encoding

Loader = Callable[[WitnessSpec, Sequence[str]], Witness]

# Detection order matters: the most specific formats first, plain text last. Each name is its
# module's (``proofbench.witness.<name>``, whose FORMAT it is), imported when first asked for:
# the markup formats import lxml and their own tables, which a plain-text collation never needs.
FORMATS: tuple[str, ...] = ("hocr", "alto", "page", "tei", "collatex", "html", "text")


def _module(fmt: str) -> ModuleType:
    """The module of a format named in FORMATS (imported on first use)."""
    return importlib.import_module(f"proofbench.witness.{fmt}")


def _plain(data: bytes) -> bool:
    """True where no format but plain text can sniff these bytes: every other sniffer needs a
    tag (``<``: the XML formats' root element, HTML's and hOCR's tags) or, for CollateX input,
    a JSON object in the first 4 KiB (after a BOM)."""
    return b"<" not in data and b"{" not in data[:4099]


def detect(path: str, encoding: str | None = None) -> str:
    """The format name of a file, from its content; raises MissingFileError or FormatError.

    ``encoding`` is the manifest's, for a file whose bytes alone do not say (BOM-less UTF-16).
    """
    # A CollateX file names one of its witnesses with a fragment: input.json#A.
    data = read_bytes(collatex.split_fragment(path)[0])
    if encoding is None and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = wide_encoding(data)
    if _is_wide(encoding) or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # The sniffers look for ASCII bytes: show them a UTF-16/32 file's text as UTF-8.
        data = decode(data, path, encoding)[0].encode("utf-8")
    if looks_binary(data):
        raise FormatError("binary file, not a witness format proofbench reads", file=path)
    if _plain(data):
        return "text"
    for fmt in FORMATS:
        if _module(fmt).sniff(data, path):
            return fmt
    raise FormatError("unknown format", file=path)


def load_witness(spec: WitnessSpec) -> Witness:
    """Load a witness from its files; raises InputError subclasses naming the file and place."""
    if not spec.files:
        raise MissingFileError(f"witness {spec.siglum} names no file")
    fmt = spec.format or detect(spec.files[0], spec.encoding)
    if fmt not in FORMATS:
        raise FormatError(
            f"unknown format {fmt!r} (known: {', '.join(sorted(FORMATS))})", file=spec.files[0]
        )
    for other in spec.files[1:]:
        found = spec.format or detect(other, spec.encoding)
        if found != fmt:
            raise FormatError(f"is {found}, but the witness's first file is {fmt}", file=other)
    witness: Witness = _module(fmt).load(spec, spec.files)
    if spec.replacements:  # the user has said how to read it
        return witness
    if witness.text.isascii():  # no mis-decoded character: mojibake.warnings would say []
        return witness
    from proofbench.witness import mojibake  # ftfy: 0.15-0.4 s to import, needed only here

    misread = mojibake.warnings(witness)
    return replace(witness, warnings=(*witness.warnings, *misread)) if misread else witness
