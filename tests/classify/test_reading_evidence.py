"""The evidence a reading carries at a variant place (``weigh.place_features``), on small
witnesses where what each reading is made of is known by construction."""

from __future__ import annotations

import math

from proofbench.classify import weigh
from proofbench.classify.context import TextStats
from proofbench.model import Witness

from .helpers import wit, with_confidence


def _reading(w: Witness, lo: int, hi: int) -> weigh.Testimony:
    """The witness's text tokens lo..hi as one reading (an empty one stands before token lo)."""
    toks = w.text_tokens[lo:hi]
    at = toks[0].start if toks else w.text_tokens[lo].start
    return weigh.Testimony(w.siglum, " ".join(t.reading for t in toks), tuple(toks), at)


def _features(*readings: tuple[Witness, int, int]) -> dict[str, dict[str, float]]:
    witnesses = {w.siglum: w for w, _, _ in readings}
    stats = TextStats.of(witnesses.values())
    c = weigh.Collation(
        witnesses=witnesses,
        models={},
        scales={},
        stats=stats,
        flags={},
        paragraph_ends={},
        shape_typical=weigh.typical_shape(stats),
    )
    feats, _ = weigh.place_features([_reading(w, lo, hi) for w, lo, hi in readings], c)
    return feats


def test_a_run_of_known_words_against_nothing_is_what_a_copyist_leaves_out() -> None:
    p = with_confidence(wit("P", "he sat at the table, among the papers of the court"), 90)
    t = wit("T", "he sat at the table, the papers of the court", derives_from="P")
    f = _features((p, 5, 6), (t, 5, 5))
    assert f["among"]["words_added"] > 0
    assert f[""]["words_added"] == 0
    # a scan's stray marks and broken letters are no run of words
    q = with_confidence(wit("P", "he sat at the table, | the papers of the court"), 90)
    assert _features((q, 5, 6), (t, 5, 5))["|"]["words_added"] == 0
    r = with_confidence(wit("P", "he sat at the table, xqzt the papers of the court"), 90)
    assert _features((r, 5, 6), (t, 5, 5))["xqzt"]["words_added"] == 0


def test_a_digit_inside_letters_is_counted_and_an_ordinal_is_not() -> None:
    p = with_confidence(wit("P", "she was inconsolable and wept"), 90)
    t = wit("T", "she was inconsolab1e and wept", derives_from="P")
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["inconsolab1e"]["digit_inside"] == 1
    assert f["inconsolable"]["digit_inside"] == 0
    a = with_confidence(wit("P", "on the 3lst of May"), 90)
    b = wit("T", "on the 31st of May", derives_from="P")
    g = _features((a, 2, 3), (b, 2, 3))
    assert g["3lst"]["digit_inside"] == 1 and g["31st"]["digit_inside"] == 0


def test_a_hyphen_before_a_word_is_stray_not_a_compound() -> None:
    p = with_confidence(wit("P", "he went -by the river"), 90)
    t = wit("T", "he went by the river", derives_from="P")
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["-by"]["stray_hyphen"] == 1 and f["-by"]["ocr_join"] == 0
    q = with_confidence(wit("P", "the flower-garden was green"), 90)
    u = wit("T", "the flower garden was green", derives_from="P")
    g = _features((q, 1, 2), (u, 1, 3))
    assert g["flower-garden"]["stray_hyphen"] == 0 and g["flower-garden"]["ocr_join"] == 1


def test_a_lost_quotation_mark_is_told_from_another_lost_mark() -> None:
    t = wit("T", "he said “The end came” and left")
    p = with_confidence(wit("P", "he said The end came” and left"), 90)
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["The"]["ocr_quote_lost"] == 1 and f["The"]["ocr_mark_lost"] == 0
    u = wit("T", "it was fine, and good")
    q = with_confidence(wit("P", "it was fine and good"), 90)
    g = _features((q, 2, 3), (u, 2, 3))
    assert g["fine"]["ocr_quote_lost"] == 0


def test_splitting_a_word_in_two_common_words_earns_no_more_use() -> None:
    text = "a gentleman came. the man was a gentle man of the town. the man left."
    a = wit("A", text.replace("gentle man of", "gentleman of"))
    b = wit("B", text)
    f = _features((a, 7, 8), (b, 7, 9))
    stats = TextStats.of([a, b])
    per_word = [math.log1p(stats.uses(x, 1)) for x in ("gentle", "man")]
    # the mean over the differing words, not their sum
    assert math.isclose(f["gentle man"]["text_uses"], sum(per_word) / 2)
    assert f["gentle man"]["text_uses"] < sum(per_word)
