"""Accepted decisions -> the corrected text (txt, TEI); the commands that write it, the log
export, accounts from the command line, and the decision statuses the HTML report shows."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from review_support import ROOT, collate_letter

from proofbench.model import Collation
from proofbench.review import Desk, Store, apply_tei, apply_txt, decision_status, default_db
from proofbench.review.desk import Entry, Filters
from proofbench.review.store import User
from proofbench.text.reading import reading_text

TEI = "{http://www.tei-c.org/ns/1.0}"


def cli(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proofbench.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def ball(desk: Desk) -> Entry:
    hits = [
        e
        for e in desk.entries()
        if e.item.target_reading == "ball." and "hall." in e.item.readings.values()
    ]
    assert len(hits) == 1
    return hits[0]


@pytest.fixture()
def review(letter_manifest: Path) -> tuple[Desk, User, User]:
    store = Store(default_db(letter_manifest))
    pat = store.add_user("pat", "proofreader", "pat-secret")
    eve = store.add_user("eve", "editor", "eve-secret")
    desk = Desk(collate_letter(letter_manifest), store)
    yield desk, pat, eve
    store.close()


def plain(desk: Desk) -> str:
    """The target's reading text as ``proofbench text --no-apparatus`` shows it."""
    import re

    text = reading_text(desk.collation.witness(desk.collation.target))
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip("\n") + "\n"


def test_no_decisions_changes_nothing(review: tuple[Desk, User, User]) -> None:
    desk, _, _ = review
    assert apply_txt(desk) == plain(desk)
    root = etree.fromstring(apply_tei(desk).encode())
    assert root.find(f".//{TEI}choice") is None


def test_only_accepted_readings_are_applied(review: tuple[Desk, User, User]) -> None:
    desk, pat, eve = review
    b = ball(desk)
    e = desk.act(b.stored, "propose", pat, 0, reading="hall.", choice="custom")
    assert apply_txt(desk) == plain(desk)  # a proposal is not a decision
    desk.act(b.stored, "accept", eve, e.seq, reading="hall.", choice="proposal")
    before, after = plain(desk), apply_txt(desk)
    assert "huge and jammed ball." in before
    assert "huge and jammed hall." in after and "huge and jammed ball." not in after
    assert after == before.replace("huge and jammed ball.", "huge and jammed hall.")


def test_custom_reading_insertion_and_rejection(review: tuple[Desk, User, User]) -> None:
    desk, _, eve = review
    variants = [e for e in desk.queue() if e.item.kind == "variant" and e.item.target_reading]
    first, second = variants[0], variants[1]
    desk.act(first.stored, "accept", eve, 0, reading="«EDITED»", choice="custom")
    desk.act(second.stored, "reject", eve, 0)
    out = apply_txt(desk)
    assert out.count("«EDITED»") == 1
    assert len(out) == len(plain(desk)) - len(first.item.target_reading) + len("«EDITED»")
    assert desk.statuses()[first.item.key] == "corrected"
    assert desk.statuses()[second.item.key] == "rejected"


def test_tei_marks_each_correction(review: tuple[Desk, User, User]) -> None:
    desk, _, eve = review
    b = ball(desk)
    desk.act(b.stored, "accept", eve, 0, reading="hall. <b>&amp;</b>", choice="custom")
    root = etree.fromstring(apply_tei(desk).encode())
    choices = root.findall(f".//{TEI}choice")
    assert len(choices) == 1
    assert choices[0].findtext(f"{TEI}sic") == "ball."
    assert choices[0].findtext(f"{TEI}corr") == "hall. <b>&amp;</b>"  # text, not markup
    p = choices[0].getparent()
    assert p.tag == f"{TEI}p" and "huge and jammed" in (p.text or "")
    assert root.findtext(f".//{TEI}title") == desk.collation.manifest.title


