"""Identical witnesses: two sigla over the same (or byte-identical) files load to the same text.

Loading is a function of the files and the spec: two witnesses that differ only in siglum get
the same text, tokens, sources, apparatus and hyphen decisions, and stay two witnesses.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the CLI helper
from cli_support import run_cli

from proofbench.model import Witness
from proofbench.pipeline import load

ROOT = Path(__file__).resolve().parents[2]
LETTER = ROOT / "witnesses"
FILES = {
    "hocr": ["1945-print-ocr/page-229.hocr", "1945-print-ocr/page-230.hocr"],
    "html": ["2005-transcription.html"],
    "text": ["2015-proofread.txt"],
}


def _manifest(tmp_path: Path, fmt: str, copy: bool) -> Path:
    """A manifest of witnesses A and B over the letter's files: the same files, or copies."""
    names = FILES[fmt]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LETTER / name, tmp_path / name)
        if copy:
            (tmp_path / "copy" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(LETTER / name, tmp_path / "copy" / name)
    b_names = [f"copy/{n}" for n in names] if copy else names
    path = tmp_path / "twins.toml"
    path.write_text(
        f'[[witness]]\nsiglum = "A"\nfiles = {names!r}\n'
        f'[[witness]]\nsiglum = "B"\nderives_from = "A"\nfiles = {b_names!r}\n',
        encoding="utf-8",
    )
    return path


def _shape(w: Witness) -> list[tuple[object, ...]]:
    """What must agree between identical witnesses: everything but the siglum and file path."""
    return [
        (
            t.t,
            t.n,
            t.start,
            t.end,
            t.norm,
            t.hyphenation,
            t.apparatus,
            None if t.source is None else (t.source.page, t.source.line, t.source.bbox),
            None if t.source is None else t.source.confidence,
        )
        for t in w.tokens
    ]


@pytest.mark.parametrize("copy", [False, True], ids=["same-files", "copied-files"])
@pytest.mark.parametrize("fmt", sorted(FILES))
def test_identical_witnesses_load_alike(tmp_path: Path, fmt: str, copy: bool) -> None:
    _, (a, b) = load(_manifest(tmp_path, fmt, copy))
    assert (a.siglum, b.siglum) == ("A", "B")
    assert a.format == b.format == fmt
    assert a.text == b.text and a.text.strip()
    assert a.tokens and _shape(a) == _shape(b)
    assert [(x.start, x.end, x.kind) for x in a.apparatus] == [
        (x.start, x.end, x.kind) for x in b.apparatus
    ]
    assert a.blocks == b.blocks and a.pages == b.pages
    assert b.derives_from == "A"
    if copy:
        assert all("copy" in t.source.file for t in b.tokens if t.source is not None)


def test_cli_lists_identical_witnesses_with_equal_counts(tmp_path: Path) -> None:
    result = run_cli(["witnesses", str(_manifest(tmp_path, "hocr", copy=True))])
    assert result.code == 0, result.stderr
    rows = {ln.split()[0]: ln.split() for ln in result.stdout.splitlines()[1:] if ln.strip()}
    assert set(rows) == {"A", "B"}
    # kind, date, from differ only in derives_from; files, tokens, apparatus, pages, conf agree.
    assert rows["A"][-4:] == rows["B"][-4:]
    assert rows["A"][-2] == "2"
