"""Real-word errors from context: a word one slip away that fits its neighbours better."""

from __future__ import annotations

from proofbench.classify.real_words import candidates, fit_gain
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
