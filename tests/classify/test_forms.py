"""``forms.norm``: a reading as readings are compared."""

from __future__ import annotations

import re
import sys

from proofbench.classify.forms import norm


def test_norm_collapses_every_kind_of_space_as_a_regex_of_spaces_would() -> None:
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c)]
    assert "\u3000" in spaces and "\x1f" in spaces and "\u00a0" in spaces
    for sp in spaces:
        assert norm(f"{sp}a{sp}{sp}b {sp}") == "a b", repr(sp)
    assert norm("a\u200bb") == "a\u200bb"  # a zero-width space is no space
    assert norm("“Ten”  --  minutes\n") == '"Ten" \u2014 minutes'
    assert norm("") == "" and norm(" \t ") == ""
