"""The OCR confusion table: its builder on tiny OCR/ground-truth pairs, and the readers of what
it built."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from proofbench.classify.data import DATA, confusion_counts, shape_confusions

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_confusions.py"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_confusions", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_pieces_are_counted_once_a_word_with_their_opportunities() -> None:
    b = _builder()
    counts = b.Counts()
    # two engines misread "modern" alike: one observation; a line-end hyphen is joined
    counts.add_page("the modern hall", ["the rnodern hall", "the rno-\ndern ball"])
    assert counts.pairs == Counter({("m", "rn"): 1, ("h", "b"): 1})
    assert counts.opportunities["m"] == 1 and counts.opportunities["h"] == 2
    assert counts.opportunities["ha"] == 1 and counts.compared == 3 and counts.words == 3


def test_only_short_pieces_of_words_standing_one_for_one_are_counted() -> None:
    b = _builder()
    counts = b.Counts()
    # "cat" -> "dog" is no confusion of shape, "a word" -> "aword" no one-for-one pair, and
    # curly against straight quotes is compared away by the default normalization
    counts.add_page("cat a word “the”", ['dog aword "the"'])
    assert not counts.pairs
    counts.add_page("a cat", ["a cut"])
    assert counts.pairs == Counter({("a", "u"): 1})


def test_binomial_tail_is_exact() -> None:
    b = _builder()
    assert b.binomial_tail(0, 10, 0.3) == 1.0
    assert abs(b.binomial_tail(1, 2, 0.5) - 0.75) < 1e-12
    assert abs(b.binomial_tail(3, 3, 0.5) - 0.125) < 1e-12
    assert b.binomial_tail(4, 3, 0.5) == 0.0


def test_a_pair_is_kept_when_it_is_read_more_often_than_chance() -> None:
    b = _builder()
    pairs: Counter[tuple[str, str]] = Counter()
    pairs[("m", "rn")] = 12  # one habit, many times
    pairs[("rn", "m")] = 3
    for x, y in zip("abcdefghijkl", "opqrstuvwxyz", strict=True):
        pairs[(x, y)] = 1  # scattered slips, once each
    kept = b.significant(pairs)
    assert kept == {("m", "rn")}


def test_rows_keep_the_old_format_first(tmp_path: Path) -> None:
    b = _builder()
    counts = b.Counts()
    counts.add_page("modern", ["rnodern"])
    rows = b.table(counts, {("m", "rn")})
    assert rows == [("m", "rn", 1, 0, 1, 1)]  # "modern" holds one "m" and one "rn"
    text = b.render(rows, ["a header", ""])
    assert text == "# a header\n#\nm\trn\t1\t0\t1\t1\n"


def test_builder_reads_the_corpora_and_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    corpora = tmp_path / "corpora"
    books = corpora / "old-books-ocr-gt"
    (books / "groundtruth").mkdir(parents=True)
    (books / "ocr-tesseract-minimum").mkdir()
    words = "modern hall and the modern times of a small room " * 3
    for i in range(12):
        (books / "groundtruth" / f"a{i:03}.txt").write_text(words, encoding="utf-8")
        ocr = words.replace("modern", "rnodern") if i % 2 else words.replace("hall", "ball")
        (books / "ocr-tesseract-minimum" / f"a{i:03}.tess.txt").write_text(ocr, encoding="utf-8")
    news = corpora / "overproof-newspapers"
    news.mkdir()
    (news / "dataset2_x_allArticles.txt").write_text(
        "*$*OVERPROOF*$* 1 year 1900\nthe rnan||@@||the man||@@||the man\n"
        "*$*OVERPROOF*$* 2 year 1900\nthe rnan||@@||the man||@@||the man\n",
        encoding="utf-8",
    )
    out = tmp_path / "ocr-confusions.tsv"
    cmd = [sys.executable, str(SCRIPT), "--corpora", str(corpora), "--out", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)
    first = out.read_bytes()
    rows = [r.split("\t") for r in first.decode().splitlines() if not r.startswith("#")]
    assert [r[:2] for r in rows] == [["b", "h"], ["m", "rn"]]
    # m read rn: 6 pages x 6 words, once a word, and the one even-numbered newspaper article
    assert rows[1][2:4] == ["37", "0"]
    pieces = (tmp_path / "ocr-pieces.tsv").read_text(encoding="utf-8").splitlines()
    assert "m\trn\t37" in pieces and "h\tb\t18" in pieces
    subprocess.run(cmd, check=True, capture_output=True)
    assert out.read_bytes() == first
    missing = subprocess.run(
        [*cmd[:3], str(tmp_path / "nowhere"), "--out", str(out)], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "nowhere" in missing.stderr


def test_the_shipped_table_is_read_by_old_and_new_readers() -> None:
    pairs = shape_confusions()
    assert ("m", "rn") in pairs and ("rn", "m") in pairs and ("h", "b") in pairs
    counts = confusion_counts()
    n_mrn, opp_m = counts[("m", "rn")]
    assert n_mrn > 0 and opp_m > n_mrn
    # every pair the old reader sees has counts, and the header says where it comes from
    assert {p for p in counts} == set(pairs)
    head = (DATA / "ocr-confusions.tsv").read_text(encoding="utf-8").splitlines()[:3]
    assert any("scripts/build_confusions.py" in line for line in head)
