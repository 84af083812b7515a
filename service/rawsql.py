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


class RawQuery:
    """A Core `statement` with named bind parameters, compiled lazily for each dialect it meets."""

    def __init__(self, statement):
        self.statement = statement
        self.compiled = {}

    def _for(self, dialect):
        found = self.compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            order = compiled.positiontup if dialect.positional else None
            found = self.compiled[dialect.name] = (str(compiled), order)
        return found

    def all(self, params):
        """Every row of the result, as tuples."""
        engine = db.engine
        sql, order = self._for(engine.dialect)
        args = tuple(params[name] for name in order) if order is not None else params
        dbapi_error = engine.dialect.loaded_dbapi.Error
        try:
            connection = engine.raw_connection()
        except dbapi_error as error:  # the database is unreachable: same 503 path as any query
            raise DBAPIError.instance(sql, args, error, dbapi_error) from error
        try:
            cursor = connection.cursor()
            cursor.execute(sql, args)
            rows = cursor.fetchall()
            cursor.close()
        except dbapi_error as error:
            connection.invalidate()
            raise DBAPIError.instance(sql, args, error, dbapi_error, connection_invalidated=True) from error
        finally:
            connection.close()
        return rows


class SessionQuery:
    """A Core `statement` run by the DB-API on the request's own connection, inside its transaction.

    For the statements of a comment's write, each run through Core costs about 40 µs more than the
    query itself (compiled-cache lookup, execution context, result object): a sixth of the write.
    The statement is compiled once per dialect, and each parameter and column goes through the
    conversions SQLAlchemy's types would apply on that dialect (datetimes and JSON on SQLite),
    so what is written and read is what Core would write and read. Errors are SQLAlchemy's own.
    """

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

    def rows(self, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row the statement returns (none for a write), as tuples of converted values."""
        connection = db.session.connection()
        dialect = connection.dialect
        prepared = self._for(dialect)
        values = {**prepared.defaults, **params}
        for name, convert in prepared.converters.items():
            values[name] = convert(values[name])
        args = tuple(values[name] for name in prepared.order) if prepared.order is not None else values
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection is None:  # typed as optional: a connection checked out always has one
            raise RuntimeError("The session's connection has no DB-API connection.")
        dbapi_error = dialect.loaded_dbapi.Error
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(prepared.sql, args)
            rows: list[tuple[Any, ...]] = list(cursor.fetchall()) if cursor.description is not None else []
        except dbapi_error as error:
            gone = dialect.is_disconnect(error, dbapi_connection, cursor)
            if gone:
                connection.invalidate()
            raise DBAPIError.instance(prepared.sql, args, error, dbapi_error, connection_invalidated=gone) from error
        finally:
            cursor.close()
        if prepared.readers is None:
            return rows
        readers = prepared.readers
        return [tuple(value if read is None else read(value) for read, value in zip(readers, row, strict=True)) for row in rows]

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
