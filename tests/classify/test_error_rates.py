"""Dawid–Skene error rates on synthetic collations whose rates are known by construction."""

from __future__ import annotations

import math
import random

import pytest

from proofbench.classify.error_rates import KINDS, estimate, kind

N = 20000
"""Word positions of each synthetic collation: enough that a rate of 0.02 has a standard error
of 0.001."""


ADDED = {"P": "and", "T": "the", "U": "of", "W": "in"}
"""The dictionary word each witness adds (an addition is of words, not of noise)."""


def _err(truth: str, k: str, who: str) -> str:
    return {
        "omission": "",
        "addition": f"{truth} {ADDED[who]}",
        "letters": f"x{who}{truth}",
        "marks": f"{truth}.",
    }[k]


def _read(rng: random.Random, truth: str, rates: dict[str, float], who: str) -> str:
    u = rng.random()
    for k in KINDS:
        if u < rates[k]:
            return _err(truth, k, who)
        u -= rates[k]
    return truth


def _collation(
    rng: random.Random,
    independent: dict[str, dict[str, float]],
    copies: dict[str, tuple[str, float, dict[str, float]]],
) -> list[dict[str, str]]:
    """The variant places of N positions: independent witnesses err at their rates; a copy
    keeps its source's error at its keeping rate, else reads right or errs at its own rates."""
    places = []
    for i in range(N):
        truth = f"w{i}"
        r = {s: _read(rng, truth, rates, s) for s, rates in independent.items()}
        for c, (src, keep, own) in copies.items():
            if r[src] != truth and rng.random() < keep:
                r[c] = r[src]
            else:
                r[c] = _read(rng, truth, own, c)
        if len(set(r.values())) > 1:
            places.append(r)
    return places


def _tolerance(rate: float) -> float:
    """Four binomial standard errors of a rate over N positions."""
    return 4 * math.sqrt(rate * (1 - rate) / N)


def test_kinds_of_error() -> None:
    assert kind("the cat", "the cat") is None
    assert kind("the cat", "the") == "omission"
    assert kind("the", "the fat cat") == "addition"
    assert kind("chief", "cli f") == "letters"  # a split garble, no added word
    assert kind("the", "the xqzt") == "letters"  # added noise
    assert kind("it to", "itto") == "marks"  # spacing
    assert kind("cat", "cot") == "letters"
    assert kind("cat,", "Cat.") == "marks"


def test_em_recovers_known_error_rates_by_kind() -> None:
    rng = random.Random(11)
    truth_rates = {
        "P": {"omission": 0.002, "addition": 0.004, "letters": 0.04, "marks": 0.02},
        "T": {"omission": 0.01, "addition": 0.003, "letters": 0.006, "marks": 0.008},
        "U": {"omission": 0.004, "addition": 0.002, "letters": 0.01, "marks": 0.004},
    }
    got = estimate(_collation(rng, truth_rates, {}), {}, N)
    for s, rates in truth_rates.items():
        for k, r in rates.items():
            assert abs(got.rates[s][k] - r) < _tolerance(r), (s, k, got.rates[s][k], r)


def test_em_recovers_a_copys_keeping_rate_and_its_sources_rates() -> None:
    rng = random.Random(5)
    p = {"omission": 0.002, "addition": 0.003, "letters": 0.05, "marks": 0.02}
    t = {"omission": 0.008, "addition": 0.002, "letters": 0.01, "marks": 0.01}
    u = {"omission": 0.003, "addition": 0.002, "letters": 0.008, "marks": 0.005}
    w_own = {"omission": 0.0005, "addition": 0.0005, "letters": 0.001, "marks": 0.001}
    places = _collation(rng, {"P": p, "T": t, "U": u}, {"W": ("T", 0.35, w_own)})
    got = estimate(places, {"W": "T"}, N)
    # the keeping rate is estimated from the source's errors (about 0.03 * N of them)
    n_src = sum(t.values()) * N
    assert abs(got.keep["W"] - 0.35) < 4 * math.sqrt(0.35 * 0.65 / n_src)
    for k, r in t.items():
        assert abs(got.rates["T"][k] - r) < _tolerance(r), (k, got.rates["T"][k], r)


