"""Decisions survive re-collation: after a witness is edited or added, each decision finds its
variant again by its anchor, or is listed as orphaned with a reason; none disappears."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_support import collate_letter

from proofbench.model import Collation
from proofbench.review import Desk, Store, apply_txt
from proofbench.review.anchor import attach
from proofbench.review.desk import Entry
from proofbench.review.items import Anchor, Item, anchor_hash
from proofbench.review.store import User


def find(desk: Desk, target: str, other: str) -> Entry:
    """The entry where the target reads ``target`` and some witness reads ``other``."""
    hits = [
        e
        for e in desk.entries()
        if e.item.target_reading.strip() == target
        and any(r.strip() == other for r in e.item.readings.values())
    ]
    assert len(hits) == 1, f"{len(hits)} items read {target!r} against {other!r}"
    return hits[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture()
def decided(letter_manifest: Path, tmp_path: Path) -> tuple[Store, dict[str, User], Collation]:
    """A store holding three decisions on the letter: ball->hall accepted, a second variant
    rejected, a third proposed, plus a note."""
    store = Store(tmp_path / "review.db")
    pat = store.add_user("pat", "proofreader", "pat-secret")
    eve = store.add_user("eve", "editor", "eve-secret")
    collation = collate_letter(letter_manifest)
    desk = Desk(collation, store)
    ball = find(desk, "ball.", "hall.")
    e = desk.act(ball.stored, "propose", pat, 0, reading="hall.", choice="custom")
    desk.act(ball.stored, "accept", eve, e.seq, reading="hall.", choice="proposal")
    desk.act(ball.stored, "note", pat, 0, note="the print reads hall")
    others = [x for x in desk.queue() if x.item.key != ball.item.key and x.item.kind == "variant"]
    desk.act(others[0].stored, "reject", eve, 0)
    desk.act(others[1].stored, "propose", pat, 0, reading=others[1].item.target_reading + "!")
    yield store, {"pat": pat, "eve": eve}, collation
    store.close()


def states(desk: Desk) -> dict[str, str]:
    return {e.stored: e.state.status for e in desk.entries() if e.state.status != "open"}


def test_same_collation_attaches_by_id(decided: tuple[Store, dict[str, User], Collation]) -> None:
    store, _, collation = decided
    desk = Desk(collation, store)
    assert sorted(states(desk).values()) == ["accepted", "proposed", "rejected"]
    assert desk.orphans() == []
    assert "huge and jammed hall." in apply_txt(desk)


def test_edited_non_target_witness(
    decided: tuple[Store, dict[str, User], Collation], letter_dir: Path
) -> None:
    """T05 corrected to 'hall.': the variant's readings (and so its id) change, the decision
    follows it by its anchor."""
    store, _, before = decided
    old_ids = {e.item.key for e in Desk(before, store).entries() if e.state.status != "open"}
    edit(letter_dir / "2005-transcription.html", "huge and jammed ball.", "huge and jammed hall.")
    desk = Desk(collate_letter(letter_dir / "letter.toml"), store)
    ball = find(desk, "ball.", "hall.")
    assert ball.item.key not in old_ids  # a new variant id ...
    assert ball.state.status == "accepted" and ball.state.reading == "hall."  # ... same decision
    assert sorted(states(desk).values()) == ["accepted", "proposed", "rejected"]
    assert desk.orphans() == []
    assert "huge and jammed hall." in apply_txt(desk)


@pytest.mark.parametrize("exhaustive", [True, False], ids=["every-pair", "indexed"])
def test_edited_target_shifts_every_offset(
    decided: tuple[Store, dict[str, User], Collation],
    letter_dir: Path,
    exhaustive: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not exhaustive:  # as for a book: fuzzy matches only among items sharing a rare word
        monkeypatch.setattr("proofbench.review.anchor.EXHAUSTIVE", 0)
    store, _, before = decided
    edit(letter_dir / "2015-proofread.txt", "Dear Friends,", "Dear Friends and Comrades,")
    after = collate_letter(letter_dir / "letter.toml")
    desk = Desk(after, store)
    ball = find(desk, "ball.", "hall.")
    old = find(Desk(before, store), "ball.", "hall.")
    assert ball.item.start == old.item.start + len(" and Comrades")
    assert ball.state.status == "accepted"
    assert sorted(states(desk).values()) == ["accepted", "proposed", "rejected"]
    assert desk.orphans() == []
    text = apply_txt(desk)
    assert "Dear Friends and Comrades," in text and "huge and jammed hall." in text


def test_target_corrected_in_the_file_orphans_the_decision(
    decided: tuple[Store, dict[str, User], Collation], letter_dir: Path
) -> None:
    """W15 fixed by hand: no variant is left there, so the decision is listed as orphaned,
    with a reason, for an editor; the others stay attached."""
    store, people, _ = decided
    edit(letter_dir / "2015-proofread.txt", "huge and jammed ball.", "huge and jammed hall.")
    edit(letter_dir / "2005-transcription.html", "huge and jammed ball.", "huge and jammed hall.")
    desk = Desk(collate_letter(letter_dir / "letter.toml"), store)
    assert sorted(states(desk).values()) == ["proposed", "rejected"]
    orphans = desk.orphans()
    assert len(orphans) == 1
    o = orphans[0]
    assert o.state.status == "accepted" and o.state.reading == "hall."
    assert o.anchor.reading == "ball." and "jammed" in o.anchor.before
    assert "jammed" in o.reason
    assert desk.progress().orphans == 1
    # An editor resolves it; then it is no longer listed, and the log keeps everything.
    desk.act(o.stored, "dismiss", people["eve"], o.state.seq, note="fixed in the file")
    assert desk.orphans() == []
    assert [e.action for e in desk.history(o.stored)] == ["propose", "accept", "note", "dismiss"]


def test_new_witness_changes_every_id(
    decided: tuple[Store, dict[str, User], Collation], letter_dir: Path
) -> None:
    store, _, before = decided
    old_ids = {e.item.key for e in Desk(before, store).entries()}
    (letter_dir / "copy.txt").write_text(
        (letter_dir / "2015-proofread.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    manifest = letter_dir / "letter.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + '\n[[witness]]\nsiglum = "X20"\nkind = "transcription"\nfile = "copy.txt"\n'
        + 'apparatus.patterns = ["natalia in red"]\n',
        encoding="utf-8",
    )
    desk = Desk(collate_letter(manifest), store)
    assert "X20" in desk.collation.alignment.sigla
    decided_now = [e for e in desk.entries() if e.state.status != "open"]
    assert len(decided_now) == 3
    assert not {e.item.key for e in decided_now} & old_ids
    assert desk.orphans() == []
    assert find(desk, "ball.", "hall.").state.status == "accepted"


# --- properties of attach, on made-up items ----------------------------------------------------

_WORDS = st.sampled_from(["ball.", "hall.", "the", "huge", "and", "jammed", "You", "I,", ""])


def _item(key: str, reading: str, other: str, before: str, after: str, start: int) -> Item:
    readings = {"W": reading, "P": other}
    anchor = Anchor(
        "W", readings, before, after, start, start + len(reading), key,
        anchor_hash("W", reading, before, after),
    )  # fmt: skip
    return Item(
        key, "variant", "substitution", ("substitution",), readings, "W", anchor.start,
        anchor.end, other, 0.5, ("W",), (), anchor,
    )  # fmt: skip


_ITEMS = st.lists(
    st.builds(
        lambda r, o, b, a, s: (r, o, b, a, s),
        _WORDS,
        _WORDS,
        st.lists(_WORDS, max_size=3).map(" ".join),
        st.lists(_WORDS, max_size=3).map(" ".join),
        st.integers(0, 500),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(old=_ITEMS, new=_ITEMS, keep=st.lists(st.booleans(), max_size=8))
def test_attach_loses_nothing_and_attaches_one_to_one(
    old: list[tuple[str, str, str, str, int]],
    new: list[tuple[str, str, str, str, int]],
    keep: list[bool],
) -> None:
    """Every stored decision is attached or orphaned, never both; no item takes two; an
    unchanged item always gets its own decision back."""
    stored = {f"s{i}": _item(f"s{i}", *t).anchor for i, t in enumerate(old)}
    current = [_item(f"n{i}", *t) for i, t in enumerate(new)]
    # Some old items survive unchanged, under their own ids.
    survivors = [_item(f"s{i}", *t) for i, t in enumerate(old) if i < len(keep) and keep[i]]
    att = attach(stored, current + survivors)
    assert set(att.attached) | set(att.orphans) == set(stored)
    assert not set(att.attached) & set(att.orphans)
    assert len(set(att.attached.values())) == len(att.attached)
    for s in survivors:
        assert att.attached[s.key] == s.key
    assert all(reason for reason in att.orphans.values())


@pytest.mark.parametrize("exhaustive", [True, False], ids=["every-pair", "indexed"])
def test_edited_context_reattaches_by_likeness(
    decided: tuple[Store, dict[str, User], Collation],
    letter_dir: Path,
    exhaustive: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A word next to the decided place changes in the target: neither the variant id nor the
    anchor's hash match any more, and the decision still finds its variant by likeness."""
    if not exhaustive:
        monkeypatch.setattr("proofbench.review.anchor.EXHAUSTIVE", 0)
    store, _, before = decided
    old = find(Desk(before, store), "ball.", "hall.")
    edit(
        letter_dir / "2015-proofread.txt", "the huge and jammed ball.", "the vast and jammed ball."
    )
    desk = Desk(collate_letter(letter_dir / "letter.toml"), store)
    new = find(desk, "ball.", "hall.")
    assert new.item.key != old.item.key and new.item.anchor.hash != old.item.anchor.hash
    assert "vast" in new.item.anchor.before
    assert new.stored == old.stored and new.state.status == "accepted"
    assert desk.orphans() == []
    assert "the vast and jammed hall." in apply_txt(desk)
