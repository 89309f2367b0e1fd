"""Parsing XML safely for the loaders: no network, no entity expansion, errors located."""

from __future__ import annotations

import re

from lxml import etree

from proofbench.errors import FormatError
from proofbench.witness.decode import declared_encoding


def parse_xml(data: bytes, path: str) -> etree._Element:
    """The root element of an XML document; raises FormatError with the line of a syntax error.

    Entities defined in the document itself are expanded (TEI files use them for text); external
    entities, DTD loading and network access are off, and libxml2's limits on entity
    amplification and tree size stay on, so hostile input gets a FormatError, nothing else;
    a document deeper than 256 elements or with a text node over 10 MB is read whole when it
    declares no entity.
    """
    try:
        root = _parse(data, huge=False)
    except etree.XMLSyntaxError as exc:
        root = None
        if "XML_PARSE_HUGE" in exc.msg and b"<!ENTITY" not in data:
            # Deeper than 256 elements, or a text node over 10 MB: real documents do that.
            # With no entity declared there is nothing to amplify, so the limits may go.
            try:
                root = _parse(data, huge=True)
            except etree.XMLSyntaxError as again:
                exc = again
        if root is None:
            line = exc.position[0] if exc.position else None
            message = " ".join(exc.msg.split())
            raise FormatError(f"malformed XML: {message}", file=path, line=line) from None
    if root is None:
        raise FormatError("malformed XML: no root element", file=path)
    return root


def _parse(data: bytes, huge: bool) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities="internal", no_network=True, load_dtd=False, huge_tree=huge, recover=False
    )
    return etree.fromstring(data, parser)


def local(tag: object) -> str:
    """An element's tag without its namespace (``{ns}word`` -> ``word``); '' for comments/PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


_PROLOG = re.compile(
    rb"""(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*""", re.DOTALL | re.IGNORECASE
)
_SPACE = re.compile(rb"\s*")
_START_TAG = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>", re.DOTALL)


def root_element(data: bytes) -> tuple[str, str] | None:
    """(namespace, local name) of the root element of an XML document, from its first bytes.

    Reads only the prolog (however long: a licence in a comment can fill 20 KB) and the root's
    start tag, so it is cheap and never parses the file; None when the bytes do not begin like
    XML. UTF-16 input (with a BOM) is read too.
    """
    head = data
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    # Offsets into the bytes, never a stripped copy of them (a book is 50 MB).
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    first = _SPACE.match(head, start).end()  # type: ignore[union-attr]
    if head[first : first + 1] != b"<":
        return None
    prolog = _PROLOG.match(head, start)
    at = prolog.end() if prolog else start
    m = _START_TAG.match(head[at : at + 16384])
    if not m:
        return None
    prefix = m.group(1)
    attr = rb"xmlns:" + re.escape(prefix) if prefix else rb"xmlns"
    ns = re.search(attr + rb"""\s*=\s*["']([^"']*)["']""", m.group(3))
    namespace = ns.group(1).decode("utf-8", "replace") if ns else ""
    return namespace, m.group(2).decode("ascii", "replace")


def xml_encoding(data: bytes) -> str:
    """The encoding an XML file is in, by its BOM or declaration (lxml decodes it likewise)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return declared_encoding(data) or "utf-8"
