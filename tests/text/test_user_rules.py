"""Normalization the user controls: rules and replacements in the manifest, composable profiles.

War and Peace's releases differ in stress accents (``Natásha``/``Natasha``); a transcriber's
mojibake (``againó``) is fixed by a replacement; Juxta's users toggle punctuation and case.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofbench.errors import ManifestError
from proofbench.model import VariantClass
from proofbench.pipeline import collate, load
from proofbench.render import RenderOptions
from proofbench.render.collation_json import render_json
from proofbench.render.html import render_html
from proofbench.text.normalize import (
    RuleError,
    brackets,
    compose,
    dash_hyphen,
    diacritics,
    ellipsis,
    normalize,
    punctuation,
    word_division,
)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Natásha", "Natasha"),
        ("café", "cafe"),
        ("naïve", "naive"),
        ("Øresund", "Øresund"),
        ("ß", "ß"),
    ],
)
def test_diacritics_fold_marks_not_letters(written: str, folded: str) -> None:
    assert diacritics(written) == folded


def test_punctuation_goes_but_a_word_of_punctuation_stays() -> None:
    assert punctuation("again—") == "again" and punctuation("“Yes,”") == "Yes"
    assert punctuation("—") == "—" and punctuation("word") == "word"


@given(st.text(max_size=30))
def test_the_new_rules_are_idempotent(s: str) -> None:
    for rule in (diacritics, punctuation):
        assert rule(rule(s)) == rule(s)


@given(st.text(max_size=30))
def test_a_composed_profile_is_idempotent(s: str) -> None:
    for rules in (
        ["default", "diacritics", "case", "punctuation"],
        ["default", "diacritics", "ellipsis", "brackets", "dash-hyphen", "word-division"],
    ):
        name = compose(rules)
        once = normalize(s, name)[0]
        assert normalize(once, name)[0] == once


def test_composition_keeps_order_and_names_what_changed() -> None:
    name = compose(["default", "diacritics"], [("ó", "—")])
    assert name == "default+diacritics+replace(ó→—)"
    # The replacement repairs the text before the accents are folded.
    assert normalize("againó", name) == ("again—", ("replace(ó→—)",))
    assert normalize("Natásha’s", name) == ("Natasha's", ("quotes", "diacritics"))
    assert compose(["default"]) == "default"


def test_unknown_rules_and_bad_patterns_are_refused() -> None:
    with pytest.raises(RuleError, match="unknown normalization 'accents'"):
        compose(["default", "accents"])
    with pytest.raises(RuleError, match="bad pattern"):
        compose(["default"], [("(unclosed", "")])
    with pytest.raises(RuleError, match="bad pattern"):
        compose(["default"], [("a", "\\2")])


def _manifest(tmp_path: Path, collation: str, a: str, b: str, witness_b: str = "") -> Path:
    (tmp_path / "a.txt").write_text(a, encoding="utf-8")
    (tmp_path / "b.txt").write_text(b, encoding="utf-8")
    path = tmp_path / "m.toml"
    path.write_text(
        f"[collation]\n{collation}\n"
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n'
        f'[[witness]]\nsiglum = "B"\nfile = "b.txt"\n{witness_b}\n',
        encoding="utf-8",
    )
    return path


ACCENTED = "Then Natásha said that Pierre had gone to the ball with Hélène.\n"
PLAIN = "Then Natasha said that Pierre had gone to the hall with Helene.\n"


def test_a_diacritic_folding_rule_leaves_only_the_real_variants(tmp_path: Path) -> None:
    without = collate(_manifest(tmp_path, "", ACCENTED, PLAIN))
    assert len(without.variants) == 3
    folded = collate(_manifest(tmp_path, 'normalize.rules = ["diacritics"]', ACCENTED, PLAIN))
    assert [v.readings["A"] for v in folded.variants] == ["ball"]
    assert folded.profile == "default+diacritics"
    # What the rule changed stays on the token.
    natasha = next(t for t in folded.witness("A").tokens if t.t == "Natásha")
    assert natasha.n == "Natasha" and natasha.norm == ("diacritics",)


def test_profiles_compose_as_a_list(tmp_path: Path) -> None:
    c = collate(
        _manifest(tmp_path, 'profile = ["caseless", "diacritics"]', ACCENTED, PLAIN.upper())
    )
    assert [v.readings["A"] for v in c.variants] == ["ball"]


def test_one_witness_may_have_rules_of_its_own(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path,
        "",
        "He came back again— and yet\n",
        "He came back againó and yet\n",
        'normalize.replace = [{ pattern = "ó", replacement = "—" }]',
    )
    _, (a, b) = load(path)
    assert a.tokens[3].n == "again—" and b.tokens[3].n == "again—"
    assert b.tokens[3].norm == ("replace(ó→—)",) and b.tokens[3].t == "againó"
    assert not collate(path).variants


def test_typographic_variants_are_reported_on_request(tmp_path: Path) -> None:
    a, b = "He said “yes” twice.\n", 'He said "yes" twice.\n'
    assert not collate(_manifest(tmp_path, "", a, b)).variants
    asked = collate(_manifest(tmp_path, "typographic = true", a, b))
    assert [v.cls for v in asked.variants] == [VariantClass.TYPOGRAPHIC]


def test_a_bad_rule_in_the_manifest_is_a_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="bad pattern"):
        load(_manifest(tmp_path, 'normalize.replace = [["(", ""]]', "a b\n", "a b\n"))
    with pytest.raises(ManifestError, match=r"normalize\.replace"):
        load(_manifest(tmp_path, 'normalize.replace = ["x"]', "a b\n", "a b\n"))


@pytest.mark.parametrize(
    ("rule", "written", "compared"),
    [
        (ellipsis, "then....”", "then...”"),
        (ellipsis, "so…", "so..."),
        (ellipsis, "Mr.", "Mr."),
        (brackets, "[or", "(or"),
        (brackets, "Prince],", "Prince),"),
        (dash_hyphen, "short--", "short-"),
        (dash_hyphen, "short—began", "short-began"),
        (dash_hyphen, "tear-worn", "tear-worn"),
        (word_division, "are...", "are..."),
    ],
)
def test_the_style_rules(rule: Callable[[str], str], written: str, compared: str) -> None:
    assert rule(written) == compared


@given(st.text(alphabet=".…-—–[](){}ab *", max_size=30))
def test_the_style_rules_are_idempotent(s: str) -> None:
    for rule in (ellipsis, brackets, dash_hyphen):
        assert rule(rule(s)) == rule(s)


# Three releases of one e-text differ in how they type an ellipsis, a dash and a footnote mark
# (War and Peace's wrnpc11 / wrnpc12 / 2600-0), and in one real correction (hall / ball).
TYPED = "It was so... the hall-and then* the prince [or count] came....\n"
SET = "It was so ... the ball— and then * the prince (or count) came...\n"
STYLE = (
    'normalize.rules = ["ellipsis", "brackets", "dash-hyphen", "word-division"]\n'
    "normalize.replace = [['\\*', '']]"
)


def test_style_rules_leave_only_the_real_correction(tmp_path: Path) -> None:
    plain = collate(_manifest(tmp_path, "", TYPED, SET))
    assert len(plain.variants) > 3
    styled = collate(_manifest(tmp_path, STYLE, TYPED, SET))
    assert [(v.readings["A"], v.readings["B"]) for v in styled.variants] == [
        ("hall-and", "ball— and")
    ]


def test_what_the_rules_compared_away_is_reportable(tmp_path: Path) -> None:
    c = collate(_manifest(tmp_path, STYLE + "\ntypographic = true", TYPED, SET))
    away = [v for v in c.variants if v.cls is VariantClass.TYPOGRAPHIC]
    assert len(away) >= 3
    marks = next(v for v in away if v.readings["A"] == "then*")
    assert "then* → then (replace(\\*→))" in marks.evidence[0]
    assert any("word division" in v.evidence[0] for v in away)


def test_a_variant_names_the_forms_the_rules_changed(tmp_path: Path) -> None:
    c = collate(_manifest(tmp_path, 'normalize.rules = ["diacritics"]', ACCENTED, PLAIN))
    (v,) = c.variants
    assert not any("manifest's rules" in e for e in v.evidence)  # ball / hall: nothing folded
    c = collate(
        _manifest(
            tmp_path, 'normalize.rules = ["diacritics"]', "met Hélène there\n", "met Helen there\n"
        )
    )
    (v,) = c.variants
    assert "compared under the manifest's rules: Hélène → Helene (diacritics)" in v.evidence


def test_json_and_report_show_what_each_rule_changed(tmp_path: Path) -> None:
    c = collate(_manifest(tmp_path, 'normalize.rules = ["diacritics"]', ACCENTED, PLAIN))
    data = json.loads(render_json(c, RenderOptions(json_tokens=True)))
    a = data["witnesses"][0]
    assert {
        "rule": "diacritics",
        "words": 2,
        "examples": [["Natásha", "Natasha"], ["Hélène.", "Helene."]],
    } in a["normalized"]
    assert data["witnesses"][1]["normalized"] == []
    assert next(w for w in a["words"] if w["t"] == "Natásha")["norm"] == ["diacritics"]
    html = render_html(c, RenderOptions())
    assert "compared as: diacritics: 2 words (Natásha → Natasha, Hélène. → Helene.)" in html
