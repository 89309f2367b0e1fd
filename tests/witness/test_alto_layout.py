"""ALTO as real engines write it: hyphen pairs marked by SUBS_TYPE, column order, drop capitals.

The 1910 Winchester News page (NDNP, ``newspaper-alto-wordconf``) has specks between a word's
halves (``considera`` ``I`` ``I`` HYP / ``tion``) and columns written out of reading order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from proofbench.model import ApparatusKind, Witness, WitnessSpec
from proofbench.text.tokenize import tokenize_all
from proofbench.witness import load_witness
from proofbench.witness.alto import parse_pages

NEWS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "newspaper-alto-wordconf"
WINCHESTER = NEWS / "winchester-news_1910-10_ndnp.alto.xml"
needs_corpus = pytest.mark.skipif(not WINCHESTER.is_file(), reason="../shared/corpora is absent")


def _string(content: str, x: int, y: int, w: int = 100, extra: str = "") -> str:
    return f'<String CONTENT="{content}" HPOS="{x}" VPOS="{y}" WIDTH="{w}" HEIGHT="40" {extra}/>'


def _alto(blocks: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout>'
        f'<Page WIDTH="3000" HEIGHT="4000"><PrintSpace>{blocks}</PrintSpace></Page></Layout></alto>'
    )


def _load(tmp_path: Path, xml: str) -> Witness:
    path = tmp_path / "page.alto.xml"
    path.write_text(xml, encoding="utf-8")
    return tokenize_all([load_witness(WitnessSpec("A", (str(path),)))])[0]


def _block(x: int, y: int, lines: list[str], w: int = 900) -> str:
    body = "".join(
        f'<TextLine HPOS="{x}" VPOS="{y + 50 * i}" WIDTH="{w}" HEIGHT="40">{ln}</TextLine>'
        for i, ln in enumerate(lines)
    )
    box = f'HPOS="{x}" VPOS="{y}" WIDTH="{w}" HEIGHT="{50 * len(lines)}"'
    return f"<TextBlock {box}>{body}</TextBlock>"


def test_a_speck_after_the_first_half_does_not_break_the_pair(tmp_path: Path) -> None:
    first = (
        _string("under", 100, 100)
        + _string("considera", 220, 100, extra='SUBS_TYPE="HypPart1" SUBS_CONTENT="consideration"')
        + _string("I", 400, 90, w=10)
        + '<HYP CONTENT="-" HPOS="321" VPOS="100" WIDTH="5"/>'
    )
    second = (
        _string("I", 90, 150, w=8)
        + _string("tion", 100, 150, extra='SUBS_TYPE="HypPart2" SUBS_CONTENT="consideration"')
        + _string("for", 220, 150)
    )
    w = _load(tmp_path, _alto(_block(90, 100, [first, second])))
    joined = [t for t in w.tokens if t.hyphenation is not None]
    assert [t.hyphenation.parts for t in joined if t.hyphenation] == [("considera-", "tion")]
    assert joined[0].reading == "consideration"
    # The specks are kept, as noise, never dropped.
    specks = [t for t in w.tokens if t.t == "I"]
    assert len(specks) == 2 and all(t.apparatus is ApparatusKind.NOISE for t in specks)


def test_columns_are_read_left_to_right_below_a_full_width_head(tmp_path: Path) -> None:
    head = _block(100, 100, [_string("HEADLINE", 100, 100, w=2000)], w=2000)
    left = _block(100, 300, [_string("left", 100, 300)] * 3)
    middle = _block(1100, 300, [_string("middle", 1100, 300)] * 3)
    right = _block(2100, 300, [_string("right", 2100, 300)] * 3)
    w = _load(tmp_path, _alto(right + left + head + middle))
    order = [t.t for t in w.tokens]
    assert order == ["HEADLINE", *["left"] * 3, *["middle"] * 3, *["right"] * 3]


def test_the_files_own_reading_order_wins(tmp_path: Path) -> None:
    left = _block(100, 300, [_string("left", 100, 300)]).replace("<TextBlock", '<TextBlock ID="L"')
    right = _block(1100, 300, [_string("right", 1100, 300)]).replace(
        "<TextBlock", '<TextBlock ID="R"'
    )
    order = (
        "<ReadingOrder><OrderedGroup ID='g'><ElementRef ID='e1' REF='R'/>"
        "<ElementRef ID='e2' REF='L'/></OrderedGroup></ReadingOrder>"
    )
    xml = _alto(left + right).replace("<Layout>", order + "<Layout>")
    assert [t.t for t in _load(tmp_path, xml).tokens] == ["right", "left"]


def test_a_drop_capital_joins_the_word_beside_it(tmp_path: Path) -> None:
    cap = (
        '<TextBlock HPOS="100" VPOS="300" WIDTH="90" HEIGHT="140">'
        '<TextLine HPOS="100" VPOS="300" WIDTH="90" HEIGHT="140">'
        '<String CONTENT="T" HPOS="100" VPOS="300" WIDTH="90" HEIGHT="140"/></TextLine></TextBlock>'
    )
    text = _block(
        200,
        300,
        [
            _string("HE", 200, 300) + _string("day", 320, 300),
            _string("was", 200, 350),
            _string("fine", 200, 400),
        ],
    )
    w = _load(tmp_path, _alto(cap + text))
    assert [t.t for t in w.tokens][:2] == ["THE", "day"]


@needs_corpus
def test_winchester_every_marked_pair_is_one_word() -> None:
    root = etree.parse(str(WINCHESTER)).getroot()
    pairs: list[tuple[str, str]] = []
    first = None
    for el in root.iter("{*}String"):
        kind = el.get("SUBS_TYPE")
        if kind == "HypPart1":
            first = el.get("CONTENT")
        elif kind == "HypPart2" and first is not None:
            pairs.append((f"{first}-", el.get("CONTENT") or ""))
            first = None
    assert len(pairs) == 32
    w = tokenize_all([load_witness(WitnessSpec("W", (str(WINCHESTER),)))])[0]
    found = [t.hyphenation.parts for t in w.tokens if t.hyphenation is not None]
    assert all(p in found for p in pairs)


@needs_corpus
def test_winchester_columns_come_in_reading_order() -> None:
    page = parse_pages(WINCHESTER.read_bytes(), str(WINCHESTER))[0]
    boxes = [b.bbox for b in page.blocks if b.bbox is not None]
    assert len(boxes) == len(page.blocks) == 10
    # Masthead and ear, the bar across the page, then seven columns from left to right.
    columns = [box[0] for box in boxes if box[1] > 3100]
    assert len(columns) == 7 and columns == sorted(columns)
    assert all(box[1] < 3100 for box in boxes[:3])
