"""Classifying with several jobs (checks and weighing in forked processes) gives exactly what
one job gives, and ``collate --jobs`` refuses a number of jobs that is no positive integer."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_support import assert_one_line_error, run_script
from foundation_support import LETTER, ROOT
from pool_support import counted_pools

import proofbench.classify.variants as variants
import proofbench.parallel as parallel
from proofbench.errors import FormatError
from proofbench.pipeline import collate, collate_witnesses, load_witnesses, manifest_for
from proofbench.render import RenderOptions
from proofbench.render.collation_json import render_json


@pytest.fixture
def pools(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[int] | None:
    """Every part forked whatever its size; the number of pools started, counted.

    None where this process may not fork (a thread left by an earlier test, Dask's offload
    pool): the test has then run, and passed, in a fresh pytest process, where it forks.
    """
    if not parallel.can_fork():
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
        proc = subprocess.run(
            [*argv, request.node.nodeid], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout[-3000:]
        return None
    started = counted_pools(monkeypatch)
    monkeypatch.setattr(variants, "PARALLEL_PLACES", 0)
    monkeypatch.setattr(variants, "PARALLEL_WORDS", 0)
    return started


def test_the_letter_with_two_jobs_is_the_letter_with_one(
    monkeypatch: pytest.MonkeyPatch, pools: list[int] | None
) -> None:
    if pools is None:
        return  # passed in a fresh process
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manifest = manifest_for(LETTER)
    witnesses = load_witnesses(manifest, workers=1)
    one = collate_witnesses(manifest, witnesses, jobs=1)
    assert pools == []  # one job: no process forked
    two = collate_witnesses(manifest, witnesses, jobs=2)
    assert pools == [1, 2]  # the checks beside this process, then the weighing in two
    assert two.variants and two.flags
    assert two.variants == one.variants and two.flags == one.flags
    options = RenderOptions()
    assert render_json(two, options) == render_json(one, options)


def test_a_manifests_word_lists_hold_in_the_forked_checks(
    tmp_path: Path, pools: list[int] | None
) -> None:
    if pools is None:
        return  # passed in a fresh process
    text = "The old house stood on the hill, and the qwzrtel of the farm was open to the wind.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("hill", "hall"), encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        '[collation]\ntitle = "t"\ngood_words = ["qwzrtel"]\nbad_words = ["farm"]\n'
        '[[witness]]\nsiglum = "A"\nfile = "a.txt"\n[[witness]]\nsiglum = "B"\nfile = "b.txt"\n'
    )
    one = collate(manifest, jobs=1)
    two = collate(manifest, jobs=2)
    assert pools and two.flags == one.flags
    flagged = {f.text: f.check for f in two.flags}
    assert flagged.get("farm") == "bad-word" and "qwzrtel" not in flagged


def _square(shared: int, item: int) -> int:
    if item < 0:
        raise FormatError(f"negative item {item}", file="items.txt", line=item)
    return shared * item * item


def test_forked_map_keeps_the_order_and_reads_shared_data_by_the_fork(
    pools: list[int] | None,
) -> None:
    if pools is None:
        return  # passed in a fresh process
    offset = 3
    items = list(range(40))
    got = parallel.forked_map(lambda s, x: s + x * offset, 100, items, 2)  # a closure: no pickle
    assert got == [100 + 3 * x for x in items]
    assert parallel.forked_map(_square, 2, items, 2) == [2 * x * x for x in items]
    assert pools == [2, 2]


def test_an_error_in_a_child_is_the_serial_error(pools: list[int] | None) -> None:
    if pools is None:
        return  # passed in a fresh process
    with pytest.raises(FormatError) as serial:
        parallel.forked_map(_square, 1, [1, -2, 3], 1)
    with pytest.raises(FormatError) as forked:
        parallel.forked_map(_square, 1, [1, -2, 3], 2)
    assert pools == [2]
    assert str(forked.value) == str(serial.value) and forked.value.file == "items.txt"


def test_a_threaded_process_does_not_fork(pools: list[int] | None) -> None:
    if pools is None:
        return  # passed in a fresh process
    out: list[list[int]] = []
    worker = threading.Thread(target=lambda: out.append(parallel.forked_map(_square, 1, [1, 2], 2)))
    worker.start()
    worker.join()
    assert out == [[1, 4]] and pools == []


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_collate_refuses_jobs_that_are_no_positive_integer(tmp_path: Path, jobs: str) -> None:
    # The console script: click's usage errors become one line in ``main``.
    result = run_script(["collate", str(LETTER), "--jobs", jobs, "-o", str(tmp_path / "o.json")])
    assert_one_line_error(result, "--jobs", jobs)
    assert not (tmp_path / "o.json").exists()
