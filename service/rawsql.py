"""Hot read queries run without the ORM: compiled once per dialect, executed on a pooled DBAPI connection.

A thread read or a count is one indexed query; building an ORM select, opening a Session and
a Connection for it costs ten times the query itself. Errors are raised as SQLAlchemy's own
exceptions (with the connection dropped), so the API answers `503` and recovers as for any query.
"""

from sqlalchemy.exc import DBAPIError

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
