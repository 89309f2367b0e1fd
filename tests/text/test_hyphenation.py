"""Line-end hyphens: ``decide`` on each kind of evidence, and the decisions on the letter's OCR."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from cli_support import run_cli
from foundation_support import LETTER

from proofbench.model import Witness
from proofbench.pipeline import load
from proofbench.text.hyphenation import decide, is_candidate


def test_hyphenated_form_seen_keeps_the_hyphen() -> None:
    h = decide("half-", "spoken.", Counter({"half-spoken": 2, "halfspoken": 0}))
    assert h.kept_hyphen and h.joined == "half-spoken."
    assert h.parts == ("half-", "spoken.")
    assert "half-spoken" in h.reason


def test_joined_form_seen_joins() -> None:
    h = decide("commu-", "nication", Counter({"communication": 1}))
    assert not h.kept_hyphen and h.joined == "communication"
    assert "one word elsewhere" in h.reason


def test_evidence_of_the_witnesses_beats_the_lexicon() -> None:
    # "halfspoken" is no English word, yet the witnesses write it so: their usage decides.
    assert not decide("half-", "spoken", Counter({"halfspoken": 3})).kept_hyphen
    # "together" is a word, yet written "to-gether" in the witnesses more often.
    assert decide("to-", "gether", Counter({"to-gether": 2, "together": 1})).kept_hyphen


def test_capital_after_the_break_keeps_it() -> None:
    h = decide("Brest-", "Litovsk", Counter())
    assert h.kept_hyphen and h.joined == "Brest-Litovsk"
    assert "capital" in h.reason


def test_lexicon_word_joins() -> None:
    h = decide("indefatiga-", "bly", Counter())
    assert not h.kept_hyphen and h.joined == "indefatigably"
    assert "is a word" in h.reason


@pytest.mark.parametrize(
    ("first", "second", "reading"),
    [
        ("counter-", "revolutionary", "counter-revolutionary"),
        ("well-", "known", "well-known"),
        ("self-", "defense,", "self-defense,"),
        ("half-", "spoken", "half-spoken"),
    ],
)
def test_both_parts_words_keeps(first: str, second: str, reading: str) -> None:
    # The lexicon lists some joined forms (counterrevolutionary, wellknown) as rare words;
    # two common words standing alone outweigh them.
    h = decide(first, second, Counter())
    assert h.kept_hyphen and h.joined == reading
    assert "are words" in h.reason


@pytest.mark.parametrize(
    ("first", "second"), [("de-", "voted"), ("re-", "ports"), ("with-", "out"), ("to-", "gether")]
)
def test_common_joined_word_beats_two_short_words(first: str, second: str) -> None:
    h = decide(first, second, Counter())
    assert not h.kept_hyphen and h.joined == first[:-1] + second


def test_nonsense_parts_join() -> None:
    h = decide("qzx-", "vvb", Counter())
    assert not h.kept_hyphen and h.joined == "qzxvvb"


def test_soft_hyphen_reading_is_normalised_to_a_hyphen() -> None:
    h = decide("Brest\u00ad", "Litovsk", Counter())
    assert h.joined == "Brest-Litovsk"


@pytest.mark.parametrize(
    ("first", "second", "ok"),
    [
        ("commu-", "nication", True),
        ("half\u00ad", "spoken", True),
        ("-", "word", False),
        ("1945-", "46", False),
        ("a-", "(b", False),
        ("word", "next", False),
        ("a-", "b", True),
    ],
)
def test_is_candidate(first: str, second: str, ok: bool) -> None:
    assert is_candidate(first, second) is ok


@pytest.fixture(scope="module")
def p45() -> Witness:
    return load(LETTER)[1][0]


@pytest.mark.parametrize(
    ("reading", "kept"),
    [("communication", False), ("indefatigably", False), ("half-spoken.", True)],
)
def test_letter_ocr_decisions(p45: Witness, reading: str, kept: bool) -> None:
    toks = [t for t in p45.tokens if t.hyphenation is not None and t.reading == reading]
    assert len(toks) == 1
    tok = toks[0]
    assert "\n" in tok.t and tok.hyphenation is not None
    assert tok.hyphenation.kept_hyphen is kept
    assert tok.hyphenation.reason


def test_cli_text_shows_the_words_whole() -> None:
    result = run_cli(["text", "P45", "-m", str(LETTER)])
    assert result.code == 0, result.stderr
    for word in ("half-spoken", "communication", "indefatigably"):
        assert word in result.stdout
    for broken in ("commu-\n", "half-\n", "indefatiga-\n"):
        assert broken not in result.stdout
    # With apparatus shown, the running heads are there but set apart.
    assert "\u27e6running-head: FOURTH INTERNATIONAL\u27e7" in result.stdout


def test_cli_text_no_apparatus_has_no_running_head_or_page_number() -> None:
    result = run_cli(["text", "P45", "-m", str(LETTER), "--no-apparatus"])
    assert result.code == 0, result.stderr
    out = result.stdout
    for word in ("half-spoken", "communication", "indefatigably", "Dear Friends,"):
        assert word in out
    assert "FOURTH INTERNATIONAL" not in out
    assert "Page 230" not in out
    assert "\u27e6" not in out
