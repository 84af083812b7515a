"""Hot queries run without the ORM or Core's execution: compiled once per dialect, run by the DB-API.

A thread read or a count is one indexed query; building an ORM select, opening a Session and
a Connection for it costs ten times the query itself (`RawQuery`, on a pooled connection of its
own). A comment's write runs eight statements in the request's transaction (`SessionQuery`).
Errors are raised as SQLAlchemy's own exceptions, so the API answers `503` and recovers as for
any query.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import Executable

from .db import db


class _Statement:
    """A Core `statement` compiled once for each dialect it meets, with SQLAlchemy's own conversions
    of each parameter and column on that dialect (datetimes and JSON on SQLite), so what is written
    and read is what Core would write and read."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self.compiled: dict[str, _Prepared] = {}

    def _for(self, dialect: Dialect) -> "_Prepared":
        found = self.compiled.get(dialect.name)
        if found is None:
            compiled = cast(SQLCompiler, cast(Any, self.statement).compile(dialect=dialect))
            converters = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                          for name, bind in compiled.binds.items()}
            columns = getattr(self.statement, "selected_columns", None) or ()
            readers = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
            found = self.compiled[dialect.name] = _Prepared(
                str(compiled), compiled.positiontup if dialect.positional else None, compiled.params,
                {name: convert for name, convert in converters.items() if convert is not None},
                readers if any(readers) else None,
            )
        return found

    @staticmethod
    def _run(prepared: "_Prepared", params: Mapping[str, Any], dbapi_connection: Any, dialect: Dialect,
             on_error: Callable[[bool], bool]) -> list[tuple[Any, ...]]:
        """The rows (none for a write) of the statement run on `dbapi_connection`. On a failure,
        `on_error` is told whether it lost the connection and says whether the connection was
        dropped, before SQLAlchemy's own exception is raised."""
        values = {**prepared.defaults, **params}
        for name, convert in prepared.converters.items():
            values[name] = convert(values[name])
        args = tuple(values[name] for name in prepared.order) if prepared.order is not None else values
        dbapi_error = dialect.loaded_dbapi.Error
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(prepared.sql, args)
            rows: list[tuple[Any, ...]] = list(cursor.fetchall()) if cursor.description is not None else []
        except dbapi_error as error:
            dropped = on_error(dialect.is_disconnect(error, dbapi_connection, cursor))
            raise DBAPIError.instance(prepared.sql, args, error, dbapi_error, connection_invalidated=dropped) from error
        finally:
            cursor.close()
        if prepared.readers is None:
            return rows
        readers = prepared.readers
        return [tuple(value if read is None else read(value) for read, value in zip(readers, row, strict=True)) for row in rows]


class RawQuery(_Statement):
    """A read on a pooled connection of its own, outside any transaction the request holds."""

    def all(self, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row of the result, as tuples."""
        engine = db.engine
        prepared = self._for(engine.dialect)
        dbapi_error = engine.dialect.loaded_dbapi.Error
        try:
            connection = engine.raw_connection()
        except dbapi_error as error:  # the database is unreachable: same 503 path as any query
            raise DBAPIError.instance(prepared.sql, dict(params), error, dbapi_error) from error

        def forget(_gone: bool) -> bool:  # a pooled connection that failed a read is not handed out again
            connection.invalidate()
            return True

        try:
            return self._run(prepared, params, connection, engine.dialect, forget)
        finally:
            connection.close()


class SessionQuery(_Statement):
    """A statement run by the DB-API on the request's own connection, inside its transaction.

    For the statements of a comment's write, each run through Core costs about 40 µs more than the
    query itself (compiled-cache lookup, execution context, result object): a sixth of the write.
    """

    def rows(self, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row the statement returns (none for a write), as tuples of converted values."""
        connection = db.session.connection()
        dbapi_connection = connection.connection.dbapi_connection

        def forget(gone: bool) -> bool:
            if gone:
                connection.invalidate()
            return gone

        return self._run(self._for(connection.dialect), params, dbapi_connection, connection.dialect, forget)

    def first(self, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row, or None."""
        rows = self.rows(params)
        return rows[0] if rows else None


class _Prepared(NamedTuple):
    sql: str
    order: Sequence[str] | None  # names in the order of a positional dialect's placeholders
    defaults: Mapping[str, Any]  # every parameter's value as the statement carries it
    converters: Mapping[str, Callable[[Any], Any]]
    readers: list[Callable[[Any], Any] | None] | None
