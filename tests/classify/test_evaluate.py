"""The evaluation's parts: key loading, column mapping, matching, and the two commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proofbench.classify.evaluate import comparable, load_key, map_columns
from proofbench.errors import FormatError, MissingFileError

from .helpers import wit

ROOT = Path(__file__).resolve().parents[2]


def test_load_key_reads_the_letters_key() -> None:
    key = load_key(ROOT / "tests" / "data" / "letter" / "answer-key.json")
    assert len(key) == 19
    assert set(key[0].phrases) == {"print", "2005", "2015"}
    assert key[0].cls == "punctuation" and key[0].correct == "print"


def test_load_key_refuses_bad_input(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError):
        load_key(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormatError):
        load_key(bad)
    bad.write_text(json.dumps([{"id": "E1", "class": "x", "a": "one"}]), encoding="utf-8")
    with pytest.raises(FormatError, match="fewer than two"):
        load_key(bad)


def test_columns_map_by_year_or_explicitly() -> None:
    import dataclasses

    a = dataclasses.replace(wit("P45", "x"), date="1945-08")
    b = dataclasses.replace(wit("T05", "x"), date="2005-03")
    c = dataclasses.replace(wit("W15", "x"), date="2015-07")
    assert map_columns(["print", "2005", "2015"], [a, b, c]) == {
        "print": "P45",
        "2005": "T05",
        "2015": "W15",
    }
    assert map_columns(["old", "new"], [a, b], {"old": "P45", "new": "T05"}) == {
        "old": "P45",
        "new": "T05",
    }
    with pytest.raises(FormatError):
        map_columns(["old", "new", "newer"], [a, b, c])
    with pytest.raises(FormatError):
        map_columns(["old"], [a], {"old": "NOPE"})


def test_comparable_keeps_offsets() -> None:
    text = "a \u201cb\u201d  \u2014 c"
    form, where = comparable(text)
    assert form == 'a "b" - c'
    assert [text[i] for i in where][2] == "\u201c"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proofbench.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_check_command_on_the_2015_page() -> None:
    out = run("check", "witnesses/2015-proofread.txt")
    assert out.returncode == 0, out.stderr
    # ball./hall. is not flagged: no context evidence from data yet (issue 9). On a proofread
    # page the word model's probabilities stay low (the text's own share of errors, by EM, is
    # tiny): Administator (about 0.001, among the page's 40 likeliest of 1,024 tokens) shows
    # with a lower threshold.
    for needle in ("'L,D.'", "'Written:July'"):
        assert needle in out.stdout
    assert "'Administator'" not in out.stdout
    low = run("check", "--min-confidence", "0.0005", "witnesses/2015-proofread.txt")
    assert "suspect-word 'Administator' -> 'Administrator'" in low.stdout


def test_check_command_on_a_missing_file() -> None:
    out = run("check", "no-such-file.txt")
    assert out.returncode == 2
    assert "no such file" in out.stderr


def test_evaluate_command_prints_the_figures() -> None:
    out = run(
        "evaluate",
        "witnesses/letter.toml",
        "tests/data/letter/answer-key.json",
        "--map",
        "print=P45",
        "--truth",
        "tests/data/letter/1945-print-truth.txt",
        "--ocr",
        "P45",
    )
    assert out.returncode == 0, out.stderr
    for label in (
        "precision:",
        "recall:",
        "class agreement:",
        "suggestion accuracy:",
        "OCR errors",
    ):
        assert label in out.stdout
    assert "recall: 100.0%" in out.stdout


def test_evaluate_command_refuses_a_bad_map() -> None:
    out = run(
        "evaluate", "witnesses/letter.toml", "tests/data/letter/answer-key.json", "--map", "x"
    )
    assert out.returncode == 2


def test_evaluate_a_new_text_by_dates(tmp_path: Path) -> None:
    from proofbench.classify import evaluate
    from proofbench.pipeline import collate

    (tmp_path / "old.txt").write_text(
        "It was a dark and stormy night in the hall.\n", encoding="utf-8"
    )
    (tmp_path / "new.txt").write_text(
        "It was a dark and stromy night in the the hall.\n", encoding="utf-8"
    )
    (tmp_path / "m.toml").write_text(
        '[collation]\ntitle = "t"\ntarget = "N"\n\n'
        '[[witness]]\nsiglum = "O"\ndate = "1900"\nfile = "old.txt"\n\n'
        '[[witness]]\nsiglum = "N"\ndate = "2000-01"\nderives_from = "O"\nfile = "new.txt"\n',
        encoding="utf-8",
    )
    key = [
        {"id": "K1", "1900": "dark and stormy night", "2000": "dark and stromy night",
         "class": "misspelling", "correct": "1900"},
        {"id": "K2", "1900": "in the hall", "2000": "in the the hall",
         "class": "addition", "correct": "1900"},
    ]  # fmt: skip
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    result = evaluate(collate(tmp_path / "m.toml"), tmp_path / "key.json")
    assert result.mapping == {"1900": "O", "2000": "N"}
    assert result.recall == 1.0
    assert [e.cls for e in result.entries] == ["misspelling", "addition"]
    assert result.class_agreement == 1.0
    assert result.precision == 1.0


def test_check_command_budget_flags_the_likeliest_words(tmp_path: Path) -> None:
    sentence = "The men walked along the road to the town and found the house empty. "
    page = tmp_path / "page.txt"
    page.write_text(sentence * 20 + "The nen walked home.\n", encoding="utf-8")
    words = len(page.read_text(encoding="utf-8").split())
    plain = run("check", str(page))
    budget = run("check", "--per-1000", "20", str(page))
    assert plain.returncode == 0 and budget.returncode == 0, plain.stderr + budget.stderr
    plain_words = plain.stdout.count("suspect-word")
    budget_words = budget.stdout.count("suspect-word")
    assert budget_words >= plain_words
    assert budget_words >= words * 20 // 1000
    assert "'nen'" in budget.stdout
    refused = run("check", "--per-1000", "-1", str(page))
    assert refused.returncode == 2
