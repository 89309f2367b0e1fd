"""A word hyphenated across a page break, with the next page's running head between its parts.

Books and magazines break words at page ends as often as at line ends; in the OCR text the next
page's running head (apparatus) stands between ``deci-`` and ``sion``. The reading should be one
word, ``decision``, as for a line-end break; the running head stays apparatus.
"""

from __future__ import annotations

from collections import Counter

import pytest

from proofbench.model import Apparatus, ApparatusKind, Witness, WitnessSpec
from proofbench.text import tokenize
from proofbench.text.hyphenation import decide
from proofbench.witness.build import witness_from_spec

HEAD = "Page 230 FOURTH INTERNATIONAL August 1945"
TEXT = f"in its ascendancy, the hour of deci-\n\n{HEAD}\n\nsion has come. The old world"


def _witness() -> Witness:
    start = TEXT.index(HEAD)
    spec = WitnessSpec("P", ("p.hocr",))
    raw = witness_from_spec(
        spec,
        text=TEXT,
        fmt="hocr",
        encoding="utf-8",
        apparatus=(Apparatus(start, start + len(HEAD), ApparatusKind.RUNNING_HEAD, "test"),),
    )
    return tokenize(raw)


def test_the_running_head_between_the_parts_stays_apparatus() -> None:
    w = _witness()
    head = [t.t for t in w.tokens if t.apparatus is ApparatusKind.RUNNING_HEAD]
    assert " ".join(head) == HEAD
    assert all(w.text[t.start : t.end] == t.t for t in w.tokens)


def test_the_lexicon_would_join_the_parts() -> None:
    # The evidence exists: on one page the same parts are joined.
    assert decide("deci-", "sion", Counter()).joined == "decision"


@pytest.mark.xfail(
    strict=True,
    reason="design question for the lead: a token is one contiguous span text[start:end], so a "
    "word whose parts lie on either side of a running head cannot be one token without its t "
    "holding the head; today the parts stay two tokens ('deci-', 'sion') and align as a variant",
)
def test_a_word_broken_across_a_page_is_read_whole() -> None:
    w = _witness()
    readings = [t.reading for t in w.text_tokens]
    assert "decision" in readings
    assert "deci-" not in readings and "sion" not in readings
