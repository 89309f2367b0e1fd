"""memoized.release clears the caches an analysis filled, and changes no result."""

from __future__ import annotations

import sys

import pytest

from proofbench import memoized
from proofbench.text import lexicon


def test_release_clears_the_lexicons_caches_and_results_stay():
    before = (lexicon.zipf("wine-shop"), lexicon.core("(word,"), lexicon.in_dictionary("word"))
    assert lexicon.zipf.cache_info().currsize > 0
    assert memoized.release() > 3
    assert lexicon.zipf.cache_info().currsize == 0
    assert lexicon.core.cache_info().currsize == 0
    assert (lexicon.zipf("wine-shop"), lexicon.core("(word,"), lexicon.in_dictionary("word")) == (
        before
    )


def test_release_leaves_other_packages_alone():
    import functools

    @functools.cache
    def square(x: int) -> int:
        return x * x

    square(3)
    memoized.release()
    assert square.cache_info().currsize == 1  # not a module of proofbench


def test_release_empties_the_context_features_plain_cache_and_gains_stay():
    import numpy as np

    from proofbench.classify import real_words

    written = ["the", "cat", "sat", "on", "tbe", "mat"]
    before = real_words.fit_gain(written, written)
    assert real_words._GENERATED  # ``tbe`` is no unit of the table: worked out and kept
    memoized.release()
    assert not real_words._GENERATED
    assert np.array_equal(real_words.fit_gain(written, written), before)


def test_release_asks_nothing_of_a_module_level_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # Flask's ``g`` and ``current_app`` (imported by the review app) raise on any attribute
    # asked outside a request; collate in a process that imported the app must not fail
    import types

    class Proxy:
        def __getattr__(self, name: str) -> object:
            raise RuntimeError("working outside of application context")

    probe = types.ModuleType("proofbench.proxy_probe")
    probe.g = Proxy()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, probe.__name__, probe)
    assert memoized.release() >= 0
