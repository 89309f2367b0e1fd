"""``normalize_forms``: each distinct form as ``normalize`` gives it, ASCII shortcut included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.text.normalize import (
    ASCII_TRIGGERS,
    PROFILES,
    RULES,
    compose,
    normalize,
    normalize_forms,
)

_ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=12)
_WORDY = st.text(alphabet=st.sampled_from("abAZ.-`[]{}'\",;!\u2014\u2019\u00e9\ufb01"), max_size=8)
_FORMS = st.lists(_ASCII | _WORDY | st.text(max_size=6), max_size=30)
# the built-in profiles, a composed one (case and punctuation, whose triggers are many) and one
# with a user's replacement (no shortcut); composed when a test runs, not registered while the
# other modules' tests are collected over PROFILES
_NAMES = [
    *([p] for p in sorted(PROFILES)),
    ["default", "case", "punctuation", "ellipsis", "brackets", "dash-hyphen"],
]


def test_every_built_in_rule_names_its_ascii_triggers() -> None:
    built_in = {r for r in RULES if not r.startswith("replace(")}
    assert built_in == set(ASCII_TRIGGERS)


@pytest.mark.parametrize("rule", sorted(ASCII_TRIGGERS))
@settings(max_examples=300, deadline=None)
@given(s=_ASCII)
def test_a_rule_leaves_an_ascii_string_without_its_triggers_alone(rule: str, s: str) -> None:
    if not any(t in s for t in ASCII_TRIGGERS[rule]):
        assert RULES[rule](s) == s


@pytest.mark.parametrize("names", _NAMES)
@pytest.mark.parametrize("replacements", [(), (("colour", "color"),)])
@settings(max_examples=150, deadline=None)
@given(forms=_FORMS)
def test_each_form_as_normalize_gives_it(
    names: list[str], replacements: tuple[tuple[str, str], ...], forms: list[str]
) -> None:
    name = compose(names, replacements)
    assert normalize_forms(forms, name) == {f: normalize(f, name) for f in forms}


def test_examples() -> None:
    got = normalize_forms(["plain", "`twas", "a--b", "caf\u00e9", "\ufb01ne"])
    assert got["plain"] == ("plain", ())
    assert got["`twas"] == ("'twas", ("quotes",))
    assert got["a--b"] == ("a\u2014b", ("dashes",))
    assert got["\ufb01ne"] == ("fine", ("ligatures",))
    with pytest.raises(KeyError):
        normalize_forms(["x"], "no-such-profile")
