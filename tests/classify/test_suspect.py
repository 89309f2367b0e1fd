"""The single-witness check's probability of error: the evidence it reads and how it is used."""

from __future__ import annotations

import json

import numpy as np
import pytest

from proofbench.classify import check
from proofbench.classify import suspect as S
from proofbench.classify.scannos import scanno_gain, scanno_gains
from proofbench.pipeline import witness_from_text

OCR = (
    "the kingwas very glad hereof,and caused them to be brought before him, to whom he said "
    "I shaU appoint t?e 3lst day of the month, and so they departed againó to their houses."
)


def probs(text: str) -> dict[str, float]:
    w = witness_from_text("X", text)
    return {
        t.t: float(p) for t, p in zip(w.text_tokens, S.probabilities(w.text_tokens), strict=True)
    }


def test_garbled_ocr_words_are_flagged_and_real_words_are_not() -> None:
    w = witness_from_text("X", OCR)
    flagged = {f.text for f in check(w) if f.check == "suspect-word"}
    for bad in ("kingwas", "hereof,and", "shaU", "3lst"):
        assert bad in flagged
    for good in ("the", "glad", "brought", "before", "month,", "houses."):
        assert good not in flagged


def test_check_lets_the_witness_evidence_go_and_its_flags_stay() -> None:
    w = witness_from_text("X", OCR)
    S.evidence(w.text_tokens)
    assert S._last  # kept for the suspects and disputed words of the same witness
    first = check(w)
    assert not S._last  # let go once the check is done
    again = check(w)
    assert list(first) == list(again) and first.disputed == again.disputed


def test_probabilities_are_probabilities_and_rank_noise_first() -> None:
    p = probs(OCR)
    assert all(0.0 <= v <= 1.0 for v in p.values())
    assert min(p["shaU"], p["3lst"], p["kingwas"]) > max(p["glad"], p["brought"], p["month,"])


def test_mojibake_and_inner_capitals_are_evidence() -> None:
    (row,) = [S._static("againó")]
    assert row[13] == 1.0  # mojibake: a Windows-1252 dash read as Mac Roman
    assert S._static("again—")[13] == 0.0
    assert S._static("shaU")[4] == 1.0 and S._static("NATASHA")[4] == 0.0
    assert S._static("don’t")[13] == 0.0  # a curly apostrophe is no mojibake


def test_min_confidence_filters_and_lowers_the_threshold() -> None:
    w = witness_from_text("X", OCR)
    default = [f for f in check(w) if f.check == "suspect-word"]
    everything = [f for f in check(w, min_confidence=0.0) if f.check == "suspect-word"]
    strict = [f for f in check(w, min_confidence=0.99) if f.check == "suspect-word"]
    assert len(strict) < len(default) < len(everything)
    assert all(f.confidence >= S.check_model().threshold for f in default)
    assert all(f.confidence >= 0.99 for f in strict)


def test_a_clean_book_length_text_is_judged_clean() -> None:
    # The same rare real words, in a long text of common words, score lower than in a noisy text.
    clean = " ".join(["He walked along the road to the town and came back home."] * 200)
    noisy = " ".join([OCR] * 3)
    rare = "Queequeg"
    assert probs(clean + f" {rare} slept.")[rare] < probs(noisy + f" {rare} slept.")[rare]


def test_addresses_and_broken_tails_are_not_judged() -> None:
    p = probs("see http://exampel.org/x and pre- and post-war years")
    assert p["http://exampel.org/x"] == 0.0 and p["pre-"] == 0.0
    w = witness_from_text("X", "see http://exampel.org/x and www.x.org then")
    ev = S.evidence(w.text_tokens)
    assert "" in ev.forms and ev.judged().tolist() == [float(bool(f)) for f in ev.forms]
    clean = S.evidence(witness_from_text("X", "all forms judged").text_tokens)
    assert clean.judged().tolist() == [1.0, 1.0, 1.0]


def test_italics_markup_is_not_part_of_the_word() -> None:
    assert S.form_of("_that_.") == "that." and S.form_of("(_Folio_),") == "(Folio),"
    assert S.form_of("my_var") == "my_var"


