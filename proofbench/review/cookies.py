"""The review apps' session cookies: Flask's signed cookies, each verified once, not per request.

Input: a request's session cookie. Output: its contents (the session's token and CSRF token),
or an empty session for a missing, forged or expired cookie, exactly as Flask's own
``SecureCookieSessionInterface`` gives them.

Why: Flask builds a serializer, derives its key and checks the cookie's HMAC on every request
(``itsdangerous``): 7.4 % of the server's time on a decision's two requests (py-spy, one
client, 3 × 100k words, sixth session). A cookie's signature and contents never change, so a
cookie that verified once is remembered (by its exact bytes) with the time it was signed; later
requests with the same cookie skip the signature and re-check only its age. Nothing about who
may use the session is remembered here: the session's token is still looked up in the store on
every request (``Store.session_user``), so a logout or a disabled account ends it at once.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

if TYPE_CHECKING:
    from flask import Flask, Request

KEPT = 10_000
"""Verified cookies remembered (a memory bound, not a tuning: one entry per live browser session,
each a few hundred bytes; the oldest is dropped first and verified again when it comes back)."""


class RememberedCookies(SecureCookieSessionInterface):
    """Flask's cookie sessions for one app, with each verified cookie remembered until it expires.

    Give each app an instance of its own: a cookie is remembered as verified under that app's
    key.
    """

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._seen: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The session of the request's cookie (empty if it has none, or a bad or old one)."""
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class() if app.secret_key else None
        max_age = app.permanent_session_lifetime.total_seconds()
        seen = self._seen.get(val)
        if seen is not None and time.time() - seen[0] <= max_age:
            return self.session_class(dict(seen[1]))
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        try:
            data, signed = s.loads(val, max_age=int(max_age), return_timestamp=True)
        except BadSignature:  # forged, or signed too long ago
            return self.session_class()
        with self._lock:
            self._seen[val] = (signed.timestamp(), dict(data))
            while len(self._seen) > self._kept:
                del self._seen[next(iter(self._seen))]
        return self.session_class(data)
