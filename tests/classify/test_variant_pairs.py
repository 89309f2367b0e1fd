"""The spelling-variant list: its builder on tiny VarCon and AGID inputs, and the class rule that
reads what it built."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from proofbench.classify.classes import classify_pair, is_spelling_variant
from proofbench.classify.confusion import ConfusionModel
from proofbench.classify.data import DATA, spelling_variants
from proofbench.model import VariantClass as VC

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_variant_pairs.py"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_variant_pairs", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VARCON = """\
# acknowledgment <verified> (level 35)
A Cv: acknowledgment / Av B C: acknowledgement
A Cv: acknowledgment's / Av B C: acknowledgement's

# toward (level 10)
_: toward | <Adj>
_: toward / _.: towards | <Prep>

# chenix (level 80)
A Dv: chenix / B D: choenix # a comment / with: colons
Ax: alright / A B: all right
A Bx: Ameba / A B 1: amoeba
A B D 1: amoebas / Av Bv Dv 1: amoebae / Av Dv 2: amebas
"""

AGID = """\
burn V: burned, burnt 1 | burning | burns
show V: showed | shown, showed 1 | showing | shows
beat V: beat | beaten, beat | beating | beats
antenna N: antennas {TV}, antennae {insect}
pac V?: paced, packed | pacing, packing | pacs
old A: older, elder 1 | oldest, eldest 1
get V: got | gotten, got | getting | gets
forbid V: forbade, forbad, forbid 2 | forbidden | forbidding | forbids
hoof N: hoofs, hooves, hoofes? 1, hoofen~ 0.5
"""


def test_varcon_pairs_every_two_spellings_of_a_line() -> None:
    pairs = _builder().varcon_pairs(VARCON.splitlines())
    assert ("acknowledgement", "acknowledgment") in pairs
    # a pair scoped to a part of speech is one word's spellings in that use
    assert ("toward", "towards") in pairs
    assert ("chenix", "choenix") in pairs  # the trailing comment is not an entry
    # columns: every form of the line is a spelling of one word in that use
    assert {("amebas", "amoebas"), ("amoebae", "amoebas"), ("amebas", "amoebae")} <= pairs
    # an entry improper ("x") in every tag is a misspelling; one proper somewhere stays
    assert not any("alright" in p for p in pairs)
    assert ("ameba", "amoeba") in pairs
    # possessives and multi-word entries are left out, and no header becomes a pair
    assert not any("'" in a + b or " " in a + b for a, b in pairs)
    assert len(pairs) == 7


def test_agid_pairs_follow_find_var_and_leave_out_other_inflections() -> None:
    pairs = _builder().agid_pairs(AGID.splitlines())
    assert ("burned", "burnt") in pairs
    assert ("forbad", "forbade") in pairs  # forbid is level 2 in that slot, and the word itself
    assert ("hoofs", "hooves") in pairs  # the tagged forms are left out
    assert pairs == {("burned", "burnt"), ("forbad", "forbade"), ("hoofs", "hooves")}


def test_tab_groups_and_rows_are_sorted_and_name_their_first_source() -> None:
    b = _builder()
    also = b.tab_pairs(["Moslems\tMuslims\n", "abaci\tabacuses\t\n", "lone\n"])
    assert also == {("moslems", "muslims"), ("abaci", "abacuses")}
    text = b.rows({"varcon": {("b", "c")}, "varcon-also": {("b", "c"), ("a", "d")}})
    assert text == "a\td\tvarcon-also\nb\tc\tvarcon\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_builder_reads_a_git_commit_and_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    repo = tmp_path / "wordlist"
    files = {
        "varcon/varcon.txt": VARCON.replace("toward", "tow\xe4rd"),  # Latin-1, as VarCon is
        "varcon/variant-also.tab": "abaci\tabacuses\n",
        "agid/infl.txt": AGID,
        "scowl/Copyright": "Copyright 2000-2018 by Kevin Atkinson\n",
        "agid/README": "AGID\nCOPYRIGHT AND SOURCE:\n  Copyright 2000-2014 by Kevin Atkinson\n",
    }
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(text.encode("latin-1"))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "data")
    out = tmp_path / "out"
    out.mkdir()
    cmd = [str(SCRIPT), str(repo), "--commit", "HEAD", "--out", str(out)]
    subprocess.run([sys.executable, *cmd], check=True, capture_output=True)
    first = (out / "spelling-variants-en.tsv.gz").read_bytes()
    rows = gzip.decompress(first).decode("utf-8").splitlines()
    assert "towärd\ttowärds\tvarcon" in rows and "burned\tburnt\tagid" in rows
    assert "abaci\tabacuses\tvarcon-also" in rows
    notice = (out / "spelling-variants-en.COPYRIGHT").read_text(encoding="utf-8")
    assert "Copyright 2000-2018" in notice and "Copyright 2000-2014" in notice
    subprocess.run([sys.executable, *cmd], check=True, capture_output=True)
    assert (out / "spelling-variants-en.tsv.gz").read_bytes() == first
    missing = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "nowhere"), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "nowhere" in missing.stderr


def test_the_shipped_list_holds_attested_variants_and_no_different_words() -> None:
    pairs = spelling_variants()
    for a, b in (("toward", "towards"), ("enquire", "inquire"), ("burned", "burnt"),
                 ("colour", "color"), ("learnt", "learned")):  # fmt: skip
        assert (a, b) in pairs and (b, a) in pairs
    for a, b in (("shew", "show"), ("shewn", "shown"), ("four", "for"), ("wine", "vine"),
                 ("showed", "shown"), ("beat", "beaten"), ("older", "elder")):  # fmt: skip
        assert (a, b) not in pairs, (a, b)
    assert (DATA / "spelling-variants-en.COPYRIGHT").is_file()


@pytest.mark.parametrize(
    ("base", "dev"),
    [("towards", "toward"), ("inquire?”", 'enquire?"'), ("burnt,", "burned,"), ("Burnt", "burned")],
)
def test_attested_variants_are_classed_spelling_variants(base: str, dev: str) -> None:
    assert is_spelling_variant(base, dev)
    assert classify_pair(base, dev, ConfusionModel())[0] is VC.SPELLING_VARIANT


def test_an_unattested_archaism_is_not_made_a_variant() -> None:
    assert not is_spelling_variant("shown", "shewn")
    assert classify_pair("shown", "shewn", ConfusionModel())[0] is not VC.SPELLING_VARIANT
