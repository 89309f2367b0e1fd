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


def test_a_digit_inside_letters_is_garbled_and_an_ordinal_is_not() -> None:
    p = with_confidence(wit("P", "she was inconsolable and wept"), 90)
    t = wit("T", "she was inconsolab1e and wept", derives_from="P")
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["inconsolab1e"]["garbled"] == 1
    assert f["inconsolable"]["garbled"] == 0
    a = with_confidence(wit("P", "on the 3lst of May"), 90)
    b = wit("T", "on the 31st of May", derives_from="P")
    g = _features((a, 2, 3), (b, 2, 3))
    assert g["3lst"]["garbled"] == 1 and g["31st"]["garbled"] == 0


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
    per_word = [stats.uses(x, 1) / (1 + stats.uses(x, 1)) for x in ("gentle", "man")]
    # the mean over the differing words, not their sum
    assert math.isclose(f["gentle man"]["text_uses"], sum(per_word) / 2)
    assert f["gentle man"]["text_uses"] < sum(per_word)


def test_a_word_the_text_uses_counts_as_a_word_of_it_however_often() -> None:
    """Use saturates: a word used fifty times is no likelier for it than one used five times
    (how common a word is, is the frequencies' evidence); one never used elsewhere earns
    nothing."""
    body = "the scoundrel left. " * 5 + "and that was all. " * 50
    a, b, c = (
        wit(s, body + f"he said {w} it")
        for s, w in (("A", "that"), ("B", "scoundrel"), ("C", "xqzvy"))
    )
    n = len(a.text_tokens)
    f = _features((a, n - 2, n - 1), (b, n - 2, n - 1))
    assert 0.8 < f["scoundrel"]["text_uses"] <= f["that"]["text_uses"] < 1.0
    assert f["that"]["text_uses"] - f["scoundrel"]["text_uses"] < 0.2
    g = _features((a, n - 2, n - 1), (c, n - 2, n - 1))
    assert g["xqzvy"]["text_uses"] == 0.0 < g["xqzvy"]["unknown"]


def test_a_number_or_initials_is_a_form_of_its_own_and_a_digit_among_letters_is_not() -> None:
    p = with_confidence(wit("P", "on the 3lst of May the 1,500 men of U.S. came"), 90)
    t = wit("T", "on the 31st of May the l,5OO men of U,S. came", derives_from="P")
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["31st"]["unknown"] == f["31st"]["garbled"] == 0
    assert f["3lst"]["unknown"] == 1 and f["3lst"]["garbled"] == 1
    g = _features((p, 6, 7), (t, 6, 7))
    assert g["1,500"]["unknown"] == g["1,500"]["garbled"] == 0
    assert g["l,5OO"]["garbled"] == 1
    h = _features((p, 9, 10), (t, 9, 10))
    assert h["U.S."]["unknown"] == 0 and h["U,S."]["unknown"] == 1


def test_a_ligature_and_a_parenthesis_before_a_hyphen_leave_a_word_known() -> None:
    t = wit("T", "the dæmon came (at last)-and went")
    u = wit("U", "the dxmon came (at lost)-amd went")
    f = _features((t, 1, 2), (u, 1, 2))
    assert f["dæmon"]["unknown"] == 0 and f["dxmon"]["unknown"] == 1
    g = _features((t, 4, 5), (u, 4, 5))
    assert g["last)-and"]["unknown"] == 0 and g["lost)-amd"]["unknown"] == 1


def test_an_ocr_mark_more_is_told_from_another_mark() -> None:
    t = wit("T", "in the action; and then")
    p = with_confidence(wit("P", "in the action: and then"), 90)
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["action:"]["ocr_mark_other"] == 1 and f["action:"]["ocr_mark"] == 0
    q = with_confidence(wit("P", "in the action;) and then"), 90)
    g = _features((q, 2, 3), (t, 2, 3))
    assert g["action;)"]["ocr_mark"] == 1 and g["action;)"]["ocr_mark_other"] == 0


def test_a_lost_quote_is_the_ocrs_loss_even_where_the_shape_table_lists_it() -> None:
    # the counted table lists a lost apostrophe as a shape confusion; the evidence that the
    # OCR lacks a quotation mark or apostrophe the transcription has comes first all the same
    t = wit("T", "he said “It’s late” and left")
    p = with_confidence(wit("P", "he said “Its late” and left"), 90)
    f = _features((p, 2, 3), (t, 2, 3))
    assert f["“Its"]["ocr_quote_lost"] == 1
    assert f["“Its"]["ocr_seeded"] == 0


def test_prose_tells_two_dictionary_words_apart_by_their_neighbours() -> None:
    p = with_confidence(wit("P", "she said that be was not there"), 90)
    t = wit("T", "she said that he was not there", derives_from="P")
    f = _features((p, 3, 4), (t, 3, 4))
    assert f["he"]["prose"] > f["be"]["prose"]
    # readings of different lengths, or of the same words, are not compared
    q = with_confidence(wit("P", "she said that he was there"), 90)
    u = wit("T", "she said that he was not there", derives_from="P")
    g = _features((q, 5, 5), (u, 5, 6))
    assert g[""]["prose"] == 0 and g["not"]["prose"] == 0
