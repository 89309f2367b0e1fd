"""HTML (any page) -> Witness: the body's text in reading order, blocks kept, apparatus marked.

Block elements (p, div, h1-h6, blockquote, li, pre, tr...) become blocks separated by blank lines;
``<br>`` is a line break; whitespace inside a block collapses as a browser collapses it. Headings
and block quotes are marked as such. Elements matching the manifest's ``apparatus_selectors``
(CSS) are kept in the text but marked apparatus; ``<nav>``, ``<header>`` and ``<footer>``
elements are apparatus by default. Script, style and comments are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from proofbench.errors import FormatError, ManifestError
from proofbench.model import ApparatusKind, BlockKind, Source, Witness, WitnessSpec
from proofbench.witness.build import TextBuilder, with_apparatus
from proofbench.witness.decode import decode, read_bytes
from proofbench.witness.text import apparatus_lines, compile_patterns

FORMAT = "html"
_BLOCKS = {
    "p", "div", "section", "article", "main", "aside", "nav", "header", "footer", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "dt", "dd", "pre", "tr", "td", "th",
    "table", "ul", "ol", "dl", "figure", "figcaption", "center", "hr", "body", "form", "fieldset",
    "caption", "details", "summary",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PREFORMATTED = {"pre", "listing", "xmp", "plaintext", "textarea"}
_SKIP = {"script", "style", "head", "template", "noscript", "title", "meta", "link"}
_DEFAULT_APPARATUS = {
    "nav": ApparatusKind.NAVIGATION,
    "header": ApparatusKind.HEADER,
    "footer": ApparatusKind.FOOTER,
}
_SPACE = re.compile(r"[ \t\n\r\f]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def sniff(data: bytes, name: str) -> bool:
    """HTML: a doctype or an ``<html>``/``<body>``/``<p>`` tag near the start."""
    head = data[:4096].lower()
    return any(tag in head for tag in (b"<!doctype html", b"<html", b"<body", b"<p>", b"<p "))


def _kind_of(el: etree._Element, selector: str) -> ApparatusKind:
    """The apparatus kind an element most likely is, from its tag, class and selector."""
    words = f"{el.tag} {el.get('class') or ''} {el.get('id') or ''} {selector}".lower()
    if "nav" in words or "menu" in words or "breadcrumb" in words:
        return ApparatusKind.NAVIGATION
    if "foot" in words:
        return ApparatusKind.FOOTER
    return ApparatusKind.HEADER


class _Walker:
    """Walks the element tree, appending text to a builder and tracking apparatus scopes."""

    def __init__(
        self, path: str, apparatus: dict[etree._Element, tuple[ApparatusKind, str]]
    ) -> None:
        self.path = path
        self.apparatus = apparatus
        self.builder = TextBuilder()
        self.pending_space = False
        self.preformatted = 0
        """Depth of ``<pre>`` elements around the text: there, whitespace is the text's own."""

    def text(self, chunk: str | None, line: int | None) -> None:
        if not chunk:
            return
        if self.preformatted:  # verse, code, letters laid out by hand: keep lines and indents
            if self.pending_space and not chunk[:1].isspace() and not self.builder.ends_with("\n"):
                self.builder.append(" ")
            self.pending_space = False
            self.builder.append(chunk.replace("\r\n", "\n"), Source(file=self.path, line=line))
            return
        collapsed = _SPACE.sub(" ", chunk)
        if collapsed.startswith(" "):
            self.pending_space = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        if self.pending_space and not self.builder.ends_with("\n") and self.builder.position:
            self.builder.append(" ")
        self.pending_space = collapsed.endswith(" ")
        body = collapsed.rstrip(" ")
        self.builder.append(body, Source(file=self.path, line=line))

    def walk(self, root: etree._Element, kind: BlockKind) -> None:
        """Read an element and what it holds, in document order.

        With a stack of its own, not Python's: a page can nest thousands of elements.
        """
        stack: list[tuple[etree._Element, BlockKind, int | None]] = [(root, kind, None)]
        while stack:
            el, outer, start = stack.pop()
            if start is not None:
                self._leave(el, outer, start)
                continue
            opened = self._enter(el, outer)
            if opened is None:
                continue
            inner, begun = opened
            stack.append((el, outer, begun))
            stack.extend((child, inner, None) for child in reversed(el))

    def _enter(self, el: etree._Element, kind: BlockKind) -> tuple[BlockKind, int] | None:
        """Open an element: the kind its children are read in and where it began, or None."""
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP:
            self.text(el.tail, el.sourceline)
            return None
        block = tag in _BLOCKS
        inner = kind
        if tag in _HEADINGS:
            inner = BlockKind.HEADING
        elif tag == "blockquote":
            inner = BlockKind.QUOTE
        start = self.builder.position
        if block:
            self.builder.open_block(inner)
            self.pending_space = False
        if tag == "br":
            self.builder.append("\n")
            self.pending_space = False
        text = el.text
        if tag in _PREFORMATTED:
            self.preformatted += 1
            if text and text.startswith("\n"):  # HTML drops a newline right after <pre>
                text = text[1:]
        self.text(text, el.sourceline)
        return inner, start

    def _leave(self, el: etree._Element, kind: BlockKind, start: int) -> None:
        """Close an element opened at ``start``: its block, its apparatus mark, its tail."""
        tag = str(el.tag).lower()
        block = tag in _BLOCKS
        if tag in _PREFORMATTED:
            self.preformatted -= 1
        if block:
            self.builder.open_block(kind)
            self.pending_space = False
        if el in self.apparatus:
            end = self.builder.position
            text = self.builder.text()
            while end > start and text[end - 1].isspace():
                end -= 1
            while start < end and text[start].isspace():
                start += 1
            akind, reason = self.apparatus[el]
            self.builder.mark_apparatus(start, end, akind, reason)
        self.text(el.tail, el.sourceline)


