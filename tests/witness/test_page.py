"""PAGE XML loader: a hand-made 2019 sample (and 2013/2010 forms), the IMPACT BHL ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.errors import EmptyWitnessError, FormatError, ManifestError
from proofbench.model import ApparatusKind, BlockKind, Witness, WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import detect, load_witness, page

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SAMPLE = SAMPLES / "sample.page.xml"
CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"
BHL = CORPORA / "impact-bhl-pagexml-gt" / "birdsofgreatbrit02butl"
NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/"


def _load(*paths: Path | str, fmt: str | None = None) -> Witness:
    return load_witness(WitnessSpec("A", tuple(str(p) for p in paths), format=fmt))


def _check_spans(w: Witness) -> None:
    assert w.spans
    for s in w.spans:
        word = w.text[s.start : s.end]
        assert word and not any(c.isspace() for c in word), s
    starts = [s.start for s in w.spans]
    assert starts == sorted(starts)


def _apparatus(w: Witness) -> dict[str, ApparatusKind]:
    return {w.text[a.start : a.end]: a.kind for a in w.apparatus if a.end > a.start}


def test_sample_reading_order_and_text() -> None:
    w = _load(SAMPLE)
    assert w.format == "page"
    # ReadingOrder puts the heading (r_title) before the body; the regions it leaves out
    # (running head, page number) keep their document places.
    assert w.text.index("FOURTH") < w.text.index("A Message") < w.text.index("The message")
    assert w.text.index("Paris.") < w.text.index("229")
    assert "The message was sent commu-\nnication to Paris." in w.text
    # Of two TextEquivs the one with the lowest index is read.
    assert "Mesage" not in w.text
    _check_spans(w)
    heading = [b for b in w.blocks if b.kind is BlockKind.HEADING]
    assert [w.text[b.start : b.end] for b in heading] == ["A Message"]


def test_sample_word_sources() -> None:
    w = _load(SAMPLE)
    by_word = {w.text[s.start : s.end]: s.source for s in w.spans}
    was = by_word["was"]
    assert was.bbox == (340, 200, 400, 240)
    assert was.confidence == pytest.approx(50.0)
    assert was.word_id == "w3" and was.page == 1
    assert was.image is not None and Path(was.image).name == "sample-page.png"
    # A line without Word elements: its TextEquiv split on spaces, each word with the line's box.
    assert by_word["nication"].bbox == (100, 250, 450, 290)
    assert by_word["nication"].confidence == pytest.approx(80.0)
    assert by_word["nication"].word_id is None


def test_sample_region_types_are_apparatus() -> None:
    w = _load(SAMPLE)
    marks = _apparatus(w)
    assert marks["FOURTH INTERNATIONAL"] is ApparatusKind.RUNNING_HEAD
    assert marks["229"] is ApparatusKind.PAGE_NUMBER
    readings = [t.reading for t in tokenize(w).text_tokens]
    assert "communication" in readings
    assert "229" not in readings and "FOURTH" not in readings


@pytest.mark.parametrize("version", ["2013-07-15", "2019-07-15", "2017-07-15"])
def test_schema_versions(tmp_path: Path, version: str) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace(NS + "2019-07-15", NS + version)
    path = tmp_path / "page.txt"  # the extension does not decide
    path.write_text(data, encoding="utf-8")
    assert detect(str(path)) == "page"
    assert _load(path).text == _load(SAMPLE).text


def test_2010_point_coords_and_region_text(tmp_path: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="{NS}2010-03-19"><Page imageFilename="x.tif" imageWidth="100" imageHeight="200">
<TextRegion id="r1" type="paragraph"><Coords><Point x="10" y="20"/><Point x="90" y="20"/>
<Point x="90" y="60"/><Point x="10" y="60"/></Coords>
<TextEquiv><Unicode>first line of it
second line</Unicode></TextEquiv></TextRegion>
<TextRegion id="r2" type="drop-capital"><Coords><Point x="5" y="70"/><Point x="9" y="80"/></Coords>
<TextEquiv><Unicode>O</Unicode></TextEquiv></TextRegion>
<TextRegion id="r3" type="paragraph"><Coords><Point x="10" y="70"/><Point x="90" y="90"/></Coords>
<TextEquiv><Unicode>F the birds</Unicode></TextEquiv></TextRegion>
</Page></PcGts>""",
        encoding="utf-8",
    )
    assert detect(str(path)) == "page"
    w = _load(path)
    assert "first line of it\nsecond line" in w.text
    assert "OF the birds" in w.text  # the drop capital joins its word
    _check_spans(w)
    by_word = {w.text[s.start : s.end]: s.source for s in w.spans}
    assert by_word["first"].bbox == (10, 20, 90, 60)
    assert by_word["OF"].bbox == (5, 70, 90, 90)
    assert by_word["first"].image is None  # x.tif is not there


