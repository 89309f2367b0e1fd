"""The pieces of the reading choice: the OCR confidence scale, the collation's own counts, the
fitted model's contract, and small collations where the right answer is known by construction."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from proofbench.classify import classify, weigh
from proofbench.classify.context import TextStats
from proofbench.classify.weigh import FEATURES, calibrated, coefficients, keep
from proofbench.classify.witness_model import scale_of
from proofbench.model import Kind

from .helpers import diagonal, manifest, wit, with_confidence


def test_confidence_scale_follows_agreement_not_the_engine_number() -> None:
    rng = random.Random(7)
    # words at confidence c agree with the others with probability c/100 (known by construction)
    rows = [(c, rng.random() < c / 100) for c in (rng.uniform(30, 99) for _ in range(4000))]
    scale = scale_of(rows)
    assert len(scale.uppers) >= 2
    lo, hi = scale.logit(35.0), scale.logit(97.0)
    assert lo < hi  # never falls as confidence rises
    p_hi = 1 / (1 + math.exp(-hi))
    assert 0.85 < p_hi < 1.0  # the top band agrees about 95 times in 100
    assert all(a <= b for a, b in zip(scale.logits, scale.logits[1:], strict=False))


def test_confidence_scale_without_confidences_is_the_overall_share() -> None:
    scale = scale_of([(None, True)] * 90 + [(None, False)] * 10)
    assert scale.uppers == ()
    assert math.isclose(scale.logit(50.0), scale.overall)
    assert 0.85 < 1 / (1 + math.exp(-scale.overall)) < 0.95


def test_text_stats_count_words_pairs_and_spelling_lean() -> None:
    a = wit("A", "The colour of the sea. The colour of the sky. The honour of it.")
    b = wit("B", "The colour of the sea. The color of the sky. The honour of it.")
    stats = TextStats.of([a, b])
    assert stats.words["colour"] == 3 and stats.words["color"] == 1
    assert stats.uses("colour", here=1) == 2
    assert stats.pairs[("of", "the")] == 4
    assert stats.lean() > 0  # the text spells British
    assert stats.dialect("colour", stats.lean()) > 0 > stats.dialect("color", stats.lean())
    # a pair the readings at this place make themselves is taken out
    assert stats.fit("The", ["colour"], "of", [["colour"], ["color"]]) < stats.fit(
        "The", ["colour"], "of", []
    )


def test_the_fitted_model_covers_every_feature_and_keeps_a_probability() -> None:
    coef = coefficients()
    assert set(coef) == set(FEATURES)
    assert any(coef.values())
    assert 0.5 <= keep() < 1.0


def test_an_independent_witness_that_agrees_raises_the_majority() -> None:
    """Adding a transcription that agrees with the majority never lowers its probability."""
    p = with_confidence(wit("P", "the crowded dining hsll."), 40.0)
    t = wit("T", "the crowded dining hall.")
    two = [p, t]
    v2 = classify(manifest(two, "T"), two, diagonal(two))[0][0]
    u = wit("U", "the crowded dining hall.")
    three = [p, t, u]
    v3 = classify(manifest(three, "T"), three, diagonal(three))[0][0]
    assert v2.suggestion == v3.suggestion == "hall."
    assert v3.confidence >= v2.confidence


def test_a_copy_agreeing_with_its_source_adds_less_than_an_independent_witness() -> None:
    p = with_confidence(wit("P", "the crowded dining hall."), 60.0)
    t = wit("T", "the crowded dining hsll.")
    copy = wit("W", "the crowded dining hsll.", kind=Kind.TRANSCRIPTION, derives_from="T")
    indep = wit("W", "the crowded dining hsll.", kind=Kind.TRANSCRIPTION)
    ws_copy, ws_indep = [p, t, copy], [p, t, indep]
    vc = classify(manifest(ws_copy, "T"), ws_copy, diagonal(ws_copy))[0][0]
    vi = classify(manifest(ws_indep, "T"), ws_indep, diagonal(ws_indep))[0][0]

    def p_hsll(v: object) -> float:
        assert hasattr(v, "suggestion") and hasattr(v, "confidence")
        conf = float(v.confidence)
        return conf if v.suggestion == "hsll." else 1 - conf

    assert p_hsll(vc) < p_hsll(vi)


def test_the_stated_confidence_is_a_probability_that_rises_with_the_models() -> None:
    # a suggestion the model prefers more is never stated as less likely right, and the
    # calibrated figure stays a probability whichever way the suggestion was chosen
    grid = [i / 100 for i in range(1, 100)]
    for kept_other in (False, True):
        got = [calibrated(p, kept_other) for p in grid]
        assert all(0.0 <= v <= 1.0 for v in got)
        assert all(a <= b + 1e-12 for a, b in itertools.pairwise(got))
    # the model's near-certain agreements stay near certain
    assert calibrated(0.999, False) > 0.95


def test_a_copy_departing_from_its_source_keeps_its_deliberate_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``keep_target`` asks a second look only of a reading the target shares with its source
    (one the copyist may have let through); where the target departs from its source, its
    change is weighed like any reading, however high the bar."""
    monkeypatch.setattr(weigh, "keep", lambda: 0.999)
    p = with_confidence(wit("P", "the crowded dining ball."), 60.0)
    t = wit("T", "the crowded dining ball.", derives_from="P")
    w = wit("W", "the crowded dining hall.", kind=Kind.PROOFREAD, derives_from="T")
    ws = [p, t, w]
    v = classify(manifest(ws, "W"), ws, diagonal(ws))[0][0]
    # its confidence is the calibrated probability of the change, not the bar
    assert v.suggestion == "hall." and v.confidence is not None and 0.5 < v.confidence <= 1
    # the same reading shared with its source is looked at again below the bar
    w2 = wit("W", "the crowded dining ball.", kind=Kind.PROOFREAD, derives_from="T")
    t2 = wit("T", "the crowded dining ball.", derives_from="P")
    q = with_confidence(wit("P", "the crowded dining hall."), 60.0)
    ws2 = [q, t2, w2]
    v2 = classify(manifest(ws2, "W"), ws2, diagonal(ws2))[0][0]
    assert v2.suggestion == "hall."
