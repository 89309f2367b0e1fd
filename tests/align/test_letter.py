"""The letter: all 19 variants of the answer key are variant columns at the right place."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from proofbench.align import align, alignment_to_json

ROOT = Path(__file__).resolve().parents[2]
KEY = ROOT / "tests" / "data" / "letter" / "answer-key.json"
MANIFEST = ROOT / "witnesses" / "letter.toml"
SIGLUM = {"print": "P45", "2005": "T05", "2015": "W15"}

pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="the letter's witnesses are missing")


@pytest.fixture(scope="module")
def collation() -> tuple[dict[str, Any], dict[str, str]]:
    from proofbench.pipeline import load

    _, witnesses = load(MANIFEST)
    data = alignment_to_json(align(witnesses), witnesses)
    return data, {w.siglum: w.text for w in witnesses}


def _span(text: str, phrase: str) -> tuple[int, int]:
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    found = list(re.finditer(pattern, text))
    assert len(found) == 1, f"{phrase!r} found {len(found)} times"
    return found[0].start(), found[0].end()


def _words(phrase: str) -> Counter[str]:
    return Counter(phrase.split())


ENTRIES = json.loads(KEY.read_text(encoding="utf-8")) if KEY.exists() else []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_answer_key_variant(
    entry: dict[str, Any], collation: tuple[dict[str, Any], dict[str, str]]
) -> None:
    data, texts = collation
    intro = entry["introduced_by"]
    siglum = SIGLUM[intro]
    start, end = _span(texts[siglum], entry[intro])
    # The witnesses whose reading of the phrase differs from the introducing witness's.
    others = [SIGLUM[k] for k in ("print", "2005", "2015") if entry[k] != entry[intro]]
    agree = [
        SIGLUM[k] for k in ("print", "2005", "2015") if k != intro and entry[k] == entry[intro]
    ]
    extra = set(_words(entry[intro]) - _words(entry[_key(others[0])]))
    hits = []
    for c, column in enumerate(data["columns"]):
        if column["kind"] != "variant":
            continue
        mine = column["readings"][siglum]
        if not (start <= mine["start"] and mine["end"] <= end):
            continue
        moved = column["transposition"] is not None
        if not moved and any(column["readings"][o]["text"] == mine["text"] for o in others):
            continue
        if moved or (not mine["text"] and not extra) or set(mine["text"].split()) & extra:
            hits.append((c, column))
    assert hits, (
        f"{entry['id']}: no variant column between {siglum} and {others} in {entry[intro]!r}"
    )
    _, column = hits[0]
    for sig in agree:
        if sig != "P45":  # the OCR has its own errors; agreement is asked of the transcriptions
            assert column["readings"][sig]["text"] == column["readings"][siglum]["text"]


def _key(siglum: str) -> str:
    return {v: k for k, v in SIGLUM.items()}[siglum]


def test_eye_skip_is_one_column(collation: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = collation
    omissions = [
        c
        for c in data["columns"]
        if not c["readings"]["T05"]["tokens"] and "burning days" in c["readings"]["W15"]["text"]
    ]
    assert len(omissions) == 1
    assert len(omissions[0]["readings"]["W15"]["tokens"]) in range(17, 21)


def test_letter_alignment_is_deterministic_and_order_free() -> None:
    from proofbench.pipeline import load

    from .helpers import check_tiling, variant_set

    _, witnesses = load(MANIFEST)
    first = json.dumps(alignment_to_json(align(witnesses), witnesses))
    assert first == json.dumps(alignment_to_json(align(witnesses), witnesses))
    reordered = list(reversed(witnesses))
    assert variant_set(align(reordered), reordered) == variant_set(align(witnesses), witnesses)
    check_tiling(align(witnesses), witnesses)