def test_queue_order_filters_and_progress(review: tuple[Desk, User, User]) -> None:
    desk, pat, eve = review
    q = desk.queue()
    assert len(q) == len(desk.items) > 0
    keys = [e.item.suspicion for e in q]
    assert keys == sorted(keys)  # most suspect first
    target = desk.collation.target
    if any(target in e.item.suspect for e in q):
        assert target in q[0].item.suspect
    b = ball(desk)
    e = desk.act(b.stored, "propose", pat, 0, reading="hall.")
    assert [x.item.key for x in desk.queue(Filters(status="proposed"))] == [b.item.key]
    assert [x.item.key for x in desk.queue(Filters(reviewer="pat"))] == [b.item.key]
    assert desk.queue(Filters(reviewer="eve")) == []
    # an item suspecting W15 (ball/hall no longer does: the suggestion is W15's own reading)
    c = next(x for x in q if x.item.classes and "W15" in x.item.suspect)
    cls = c.item.classes[0]
    assert all(cls in x.item.classes for x in desk.queue(Filters(cls=cls)))
    assert c.item.key in {x.item.key for x in desk.queue(Filters(cls=cls, witness="W15"))}
    p = desk.progress()
    assert (p.total, p.decided, p.proposed) == (len(q), 0, 1)
    desk.act(b.stored, "accept", eve, e.seq, reading="hall.")
    p = desk.progress()
    assert (p.decided, p.proposed, p.open) == (1, 0, len(q) - 1)
    assert 0 < p.percent < 100


def test_decision_status_for_the_report(
    review: tuple[Desk, User, User], letter_manifest: Path, tmp_path: Path
) -> None:
    desk, _, eve = review
    b = ball(desk)
    # the print's reading, which is the suggestion (issue 9: the OCR read it at confidence 94)
    desk.act(b.stored, "accept", eve, 0, reading="hall.", choice="custom")
    got = decision_status(letter_manifest, desk.collation)
    want = "accepted" if b.item.suggestion == "hall." else "corrected"
    assert got == {b.item.key: want}
    assert decision_status(default_db(letter_manifest), desk.collation) == got
    lonely = tmp_path / "elsewhere" / "x.toml"
    assert decision_status(lonely, desk.collation) == {}
    assert not default_db(lonely).exists()  # asking never creates a store


def test_commands(letter_manifest: Path, tmp_path: Path) -> None:
    """users add / list, apply (txt and TEI) and decisions export, as a user runs them."""
    m = str(letter_manifest)
    r = cli(
        "users",
        "add",
        "eve",
        "--role",
        "editor",
        "--password-stdin",
        "-m",
        m,
        stdin="pw-eve-1234\n",
    )
    assert r.returncode == 0, r.stderr
    r = cli("users", "add", "eve", "--role", "editor", "--password-stdin", "-m", m, stdin="x" * 9)
    assert r.returncode == 2 and "exists already" in r.stderr and len(r.stderr.splitlines()) == 1
    r = cli("users", "add", "bob", "--role", "boss", "--password-stdin", "-m", m, stdin="x" * 9)
    assert r.returncode == 2
    r = cli("users", "add", "bob", "--role", "editor", stdin="x" * 9)
    assert r.returncode == 2 and "--db" in r.stderr
    r = cli("users", "list", "-m", m)
    assert r.returncode == 0 and r.stdout.split("\t")[:2] == ["eve", "editor"]

    store = Store(default_db(letter_manifest))
    eve = store.user("eve")
    assert eve is not None and store.authenticate("eve", "pw-eve-1234") == eve
    collation: Collation = collate_letter(letter_manifest)
    desk = Desk(collation, store)
    b = ball(desk)
    desk.act(b.stored, "accept", eve, 0, reading="hall.", choice="witness:P45")
    with pytest.raises(Exception, match="changed since"):
        desk.act(b.stored, "reject", eve, 0)
    store.close()

    out = tmp_path / "corrected.txt"
    r = cli("apply", m, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "huge and jammed hall" in out.read_text(encoding="utf-8")
    tei = tmp_path / "corrected.tei.xml"
    r = cli("apply", m, "-o", str(tei))
    assert r.returncode == 0, r.stderr
    assert "<choice><sic>ball.</sic><corr>hall.</corr></choice>" in tei.read_text(encoding="utf-8")

    r = cli("decisions", "export", m, "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["schema"] == "proofbench/decisions@1"
    assert [(e["action"], e["outcome"]) for e in doc["events"]] == [
        ("accept", "ok"),
        ("reject", "refused"),
    ]
    r = cli("decisions", "export", m, "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["action"] for row in rows] == ["accept", "reject"]
    assert rows[0]["user"] == "eve" and "hall." in rows[0]["reading"]


def test_ocr_formats_are_the_write_back_formats() -> None:
    from proofbench.render.writeback import REWRITERS
    from proofbench.review.apply import OCR_FORMATS

    assert set(OCR_FORMATS) == set(REWRITERS)
