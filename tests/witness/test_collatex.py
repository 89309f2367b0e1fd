"""CollateX JSON input: plain and pre-tokenized witnesses, ``file.json#ID`` selection, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofbench.errors import EmptyWitnessError, FormatError, MissingFileError
from proofbench.model import Witness, WitnessSpec
from proofbench.text import tokenize
from proofbench.witness import collatex, detect, load_witness

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "sample.collatex.json"


def _load(*files: str, fmt: str | None = None) -> Witness:
    return load_witness(WitnessSpec("A", files, format=fmt))


def _write(tmp_path: Path, data: object, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_content_witness() -> None:
    w = _load(f"{SAMPLE}#A")
    assert w.format == "collatex"
    assert w.text == "The message was sent by commu-\nnication to Paris."
    assert [w.text[s.start : s.end] for s in w.spans] == [
        "The message was sent by commu-",
        "nication to Paris.",
    ]
    assert [s.source.line for s in w.spans] == [1, 2]
    assert all(s.source.file == str(SAMPLE) for s in w.spans)
    readings = [t.reading for t in tokenize(w).tokens]
    assert "communication" in readings


def test_token_witness() -> None:
    w = _load(f"{SAMPLE}#B")
    # "The " keeps its own space; the others are joined by one.
    assert w.text == "The message was posted to Paris."
    words = [w.text[s.start : s.end] for s in w.spans]
    assert words == ["The", "message", "was", "posted", "to", "Paris."]
    assert [s.source.word_id for s in w.spans] == ["0", "1", "2", "3", "4", "5"]
    for t in tokenize(w).tokens:
        assert w.text[t.start : t.end] == t.t


def test_paragraphs_are_blocks(tmp_path: Path) -> None:
    data = {"witnesses": [{"id": "P", "content": "One line\nand two.\n\n  \nSecond para.\n"}]}
    w = _load(str(_write(tmp_path, data)))
    assert [w.text[b.start : b.end] for b in w.blocks] == ["One line\nand two.", "Second para."]


def test_token_whitespace_kept_as_given(tmp_path: Path) -> None:
    data = {"witnesses": [{"id": "X", "tokens": [{"t": "a\n"}, {"t": " "}, {"t": "b"}]}]}
    w = _load(str(_write(tmp_path, data)))
    assert w.text == "a\nb"


def test_detect_strips_the_fragment_and_ignores_the_extension(tmp_path: Path) -> None:
    assert detect(f"{SAMPLE}#B") == "collatex"
    path = tmp_path / "witnesses.txt"
    path.write_bytes(SAMPLE.read_bytes())
    assert detect(str(path)) == "collatex"
    assert not collatex.sniff(b'{"tokens": []}', "a.json")
    assert not collatex.sniff(b"[1, 2]", "a.json")


def test_specs_from_a_collatex_file() -> None:
    specs = collatex.witness_specs_from_collatex(SAMPLE)
    assert [s.siglum for s in specs] == ["A", "B"]
    assert [s.files for s in specs] == [(f"{SAMPLE}#A",), (f"{SAMPLE}#B",)]
    witnesses = [load_witness(s) for s in specs]
    assert [w.siglum for w in witnesses] == ["A", "B"]
    assert witnesses[1].text.startswith("The message was posted")


def test_specs_make_ids_into_sigla(tmp_path: Path) -> None:
    data = {"witnesses": [{"id": "1818 ed.", "content": "a"}, {"id": 2, "content": "b"}]}
    specs = collatex.witness_specs_from_collatex(_write(tmp_path, data))
    assert [s.siglum for s in specs] == ["1818_ed.", "2"]
    assert load_witness(specs[1]).text == "b"


def test_digit_ids_stay_and_get_tei_ids_of_their_own(tmp_path: Path) -> None:
    """CollateX's ``1`` stays the siglum ``1``; the TEI gives it a valid xml:id and keeps it
    as ``n``, and every ``wit`` reference points at a declared witness."""
    from lxml import etree

    from proofbench.pipeline import collate
    from proofbench.render import RENDERERS, RenderOptions

    data = {
        "witnesses": [
            {"id": "1", "content": "the black cat sat"},
            {"id": "2", "content": "the white cat sat"},
        ]
    }
    path = _write(tmp_path, data)
    assert [s.siglum for s in collatex.witness_specs_from_collatex(path)] == ["1", "2"]
    collation = collate(path)
    assert [w.siglum for w in collation.witnesses] == ["1", "2"]
    tei = etree.fromstring(RENDERERS["tei"](collation, RenderOptions()).encode("utf-8"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    declared = {w.get(xml_id): w.get("n") for w in tei.iterfind(".//t:listWit/t:witness", ns)}
    assert sorted(declared.values()) == ["1", "2"]
    assert all(i[:1].isalpha() or i[:1] == "_" for i in declared)
    refs = {r.lstrip("#") for el in tei.iterfind(".//t:rdg", ns) for r in el.get("wit").split()}
    assert refs and refs <= set(declared)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    data = {"witnesses": [{"id": "A", "content": "a"}, {"id": "A", "content": "b"}]}
    with pytest.raises(FormatError):
        collatex.witness_specs_from_collatex(_write(tmp_path, data))


def test_several_witnesses_need_a_fragment() -> None:
    with pytest.raises(FormatError, match="#ID"):
        _load(str(SAMPLE))


def test_single_witness_needs_none(tmp_path: Path) -> None:
    path = _write(tmp_path, {"witnesses": [{"id": "Z", "content": "only one"}]})
    assert _load(str(path)).text == "only one"


def test_unknown_id(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="'C'"):
        _load(f"{SAMPLE}#C")


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"witnesses": [\n  {"id": "A",\n   "content": "x",,}\n]}', encoding="utf-8")
    with pytest.raises(FormatError) as err:
        _load(f"{path}#A", fmt="collatex")
    assert err.value.line == 3
    assert err.value.file == str(path)


@pytest.mark.parametrize(
    "data",
    [
        {"witnesses": {"id": "A"}},
        {"witnesses": [{"content": "no id"}]},
        {"witnesses": [{"id": "A"}]},
        {"witnesses": [{"id": "A", "tokens": [{"n": "no t"}]}]},
        {"witnesses": [{"id": "A", "content": 5}]},
        ["not", "an", "object"],
    ],
)
def test_not_collatex_input(tmp_path: Path, data: object) -> None:
    with pytest.raises(FormatError):
        _load(str(_write(tmp_path, data)), fmt="collatex")


@pytest.mark.parametrize("witness", [{"id": "A", "content": "  \n"}, {"id": "A", "tokens": []}])
def test_empty_witness(tmp_path: Path, witness: dict[str, object]) -> None:
    with pytest.raises(EmptyWitnessError):
        _load(str(_write(tmp_path, {"witnesses": [witness]})))


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert detect(f"{path}#A") == "collatex"
    assert _load(f"{path}#A").text.startswith("The message")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=12))
def test_tokens_round_trip(tmp_path_factory: pytest.TempPathFactory, ts: list[str]) -> None:
    """Property: every token's ``t`` (surrounding whitespace aside) is one span and one token,
    in order."""
    path = tmp_path_factory.mktemp("cx") / "in.json"
    data = {"witnesses": [{"id": "A", "tokens": [{"t": t} for t in ts]}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    words = [t.strip() for t in ts if t.strip()]
    if not any(t.strip() for t in ts):
        with pytest.raises(EmptyWitnessError):
            _load(str(path))
        return
    w = _load(str(path))
    spans = [w.text[s.start : s.end] for s in w.spans]
    assert spans == words
    assert [s.source.word_id for s in w.spans] == [str(i) for i, t in enumerate(ts) if t.strip()]
    assert [t.t for t in tokenize(w).tokens] == words


def _collate(tmp_path: Path, data: object) -> list[Witness]:
    path = _write(tmp_path, data)
    return [tokenize(load_witness(s)) for s in collatex.witness_specs_from_collatex(path)]


def test_given_n_is_the_compared_form(tmp_path: Path) -> None:
    """CollateX's ``n`` is honoured: ``kitten.`` normalized as ``cat`` agrees with ``cat``."""
    from proofbench.align import align
    from proofbench.model import ColumnKind

    data = {
        "witnesses": [
            {"id": "A", "tokens": [{"t": "A"}, {"t": "black"}, {"t": "cat", "id": "xyz"}]},
            {"id": "B", "tokens": [{"t": "A"}, {"t": "white"}, {"t": "kitten.", "n": "cat"}]},
        ]
    }
    a, b = _collate(tmp_path, data)
    assert [t.n for t in b.tokens] == ["A", "white", "cat"]
    assert [t.t for t in b.tokens] == ["A", "white", "kitten."]
    assert a.tokens[2].source is not None and a.tokens[2].source.word_id == "xyz"
    alignment = align([a, b])
    last = alignment.columns[-1]
    assert last.kind is ColumnKind.EQUAL
    assert last.readings == {"A": (2,), "B": (2,)}


def test_a_token_with_a_space_stays_one_token(tmp_path: Path) -> None:
    data = {"witnesses": [{"id": "A", "tokens": [{"t": "in"}, {"t": "New York"}, {"t": "city"}]}]}
    (w,) = _collate(tmp_path, data)
    assert [t.t for t in w.tokens] == ["in", "New York", "city"]
    assert all(w.text[t.start : t.end] == t.t for t in w.tokens)
