"""Outputs never destroy an input: atomic writes, refusals, `-o -`, full and read-only disks."""

from __future__ import annotations

import errno
import hashlib
import shutil
import stat
from pathlib import Path
from typing import IO

import pytest
from cli_support import assert_one_line_error, run_cli

from proofbench.output import OutputError, manifest_inputs, write_text
from proofbench.pipeline import manifest_for

ROOT = Path(__file__).resolve().parents[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _full_disk_after(n: int, code: int = errno.ENOSPC):  # type: ignore[no-untyped-def]
    """A writer that gets ``n`` bytes onto the disk, then fails as a full (or read-only) one."""

    def sink(f: IO[bytes], data: bytes) -> None:
        f.write(data[:n])
        f.flush()
        raise OSError(code, "injected")

    return sink


@pytest.fixture()
def letter_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "witnesses"
    shutil.copytree(ROOT / "witnesses", dest)
    return dest


def test_write_replaces_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    write_text(out, "new text\n")
    assert out.read_text(encoding="utf-8") == "new text\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"], "no temporary left"


def test_a_new_file_gets_the_umask_default_not_mkstemps_0600(tmp_path: Path) -> None:
    out = tmp_path / "new.json"
    write_text(out, "{}\n")
    assert stat.S_IMODE(out.stat().st_mode) & 0o044, "readable by others as open() would make it"


@pytest.mark.parametrize(
    ("code", "reason"), [(errno.ENOSPC, "no space left"), (errno.EROFS, "read-only")]
)
def test_a_failed_write_leaves_the_previous_file_intact(
    tmp_path: Path, code: int, reason: str
) -> None:
    out = tmp_path / "report.html"
    previous = "<html>a good report</html>\n" * 1000
    out.write_text(previous, encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        write_text(out, "x" * 100_000, sink=_full_disk_after(4096, code))
    message = str(caught.value)
    assert str(out) in message and reason in message and "\n" not in message
    assert out.read_text(encoding="utf-8") == previous, "not truncated at 4,096 bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"], "temporary removed"


def test_a_destination_under_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        write_text(blocker / "out.json", "{}")


def test_protected_inputs_are_refused(letter_dir: Path) -> None:
    manifest = letter_dir / "letter.toml"
    inputs = manifest_inputs(manifest_for(manifest), letter_dir / "letter.review.db")
    names = {p.name for p in inputs}
    assert {"letter.toml", "2015-proofread.txt", "page-229.hocr", "letter.review.db"} <= names
    target = letter_dir / "2015-proofread.txt"
    before = _digest(target)
    with pytest.raises(OutputError, match="refusing to write over an input"):
        write_text(target, "overwritten", inputs)
    # The same file by another name (a symbolic link) is refused too.
    link = letter_dir / "alias.txt"
    link.symlink_to(target)
    with pytest.raises(OutputError):
        write_text(link, "overwritten", inputs)
    assert _digest(target) == before


def test_dash_writes_to_stdout(capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    write_text("-", "to the terminal\n")
    assert capsysbinary.readouterr().out == b"to the terminal\n"
    assert not (Path.cwd() / "-").exists()


# --- the commands ---------------------------------------------------------------------------


def test_collate_refuses_to_write_onto_a_witness_or_the_manifest(letter_dir: Path) -> None:
    for victim, fmt in (("2005-transcription.html", "html"), ("letter.toml", "json")):
        path = letter_dir / victim
        before = _digest(path)
        args = ["collate", str(letter_dir / "letter.toml"), "--format", fmt, "-o", str(path)]
        line = assert_one_line_error(run_cli(args), victim)
        assert "refusing" in line
        assert _digest(path) == before


def test_export_refuses_to_write_onto_the_review_store(letter_dir: Path) -> None:
    manifest = letter_dir / "letter.toml"
    store = letter_dir / "letter.review.db"
    from proofbench.review import open_store

    open_store(None, manifest).close()  # the store beside the manifest, created
    assert store.exists()
    before = _digest(store)
    args = ["decisions", "export", str(manifest), "--format", "csv", "-o", str(store)]
    assert "refusing" in assert_one_line_error(run_cli(args), "letter.review.db")
    assert _digest(store) == before


def test_apply_refuses_to_write_onto_the_target_witness(letter_dir: Path) -> None:
    target = letter_dir / "2015-proofread.txt"
    before = _digest(target)
    args = ["apply", str(letter_dir / "letter.toml"), "-o", str(target)]
    assert "refusing" in assert_one_line_error(run_cli(args), "2015-proofread.txt")
    assert _digest(target) == before
    assert not (letter_dir / "letter.review.db").exists(), "refused before opening the store"


def test_dash_output_is_stdout_not_a_file(letter_dir: Path) -> None:
    result = run_cli(["collate", "letter.toml", "--format", "csv", "-o", "-"], cwd=letter_dir)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("id,class,classes,")
    assert not (letter_dir / "-").exists()


def test_unwritable_destination_is_one_line(letter_dir: Path) -> None:
    blocker = letter_dir / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    args = ["collate", str(letter_dir / "letter.toml"), "-o", str(blocker / "r.json")]
    assert_one_line_error(run_cli(args), "r.json")
