"""The word bigram table: units, pairs, the stored format and Witten-Bell smoothing."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from proofbench.text.bigrams import (
    NUMBER,
    Bigrams,
    bigrams,
    count_pairs,
    hash_slot,
    joins,
    read,
    unit,
    write,
)


def test_unit_is_the_lower_cased_core_or_a_number_mark() -> None:
    assert unit("(Incidentally,") == "incidentally"
    assert unit("1,000.") == NUMBER
    assert unit("—") == ""


def test_sentence_marks_break_a_pair_and_commas_do_not() -> None:
    assert joins("said,", "and")
    assert not joins("said.", "And")
    assert not joins("said", "(and")
    assert not joins("—", "and")


def _table(tmp_path: Path) -> Bigrams:
    uni, bi = count_pairs([["the", "cat", "sat.", "The", "cat", "ran,", "the", "dog", "sat"]])
    words = sorted(uni)
    ids = {w: k for k, w in enumerate(words)}
    v = len(words)
    pairs = sorted((ids[a] * v + ids[b], n) for (a, b), n in bi.items())
    path = tmp_path / "t.npy.gz"
    write(
        path,
        words,
        np.array([uni[w] for w in words]),
        np.array([k for k, _ in pairs]),
        np.array([n for _, n in pairs]),
    )
    return read(path)


def test_the_stored_table_reads_back_its_counts(tmp_path: Path) -> None:
    t = _table(tmp_path)
    the, cat, sat = t.ids(["the", "cat", "sat"]).tolist()
    assert t.unigrams[the] == 3
    assert t.pair_counts(np.array([the, cat]), np.array([cat, sat])).tolist() == [2.0, 1.0]
    # "sat." ends a sentence: no pair "sat the"
    assert t.pair_counts(np.array([sat]), np.array([the])).tolist() == [0.0]
    assert t.ids(["zebra"]).tolist() == [-1]


def test_witten_bell_mixes_counts_with_the_unigram_probability(tmp_path: Path) -> None:
    t = _table(tmp_path)
    the, cat, dog = t.ids(["the", "cat", "dog"]).tolist()
    # "the" is followed by cat twice and dog once: 3 tokens, 2 distinct followers
    got = t.conditional(np.array([the, the, -1]), np.array([cat, dog, cat]), np.full(3, 0.01))
    assert math.isclose(got[0], math.log((2 + 2 * 0.01) / (3 + 2)))
    assert math.isclose(got[1], math.log((1 + 2 * 0.01) / (3 + 2)))
    assert math.isclose(got[2], math.log(0.01))  # no left word: the unigram alone


def test_the_packaged_table_knows_common_pairs() -> None:
    t = bigrams()
    of, the, tho = t.ids(["of", "the", "tho"]).tolist()
    counts = t.pair_counts(np.array([of, of]), np.array([the, tho]))
    assert counts[0] > 1000 > counts[1]


def test_a_word_whose_pairs_were_pruned_is_followed_as_the_unigram_says() -> None:
    # "wos" was counted 4 times but none of its pairs was kept: its followers come from the
    # unigram probability (not probability zero); "the" keeps 1 of its 3 counts unpaired
    words = ["cat", "the", "wos"]
    t = Bigrams.of(words, np.array([2, 3, 4]), np.array([1 * 3 + 0]), np.array([2]))
    cat, the, wos = t.ids(words).tolist()
    got = t.conditional(np.array([wos, the, the]), np.array([cat, cat, wos]), np.full(3, 0.01))
    assert math.isclose(got[0], math.log(0.01))
    assert math.isclose(got[1], math.log((2 + (1 + 1) * 0.01) / (3 + 1)))
    assert math.isclose(got[2], math.log((1 + 1) * 0.01 / (3 + 1)))
    total = sum(
        math.exp(x) for x in t.conditional(np.full(3, the), np.array([0, 1, 2]), np.full(3, 1 / 3))
    )
    assert math.isclose(total, 1.0)


def test_every_key_is_found_where_the_probing_runs_past_the_table_s_end() -> None:
    # keys whose first slot is among the last two of the table (so that some run past the
    # end and go on from the start), and others: each is found with its count, and a key the
    # table lacks is 0
    v = 1000
    size = 64  # the table _hashed makes for 16 keys
    tail = [k for k in range(200_000) if hash_slot(np.array([k]), size)[0] >= size - 2][:10]
    keys = np.array(sorted({*tail, 5, 77, 1234, 99_999, 3, 8}), dtype=np.int64)
    assert len(keys) == 16
    counts = np.arange(1, len(keys) + 1, dtype=np.uint32)
    table = Bigrams.of([f"w{i}" for i in range(v)], np.ones(v), keys, counts)
    assert len(table.slots) == size and (table.slots[: len(tail)] >= 0).any()
    assert table.lookup(keys).tolist() == counts.astype(float).tolist()
    absent = np.array([k for k in range(200_000, 200_400) if k not in set(keys.tolist())])
    assert not table.lookup(absent).any()


def test_unigram_ps_are_each_units_unigram_p() -> None:
    from proofbench.text.bigrams import NUMBER, unigram_p, unigram_ps

    units = ["the", NUMBER, "zzqxj", "", "natasha", "of", NUMBER]
    assert unigram_ps(units).tolist() == [unigram_p(u) for u in units]
    assert unigram_ps(iter(units)).tolist() == [unigram_p(u) for u in units]
    assert unigram_ps([]).shape == (0,)


def test_unit_is_the_lower_cased_core_or_a_number() -> None:
    from proofbench.text.bigrams import _DIGITS, NUMBER, unit
    from proofbench.text.lexicon import core

    tokens = ["The,", "“Natásha", "1812", "3.5,", "l9", "--", "", "٣", "x²", "Ⅻ", "don't", "A"]
    for t in tokens:
        c = core(t)
        assert unit(t) == ("" if not c else NUMBER if _DIGITS.match(c) else c.lower()), t
    assert unit("1812") == NUMBER and unit("The,") == "the" and unit("--") == ""