def test_nested_reading_order_groups(tmp_path: Path) -> None:
    regions = "".join(
        f'<TextRegion id="{r}"><TextLine id="l{r}"><TextEquiv><Unicode>{r}</Unicode></TextEquiv>'
        "</TextLine></TextRegion>"
        for r in ("a", "b", "c", "d")
    )
    path = tmp_path / "ro.xml"
    path.write_text(
        f'<PcGts xmlns="{NS}2019-07-15"><Page imageFilename="x.png" imageWidth="9" '
        'imageHeight="9"><ReadingOrder><OrderedGroup id="g"><RegionRefIndexed index="0" '
        'regionRef="d"/><OrderedGroupIndexed id="g2" index="1"><RegionRefIndexed index="1" '
        'regionRef="a"/><RegionRefIndexed index="0" regionRef="c"/></OrderedGroupIndexed>'
        f"</OrderedGroup></ReadingOrder>{regions}</Page></PcGts>",
        encoding="utf-8",
    )
    w = _load(path)
    # d, c, a in reading order fill the places of a, c, d; b (unlisted) keeps its own.
    assert w.text.split() == ["d", "b", "c", "a"]


def test_sniff_is_precise() -> None:
    assert page.sniff(SAMPLE.read_bytes(), "a.xml")
    assert not page.sniff(b'<PcGts xmlns="http://example.org/other"/>', "a.xml")
    assert not page.sniff(b"<alto/>", "a.page.xml")
    assert not page.sniff(b"PcGts in plain text", "a.xml")


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    data = SAMPLE.read_text(encoding="utf-8").replace("</TextRegion>", "</TextRegio>", 2)
    path = tmp_path / "broken.xml"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        _load(path)
    assert err.value.line is not None and err.value.line > 10


def test_page_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.xml"
    path.write_text(
        f'<PcGts xmlns="{NS}2019-07-15"><Page imageFilename="a.png" imageWidth="1" '
        'imageHeight="1"/></PcGts>',
        encoding="utf-8",
    )
    with pytest.raises(EmptyWitnessError):
        _load(path)


# -- real files -----------------------------------------------------------------------------


def _bhl() -> list[Path]:
    if not BHL.is_dir():
        pytest.skip(f"shared corpus not present: {BHL}")
    return sorted(BHL.glob("*.xml"))


def test_bhl_ground_truth_book() -> None:
    files = _bhl()
    assert all(detect(str(f)) == "page" for f in files)
    w = _load(*files)
    assert w.pages == len(files)
    _check_spans(w)
    # SOURCE.md: about 12,900 words, region-level text only.
    assert 12000 < len(w.spans) < 14000
    assert all(s.source.bbox is not None for s in w.spans)
    kinds = [a.kind for a in w.apparatus]
    # 30 page-number and 30 header regions in the sample.
    assert kinds.count(ApparatusKind.PAGE_NUMBER) >= 30
    assert kinds.count(ApparatusKind.RUNNING_HEAD) >= 30
    marks = _apparatus(w)
    assert marks.get("THE GREENFINCH") is ApparatusKind.RUNNING_HEAD


def test_bhl_drop_capital_and_reading_order() -> None:
    files = _bhl()
    page_file = BHL / "pc-00667911.xml"
    if page_file not in files:
        pytest.skip("pc-00667911.xml is not in the sample")
    w = _load(page_file)
    # Reading order: title region, heading, then the text opening with its drop capital.
    assert "OF the geographical distribution of the Greenﬁnch" in w.text
    assert w.text.index("THE GREENFINCH.") < w.text.index("OF the geographical")
    assert "ear-coverts" in w.text or "ear-\ncoverts" in w.text


def test_a_text_level_is_chosen_where_levels_disagree(tmp_path: Path) -> None:
    ns = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
    path = tmp_path / "p.xml"
    path.write_text(
        f"<PcGts xmlns='{ns}'><Page imageWidth='9' imageHeight='9'><TextRegion id='r'>"
        "<TextLine id='l'><Word id='w'><TextEquiv><Unicode>stale</Unicode></TextEquiv></Word>"
        "<TextEquiv><Unicode>edited line</Unicode></TextEquiv></TextLine>"
        "<TextEquiv><Unicode>region text</Unicode></TextEquiv></TextRegion></Page></PcGts>",
        encoding="utf-8",
    )

    def read(level: str | None) -> str:
        return load_witness(WitnessSpec("A", (str(path),), level=level)).text.strip()

    assert read(None) == "stale"
    assert read("line") == "edited line"
    assert read("region") == "region text"
    with pytest.raises(ManifestError, match="level"):
        read("glyph")
