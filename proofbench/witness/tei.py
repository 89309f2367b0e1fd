"""TEI P5 XML -> Witness: the text of ``<text>`` as the witness reads, each word traced to a line.

Input: TEI files: a ``TEI``/``teiCorpus`` root or any root in the TEI namespace; TEI written
without its namespace (fragments, project files) is sniffed by its elements, or named with
``format = "tei"`` in the manifest. Output: a Witness built with ``TextBuilder``.

What is read, and why (a witness is what it says *as written*, not what an editor made of it):

* ``<body>`` is the text; ``<front>`` is kept but marked apparatus HEADER, ``<back>`` FOOTER;
  ``<teiHeader>`` is skipped. A file with no ``<text>`` is read from its ``<sourceDoc>``
  (genetic transcription: ``line`` is a LINE block), else whole (fragments).
* Blocks: ``p``, ``ab``, ``head`` (HEADING), ``l`` (LINE; ``lg`` groups them), ``item``,
  ``speaker``, ``stage``, ``closer``... A ``quote``/``cit``/``bibl`` outside any block is a
  QUOTE block (a ``p`` inside one is QUOTE too); inside a block it is inline text.
* ``<lb/>`` is a line break; ``break="no"`` joins the words around it, except after a printed
  hyphen, where the break stays a newline so the tokenizer decides the hyphen as it does for OCR.
* ``<pb n="..."/>`` is a PAGE_BREAK mark; ``<pb/>``, ``<cb/>`` and ``<milestone/>`` with no
  space on either side stand inside a word and join it (``pro<pb/>ceeded``); ``<fw>`` (running
  heads, page numbers, catchwords, signatures) is apparatus of the matching kind; ``<note>``
  is kept as apparatus MARKUP (an annotation, not the running text).
* ``<choice>``: ``sic``, ``orig``, ``abbr`` (as written) over ``corr``, ``reg``, ``expan``
  (else its first child); ``<app>``: ``lem``, else the first ``rdg``. A parallel-segmentation
  file (readings naming two or more witnesses in ``wit``) is one witness chosen by the
  manifest's ``wit`` key or a fragment (``JulianMelfi.xml#ms``); without a choice, an error
  lists its witnesses. ``del`` (and what a
  ``delSpan`` spans, up to its ``anchor``), ``supplied``, ``ex``, ``gap``, ``figDesc``,
  ``metamark`` and stand-off elements are dropped (the witness does not read them as its
  text); ``add``, ``unclear``, ``surplus`` are kept.

Whitespace collapses as in XML mixed content. One source span per word piece, with its line in
the file (lxml ``sourceline``, plus the newlines before the word in its text node).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from proofbench.errors import FormatError
from proofbench.model import ApparatusKind, BlockKind, Source, Witness, WitnessSpec
from proofbench.witness.build import TextBuilder
from proofbench.witness.collatex import split_fragment
from proofbench.witness.decode import read_bytes
from proofbench.witness.xml import local, parse_xml, root_element, xml_encoding

FORMAT = "tei"
_MAX_DEPTH = 2048  # libxml2's xmlParserMaxDepth under XML_PARSE_HUGE
TEI_NS = "http://www.tei-c.org/ns/1.0"

_BLOCKS = {
    "p": BlockKind.PARAGRAPH, "ab": BlockKind.PARAGRAPH, "head": BlockKind.HEADING,
    "l": BlockKind.LINE, "item": BlockKind.PARAGRAPH, "speaker": BlockKind.PARAGRAPH,
    "stage": BlockKind.PARAGRAPH, "closer": BlockKind.PARAGRAPH, "opener": BlockKind.PARAGRAPH,
    "salute": BlockKind.PARAGRAPH, "signed": BlockKind.PARAGRAPH, "dateline": BlockKind.PARAGRAPH,
    "byline": BlockKind.PARAGRAPH, "trailer": BlockKind.PARAGRAPH, "titlePart": BlockKind.HEADING,
    "docImprint": BlockKind.PARAGRAPH, "castItem": BlockKind.PARAGRAPH, "row": BlockKind.PARAGRAPH,
    "label": BlockKind.PARAGRAPH, "postscript": BlockKind.PARAGRAPH, "u": BlockKind.PARAGRAPH,
    "line": BlockKind.LINE,
}  # fmt: skip
# Block only where they stand outside any block (a quotation set off); inline otherwise.
_FREE_BLOCKS = {"quote": BlockKind.QUOTE, "cit": BlockKind.QUOTE, "bibl": BlockKind.PARAGRAPH}
_DROP = {
    "teiHeader", "del", "supplied", "ex", "gap", "figDesc",
    "standOff", "interp", "interpGrp", "link", "linkGrp", "join", "joinGrp", "spanGrp",
    "facsimile", "comment", "metamark",
}  # fmt: skip
_AS_WRITTEN = ("sic", "orig", "abbr")
_FW_KINDS = {
    "header": ApparatusKind.RUNNING_HEAD, "head": ApparatusKind.RUNNING_HEAD,
    "running-head": ApparatusKind.RUNNING_HEAD, "runningHead": ApparatusKind.RUNNING_HEAD,
    "pageNum": ApparatusKind.PAGE_NUMBER, "pageNumber": ApparatusKind.PAGE_NUMBER,
    "page-number": ApparatusKind.PAGE_NUMBER, "folio": ApparatusKind.PAGE_NUMBER,
}  # fmt: skip
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011", "¬", "=")
_WORD = re.compile(r"\S+")
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_HTML_ROOTS = {"html", "body", "head", "svg", "rss", "feed"}
_TEI_MARKERS = tuple(
    re.compile(p)
    for p in (
        rb"<lg[\s>]", rb"<l\s+n=", rb"<sp[\s>]", rb"<speaker[\s>]", rb"<stage[\s>]",
        rb"<pb[\s/]", rb"<lb[\s/]", rb"<hi\s+rend=", rb"<milestone\s", rb"<teiHeader[\s>]",
        rb"<choice>", rb"<fw[\s>]", rb"<anchor\s", rb"<castList[\s>]", rb"<epigraph[\s>]",
        rb"<div\s+type=",
    )
)  # fmt: skip


def sniff(data: bytes, name: str) -> bool:
    """TEI: the root element is ``TEI`` or ``teiCorpus``, or any element in the TEI namespace.

    TEI written without its namespace (project files, fragments such as one act of a play) is
    recognised when its root is no HTML element and its first 16 KiB use at least three kinds
    of element that only TEI has (``<lg>``, ``<sp>``, ``<pb/>``, ``<lb/>``, ``<hi rend>``...).
    """
    root = root_element(data)
    if root is None:
        return False
    namespace, tag = root
    if tag in {"TEI", "teiCorpus"} or namespace == TEI_NS:
        return True
    if namespace or tag.lower() in _HTML_ROOTS:
        return False
    head = data[:16384]
    return sum(1 for marker in _TEI_MARKERS if marker.search(head)) >= 3


def _end_line(el: etree._Element) -> int:
    """The line on which an element's content ends (approximate: newlines inside tags ignored)."""
    children = [c for c in el]
    if children:
        last = children[-1]
        return _end_line(last) + (last.tail or "").count("\n")
    return (el.sourceline or 1) + (el.text or "").count("\n")


