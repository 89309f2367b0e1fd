"""apply --format hocr|alto|page: the corrections written into the OCR witness's own files.

Each case collates an OCR witness (the target) with a second witness that corrects some of its
words, accepts every such reading as an editor would, and writes the OCR files back: the files
are valid against their schema, read back as `apply`'s plain text, and every word not corrected
keeps its coordinates and attributes.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from cli_support import assert_one_line_error, run_cli
from lxml import etree

from proofbench.model import Witness
from proofbench.pipeline import collate
from proofbench.review import Desk, Store, apply_ocr, apply_txt, default_db
from proofbench.text.reading import reading_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "samples"
SCHEMAS = ROOT / "tests" / "data" / "schemas"
XSD = "{http://www.w3.org/2001/XMLSchema}"


def _schema(name: str) -> etree.XMLSchema:
    doc = etree.parse(str(SCHEMAS / name))
    for imp in doc.getroot().iter(f"{XSD}import"):
        if "xlink" in (imp.get("namespace") or ""):
            imp.set("schemaLocation", str(SCHEMAS / "xlink.xsd"))  # offline
    return etree.XMLSchema(doc)


def _words(text: str) -> list[str]:
    return text.split()


def _manifest(folder: Path, files: dict[str, str], target: str, fmt: str | None = None) -> Path:
    lines = [f'[collation]\ntitle = "writeback"\ntarget = "{target}"\n']
    for siglum, file in files.items():
        lines.append(f'[[witness]]\nsiglum = "{siglum}"\nfile = "{file}"\n')
        if siglum == target and fmt:
            lines.append(f'format = "{fmt}"\n')
    path = folder / "ocr.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _accept_all(manifest: Path, source: str) -> Desk:
    """Accept, at every variant, the reading of witness ``source``."""
    store = Store(default_db(manifest))
    editor = store.add_user("eve", "editor", "eve-secret")
    desk = Desk(collate(manifest), store)
    for entry in desk.queue():
        item = entry.item
        if item.kind == "variant" and item.readings.get(source) is not None:
            desk.act(
                entry.stored, "accept", editor, 0, reading=item.readings[source], choice="custom"
            )
    return desk


def _ids(data: bytes, attr: str) -> dict[str, dict[str, str]]:
    root = etree.fromstring(data)
    out = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get(attr):
            coords = el.find("{*}Coords")
            attrs = dict(el.attrib)
            if coords is not None:
                attrs["Coords"] = coords.get("points") or ""
            out[el.get(attr) or ""] = attrs
    return out


def _reload(path: Path, fmt: str) -> Witness:
    from proofbench.model import Manifest, WitnessSpec
    from proofbench.pipeline import load_witnesses

    spec = WitnessSpec(siglum="X", files=(str(path),), format=fmt)
    return load_witnesses(Manifest(path=str(path), title="x", witnesses=(spec,)))[0]


def _reload_among(desk: Desk, files: list[Path]) -> Witness:
    """The target read from ``files`` instead of its own, with the other witnesses as before."""
    import dataclasses

    from proofbench.pipeline import load_witnesses, manifest_for

    manifest = manifest_for(desk.collation.manifest.path)
    target = desk.collation.target
    specs = tuple(
        dataclasses.replace(s, files=tuple(str(f) for f in files)) if s.siglum == target else s
        for s in manifest.witnesses
    )
    witnesses = load_witnesses(dataclasses.replace(manifest, witnesses=specs))
    return next(w for w in witnesses if w.siglum == target)


def _check(desk: Desk, fmt: str, out: Path, attr: str, schema: etree.XMLSchema | None) -> int:
    """Write the files back; check schema, text and untouched coordinates; the words changed."""
    result = apply_ocr(desk, fmt)
    assert result.words > 0 and result.unplaced == 0
    written: list[Path] = []
    for src, data in result.files.items():
        dest = out / Path(src).name
        dest.write_bytes(data)
        if schema is not None:
            assert schema.validate(etree.fromstring(data)), schema.error_log.filter_from_errors()[
                :3
            ]
        before, after = _ids(Path(src).read_bytes(), attr), _ids(data, attr)
        changed = {wid for (f, wid) in _changed(desk, fmt) if f == src}
        for wid, attrs in before.items():
            if wid in changed:
                continue
            assert after.get(wid) == attrs, f"{wid} was not corrected, yet changed"
        written.append(dest)
    # Read back among the same witnesses: line-end hyphens are decided with their evidence.
    again = _reload_among(desk, written)
    assert _words(reading_text(again)) == _words(apply_txt(desk))
    return result.words


def _changed(desk: Desk, fmt: str) -> set[tuple[str, str]]:
    from proofbench.render.writeback.words import plan
    from proofbench.review.apply import edits

    return set(plan(desk.collation.witness(desk.collation.target), edits(desk)).texts)


def test_letter_hocr_takes_the_corrections(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    shutil.copytree(ROOT / "witnesses", folder)
    text = (folder / "letter.toml").read_text("utf-8").replace('target = "W15"', 'target = "P45"')
    (folder / "letter.toml").write_text(text, encoding="utf-8")
    desk = _accept_all(folder / "letter.toml", "W15")
    out = tmp_path / "out"
    out.mkdir()
    assert _check(desk, "hocr", out, "id", None) >= 20
    changed = _changed(desk, "hocr")
    for page in out.iterdir():  # a diff of the file shows the corrected words and nothing else
        src = folder / "1945-print-ocr" / page.name
        old, new = src.read_text("utf-8").splitlines(), page.read_text("utf-8").splitlines()
        diff = [ln for ln in difflib.unified_diff(old, new, lineterm="", n=0)]
        touched = [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
        ids = {wid for f, wid in changed if Path(f).name == page.name}
        assert all(any(f"id='{i}'" in ln for i in ids) for ln in touched)
    for page in out.iterdir():  # well-formed XHTML still, the engine's meta kept
        root = etree.fromstring(page.read_bytes())
        assert root.find(".//{*}meta[@name='ocr-system']") is not None


def _corrected_copy(ocr: Witness, folder: Path) -> Path:
    """A second witness: the OCR's reading text with a word changed, one dropped, one added."""
    words = [w for w in reading_text(ocr).split() if not w.isdigit()]
    assert len(words) >= 6
    words[3] = words[3][:-1] + "z"  # a substitution
    del words[4]  # an omission
    words.insert(2, "indeed")  # an addition
    path = folder / "fixed.txt"
    path.write_text(" ".join(words) + "\n", encoding="utf-8")
    return path


