"""The language data: the builder on tiny inputs, and the lexicon that reads what it built."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

from proofbench.text.lexicon import in_dictionary, shape_logprob

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_language_data.py"


def _builder():
    spec = importlib.util.spec_from_file_location("build_language_data", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_word_list_leaves_out_possessives_and_blanks() -> None:
    words = _builder().words_from(["colour\n", "colour's\n", "\n", "Atkinson\n"])
    assert words == {"colour", "Atkinson"}


def test_trigrams_are_weighted_by_frequency_and_mark_word_ends() -> None:
    counts = _builder().trigram_counts([("ab", 2e-9), ("Ab", 1e-9)])
    assert counts["^ab"] == 3 and counts["ab$"] == 3 and len(counts) == 2


def test_gzip_output_is_deterministic(tmp_path: Path) -> None:
    b = _builder()
    b._write_gz(tmp_path / "a.gz", "x\n")
    first = (tmp_path / "a.gz").read_bytes()
    b._write_gz(tmp_path / "a.gz", "x\n")
    assert (tmp_path / "a.gz").read_bytes() == first
    assert gzip.decompress(first) == b"x\n"


def test_dictionary_knows_words_names_and_compounds_but_not_noise() -> None:
    assert in_dictionary("colour") and in_dictionary("color") and in_dictionary("The")
    assert in_dictionary("well-known")
    assert not in_dictionary("housew") and not in_dictionary("3lst")


def test_word_shape_ranks_noise_below_real_words() -> None:
    assert shape_logprob("nigher") > shape_logprob("shaU")
    assert shape_logprob("the") > shape_logprob("t?e")


def test_zipf_reads_wordfreq_s_table_as_wordfreq_does() -> None:
    from wordfreq import zipf_frequency

    from proofbench.text.lexicon import zipf

    words = ("the", "The", "Natásha", "NATÁSHA", "don't", "don’t", "d'un", "ne'er", "l'amour",
             "well-known", "3lst", "½d", "zzxq", "café", "Straße", "ï'erhaps")  # fmt: skip
    for w in words:
        assert zipf(w) == zipf_frequency(w, "en"), w


def test_the_packaged_word_list_is_one_stripped_word_a_line() -> None:
    # lexicon.dictionary takes the lines as they stand: the builder's file has no blank line
    # and no space around a word, and ends with a line's end
    from proofbench.text.lexicon import DATA, dictionary

    text = gzip.decompress((DATA / "words-en.txt.gz").read_bytes()).decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == "" and all(w and w == w.strip() for w in lines[:-1])
    assert dictionary() == frozenset(lines[:-1])