class _Reader:
    """Walks a TEI tree, appending the witness's words to a builder with their lines."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.builder = TextBuilder()
        self.pieces = 0
        self.last_end = 0
        self.first_start: list[int] = []
        self.pending = ""  # the separator owed before the next word: "", " " or "\n"
        self.join = False  # after <lb break="no"/>: no separator at all
        self.stack: list[BlockKind] = []
        self.block_open = False
        self.inline = 0  # > 0 inside a note or fw: blocks there are read inline
        self.deleted_to: str | None = None  # inside a <delSpan>: the id of the anchor ending it
        self.page_breaks: list[str] = []  # <pb/> seen, to be marked before the next word
        self.anchors: set[str] = set()  # the ids of the file's anchors (a delSpan must end)
        self.wit: str | None = None  # the witness chosen from a parallel-segmentation file

    # -- emitting text -------------------------------------------------------------------

    def _owe(self, sep: str) -> None:
        if self.join:
            return
        if sep == "\n" or not self.pending:
            self.pending = sep

    def _word(self, word: str, line: int) -> None:
        if self.deleted_to is not None:
            return
        b = self.builder
        if self.stack and not self.block_open and not self.inline:
            kind = BlockKind.QUOTE if BlockKind.QUOTE in self.stack else self.stack[-1]
            b.open_block(kind)
            self.block_open = True
        elif self.pending and b.position and not self.join:
            if self.pending == "\n":
                if not b.ends_with("\n"):
                    b.append("\n")
            elif not b.ends_with(" ") and not b.ends_with("\n"):
                b.append(" ")
        self.pending = ""
        self.join = False
        for reason in self.page_breaks:  # a page begins where its first word stands
            b.mark_apparatus(b.position, b.position, ApparatusKind.PAGE_BREAK, reason)
        self.page_breaks.clear()
        start, end = b.append(word, Source(file=self.path, line=line))
        self.pieces += 1
        self.last_end = end
        self.first_start.append(start)

    def _text(self, text: str | None, line: int) -> None:
        if not text:
            return
        pos = 0
        for m in _WORD.finditer(text):
            if m.start() > pos:
                self._owe(" ")
            self._word(m.group(), line + text.count("\n", 0, m.start()))
            pos = m.end()
        if pos < len(text):
            self._owe(" ")

    def _mark(self, since: int, kind: ApparatusKind, reason: str) -> None:
        """Mark the words emitted since piece number ``since`` as apparatus."""
        if self.pieces > since:
            self.builder.mark_apparatus(self.first_start[since], self.last_end, kind, reason)

    # -- walking -------------------------------------------------------------------------

    def walk(self, el: etree._Element) -> None:
        """Read an element's content (not its tail)."""
        name = local(el.tag)
        if not name or name in _DROP:
            return
        handler = getattr(self, f"_on_{name}", None)
        if handler is not None:
            handler(el)
            return
        kind = _BLOCKS.get(name)
        if kind is None and name in _FREE_BLOCKS and not self.stack:
            kind = _FREE_BLOCKS[name]
        if kind is not None and not self.inline:
            self._block(el, kind)
        else:
            if kind is not None:
                self._owe(" ")
            self._content(el)
            if kind is not None:
                self._owe(" ")

    def _content(self, el: etree._Element) -> None:
        self._text(el.text, el.sourceline or 1)
        for child in el:
            self.walk(child)
            if child.tail:
                following = child.getnext()
                line = (
                    following.sourceline - child.tail.count("\n")
                    if following is not None and following.sourceline
                    else _end_line(child)
                )
                self._text(child.tail, line)

    def _close(self) -> None:
        if self.block_open:  # closing costs a join of the whole text: only when one is open
            self.builder.close_block()
            self.block_open = False

    def _block(self, el: etree._Element, kind: BlockKind) -> None:
        self._close()
        self.pending = ""
        self.stack.append(kind)
        self._content(el)
        self.stack.pop()
        self._close()
        self.pending = ""
        self.join = False

    def _apparatus(self, el: etree._Element, kind: ApparatusKind, reason: str) -> None:
        since = self.pieces
        self._content(el)
        self._mark(since, kind, reason)

    def _on_front(self, el: etree._Element) -> None:
        self._apparatus(el, ApparatusKind.HEADER, "front matter (TEI <front>)")

    def _on_back(self, el: etree._Element) -> None:
        self._apparatus(el, ApparatusKind.FOOTER, "back matter (TEI <back>)")

    def _on_note(self, el: etree._Element) -> None:
        self._owe(" ")
        self.inline += 1
        self._apparatus(el, ApparatusKind.MARKUP, "a TEI <note>: an annotation, not the text")
        self.inline -= 1
        self._owe(" ")

    def _on_fw(self, el: etree._Element) -> None:
        kind = _FW_KINDS.get(el.get("type") or "", ApparatusKind.FOOTER)
        self._owe("\n")
        self.inline += 1
        self._apparatus(el, kind, f"TEI forme work <fw type={el.get('type') or '?'}>")
        self.inline -= 1
        self._owe("\n")

    def _on_lb(self, el: etree._Element) -> None:
        if el.get("break") == "no":
            if any(self.builder.ends_with(h) for h in _HYPHENS):
                self.pending = "\n"
            else:
                self.pending = ""
                self.join = True
        elif self.block_open or not self.stack:
            self._owe("\n")

    def _inside_word(self, el: etree._Element) -> bool:
        """Whether an empty element stands inside a word: no space before it or after it.

        ``pro<pb/>ceeded`` is one word broken by a page; ``end. <pb/>Next`` is two.
        """
        tail = el.tail or ""
        before = not self.pending and self.builder.position and not self.join
        return bool(before) and bool(tail) and not tail[0].isspace()

    def _milestone(self, el: etree._Element) -> None:
        if el.get("break") == "no" or self._inside_word(el):
            self.pending = ""
            self.join = True
        else:
            self._owe(" ")

    def _on_pb(self, el: etree._Element) -> None:
        self._milestone(el)
        n = el.get("n")
        self.page_breaks.append(f"page {n} begins" if n else "a page begins")

    def _on_delSpan(self, el: etree._Element) -> None:
        target = (el.get("spanTo") or "").lstrip("#")
        if target in self.anchors:  # a span to nowhere would swallow the rest of the text
            self.deleted_to = target

    def _on_anchor(self, el: etree._Element) -> None:
        if self.deleted_to is not None and el.get(_XML_ID) == self.deleted_to:
            self.deleted_to = None

    def _on_space(self, el: etree._Element) -> None:
        self._owe(" ")

    _on_cb = _milestone
    _on_milestone = _milestone

    def _on_cell(self, el: etree._Element) -> None:
        self._owe(" ")  # cells written edge to edge are still apart
        self._content(el)
        self._owe(" ")

    def _on_choice(self, el: etree._Element) -> None:
        children = [c for c in el if local(c.tag)]
        for wanted in _AS_WRITTEN:
            for child in children:
                if local(child.tag) == wanted:
                    self._content(child)
                    return
        if children:
            self._content(children[0])

    def _on_app(self, el: etree._Element) -> None:
        readings = [c for c in el.iter() if local(c.tag) in {"lem", "rdg"}]
        lemma = [c for c in readings if local(c.tag) == "lem"]
        if self.wit is not None:
            # Parallel segmentation: the chosen witness's reading; a lem without @wit stands
            # for every witness no rdg names; no reading of its own is an omission.
            mine = [c for c in readings if self.wit in _wits(c)]
            named = {w for c in readings for w in _wits(c)}
            if not mine and self.wit not in named:
                mine = [c for c in lemma if not c.get("wit")]
            if mine:
                self._content(mine[0])
            return
        chosen = lemma[0] if lemma else (readings[0] if readings else None)
        if chosen is not None:
            self._content(chosen)


