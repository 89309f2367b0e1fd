"""ALTO loader: a hand-made sample (in every ALTO namespace), real newspaper and Tesseract ALTO."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.errors import EmptyWitnessError, FormatError
from proofbench.model import ApparatusKind, Witness, WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import alto, detect, load_witness

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "sample.alto.xml"
CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"
NEWS = CORPORA / "newspaper-alto-wordconf"
TESS = CORPORA / "old-books-ocr-gt" / "ocr-tesseract5-derived"
V4 = "http://www.loc.gov/standards/alto/ns-v4#"


def _load(*paths: Path | str, fmt: str | None = None) -> Witness:
    return load_witness(WitnessSpec("A", tuple(str(p) for p in paths), format=fmt))


def _check_spans(w: Witness) -> None:
    """Every source span is one whole word of the text: non-empty, no whitespace inside."""
    assert w.spans
    for s in w.spans:
        word = w.text[s.start : s.end]
        assert word and word == word.strip() and not any(c.isspace() for c in word), s
    starts = [s.start for s in w.spans]
    assert starts == sorted(starts)


def _apparatus(w: Witness) -> dict[str, ApparatusKind]:
    return {w.text[a.start : a.end]: a.kind for a in w.apparatus if a.end > a.start}


def test_sample_text_words_and_sources() -> None:
    w = _load(SAMPLE)
    assert w.format == "alto"
    assert "The message was sent by commu-\nnication to Paris." in w.text
    _check_spans(w)
    by_word = {w.text[s.start : s.end]: s.source for s in w.spans}
    assert set(by_word) == {
        "FOURTH", "INTERNATIONAL", "The", "message", "was", "sent", "by", "commu-",
        "nication", "to", "Paris.", "229",
    }  # fmt: skip
    sent = by_word["sent"]
    assert sent.bbox == (415, 200, 515, 240)
    assert sent.confidence == pytest.approx(50.0)
    assert sent.page == 1 and sent.word_id == "S5"
    # The HYP's box is joined to the word it ends.
    assert by_word["commu-"].bbox == (585, 200, 697, 240)
    # The image named with a Windows path on another machine is found beside the file.
    assert sent.image is not None and Path(sent.image).name == "sample-page.png"
    assert w.pages == 1


def test_sample_margins_are_apparatus() -> None:
    w = _load(SAMPLE)
    marks = _apparatus(w)
    assert marks["FOURTH INTERNATIONAL"] is ApparatusKind.RUNNING_HEAD
    assert marks["229"] is ApparatusKind.PAGE_NUMBER
    assert not any(k.startswith("The") for k in marks)


def test_sample_tokens_join_the_line_end_hyphen() -> None:
    w = tokenize(_load(SAMPLE))
    readings = [t.reading for t in w.text_tokens]
    assert "communication" in readings
    assert "INTERNATIONAL" not in readings and "229" not in readings
    for t in w.tokens:
        assert w.text[t.start : t.end] == t.t


@pytest.mark.parametrize(
    "namespace",
    [
        "http://www.loc.gov/standards/alto/ns-v2#",
        "http://www.loc.gov/standards/alto/ns-v3#",
        V4,
        "http://schema.ccs-gmbh.com/ALTO",
        None,
    ],
)
def test_every_alto_namespace(tmp_path: Path, namespace: str | None) -> None:
    data = SAMPLE.read_text(encoding="utf-8")
    data = data.replace(f' xmlns="{V4}"', f' xmlns="{namespace}"' if namespace else "")
    path = tmp_path / "page.xml"
    path.write_text(data, encoding="utf-8")
    assert detect(str(path)) == "alto"
    assert _load(path).text == _load(SAMPLE).text


def test_sniff_by_content_not_extension(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(SAMPLE.read_bytes())
    assert detect(str(path)) == "alto"
    assert not alto.sniff(b"<html><body><p>alto</p></body></html>", "x.alto")
    assert not alto.sniff(b'<?xml version="1.0"?><TEI><text>alto</text></TEI>', "x.alto.xml")
    assert alto.sniff(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<a:alto xmlns:a='x'/>", "x")


def test_hyphen_without_hyp_element_is_kept(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace(
        '<HYP HPOS="685" VPOS="200" WIDTH="12" CONTENT="-"/>', ""
    )
    path = tmp_path / "nohyp.xml"
    path.write_text(data, encoding="utf-8")
    assert "commu-\nnication" in _load(path).text


def test_hyphen_in_content_and_hyp_is_not_doubled(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace('CONTENT="commu"', 'CONTENT="commu-"')
    path = tmp_path / "both.xml"
    path.write_text(data, encoding="utf-8")
    assert "commu-\nnication" in _load(path).text


def test_blocks_straight_under_page(tmp_path: Path) -> None:
    data = re.sub(
        r"</?(?:PrintSpace|TopMargin|BottomMargin)\b[^>]*>", "", SAMPLE.read_text(encoding="utf-8")
    )
    assert "PrintSpace" not in data
    path = tmp_path / "flat.xml"
    path.write_text(data, encoding="utf-8")
    assert "The message was sent by" in _load(path).text


def test_tagrefs_label_gives_the_role(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8")
    data = data.replace("<Layout>", '<Tags><LayoutTag ID="T1" LABEL="header"/></Tags><Layout>')
    data = data.replace('<TextLine ID="TL2"', '<TextLine TAGREFS="T1" ID="TL2"')
    path = tmp_path / "tagged.xml"
    path.write_text(data, encoding="utf-8")
    marks = _apparatus(_load(path))
    assert marks["nication to Paris."] is ApparatusKind.RUNNING_HEAD


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace('CONTENT="was" WC="0.88"/>', 'CONTENT="was"')
    path = tmp_path / "broken.xml"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        _load(path, fmt="alto")
    assert err.value.line is not None and err.value.line >= 28
    assert err.value.file == str(path)


def test_no_words_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text(
        f'<alto xmlns="{V4}"><Layout><Page WIDTH="10" HEIGHT="10"><PrintSpace/></Page>'
        "</Layout></alto>",
        encoding="utf-8",
    )
    with pytest.raises(EmptyWitnessError):
        _load(path)


def test_not_alto_when_forced(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<root><p>text</p></root>", encoding="utf-8")
    with pytest.raises(FormatError):
        _load(path, fmt="alto")


def test_several_files_are_pages(tmp_path: Path) -> None:
    w = _load(SAMPLE, SAMPLE)
    assert w.pages == 2
    assert {s.source.page for s in w.spans} == {1, 2}
    breaks = [a for a in w.apparatus if a.kind is ApparatusKind.PAGE_BREAK]
    assert len(breaks) == 1
    # Repeated on both pages, the running head is apparatus on each.
    heads = [a for a in w.apparatus if a.kind is ApparatusKind.RUNNING_HEAD]
    assert len(heads) == 2


def test_declared_latin1_is_decoded(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    data = data.replace('CONTENT="Paris."', 'CONTENT="Pâris."')
    path = tmp_path / "latin.xml"
    path.write_bytes(data.encode("latin-1"))
    w = _load(path)
    assert "to Pâris." in w.text
    assert w.encoding.lower().replace("_", "-") in {"iso-8859-1", "latin-1"}


_CONTENT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="-"),
    min_size=1,
    max_size=8,
).filter(lambda s: not any(c.isspace() for c in s))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CONTENT, min_size=1, max_size=5), min_size=1, max_size=4))
def test_every_string_is_one_span(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    """Property: each String's CONTENT comes back as exactly one span, in order."""
    from xml.sax.saxutils import quoteattr

    lines = []
    for y, row in enumerate(rows):
        strings = "".join(
            f'<String HPOS="{10 + 60 * x}" VPOS="{100 + 50 * y}" WIDTH="50" HEIGHT="40" '
            f"CONTENT={quoteattr(word)}/><SP/>"
            for x, word in enumerate(row)
        )
        lines.append(
            f'<TextLine HPOS="10" VPOS="{100 + 50 * y}" WIDTH="900" HEIGHT="40">'
            f"{strings}</TextLine>"
        )
    doc = (
        f'<alto xmlns="{V4}"><Layout><Page WIDTH="1000" HEIGHT="2000"><PrintSpace>'
        f'<TextBlock HPOS="10" VPOS="100" WIDTH="900" HEIGHT="400">{"".join(lines)}</TextBlock>'
        "</PrintSpace></Page></Layout></alto>"
    )
    path = tmp_path_factory.mktemp("alto") / "p.xml"
    path.write_text(doc, encoding="utf-8")
    w = _load(path)
    assert [w.text[s.start : s.end] for s in w.spans] == [word for row in rows for word in row]


