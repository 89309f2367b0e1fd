"""Corrections written back into an OCR witness's own files (hOCR, ALTO, PAGE XML).

Input: an OCR Witness loaded from hOCR, ALTO or PAGE files, and edits ``(start, end, reading)``
on its text (the accepted decisions of a review). Output: ``WriteBack``, each of the witness's
files rewritten with the corrected words in place and every other word, coordinate and
attribute kept (``words.plan`` decides each word's new text, ``files`` rewrites each format).
Raises FormatError for a witness of another format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from proofbench.errors import FormatError
from proofbench.model import Witness
from proofbench.render.writeback.files import REWRITERS
from proofbench.render.writeback.words import Edit, plan


@dataclass(frozen=True, slots=True)
class WriteBack:
    """The rewritten files (path as in the witness -> bytes), and what was placed."""

    files: dict[str, bytes]
    words: int
    """Word elements changed or removed."""
    unplaced: int
    """Corrections that fell on no word with an id (left out)."""


def write_back(witness: Witness, edits: Sequence[Edit], fmt: str | None = None) -> WriteBack:
    """Every file of the witness with the edits written in; ``fmt`` must be the witness's."""
    fmt = fmt or witness.format
    if fmt not in REWRITERS or witness.format != fmt:
        raise FormatError(
            f"cannot write corrections back as {fmt}: witness {witness.siglum} is "
            f"{witness.format} (only {', '.join(REWRITERS)} witnesses, in their own format)",
            file=witness.files[0] if witness.files else None,
        )
    done = plan(witness, edits)
    out: dict[str, bytes] = {}
    for path in witness.files:
        texts = {wid: t for (f, wid), t in done.texts.items() if f == path}
        with open(path, "rb") as f:
            data = f.read()
        out[path] = REWRITERS[fmt](data, texts, path) if texts else data
    return WriteBack(out, len(done.texts), done.unplaced)


__all__ = ["REWRITERS", "WriteBack", "write_back"]
