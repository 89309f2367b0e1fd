"""The command line's traps of issue 15, each run in-process as a user would type it.

Stores are never created by reading; check takes what text takes and places every flag at a
line and column of the witness's own file; output formats follow the extension or are refused;
``-`` is standard input and output; ``--quiet``; one message for a missing file everywhere.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, for the shared helpers
from cli_support import ROOT, assert_one_line_error, command, run_cli, run_script

LETTER = ROOT / "witnesses" / "letter.toml"
HTML = ROOT / "witnesses" / "2005-transcription.html"
HOCR = ROOT / "witnesses" / "1945-print-ocr" / "page-229.hocr"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A manifest of two short plain-text witnesses, the second (the target) with slips."""
    (tmp_path / "a.txt").write_text("We went to the old hall and sat down.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("We went to the the old ball and sat down.\n", encoding="utf-8")
    m = tmp_path / "small.toml"
    m.write_text(
        '[collation]\ntitle = "Small"\n\n'
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n\n'
        '[[witness]]\nsiglum = "B"\nfile = "b.txt"\n',
        encoding="utf-8",
    )
    return m


# --- review stores: never created by reading ---------------------------------------------------


def test_apply_with_an_unknown_store_is_an_error_and_creates_nothing(small: Path) -> None:
    typo = small.parent / "typo.db"
    line = assert_one_line_error(run_cli(["apply", str(small), "--db", str(typo)]), str(typo))
    assert "no such review store" in line
    assert not typo.exists()


def test_apply_without_a_store_leaves_none_beside_the_manifest(small: Path) -> None:
    result = run_cli(["apply", str(small)])
    assert_one_line_error(result, "small.review.db")
    assert not (small.parent / "small.review.db").exists()
    for args in (["decisions", "export", str(small)], ["users", "list", "-m", str(small)]):
        assert_one_line_error(run_cli(args), "small.review.db")
    assert not (small.parent / "small.review.db").exists()


def test_users_add_creates_the_store_on_request_then_apply_reads_it(small: Path) -> None:
    db = small.parent / "small.review.db"
    made = run_cli(
        ["users", "add", "ed", "--role", "admin", "--password-stdin", "-m", str(small)],
        input="secret-pass\n",
    )
    assert made.code == 0, made.stderr
    assert db.is_file()
    applied = run_cli(["apply", str(small)])
    assert applied.code == 0, applied.stderr
    assert applied.stdout.startswith("We went to the the old ball")


def test_review_names_the_extra_when_its_stack_is_missing(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "proofbench.review", None)  # import fails as if absent
    line = assert_one_line_error(run_cli(["review", str(small)]))
    assert "[review]" in line and "pip install" in line


# --- check: like text, and line:column everywhere ---------------------------------------------


def test_check_a_manifest_checks_every_witness(small: Path) -> None:
    result = run_cli(["check", str(small)])
    assert result.code == 0, result.stderr
    assert re.search(r"b\.txt:1:\d+: doubled-word 'the the'", result.stdout), result.stdout
    by_siglum = run_cli(["check", "B", "-m", str(small)])
    assert by_siglum.code == 0 and by_siglum.stdout
    assert set(by_siglum.stdout.splitlines()) <= set(result.stdout.splitlines())
    assert_one_line_error(run_cli(["check", "Z", "-m", str(small)]), str(small), "'Z'")


def _at(path: Path, line: int, column: int) -> str:
    return path.read_text(encoding="utf-8", errors="replace").split("\n")[line - 1][column - 1 :]


@pytest.mark.parametrize("witness", [HTML, HOCR], ids=["html", "hocr"])
def test_check_places_flags_at_line_and_column_of_markup_files(witness: Path) -> None:
    result = run_cli(["check", str(witness.relative_to(ROOT))])
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    for out in lines:
        m = re.match(r"(.+?):(\d+):(\d+): \S+ '(.+?)'", out)
        assert m, out
        file, line, col, text = m[1], int(m[2]), int(m[3]), m[4]
        assert Path(ROOT / file) == witness
        here = _at(witness, line, col)
        first = re.match(r"\w+|\S", text)
        assert first
        if witness.suffix == ".hocr":  # the OCR word's element, holding the word
            assert here.startswith("<span") and first[0] in here.split("</span>")[0], out
        else:  # the word itself, where the file has it
            assert here.startswith(first[0]), (out, here[:40])


# --- outputs: the extension decides, or the command refuses ------------------------------------


def test_apply_refuses_an_extension_it_would_not_write(small: Path) -> None:
    out = small.parent / "x.html"
    line = assert_one_line_error(run_cli(["apply", str(small), "-o", str(out)]), str(out))
    assert "--format" in line and not out.exists()


def test_decisions_export_refuses_xlsx_and_follows_csv(small: Path) -> None:
    run_cli(
        ["users", "add", "ed", "--role", "admin", "--password-stdin", "-m", str(small)],
        input="secret-pass\n",
    )
    xlsx = small.parent / "log.xlsx"
    assert_one_line_error(run_cli(["decisions", "export", str(small), "-o", str(xlsx)]), "xlsx")
    assert not xlsx.exists()
    csv = small.parent / "log.csv"
    assert run_cli(["decisions", "export", str(small), "-o", str(csv)]).code == 0
    first = csv.read_text(encoding="utf-8").splitlines()[0]
    assert "," in first and not first.startswith(("[", "{"))
    js = run_cli(["decisions", "export", str(small), "-o", "-"])
    assert js.code == 0 and isinstance(json.loads(js.stdout), list | dict)


# --- standard input and output, --quiet --------------------------------------------------------


def test_dash_reads_standard_input_for_text_and_check() -> None:
    page = "Tbe first line.\nWe sat in the the hall.\n"
    text = run_cli(["text", "-"], input=page)
    assert text.code == 0, text.stderr
    assert text.stdout == page
    check = run_cli(["check", "-"], input=page)
    assert check.code == 0, check.stderr
    assert "<stdin>:2:11: doubled-word 'the the'" in check.stdout
    bad = run_cli(["text", "-"], input=b"\x00\x01\x02binary\xff")
    assert_one_line_error(bad, "<stdin>")


def test_dash_writes_standard_output_and_quiet_silences_notes(small: Path) -> None:
    out = run_cli(["collate", str(small), "-o", "-"])
    assert out.code == 0, out.stderr
    assert json.loads(out.stdout)["witnesses"]
    target = small.parent / "out.csv"
    loud = run_cli(["collate", str(small), "-o", str(target)])
    assert loud.code == 0 and f"wrote {target}" in loud.stderr
    quiet = run_cli(["--quiet", "collate", str(small), "-o", str(target)])
    assert quiet.code == 0 and quiet.stderr == "" and target.is_file()


# --- one message per kind of error --------------------------------------------------------------


def test_a_missing_file_reads_the_same_in_every_command(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.toml")
    lines = [
        assert_one_line_error(run_cli(args), gone)
        for args in (
            ["check", gone],
            ["text", gone],
            ["witnesses", gone],
            ["collate", gone],
            ["evaluate", gone, str(tmp_path)],
            ["evaluate", str(LETTER), gone],
            ["apply", gone],
        )
    ]
    assert {line.split(" (")[0] for line in lines} == {f"proofbench: {gone}: no such file"}


def test_without_a_target_the_last_witness_is_the_target_and_help_says_so(small: Path) -> None:
    out = run_cli(["collate", str(small), "--format", "json"])
    assert json.loads(out.stdout)["target"] == "B"
    assert "last witness" in run_cli(["--help"]).stdout
    assert "last witness" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_reports_are_reproducible_with_source_date_epoch(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795850456")
    runs = [run_cli(["collate", str(small), "--format", "html"]).stdout for _ in range(2)]
    assert runs[0] == runs[1] and 'datetime="2026-11-28T07:20:56Z"' in runs[0]
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"SOURCE_DATE_EPOCH=\S+ \$\(BIN\)/proofbench collate", make)


def test_the_installed_script_maps_errors_the_same(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.txt")
    line = assert_one_line_error(run_script(["text", gone]), gone)
    assert line.startswith(f"proofbench: {gone}: no such file")


# --- progress: every stage on a terminal, nothing when piped ------------------------------------


def test_progress_bars_for_every_stage_on_a_terminal_and_none_when_piped(
    small: Path, tmp_path: Path
) -> None:
    import os
    import pty
    import subprocess

    out = tmp_path / "r.html"
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [*command(), "collate", str(small), "-o", str(out), "-o", str(tmp_path / "r.json")],
            stdout=subprocess.DEVNULL,
            stderr=slave,
            cwd=ROOT,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the pty closes when the process ends
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=120) == 0
    finally:
        os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    for stage in ("loading", "tokenizing", "aligning", "classifying", "rendering"):
        assert re.search(rf"{stage}\s+\[#+\] (\d+)/\1 \d+\.\d s", terminal), (stage, terminal)
    piped = run_script(["collate", str(small), "-o", str(out)])
    assert piped.code == 0 and "[#" not in piped.stderr and "[." not in piped.stderr
    assert piped.err_lines == [f"wrote {out} (html)"]


def test_review_names_the_extra_when_only_the_web_app_is_missing(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "proofbench.review.app", None)  # Flask absent
    line = assert_one_line_error(run_cli(["review", str(small)]))
    assert "[review]" in line
