"""The review apps' HTTP server: a fixed pool of threads serving persistent connections.

Input: a WSGI app (the review app, or the archive's). Output: ``Server``, bound to its port on
creation, serving from ``serve_forever`` until ``shutdown``.

Why not werkzeug's development server, which served the app before: it starts a thread for
every request and closes every connection after one response (it always sends ``Connection:
close``), so a browser opens a new TCP connection for each page and each decision. cheroot
(CherryPy's server, pure Python) keeps HTTP/1.1 connections alive and runs requests on a pool
of threads started once. Measured on this machine with a 5 KB page, four clients, 2,000
requests (RESULTS.md, review, sixth session): werkzeug 1.07 ms of server CPU a request with a
new connection each (0.95 ms when the client asks to keep it, which werkzeug refuses); cheroot
0.33 ms on kept connections, 0.58 ms on new ones.

Only failed requests (status 400 and up) are logged, one line on standard error each, as the
werkzeug handler of the earlier sessions did (a line per request cost 8.6 % of the server's
time under 8 deciding clients).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterable
from typing import Any

from cheroot import wsgi

THREADS = 10
"""Request threads: cheroot's own default. A thread is busy only while a request runs (an idle
kept-alive connection waits in cheroot's selector, not in a thread), and the store's writers
share commits however many threads queue (``group.py``); with 8 deciding clients 10 threads
keep every client's request in flight (sixth session's figures)."""
MAX_HEADER = 65_536
"""Bytes of request line and headers accepted (431 past it): the line limit Python's
``http.server`` applied under werkzeug, kept so a client cannot make the server buffer
unbounded headers (cheroot's own default is no limit)."""

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _failures_logged(app: WSGIApp) -> WSGIApp:
    """``app``, writing one line to standard error for each response with status 400 and up."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if status[:1] in "45":
                path = environ.get("PATH_INFO", "")
                who = environ.get("REMOTE_ADDR", "-")
                print(f"{who} {environ.get('REQUEST_METHOD')} {path} {status}", file=sys.stderr)
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


def listening(host: str, port: int) -> socket.socket:
    """A socket bound to ``(host, port)`` (port 0: a free one) and listening, with the options
    cheroot gives its own (TCP_NODELAY; SO_REUSEADDR on a fixed port), for several processes
    to serve (``workers.py``): each accepts what it finds first, so a busy process leaves the
    next connection to one that is free. A port in use refuses it (OSError), as cheroot's own
    bind does: no other server can join this one's port."""
    sock: socket.socket = wsgi.Server.prepare_socket(
        (host, port), socket.AF_INET, socket.SOCK_STREAM, 0, True, None
    )
    try:
        sock.bind((host, port))
        sock.listen(wsgi.Server.request_queue_size)
    except OSError:
        sock.close()
        raise
    return sock


class _OnSocket(wsgi.Server):
    """cheroot's server on a socket bound and listening already (``listening``)."""

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        self._given = sock
        super().__init__(*args, **kwargs)

    def bind(self, family: int, type: int, proto: int = 0) -> socket.socket:
        self.socket = self._given
        self.bind_addr = self._given.getsockname()[:2]
        return self._given


class Server:
    """A threaded HTTP/1.1 server for one WSGI app, bound on creation (port 0: a free one), or
    on ``sock``, a listening socket other processes serve too (``listening``).

    ``serve_forever`` serves until ``shutdown`` (from another thread) or an interrupt;
    ``server_close`` releases the socket and the threads (idempotent).
    """

    def __init__(
        self,
        app: Any,
        host: str = "127.0.0.1",
        port: int = 0,
        sock: socket.socket | None = None,
    ) -> None:
        self.app = app
        logged = _failures_logged(app)
        self._server = (
            wsgi.Server((host, port), logged, numthreads=THREADS)
            if sock is None
            else _OnSocket(sock, (host, port), logged, numthreads=THREADS)
        )
        self._server.max_request_header_size = MAX_HEADER
        self._server.prepare()  # binds the socket and starts the threads
        if sock is not None:  # another process may accept a connection this one was woken
            sock.setblocking(False)  # for: then accept gives up at once (cheroot retries)
        self.server_port = int(self._server.bind_addr[1])

    def serve_forever(self) -> None:
        """Serve requests until ``shutdown`` is called or the process is interrupted."""
        self._server.serve()

    def shutdown(self) -> None:
        """Stop serving: close the socket and end the threads."""
        self._server.stop()

    def server_close(self) -> None:
        """Release the socket and the threads, if ``shutdown`` has not already."""
        if self._server.ready:
            self._server.stop()
