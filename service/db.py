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

    A writer copies the WAL into the database (a checkpoint, with two fsyncs) once the WAL holds
    `CHECKPOINT_PAGES`; the comment writes of the other workers wait meanwhile (`write_turn`).
    SQLite's default, every 1,000 pages, made that every 200 comments or so; at 20,000 the same
    pages are copied once instead of twenty times, and 32 writers on two workers posted 10-14 %
    more comments a second (bench/README.md, 2026-11-30). `checkpoint` keeps the WAL short between
    such bursts, and after one the file is cut back to `WAL_KEPT_BYTES`.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
    cursor.close()


CHECKPOINT_PAGES = 20_000  # of 4 KiB: a WAL of at most about 80 MB under a sustained burst of writes
WAL_KEPT_BYTES = 4 << 20


def checkpoint() -> None:
    """Copy what the WAL holds into the SQLite database file, without waiting for or blocking any
    writer (the notification worker does this on each tick): the file stays current, and the next
    write starts the WAL afresh. Nothing to do on PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:  # its own, outside any transaction of the caller's
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


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
