"""The review store on SQLite and on a real PostgreSQL server: migrations, accounts, the
append-only log, role checks and optimistic concurrency."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from proofbench.errors import PermissionDeniedError, StaleDecisionError, StoreError
from proofbench.review import migrations
from proofbench.review.items import Anchor
from proofbench.review.schema import events, users
from proofbench.review.store import Store, User, database_url, fold

ANCHOR = Anchor(
    "W", {"W": "ball.", "P": "hall."}, "huge and jammed", "You and I,", 10, 15, "v1", "h"
)


@pytest.fixture()
def store(db_url: str) -> Store:
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture()
def people(store: Store) -> dict[str, User]:
    return {
        "pat": store.add_user("pat", "proofreader", "pat-secret"),
        "eve": store.add_user("eve", "editor", "eve-secret"),
        "ann": store.add_user("ann", "admin", "ann-secret"),
    }


def test_fresh_store_is_migrated_once(db_url: str) -> None:
    s = Store(db_url)
    n = len(migrations.migrations())
    assert s.version == n >= 1
    secret = s.secret_key()
    s.close()
    again = Store(db_url)  # reopening applies nothing and keeps the secret
    with again.engine.connect() as conn:
        rows = conn.execute(text("SELECT version FROM schema_version ORDER BY version")).all()
    assert [r[0] for r in rows] == list(range(1, n + 1))
    assert again.secret_key() == secret and len(secret) >= 32
    again.close()


def test_a_newer_store_is_refused(db_url: str) -> None:
    s = Store(db_url)
    with s.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'x', 'now')")
        )
    s.close()
    with pytest.raises(StoreError, match="schema version 999"):
        Store(db_url)


def test_accounts(store: Store, people: dict[str, User]) -> None:
    assert store.authenticate("eve", "eve-secret") == people["eve"]
    assert store.authenticate("eve", "wrong-password") is None
    assert store.authenticate("nobody", "eve-secret") is None
    assert [u.name for u in store.users()] == ["ann", "eve", "pat"]
    with store.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(select(users.c.password_hash))]
    assert all("secret" not in h and h.count("$") >= 2 for h in hashes)  # salted, hashed
    with pytest.raises(StoreError, match="exists already"):
        store.add_user("eve", "editor", "another-secret")
    with pytest.raises(StoreError, match="unknown role"):
        store.add_user("zed", "boss", "zed-secret")
    with pytest.raises(StoreError, match="at least 8"):
        store.add_user("zed", "editor", "short")
    with pytest.raises(StoreError, match="bad user name"):
        store.add_user("two words", "editor", "zed-secret")


def test_proofreader_proposes_editor_accepts(store: Store, people: dict[str, User]) -> None:
    pat, eve = people["pat"], people["eve"]
    e1 = store.act("s", "v1", "propose", pat, 0, ANCHOR, reading="hall.", choice="witness:P")
    assert fold(store.events("s", "v1")).status == "proposed"
    e2 = store.act("s", "v1", "accept", eve, e1.seq, ANCHOR, reading="hall.", choice="proposal")
    state = store.states("s")["v1"]
    assert (state.status, state.reading, state.by, state.seq) == (
        "accepted",
        "hall.",
        "eve",
        e2.seq,
    )
    assert state.reviewers == ("pat", "eve")
    log = store.events("s", "v1")
    assert [e.action for e in log] == ["propose", "accept"]
    assert log[1].state_before["status"] == "proposed" and log[1].state_before["by"] == "pat"
    assert log[1].based_on == e1.seq and log[0].anchor == ANCHOR


def test_a_proofreader_cannot_accept_and_the_attempt_is_logged(
    store: Store, people: dict[str, User]
) -> None:
    pat = people["pat"]
    for action in ("accept", "reject", "dismiss"):
        with pytest.raises(PermissionDeniedError, match="proofreader may not"):
            store.act("s", "v1", action, pat, 0, ANCHOR, reading="hall.")
    log = store.events("s", "v1")
    assert [(e.action, e.refused) for e in log] == [
        ("accept", True),
        ("reject", True),
        ("dismiss", True),
    ]
    assert fold(log).status == "open"


def test_stale_action_is_refused_and_logged(store: Store, people: dict[str, User]) -> None:
    pat, eve, ann = people["pat"], people["eve"], people["ann"]
    e1 = store.act("s", "v1", "propose", pat, 0, ANCHOR, reading="hall.")
    store.act("s", "v1", "accept", eve, e1.seq, ANCHOR, reading="hall.")
    with pytest.raises(StaleDecisionError, match="changed since you loaded it") as info:
        store.act("s", "v1", "reject", ann, e1.seq, ANCHOR)
    assert "accepted by eve" in str(info.value)
    log = store.events("s", "v1")
    assert [(e.user, e.action, e.refused) for e in log] == [
        ("pat", "propose", False),
        ("eve", "accept", False),
        ("ann", "reject", True),
    ]
    assert "changed since" in (log[-1].message or "")
    assert store.states("s")["v1"].status == "accepted"  # nothing overwritten
    # A note changes no decision, so it is never stale.
    store.act("s", "v1", "note", pat, 0, ANCHOR, note="print reads hall")
    assert store.states("s")["v1"].notes == 1


def test_events_are_never_updated(store: Store, people: dict[str, User]) -> None:
    pat, eve = people["pat"], people["eve"]
    seq = 0
    snapshots = []
    for i, reading in enumerate(["hall.", "hull.", "hall."]):
        user = pat if i == 0 else eve  # once accepted, only an editor changes it
        action = "propose" if user is pat else "accept"
        seq = store.act("s", "v1", action, user, seq, ANCHOR, reading=reading).seq
        with store.engine.connect() as conn:
            snapshots.append(conn.execute(select(events).order_by(events.c.seq)).all())
    for before, after in itertools.pairwise(snapshots):
        assert after[: len(before)] == before
        assert len(after) == len(before) + 1


def test_the_database_refuses_a_second_successor(store: Store, people: dict[str, User]) -> None:
    """Even past the check, two applied events on one predecessor cannot both be stored."""
    row = {
        "scope": "s",
        "item": "v9",
        "variant_id": "v9",
        "action": "propose",
        "user_name": "pat",
        "role": "proofreader",
        "at": "now",
        "based_on": 0,
        "chain": 0,
        "state_before": "{}",
        "anchor": ANCHOR.to_json(),
        "refused": False,
    }
    with store.engine.begin() as conn:
        conn.execute(insert(events).values(**row))
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(events).values(**row))


def test_malformed_actions(store: Store, people: dict[str, User]) -> None:
    eve = people["eve"]
    with pytest.raises(StoreError, match="unknown action"):
        store.act("s", "v1", "delete", eve, 0, ANCHOR)
    with pytest.raises(StoreError, match="needs a reading"):
        store.act("s", "v1", "accept", eve, 0, ANCHOR)
    with pytest.raises(StoreError, match="needs some text"):
        store.act("s", "v1", "note", eve, 0, ANCHOR, note="  ")


def test_concurrent_decisions_one_wins(db_url: str) -> None:
    """Many threads decide the same item on the same state: one wins, the rest are refused,
    and the log holds every attempt."""
    setup = Store(db_url)
    eds = [setup.add_user(f"ed{i}", "editor", "editor-secret") for i in range(6)]
    setup.close()
    stores = [Store(db_url) for _ in eds]  # one connection pool each, as separate servers
    barrier = threading.Barrier(len(eds))
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(i: int) -> None:
        barrier.wait()
        try:
            stores[i].act("s", "v1", "accept", eds[i], 0, ANCHOR, reading=f"hall{i}.")
            result = "won"
        except StaleDecisionError:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(len(eds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * (len(eds) - 1) + ["won"]
    log = stores[0].events("s", "v1")
    assert len(log) == len(eds)
    assert sum(not e.refused for e in log) == 1
    assert {e.user for e in log} == {u.name for u in eds}
    winner = next(e for e in log if not e.refused)
    assert stores[0].states("s")["v1"].reading == winner.reading
    for s in stores:
        s.close()


def test_database_url() -> None:
    assert database_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url("x.db").startswith("sqlite:////")


def test_migrations_build_the_schema_the_store_queries(db_url: str) -> None:
    """The tables the migrations made have exactly the columns ``schema.py`` declares."""
    from sqlalchemy import inspect

    from proofbench.review.schema import METADATA

    s = Store(db_url)
    found = inspect(s.engine)
    for table in METADATA.sorted_tables:
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
    uniques = found.get_unique_constraints("events")
    assert any(set(u["column_names"]) == {"scope", "item", "chain"} for u in uniques)
    indexes = [i["column_names"] for i in found.get_indexes("events")]
    assert ["scope", "item", "seq"] in indexes  # an item's events in order, newest from its end
    assert ["item"] not in indexes  # migration 5: PostgreSQL chose it, then sorted a whole log
    s.close()


def test_fold_walks_the_states(store: Store, people: dict[str, User]) -> None:
    """propose -> defer keeps the proposal -> overrule by accept -> reject -> dismiss."""
    pat, eve = people["pat"], people["eve"]
    seq = store.act("s", "v1", "propose", pat, 0, ANCHOR, reading="hall.", choice="custom").seq
    seq = store.act("s", "v1", "defer", pat, seq, ANCHOR).seq
    st = store.states("s")["v1"]
    assert (st.status, st.reading, st.choice) == ("deferred", "hall.", "custom")
    seq = store.act("s", "v1", "accept", eve, seq, ANCHOR, reading="hull.", choice="custom").seq
    assert store.states("s")["v1"].reading == "hull."  # an editor overrules the proposal
    seq = store.act("s", "v1", "reject", eve, seq, ANCHOR).seq
    st = store.states("s")["v1"]
    assert (st.status, st.reading, st.seq) == ("rejected", None, seq)
    store.act("s", "v1", "dismiss", eve, seq, ANCHOR)
    log = store.events("s", "v1")
    assert [e.state_before["status"] for e in log] == [
        "open",
        "proposed",
        "deferred",
        "accepted",
        "rejected",
    ]
    assert store.states("s")["v1"].status == "dismissed"


def test_accounts_from_the_command_line(db_url: str) -> None:
    """`proofbench users add/list --db` on a file or a PostgreSQL URL as given by a user."""
    import subprocess
    import sys

    url = db_url.replace("postgresql+psycopg://", "postgresql://")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "proofbench.cli", "users", *args, "--db", url],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    r = run("add", "eve", "--role", "editor", "--password-stdin", stdin="eve-secret\n")
    assert r.returncode == 0, r.stderr
    r = run("add", "pat", "--role", "proofreader", "--password-stdin", stdin="short\n")
    assert r.returncode == 2 and "at least 8" in r.stderr
    r = run("list")
    assert r.returncode == 0 and [ln.split("\t")[:2] for ln in r.stdout.splitlines()] == [
        ["eve", "editor"]
    ]
    s = Store(db_url)
    assert s.authenticate("eve", "eve-secret") is not None
    s.close()


def test_an_unreachable_store_is_one_line() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    with pytest.raises(StoreError) as info:
        Store(f"postgresql://nobody:secret@127.0.0.1:{port}/none?connect_timeout=3")
    msg = str(info.value)
    assert "cannot open the review store" in msg and "\n" not in msg
    assert "secret" not in msg  # the password is never shown


@settings(max_examples=300, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12),
    flag=st.tuples(st.integers(0, 70), st.integers(0, 8)),
)
def test_span_index_agrees_with_testing_every_span(
    spans: list[tuple[int, int]], flag: tuple[int, int]
) -> None:
    """The bisected index says a flag meets a variant exactly when a scan of every span does."""
    from proofbench.review.items import SpanIndex

    taken = [(s, s + n) for s, n in spans]
    start, end = flag[0], flag[0] + flag[1]
    scan = any(s <= start < max(e, s + 1) or start <= s < end for s, e in taken)
    assert SpanIndex(taken).meets(start, end) == scan


def test_the_session_key_is_in_a_private_file_outside_the_store(db_url: str) -> None:
    import stat

    from proofbench.errors import StoreError
    from proofbench.review.keys import key_path

    s = Store(db_url)
    secret = s.secret_key()
    path = key_path(s.url)
    assert path is not None and path.read_text().strip() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with s.engine.connect() as conn:  # nothing in the store holds it
        rows = conn.execute(text("SELECT key, value FROM settings")).all()
    assert all(secret not in str(r) for r in rows)
    path.chmod(0o644)
    with pytest.raises(StoreError, match="may be read or written by others"):
        s.secret_key()
    path.unlink()  # a lost key: a new one, and every cookie signed with the old is void
    assert s.secret_key() != secret
    s.close()


def _make_key_at_once(url: str, makers: int) -> tuple[list[str], list[BaseException]]:
    """``makers`` threads asking for the key of a new store at the same moment: (their keys,
    their errors)."""
    from proofbench.review.keys import signing_key

    start = threading.Barrier(makers)
    got: list[str] = []
    failed: list[BaseException] = []

    def make() -> None:
        start.wait()
        try:
            got.append(signing_key(url))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=make) for _ in range(makers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got, failed


def test_servers_starting_at_once_agree_on_one_whole_session_key(tmp_path: Any) -> None:
    """Many makers of one new key at the same moment (server processes forked together): each
    gets the same key, none meets the file before its key is written."""
    for n in range(5):
        got, failed = _make_key_at_once(f"sqlite:///{tmp_path}/race{n}.review.db", 12)
        assert failed == [] and len(got) == 12 and len(set(got)) == 1
    made = sorted(p.name for p in tmp_path.iterdir())  # no temporary file left behind
    assert made == [f"race{n}.review.db.key" for n in range(5)]


def test_failed_logins_are_counted_in_the_store_and_survive_a_restart(db_url: str) -> None:
    from proofbench.review.limits import FAILURES, LOCKOUT, LoginGuard

    now = [1_000_000.0]
    s = Store(db_url)
    guard = LoginGuard(s, clock=lambda: now[0])
    for _ in range(FAILURES):
        assert guard.wait("ed", "1.2.3.4") == 0
        guard.failed("ed", "1.2.3.4")
    s.close()
    again = Store(db_url)  # the server restarted
    guard = LoginGuard(again, clock=lambda: now[0])
    assert guard.wait("ed", "9.9.9.9") == pytest.approx(LOCKOUT)
    assert guard.wait("ann", "9.9.9.9") == 0
    now[0] += LOCKOUT + 1
    assert guard.wait("ed", "1.2.3.4") == 0
    guard.failed("some\x00one", "5.5.5.5")  # old rows are dropped as new failures come
    ed, someone = guard._keys("ed", "")[0], guard._keys("some\x00one", "")[0]
    assert set(again.failures([ed, "addr:1.2.3.4", someone])) == {someone}
    guard.succeeded("some\x00one", "5.5.5.5")
    assert again.failures([someone]) == {}
    again.close()


@pytest.mark.postgres
def test_connections_the_database_dropped_are_replaced(pg_server: Any) -> None:
    """The pool does not ping a connection on every checkout: when the server drops them all
    (a restart, an admin's pg_terminate_backend), the next read and the next decision each
    find their dead connection and are made once more on a new one, without an error."""
    import psycopg

    url = pg_server.create_database(f"review_dropped_{next(itertools.count())}_{id(ANCHOR)}")
    s = Store(url)
    try:
        eve = s.add_user("eve", "editor", "eve-secret")
        token = s.open_session(eve)
        with s.holding():  # connections in the pool, as a server's threads leave them
            assert s.session_user(token) == eve
        e1 = s.act("s", "v1", "propose", eve, 0, ANCHOR, reading="hall.", choice="witness:P")
        dbname = url.rsplit("/", 1)[1]

        def drop_all() -> None:
            with psycopg.connect(
                host=pg_server.host,
                port=pg_server.port,
                user=pg_server.user,
                dbname="postgres",
                autocommit=True,
            ) as admin:
                killed = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (dbname,),
                ).fetchone()
            assert killed is not None and killed[0] >= 1

        drop_all()
        e2 = s.act("s", "v1", "accept", eve, e1.seq, ANCHOR, reading="hall.", choice="proposal")
        drop_all()
        assert s.session_user(token) == eve  # the read, again on a new connection
        assert [e.seq for e in s.events("s", "v1")] == [e1.seq, e2.seq]
    finally:
        s.close()
