"""The review web app: login, the queue, a variant's page with its actions, history, accounts.

Input: a ``Desk`` (a collation with its store). Output: a Flask app (``create_app``) and a
local server (``serve``). Every page but the login page needs a session. A session is a row of
the store (only a digest of its random token is kept); the signed, HttpOnly, SameSite cookie
carries the token, so logging out (or an admin) revokes it for good, and a forged cookie names
no session. Logins are limited per name and address, with lockout (``limits.LoginGuard``).
Every form carries a CSRF token checked on the server (a POST without it gets 400), and every
action is checked against the user's role by the store (403 when refused). Witness text reaches
the page only through Jinja2 autoescaping; the page's script is a static file (a strict
Content-Security-Policy forbids inline script).
"""

from __future__ import annotations

import hmac
import secrets
import socket
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from flask import (
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers.response import Response as WResponse

from proofbench.errors import PermissionDeniedError, StaleDecisionError, StoreError
from proofbench.model import Kind
from proofbench.review import bulk, workers
from proofbench.review.cookies import RememberedCookies
from proofbench.review.desk import SORTS, Desk, Entry, Filters
from proofbench.review.limits import LoginGuard
from proofbench.review.notices import Notices
from proofbench.review.server import Server, listening
from proofbench.review.store import ACTIONS, PERMITTED, ROLES, STATUSES, Store

if TYPE_CHECKING:
    from proofbench.render.crops import Cropper

SHORTCUT_KEYS = "123456789"
PAGE_SIZE = 100
"""Queue rows per page: a screenful or a few, whatever the size of the book."""
HISTORY_PAGE = 100
"""Events per history page (newest first; older ones a link away)."""
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One witness's reading on a variant page."""

    siglum: str
    label: str
    text: str
    is_target: bool
    suspect: bool
    diff: list[list[int | str]]


@dataclass(frozen=True, slots=True)
class Choice:
    """One button for one distinct reading: where it comes from, the form's choice, its keys."""

    reading: str
    choice: str
    sources: tuple[str, ...]
    keys: tuple[str, ...]
    id: str

    @property
    def label(self) -> str:
        """``the suggestion``, or ``the proposal (also the suggestion, P45's)``."""
        first, *rest = self.sources
        return f"{first} (also {', '.join(rest)})" if rest else first


def _readings(desk: Desk, entry: Entry) -> list[Reading]:
    from proofbench.render.chardiff import char_diff  # on the first item page, not at start-up

    item = entry.item
    out = []
    for w in desk.outline.witnesses:
        if w.siglum not in item.readings:
            continue
        text = item.readings[w.siglum]
        is_target = w.siglum == item.target
        diff = [] if is_target else char_diff(item.target_reading, text)
        out.append(Reading(w.siglum, w.label, text, is_target, w.siglum in item.suspect, diff))
    return out


def choices(desk: Desk, entry: Entry, may_accept: bool) -> list[Choice]:
    """One button per distinct reading other than the target's (which Reject keeps).

    The proposal (for an editor), the suggestion, then each witness's reading; a reading that
    several of them share is one button carrying all their keys, never two buttons doing the
    same thing.
    """
    item = entry.item
    sources: list[tuple[str, str, str, str, str]] = []  # reading, choice, source, key, id
    if may_accept and entry.state.status == "proposed" and entry.state.reading is not None:
        sources.append((entry.state.reading, "proposal", "the proposal", "p", "accept-proposal"))
    if item.suggestion is not None:
        sources.append((item.suggestion, "suggestion", "the suggestion", "a", "accept-suggestion"))
    n = 0
    for w in desk.outline.witnesses:
        text = item.readings.get(w.siglum)
        if text is None or w.siglum == item.target or text == item.target_reading:
            continue
        key = SHORTCUT_KEYS[n] if n < len(SHORTCUT_KEYS) else ""
        n += 1
        sources.append((text, f"witness:{w.siglum}", f"{w.siglum}'s", key, f"take-{w.siglum}"))
    merged: dict[str, Choice] = {}
    for reading, choice, source, key, ident in sources:
        if reading == item.target_reading:
            continue
        keys = (key,) if key else ()
        if reading in merged:
            c = merged[reading]
            merged[reading] = Choice(reading, c.choice, (*c.sources, source), c.keys + keys, c.id)
        else:
            merged[reading] = Choice(reading, choice, (source,), keys, ident)
    return list(merged.values())


def _crops(desk: Desk, entry: Entry, cropper: Cropper) -> list[tuple[str, str]]:
    """Page-image crops of the OCR witnesses' readings: (siglum, data URI).

    Only a review with OCR witnesses reads the whole collation (their tokens' boxes).
    """
    if not desk.outline.has_ocr:
        return []
    from proofbench.render.html import tokens_in  # the report's own helper, shared
    from proofbench.render.layout import variant_span

    c = desk.collation
    v = desk.variant_of(entry.item)
    out = []
    for w in c.witnesses:
        if w.kind is not Kind.OCR:
            continue
        if v is not None:
            start, end = variant_span(c, v, w.siglum)
        elif w.siglum == entry.item.target:
            start, end = entry.item.start, entry.item.end
        else:
            continue
        uri = cropper.crop(tokens_in(w, start, end))
        if uri:
            out.append((w.siglum, uri))
    return out


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def signed_in(store: Store, public: Collection[str]) -> WResponse | None:
    """Before each request: a POST must carry the session's CSRF token; ``g.user`` is the
    session's user; anyone else is sent to the login page, except on the ``public`` endpoints."""
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        if not sent or not hmac.compare_digest(sent, str(session.get("csrf", ""))):
            abort(400, "missing or wrong CSRF token: reload the page and try again")
    token = session.get("sid")
    g.user = store.session_user(str(token)) if token else None
    if g.user is None and request.endpoint not in public:
        return redirect(url_for("login", next=request.full_path.rstrip("?")))
    return None


def log_in(store: Store, guard: LoginGuard, template: str) -> Any:
    """The login page (GET) and form (POST): rate-limited and locked out by ``guard``, password
    hashing bounded, a fresh session on success (no fixation, a new CSRF token), then ``next``
    if it is a path on this server."""
    error = ""
    if request.method == "POST":
        name = request.form.get("name", "")
        address = request.remote_addr or "-"
        wait = guard.wait(name, address)
        if wait > 0:
            msg = f"Too many failed logins: try again in {int(wait // 60) + 1} minutes."
            return render_template(template, error=msg), 429
        with guard.hashing() as slot:
            if not slot:
                msg = "The server is busy checking other logins: try again in a moment."
                return render_template(template, error=msg), 503
            user = store.authenticate(name, request.form.get("password", ""))
        if user is None:
            guard.failed(name, address)
            error = "Unknown name or wrong password."
        else:
            guard.succeeded(name, address)
            old = session.get("sid")
            if old:
                store.end_session(str(old))
            session.clear()
            session["sid"] = store.open_session(user)
            session["csrf"] = secrets.token_urlsafe(32)
            nxt = request.args.get("next", "")
            if not nxt.startswith("/") or nxt.startswith("//"):
                nxt = url_for("queue")
            return redirect(nxt, code=303)
    return render_template(template, error=error), 401 if error else 200


def log_out(store: Store) -> WResponse:
    """End the session in the store (the cookie, even if kept, is dead now) and in the browser."""
    token = session.get("sid")
    if token:
        store.end_session(str(token))
    session.clear()
    return redirect(url_for("login"), code=303)


def secure_headers(resp: Response) -> Response:
    """The security headers of every response: a strict CSP, no sniffing, framing or caching."""
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def create_app(desk: Desk, secret_key: str | None = None) -> Flask:
    """The Flask app serving ``desk``; the session key is the store's unless one is given."""
    app = Flask(__name__)  # templates/ and static/ beside this module
    app.config.update(
        SECRET_KEY=secret_key or desk.store.secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="proofbench_review",
        MAX_CONTENT_LENGTH=1_000_000,
    )
    app.session_interface = RememberedCookies()  # each cookie verified once (cookies.py)
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    base = Path(desk.outline.manifest.path).resolve().parent
    classes = sorted({c for i in desk.items for c in i.classes})
    crop: list[Cropper] = []  # made on the first page with crops (the render stage is big)

    def cropper() -> Cropper:
        if not crop:
            from proofbench.render.crops import Cropper

            crop.append(Cropper(base, budget=1 << 60))
        return crop[0]

    public = {"login", "static"}
    guard = LoginGuard(desk.store)  # counts in the store: a restart lifts no lockout
    notices = Notices()  # "Recorded: …" after a decision, without re-signing the cookie

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "csrf_token": csrf_token,
            "user": g.get("user"),
            "title": desk.outline.title,
            "target": desk.outline.target,
            "may": lambda action: bool(g.get("user") and g.user.may(action)),
            "notices": lambda: notices.take(str(session.get("sid", ""))),
        }

    @app.before_request
    def _look() -> None:  # one read of the new events per request, however many views use it
        g.held = desk.store.holding()  # and one connection for the request's reads
        g.held.__enter__()
        g.desk_view = desk.view()
        g.desk_view.__enter__()

    @app.teardown_request
    def _done(_exc: BaseException | None) -> None:
        for name in ("desk_view", "held"):
            opened = g.pop(name, None)
            if opened is not None:
                opened.__exit__(None, None, None)

    app.before_request(lambda: signed_in(desk.store, public))
    app.after_request(secure_headers)

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(409)
    def _error(exc: Any) -> tuple[str, int]:
        return render_template("error.html", code=exc.code, message=exc.description), exc.code

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        return log_in(desk.store, guard, "login.html")

    @app.post("/logout")
    def logout() -> WResponse:
        return log_out(desk.store)

    @app.get("/")
    def queue() -> str:
        f, sort = _query()
        try:
            offset = max(0, int(request.args.get("offset", "0") or 0))
        except ValueError:
            abort(400, "offset must be a whole number")
        pg = desk.page(f, sort, offset, PAGE_SIZE)
        return render_template(
            "queue.html",
            page=pg,
            filters=f,
            sort=sort,
            sorts=SORTS,
            query=_query_args(),
            classes=classes,
            sigla=[w.siglum for w in desk.outline.witnesses],
            statuses=STATUSES,
            reviewers=[u.name for u in desk.store.users()],
            progress=desk.progress(),
        )

    def _neighbours(key: str) -> tuple[str | None, str | None]:
        f, sort = _query()
        return desk.neighbours(key, f, sort)

    def _item_page(key: str, error: str = "", status: int = 200) -> tuple[str, int]:
        entry = desk.entry(key)
        if entry is None:
            abort(404, f"no variant or flag {key!r} in this collation")
        prev, nxt = _neighbours(key)
        before = _before()
        count = desk.logged(entry.stored)  # as far as this request's view of the log goes
        history = (  # an item the log has no event of needs no read (most items, at first)
            desk.store.latest(desk.scope, entry.stored, HISTORY_PAGE, before, counted=False)[0]
            if count
            else []
        )
        page = render_template(
            "item.html",
            query=_query_args(),
            entry=entry,
            item=entry.item,
            state=entry.state,
            readings=_readings(desk, entry),
            choices=choices(desk, entry, g.user.may("accept")),
            crops=_crops(desk, entry, cropper()) if desk.outline.has_ocr else [],
            history=history,
            history_count=count,
            prev=prev,
            next=nxt,
            error=error,
        )
        return page, status

    @app.get("/item/<key>")
    def item(key: str) -> tuple[str, int]:
        return _item_page(key)

    @app.post("/item/<key>")
    def act(key: str) -> Any:
        entry = desk.entry(key)
        if entry is None:
            abort(404, f"no variant or flag {key!r} in this collation")
        action = request.form.get("action", "")
        if action not in ACTIONS:
            abort(400, f"unknown action {action!r}")
        try:
            based_on = int(request.form.get("based_on", ""))
        except ValueError:
            abort(400, "the form does not say which state it was based on")
        reading, choice = _resolve(entry, request.form.get("choice", ""), request.form)
        note = request.form.get("note", "").strip() or None
        if action in ("propose", "accept") and reading is None:
            abort(400, "choose a reading: the suggestion, a witness's, or your own")
        try:
            event = desk.act(entry.stored, action, g.user, based_on, reading, choice, note)
        except PermissionDeniedError as exc:
            abort(403, str(exc))
        except StaleDecisionError as exc:
            desk.look_again()  # show the state that refused it
            return _item_page(key, str(exc), 409)
        except StoreError as exc:
            abort(400, str(exc))
        notices.add(str(session.get("sid", "")), f"Recorded: {event.action} (event #{event.seq}).")
        if request.form.get("stay") or action == "note":
            return redirect(_item_url(key), code=303)
        _prev, nxt = _neighbours(key)
        return redirect(_item_url(nxt or key), code=303)

    @app.route("/bulk", methods=["GET", "POST"])
    def bulk_page() -> Any:
        if not g.user.may("accept"):
            abort(403, "only an editor takes bulk decisions")
        f, _sort = _query()
        action = request.args.get("action", "accept")
        suggested = request.args.get("target_suggested") == "1"
        try:
            batch = bulk.select(desk, action, f, suggested)
        except StoreError as exc:
            abort(400, str(exc))
        if request.method == "POST":
            if request.form.get("undo"):
                n = bulk.undo(desk, request.form["undo"], g.user)
                flash(f"Undone: {n} items deferred.")
                return redirect(url_for("queue"), code=303)
            try:
                expect = int(request.form.get("count", ""))
            except ValueError:
                abort(400, "the form does not say how many items it previewed")
            if expect != len(batch.chosen):
                abort(409, "the selection changed since the preview: preview again")
            ident, done, refused = bulk.apply_batch(desk, batch, g.user)
            flash(f"{ident}: {done} items {action}ed, {refused} refused (changed meanwhile).")
            return redirect(url_for("bulk_page", done=ident), code=303)
        return render_template(
            "bulk.html",
            batch=batch,
            action=action,
            suggested=suggested,
            filters=f,
            query=_query_args(),
            done=request.args.get("done", ""),
            shown=batch.chosen[:PAGE_SIZE],
        )

    @app.get("/history")
    def history() -> str:
        events, count = desk.store.latest(desk.scope, None, HISTORY_PAGE, _before())
        current = {e.item: desk.current_key(e.item) for e in events}
        return render_template("history.html", events=events, current=current, history_count=count)

    @app.get("/orphans")
    def orphans() -> str:
        return render_template("orphans.html", orphans=desk.orphans())

    @app.post("/orphans/<stored>")
    def orphan_act(stored: str) -> Any:
        action = request.form.get("action", "")
        if action not in ("dismiss", "note"):
            abort(400, f"unknown action {action!r}")
        try:
            based_on = int(request.form.get("based_on", ""))
            desk.act(
                stored,
                action,
                g.user,
                based_on,
                None,
                None,
                request.form.get("note", "").strip() or None,
            )
        except ValueError:
            abort(400, "the form does not say which state it was based on")
        except PermissionDeniedError as exc:
            abort(403, str(exc))
        except StaleDecisionError as exc:
            abort(409, str(exc))
        except (StoreError, KeyError) as exc:
            abort(400, str(exc))
        flash("Recorded.")
        return redirect(url_for("orphans"), code=303)

    @app.route("/users", methods=["GET", "POST"])
    def users() -> Any:
        if g.user.role != "admin":
            abort(403, "only an admin manages accounts")
        if request.method == "POST":
            try:
                made = desk.store.add_user(
                    request.form.get("name", ""),
                    request.form.get("role", ""),
                    request.form.get("password", ""),
                    by=g.user.name,
                )
            except StoreError as exc:
                abort(400, str(exc))
            flash(f"Account {made.name} ({made.role}) created.")
            return redirect(url_for("users"), code=303)
        return render_template("users.html", users=desk.store.users(), roles=ROLES)

    return app


