"""The archive's review web app: one queue across every document, each document's own pages.

Input: an ``ArchiveQueue``. Output: a WSGI app (``create_archive_app``) and a local server
(``serve_archive``). ``/`` is the archive queue (filters by document, tag, class, suspect
witness, status, reviewer and confidence; pages of ``PAGE_SIZE``); ``/doc/<id>/`` and below
is the single-document app of ``proofbench.review.app`` over that document's Desk (its item
pages, actions, history, bulk decisions and orphans), made when first visited.

One login serves both: every app signs its cookie with the store's key under the same cookie
name and path, and a session is a row of the store, so the session opened here is the one the
document apps read. A request for a document page without a live session is sent to this
app's login first (the document app is only built, its collation loaded, for a signed-in user).
Same headers, CSRF tokens, autoescaping and login limits as the single-document app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

import jinja2
from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers.response import Response as WResponse

from proofbench.review.app import (
    PAGE_SIZE,
    create_app,
    csrf_token,
    log_in,
    log_out,
    secure_headers,
    serve_until_interrupted,
    signed_in,
)
from proofbench.review.archive_queue import ArchiveFilters, ArchiveQueue
from proofbench.review.cookies import RememberedCookies
from proofbench.review.limits import LoginGuard
from proofbench.review.server import Server
from proofbench.review.store import STATUSES

PREFIX = "/doc/"
"""Where each document's own app is mounted: ``/doc/<document id>/``."""
QUERY = ("document", "tag", "cls", "witness", "status", "reviewer", "min", "max")


def doc_url(doc_id: str, path: str = "/") -> str:
    """The URL path of a page of one document's app."""
    return PREFIX + quote(doc_id) + path


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


def _filters(queue: ArchiveQueue) -> ArchiveFilters:
    doc = request.args.get("document", "")
    if doc and doc not in queue.by_id:
        abort(400, f"no document {doc!r} in this archive")
    tag = request.args.get("tag", "")
    if tag and "=" not in tag:
        abort(400, "tag must be KEY=VALUE")
    status = request.args.get("status", "")
    if status and status not in STATUSES:
        abort(400, f"unknown status {status!r}")
    return ArchiveFilters(
        document=doc,
        tag=tag,
        cls=request.args.get("cls", ""),
        witness=request.args.get("witness", ""),
        status=status,
        reviewer=request.args.get("reviewer", ""),
        min_conf=_confidence("min", 0.0),
        max_conf=_confidence("max", 1.0),
    )


def _queue_app(queue: ArchiveQueue, secret_key: str) -> Flask:
    app = Flask(__name__)  # templates/ and static/ beside this module, as the review app's
    app.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="proofbench_review",
        MAX_CONTENT_LENGTH=1_000_000,
    )
    app.session_interface = RememberedCookies()  # each cookie verified once (cookies.py)
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    store = queue.store
    guard = LoginGuard(store)  # counts in the store: a restart lifts no lockout
    tags = sorted({f"{k}={v}" for d in queue.documents for k, v in d.tags})

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"csrf_token": csrf_token, "user": g.get("user"), "doc_url": doc_url}

    app.before_request(lambda: signed_in(store, ("login", "static")))
    app.after_request(secure_headers)

    @app.errorhandler(400)
    @app.errorhandler(404)
    def _error(exc: Any) -> tuple[str, int]:
        return render_template(
            "archive_error.html", code=exc.code, message=exc.description
        ), exc.code

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        return log_in(store, guard, "archive_login.html")

    @app.post("/logout")
    def logout() -> WResponse:
        return log_out(store)

    @app.get("/", endpoint="queue")
    def queue_page() -> str:
        f = _filters(queue)
        try:
            offset = max(0, int(request.args.get("offset", "0") or 0))
        except ValueError:
            abort(400, "offset must be a whole number")
        page = queue.page(f, offset, PAGE_SIZE)
        query = {k: request.args[k] for k in QUERY if request.args.get(k)}
        return render_template(
            "archive_queue.html",
            page=page,
            filters=f,
            query=query,
            documents=queue.documents,
            counts=queue.counts(),
            tags=tags,
            statuses=STATUSES,
            reviewers=[u.name for u in store.users()],
            progress=queue.progress(),
        )

    return app


class ArchiveApp:
    """The WSGI app: ``/doc/<id>/...`` to that document's app, everything else to the queue."""

    def __init__(self, queue: ArchiveQueue, secret_key: str | None = None) -> None:
        self.queue = queue
        self.secret_key = secret_key or queue.store.secret_key()
        self.root = _queue_app(queue, self.secret_key)
        self._apps: dict[str, Flask] = {}
        self._lock = threading.Lock()
        # Longest ids first, so that "a/b" wins over "a" for /doc/a/b/...
        self._ids = sorted(queue.by_id, key=len, reverse=True)

    def _document(self, path: str) -> tuple[str, str] | None:
        """The document id a path below PREFIX names and the rest of the path, or None."""
        for doc_id in self._ids:
            if path == doc_id or path.startswith(doc_id + "/"):
                return doc_id, path[len(doc_id) :] or "/"
        return None

    def _signed_in(self, environ: dict[str, Any]) -> bool:
        with self.root.request_context(environ):
            token = session.get("sid")
            return bool(token) and self.queue.store.session_user(str(token)) is not None

    def app_of(self, doc_id: str) -> Flask:
        """The single-document app of ``doc_id`` (built on first use)."""
        with self._lock:
            app = self._apps.get(doc_id)
            if app is None:
                app = create_app(self.queue.desk(doc_id), self.secret_key)
                self._apps[doc_id] = app
            return app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        raw = environ.get("PATH_INFO", "")
        if raw.startswith(PREFIX):
            # WSGI hands the path over as latin-1 characters of its UTF-8 bytes.
            path = raw.encode("latin-1").decode("utf-8", "replace")
            found = self._document(path[len(PREFIX) :])
            if found is not None:
                doc_id, rest = found
                if not rest.startswith("/static/") and not self._signed_in(environ):
                    back = doc_url(doc_id, "/" if rest in ("/login", "/logout") else rest)
                    qs = environ.get("QUERY_STRING", "")
                    target = back + ("?" + qs if qs and rest not in ("/login", "/logout") else "")
                    with self.root.test_request_context():
                        login = url_for("login", next=target)
                    resp = redirect(environ.get("SCRIPT_NAME", "") + login)
                    return resp(environ, start_response)
                environ = dict(environ)
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + (PREFIX + doc_id).encode(
                    "utf-8"
                ).decode("latin-1")
                environ["PATH_INFO"] = rest.encode("utf-8").decode("latin-1")
                return self.app_of(doc_id)(environ, start_response)
        return self.root(environ, start_response)


def create_archive_app(queue: ArchiveQueue, secret_key: str | None = None) -> ArchiveApp:
    """The archive's review app (the session key is the store's unless one is given)."""
    return ArchiveApp(queue, secret_key)


def make_archive_server(queue: ArchiveQueue, host: str = "127.0.0.1", port: int = 0) -> Server:
    """A threaded server for the archive's app (``server.py``), bound but not yet serving."""
    return Server(create_archive_app(queue), host, port)


def serve_archive(
    queue: ArchiveQueue,
    host: str = "127.0.0.1",
    port: int = 0,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the archive's app until interrupted; ``announce`` receives its URL."""
    serve_until_interrupted(make_archive_server(queue, host, port), host, announce)


__all__ = ["ArchiveApp", "create_archive_app", "doc_url", "make_archive_server", "serve_archive"]
