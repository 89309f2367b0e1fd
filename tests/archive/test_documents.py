"""Finding an archive's documents: a folder, manifests, a CSV or TOML index; bad sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_support import write_document

from proofbench.archive import discover
from proofbench.errors import ManifestError, MissingFileError


def _doc(root: Path, name: str) -> Path:
    return write_document(root / name, ["one", "two", "three"], 1, name)


def test_folder_finds_manifests_keeps_broken_toml_and_skips_other_toml(tmp_path: Path) -> None:
    _doc(tmp_path, "b")
    _doc(tmp_path, "a/x")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[collation\n", encoding="utf-8")
    out = tmp_path / "out"
    _doc(out, "old-output")  # the archive's own output folder is never a source
    docs = discover([tmp_path], skip=[out])
    assert [d.id for d in docs] == ["a/x/doc", "b/doc", "bad"]
    assert all(Path(d.manifest).is_absolute() for d in docs)


def test_manifests_listed_take_ids_from_their_common_folder(tmp_path: Path) -> None:
    one, two = _doc(tmp_path, "p/one"), _doc(tmp_path, "q/two")
    assert [d.id for d in discover([two, one])] == ["p/one/doc", "q/two/doc"]


def test_csv_index_carries_tags_and_forced_ids(tmp_path: Path) -> None:
    _doc(tmp_path, "a")
    _doc(tmp_path, "b")
    index = tmp_path / "index.csv"
    index.write_text(
        "manifest,id,ocr,transcriber\na/doc.toml,,tesseract,MB\nb/doc.toml,second,kraken,\n",
        encoding="utf-8",
    )
    docs = discover([index])
    assert [(d.id, d.tags) for d in docs] == [
        ("a/doc", (("ocr", "tesseract"), ("transcriber", "MB"))),
        ("second", (("ocr", "kraken"), ("transcriber", ""))),
    ]


def test_toml_index(tmp_path: Path) -> None:
    _doc(tmp_path, "a")
    index = tmp_path / "archive.toml"
    index.write_text('[[document]]\nmanifest = "a/doc.toml"\nocr = "abbyy"\n', encoding="utf-8")
    (doc,) = discover([index])
    assert doc.id == "a/doc" and doc.tags == (("ocr", "abbyy"),)


def test_csv_index_without_manifest_column_names_the_file_and_line(tmp_path: Path) -> None:
    index = tmp_path / "index.csv"
    index.write_text("file,ocr\na.toml,x\n", encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        discover([index])
    assert str(info.value).startswith(f"{index}:1: ")
    assert "manifest" in str(info.value)


def test_index_row_naming_a_missing_manifest_names_the_row(tmp_path: Path) -> None:
    _doc(tmp_path, "a")
    index = tmp_path / "index.csv"
    index.write_text("manifest\na/doc.toml\nnot/there.toml\n", encoding="utf-8")
    with pytest.raises(MissingFileError) as info:
        discover([index])
    assert str(info.value).startswith(f"{index}:3: ")


def test_two_documents_with_one_id_and_empty_archives_are_refused(tmp_path: Path) -> None:
    _doc(tmp_path, "a")
    index = tmp_path / "index.csv"
    index.write_text("manifest,id\na/doc.toml,same\na/doc.toml,same\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="two documents with the id 'same'"):
        discover([index])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ManifestError, match="no documents found"):
        discover([tmp_path / "empty"])
    with pytest.raises(MissingFileError):
        discover([tmp_path / "nowhere"])


@pytest.mark.parametrize("bad", ["../escape", "/abs", "a/../b", "a//b", "."])
def test_an_index_id_must_stay_inside_the_output_folder(tmp_path: Path, bad: str) -> None:
    _doc(tmp_path, "a")
    index = tmp_path / "index.csv"
    index.write_text(f"manifest,id\na/doc.toml,{bad}\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="id must be a relative path"):
        discover([index])


def test_index_ids_reach_above_the_index_folder_only_when_a_manifest_is_there(
    tmp_path: Path,
) -> None:
    _doc(tmp_path, "a")
    _doc(tmp_path, "idx/b")
    index = tmp_path / "idx" / "index.csv"
    index.write_text("manifest\nb/doc.toml\n../a/doc.toml\n", encoding="utf-8")
    assert [d.id for d in discover([index])] == ["a/doc", "idx/b/doc"]
    index.write_text("manifest\nb/doc.toml\n", encoding="utf-8")
    assert [d.id for d in discover([index])] == ["b/doc"]
