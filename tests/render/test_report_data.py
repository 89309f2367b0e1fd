"""The report's script data (``ReportData``): its pieces join to ``tojson``'s text, and none is
much longer than ``PIECE_CHARS`` however many items or pages there are."""

from __future__ import annotations

import json

import pytest
from markupsafe import Markup

from proofbench.render import html
from proofbench.render.html import PIECE_CHARS, ReportData, _chunks


def _tojson(value: object) -> str:
    env = html._environment()
    return env.from_string("{{ data|tojson }}").render(data=value)


@pytest.mark.parametrize("count", [0, 1, 7, 2000])
def test_pieces_join_to_what_tojson_writes(count: int) -> None:
    items = [{"id": f"v-{i}", "r": {"A": "a <b> & 'c'", "B": "“d” — é"}} for i in range(count)]
    pages = [{"blocks": [["p", ["x" * 50, [i, "y"]]]], "cells": []} for i in range(count // 3)]
    values = {"target": "A", "length": 3}
    data = ReportData(
        values, {"items": [html._DUMPS(x) for x in items], "pages": [html._DUMPS(x) for x in pages]}
    )
    text = "".join(data.pieces())
    assert text == _tojson({**values, "items": items, "pages": pages})
    assert json.loads(text)["items"] == items


def test_a_long_list_comes_in_pieces_of_bounded_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "PIECE_CHARS", 1000)
    pages = [html._DUMPS({"text": "w" * 300, "n": i}) for i in range(100)]
    data = ReportData({}, {"pages": pages})
    pieces = list(data.pieces())
    page = max(len(p) for p in pages)
    assert len(pieces) > 10
    assert max(len(p) for p in pieces) < 1000 + page + 1
    assert "".join(pieces) == '{"pages":[' + ",".join(pages) + "]}"
    assert all(isinstance(p, Markup) for p in pieces)


def test_chunks_keep_order_and_every_part() -> None:
    parts = ["a" * n for n in (5, 1, 9, 3, 3, 3, 20, 1)]
    runs = list(_chunks(parts, 8))
    assert [p for r in runs for p in r] == parts
    assert all(sum(map(len, r)) >= 8 for r in runs[:-1])
    assert all(sum(map(len, r[:-1])) < 8 for r in runs)
    assert list(_chunks([], 8)) == []
    assert PIECE_CHARS >= 1 << 10
