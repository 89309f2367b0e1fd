"""The letter, collated for real: the issue's done-when figures, measured and asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofbench.classify import evaluate
from proofbench.classify.evaluate import Evaluation, load_key
from proofbench.model import Collation, Variant, VariantClass
from proofbench.pipeline import collate

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "witnesses" / "letter.toml"
KEY = ROOT / "tests" / "data" / "letter" / "answer-key.json"
TRUTH = ROOT / "tests" / "data" / "letter" / "1945-print-truth.txt"


@pytest.fixture(scope="module")
def collation() -> Collation:
    return collate(MANIFEST)


@pytest.fixture(scope="module")
def result(collation: Collation) -> Evaluation:
    return evaluate(collation, KEY, truth=TRUTH, ocr="P45")


def by_id(collation: Collation) -> dict[str, Variant]:
    return {v.id: v for v in collation.variants}


def test_every_key_entry_is_reported(result: Evaluation) -> None:
    missing = [e.id for e in result.entries if e.variant is None]
    assert missing == []
    assert len(result.entries) == 19


def test_classes_agree_with_the_key(result: Evaluation) -> None:
    wrong = [(e.id, e.key_class, e.cls) for e in result.entries if not e.class_ok]
    assert sum(e.class_ok for e in result.entries) >= 17, wrong


def test_shared_errors_suggest_the_print_and_suspect_w15(
    collation: Collation, result: Evaluation
) -> None:
    variants = by_id(collation)
    for e in result.entries[:3]:
        assert e.id in {"E01", "E02", "E03"}
        assert e.variant is not None
        v = variants[e.variant]
        assert v.evidence
        if e.id == "E02":
            # ball./hall.: two real words, the copies' reading against the OCR's. It was won by
            # a cue list naming the letter's own words, now deleted; until a context model
            # built from data can tell them apart, the two transcriptions' reading stands
            # (issue 9: left wrong rather than fitted to the letter).
            continue
        assert v.suggestion == v.readings["P45"], (e.id, v.suggestion)
        assert "W15" in v.suspect and "T05" in v.suspect


def test_where_w15_is_right_its_reading_is_kept(collation: Collation, result: Evaluation) -> None:
    key = {k.id: k for k in load_key(KEY)}
    variants = by_id(collation)
    checked = 0
    for e in result.entries:
        entry = key[e.id]
        w15_right = entry.correct == "either" or (
            entry.correct is not None and entry.phrases["2015"] == entry.phrases[entry.correct]
        )
        older_wrong = entry.phrases["2005"] != entry.phrases["2015"]
        if not (w15_right and older_wrong):
            continue
        assert e.variant is not None
        v = variants[e.variant]
        assert v.suggestion == v.readings["W15"], (e.id, v.suggestion, v.readings)
        assert "W15" not in v.suspect
        checked += 1
    assert checked >= 14


def test_suggestions_match_the_key(result: Evaluation) -> None:
    assert result.suggestion_accuracy >= 0.9


def test_ocr_errors_are_detected_and_corrected(result: Evaluation) -> None:
    ocr = result.ocr
    assert ocr is not None and ocr.errors >= 30
    assert ocr.detected / ocr.errors >= 0.9, ocr.missed
    assert ocr.corrected / ocr.detected >= 0.9, ocr.miscorrected


def test_ids_survive_recollation(collation: Collation) -> None:
    again = collate(MANIFEST)
    assert [v.id for v in again.variants] == [v.id for v in collation.variants]
    assert len({v.id for v in collation.variants}) == len(collation.variants)


def test_locations_point_into_each_witness(collation: Collation) -> None:
    for v in collation.variants:
        for siglum, loc in v.locations.items():
            w = collation.witness(siglum)
            assert 0 <= loc.start <= loc.end <= len(w.text)
            if v.readings[siglum]:
                assert any(t.start == loc.start for t in w.tokens)
                assert any(t.end == loc.end for t in w.tokens)
            else:
                assert loc.start == loc.end


def test_eye_skip_is_one_variant(collation: Collation) -> None:
    omissions = [
        v for v in collation.variants if v.cls is VariantClass.OMISSION and not v.readings["T05"]
    ]
    long = [v for v in omissions if len(v.readings["W15"].split()) >= 17]
    assert len(long) == 1


def test_the_targets_flags_are_included(collation: Collation) -> None:
    w15 = {(f.text, f.check) for f in collation.flags if f.witness == "W15"}
    assert ("L,D.", "initials-comma") in w15
    assert all(check != "scanno" for _, check in w15)  # no check reads hand-written cues


def test_findings_do_not_depend_on_hash_seed(collation: Collation) -> None:
    """Two processes with different hash seeds find the same variants and flags, word for word."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from proofbench.pipeline import collate; "
        f"c = collate({str(MANIFEST)!r}); "
        "print(json.dumps([[v.id, v.cls.value, v.suggestion, list(v.evidence)] for v in c.variants]"
        " + [[f.start, f.check, f.message] for f in c.flags]))"
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outs.append(json.loads(done.stdout))
    assert outs[0] == outs[1]
    assert [row[0] for row in outs[0][: len(collation.variants)]] == [
        v.id for v in collation.variants
    ]
