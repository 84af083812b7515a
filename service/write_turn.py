"""Comment writes take turns across a host's workers, each woken the moment the one before is done.

SQLite lets one writer in at a time. A writer that finds the database locked sleeps in SQLite's
busy handler, 1, 2, 5 ms and more, however soon the lock comes free, while a comment's write holds
it for about half a millisecond. With two workers writing, a quarter of the writes slept a
millisecond or more and the CPUs stood a fifth idle. A writer waiting for an exclusive `flock` on
a file beside the database is woken by the kernel as the writer before it lets go: about 10 % more
comments a second (bench/README.md, 2026-11-30). The busy timeout stays for every other writer.
PostgreSQL locks rows, not the database, so there nothing takes turns.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from flask import current_app

from .config import sqlite_file


@contextmanager
def taken() -> Iterator[None]:
    """Hold the app's database's write turn: from before the first write of a transaction to its commit.

    The file is opened for each turn and closing it lets the lock go: `flock` excludes open files,
    not processes, so the threads of one worker take turns as the workers do, and no descriptor
    outlives its turn (a fork, a thread that ends)."""
    path = _turn_file(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if path is None:
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@lru_cache(maxsize=16)
def _turn_file(database_url: str) -> Path | None:
    database = sqlite_file(database_url)
    return None if database is None else Path(f"{database}-turn")
