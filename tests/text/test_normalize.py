"""Normalization: each rule and each profile idempotent; ``n`` differs from ``t`` as recorded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.text.normalize import PROFILES, RULES, normalize, profile

TYPO = st.sampled_from(
    [
        *"aAeEsSfi ",
        "\u2018", "\u2019", "\u201c", "\u201d", "\u201e", "`", "\u00b4", "\u00ab", "\u00bb",
        "\u2013", "\u2014", "\u2015", "\u2212", "\u2010", "\u2011", "-", "--",
        "\ufb01", "\ufb02", "\ufb00", "\ufb03", "\u00e6", "\u0152", "\u017f",
        "\u00ad", "\u200b", "\ufeff", "\u00a0", "\u202f", "\u2009",
        "e\u0301", "\u00e9", "\u0301", "\u0307", "\u00df", "\u0130", "\u0390",
    ]
)  # fmt: skip
STRINGS = st.one_of(st.lists(TYPO, max_size=25).map("".join), st.text(max_size=40))


@pytest.mark.parametrize("name", sorted(RULES))
@settings(max_examples=300, deadline=None)
@given(s=STRINGS)
def test_each_rule_is_idempotent(name: str, s: str) -> None:
    rule = RULES[name]
    once = rule(s)
    assert rule(once) == once


@pytest.mark.parametrize("name", sorted(PROFILES))
@settings(max_examples=300, deadline=None)
@given(s=STRINGS)
def test_each_profile_is_idempotent(name: str, s: str) -> None:
    once, _ = normalize(s, name)
    assert normalize(once, name)[0] == once


@pytest.mark.parametrize("name", sorted(PROFILES))
@settings(max_examples=200, deadline=None)
@given(s=STRINGS)
def test_recorded_rules_reproduce_n(name: str, s: str) -> None:
    n, applied = normalize(s, name)
    assert set(applied) <= set(profile(name).rules)
    if not applied:
        assert n == s
    out = s
    for rule in profile(name).rules:
        if rule in applied:
            out = RULES[rule](out)
        else:
            assert RULES[rule](out) == out  # a rule not recorded changed nothing
    assert out == n


@pytest.mark.parametrize(
    ("t", "n", "rules"),
    [
        ("Stalin\u2019s", "Stalin's", ("quotes",)),
        ("\u201cword\u201d", '"word"', ("quotes",)),
        ("229\u201330", "229-30", ("dashes",)),
        ("Assassin--and", "Assassin\u2014and", ("dashes",)),
        ("\ufb01ghting", "fighting", ("ligatures",)),
        ("\u017fo", "so", ("long-s",)),
        ("com\u00admunication", "communication", ("invisible",)),
        ("pp.\u00a0229", "pp. 229", ("spaces",)),
        ("cafe\u0301", "café", ("nfc",)),
        ("Lenin", "Lenin", ()),
    ],
)
def test_default_profile_examples(t: str, n: str, rules: tuple[str, ...]) -> None:
    assert normalize(t) == (n, rules)


def test_strict_keeps_typography() -> None:
    assert normalize("Stalin\u2019s \u2014 \ufb01", "strict") == ("Stalin\u2019s \u2014 \ufb01", ())


def test_caseless_folds_case() -> None:
    assert normalize("LENIN\u2019S", "caseless") == ("lenin's", ("quotes", "case"))
    assert normalize("Lenin", "default") == ("Lenin", ())


def test_unknown_profile() -> None:
    with pytest.raises(KeyError, match="known: default"):
        profile("nope")
