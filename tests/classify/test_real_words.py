"""Real-word errors from context: a word one slip away that fits its neighbours better."""

from __future__ import annotations

import numpy as np
import pytest

from proofbench.classify import real_words
from proofbench.classify.real_words import (
    CandidateTable,
    candidate_table,
    candidates,
    fit_gain,
    fit_gain_of,
    generate_all,
)
from proofbench.text.bigrams import bigrams


def _words(ids: tuple[int, ...]) -> set[str]:
    vocab = list(bigrams().vocab)
    return {vocab[k] for k in ids}


def test_candidates_are_one_confusion_or_one_letter_away() -> None:
    conf, _ = candidates("lie")
    assert "he" in _words(conf)  # ``li`` read for ``h``
    assert "known" in _words(candidates("know")[1])
    assert "i" in _words(candidates("1")[0])
    assert candidates("") == ((), ())


def test_a_misread_word_gains_in_context_and_the_right_word_does_not() -> None:
    toks = ["and", "then", "lie", "said", "that", "he", "would", "lie", "down"]
    gain = fit_gain(toks, toks)
    assert gain[2, 0] > 5  # "then lie said": "he" fits far better
    assert gain[5, 0] < 1  # "that he would": nothing fits better than "he"
    assert gain[7, 0] < gain[2, 0]  # "would lie down" is English


def test_a_digit_between_words_gains_and_a_sentence_mark_cuts_context() -> None:
    toks = ["when", "1", "was", "young"]
    assert fit_gain(toks, toks)[1, 0] > 3
    cut = ["when.", "1.", "was"]
    assert fit_gain(cut, cut)[1].tolist() == [0.0, 0.0]


def test_the_stored_candidates_are_what_the_builder_finds() -> None:
    # data/word-candidates-en.npy.gz is built by scripts/build_candidates.py from the bigram
    # table and the shape confusions: a change to either without a rebuild shows here
    stored = candidate_table()
    fresh = CandidateTable.build(list(bigrams().vocab))
    for a, b in zip(
        (stored.conf_at, stored.conf, stored.edit_at, stored.edit),
        (fresh.conf_at, fresh.conf, fresh.edit_at, fresh.edit),
        strict=True,
    ):
        assert a.tolist() == b.tolist()


def test_a_form_the_table_lacks_gets_its_candidates_worked_out() -> None:
    conf, _ = candidates("hia")  # not a unit of the table
    assert "hia" not in bigrams().vocab
    assert "his" in _words(conf)
    assert generate_all(["hia", "lie"])["lie"] == candidates("lie")


def test_only_the_tokens_asked_for_are_worked_out() -> None:
    toks = ["and", "then", "lie", "said", "that", "when", "1", "was", "young"]
    fid = {t: k for k, t in enumerate(dict.fromkeys(toks))}
    ids = np.array([fid[t] for t in toks])
    full = fit_gain_of(list(fid), ids, list(fid), ids)
    at = np.zeros(len(toks), dtype=bool)
    at[[2, 6]] = True
    part = fit_gain_of(list(fid), ids, list(fid), ids, at)
    assert part[at].tolist() == full[at].tolist()
    assert not part[~at].any() and full[2, 0] > 0


def test_the_gains_do_not_depend_on_how_many_contexts_are_worked_out_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a repeated context is worked out once; in stretches of one, two or all contexts the
    # gains are the same, to the bit, and so are a repeated context's tokens'
    text = "and then lie said that when 1 was young , and then lie said he bad a head ."
    toks = text.split() * 3
    forms = toks
    whole = fit_gain(toks, forms)
    assert whole[2, 0] > 0 and whole[2].tolist() == whole[2 + len(toks) // 3].tolist()
    for size in (1, 2):
        monkeypatch.setattr(real_words, "CHUNK", size)
        assert fit_gain(toks, forms).tolist() == whole.tolist()


def test_few_forms_and_many_find_the_same_longer_words(monkeypatch: pytest.MonkeyPatch) -> None:
    # generate_all tries letters at each place of a few forms and passes over the frequent
    # words' deletions for many: the candidates are the same either way
    lows = ["hia", "lie", "know", "thw", "wondr", "naturl", "ab", "1", "caf", "xyzzy"]
    found = []
    for cost in (0.0, 1e9):  # every lookup free (letters tried), then dear (the pass)
        monkeypatch.setattr(real_words, "INSERTION_COST", cost)
        found.append(generate_all(lows))
    assert found[0] == found[1]
    assert "known" in _words(found[0]["know"][1])
    assert "wonder" in _words(found[0]["wondr"][1])
