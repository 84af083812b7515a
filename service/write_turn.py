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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from .config import sqlite_file


class _Turn:
    """An exclusive `flock` on one file. Each thread opens the file itself: flock excludes open
    files, not processes, so threads of one worker take turns as the workers do."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened = threading.local()

    @contextmanager
    def taken(self) -> Iterator[None]:
        descriptor = self._descriptor()
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

    def _descriptor(self) -> int:
        opened = self.opened
        if getattr(opened, "pid", None) != os.getpid():  # a file opened before a fork is shared with the parent
            opened.descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            opened.pid = os.getpid()
        return opened.descriptor


_turns: dict[str, _Turn | None] = {}


@contextmanager
def taken() -> Iterator[None]:
    """Hold the app's database's write turn: from before the first write of a transaction to its commit."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    turn = _turns.get(url)
    if turn is None and url not in _turns:
        database = sqlite_file(url)
        turn = _turns[url] = _Turn(Path(f"{database}-turn")) if database is not None else None
    if turn is None:
        yield
        return
    with turn.taken():
        yield
