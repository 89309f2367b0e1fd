"""A place's neighbouring words: read from the token columns as from tokens given one by one."""

from __future__ import annotations

import dataclasses

import pytest

from proofbench.classify.context import neighbours
from proofbench.model import Tokens
from proofbench.pipeline import witness_from_text

TEXTS = [
    "The rain in Spain stays mainly in the plain.",
    "A word broken at the line's end, commu-\nnication, and a half-\nspoken one at the close-",
    "one",
    "  leading and trailing spaces  ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_neighbours_from_columns_are_those_of_a_tuple_of_tokens(text: str) -> None:
    w = witness_from_text("A", text)
    assert isinstance(w.tokens, Tokens)  # the columns' path
    plain = dataclasses.replace(w, tokens=tuple(w.tokens))  # the token-by-token path
    toks = list(w.tokens)
    assert any(t.hyphenation for t in toks) or "-\n" not in text
    for lo in range(len(toks)):
        for hi in range(lo + 1, min(len(toks), lo + 3) + 1):
            run = tuple(toks[lo:hi])
            got = neighbours(w, run, run[0].start)
            assert got == neighbours(plain, run, run[0].start)
            assert got[0] == (toks[lo - 1].reading if lo else None)
            assert got[1] == (toks[hi].reading if hi < len(toks) else None)
    # an absent reading, at every offset of the text and past its end
    for at in range(len(text) + 2):
        assert neighbours(w, (), at) == neighbours(plain, (), at)


def test_text_stats_count_as_counters_do_within_each_witness() -> None:
    from collections import Counter
    from itertools import pairwise

    from proofbench.classify.context import TextStats, key

    texts = ["Of the rain, of the plain.", "the end of The", "close"]
    wits = [witness_from_text(s, t) for s, t in zip("ABC", texts, strict=True)]
    stats = TextStats.of(wits)
    keys = [[key(t.reading) for t in w.text_tokens] for w in wits]
    words = Counter(k for ks in keys for k in ks)
    pairs = Counter(p for ks in keys for p in pairwise(ks))
    assert list(stats.words.items()) == list(words.items())  # first-used order kept
    assert dict(stats.pairs.items()) == dict(pairs)
    assert stats.pairs[("of", "the")] == 3
    assert stats.pairs[("the", "close")] == 0  # not across the end of one witness
    assert stats.pairs[("plain", "the")] == 0
    assert stats.pairs[("nowhere", "the")] == 0
    assert len(stats.pairs) == len(pairs)


def test_pairs_answer_as_a_counter_however_crowded_their_table() -> None:
    import random
    from collections import Counter

    import numpy as np

    from proofbench.classify.context import Pairs

    rng = random.Random(7)
    forms = [f"w{i}" for i in range(300)]
    ids = {f: i for i, f in enumerate(forms)}
    # a few forms with many followers (neighbouring codes), and scattered pairs
    counted = Counter(
        [(forms[rng.randrange(3)], rng.choice(forms)) for _ in range(3000)]
        + [(rng.choice(forms), rng.choice(forms)) for _ in range(3000)]
    )
    codes = np.array(sorted(ids[a] * len(ids) + ids[b] for a, b in counted), np.int64)
    counts = np.array([counted[(forms[c // 300], forms[c % 300])] for c in codes], np.int64)
    pairs = Pairs(ids, codes, counts)
    assert len(pairs) == len(counted)
    assert all(pairs[p] == n for p, n in counted.items())
    assert all(
        pairs[(a, b)] == 0 for a in forms[100:130] for b in forms[:50] if (a, b) not in counted
    )
    assert pairs[("nowhere", "w1")] == 0
    assert dict(pairs.items()) == dict(counted)
    none = Pairs(ids, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert len(none) == 0 and none[("w1", "w2")] == 0 and list(none) == []


def test_counting_the_text_leaves_the_key_cache_to_weighing() -> None:
    from proofbench.classify.context import TextStats, key

    wits = [witness_from_text("A", "Of the rain, of the plain."), witness_from_text("B", "Rain!")]
    key.cache_clear()
    stats = TextStats.of(wits)
    assert key.cache_info().currsize == 0
    assert stats.words["rain"] == 2 and stats.pairs[("of", "the")] == 2