# -- real files -----------------------------------------------------------------------------


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared corpus not present: {path}")


def test_winchester_news_ccs_alto() -> None:
    path = NEWS / "winchester-news_1910-10_ndnp.alto.xml"
    _need(path)
    assert detect(str(path)) == "alto"
    w = _load(path)
    _check_spans(w)
    assert len(w.spans) == 4430  # one span per <String>, as SOURCE.md counts them
    # 32 HypPart1 words end with their hyphen; none is doubled by SUBS_CONTENT.
    words = [w.text[s.start : s.end] for s in w.spans]
    assert sum(1 for x in words if x.endswith("-")) >= 32
    assert "aver-" in words and "averAge" not in w.text
    assert all(s.source.confidence is not None for s in w.spans)
    assert all(0 <= s.source.confidence <= 100 for s in w.spans if s.source.confidence)
    assert "THE WINCHESTER NEWS" in w.text


def test_statesman_alto_1_4_without_namespace() -> None:
    path = NEWS / "the-statesman_1824-02-17_p1_bl.alto.xml"
    _need(path)
    assert detect(str(path)) == "alto"
    w = _load(path)
    _check_spans(w)
    assert len(w.spans) == 5140
    ids = [s.source.word_id for s in w.spans]
    assert ids[0] == "P1_ST00001" and len(set(ids)) == len(ids)
    # "Prelee-" / "tions": printed halves, hyphen kept for the tokenizer.
    assert "Prelee-\ntions" in w.text


def test_tesseract_alto_against_its_hocr() -> None:
    path = TESS / "c017.alto.xml"
    hocr = TESS / "c017.hocr"
    _need(path)
    w = _load(path)
    _check_spans(w)
    assert w.spans[0].source.word_id == "string_0"
    assert all(s.source.bbox is not None for s in w.spans)
    # The same engine run: ALTO and hOCR hold the same words in the same order.
    h = _load(hocr)
    assert [w.text[s.start : s.end] for s in w.spans] == [h.text[s.start : s.end] for s in h.spans]
    confs = [s.source.confidence for s in w.spans]
    assert all(c is not None and 0 <= c <= 100 for c in confs)
