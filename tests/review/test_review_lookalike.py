"""A decision never moves to a look-alike: when the place it was taken on disappears from the
collation, it becomes an orphan, even where the same readings stand elsewhere in the text."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from review_support import ROOT, collate_letter

from proofbench.model import Collation
from proofbench.render.layout import variant_span
from proofbench.review import Desk, Store, apply_txt
from proofbench.review.desk import Entry

FRANKENSTEIN = ROOT.parent / "shared" / "corpora" / "frankenstein-variorum" / "plaintext-derived"


def lookalikes(desk: Desk) -> dict[str, list[Entry]]:
    """The target's readings (nothing, for an addition) at more than one variant -> those."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in desk.entries():
        if e.item.kind == "variant":
            groups[" ".join(e.item.target_reading.split())].append(e)
    return {r: g for r, g in groups.items() if len(g) > 1}


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_letter_decision_on_a_vanished_place_is_orphaned_not_moved(
    letter_manifest: Path, letter_dir: Path, tmp_path: Path
) -> None:
    """The letter's two `L.D.’s`: an editor decides the first; the print's OCR and the
    transcription are then corrected there, so that place has no variant any more. The decision
    must not jump to the second, undecided `L.D.’s`; ``apply`` must not write its reading there."""
    store = Store(tmp_path / "review.db")
    eve = store.add_user("eve", "editor", "eve-secret")
    desk = Desk(collate_letter(letter_manifest), store)
    group = lookalikes(desk)["L.D.’s"]
    assert len(group) == 2
    first, _second = sorted(group, key=lambda e: e.item.start)
    assert "inquire about" in first.item.anchor.before
    untouched = apply_txt(desk)
    desk.act(first.stored, "accept", eve, 0, reading="L.D.s", choice="custom")
    assert apply_txt(desk) != untouched  # the decision applies where it was taken

    replace_once(letter_dir / "1945-print-ocr" / "page-229.hocr", "L.DJs", "L.D.’s")
    replace_once(
        letter_dir / "2005-transcription.html", "about L.D.'s health", "about L.D.&#8217;s health"
    )
    after = Desk(collate_letter(letter_manifest), store)
    assert not any(
        "inquire about" in e.item.anchor.before for e in lookalikes(after).get("L.D.’s", [])
    )
    still = [e for e in after.entries() if "Kremlin of today" in e.item.anchor.before]
    assert len(still) == 1 and still[0].item.target_reading == "L.D.’s"
    assert still[0].state.status == "open"
    orphans = after.orphans()
    assert [o.stored for o in orphans] == [first.stored]
    assert orphans[0].state.status == "accepted" and "inquire about" in orphans[0].reason
    assert "L.D.s" not in apply_txt(after)
    store.close()


def _letter_iv(dest: Path) -> Path:
    """Frankenstein's four letters (collation units C02-C05) in four editions, target 1818."""
    editions = ("1818", "1823", "1831", "Thomas")
    lines = ['[collation]\ntitle = "Frankenstein, Letters I-IV"\ntarget = "E1818"\n']
    for ed in editions:
        text = (FRANKENSTEIN / f"{ed}.txt").read_text(encoding="utf-8")
        unit = text.split("<<C02>>\n", 1)[1].split("<<C06>>", 1)[0]
        (dest / f"{ed}.txt").write_text(unit, encoding="utf-8")
        lines.append(f'[[witness]]\nsiglum = "E{ed}"\nkind = "transcription"\nfile = "{ed}.txt"\n')
    manifest = dest / "letters.toml"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    return manifest


def _make_agree(collation: Collation, entries: list[Entry]) -> None:
    """Rewrite the non-target witnesses' files so they read as the target at these items."""
    edits: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for e in entries:
        assert e.item.variant is not None
        for w in collation.witnesses:
            if (
                w.siglum != collation.target
                and e.item.readings.get(w.siglum) != e.item.target_reading
            ):
                start, end = variant_span(collation, e.item.variant, w.siglum)
                edits[w.siglum].append((start, end, e.item.target_reading))
    base = Path(collation.manifest.path).parent
    for w in collation.witnesses:
        text = w.text
        for start, end, new in sorted(edits[w.siglum], reverse=True):
            if start == end:  # a witness that reads nothing there: a point between two words
                new = (" " if text[start - 1 : start].strip() else "") + new
                new += " " if text[end : end + 1].strip() else ""
            text = text[:start] + new + text[end:]
        (base / f"{w.siglum[1:]}.txt").write_text(text, encoding="utf-8")


def test_frankenstein_lookalikes_never_take_a_decision(tmp_path: Path) -> None:
    """Each reading of the letters that stands at two or more places: one place is decided, then the
    witnesses are made to agree there. Every such decision is orphaned; no look-alike gets one."""
    if not FRANKENSTEIN.is_dir():
        pytest.skip("../shared/corpora/frankenstein-variorum is not here")
    manifest = _letter_iv(tmp_path)
    store = Store(tmp_path / "review.db")
    eve = store.add_user("eve", "editor", "eve-secret")
    before = collate_letter(manifest)
    desk = Desk(before, store)
    groups = lookalikes(desk)
    assert groups, "the letters have look-alike items"
    decided = [g[0] for g in groups.values()]
    assert len(decided) < sum(len(g) for g in groups.values())
    for e in decided:
        desk.act(e.stored, "accept", eve, 0, reading=e.item.target_reading + "†", choice="custom")
    _make_agree(before, decided)
    after = Desk(collate_letter(manifest), store)
    assert {e.item.anchor.hash for e in after.entries()}.isdisjoint(
        {e.item.anchor.hash for e in decided}
    ), "the decided places are gone"
    assert {o.stored for o in after.orphans()} == {e.stored for e in decided}
    assert all(e.state.status == "open" for e in after.entries())
    assert "†" not in apply_txt(after)
    store.close()
