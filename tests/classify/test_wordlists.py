"""The manifest's word lists (guiguts-style good words, bad words, a user's scanno list),
honoured by ``check``, by the collation's flags and by ``in_dictionary`` (the weighing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run_cli

from proofbench.classify import check
from proofbench.classify.wordlists import WordLists, from_manifest, read_scannos, using
from proofbench.errors import FormatError, ManifestError
from proofbench.pipeline import collate, manifest_for, witness_from_text
from proofbench.text.lexicon import in_dictionary, is_good_word
from proofbench.witness.manifest import parse_manifest

TEXT = (
    "The old house stood on the hill above the river, and the qwzrtel of the farm was open "
    "to the wind. He went arid came back.\n"
)


def _flagged(lists: WordLists) -> dict[str, str]:
    with using(lists):
        return {f.text: f.check for f in check(witness_from_text("A", TEXT))}


def test_without_lists_the_model_flags_the_nonword() -> None:
    assert "qwzrtel" in _flagged(WordLists())
    assert "hill" not in _flagged(WordLists())


def test_good_word_is_never_flagged_and_counts_as_a_dictionary_word() -> None:
    assert not in_dictionary("qwzrtel")
    assert "qwzrtel" not in _flagged(WordLists(good=frozenset({"qwzrtel"})))
    with using(WordLists(good=frozenset({"qwzrtel"}))):
        assert in_dictionary("qwzrtel") and in_dictionary("Qwzrtel") and is_good_word("QWZRTEL")
    assert not in_dictionary("qwzrtel")  # the block ends, the word is unknown again


def test_bad_word_is_always_flagged() -> None:
    got = _flagged(WordLists(bad=frozenset({"hill"})))
    assert got["hill"] == "bad-word"


def test_scanno_list_flags_with_its_reading(tmp_path: Path) -> None:
    text_list = tmp_path / "scannos.txt"
    text_list.write_text("# a user's list\narid and\nmodem\n", encoding="utf-8")
    assert read_scannos(str(text_list)) == {"arid": "and", "modem": None}
    json_list = tmp_path / "scannos.json"
    json_list.write_text(json.dumps({"scannos": [{"match": "arid", "replacement": "and"}]}))
    assert read_scannos(str(json_list)) == {"arid": "and"}
    with using(WordLists(scannos=read_scannos(str(json_list)))):
        flags = [f for f in check(witness_from_text("A", TEXT)) if f.text == "arid"]
    assert [(f.check, f.suggestion) for f in flags] == [("scanno", "and")]


def test_bad_scanno_file_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("arid and more\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad\.txt:1"):
        read_scannos(str(bad))


def _manifest(tmp_path: Path, collation: str) -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("wind", "winds"), encoding="utf-8")
    m = tmp_path / "m.toml"
    m.write_text(
        f'[collation]\ntitle = "T"\ntarget = "B"\n{collation}\n'
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n\n'
        '[[witness]]\nsiglum = "B"\nfile = "b.txt"\n',
        encoding="utf-8",
    )
    return m


def test_manifest_keys_inline_and_from_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("qwzrtel  # a name\n\nTambov\n", encoding="utf-8")
    m = _manifest(tmp_path, 'good_words = "good.txt"\nbad_words = ["hill"]\nscannos = "s.txt"')
    manifest = manifest_for(m)
    assert manifest.good_words == ("qwzrtel", "Tambov")
    assert manifest.bad_words == ("hill",)
    assert manifest.scanno_list == str(tmp_path / "s.txt")
    with pytest.raises(ManifestError, match="scannos must be a file path"):
        parse_manifest('[collation]\nscannos = 3\n[[witness]]\nsiglum="A"\nfile="a.txt"\n', "x")
    (tmp_path / "s.txt").write_text("arid and\n", encoding="utf-8")
    assert from_manifest(manifest).scannos == {"arid": "and"}


def test_collate_honours_the_lists(tmp_path: Path) -> None:
    plain = {f.text: f.check for f in collate(_manifest(tmp_path, "")).flags}
    assert "qwzrtel" in plain and "hill" not in plain
    listed = _manifest(tmp_path, 'good_words = ["qwzrtel"]\nbad_words = ["hill"]')
    got = {f.text: f.check for f in collate(listed).flags}
    assert "qwzrtel" not in got and got["hill"] == "bad-word"


def test_check_command_honours_the_lists(tmp_path: Path) -> None:
    m = _manifest(tmp_path, 'good_words = ["qwzrtel"]\nbad_words = ["hill"]')
    out = run_cli(["check", "B", "-m", str(m)])
    assert out.code == 0
    assert "bad-word 'hill'" in out.stdout and "qwzrtel" not in out.stdout
    missing = _manifest(tmp_path, 'scannos = "nowhere.txt"')
    err = run_cli(["check", "B", "-m", str(missing)])
    assert err.code == 2 and "nowhere.txt" in err.stderr
