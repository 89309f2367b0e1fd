"""The CLI of the foundation: help, ``witnesses`` and ``text``, and every bad input of issue 2.

Each bad input is run as a user runs it (a subprocess) and must give exit status 2 and exactly
one line on stderr naming the file (and the line where there is one), never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, for the shared helpers
from cli_support import assert_one_line_error, run_cli
from foundation_support import FOUNDATION, LETTER, W15_FILE

from proofbench.cli import cli
from proofbench.pipeline import load

# --- help -------------------------------------------------------------------------------------


def test_top_level_help() -> None:
    result = run_cli(["--help"])
    assert result.code == 0 and result.stderr == ""
    assert "collate witnesses of a text" in result.stdout
    for name in ("witnesses", "text", "collate"):
        assert name in result.stdout


def _command_paths() -> list[list[str]]:
    paths = []
    for name, cmd in sorted(cli.commands.items()):
        paths.append([name])
        for sub in sorted(getattr(cmd, "commands", {})):
            paths.append([name, sub])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_every_command_has_help(path: list[str]) -> None:
    result = run_cli([*path, "--help"])
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    usage = result.stdout.splitlines()[0]
    assert f" {' '.join(path)} " in usage or usage.endswith(f" {' '.join(path)}"), usage
    # A description follows the usage line: the command says what it does.
    body = result.stdout.split("\n\n", 1)[1].strip()
    assert body and not body.startswith("Options:"), result.stdout


def test_witnesses_and_text_help_describe_them() -> None:
    w = run_cli(["witnesses", "-h"])
    assert w.code == 0 and "List the witnesses of MANIFEST" in w.stdout
    assert "confidence" in w.stdout
    t = run_cli(["text", "--help"])
    assert t.code == 0 and "FILE_OR_SIGLUM" in t.stdout
    assert "--apparatus / --no-apparatus" in t.stdout and "--manifest" in t.stdout


# --- witnesses ---------------------------------------------------------------------------------


def test_witnesses_lists_the_letter() -> None:
    result = run_cli(["witnesses", str(LETTER)])
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split()
    assert header == [
        "siglum", "kind", "date", "from", "files", "tokens", "apparatus", "pages", "conf",
    ]  # fmt: skip
    rows = {ln.split()[0]: ln for ln in lines[1:]}
    assert list(rows) == ["P45", "T05", "W15"]
    _, witnesses = load(LETTER)
    for w in witnesses:
        row = rows[w.siglum]
        assert w.kind.value in row and w.date in row
        assert f"  {len(w.text_tokens)}  " in row
        assert len(w.text_tokens) > 500
    p45 = witnesses[0]
    assert "page-229.hocr, page-230.hocr" in rows["P45"]
    assert p45.mean_confidence is not None
    assert rows["P45"].split()[-1] == f"{p45.mean_confidence:.1f}"
    assert rows["P45"].split()[-2] == "2"  # pages
    assert rows["T05"].split()[-1] == "-" and " P45 " in rows["T05"]
    assert " T05 " in rows["W15"] and "2015-proofread.txt" in rows["W15"]


# --- text --------------------------------------------------------------------------------------


def test_text_of_a_file() -> None:
    result = run_cli(["text", str(W15_FILE)])
    assert result.code == 0, result.stderr
    assert "Dear Friends," in result.stdout


def test_text_apparatus_of_web_witnesses() -> None:
    t05 = run_cli(["text", "T05", "-m", str(LETTER)])
    assert t05.code == 0
    assert "\u27e6header: Written: July 31, 1945." in t05.stdout
    assert "\u27e6footer: Natalia Sedova Archive" in t05.stdout
    bare = run_cli(["text", "W15", "-m", str(LETTER), "--no-apparatus"])
    assert bare.code == 0
    assert "Written:" not in bare.stdout and "Last updated on" not in bare.stdout
    assert "Dear Friends," in bare.stdout


# --- encodings ---------------------------------------------------------------------------------


def test_invalid_utf8_names_file_and_byte(tmp_path: Path) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes(b"Dear Friends,\ncaf\xe9\n")
    line = assert_one_line_error(run_cli(["text", str(bad)]), str(bad), "byte 17")
    assert "encoding" in line


def test_manifest_encoding_makes_it_load(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(b"Dear Friends,\ncaf\xe9\n")
    m = tmp_path / "m.toml"
    m.write_text('[[witness]]\nsiglum = "L"\nfile = "latin.txt"\nencoding = "latin-1"\n')
    result = run_cli(["text", "L", "-m", str(m)])
    assert result.code == 0, result.stderr
    assert "café" in result.stdout


# --- bad input: one line, exit status 2 --------------------------------------------------------


def _manifest(tmp_path: Path, body: str, name: str = "m.toml") -> Path:
    (tmp_path / "a.txt").write_text("some words\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("other words\n", encoding="utf-8")
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_missing_file_as_argument(tmp_path: Path) -> None:
    path = tmp_path / "nothere.txt"
    assert_one_line_error(run_cli(["text", str(path)]), str(path))


def test_missing_manifest(tmp_path: Path) -> None:
    path = tmp_path / "nothere.toml"
    assert_one_line_error(run_cli(["witnesses", str(path)]), str(path))


def test_missing_witness_file_in_manifest(tmp_path: Path) -> None:
    m = _manifest(tmp_path, '[[witness]]\nsiglum = "A"\nfile = "gone.txt"\n')
    assert_one_line_error(run_cli(["witnesses", str(m)]), str(tmp_path / "gone.txt"))


def test_directory_instead_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    assert_one_line_error(run_cli(["text", str(tmp_path / "folder")]), str(tmp_path / "folder"))
    m = _manifest(tmp_path, '[[witness]]\nsiglum = "A"\nfile = "folder"\n')
    assert_one_line_error(run_cli(["witnesses", str(m)]), str(tmp_path / "folder"))
    assert_one_line_error(run_cli(["witnesses", str(tmp_path)]), str(tmp_path))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "secret.txt"
    path.write_text("words\n", encoding="utf-8")
    path.chmod(0)
    assert_one_line_error(run_cli(["text", str(path)]), str(path))


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 8)
    line = assert_one_line_error(run_cli(["text", str(path)]), str(path))
    assert "binary" in line


def test_unknown_format(tmp_path: Path) -> None:
    m = _manifest(tmp_path, '[[witness]]\nsiglum = "A"\nfile = "a.txt"\nformat = "nope"\n')
    line = assert_one_line_error(run_cli(["witnesses", str(m)]), str(tmp_path / "a.txt"))
    assert "unknown format 'nope'" in line


def test_malformed_xml_broken_hocr() -> None:
    broken = FOUNDATION / "broken.hocr"
    line = assert_one_line_error(run_cli(["text", str(broken)]), str(broken))
    assert f"{broken}:21:" in line and "malformed XML" in line


def test_empty_html(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body>  </body></html>\n", encoding="utf-8")
    assert_one_line_error(run_cli(["text", str(path)]), str(path))


def test_malformed_json(tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"witnesses": [{"id": "A", "content": "a b"},\n', encoding="utf-8")
    line = assert_one_line_error(run_cli(["text", str(path)]), str(path))
    assert "malformed JSON" in line and f"{path}:" in line
    assert_one_line_error(run_cli(["witnesses", str(path)]), str(path))


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \n\n\t\n"])
def test_empty_witness(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    line = assert_one_line_error(run_cli(["text", str(path)]), str(path))
    assert "no text" in line


MANIFEST_ERRORS = {
    "unknown keys": ('[[witness]]\nsiglum = "A"\nfile = "a.txt"\nsource = "x"\n', "unknown key"),
    "duplicate sigla": (
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n[[witness]]\nsiglum = "A"\nfile = "b.txt"\n',
        "duplicate siglum",
    ),
    "unknown derives_from": (
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\nderives_from = "Z"\n',
        "'Z', which is no witness",
    ),
    "cycle in derives_from": (
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\nderives_from = "B"\n'
        '[[witness]]\nsiglum = "B"\nfile = "b.txt"\nderives_from = "A"\n',
        "cycle",
    ),
    "target that is no witness": (
        '[collation]\ntarget = "W15"\n[[witness]]\nsiglum = "A"\nfile = "a.txt"\n',
        "target 'W15'",
    ),
}


@pytest.mark.parametrize("case", list(MANIFEST_ERRORS))
def test_bad_manifest(tmp_path: Path, case: str) -> None:
    body, message = MANIFEST_ERRORS[case]
    m = _manifest(tmp_path, body)
    line = assert_one_line_error(run_cli(["witnesses", str(m)]), str(m))
    assert message in line
    # The same manifest, given to `text`, is refused the same way.
    assert_one_line_error(run_cli(["text", "A", "-m", str(m)]), str(m))


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    m = _manifest(tmp_path, '[collation]\ntitle = "x"\n\n[[witness]]\nsiglum = A\nfile = "a.txt"\n')
    line = assert_one_line_error(run_cli(["witnesses", str(m)]), f"{m}:5:")
    assert "malformed TOML" in line
