"""The SQLAlchemy handle and the SQLite settings that let several workers write at once."""

from typing import TYPE_CHECKING, Any, ClassVar, cast

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Table, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    __table__: ClassVar[Table]  # every model maps one table, which Core statements are built on


db = SQLAlchemy(model_class=Base)

# The models' base class. `db.Model` is made at run time (Base plus Flask-SQLAlchemy's table naming),
# so a type checker cannot see it as a class; to mypy it is the Base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """WAL + busy timeout: concurrent writers wait instead of failing with "database is locked".

    synchronous=NORMAL survives a crash or kill -9 of the process (the WAL is synced at
    checkpoints); only a power loss may lose the last commits. PostgreSQL is the answer
    for power-loss durability.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def commit_keeping_state() -> None:
    """Commit without expiring the session's objects, for a caller that answers with the rows it
    has just written: they hold what was committed, and reloading them would cost a query each."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def changed_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed: its result is a CursorResult, typed more loosely."""
    return cast(CursorResult[Any], result).rowcount
