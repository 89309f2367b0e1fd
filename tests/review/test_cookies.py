"""Session cookies verified once and remembered (review/cookies.py): the same answers as Flask's
own cookie sessions for good, forged and expired cookies, and a bounded memory."""

from __future__ import annotations

import datetime as dt

import pytest

flask = pytest.importorskip("flask")

from proofbench.review import cookies  # noqa: E402
from proofbench.review.cookies import RememberedCookies  # noqa: E402


def _app(kept: int = cookies.KEPT) -> flask.Flask:
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY="k" * 32, PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=1))
    app.session_interface = RememberedCookies(kept)

    @app.get("/set/<value>")
    def set_(value: str) -> str:
        flask.session["sid"] = value
        return "set"

    @app.get("/get")
    def get() -> str:
        return str(flask.session.get("sid", "-"))

    return app


def _cookie(app: flask.Flask, value: str) -> str:
    client = app.test_client()
    client.get(f"/set/{value}")
    made = client.get_cookie("session")
    assert made is not None
    return made.value


def _read(app: flask.Flask, cookie: str) -> str:
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/get").text


def test_a_cookie_reads_the_same_when_remembered() -> None:
    app = _app()
    c = _cookie(app, "alice")
    assert _read(app, c) == "alice"
    assert _read(app, c) == "alice"  # now from memory
    assert len(app.session_interface._seen) == 1  # type: ignore[attr-defined]


def test_a_forged_cookie_gives_no_session() -> None:
    app = _app()
    c = _cookie(app, "alice")
    assert _read(app, c) == "alice"
    payload, sig = c.rsplit(".", 1)
    forged = payload + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    assert _read(app, forged) == "-"
    other = _app()  # another key: a cookie of this app is worth nothing there
    other.config["SECRET_KEY"] = "x" * 32
    assert _read(other, c) == "-"


def test_a_remembered_cookie_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app()
    c = _cookie(app, "alice")
    assert _read(app, c) == "alice"  # verified and remembered
    later = cookies.time.time() + 2 * 3600
    monkeypatch.setattr(cookies.time, "time", lambda: later)
    assert _read(app, c) == "-"  # past PERMANENT_SESSION_LIFETIME, memory or not


def test_the_memory_is_bounded() -> None:
    app = _app(kept=2)
    made = [_cookie(app, name) for name in ("a", "b", "c")]
    for c, name in zip(made, "abc", strict=True):
        assert _read(app, c) == name
    seen = app.session_interface._seen  # type: ignore[attr-defined]
    assert list(seen) == made[1:]  # the oldest dropped
    assert _read(app, made[0]) == "a"  # and verified again when it comes back
