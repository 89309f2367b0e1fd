"""Manifests: the letter's, and every way a manifest can be wrong (each a located ManifestError)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helpers
from foundation_support import LETTER, P45_FILES, T05_FILE, W15_FILE

from proofbench.errors import ManifestError, MissingFileError
from proofbench.model import Kind
from proofbench.pipeline import load
from proofbench.witness.manifest import load_manifest, parse_manifest

GOOD = """
[collation]
title = "T"
target = "B"
[[witness]]
siglum = "A"
file = "a.txt"
[[witness]]
siglum = "B"
derives_from = "A"
files = ["b1.txt", "b2.txt"]
"""


def test_letter_manifest() -> None:
    m = load_manifest(LETTER)
    assert m.title.startswith("A Message from Natalia Sedov Trotsky")
    assert m.target == "W15" and m.profile == "default"
    assert [w.siglum for w in m.witnesses] == ["P45", "T05", "W15"]
    p45, t05, w15 = m.witnesses
    assert p45.kind is Kind.OCR and p45.derives_from is None and p45.date == "1945-08"
    assert tuple(Path(f).resolve() for f in p45.files) == tuple(f.resolve() for f in P45_FILES)
    assert t05.kind is Kind.TRANSCRIPTION and t05.derives_from == "P45"
    assert Path(t05.files[0]).resolve() == T05_FILE.resolve()
    assert t05.apparatus_selectors == ("p.title", "p.information", "p.footer")
    assert w15.kind is Kind.PROOFREAD and w15.derives_from == "T05"
    assert Path(w15.files[0]).resolve() == W15_FILE.resolve()
    assert "Last updated on:.*" in w15.apparatus_patterns


def test_paths_are_relative_to_the_manifest() -> None:
    m = parse_manifest(GOOD, "/some/where/m.toml")
    a, b = m.witnesses
    assert a.files == (str(Path("/some/where/a.txt")),)
    assert b.files == (str(Path("/some/where/b1.txt")), str(Path("/some/where/b2.txt")))
    assert b.derives_from == "A" and m.target == "B"
    assert m.spec("B") is b
    with pytest.raises(KeyError):
        m.spec("Z")


def test_title_defaults_to_file_stem() -> None:
    m = parse_manifest('[[witness]]\nsiglum = "A"\nfile = "a.txt"\n', "/x/my-letter.toml")
    assert m.title == "my-letter" and m.target is None


BAD = {
    "unknown top key": ('nope = 1\n[[witness]]\nsiglum = "A"\nfile = "a"\n', "unknown key nope"),
    "unknown collation key": (
        '[collation]\ntitel = "x"\n[[witness]]\nsiglum = "A"\nfile = "a"\n',
        "unknown key titel",
    ),
    "unknown witness key": ('[[witness]]\nsiglum = "A"\nfile = "a"\nsiglm = "B"\n', "siglm"),
    "unknown apparatus key": (
        '[[witness]]\nsiglum = "A"\nfile = "a"\napparatus.selector = ["p"]\n',
        "selector",
    ),
    "no witness": ('[collation]\ntitle = "x"\n', "no [[witness]]"),
    "no file": ('[[witness]]\nsiglum = "A"\n', "no file"),
    "file and files": ('[[witness]]\nsiglum = "A"\nfile = "a"\nfiles = ["b"]\n', "not both"),
    "bad siglum": ('[[witness]]\nsiglum = "two words"\nfile = "a"\n', "siglum"),
    "bad kind": ('[[witness]]\nsiglum = "A"\nfile = "a"\nkind = "photo"\n', "unknown kind"),
    "duplicate sigla": (
        '[[witness]]\nsiglum = "A"\nfile = "a"\n[[witness]]\nsiglum = "A"\nfile = "b"\n',
        "duplicate siglum 'A'",
    ),
    "unknown derives_from": (
        '[[witness]]\nsiglum = "A"\nfile = "a"\nderives_from = "Q"\n',
        "derives_from 'Q', which is no witness",
    ),
    "cycle": (
        '[[witness]]\nsiglum = "A"\nfile = "a"\nderives_from = "B"\n'
        '[[witness]]\nsiglum = "B"\nfile = "b"\nderives_from = "A"\n',
        "cycle",
    ),
    "self cycle": ('[[witness]]\nsiglum = "A"\nfile = "a"\nderives_from = "A"\n', "cycle"),
    "bad target": (
        '[collation]\ntarget = "Z"\n[[witness]]\nsiglum = "A"\nfile = "a"\n',
        "target 'Z' is no witness",
    ),
    "non-string date": ('[[witness]]\nsiglum = "A"\nfile = "a"\ndate = 1945\n', "date"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_manifest(case: str) -> None:
    text, message = BAD[case]
    with pytest.raises(ManifestError) as info:
        parse_manifest(text, "/x/m.toml")
    assert message in str(info.value)
    assert info.value.file == "/x/m.toml"


def test_malformed_toml_names_the_line() -> None:
    text = '[collation]\ntitle = "x"\n\n[[witness]]\nsiglum = "A\nfile = "a"\n'
    with pytest.raises(ManifestError, match="malformed TOML") as info:
        parse_manifest(text, "/x/m.toml")
    assert info.value.line == 5
    assert str(info.value).startswith("/x/m.toml:5:")


def test_missing_manifest_file(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError):
        load_manifest(tmp_path / "none.toml")


def test_unknown_profile_is_refused_on_load(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("words\n", encoding="utf-8")
    m = tmp_path / "m.toml"
    m.write_text('[collation]\nprofile = "loose"\n[[witness]]\nsiglum = "A"\nfile = "a.txt"\n')
    with pytest.raises(ManifestError, match="unknown normalization profile 'loose'"):
        load(m)


def test_manifest_encoding_reaches_the_loader(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"caf\xe9 cr\xe8me\n")
    m = tmp_path / "m.toml"
    m.write_text('[[witness]]\nsiglum = "A"\nfile = "a.txt"\nencoding = "latin-1"\n')
    _, (w,) = load(m)
    assert [t.t for t in w.tokens] == ["café", "crème"]