def test_stale_model_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    raw = json.loads((S.DATA / "check-model.json").read_text(encoding="utf-8"))
    raw["features"] = raw["features"][:-1]
    (tmp_path / "check-model.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setattr(S, "DATA", tmp_path)
    S.check_model.cache_clear()
    try:
        with pytest.raises(ValueError, match="other features"):
            S.check_model()
    finally:
        monkeypatch.undo()
        S.check_model.cache_clear()


def test_prior_shift_moves_towards_the_text() -> None:
    model = S.check_model()
    low = S._prior_shift(np.full(10_000, -8.0), model)
    assert low < 0  # a text whose words all look right gets a lower share of errors
    assert S._prior_shift(np.full(10_000, 3.0), model) == pytest.approx(0.0, abs=1e-6)


def test_scanno_gain_finds_the_commoner_word_one_confusion_away() -> None:
    assert scanno_gain("bad") > 0  # had
    assert scanno_gain("the") == 0.0  # nothing commoner than ``the``
    assert scanno_gain("x") == 0.0 and scanno_gain("a1b") == 0.0


def test_the_scanno_gains_of_many_words_are_each_one_s() -> None:
    # stored words, words the table lacks, outside ASCII, too short, not letters
    words = ["bad", "the", "lie", "head", "tbe", "h\u00e2d", "Bad", "ba", "x", "a1b", "", "bead"]
    gains = scanno_gains(words)
    assert gains == [scanno_gain(w) for w in words]
    assert gains[0] > 0 and gains[1] == 0.0


def test_prior_shift_over_distinct_log_odds_weighted_by_count_is_the_same() -> None:
    model = S.check_model()
    z = np.array([-6.0, -6.0, -6.0, -1.0, 2.0, 2.0, -4.5])
    values, counts = np.unique(z, return_counts=True)
    weighted = S._prior_shift(values, model, counts.astype(np.float64))
    assert weighted == pytest.approx(S._prior_shift(z, model), abs=1e-9)


def test_evidence_on_a_witness_is_worked_out_once_and_a_list_each_time() -> None:
    toks = witness_from_text("X", "The cat sat on the mat, and tbe dog lay by it.").text_tokens
    first = S.evidence(toks)
    assert S.evidence(toks) is first
    assert S.evidence(toks, (0.5, 1.0)) is not first  # another prior: worked out again
    listed = list(toks)
    again = S.evidence(listed)
    assert again is not S.evidence(listed)
    assert np.array_equal(again.index, first.index)


def test_a_dictionary_candidate_is_given_only_when_likelier_than_its_rivals() -> None:
    # ``tbe``: ``the`` is far commoner than every other word one confusion away
    assert S.dictionary_candidate("tbe") == "the"
    # ``bame``: same, game, name, came are about as common: none is likelier than not
    assert S.dictionary_candidate("bame") is None


def test_the_evidence_of_a_few_tokens_is_what_the_whole_evidence_gives_them() -> None:
    # with_disputed asks for a few tokens of a witness checked in another process: their rows
    # and context alone are worked out, against the whole text's counts and share
    text = OCR + " The kingwas glad, and sorrowfl they went 1 mile home to hia own house. " * 3
    toks = list(witness_from_text("X", text).text_tokens)
    at = [1, 5, len(toks) - 4, len(toks) - 9, len(toks) - 1]
    model = S.check_model()
    prior = (model.noise_mean, model.noise_strength)
    w = np.asarray(model.weights)
    full = S._logits(S._evidence(toks, prior), w, np.array(at))
    part = S._logits(S._evidence(toks, prior, at), w, np.array(at))
    assert part.tolist() == pytest.approx(full.tolist(), abs=1e-12)
    assert S.disputed_probabilities(toks, at).tolist() == pytest.approx(
        model.calibrated(full).tolist(), abs=1e-12
    )


def test_the_recalibration_is_monotone_and_keeps_the_flags_of_the_fitted_threshold() -> None:
    model = S.check_model()
    z = np.linspace(-8, 8, 33)
    p = model.calibrated(z)
    assert np.all(np.diff(p) > 0) and np.all((p > 0) & (p < 1))
    raw = json.loads((S.DATA / "check-model.json").read_text(encoding="utf-8"))
    fitted = raw["threshold"]
    # a log-odds at the fitted threshold lands on the threshold the flags are compared with
    at = float(np.log(fitted / (1 - fitted)))
    assert float(model.calibrated(np.array([at]))[0]) == pytest.approx(model.threshold)


def test_an_older_spelling_with_a_final_e_is_evidence_of_its_own() -> None:
    assert S._static2("drinke")[2] == 1.0 and S._static2("wordes")[2] == 1.0
    assert S._static2("drink")[2] == 0.0  # a known word
    assert S._static2("Hke")[2] == 0.0  # too short a stem
    assert S._static2("sHee")[2] == 0.0  # a capital inside: OCR noise, not a spelling


def test_static_rows_are_the_static_features_and_kept_across_texts() -> None:
    rows = S.StaticRows()
    forms = ["againó", "shaU", "", "the", "3lst"]
    got = rows.rows(forms)
    assert got.shape == (len(forms), len(S._static("the")))
    for f, row in zip(forms, got, strict=True):
        assert list(row) == (list(S._static(f)) if f else [0.0] * len(row))
    # a second text sharing some forms gets the same rows, the new ones worked out
    again = rows.rows(["3lst", "kingwas", "the"])
    assert list(again[0]) == list(got[4]) and list(again[2]) == list(got[3])
    assert list(again[1]) == list(S._static("kingwas"))
    rows.clear()
    assert list(rows.rows(["shaU"])[0]) == list(got[1])


def test_a_collation_lets_the_shared_rows_go_after_its_last_witness() -> None:
    from proofbench.classify.checks import check_each

    wit = {s: witness_from_text(s, OCR if s != "B" else OCR.replace("kingwas", "king was"))
           for s in ("A", "B", "C")}  # fmt: skip
    S.STATIC.clear()
    first = check_each(wit, "A")
    assert "kingwas" in S.STATIC._at  # kept for the next witness
    assert list(check_each(wit, "B")) == list(check(wit["B"]))
    check_each(wit, "C")
    assert not S.STATIC._at  # let go after the last one
    assert list(first) == list(check(wit["A"]))


def test_static_rows_are_bounded_and_still_right_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(S, "STATIC_FORMS", 3)
    rows = S.StaticRows()
    rows.rows(["the", "shaU", "3lst"])
    got = rows.rows(["kingwas", "the"])  # past the bound: the old rows let go first
    assert len(rows._at) == 2
    assert [list(r) for r in got] == [list(S._static("kingwas")), list(S._static("the"))]


def test_static_rows_of_letter_cores_are_the_static_features_of_every_form() -> None:
    # the batch shares a letters-only core's features among its forms and reads three from
    # the form itself: every form of a real book and the edges of that path give _static's rows
    from pathlib import Path

    from proofbench.model import token_texts

    book = Path(__file__).resolve().parents[2] / "../shared/corpora/gutenberg-revisions"
    path = book / "war-and-peace-pg2600" / "2600-0.txt"  # UTF-8: accents, curly quotes
    forms = [
        "the", "the,", "\u201cthe", ".and", ";and", "\u00bbthe\u00ab", "The", "THE", "I", "a",
        "x", "ab", "IV", "iv", "civil", "mix", "McDonald", "shaU", "Nat\u00e1sha",
        "\u201cNat\u00e1sha\u201d",
        "again\u00f3", "\u00abagain\u00bb", "\u2014the", "don\u2019t", "3lst", "l9", "A.D.", "--",
        "wine-shop", "x|y", "ZZ", "\u00e9t\u00e9",
    ]  # fmt: skip
    if path.is_file():
        forms += list(dict.fromkeys(token_texts(witness_from_text("X", path.read_text(
            encoding="utf-8")).text_tokens)))[:30000]  # fmt: skip
    forms = [f for f in dict.fromkeys(forms) if f]
    got = S._static_rows(forms)
    for f, row in zip(forms, got, strict=True):
        assert tuple(row.tolist()) == S._static(f), f


def test_static_rows_gathered_by_core_are_each_forms_static_features() -> None:
    # forms sharing a core of letters (their rows gathered from one), with a leading mark, an
    # odd character or letters outside ASCII beside it, and forms of other characters
    forms = ["the", "the,", ",the", "“the»", "The", "againó", "againó,", "Natásha", "(Natásha",
             "t?e", "3lst", "A.D.", "«", "I", "X", "IV", "iv", "mcm", "XLC", "MacDonald",
             "ABC", "Ab", "a", "x", "ab"]  # fmt: skip
    got = S._static_rows(forms)
    assert [list(r) for r in got] == [list(S._static(f)) for f in forms]
    assert S._static_rows([]).shape == (0, len(S._static("the")))
