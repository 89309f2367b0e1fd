"""Plain text -> Witness: the decoded file content is the witness's text, offsets are file offsets.

Blocks are paragraphs separated by blank lines. Apparatus: a Project Gutenberg header and
licence (``gutenberg``), the lines that match one of the manifest's ``apparatus_patterns``
whole, and the runs of lines its ``apparatus_blocks`` open and close. Several files are joined
by a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from proofbench.errors import EmptyWitnessError, ManifestError
from proofbench.model import (
    Apparatus,
    ApparatusKind,
    Block,
    BlockKind,
    Source,
    SourceSpan,
    Witness,
    WitnessSpec,
)
from proofbench.witness.build import witness_from_spec
from proofbench.witness.decode import read_text
from proofbench.witness.gutenberg import LINE as _LINE
from proofbench.witness.gutenberg import blocks as apparatus_blocks
from proofbench.witness.gutenberg import gutenberg

FORMAT = "text"
_PARAGRAPH = re.compile(r"(?:[^\r\n]*\S[^\r\n]*(?:\r\n|\r|\n|$))+")


def lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings; only CR, LF and CRLF end a line."""
    return [m.group() for m in _LINE.finditer(text)]


def sniff(data: bytes, name: str) -> bool:
    """Plain text is the fallback: anything that is not recognised as another format."""
    return True


def compile_patterns(spec: WitnessSpec) -> list[re.Pattern[str]]:
    """The manifest's apparatus line patterns, compiled; raises ManifestError on a bad one."""
    compiled = []
    for pattern in spec.apparatus_patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ManifestError(
                f"witness {spec.siglum}: bad apparatus pattern {pattern!r}: {exc}"
            ) from None
    return compiled


def compile_blocks(spec: WitnessSpec) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """The manifest's apparatus block patterns, compiled; raises ManifestError on a bad one."""
    compiled = []
    for start, end in spec.apparatus_blocks:
        try:
            compiled.append((re.compile(start), re.compile(end)))
        except re.error as exc:
            raise ManifestError(
                f"witness {spec.siglum}: bad apparatus block {start!r} / {end!r}: {exc}"
            ) from None
    return compiled


def apparatus_lines(text: str, patterns: Sequence[re.Pattern[str]]) -> tuple[Apparatus, ...]:
    """Spans of the lines of ``text`` that one of ``patterns`` matches whole."""
    if not patterns:
        return ()
    found = []
    pos = 0
    for m in _LINE.finditer(text):  # one line at a time: a book's lines are never all held
        line = m.group()
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            for pattern in patterns:
                if pattern.fullmatch(stripped):
                    lead = len(body) - len(body.lstrip())
                    found.append(
                        Apparatus(
                            pos + lead,
                            pos + lead + len(stripped),
                            ApparatusKind.HEADER,
                            f"the line matches the manifest's pattern {pattern.pattern!r}",
                        )
                    )
                    break
        pos += len(line)
    return tuple(found)


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load plain-text files as one witness; raises InputError subclasses on bad input."""
    patterns = compile_patterns(spec)
    chunks: list[str] = []
    spans: list[SourceSpan] = []
    encoding = "utf-8"
    pos = 0
    for i, path in enumerate(files):
        text, encoding = read_text(path, spec.encoding)
        if i:
            chunks.append("\n\n")
            pos += 2
        line = 1
        for m in _LINE.finditer(text):
            end = pos + m.end() - m.start()
            spans.append(SourceSpan(pos, end, Source(file=path, line=line)))
            pos = end
            line += 1
        chunks.append(text)
    full = "".join(chunks)
    if not full.strip():
        raise EmptyWitnessError("the witness has no text", file=files[0] if files else None)
    blocks = tuple(
        Block(m.start(), m.start() + len(m.group().rstrip()), BlockKind.PARAGRAPH)
        for m in _PARAGRAPH.finditer(full)
        if m.group().strip()
    )
    marks = (
        *gutenberg(full),
        *apparatus_lines(full, patterns),
        *apparatus_blocks(full, compile_blocks(spec)),
    )
    return witness_from_spec(
        spec,
        text=full,
        fmt=FORMAT,
        encoding=encoding,
        spans=tuple(spans),
        apparatus=tuple(sorted(marks, key=lambda a: (a.start, -a.end))),
        blocks=blocks,
    )