def _valid_alto_sample(folder: Path) -> Path:
    """The ALTO sample with its BottomMargin moved where ALTO v4 wants it (before PrintSpace)."""
    tree = etree.parse(str(SAMPLES / "sample.alto.xml"))
    page = tree.getroot().find(".//{*}Page")
    assert page is not None
    bottom, space = page.find("{*}BottomMargin"), page.find("{*}PrintSpace")
    if bottom is not None and space is not None:
        space.addprevious(bottom)
    path = folder / "sample.alto.xml"
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "attr", "schema"),
    [("alto", "ID", "alto-4-4.xsd"), ("page", "id", "pagecontent-2019-07-15.xsd")],
)
def test_samples_take_the_corrections_and_stay_valid(
    tmp_path: Path, fmt: str, attr: str, schema: str
) -> None:
    if fmt == "alto":
        src = _valid_alto_sample(tmp_path)
    else:
        src = tmp_path / "sample.page.xml"
        shutil.copy(SAMPLES / "sample.page.xml", src)
    shutil.copy(SAMPLES / "sample-page.png", tmp_path / "sample-page.png")
    xsd = _schema(schema)
    assert xsd.validate(etree.parse(str(src))), "the input is valid to begin with"
    ocr = _reload(src, fmt)
    fixed = _corrected_copy(ocr, tmp_path)
    manifest = _manifest(tmp_path, {"O": src.name, "F": fixed.name}, "O", fmt)
    desk = _accept_all(manifest, "F")
    out = tmp_path / "out"
    out.mkdir()
    assert _check(desk, fmt, out, attr, xsd) >= 3


def test_the_command_writes_a_folder_and_refuses_the_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    shutil.copytree(ROOT / "witnesses", folder)
    text = (folder / "letter.toml").read_text("utf-8").replace('target = "W15"', 'target = "P45"')
    (folder / "letter.toml").write_text(text, encoding="utf-8")
    _accept_all(folder / "letter.toml", "W15").store.close()
    ocr = folder / "1945-print-ocr"
    before = (ocr / "page-229.hocr").read_bytes()
    refused = run_cli(["apply", "letter.toml", "--format", "hocr", "-o", str(ocr)], cwd=folder)
    assert "refusing" in assert_one_line_error(refused, "page-229.hocr")
    assert (ocr / "page-229.hocr").read_bytes() == before
    out = tmp_path / "out"
    out.mkdir()
    done = run_cli(["apply", "letter.toml", "--format", "hocr", "-o", str(out)], cwd=folder)
    assert done.code == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["page-229.hocr", "page-230.hocr"]
    assert re.search(r"\d+ words corrected", done.stderr)
    wrong = run_cli(["apply", "letter.toml", "--format", "alto", "-o", str(out)], cwd=folder)
    assert_one_line_error(wrong, "alto")
