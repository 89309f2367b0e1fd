"""Running an archive: Dask and serial give the same bytes, a broken document stops nothing,
a re-run redoes only what changed, and the index says what each report says."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from archive_support import CREATED, LETTER, tree, write_archive, write_document
from cli_support import assert_one_line_error, run_cli
from click.testing import CliRunner

from proofbench.archive import Cluster, Settings, run_archive
from proofbench.cli import cli
from proofbench.pipeline import collate
from proofbench.render.collation_json import kept_variants
from proofbench.render.options import RenderOptions
from proofbench.render.summary import summarize

SETTINGS = Settings(formats=("html", "json"), created=CREATED)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A dozen documents (one broken), run once on a LocalCluster of two workers."""
    root = tmp_path_factory.mktemp("archive")
    manifests = write_archive(root / "src")
    seen: list[tuple[int, int]] = []
    result = run_archive(
        [root / "src"],
        root / "dask",
        SETTINGS,
        Cluster(workers=2),
        progress=lambda done, total, _: seen.append((done, total)),
    )
    return {"root": root, "manifests": manifests, "result": result, "progress": seen}


def _index(out: Path) -> dict[str, Any]:
    return json.loads((out / "index.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_dask_run_lists_the_broken_document_and_collates_the_others(archive: Any) -> None:
    result, root = archive["result"], archive["root"]
    assert len(result.outcomes) == 12
    (failed,) = result.failed
    assert failed.row["id"] == "batch9/broken/doc"
    assert "gone.txt" in failed.row["error"] and "\n" not in failed.row["error"]
    assert failed.row["reports"] == {}
    data = _index(root / "dask")
    assert data["totals"]["documents"] == 12 and data["totals"]["failed"] == 1
    for row in data["rows"]:
        if row["error"] is None:
            for rel in row["reports"].values():
                assert (root / "dask" / rel).is_file()
    # progress across documents: one call per document, counting up to the total
    assert archive["progress"] == [(k, 12) for k in range(1, 13)]


def test_serial_run_is_byte_identical_to_the_dask_run(archive: Any) -> None:
    root = archive["root"]
    run_archive([root / "src"], root / "serial", SETTINGS)
    dask_files, serial_files = tree(root / "dask"), tree(root / "serial")
    assert sorted(dask_files) == sorted(serial_files)
    assert len(dask_files) == 3 + 2 * 11
    different = [name for name in dask_files if dask_files[name] != serial_files[name]]
    assert different == []


def test_index_rows_agree_with_each_documents_own_collation(archive: Any) -> None:
    root = archive["root"]
    rows = {r["id"]: r for r in _index(root / "dask")["rows"]}
    manifest = archive["manifests"][3]
    row = rows[Path(os.path.relpath(manifest, root / "src")).with_suffix("").as_posix()]
    collation = collate(manifest)
    summary = summarize(collation, kept_variants(collation, RenderOptions()))
    assert row["words"] == summary.tokens["OCR"]
    assert row["variants"] == summary.variants
    assert row["suspect_target"] == summary.suspect_target
    assert row["by_class"] == {c.value: n for c, n in summary.by_class}
    (rate,) = row["rates"]
    assert rate["reference"] == "ED" and rate["cer"] > 0
    report = json.loads((root / "dask" / row["reports"]["json"]).read_text(encoding="utf-8"))
    assert len(report["variants"]) == row["variants"]
    assert row["inputs"] == ["doc.toml", "ED.txt", "OCR.txt"]


def test_csv_index_has_a_line_per_document(archive: Any) -> None:
    text = (archive["root"] / "dask" / "index.csv").read_text(encoding="utf-8")
    lines = list(csv.DictReader(text.splitlines()))
    assert len(lines) == 12
    by_status = {line["id"]: line["status"] for line in lines}
    assert by_status.pop("batch9/broken/doc") == "failed"
    assert set(by_status.values()) == {"ok"}
    ok = [line for line in lines if line["status"] == "ok"]
    assert all(int(line["words"]) > 0 and line["report"].endswith(".html") for line in ok)


def test_rerun_redoes_only_changed_and_failed_documents(tmp_path: Path) -> None:
    manifests = write_archive(tmp_path / "src", documents=4)
    out = tmp_path / "out"
    first = run_archive([tmp_path / "src"], out, SETTINGS)
    assert first.reused == 0 and len(first.failed) == 1
    before = tree(out)
    again = run_archive([tmp_path / "src"], out, SETTINGS)
    assert again.reused == 3 and len(again.failed) == 1  # a failed document is always retried
    assert tree(out) == before
    # change one witness file: that document alone is collated again
    ocr = manifests[1].parent / "OCR.txt"
    ocr.write_text(ocr.read_text(encoding="utf-8") + "appended words\n", encoding="utf-8")
    third = run_archive([tmp_path / "src"], out, SETTINGS)
    redone = [o.row["id"] for o in third.outcomes if not o.reused and not o.failed]
    assert redone == ["batch1/doc01/doc"]
    # a report deleted by hand is written again; --force redoes everything
    (out / "reports" / "batch0" / "doc00" / "doc.html").unlink()
    fourth = run_archive([tmp_path / "src"], out, SETTINGS)
    assert [o.row["id"] for o in fourth.outcomes if not o.reused and not o.failed] == [
        "batch0/doc00/doc"
    ]
    assert run_archive([tmp_path / "src"], out, SETTINGS, force=True).reused == 0
    # other settings are other reports
    assert run_archive([tmp_path / "src"], out, Settings(created=CREATED)).reused == 0


def test_letter_row_locates_the_worst_pages_of_the_paged_witness(tmp_path: Path) -> None:
    index = tmp_path / "index.toml"
    index.write_text(
        f'[[document]]\nmanifest = {str(LETTER)!r}\nid = "letter"\nocr = "1945 print"\n',
        encoding="utf-8",
    )
    result = run_archive([index], tmp_path / "out", Settings(created=CREATED))
    (outcome,) = result.outcomes
    row = outcome.row
    assert row["error"] is None and row["tags"] == {"ocr": "1945 print"}
    collation = collate(LETTER)
    paged = next(w for w in collation.witnesses if w.pages)
    suspects = sum(1 for v in collation.variants if paged.siglum in v.suspect)
    pages = row["worst_pages"]
    assert pages and {p["witness"] for p in pages} == {paged.siglum}
    assert {p["page"] for p in pages} <= set(range(1, paged.pages + 1))
    assert sum(p["suspect"] for p in pages) <= suspects
    assert [p["suspect"] for p in pages] == sorted((p["suspect"] for p in pages), reverse=True)
    # the page images are inputs: changing one would redo the document
    assert any(name.endswith(".png") for name in row["inputs"])


def test_witness_text_and_titles_are_escaped_in_the_html_index(tmp_path: Path) -> None:
    write_document(tmp_path / "src" / "x", ["a", "b", "c"], 1, "<script>alert(1)</script>")
    run_archive([tmp_path / "src"], tmp_path / "out", Settings(created=CREATED))
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cli_lists_each_failed_document_on_one_line_and_exits_2(tmp_path: Path) -> None:
    write_archive(tmp_path / "src", documents=3)
    runner = CliRunner()
    args = ["archive", str(tmp_path / "src"), "-o", str(tmp_path / "out"), "--serial"]
    result = runner.invoke(cli, [*args, "--created", CREATED])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[0].startswith("proofbench: batch9/broken/doc: ") and "gone.txt" in lines[0]
    assert lines[-1].startswith("archive: 3 documents, 2 collated, 0 unchanged, 1 failed")
    assert (tmp_path / "out" / "index.html").is_file()
    result = runner.invoke(cli, [*args, "--workers", "2"])
    assert result.exit_code == 2 and "--serial runs here" in result.output


def test_cli_bad_source_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli(["archive", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert_one_line_error(result, "nowhere")
    assert not (tmp_path / "out").exists()


def test_moved_archive_keeps_relative_links(tmp_path: Path) -> None:
    write_archive(tmp_path / "src", documents=2)
    run_archive([tmp_path / "src"], tmp_path / "src" / "out", Settings(created=CREATED))
    shutil.copytree(tmp_path / "src", tmp_path / "moved")
    data = _index(tmp_path / "moved" / "out")
    for row in data["rows"]:
        assert (tmp_path / "moved" / "out" / row["manifest"]).is_file()


def test_an_interrupted_run_keeps_the_rows_it_finished(tmp_path: Path) -> None:
    write_archive(tmp_path / "src", documents=5)
    out = tmp_path / "out"

    def interrupt(done: int, total: int, _: object) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_archive([tmp_path / "src"], out, SETTINGS, progress=interrupt)
    assert [r["id"] for r in _index(out)["rows"]] == ["batch0/doc00/doc", "batch0/doc02/doc"]
    again = run_archive([tmp_path / "src"], out, SETTINGS)
    assert again.reused == 2 and len(again.outcomes) == 5
