"""TEI editions as editors write them: milestones inside words, hyphens at block ends, and
parallel-segmentation files of several witnesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.errors import FormatError
from proofbench.model import Witness, WitnessSpec
from proofbench.text.tokenize import tokenize_all
from proofbench.witness import load_witness

JULIAN = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "mitford-julian"
needs_corpus = pytest.mark.skipif(not JULIAN.is_dir(), reason="../shared/corpora is absent")
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{}</body></text></TEI>'


def _load(tmp_path: Path, body: str, name: str = "t.xml", wit: str | None = None) -> Witness:
    path = tmp_path / "t.xml"
    path.write_text(TEI.format(body), encoding="utf-8")
    spec = WitnessSpec("A", (str(tmp_path / name),), wit=wit)
    return tokenize_all([load_witness(spec)])[0]


def _words(w: Witness) -> list[str]:
    return [t.reading for t in w.text_tokens]


@pytest.mark.parametrize("mark", ['<pb n="2"/>', "<cb/>", '<milestone unit="section"/>'])
def test_a_milestone_inside_a_word_joins_it(tmp_path: Path, mark: str) -> None:
    w = _load(tmp_path, f"<p>as the work pro{mark}ceeded. I am</p>")
    assert _words(w) == ["as", "the", "work", "proceeded.", "I", "am"]
    # The text keeps every character the file has: only the separator is not invented.
    assert "proceeded." in w.text


@pytest.mark.parametrize("mark", ['<pb n="2"/>', "<cb/>", '<milestone unit="section"/>'])
def test_a_milestone_between_words_separates_them(tmp_path: Path, mark: str) -> None:
    assert _words(_load(tmp_path, f"<p>the event on {mark}which the</p>")) == [
        "the", "event", "on", "which", "the",
    ]  # fmt: skip
    assert _words(_load(tmp_path, f"<p>the event on{mark} which</p>"))[2:] == ["on", "which"]


def test_a_hyphen_never_joins_across_blocks(tmp_path: Path) -> None:
    w = _load(tmp_path, "<sp><speaker>Alfon-</speaker><l>Doth he not know</l></sp>")
    assert _words(w)[:2] == ["Alfon-", "Doth"]
    w = _load(tmp_path, "<p>a long dash-</p><p>Another day</p>")
    assert _words(w)[2:4] == ["dash-", "Another"]


def test_a_hyphen_at_a_line_break_inside_a_block_still_joins(tmp_path: Path) -> None:
    w = _load(tmp_path, "<p>the commu-<lb/>nication was sent</p>")
    assert _words(w)[:2] == ["the", "communication"]


APPARATUS = (
    "<p>The <app><rdg wit='#ms'>old</rdg><rdg wit='#ed'>aged</rdg></app> king"
    "<app><rdg wit='#ed'> himself</rdg></app> <app><lem>spoke</lem><rdg wit='#ms'>spake</rdg>"
    "</app> at last.</p>"
)


def test_a_parallel_segmentation_file_yields_the_chosen_witness(tmp_path: Path) -> None:
    assert _words(_load(tmp_path, APPARATUS, "t.xml#ms")) == [
        "The",
        "old",
        "king",
        "spake",
        "at",
        "last.",
    ]
    assert _words(_load(tmp_path, APPARATUS, wit="ed")) == [
        "The", "aged", "king", "himself", "spoke", "at", "last.",
    ]  # fmt: skip


def test_a_parallel_segmentation_file_without_a_choice_lists_its_witnesses(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as err:
        _load(tmp_path, APPARATUS)
    assert "ms, ed" in str(err.value) and "t.xml#ms" in str(err.value)
    with pytest.raises(FormatError, match="no witness 'x'"):
        _load(tmp_path, APPARATUS, "t.xml#x")


@needs_corpus
def test_julian_ms_from_the_apparatus_matches_the_ms_file() -> None:
    chosen = tokenize_all([load_witness(WitnessSpec("M", (f"{JULIAN / 'JulianMelfi.xml'}#ms",)))])
    alone = tokenize_all([load_witness(WitnessSpec("M", (str(JULIAN / "JulianMelfiMS.xml"),)))])
    ours, theirs = len(chosen[0].text_tokens), len(alone[0].text_tokens)
    assert abs(ours - theirs) <= theirs // 1000  # 13,096 against 13,097