def _wits(el: etree._Element) -> set[str]:
    """The witness ids an element's ``wit`` attribute names (``#ms #pub_1823`` -> ms, pub_1823)."""
    return {w.lstrip("#") for w in (el.get("wit") or "").split()}


def apparatus_witnesses(root: etree._Element) -> list[str]:
    """The witnesses a parallel-segmentation file's readings name, in order of first use.

    Empty for a file whose ``<app>`` readings name no witness (a plain edition with notes).
    """
    found: dict[str, None] = {}
    for el in root.iter("{*}rdg", "{*}lem", "rdg", "lem"):
        for w in sorted(_wits(el)):
            found.setdefault(w)
    return list(found)


def _texts(root: etree._Element) -> list[etree._Element]:
    """The outermost ``<text>`` elements outside the header; [root] when there is none."""
    found = []
    for el in root.iter():
        if local(el.tag) != "text":
            continue
        ancestors = {local(a.tag) for a in el.iterancestors()}
        if not ancestors & {"text", "teiHeader", "header"}:
            found.append(el)
    if not found:  # a genetic transcription only (sourceDoc), or a fragment: read it whole
        found = [el for el in root.iter() if local(el.tag) == "sourceDoc"]
    return found or [root]


def parse_tei(
    data: bytes, path: str, reader: _Reader | None = None, wit: str | None = None
) -> _Reader:
    """Read one TEI file into a reader (a new one, or the given one to continue a witness).

    ``wit`` chooses one witness of a parallel-segmentation file (``<app>`` with ``rdg wit``);
    a file of two or more witnesses read without a choice raises FormatError listing them, as
    does a choice the file does not know: a silent hybrid of the witnesses is no witness.
    """
    root = parse_xml(data, path)
    witnesses = apparatus_witnesses(root)
    if wit is not None and wit not in witnesses:
        known = ", ".join(witnesses) if witnesses else "none: it is no parallel-segmentation file"
        raise FormatError(f"no witness {wit!r} in its apparatus (witnesses: {known})", file=path)
    if wit is None and len(witnesses) > 1:
        raise FormatError(
            f"a parallel-segmentation apparatus of {len(witnesses)} witnesses "
            f"({', '.join(witnesses)}): choose one, as {Path(path).name}#{witnesses[0]} "
            "or with the manifest's wit key",
            file=path,
        )
    reader = reader or _Reader(path)
    reader.wit = wit
    reader.path = path
    reader.deleted_to = None
    reader.anchors = {
        str(el.get(_XML_ID)) for el in root.iter() if local(el.tag) == "anchor" and el.get(_XML_ID)
    }
    with _deep_enough():
        for text in _texts(root):
            reader._close()
            reader.pending = "\n"
            reader.walk(text)
    return reader


@contextmanager
def _deep_enough() -> Iterator[None]:
    """Room on Python's stack for the deepest tree the XML parser builds.

    The reader recurses with the tree (three calls a level), and libxml2 builds trees up to
    2,048 elements deep when a document needs it (``parse_xml``); Python's default limit of
    1,000 calls would stop at about 330.
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 3 * _MAX_DEPTH + 1000))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def load(spec: WitnessSpec, files: Sequence[str]) -> Witness:
    """Load one or more TEI files (in order) as one witness.

    Raises MissingFileError, FormatError (malformed XML, with its line) or EmptyWitnessError.
    """
    reader = _Reader(spec.siglum)
    encoding = "utf-8"
    for name in files:
        path, fragment = split_fragment(name)
        data = read_bytes(path)
        encoding = xml_encoding(data)
        reader = parse_tei(data, path, reader, fragment or spec.wit)
    end = reader.builder.position
    for reason in reader.page_breaks:  # a <pb/> after the last word
        reader.builder.mark_apparatus(end, end, ApparatusKind.PAGE_BREAK, reason)
    return reader.builder.finish(spec, FORMAT, encoding)
