"""Stage 1, load: a WitnessSpec (files on disk) -> Witness (text, sources, blocks, apparatus).

One module per format, each with ``sniff(data, name) -> bool`` and ``load(spec, files) -> Witness``.
The format is detected from content (the extension only breaks ties), unless the manifest names it.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import ModuleType

from proofbench.errors import FormatError, MissingFileError
from proofbench.model import Witness, WitnessSpec
from proofbench.witness import alto, collatex, hocr, html, page, tei, text
from proofbench.witness.decode import _is_wide, decode, looks_binary, read_bytes, wide_encoding

Loader = Callable[[WitnessSpec, Sequence[str]], Witness]

# Detection order matters: the most specific formats first, plain text last.
_MODULES: tuple[ModuleType, ...] = (hocr, alto, page, tei, collatex, html, text)
FORMATS: dict[str, Loader] = {m.FORMAT: m.load for m in _MODULES}


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
    for module in _MODULES:
        if module.sniff(data, path):
            return str(module.FORMAT)
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
    witness = FORMATS[fmt](spec, spec.files)
    if spec.replacements:  # the user has said how to read it
        return witness
    from proofbench.witness import mojibake  # ftfy: 0.4 s to import, needed only here

    misread = mojibake.warnings(witness)
    return replace(witness, warnings=(*witness.warnings, *misread)) if misread else witness
