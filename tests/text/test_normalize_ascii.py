"""``quotes`` and ``dashes`` take a shortcut for ASCII strings: the same as the tables give."""

from __future__ import annotations

import importlib

from hypothesis import given
from hypothesis import strategies as st

rules = importlib.import_module("proofbench.text.normalize")  # the module, not the function

_TYPOGRAPHIC = "`'\"-\u2013\u2012\u2212\u2010\u2011\u2014\u2015\u2018\u2019\u201c\u201d\u00b4\u00ab"
_TEXT = st.text(alphabet=st.sampled_from("ab -" + _TYPOGRAPHIC)) | st.text()


def _dashes_by_table(s: str) -> str:
    s = s.translate(rules._DASHES)
    while "--" in s:
        s = s.replace("--", "\u2014")
    while "\u2014\u2014" in s:
        s = s.replace("\u2014\u2014", "\u2014")
    return s


@given(_TEXT | st.text(alphabet=st.characters(max_codepoint=127)))
def test_quotes_as_the_table(s: str) -> None:
    assert rules.quotes(s) == s.translate(rules._QUOTES)


@given(_TEXT | st.text(alphabet=st.characters(max_codepoint=127)))
def test_dashes_as_the_table(s: str) -> None:
    assert rules.dashes(s) == _dashes_by_table(s)


def test_ascii_cases() -> None:
    assert rules.quotes("`twas") == "'twas"
    assert rules.quotes("plain") == "plain"
    assert rules.dashes("a--b") == "a\u2014b"
    assert rules.dashes("a-b") == "a-b"
