"""The review web app through Flask's test client: logins, roles, CSRF, escaping, actions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_support import PASSWORD, csrf_of, find_ball, make_store, review_collation
from flask.testing import FlaskClient

from proofbench.model import Collation
from proofbench.review.app import create_app
from proofbench.review.desk import Desk

__all__ = ["review_collation"]


@pytest.fixture
def desk(db_url: str, review_collation: Collation) -> Iterator[Desk]:
    """The letter under review in a fresh store: SQLite, then a real PostgreSQL."""
    store = make_store(db_url)
    yield Desk(review_collation, store)
    store.close()


def client_for(desk: Desk) -> FlaskClient:
    app = create_app(desk)
    app.testing = True
    return app.test_client()


def login(c: FlaskClient, name: str, password: str = PASSWORD) -> Any:
    page = c.get("/login").get_data(as_text=True)
    return c.post("/login", data={"csrf": csrf_of(page), "name": name, "password": password})


def page(c: FlaskClient, path: str) -> str:
    resp = c.get(path)
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def act(c: FlaskClient, key: str, **form: str) -> Any:
    html = page(c, f"/item/{key}")
    data = {"csrf": csrf_of(html), "based_on": str(_based_on(html)), **form}
    return c.post(f"/item/{key}", data=data)


def _based_on(html: str) -> int:
    m = re.search(r'name="based_on" value="(\d+)"', html)
    assert m
    return int(m.group(1))


def test_every_page_but_login_needs_a_session(desk: Desk) -> None:
    c = client_for(desk)
    key = find_ball(desk.items).key
    for path in ("/", f"/item/{key}", "/history", "/orphans", "/users"):
        resp = c.get(path)
        assert resp.status_code == 302, path
        assert resp.headers["Location"].startswith("/login"), path
    assert c.get("/login").status_code == 200
    login_page = c.get("/login").get_data(as_text=True)
    assert "hall" not in login_page and "ball." not in login_page  # no witness text leaks


def test_wrong_password_is_refused(desk: Desk) -> None:
    c = client_for(desk)
    resp = login(c, "ed", "not the password")
    assert resp.status_code == 401
    assert c.get("/").status_code == 302
    assert login(c, "nobody").status_code == 401


def test_session_cookie_is_signed_httponly_samesite(desk: Desk) -> None:
    c = client_for(desk)
    resp = login(c, "ed")
    assert resp.status_code == 303
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Content-Security-Policy" in c.get("/").headers
    # A forged cookie (same payload, wrong signature) is no session.
    other = client_for(desk)
    value = cookie.split(";")[0].split("=", 1)[1]
    forged = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    other.set_cookie("proofbench_review", forged)
    assert other.get("/").status_code == 302


def test_missing_or_wrong_csrf_token_is_400_and_records_nothing(desk: Desk) -> None:
    c = client_for(desk)
    login(c, "ed")
    key = find_ball(desk.items).key
    html = page(c, f"/item/{key}")
    base = {"based_on": str(_based_on(html)), "action": "accept", "choice": "suggestion"}
    assert c.post(f"/item/{key}", data=base).status_code == 400
    assert c.post(f"/item/{key}", data={**base, "csrf": "forged"}).status_code == 400
    assert desk.store.events(desk.scope) == []
    # The login form is protected too.
    fresh = client_for(desk)
    assert fresh.post("/login", data={"name": "ed", "password": PASSWORD}).status_code == 400


def test_proofreader_cannot_accept(desk: Desk) -> None:
    c = client_for(desk)
    login(c, "pat")
    item = find_ball(desk.items)
    html = page(c, f"/item/{item.key}")
    assert 'value="accept"' not in html  # the page offers proposals only
    resp = act(c, item.key, action="accept", choice="suggestion")  # a hand-made request
    assert resp.status_code == 403
    entry = desk.entry(item.key)
    assert entry is not None and entry.state.status == "open"
    log = desk.store.events(desk.scope)
    assert [(e.action, e.refused, e.user) for e in log] == [("accept", True, "pat")]
    assert act(c, item.key, action="reject").status_code == 403


def test_only_admins_manage_accounts(desk: Desk) -> None:
    for name in ("pat", "ed"):
        c = client_for(desk)
        login(c, name)
        assert c.get("/users").status_code == 403
    c = client_for(desk)
    login(c, "ada")
    html = page(c, "/users")
    resp = c.post(
        "/users",
        data={
            "csrf": csrf_of(html),
            "name": "newbie",
            "role": "editor",
            "password": "s3cret-enough",
        },
    )
    assert resp.status_code == 303
    user = desk.store.user("newbie")
    assert user is not None and user.role == "editor"
    assert desk.store.authenticate("newbie", "s3cret-enough") is not None


def test_propose_then_accept_and_the_history(desk: Desk) -> None:
    from proofbench.review.apply import APPLIERS

    item = find_ball(desk.items)
    assert "huge and jammed hall" not in APPLIERS["txt"](desk)
    pat = client_for(desk)
    login(pat, "pat")
    resp = act(pat, item.key, action="propose", choice="witness:P45")
    assert resp.status_code == 303
    entry = desk.entry(item.key)
    assert entry is not None
    assert (entry.state.status, entry.state.reading) == ("proposed", item.readings["P45"])
    ed = client_for(desk)
    login(ed, "ed")
    html = page(ed, f"/item/{item.key}")
    assert "Accept the proposal" in html
    assert act(ed, item.key, action="accept", choice="proposal").status_code == 303
    entry = desk.entry(item.key)
    assert entry is not None and entry.state.status == "accepted"
    assert entry.state.by == "ed"
    text = APPLIERS["txt"](desk)
    assert "huge and jammed hall" in text and "jammed ball" not in text
    history = page(ed, "/history")
    rows = re.findall(r"<tr class=\"ok\">(.*?)</tr>", history, re.S)
    assert len(rows) == 2
    newest, oldest = rows
    assert "ed" in newest and "accept" in newest and "proposed" in newest  # state before
    assert "pat" in oldest and "propose" in oldest and "open" in oldest
    queue = page(ed, "/?status=accepted")
    assert item.key in queue
    assert page(ed, "/?status=open").count(f"/item/{item.key}") == 0
    assert item.key in page(ed, "/?reviewer=pat")
    assert item.key not in page(ed, "/?reviewer=pia")
    assert "1</b> of" in page(ed, "/")  # progress: one decided


def test_note_defer_custom_and_reject(desk: Desk) -> None:
    items = desk.queue()
    a, b = items[0].item, items[1].item
    ed = client_for(desk)
    login(ed, "ed")
    assert act(ed, a.key, action="note", note="check the print").status_code == 303
    assert act(ed, a.key, action="defer").status_code == 303
    assert act(ed, a.key, action="accept", choice="custom", custom="my reading").status_code == 303
    e = desk.entry(a.key)
    assert e is not None and (e.state.status, e.state.reading) == ("accepted", "my reading")
    assert act(ed, b.key, action="reject").status_code == 303
    e = desk.entry(b.key)
    assert e is not None and e.state.status == "rejected"
    assert act(ed, b.key, action="accept", choice="custom", custom="  ").status_code == 400
    assert "overrules" not in page(ed, f"/item/{b.key}")
    assert act(ed, b.key, action="accept", choice="suggestion").status_code == 303
    assert "overrules ed" in page(ed, f"/item/{b.key}")  # an editor overruling a decision
    assert "check the print" in page(ed, f"/item/{a.key}")


def test_a_stale_action_is_refused_with_a_message(desk: Desk) -> None:
    item = find_ball(desk.items)
    ed, pat = client_for(desk), client_for(desk)
    login(ed, "ed")
    login(pat, "pat")
    ed_page = page(ed, f"/item/{item.key}")
    pat_page = page(pat, f"/item/{item.key}")
    won = ed.post(
        f"/item/{item.key}",
        data={
            "csrf": csrf_of(ed_page),
            "based_on": str(_based_on(ed_page)),
            "action": "accept",
            "choice": "suggestion",
        },
    )
    assert won.status_code == 303
    lost = pat.post(
        f"/item/{item.key}",
        data={
            "csrf": csrf_of(pat_page),
            "based_on": str(_based_on(pat_page)),
            "action": "propose",
            "choice": "custom",
            "custom": "hail.",
        },
    )
    assert lost.status_code == 409
    body = lost.get_data(as_text=True)
    assert "refused" in body and "ed" in body
    entry = desk.entry(item.key)
    assert entry is not None and entry.state.reading == item.suggestion
    log = desk.store.events(desk.scope)
    assert [(e.user, e.refused) for e in log] == [("ed", False), ("pat", True)]


def hostile_collation() -> Collation:
    from render_fixtures import pivot_collation, text_manifest

    from proofbench.pipeline import witness_from_text

    ws = [
        witness_from_text("A", "The <script>alert('x')</script> cat & <b>dog</b> sat.\n"),
        witness_from_text("B", "The quiet cat & dog sat.\n"),
    ]
    return pivot_collation(text_manifest("<i>Title</i>", ["A", "B"], target="B"), ws)


def test_witness_text_with_markup_is_shown_escaped(tmp_path: Path) -> None:
    collation = hostile_collation()
    store = make_store(tmp_path / "x.db")
    desk = Desk(collation, store)
    c = client_for(desk)
    login(c, "ed")
    queue = page(c, "/")
    assert "<i>Title</i>" not in queue and "&lt;i&gt;Title&lt;/i&gt;" in queue
    seen = 0
    for it in desk.items:
        html = page(c, f"/item/{it.key}")
        assert "<script>alert" not in html and "<b>dog" not in html
        if "&lt;script&gt;" in html or "&lt;b&gt;" in html:
            seen += 1
    assert seen, "the hostile readings should appear (escaped) on some page"
    store.close()


def test_two_sessions_at_once_one_wins_one_is_refused(desk: Desk) -> None:
    import threading

    from app_support import HttpClient, live_server

    item = find_ball(desk.items)
    with live_server(desk) as live:
        clients = {name: HttpClient(live.url) for name in ("ed", "ada")}
        forms = {}
        for name, c in clients.items():
            c.login(name)
            _, html, _ = c.request(f"/item/{item.key}")
            choice = "suggestion" if name == "ed" else "witness:W15"
            forms[name] = {
                "csrf": csrf_of(html),
                "based_on": str(_based_on(html)),
                "action": "accept",
                "choice": choice,
            }
        barrier = threading.Barrier(2)
        status: dict[str, int] = {}

        def post(name: str) -> None:
            barrier.wait()
            status[name] = clients[name].request(f"/item/{item.key}", forms[name])[0]

        threads = [threading.Thread(target=post, args=(n,)) for n in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(status.values()) == [303, 409]
    winner = next(n for n, s in status.items() if s == 303)
    log = desk.store.events(desk.scope)
    assert len(log) == 2
    assert {(e.user, e.refused) for e in log} == {
        (winner, False),
        (next(iter(set(status) - {winner})), True),
    }
    entry = desk.entry(item.key)
    assert entry is not None and entry.state.by == winner


def test_orphans_are_listed_for_an_editor_to_resolve(desk: Desk) -> None:
    item = find_ball(desk.items)
    ed = desk.store.user("ed")
    assert ed is not None
    entry = desk.entry(item.key)
    assert entry is not None
    desk.act(entry.stored, "accept", ed, 0, reading=item.suggestion, choice="suggestion")
    # The same store read against a collation with nothing of the letter in it.
    elsewhere = Desk(hostile_collation(), desk.store, scope=desk.scope)
    pat = client_for(elsewhere)
    login(pat, "pat")
    html = page(pat, "/orphans")
    assert item.target_reading in html and "Dismiss" not in html
    csrf = csrf_of(html)
    orphan = elsewhere.orphans()[0]
    refused = pat.post(
        f"/orphans/{orphan.stored}",
        data={"csrf": csrf, "based_on": str(orphan.state.seq), "action": "dismiss"},
    )
    assert refused.status_code == 403
    c = client_for(elsewhere)
    login(c, "ed")
    html = page(c, "/orphans")
    assert "Dismiss" in html
    resp = c.post(
        f"/orphans/{orphan.stored}",
        data={"csrf": csrf_of(html), "based_on": str(orphan.state.seq), "action": "dismiss"},
    )
    assert resp.status_code == 303
    assert elsewhere.orphans() == []
    assert "None: every decision found its place" in page(c, "/orphans")
    # Nothing was lost: back on the letter the log still holds the accept and the dismissal.
    actions = [(e.action, e.refused) for e in desk.store.events(desk.scope)]
    assert actions == [("accept", False), ("dismiss", True), ("dismiss", False)]


# --- rights, the class filter, history labels, one button per reading --------------------------
def test_a_proofreader_cannot_undo_an_editors_accept(desk: Desk) -> None:
    """Deferring, proposing (or proposing to keep) on an accepted item is refused with 403 and
    logged as refused; the correction stays in ``apply``; an editor may still change it."""
    from proofbench.review.apply import APPLIERS

    item = find_ball(desk.items)
    ed, pat = client_for(desk), client_for(desk)
    login(ed, "ed")
    login(pat, "pat")
    assert act(ed, item.key, action="accept", choice="witness:P45").status_code == 303
    for form in (
        {"action": "defer"},
        {"action": "propose", "choice": "target"},
        {"action": "propose", "choice": "custom", "custom": "bail."},
    ):
        resp = act(pat, item.key, **form)
        assert resp.status_code == 403, form
        assert "only an editor changes it" in resp.get_data(as_text=True)
    entry = desk.entry(item.key)
    assert entry is not None and entry.state.status == "accepted" and entry.state.by == "ed"
    assert "huge and jammed hall" in APPLIERS["txt"](desk)
    assert act(pat, item.key, action="note", note="I doubt it").status_code == 303
    log = desk.history(entry.stored)
    assert [(e.action, e.refused) for e in log] == [
        ("accept", False),
        ("defer", True),
        ("propose", True),
        ("propose", True),
        ("note", False),
    ]
    assert act(ed, item.key, action="reject").status_code == 303  # an editor may


def test_class_filter_finds_primary_and_secondary_classes(desk: Desk) -> None:
    ed = client_for(desk)
    login(ed, "ed")
    for cls in sorted({i.cls for i in desk.items}):
        html = page(ed, f"/?cls={cls}")
        want = {i.key for i in desk.items if i.cls == cls}
        shown = set(re.findall(r'data-href="/item/([^"?]+)', html))
        assert want <= shown, cls


def test_history_labels_say_refused_once_and_overrule_only_on_disagreement(desk: Desk) -> None:
    item = find_ball(desk.items)
    ed, pat = client_for(desk), client_for(desk)
    login(ed, "ed")
    login(pat, "pat")
    stale = page(ed, f"/item/{item.key}")
    assert act(pat, item.key, action="propose", choice="target").status_code == 303
    resp = ed.post(
        f"/item/{item.key}", data={"csrf": csrf_of(stale), "based_on": "0", "action": "defer"}
    )
    assert resp.status_code == 409
    html = page(ed, "/history")
    assert "refused: refused" not in html and "refused</span>: This item changed" in html
    # The editor's reject agrees with pat's proposal to keep the text: no "overrules".
    assert act(ed, item.key, action="reject").status_code == 303
    assert "overrules" not in page(ed, f"/item/{item.key}")
    # Accepting another reading after that reject does overrule it.
    assert act(ed, item.key, action="accept", choice="witness:P45").status_code == 303
    assert "overrules ed" in page(ed, f"/item/{item.key}")


def test_one_button_per_distinct_reading(desk: Desk) -> None:
    """The proposal and a witness reading the same words are one button, which answers all
    their keys (the suggestion here is the print's reading, which P45 reads too)."""
    item = find_ball(desk.items)
    assert item.suggestion == item.readings["P45"]  # issue 9: the OCR read it at confidence 94
    pat, ed = client_for(desk), client_for(desk)
    login(pat, "pat")
    login(ed, "ed")
    assert act(pat, item.key, action="propose", choice="witness:P45").status_code == 303
    html = page(ed, f"/item/{item.key}")
    actions = html[html.index('id="actions"') : html.index('id="item-history"')]
    buttons = re.findall(r'<button name="action" value="accept"[^>]*>(.*?)</button>', actions, re.S)
    readings = [re.sub(r"<[^>]+>", "", b) for b in buttons if "Accept it" not in b]
    assert len(readings) == len(set(readings))
    merged = [b for b in readings if "hall." in b]
    assert len(merged) == 1 and "the proposal" in merged[0] and "P45" in merged[0]
    # the proposal's key and the witness's, with the suggestion's where it reads the same
    assert re.search(r'data-key="p (a )?1"', actions)


@pytest.mark.parametrize("bad", ["a\x00b", "x\x07", "\x1b[31m"])
def test_control_characters_are_refused_with_a_clear_message(desk: Desk, bad: str) -> None:
    """NUL and other control characters in a reading, a note or a login name: 400 or 401
    with a sentence naming the character, on SQLite and PostgreSQL alike; nothing stored."""
    item = find_ball(desk.items)
    ed = client_for(desk)
    login(ed, "ed")
    resp = act(ed, item.key, action="accept", choice="custom", custom=bad)
    assert resp.status_code == 400 and "control character" in resp.get_data(as_text=True)
    resp = act(ed, item.key, action="note", note=bad)
    assert resp.status_code == 400 and "control character" in resp.get_data(as_text=True)
    assert login(client_for(desk), bad).status_code == 401
    assert desk.history() == []


def test_notes_and_readings_are_bounded(desk: Desk) -> None:
    from proofbench.review.store import MAX_NOTE, MAX_READING

    item = find_ball(desk.items)
    ed = client_for(desk)
    login(ed, "ed")
    resp = act(ed, item.key, action="note", note="n" * (MAX_NOTE + 1))
    assert resp.status_code == 400 and f"at most {MAX_NOTE}" in resp.get_data(as_text=True)
    resp = act(ed, item.key, action="accept", choice="custom", custom="r" * (MAX_READING + 1))
    assert resp.status_code == 400
    assert act(ed, item.key, action="note", note="n" * MAX_NOTE).status_code == 303


# --- sessions, keys, login limits ----------------------------------------------------------
def test_a_cookie_kept_from_before_logout_is_refused(desk: Desk) -> None:
    c = client_for(desk)
    login(c, "ed")
    cookie = c.get_cookie("proofbench_review")
    assert cookie is not None and c.get("/").status_code == 200
    html = page(c, "/")
    assert c.post("/logout", data={"csrf": csrf_of(html)}).status_code == 303
    replay = client_for(desk)
    replay.set_cookie("proofbench_review", cookie.value)
    resp = replay.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_a_forged_cookie_is_refused_even_with_the_signing_key(desk: Desk) -> None:
    """Whoever holds the signing key can sign any cookie, but a cookie only names a session
    token, and the store keeps only digests of real ones."""
    import secrets as _secrets

    app = create_app(desk)
    app.testing = True
    signer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    for forged in ({"user": "ada", "csrf": "x"}, {"sid": _secrets.token_urlsafe(32), "csrf": "x"}):
        c = app.test_client()
        c.set_cookie("proofbench_review", signer.dumps(forged))
        assert c.get("/users").status_code == 302, forged


def test_ending_all_sessions_of_a_user(desk: Desk) -> None:
    a, b = client_for(desk), client_for(desk)
    login(a, "pat")
    login(b, "pat")
    assert desk.store.end_sessions_of("pat") == 2
    assert a.get("/").status_code == 302 and b.get("/").status_code == 302


def test_login_lockout_after_repeated_failures(desk: Desk) -> None:
    from proofbench.review.limits import FAILURES

    c = client_for(desk)
    for _ in range(FAILURES):
        assert login(c, "ed", "wrong password").status_code == 401
    resp = login(c, "ed")  # the right password, too late
    assert resp.status_code == 429 and "Too many failed logins" in resp.get_data(as_text=True)
    assert c.get("/").status_code == 302
    assert login(client_for(desk), "pat").status_code == 303  # another name is not locked


def test_login_guard_unlocks_after_the_lockout(monkeypatch: pytest.MonkeyPatch) -> None:
    from proofbench.review.limits import FAILURES, LOCKOUT, LoginGuard

    now = [1000.0]
    guard = LoginGuard(clock=lambda: now[0])
    for _ in range(FAILURES):
        assert guard.wait("ed", "1.2.3.4") == 0
        guard.failed("ed", "1.2.3.4")
    assert guard.wait("ed", "1.2.3.4") == pytest.approx(LOCKOUT)
    assert guard.wait("ed", "5.6.7.8") > 0  # the name is locked from everywhere
    now[0] += LOCKOUT + 1
    assert guard.wait("ed", "1.2.3.4") == 0


def test_store_file_is_private(tmp_path: Path) -> None:
    import stat

    from proofbench.review.store import Store

    path = tmp_path / "new.review.db"
    s = Store(path)
    s.add_user("ada", "admin", PASSWORD)
    for p in tmp_path.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    s.close()
    path.chmod(0o644)  # an older store is made private on opening
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_bulk_page_previews_applies_and_undoes(desk: Desk) -> None:
    ed, pat = client_for(desk), client_for(desk)
    login(ed, "ed")
    login(pat, "pat")
    assert pat.get("/bulk?action=reject&target_suggested=1").status_code == 403
    url = "/bulk?action=reject&target_suggested=1"
    html = page(ed, url)
    n = int(re.search(r"<b>(\d+)</b> items would be rejected", html).group(1))  # type: ignore[union-attr]
    assert n > 0
    assert ed.post(url, data={"csrf": csrf_of(html), "count": str(n + 1)}).status_code == 409
    resp = ed.post(url, data={"csrf": csrf_of(html), "count": str(n)})
    assert resp.status_code == 303
    assert sum(e.state.status == "rejected" for e in desk.entries()) == n
    done = page(ed, resp.headers["Location"])
    ident = re.search(r'name="undo" value="([^"]+)"', done).group(1)  # type: ignore[union-attr]
    assert ed.post("/bulk", data={"csrf": csrf_of(done), "undo": ident}).status_code == 303
    assert sum(e.state.status == "deferred" for e in desk.entries()) == n


def test_a_long_history_is_paged_newest_first(desk: Desk) -> None:
    from proofbench.review.app import HISTORY_PAGE

    item = find_ball(desk.items)
    ed = desk.store.user("ed")
    assert ed is not None
    n = HISTORY_PAGE + 7
    for k in range(n):
        desk.act(item.key, "note", ed, 0, note=f"remark {k}")
    c = client_for(desk)
    login(c, "ed")
    html = page(c, f"/item/{item.key}")
    shown = re.findall(r"remark (\d+)", html)
    assert shown[0] == str(n - 1) and len(shown) == HISTORY_PAGE  # the newest first
    assert f"of {n} events" in html
    m = re.search(r'href="\?before=(\d+)" id="older-events"', html)
    assert m
    older = re.findall(r"remark (\d+)", page(c, f"/item/{item.key}?before={m.group(1)}"))
    assert older == [str(k) for k in range(6, -1, -1)]
    assert len(re.findall(r"remark \d+", page(c, "/history"))) == HISTORY_PAGE
    assert c.get("/history?before=x").status_code == 400


def test_a_decision_is_confirmed_once_on_the_next_page_without_a_new_cookie(desk: Desk) -> None:
    """The POST answers with a redirect and no Set-Cookie (the message waits on the server,
    not in the cookie); the next page of that session says what was recorded, once; another
    session's page does not."""
    item = find_ball(desk.items)
    ed, other = client_for(desk), client_for(desk)
    login(ed, "ed")
    login(other, "ed")
    resp = act(ed, item.key, action="accept", choice="suggestion", stay="1")
    assert resp.status_code == 303
    assert "Set-Cookie" not in resp.headers
    seq = desk.store.events(desk.scope)[-1].seq
    assert f"Recorded: accept (event #{seq})." not in page(other, f"/item/{item.key}")
    assert f"Recorded: accept (event #{seq})." in page(ed, resp.headers["Location"])
    assert "Recorded:" not in page(ed, f"/item/{item.key}")


def test_an_item_page_reads_through_one_connection(desk: Desk) -> None:
    """The session's user, the new events and the item's history share one pooled connection
    per request (``Store.holding``), not one checkout each."""
    from sqlalchemy import event

    item = find_ball(desk.items)
    c = client_for(desk)
    login(c, "ed")
    page(c, f"/item/{item.key}")  # the first view reads the whole log
    checkouts: list[object] = []

    def count(*_args: object) -> None:
        checkouts.append(1)

    pool = desk.store.reader.pool  # the reads' pool (on PostgreSQL not the writers')
    event.listen(pool, "checkout", count)
    try:
        page(c, f"/item/{item.key}")
    finally:
        event.remove(pool, "checkout", count)
    assert len(checkouts) == 1
