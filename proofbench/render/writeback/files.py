"""New text per OCR word -> the OCR file rewritten: hOCR, ALTO or PAGE XML, all else kept.

Input: a file's bytes and ``{word id: new text}`` for its words. Output: the file's bytes with
each named word's text replaced in its own format (hOCR: the ``ocrx_word`` element's text; ALTO:
``String/@CONTENT``, a printed line-end hyphen kept in its ``HYP``; PAGE: the word's preferred
``TextEquiv/Unicode``, and its line's, re-joined from the words). A word whose new text is empty
is removed (with the ALTO ``SP`` before it). Every other element, attribute and coordinate, the
declaration, doctype and encoding are kept; no entity is resolved and nothing is fetched. Where
it can (hOCR words, and ALTO words replaced where none is removed or hyphenated), only the
words' own bytes change, so a diff
of the file shows the corrections and nothing else.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping

from lxml import etree

from proofbench.errors import FormatError

Rewriter = Callable[[bytes, Mapping[str, str], str], bytes]
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011", "¬")


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes, path: str) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"cannot rewrite: not well-formed XML ({exc})", file=path) from exc


_PROLOG = re.compile(rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>))*\s*", re.S)


def _serialize(tree: etree._ElementTree, data: bytes) -> bytes:
    """The root element serialized after the file's own prolog, kept byte for byte."""
    encoding = tree.docinfo.encoding or "UTF-8"
    prolog = _PROLOG.match(data)
    head = prolog.group(0) if prolog else b""
    # A copy outside the document: libxml2 serializes a document with an XHTML doctype by
    # XHTML's compatibility rules (adding xml:lang, " />"), which would change the hOCR.
    root = copy.deepcopy(tree.getroot())
    body: bytes = etree.tostring(root, encoding=encoding, xml_declaration=False)
    return head + body + b"\n"


def _remove(el: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail if not (prev.tail or "").strip() else prev.tail
    else:
        parent.text = (parent.text or "") + tail if not (parent.text or "").strip() else parent.text
    parent.remove(el)


def _escape(text: str, encoding: str, quote: bytes = b"") -> bytes:
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        out = out.replace('"', "&quot;").replace("'", "&apos;")
    return out.encode(encoding, "xmlcharrefreplace")


def _spliced(
    data: bytes,
    texts: Mapping[str, str],
    pattern: Callable[[bytes], re.Pattern[bytes]],
    group: int,
    remove: bool = False,
) -> bytes | None:
    """The file with group ``group`` of each word's one match replaced by its new text, byte
    for byte elsewhere (so a diff shows only the corrections); a word to delete goes whole with
    the whitespace before it where ``remove``. None where a word is to be removed and not
    ``remove``, or is not matched exactly once, or holds markup."""
    if not remove and not all(texts.values()):
        return None
    encoding = _declared_encoding(data)
    spans: list[tuple[int, int, bytes]] = []
    for wid, text in texts.items():
        found = list(pattern(re.escape(wid.encode(encoding))).finditer(data))
        if len(found) != 1 or b"<" in found[0].group(group):
            return None
        m = found[0]
        if not text:
            start = m.start(0)
            while start > 0 and data[start - 1 : start].isspace():
                start -= 1
            spans.append((start, m.end(0), b""))
            continue
        quote = m.group("q") if "q" in m.re.groupindex else b""
        spans.append((m.start(group), m.end(group), _escape(text, encoding, quote)))
    out, pos = [], 0
    for start, end, new in sorted(spans):
        if start < pos:
            return None
        out += [data[pos:start], new]
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _declared_encoding(data: bytes) -> str:
    m = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data)
    return m.group(1).decode("ascii") if m else "utf-8"