QUERY = ("cls", "witness", "status", "reviewer", "min", "max", "sort")
"""The queue's query arguments, carried from the queue to item pages and back."""


def _item_url(key: str) -> str:
    """An item page's URL, keeping the queue the request came from."""
    args: dict[str, Any] = {"key": key, **_query_args()}
    return url_for("item", **args)


def _query_args() -> dict[str, str]:
    """The request's queue arguments that are set (for links that keep the same queue)."""
    return {k: request.args[k] for k in QUERY if request.args.get(k)}


def _before() -> int:
    """The ``before`` argument of a history page: show events numbered below it (0: newest)."""
    try:
        return max(0, int(request.args.get("before", "0") or 0))
    except ValueError:
        abort(400, "before must be a whole number")


def _confidence(name: str, default: float) -> float:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        abort(400, f"{name} must be a number between 0 and 1")
    if not 0.0 <= value <= 1.0:
        abort(400, f"{name} must be a number between 0 and 1")
    return value


def _query() -> tuple[Filters, str]:
    """The queue's filters and order named by the request's arguments (400 if malformed)."""
    sort = request.args.get("sort", "") or "suspicion"
    if sort not in SORTS:
        abort(400, f"unknown order {sort!r} (orders: {', '.join(SORTS)})")
    f = Filters(
        cls=request.args.get("cls", ""),
        witness=request.args.get("witness", ""),
        status=request.args.get("status", ""),
        reviewer=request.args.get("reviewer", ""),
        min_conf=_confidence("min", 0.0),
        max_conf=_confidence("max", 1.0),
    )
    return f, sort


