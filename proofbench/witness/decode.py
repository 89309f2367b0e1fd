"""Bytes -> str: reading files and decoding them with the encoding that is really in force.

Input: a path (and optionally a forced or declared encoding). Output: the decoded text and the
name of the encoding used. Raises MissingFileError, FormatError (binary) or EncodingError (with
the byte offset of the first undecodable byte).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from proofbench.errors import EncodingError, FormatError, MissingFileError

_DECLARED = re.compile(
    rb"""(?:<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["'])"""
    rb"""|(?:<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+))""",
    re.IGNORECASE,
)

# What browsers really do: a page declared Latin-1 is decoded as Windows-1252 (WHATWG).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _c1_controls(exc: UnicodeError) -> tuple[str, int]:
    """Decode a byte cp1252 leaves undefined as the C1 control of the same number."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return chr(exc.object[exc.start]), exc.start + 1


_C1 = "proofbench-c1-controls"
codecs.register_error(_C1, _c1_controls)


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; raises MissingFileError if it is absent, a folder or unreadable."""
    p = Path(path)
    try:
        if p.exists() and not p.is_dir() and not p.is_file():
            # A FIFO or a device (/dev/zero, /dev/urandom) would hang or never end.
            raise MissingFileError("is not a regular file (a pipe or a device)", file=str(path))
        return p.read_bytes()
    except FileNotFoundError:
        raise MissingFileError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise MissingFileError("is a folder, not a file", file=str(path)) from None
    except OSError as exc:
        raise MissingFileError(f"cannot read: {exc.strerror}", file=str(path)) from None


def declared_encoding(data: bytes) -> str | None:
    """The charset an XML declaration or HTML meta tag names in the first 4 KiB, if any."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii").lower()
    return name


def looks_binary(data: bytes) -> bool:
    """True for content that is not text: NUL bytes (outside UTF-16) or many control bytes."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return len(head) > 0 and controls / len(head) > 0.05


def _is_wide(encoding: str | None) -> bool:
    """True for a named UTF-16/32 encoding, whose text is full of NUL bytes without a BOM."""
    if encoding is None:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(("utf-16", "utf-32"))


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``: the given encoding, else a BOM, a declaration, UTF-8.

    Returns (text, encoding name). Raises FormatError for binary content and EncodingError
    naming the byte offset where decoding failed.
    """
    if encoding is None and not data.startswith(tuple(b for b, _ in _BOMS)):
        encoding = wide_encoding(data)
    if looks_binary(data) and not _is_wide(encoding):
        raise FormatError("binary file, not text", file=path)
    # A BOM wins over any named encoding, as in browsers (WHATWG): decoding a UTF-8 BOM as
    # Latin-1 would only put mojibake at the start of the text.
    chosen = next((name for bom, name in _BOMS if data.startswith(bom)), encoding)
    if chosen is None:
        declared = declared_encoding(data)
        # A declaration read as ASCII bytes cannot be true of a UTF-16/32 file without a BOM;
        # browsers take such a page as UTF-8 (WHATWG), and so do we.
        if declared is not None and not declared.startswith(("utf-16", "utf16", "utf-32", "utf32")):
            chosen = _ALIASES.get(declared, declared)
    chosen = chosen or "utf-8"
    chosen = _ALIASES.get(chosen.lower(), chosen)
    check_text_encoding(chosen, path)
    # Windows-1252 as the WHATWG reads it: its five undefined bytes are the C1 controls, so a
    # file called Latin-1 never fails to decode (Python's cp1252 refuses them).
    errors = _C1 if codecs.lookup(chosen).name == "cp1252" else "strict"
    try:
        text = data.decode(chosen, errors)
    except UnicodeDecodeError as exc:
        # utf-8-sig reports offsets past the BOM it skipped; count them from the file's start.
        offset = exc.start + len(data) - len(exc.object)
        raise EncodingError(
            f"cannot decode as {chosen} (byte 0x{data[offset]:02x}); "
            "name the file's encoding in the manifest (encoding = ...)",
            file=path,
            offset=offset,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, chosen


def check_text_encoding(name: str, path: str) -> None:
    """Raise EncodingError unless ``name`` is a codec from bytes to text.

    Python's codec registry also holds bytes-to-bytes and text-to-text transforms (``zlib``,
    ``base64``, ``rot13``) and ``undefined``, which refuses everything: none reads a file.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise EncodingError(f"unknown encoding {name!r}", file=path) from None
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        raise EncodingError(f"{name!r} is no text encoding", file=path)


def wide_encoding(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 text without a BOM, else None.

    Text in the Latin script written as UTF-16 has a NUL in every other byte, on one side
    only; a binary file has NULs on both. The head must then decode as text with no more
    control characters than ``looks_binary`` allows.
    """
    head = data[:8192]
    head = head[: len(head) - len(head) % 2]
    if not head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if (even == 0) == (odd == 0):
        return None
    name = "utf-16-le" if even == 0 else "utf-16-be"
    try:
        text = head.decode(name)
    except UnicodeDecodeError:
        text = head[:-2].decode(name, "ignore")  # a surrogate pair cut at the end
    controls = sum(1 for c in text if ord(c) < 9 or 13 < ord(c) < 32)
    return name if text and controls / len(text) <= 0.05 else None


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Read and decode a file: ``decode(read_bytes(path))``."""
    return decode(read_bytes(path), str(path), encoding)
