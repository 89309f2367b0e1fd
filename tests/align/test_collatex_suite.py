"""CollateX's own alignment tests as a test suite: each case's verdict is the one recorded.

The data (``collatex_cases.json``) records, for every case, the verdict proofbench earns against
CollateX's expectation (see ``collatex_suite``) and, where it is not ``expected``, the reason it
is as valid (or what makes it worse). A change to the aligner that alters a verdict fails here,
so it is judged again, case by case, rather than passing unseen; a ``worse`` case is an expected
failure until fixed.
"""

from __future__ import annotations

import pytest

from proofbench.model import Alignment, Column, ColumnKind

from . import collatex_suite
from .helpers import check_tiling

CASES = collatex_suite.load_cases()


def test_every_case_has_a_verdict_and_reason() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert case.verdict in collatex_suite.VERDICTS, case.name
        assert case.verdict == "expected" or case.reason, case.name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: collatex_suite.Case) -> None:
    witnesses = collatex_suite.witnesses_of(case)
    alignment = collatex_suite.align(witnesses)
    check_tiling(alignment, witnesses)
    outcome = collatex_suite.judge(case, alignment, witnesses)
    if case.verdict == "worse":
        assert outcome.verdict == "worse", f"no longer worse, judge it again: {outcome.detail}"
        pytest.xfail(f"worse than CollateX: {case.reason} ({outcome.detail})")
    assert outcome.verdict == case.verdict, outcome.detail


def test_judge_sees_a_lost_agreement() -> None:
    """The judge itself: columns that join ``quick brown``/``fast brown`` lose ``brown``."""
    case = collatex_suite.Case(
        name="made.up",
        source="",
        tokenizer="java",
        witnesses={"A": "the quick brown fox", "B": "the fast brown fox"},
        table={"A": ["the", "quick", "brown", "fox"], "B": ["the", "fast", "brown", "fox"]},
        aligned=None,
        verdict="expected",
        reason="",
    )
    witnesses = collatex_suite.witnesses_of(case)
    joined = Alignment(
        ("A", "B"),
        (
            Column({"A": (0,), "B": (0,)}, ColumnKind.EQUAL),
            Column({"A": (1, 2), "B": (1, 2)}, ColumnKind.VARIANT),
            Column({"A": (3,), "B": (3,)}, ColumnKind.EQUAL),
        ),
        (),
    )
    outcome = collatex_suite.judge(case, joined, witnesses)
    assert outcome.verdict == "worse"
    assert "brown" in outcome.detail
    assert collatex_suite.run(case).verdict == "expected"
