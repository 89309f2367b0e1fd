"""TEI loader: the hand-made sample's editorial markup read as written, and real TEI editions."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.errors import EmptyWitnessError, FormatError
from proofbench.model import ApparatusKind, BlockKind, Witness, WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import detect, load_witness, tei

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "sample.tei.xml"
CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"
MITFORD = CORPORA / "mitford-julian"
FRANKENSTEIN = CORPORA / "frankenstein-variorum"


def _load(*paths: Path | str, fmt: str | None = None) -> Witness:
    return load_witness(WitnessSpec("A", tuple(str(p) for p in paths), format=fmt))


def _check_spans(w: Witness, source: Path) -> None:
    """Every span is a word piece found on the line of the file its source names."""
    lines = source.read_text(encoding="utf-8").split("\n")
    assert w.spans
    for s in w.spans:
        word = w.text[s.start : s.end]
        assert word and not any(c.isspace() for c in word), s
        assert s.source.line is not None
        escaped = word.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert word in lines[s.source.line - 1] or escaped in lines[s.source.line - 1], s


def _apparatus(w: Witness) -> list[tuple[ApparatusKind, str]]:
    return [(a.kind, w.text[a.start : a.end]) for a in w.apparatus]


def test_sample_reads_the_witness_as_written() -> None:
    w = _load(SAMPLE)
    assert w.format == "tei"
    text = w.text
    assert "Header" not in text and "Made by hand" not in text  # teiHeader skipped
    assert "was sent by" in text and "posted" not in text  # <sic> over <corr>
    assert "the 2nd." in text and "second" not in text  # <abbr> over <expan>
    assert "It arrived late." in text and "came" not in text  # <lem> over <rdg>
    assert "not" not in text.split() and "and then to" in text  # <del> out, <add> in
    assert "London." in text  # <lb break="no"/> joins
    assert "commu-\nnication" in text  # ...but after a printed hyphen the break stays
    assert "London.\nIt arrived" in text  # <lb/> is a line break
    _check_spans(w, SAMPLE)


def test_sample_blocks() -> None:
    w = _load(SAMPLE)
    blocks = [(b.kind, w.text[b.start : b.end]) for b in w.blocks]
    assert (BlockKind.HEADING, "To the Workers") in blocks
    assert (BlockKind.QUOTE, "A quoted paragraph.") in blocks
    assert (BlockKind.LINE, "First line of verse,") in blocks
    assert (BlockKind.PARAGRAPH, "One item") in blocks
    body = [b for k, b in blocks if k is BlockKind.PARAGRAPH and b.startswith("The message")]
    assert len(body) == 1 and body[0].endswith("It arrived late.")


def test_sample_apparatus() -> None:
    w = _load(SAMPLE)
    marks = _apparatus(w)
    assert (ApparatusKind.HEADER, "A Message") in marks  # <front>
    assert (ApparatusKind.FOOTER, "Back matter.") in marks  # <back>
    assert (ApparatusKind.MARKUP, "An editor's note.") in marks  # <note>
    assert (ApparatusKind.RUNNING_HEAD, "FOURTH INTERNATIONAL") in marks  # <fw type=header>
    assert (ApparatusKind.PAGE_NUMBER, "229") in marks  # <fw type=pageNum>
    breaks = [a for a in w.apparatus if a.kind is ApparatusKind.PAGE_BREAK]
    assert [a.reason for a in breaks] == ["page 229 begins", "page 230 begins"]
    assert w.text[breaks[1].start :].lstrip().startswith("One item")
    tokens = tokenize(w)
    readings = [t.reading for t in tokens.text_tokens]
    assert "communication" in readings
    assert "editor's" not in readings and "INTERNATIONAL" not in readings


def test_sample_source_lines() -> None:
    w = _load(SAMPLE)
    by_word = {w.text[s.start : s.end]: s.source for s in w.spans}
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    assert "nication" in lines[by_word["nication"].line - 1]  # type: ignore[operator]
    paris = by_word["Paris"].line
    assert paris is not None and "to Paris" in lines[paris - 1]
    assert by_word["late."].line == by_word["Lon"].line == paris + 1
    assert by_word["Workers"].file == str(SAMPLE)


def test_sniff() -> None:
    assert tei.sniff(SAMPLE.read_bytes(), "x.txt")
    assert tei.sniff(b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"/>', "x")
    assert tei.sniff(b'<div xmlns="http://www.tei-c.org/ns/1.0"><p>a</p></div>', "x")
    assert not tei.sniff(b"<div><p>not TEI, some HTML</p></div>", "x.tei.xml")
    assert not tei.sniff(b"<alto/>", "x.tei")


def test_sniffing_ignores_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "witness.html"
    path.write_bytes(SAMPLE.read_bytes())
    assert detect(str(path)) == "tei"


def test_utf16_file(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "u16.xml"
    path.write_bytes(data.encode("utf-16"))
    assert detect(str(path)) == "tei"
    w = _load(path)
    assert w.encoding == "utf-16"
    assert w.text == _load(SAMPLE).text


def test_fragment_when_forced(tmp_path: Path) -> None:
    path = tmp_path / "act.xml"
    path.write_text('<div type="act">\n<head>Act 1</head>\n<l n="1">No, still</l>\n</div>')
    w = _load(path, fmt="tei")
    assert w.text == "Act 1\n\nNo, still"
    assert [b.kind for b in w.blocks] == [BlockKind.HEADING, BlockKind.LINE]


def test_tei_without_namespace_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "act.xml"
    path.write_text(
        '<div type="act">\n<head>Act 1</head>\n<sp><speaker>Ann.</speaker>\n'
        '<l n="1">No, still <pb n="2"/>he sleeps</l></sp>\n</div>',
        encoding="utf-8",
    )
    assert detect(str(path)) == "tei"
    plain = tmp_path / "plain.xml"
    plain.write_text("<root><div><p>Just some XML</p></div></root>", encoding="utf-8")
    assert detect(str(plain)) != "tei"
    xhtml = tmp_path / "page.xhtml"
    xhtml.write_text('<html><body><div type="x"><hi rend="b">a</hi><pb/></div></body></html>')
    assert detect(str(xhtml)) != "tei"


def test_genetic_markup(tmp_path: Path) -> None:
    path = tmp_path / "ms.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><sourceDoc><surface><zone>'
        '<line>kept <delSpan spanTo="#a1"/>struck out</line><line>also struck'
        '<anchor xml:id="a1"/> after <metamark>X</metamark>it</line>'
        "</zone></surface></sourceDoc></TEI>",
        encoding="utf-8",
    )
    w = _load(path)
    assert w.text == "kept\n\nafter it"
    assert [b.kind for b in w.blocks] == [BlockKind.LINE, BlockKind.LINE]


def test_table_cells_stay_apart(tmp_path: Path) -> None:
    path = tmp_path / "t.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><table>'
        "<row><cell>a</cell><cell>b</cell></row><row><cell>c</cell></row>"
        "</table></body></text></TEI>",
        encoding="utf-8",
    )
    assert _load(path).text == "a b\n\nc"


def test_delspan_without_its_anchor_drops_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ms.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>one <delSpan spanTo="#nowhere"/>'
        "two</p><p>three</p></body></text></TEI>",
        encoding="utf-8",
    )
    assert _load(path).text == "one two\n\nthree"


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    data = SAMPLE.read_text(encoding="utf-8").replace("<head>To the Workers</head>", "<head>To")
    path.write_text(data, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        _load(path, fmt="tei")
    assert err.value.line is not None and err.value.line > 15


def test_header_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><p>x</p></teiHeader>'
        "<text><body><p> </p><p><del>gone</del></p></body></text></TEI>",
        encoding="utf-8",
    )
    with pytest.raises(EmptyWitnessError):
        _load(path)


# -- real files -----------------------------------------------------------------------------


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared corpus not present: {path}")


def test_mitford_manuscript() -> None:
    path = MITFORD / "JulianMelfiMS.xml"
    _need(path)
    assert detect(str(path)) == "tei"
    w = _load(path)
    _check_spans(w, path)
    lines = [b for b in w.blocks if b.kind is BlockKind.LINE]
    assert len(lines) > 1900  # SOURCE.md: MS 2,089 <l> (some empty)
    assert "Tapping against the casement, as the wind" in w.text
    breaks = [a for a in w.apparatus if a.kind is ApparatusKind.PAGE_BREAK]
    assert len(breaks) == 106


def test_mitford_apparatus_reads_the_chosen_witness() -> None:
    path = MITFORD / "JulianMelfi.xml"
    _need(path)
    w = _load(f"{path}#pub_1823")
    _check_spans(w, path)
    assert len(w.text.split()) > 10000


def test_mitford_act_fragment_without_namespace() -> None:
    path = MITFORD / "1823_act_1.xml"
    _need(path)
    assert detect(str(path)) == "tei"  # no TEI root or namespace, but TEI's elements
    w = _load(path)
    assert w.text.startswith("Act 1:")
    assert "No, still he sleeps-- 'Twas but the myrtle bud" in w.text


def test_frankenstein_variorum_chapter() -> None:
    path = FRANKENSTEIN / "gold-collation-C01-C07" / "variorum-chapters"
    path = path / "f1818_vol_1_letter_iv.xml"
    _need(path)
    assert detect(str(path)) == "tei"
    w = _load(path)
    _check_spans(w, path)
    assert w.text.startswith("LETTER IV.")
    assert "To Mrs. SAVILLE, England." in w.text  # S<hi>AVILLE</hi> is one word


def test_frankenstein_thomas_copy_revisions() -> None:
    path = FRANKENSTEIN / "editions-tei" / "Thomas_full_prelim.xml"
    _need(path)
    assert detect(str(path)) == "tei"
    w = _load(path)
    assert "INTRODUCTORY NOTE" not in w.text  # the editorial <header> is not the text
    notes = [a for a in w.apparatus if a.kind is ApparatusKind.MARKUP]
    assert notes  # Mary Shelley's marginal notes are kept, as apparatus
    assert len(w.text.split()) > 70000


def test_frankenstein_manuscript_deletions() -> None:
    path = FRANKENSTEIN / "editions-tei" / "msColl_c56.xml"
    _need(path)
    assert detect(str(path)) == "tei"
    w = _load(path)
    _check_spans(w, path)
    # <del>sevr</del> and the <delSpan> up to its anchor are not what the page now reads.
    assert w.text.startswith("servants had any request to make\nit always through her")
    assert "We agreed" not in w.text.split("intercession", 1)[1][:200]


def test_the_root_is_found_past_a_bom_blank_lines_and_a_long_comment() -> None:
    from proofbench.witness.xml import root_element

    head = b"\xef\xbb\xbf\n  \n<?xml version='1.0'?>\n<!--" + b"licence " * 4000 + b"-->\n"
    data = head + b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>'
    assert root_element(data) == ("http://www.tei-c.org/ns/1.0", "TEI")
    assert root_element(b"\xef\xbb\xbf  plain text <TEI>") is None