def _resolve(entry: Entry, choice: str, form: Any) -> tuple[str | None, str | None]:
    """The reading a form's choice names, read from the item on the server, never the client.

    ``suggestion``, ``witness:SIGLUM``, ``custom`` (the typed text), ``target`` (keep it), or
    ``proposal`` (the reading proposed so far).
    """
    item = entry.item
    if choice == "suggestion":
        return item.suggestion, choice
    if choice.startswith("witness:"):
        siglum = choice.split(":", 1)[1]
        if siglum not in item.readings:
            abort(400, f"no witness {siglum!r} here")
        return item.readings[siglum], choice
    if choice == "custom":
        text = form.get("custom", "")
        return (text.strip() if text.strip() else None), choice
    if choice == "target":
        return item.target_reading, choice
    if choice == "proposal":
        if entry.state.reading is None:
            abort(400, "there is no proposal to accept")
        return entry.state.reading, entry.state.choice
    return None, None


def serve(
    desk: Desk,
    host: str = "127.0.0.1",
    port: int = 0,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the app until interrupted; ``announce`` receives the URL once it is listening.

    On PostgreSQL, one process per CPU serves the port (``workers.py``): the others are forked
    before any thread starts, after the store's pooled connections are closed (a connection
    must not be shared by two processes), and end with this one.
    """
    count = workers.processes_for(desk.store.url)
    if count == 1:
        serve_until_interrupted(make_server_for(desk, host, port), host, announce, desk.prepare)
        return
    sock = listening(host, port)
    port = int(sock.getsockname()[1])
    desk.store.close()  # no pooled connection is copied into the forked processes

    def run() -> None:
        serve_until_interrupted(make_server_for(desk, host, port, sock), host, None, desk.prepare)

    forked = workers.Workers(count, run)
    try:
        serve_until_interrupted(
            make_server_for(desk, host, port, sock), host, announce, desk.prepare
        )
    finally:
        forked.end()
        sock.close()


PAGES = ("item.html", "queue.html", "login.html", "error.html")
"""The templates compiled ahead of the first request (``warm_up``)."""


def warm_up(server: Server, prepare: Callable[[], None] | None = None) -> None:
    """Do once, in the background, what the first pages would otherwise do while a reviewer
    waits: import the letter-by-letter diff (the render package brings the classify stage's
    word lists: about a second of CPU, measured with py-spy on the server under 8 clients)
    and compile the main templates; first ``prepare`` (the desk's queue orders). Run after the
    URL is announced, so start-up is no slower.
    """
    if prepare is not None:
        prepare()
    from proofbench.render.chardiff import char_diff

    char_diff("a", "b")
    app = getattr(server, "app", None)
    if isinstance(app, Flask):
        for name in PAGES:
            app.jinja_env.get_template(name)


def serve_until_interrupted(
    server: Server,
    host: str,
    announce: Callable[[str], None] | None = None,
    prepare: Callable[[], None] | None = None,
) -> None:
    """Announce a bound server's URL, warm it up in the background (``prepare`` first), serve
    until interrupted, then close its socket."""
    if announce is not None:
        announce(f"http://{host}:{server.server_port}/")
    threading.Thread(target=warm_up, args=(server, prepare), daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()


def make_server_for(
    desk: Desk, host: str = "127.0.0.1", port: int = 0, sock: socket.socket | None = None
) -> Server:
    """A threaded server for the app (``server.py``), bound (port 0: a free one), or on
    ``sock``, listening already (``server.listening``), but not yet serving."""
    return Server(create_app(desk), host, port, sock)


__all__ = ["PERMITTED", "create_app", "make_server_for", "serve"]
