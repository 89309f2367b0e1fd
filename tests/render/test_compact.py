"""``collation_json.compact``: one line of JSON for an item, as ``json.dumps`` writes it."""

from __future__ import annotations

import json
import math

import pytest

from proofbench.render import collation_json
from proofbench.render.collation_json import compact

VALUES = [
    {"b": 1, "a": [1.5, -0.0, 1e300, 3.000000000000001], "c": None, "d": True},
    {"text": "“quoted” — é \u2028 \x00 </script> <!-- & '", "n": {"z": [], "y": {}}},
    [{"k": 2, "j": (1, 2)}, "x", 0.1 + 0.2, math.inf, -math.inf],
    "a <b> string",
    "",
    7,
    None,
    [],
    {"nested": [[[{"deep": ["ö"]}]]], "1": "one", "10": "ten", "2": "two"},
]


@pytest.mark.parametrize("value", VALUES)
def test_compact_writes_what_json_dumps_writes(value: object) -> None:
    want = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert compact(value) == want
    assert compact(value) == want  # the same encoder again, no state left over


def test_nan_is_written_as_json_dumps_writes_it() -> None:
    assert compact([math.nan]) == "[NaN]"


def test_a_value_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        compact({"a": object()})
    assert compact({"a": 1}) == '{"a":1}'  # and the encoder still works after it


def test_without_a_c_encoder_the_plain_encoder_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    plain = collation_json._compact_encoder()
    for value in VALUES:
        assert plain(value) == compact(value)
