"""The stored scanno answers (``data/scanno-tops-en.txt.gz``) are those worked out afresh."""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

import pytest

from proofbench.classify import scannos
from proofbench.text.lexicon import zipf


def test_the_packaged_table_was_built_from_the_wordfreq_and_confusions_in_force() -> None:
    table = scannos.top_table()
    assert table is not None, "rebuild it: scripts/build_scanno_tops.py"
    assert (table.words, table.confusions) == scannos.sources()


def test_the_stored_answers_are_those_worked_out() -> None:
    # every 37th stored word (7,800 of wordfreq's words, common and rare alike): its entry is
    # the commoner word's Zipf in hundredths, or missing where no word one confusion away is
    # commoner; and scanno_gain from the table is the gain worked out
    table = scannos.top_table()
    assert table is not None
    sample = list(islice(scannos.stored_words(), 0, None, 37))
    assert len(sample) > 5000
    stored = [table.best.get(w) for w in sample]
    assert sum(c is not None for c in stored) > 500  # the sample meets words with a scanno
    for w, centi in zip(sample, stored, strict=True):
        top = scannos.best_zipf(w)
        assert centi == (round(top * 100) if top > zipf(w) else None), w
        assert scannos.scanno_gain(w) == max(0.0, top - zipf(w)), w


def test_words_outside_the_table_are_worked_out() -> None:
    for w in ("tbe", "hâd", "Bad", "ba"):  # not wordfreq's, not ASCII, a capital, two letters
        assert scannos.scanno_gain(w) == max(0.0, scannos.best_zipf(w) - zipf(w))
    assert scannos.scanno_gain("bad") > 0 and scannos.scanno_gain("the") == 0.0
    assert scannos.scanno_gain("x") == 0.0 and scannos.scanno_gain("a1b") == 0.0


def test_a_table_round_trips_and_a_foreign_file_is_refused(tmp_path: Path) -> None:
    made = scannos.TopTable({"bad": 612, "lie": 590, "tbe": 612}, 3, "ab" * 32)
    path = tmp_path / "tops.txt.gz"
    made.write(path)
    assert scannos.TopTable.read(path) == made
    other = tmp_path / "other.txt.gz"
    other.write_bytes(gzip.compress(b"word\t1\n"))
    with pytest.raises(ValueError, match="not a table"):
        scannos.TopTable.read(other)
