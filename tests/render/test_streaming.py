"""Streamed and atomic writing: the pieces a file is written in, and what a failure leaves."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import hostile_collation

from proofbench.model import Collation
from proofbench.output import write_pieces
from proofbench.render import RENDERERS, STREAMS, RenderOptions, write
from proofbench.render.collation_json import iter_json


@pytest.mark.parametrize("fmt", sorted(STREAMS))
def test_streamed_file_is_the_rendered_text(
    pivot_letter: Collation, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"r.{fmt}"
    write(pivot_letter, [out], fmt=fmt)
    assert out.read_bytes() == RENDERERS[fmt](pivot_letter, RenderOptions()).encode("utf-8")


def test_json_with_every_word_streams_as_it_renders(pivot_letter: Collation) -> None:
    options = RenderOptions(json_tokens=True)
    text = "".join(iter_json(pivot_letter, options))
    assert text == RENDERERS["json"](pivot_letter, options)
    data = json.loads(text)
    assert all(len(w["words"]) > 0 for w in data["witnesses"])


def test_json_pieces_join_to_valid_json_with_one_line_per_item(pivot_letter: Collation) -> None:
    pieces = list(iter_json(pivot_letter, RenderOptions()))
    assert len(pieces) > len(pivot_letter.variants)  # written piece by piece, not whole
    text = "".join(pieces)
    data = json.loads(text)
    assert len(data["variants"]) == len(pivot_letter.variants) > 0
    lines = text.splitlines()
    assert sum(1 for ln in lines if ln.startswith('  {"class":')) == len(data["variants"])
    assert sum(1 for ln in lines if ln.startswith('   {"kind"')) == len(
        data["alignment"]["columns"]
    )


def test_empty_lists_and_hostile_text_stream_like_json_dumps() -> None:
    import dataclasses

    c = hostile_collation()
    empty = dataclasses.replace(c, variants=(), flags=())
    for col in (c, empty):
        text = "".join(iter_json(col, RenderOptions()))
        data = json.loads(text)
        assert text == RENDERERS["json"](col, RenderOptions())
        assert len(data["variants"]) == len(col.variants)
    assert '"flags": [],' in "".join(iter_json(empty, RenderOptions()))


def test_a_failure_midway_leaves_the_old_file_and_no_litter(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("old\n", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "new, half"
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_pieces(out, pieces())
    assert out.read_text("utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["r.json"]


def test_written_file_is_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_pieces(tmp_path / "r.txt", ["x"])
    finally:
        os.umask(mask)
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o644
