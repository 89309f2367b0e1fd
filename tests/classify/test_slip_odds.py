"""The odds of an OCR confusion against a human slip: the slips' builder on a tiny input, and the
class rule that reads both sides' counts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from proofbench.classify.classes import classify_pair, ocr_odds
from proofbench.classify.confusion import ConfusionModel
from proofbench.classify.data import DATA, piece_counts
from proofbench.model import VariantClass as VC

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_slips.py"
QUERY = """\
// Generated from http://en.wikipedia.org/wiki/Wikipedia:Lists_of_common_misspellings/For_machines
predicate typos(string wrong, string right) {
  wrong = "seperate" and right = "separate"
  or
  wrong = "recieve" and right = "receive"
  or
  wrong = "untill" and right = "until"
}
"""


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_slips", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_slips_are_read_right_then_wrong_and_their_pieces_counted() -> None:
    b = _builder()
    pairs = b.slips(QUERY)
    assert pairs == [("separate", "seperate"), ("receive", "recieve"), ("until", "untill")]
    counts = b.count(pairs)
    # "recieve": an "i" put in before the "e" and taken out after it, two pieces
    assert counts == Counter({("a", "e"): 1, ("", "i"): 1, ("i", ""): 1, ("", "l"): 1})


def test_builder_reads_a_git_commit(tmp_path: Path) -> None:
    repo = tmp_path / "queries"
    path = repo / "javascript" / "Expressions" / "TypoDatabase.qll"
    path.parent.mkdir(parents=True)
    path.write_text(QUERY, encoding="utf-8")
    commit = ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"]
    for args in (["init", "-q"], ["add", "."], commit):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    out = tmp_path / "slips.tsv"
    cmd = [sys.executable, str(SCRIPT), str(repo), "--commit", "HEAD", "--out", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)
    rows = [r for r in out.read_text(encoding="utf-8").splitlines() if not r.startswith("#")]
    assert rows == ["\ti\t1", "\tl\t1", "a\te\t1", "i\t\t1"]
    missing = subprocess.run([*cmd[:2], str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert missing.returncode == 2 and "nowhere" in missing.stderr


def test_the_odds_weigh_what_ocr_engines_and_people_each_make() -> None:
    ocr, human = piece_counts()
    assert sum(ocr.values()) > 5000 and sum(human.values()) > 5000
    # a digit for a letter: engines do it, people hardly ever
    assert ocr_odds([("l", "1")]) > 1 and ocr_odds([("1", "l")]) > 1
    # a vowel for a vowel and a letter doubled are people's slips
    assert ocr_odds([("a", "e")]) < 1 and ocr_odds([("", "l")]) < 1
    # a piece neither source made: as likely as the sources' sizes say, the same every time
    assert ocr_odds([("qq", "zz")]) == ocr_odds([("xx", "ww")])
    assert ocr_odds([("h", "b"), ("l", "1")]) == pytest.approx(
        ocr_odds([("h", "b")]) * ocr_odds([("l", "1")])
    )
    head = (DATA / "human-slips.tsv").read_text(encoding="utf-8").splitlines()[:3]
    assert any("scripts/build_slips.py" in line for line in head)


@pytest.mark.parametrize(
    ("base", "dev", "cls"),
    [
        ("tools", "too1s", VC.OCR_CONFUSION),  # a transcription keeps an OCR's digit
        ("vital", "vita1", VC.OCR_CONFUSION),
        ("letter", "latter", VC.SUBSTITUTION),  # a vowel for a vowel: a person's slip
        ("accommodate", "acommodate", VC.MISSPELLING),  # a doubled letter written once
    ],
)
def test_a_transcription_s_difference_is_classed_by_the_odds(base: str, dev: str, cls: VC) -> None:
    assert classify_pair(base, dev, ConfusionModel())[0] is cls
