"""--format collatex: CollateX's own JSON alignment table, read back by CollateX itself."""

from __future__ import annotations

import json

import pytest

from proofbench.model import Collation
from proofbench.render import RENDERERS, RenderOptions

collatex = pytest.importorskip(
    "collatex", reason="CollateX (pip install collatex) checks the shape"
)


def _table(c: Collation) -> dict:  # type: ignore[type-arg]
    return json.loads(RENDERERS["collatex"](c, RenderOptions()))


def test_same_shape_as_collatex_writes(letter: Collation) -> None:
    """Rows per witness, one cell per column, a cell a token list or null, CollateX's keys."""
    ours = _table(letter)
    theirs_collation = collatex.Collation()
    theirs_collation.add_plain_witness("A", "The cat sat on the mat")
    theirs_collation.add_plain_witness("B", "The black cat sat on mat")
    theirs = json.loads(collatex.collate(theirs_collation, output="json", segmentation=False))
    assert set(ours) == set(theirs) == {"witnesses", "table"}
    assert ours["witnesses"] == [w.siglum for w in letter.witnesses]
    assert len(ours["table"]) == len(ours["witnesses"])
    width = {len(row) for row in ours["table"]}
    assert width == {len(letter.alignment.columns)}
    their_keys = {k for row in theirs["table"] for cell in row if cell for tok in cell for k in tok}
    for row, sigil in zip(ours["table"], ours["witnesses"], strict=True):
        for cell in row:
            assert cell is None or (isinstance(cell, list) and cell)
            for tok in cell or ():
                assert their_keys <= set(tok) and tok["_sigil"] == sigil


def test_each_row_is_the_witness_text_once(letter: Collation) -> None:
    """Joined, a row's tokens are the witness's text words as written (apparatus left out):
    every word once, in order, moved passages too."""
    ours = _table(letter)
    for row, w in zip(ours["table"], letter.witnesses, strict=True):
        tokens = [tok for cell in row if cell for tok in cell]
        assert [t["start"] for t in tokens] == sorted(t["start"] for t in tokens)
        assert [t["start"] for t in tokens] == [t.start for t in w.text_tokens], w.siglum
        assert all(w.text[t["start"] : t["end"]] == t["t"].rstrip() for t in tokens)
        joined = "".join(t["t"] for t in tokens).split()
        assert joined == [word for tok in w.text_tokens for word in tok.t.split()]


def test_collatex_reads_the_tokens_back_and_collates_them(letter: Collation) -> None:
    """CollateX's JSON reader takes each row's tokens as a witness and collates them."""
    ours = _table(letter)
    witnesses = [
        {"id": sigil, "tokens": [tok for cell in row if cell for tok in cell][:60]}
        for sigil, row in zip(ours["witnesses"], ours["table"], strict=True)
    ]
    again = collatex.Collation.create_from_dict({"witnesses": witnesses})
    table = json.loads(collatex.collate(again, output="json", segmentation=False))
    assert table["witnesses"] == ours["witnesses"]
    for row, w in zip(table["table"], witnesses, strict=True):
        got = [tok["t"] for cell in row if cell for tok in cell]
        assert got == [tok["t"] for tok in w["tokens"]]
