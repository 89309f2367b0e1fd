"""Parsing XML safely for the loaders: no network, no entity expansion, errors located."""

from __future__ import annotations

from lxml import etree

from proofbench.errors import FormatError


def parse_xml(data: bytes, path: str) -> etree._Element:
    """The root element of an XML document; raises FormatError with the line of a syntax error.

    External entities, DTD loading and network access are off (hostile input stays inert).
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise FormatError(f"malformed XML: {exc.msg}", file=path, line=line) from None
    if root is None:
        raise FormatError("malformed XML: no root element", file=path)
    return root


def local(tag: object) -> str:
    """An element's tag without its namespace (``{ns}word`` -> ``word``); '' for comments/PIs."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
