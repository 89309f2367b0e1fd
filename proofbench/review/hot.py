"""The statements every request runs, compiled once per database and run on the driver's cursor.

Input: an SQLAlchemy Core ``select`` (or a one-column ``insert ... returning``) and the engine's
dialect. Output: ``Hot``, which runs the compiled SQL text on a DBAPI connection's cursor and
gives rows with the columns as attributes (as SQLAlchemy's rows have them), and ``HotInsert``,
which inserts one row and gives the returned value.

Why: SQLAlchemy's execution of an already built statement (its cache lookup, execution
context, result wrapping) cost about 0.2 ms a statement on SQLite, against 0.02 ms for the
same SQL on the cursor (measured on this machine, 2,000 runs, load 7); a page view runs two
to three such reads (the session's user, the new events, an item's history), and a decision
one more read and its insert (49 against 6 microseconds for the item's state, sixth session).
Only plain columns go this way: their values need no conversion but SQLite's 0/1 for
booleans, which the callers read with ``bool``. An insert refused by a constraint raises
SQLAlchemy's ``IntegrityError``, as the store's conflict handling expects.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect, Insert, Select
from sqlalchemy.exc import IntegrityError


class _Compiled:
    """A statement's SQL text for one dialect and how to bind its parameters."""

    def __init__(self, stmt: Select[Any] | Insert, dialect: Dialect, keys: Iterable[str] = ()):
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys) or None)
        self.sql = str(compiled)
        positional = dialect.paramstyle in ("qmark", "format", "numeric")
        self._order: tuple[str, ...] | None = (
            tuple(compiled.positiontup or ()) if positional else None
        )
        self._fixed = {k: v for k, v in compiled.params.items() if v is not None}
        """Values the statement binds itself (SQLite's ``OFFSET 0`` beside a bound limit)."""

    def bound(self, params: Mapping[str, Any]) -> Any:
        given = {**self._fixed, **params}
        return given if self._order is None else tuple(given[k] for k in self._order)


class Hot(_Compiled):
    """A select compiled for one dialect, run on the cursor of a DBAPI connection."""

    def __init__(self, stmt: Select[Any], dialect: Dialect) -> None:
        super().__init__(stmt, dialect)
        names = [str(c.key) for c in stmt.selected_columns]
        self._row: Any = namedtuple("Row", names, rename=True)  # type: ignore[misc]

    def rows(self, dbapi_conn: Any, params: Mapping[str, Any]) -> Sequence[Any]:
        """Every row of the statement with ``params`` bound, on ``dbapi_conn``'s cursor."""
        cur = dbapi_conn.cursor()
        try:
            cur.execute(self.sql, self.bound(params))
            make = self._row._make
            return [make(r) for r in cur.fetchall()]
        finally:
            cur.close()


class HotInsert(_Compiled):
    """An ``insert ... returning`` of one column, compiled for one dialect and one set of
    column names, run on the cursor of a DBAPI connection."""

    def __init__(self, stmt: Insert, dialect: Dialect, keys: Iterable[str]) -> None:
        super().__init__(stmt, dialect, keys)
        dbapi = dialect.loaded_dbapi
        self._refused: type[Exception] = dbapi.IntegrityError

    def one(self, dbapi_conn: Any, params: Mapping[str, Any]) -> Any:
        """Insert the row of ``params``; the value it returns. Raises IntegrityError (as
        SQLAlchemy's execution would) when a constraint refuses the row."""
        return self.send(dbapi_conn, params).value()

    def send(self, dbapi_conn: Any, params: Mapping[str, Any]) -> Returned:
        """Insert the row of ``params``; its returned value to read once the database has
        answered. On a connection in pipeline mode (psycopg's ``Connection.pipeline()``) the
        insert is only queued: it travels with the next statement whose answer is awaited
        (the transaction's COMMIT, or the next decision's state read), one round trip for
        both; a constraint's refusal then comes with that answer. Elsewhere it runs at once.
        """
        cur = dbapi_conn.cursor()
        bound = self.bound(params)
        try:
            cur.execute(self.sql, bound)
        except self._refused as exc:
            cur.close()
            raise IntegrityError(self.sql, bound, exc) from exc
        except BaseException:
            cur.close()
            raise
        got = Returned(cur, self._refused, self.sql, bound)
        if not _pipelined(dbapi_conn):
            got.value()  # read now: SQLite's cursor may not keep its row past the commit
        return got


def _pipelined(dbapi_conn: Any) -> bool:
    """Whether a DBAPI connection queues statements in a pipeline (libpq's pipeline mode)."""
    pgconn = getattr(dbapi_conn, "pgconn", None)
    return bool(pgconn is not None and int(pgconn.pipeline_status))


class Returned:
    """The value an insert returns, read from its cursor when the database has answered."""

    __slots__ = ("_bound", "_cur", "_got", "_refused", "_sql")

    def __init__(self, cur: Any, refused: type[Exception], sql: str, bound: Any) -> None:
        self._cur, self._refused, self._sql, self._bound = cur, refused, sql, bound
        self._got: Any = None

    def value(self) -> Any:
        """The returned value. Raises IntegrityError when a constraint refused the row."""
        if self._cur is not None:
            cur, self._cur = self._cur, None
            try:
                self._got = cur.fetchone()[0]
            except self._refused as exc:
                raise IntegrityError(self._sql, self._bound, exc) from exc
            finally:
                cur.close()
        return self._got
