"""The SQLAlchemy handle and the SQLite settings that let several workers write at once."""

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


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


def commit_keeping_state():
    """Commit without expiring the session's objects, for a caller that answers with the rows it
    has just written: they hold what was committed, and reloading them would cost a query each."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
