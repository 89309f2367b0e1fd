"""The lexicon's word shape: the trigram model's mean log probability, as its docstring states."""

from __future__ import annotations

from proofbench.text import lexicon


def _mean_logprob(word: str) -> float:
    # the rule written out: ``^word$`` lower-cased and plain, each trigram's log probability,
    # an unseen one scored by its context's floor (or the alphabet's, for an unseen context)
    logp, floor_ctx, floor = lexicon._trigrams()
    w = "^" + lexicon._plain(word.lower()) + "$"
    grams = [w[i : i + 3] for i in range(len(w) - 2)]
    scores = [logp[g] if g in logp else floor_ctx.get(g[:2], floor) for g in grams]
    total = 0.0
    for s in scores:
        total += s
    return total / len(grams)


def test_the_shape_is_the_mean_of_the_trigrams_scores_unseen_ones_at_their_floor() -> None:
    logp = lexicon._trigrams()[0]
    words = ["the", "The", "shaU", "t?e", "Natásha", "arm’d", "qzxj", "\u00a7\u00b6x", "aa"]
    assert any(w[i : i + 3] not in logp for w in ("^qzxj$",) for i in range(4))
    for w in words:
        assert lexicon.shape_logprob(w) == _mean_logprob(w), w
    assert lexicon.shape_logprob("") == 0.0  # no trigram at all