def _hocr_word(wid: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<span\b[^>]*\bid=([\"'])" + wid + rb"\1[^>]*>(.*?)</span>", re.S)


def _alto_string(wid: bytes) -> re.Pattern[bytes]:
    return re.compile(
        rb"<(?:\w+:)?String\b(?=[^>]*\bID=([\"'])"
        + wid
        + rb"\1)[^>]*?\bCONTENT=(?P<q>[\"'])(.*?)(?P=q)",
        re.S,
    )


def rewrite_hocr(data: bytes, texts: Mapping[str, str], path: str) -> bytes:
    """hOCR: each named ``ocrx_word``'s text replaced (its inner markup dropped), or removed."""
    spliced = _spliced(data, texts, _hocr_word, 2, remove=True)
    if spliced is not None:
        return spliced
    tree = _parse(data, path)
    for el in list(tree.getroot().iter()):
        wid = el.get("id")
        if wid is None or wid not in texts:
            continue
        new = texts[wid]
        if not new:
            _remove(el)
            continue
        for child in list(el):
            el.remove(child)
        el.text = new
    return _serialize(tree, data)


def rewrite_alto(data: bytes, texts: Mapping[str, str], path: str) -> bytes:
    """ALTO: each named ``String``'s ``CONTENT`` replaced, or the String removed."""
    hyphenated = any(_local(el.tag) == "HYP" for el in _parse(data, path).getroot().iter())
    spliced = None if hyphenated else _spliced(data, texts, _alto_string, 3)
    if spliced is not None:
        return spliced
    tree = _parse(data, path)
    for el in list(tree.getroot().iter()):
        wid = el.get("ID")
        if _local(el.tag) != "String" or wid is None or wid not in texts:
            continue
        new = texts[wid]
        nxt = el.getnext()
        if new and nxt is not None and _local(nxt.tag) == "HYP":
            mark = (nxt.get("CONTENT") or "-").strip() or "-"
            if new.endswith(mark) and not (el.get("CONTENT") or "").endswith(_HYPHENS):
                new = new[: -len(mark)]  # the loader added the printed hyphen from HYP
        if new:
            el.set("CONTENT", new)
            continue
        prev = el.getprevious()
        if prev is not None and _local(prev.tag) == "SP":
            _remove(prev)
        elif nxt is not None and _local(nxt.tag) == "SP":
            _remove(nxt)
        _remove(el)
    return _serialize(tree, data)


def _preferred(el: etree._Element) -> etree._Element | None:
    equivs = [c for c in el if _local(c.tag) == "TextEquiv"]

    def rank(e: etree._Element) -> int:
        index = e.get("index")
        return int(index) if index and index.lstrip("-").isdigit() else 1 << 30

    return min(equivs, key=rank) if equivs else None


def _set_unicode(equiv: etree._Element, text: str) -> None:
    for child in equiv:
        if _local(child.tag) == "Unicode":
            for inner in list(child):
                child.remove(inner)
            child.text = text
            return


def _unicode(el: etree._Element) -> str:
    equiv = _preferred(el)
    for child in equiv if equiv is not None else ():
        if _local(child.tag) == "Unicode":
            return "".join(child.itertext())
    return ""


def rewrite_page(data: bytes, texts: Mapping[str, str], path: str) -> bytes:
    """PAGE: each named ``Word``'s preferred TextEquiv replaced (or the Word removed), and the
    TextEquiv of each line so changed re-joined from its words."""
    tree = _parse(data, path)
    lines: list[etree._Element] = []
    for el in list(tree.getroot().iter()):
        wid = el.get("id")
        if _local(el.tag) != "Word" or wid is None or wid not in texts:
            continue
        line = el.getparent()
        if line is not None and line not in lines:
            lines.append(line)
        equiv = _preferred(el)
        if texts[wid] and equiv is not None:
            _set_unicode(equiv, texts[wid])
        elif not texts[wid]:
            _remove(el)
    for line in lines:
        equiv = _preferred(line)
        if equiv is not None:
            words = [w for w in line if _local(w.tag) == "Word"]
            _set_unicode(equiv, " ".join(t for t in (_unicode(w) for w in words) if t))
    return _serialize(tree, data)


REWRITERS: dict[str, Rewriter] = {
    "hocr": rewrite_hocr,
    "alto": rewrite_alto,
    "page": rewrite_page,
}
"""The OCR formats corrections can be written back into, by loader name."""
