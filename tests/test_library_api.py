"""The top-level library API: proofbench.collate, load and check, short reprs, notebook HTML."""

from __future__ import annotations

import re
from pathlib import Path

import proofbench
from proofbench import check, collate, load
from proofbench.model import Collation, Witness

ROOT = Path(__file__).resolve().parents[1]


def _manifest(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("We went to the old hall and sat down.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("We went to the the old ball and sat down.\n", encoding="utf-8")
    m = tmp_path / "m.toml"
    m.write_text(
        '[collation]\ntitle = "<Small> & \\"quoted\\""\n\n'
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n\n'
        '[[witness]]\nsiglum = "B"\nfile = "b.txt"\n',
        encoding="utf-8",
    )
    return m


def test_collate_load_and_check_from_the_top(tmp_path: Path) -> None:
    m = _manifest(tmp_path)
    c = collate(m)
    assert isinstance(c, Collation) and c.target == "B" and c.variants
    manifest, witnesses = load(m)
    assert [w.siglum for w in witnesses] == ["A", "B"] and manifest.path == str(m)
    flags = check(tmp_path / "b.txt")
    assert any(f.check == "doubled-word" for f in flags)
    assert [(f.start, f.check) for f in check(witnesses[1])] == [(f.start, f.check) for f in flags]
    assert {"collate", "load", "check"} <= set(proofbench.__all__)


def test_reprs_are_short_and_say_what_it_is() -> None:
    c = collate(ROOT / "witnesses" / "letter.toml")
    text = repr(c)
    assert len(text) < 300, len(text)
    assert c.target in text and f"{len(c.variants)} variants" in text
    for w in c.witnesses:
        assert len(repr(w)) < 200 and w.siglum in repr(w)
        assert isinstance(w, Witness)


def test_notebook_html_is_a_short_escaped_summary(tmp_path: Path) -> None:
    c = collate(_manifest(tmp_path))
    html = c._repr_html_()
    assert len(html) < 5000
    assert "&lt;Small&gt; &amp; &#34;quoted&#34;" in html and "<Small>" not in html
    assert "<table>" in html and "<script" not in html
    assert re.search(r"<code>B</code> \(target\)", html)
    suspects = [v for v in c.variants if "B" in v.suspect]
    if suspects:
        assert "Suspect readings of B" in html


def test_the_readme_library_example_runs_and_its_repr_is_true() -> None:
    import os

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### As a library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        space: dict[str, object] = {}
        exec(compile(code[1], "README.md", "exec"), space)
    finally:
        os.chdir(old)
    shown = re.search(r"collation\s+# (Collation\(.*?\))\n(?!\s+#)", code[1], re.S)
    assert shown
    claimed = re.sub(r"\s*\n\s*#\s*", " ", shown[1])
    assert repr(space["collation"]) == claimed
    assert str(space["html"]).startswith("<!DOCTYPE html>")
