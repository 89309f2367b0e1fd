"""The collation cache: review, apply and decisions export collate once per set of inputs;
any change to the manifest or an input file recollates, and decisions re-attach."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest

from proofbench import cache
from proofbench.cache import cache_path, collate_cached
from proofbench.model import Collation


def test_second_call_is_a_hit_and_equal(letter_manifest: Path) -> None:
    first = collate_cached(letter_manifest)
    again = collate_cached(letter_manifest)
    assert not first.hit and again.hit
    assert again.collation.variants == first.collation.variants
    assert again.collation.witnesses == first.collation.witnesses
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "change",
    ["witness file", "manifest"],
)
def test_a_changed_input_recollates(letter_manifest: Path, letter_dir: Path, change: str) -> None:
    before = collate_cached(letter_manifest)
    if change == "witness file":
        p = letter_dir / "2015-proofread.txt"
        p.write_text(p.read_text(encoding="utf-8").replace("Dear Friends", "Dear Comrades"))
    else:
        letter_manifest.write_text(
            letter_manifest.read_text(encoding="utf-8").replace(
                'title = "A Message', 'title = "The Message'
            ),
            encoding="utf-8",
        )
    after = collate_cached(letter_manifest)
    assert not after.hit and after.key != before.key
    assert after.collation != before.collation
    assert collate_cached(letter_manifest).hit


def test_default_place_beside_the_manifest(
    letter_manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROOFBENCH_CACHE")
    found = collate_cached(letter_manifest)
    assert found.path == letter_manifest.parent / ".proofbench" / "letter.toml.collation.pickle"
    assert found.path.is_file() and collate_cached(letter_manifest).hit


def test_a_cache_writable_by_others_or_for_other_inputs_is_not_read(
    letter_manifest: Path,
) -> None:
    found = collate_cached(letter_manifest)
    os.chmod(found.path, 0o666)
    assert not collate_cached(letter_manifest).hit  # replaced, 0600 again
    assert stat.S_IMODE(found.path.stat().st_mode) == 0o600
    # A file of the right shape under another key is ignored too.
    raw = found.path.read_bytes()
    found.path.write_bytes(raw.replace(found.key.encode(), b"0" * len(found.key), 1))
    assert cache.load_cached(found.path, found.key) is None
    # And one that is not a pickle of a Collation.
    found.path.write_bytes(b"proofbench-collation-cache\n" + found.key.encode() + b"\n")
    found.path.write_bytes(found.path.read_bytes() + pickle.dumps({"not": "a collation"}))
    assert cache.load_cached(found.path, found.key) is None


def test_path_follows_the_environment(letter_manifest: Path, tmp_path: Path) -> None:
    assert cache_path(letter_manifest).parent == Path(os.environ["PROOFBENCH_CACHE"])


def test_commands_collate_once(letter_manifest: Path, letter_dir: Path) -> None:
    """`apply` then `decisions export`: the first collates and caches, the second loads;
    after a witness changes, the next command collates again."""
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "proofbench.cli", *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    from proofbench.review.store import Store, default_db

    Store(str(default_db(str(letter_manifest))))  # apply reads a store; it does not make one
    first = run("apply", str(letter_manifest))
    assert first.returncode == 0 and "collated" in first.stderr
    second = run("decisions", "export", str(letter_manifest))
    assert second.returncode == 0 and "collated" not in second.stderr
    p = letter_dir / "2015-proofread.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("Dear Friends", "Dear Comrades"))
    third = run("apply", str(letter_manifest))
    assert third.returncode == 0 and "collated" in third.stderr and "Dear Comrades" in third.stdout


def test_a_view_is_kept_beside_the_collation_and_read_alone(letter_manifest: Path) -> None:
    from proofbench.review.outline import Outline, outline_of

    views = {"review": lambda c: outline_of(c, keep_variants=False)}
    first = collate_cached(letter_manifest, views=views)
    again = collate_cached(letter_manifest, views=views)
    assert again.hit and again._collation is None  # nothing but the header was read
    outline = again.view("review")
    assert isinstance(outline, Outline) and again._collation is None
    want = outline_of(first.collation, keep_variants=False)
    assert outline.items == want.items and outline.text == want.text
    assert outline.plain == want.plain and outline.witnesses == want.witnesses
    assert again.collation.variants == first.collation.variants  # read when asked for
    assert cache.load_section(again.path, again.key, "no-such-part") is None
    assert cache.load_section(again.path, "another key", "review") is None


def test_a_desk_on_an_outline_serves_and_applies_without_the_collation(
    letter_manifest: Path, tmp_path: Path
) -> None:
    from proofbench.review import Desk, Store, apply_tei, apply_txt
    from proofbench.review.outline import outline_of

    c = collate_cached(letter_manifest).collation
    store = Store(tmp_path / "r.db")
    eve = store.add_user("eve", "editor", "eve-secret")

    def refuse() -> Collation:
        raise AssertionError("the whole collation was read")

    lean = Desk(outline_of(c, keep_variants=False), store, load=refuse)
    full = Desk(c, store)
    chosen = [e for e in lean.queue() if e.item.suggestion not in (None, e.item.target_reading)]
    for e in chosen[:5]:
        lean.act(e.stored, "accept", eve, 0, reading=e.item.suggestion, choice="suggestion")
    assert apply_txt(lean) == apply_txt(full) and apply_tei(lean) == apply_tei(full)
    assert apply_txt(lean) != apply_txt(Desk(c, Store(tmp_path / "empty.db")))
    store.close()


def test_the_key_does_not_depend_on_how_the_path_is_spelled(
    letter_manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``proofbench review letter.toml`` from the manifest's folder and the same command with
    its absolute path find the same cache (the key was once made from the path as given, so
    the second recollated: minutes at 1M words)."""
    absolute = cache.inputs_key(letter_manifest)
    monkeypatch.chdir(letter_manifest.parent)
    assert cache.inputs_key(letter_manifest.name) == absolute
    assert cache.inputs_key(Path("..") / letter_manifest.parent.name / letter_manifest.name) == (
        absolute
    )


def test_outline_items_survive_pickling_field_for_field(letter_manifest: Path) -> None:
    # Items and anchors pickle their slots as a tuple (items.py): every field comes back.
    from proofbench.review.outline import outline_of

    found = collate_cached(letter_manifest)
    outline = outline_of(found.collation, keep_variants=False)
    assert outline.items
    again = pickle.loads(pickle.dumps(outline, protocol=5))
    assert again == outline
    for a, b in zip(outline.items, again.items, strict=True):
        assert [getattr(a, n) for n in a.__slots__] == [getattr(b, n) for n in b.__slots__]
        assert b.anchor.to_json() == a.anchor.to_json()