def test_the_posterior_prefers_the_reading_whose_error_kind_the_witness_is_prone_to() -> None:
    rng = random.Random(3)
    # P (an OCR) misreads letters often and never drops words; T drops words often
    rates = {
        "P": {"omission": 0.0005, "addition": 0.0005, "letters": 0.05, "marks": 0.01},
        "T": {"omission": 0.02, "addition": 0.0005, "letters": 0.002, "marks": 0.002},
        "U": {"omission": 0.003, "addition": 0.003, "letters": 0.003, "marks": 0.003},
    }
    got = estimate(_collation(rng, rates, {}), {}, N)
    # one against one, the third witness silent on the difference (it reads a third way)
    omitted = got.posterior({"P": "among them", "T": "them", "U": "amang them"})
    assert omitted["among them"] > omitted["them"]
    misread = got.posterior({"P": "cot", "T": "cat", "U": "cat."})
    assert misread["cat"] > misread["cot"]


def test_a_place_lacking_a_witness_is_refused() -> None:
    with pytest.raises(ValueError):
        estimate([{"A": "x", "B": "y"}, {"A": "x"}], {}, 10)


def test_a_collation_without_variant_places_has_nothing_to_estimate() -> None:
    got = estimate([], {}, 100)
    assert got.rates == {} and got.iterations == 0


def test_words_are_each_words_letters_and_digits_lower_cased_on_every_code_point() -> None:
    import sys

    from proofbench.classify.error_rates import _words

    def by_character(text: str) -> tuple[str, ...]:
        cores = ("".join(ch for ch in x if ch.isalnum()).lower() for x in text.split())
        return tuple(w for w in cores if w)

    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    for text in (every, " ".join(every), "Whose_ “old” coat, ’tis İt — 2nd\u00a0ed."):
        assert _words(text) == by_character(text)


def test_places_of_one_pattern_share_its_object_and_read_their_own_texts() -> None:
    places = [
        {"A": "the", "B": "tho", "C": "the"},
        {"A": "and", "B": "aud", "C": "and"},
        {"A": "of", "B": "of", "C": ""},
        {"A": "and", "B": "aud", "C": "and"},
    ]
    got = estimate(places, {}, 100)
    pats = got.patterns
    assert len(pats) == 3  # one a distinct tuple of readings
    assert pats[("the", "tho", "the")] is pats[("and", "aud", "and")]
    assert pats[("of", "of", "")] is not pats[("the", "tho", "the")]
    the = got.posterior({"A": "the", "B": "tho", "C": "the"})
    same = got.posterior({"A": "and", "B": "aud", "C": "and"})
    assert list(the) == ["the", "tho"] and list(same) == ["and", "aud"]
    assert list(the.values()) == list(same.values())
    # a tuple no place read: its pattern made when asked, its texts its own
    new = got.posterior({"A": "cat", "B": "cot", "C": "cat"})
    assert list(new) == ["cat", "cot"] and list(new.values()) == list(the.values())
    assert got.patterns[("cat", "cot", "cat")] == pats[("the", "tho", "the")]


def test_the_kinds_of_a_pattern_are_remembered_only_while_estimating() -> None:
    from proofbench.classify.error_rates import _pattern

    memo: dict[tuple[str, str], str | None] = {}
    read = ("the cat", "tho cat", "the")
    assert _pattern(read, memo) == _pattern(read)
    assert memo[("the cat", "the")] == "omission" == kind("the cat", "the")
    assert memo[("the", "the")] is None and len(memo) == 9
    assert not hasattr(kind, "cache_info")  # no module cache outlives a collation
