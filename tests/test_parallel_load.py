"""Loading witnesses in parallel processes gives exactly what loading them in one gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from foundation_support import LETTER
from pool_support import counted_pools

from proofbench.errors import InputError
from proofbench.pipeline import Progress, collate_witnesses, load_witnesses, manifest_for
from proofbench.render import RenderOptions
from proofbench.render.collation_json import render_json

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"


def test_letter_loaded_in_processes_is_the_letter_loaded_serially(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    manifest = manifest_for(LETTER)
    serial = load_witnesses(manifest, workers=1)
    parallel = load_witnesses(manifest, workers=3)
    assert parallel == serial
    assert [w.tokens for w in parallel] == [w.tokens for w in serial]
    one = collate_witnesses(manifest, serial)
    other = collate_witnesses(manifest, parallel)
    options = RenderOptions()
    assert render_json(other, options) == render_json(one, options)


@pytest.mark.skipif(not CORPORA.exists(), reason="../shared/corpora is not here (a clone)")
def test_ocr_pages_loaded_in_processes_keep_their_sources(tmp_path: Path) -> None:
    pages = sorted((CORPORA / "newspaper-alto-wordconf").rglob("*.xml"))[:2]
    assert len(pages) == 2
    manifest_path = tmp_path / "m.toml"
    manifest_path.write_text(
        '[collation]\ntitle = "t"\n'
        + "".join(f'[[witness]]\nsiglum = "P{i}"\nfile = "{p}"\n' for i, p in enumerate(pages))
    )
    manifest = manifest_for(manifest_path)
    serial = load_witnesses(manifest, workers=1)
    parallel = load_witnesses(manifest, workers=2)
    assert parallel == serial
    assert any(t.source is not None and t.source.bbox for w in parallel for t in w.tokens)


def test_an_error_in_a_child_is_the_serial_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one two\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00bad\x00\x00\x01binary\x00" * 50)
    manifest_path = tmp_path / "m.toml"
    manifest_path.write_text(
        '[collation]\ntitle = "t"\n[[witness]]\nsiglum = "A"\nfile = "a.txt"\n'
        '[[witness]]\nsiglum = "B"\nfile = "b.txt"\n'
    )
    manifest = manifest_for(manifest_path)
    with pytest.raises(InputError) as serial:
        load_witnesses(manifest, workers=1)
    with pytest.raises(InputError) as parallel:
        load_witnesses(manifest, workers=2)
    assert type(parallel.value) is type(serial.value)
    assert str(parallel.value) == str(serial.value)
    assert parallel.value.file == serial.value.file and parallel.value.file


def test_progress_is_reported_witness_by_witness_in_processes_too() -> None:
    manifest = manifest_for(LETTER)
    n = len(manifest.witnesses)
    for workers in (1, 3):
        heard: list[tuple[str, int, int]] = []

        def stages(stage: str, heard: list[tuple[str, int, int]] = heard) -> Progress:
            return lambda done, total: heard.append((stage, done, total))

        load_witnesses(manifest, stages, workers=workers)
        loading = [h for h in heard if h[0] == "loading"]
        assert loading == [("loading", k, n) for k in range(1, n + 1)]


def test_a_threaded_process_loads_in_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    # forking from a process with other threads is unsafe: the loading stays here
    import threading

    started = counted_pools(monkeypatch)
    manifest = manifest_for(LETTER)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        threaded = load_witnesses(manifest, workers=3)
    finally:
        stop.set()
        other.join()
    assert started == []
    assert threaded == load_witnesses(manifest, workers=1)