def _apparatus_elements(
    root: etree._Element, spec: WitnessSpec
) -> dict[etree._Element, tuple[ApparatusKind, str]]:
    found: dict[etree._Element, tuple[ApparatusKind, str]] = {}
    for tag, kind in _DEFAULT_APPARATUS.items():
        for el in root.iter(tag):
            found[el] = (kind, f"a <{tag}> element")
    for selector in spec.apparatus_selectors:
        try:
            match = CSSSelector(selector)
        except Exception as exc:  # cssselect raises several unrelated types
            raise ManifestError(
                f"witness {spec.siglum}: bad apparatus selector {selector!r}: {exc}"
            ) from None
        for el in match(root):
            found[el] = (_kind_of(el, selector), f"matches the manifest's selector {selector!r}")
    return found


def parse(text: str, path: str) -> etree._Element:
    """The document's root element; raises FormatError when there is nothing to parse."""
    source = _XML_DECL.sub("", text, count=1)
    if not source.strip():
        raise FormatError("empty HTML document", file=path)
    # huge_tree: HTML nested deeper than 256 elements (300 unclosed <font> tags) or with a
    # text node over 10 MB is read whole; the HTML parser expands no declared entities, so
    # lifting the limits amplifies nothing.
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(source, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise FormatError(f"malformed HTML: {' '.join(str(exc).split())}", file=path) from None
    for error in parser.error_log:
        if "Excessive depth" in error.message:
            # Past libxml2's hard limit the rest of the page would be dropped: refuse instead.
            raise FormatError(
                "HTML nested deeper than 2,048 elements: the parser would drop what follows",
                file=path,
                line=error.line,
            )
    return root


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load HTML pages (in order) as one witness; raises InputError subclasses on bad input."""
    patterns = compile_patterns(spec)
    encoding = "utf-8"
    builder = TextBuilder()
    for path in files:
        text, encoding = decode(read_bytes(path), path, spec.encoding)
        root = parse(text, path)
        body = root.find("body")
        walker = _Walker(path, _apparatus_elements(root, spec))
        walker.builder = builder
        builder.open_block()
        walker.walk(body if body is not None else root, BlockKind.PARAGRAPH)
    witness = builder.finish(spec, FORMAT, encoding)
    if patterns:
        witness = with_apparatus(witness, apparatus_lines(witness.text, patterns))
    return witness
