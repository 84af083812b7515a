"""Rate-limit counters that all workers of one host share when there is no Redis.

`tandem serve` forks several workers; counters kept in each process's memory let every worker
grant the whole limit again (3/minute on two workers let 6 through). This storage keeps them
in a small SQLite file in the instance folder instead: one table, one atomic upsert per hit.

Why a file of its own, not the main database: a hit is a write, and on SQLite the main
database lets one writer in at a time, so counting would queue behind comment writes (and on
PostgreSQL every hit would be a durable commit of its own: see the figures below). The
counters are disposable, so the file runs with `synchronous=OFF`: a power cut can lose a minute
of counts, never the comments. With `TANDEM_REDIS_URL` set, Redis is used instead, and the limit
is one limit across hosts.

Measured on this machine (2 CPUs, two runs), per hit (`incr` over 200 keys): limits'
in-process MemoryStorage 2-5 µs; this storage 39-51 µs, and 88-110 µs each while two
processes hit it without pause; the same upsert on the PostgreSQL database 2.6-5.7 ms, as each
hit is a durable commit there. A comment's write costs about 1.7 ms of CPU; only the limited
views (new comments, admin login) count a hit.
"""

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from limits.storage import Storage

from .config import make_sqlite_file_private

_SCHEMA = ("CREATE TABLE IF NOT EXISTS counter "
           "(key TEXT PRIMARY KEY, hits INTEGER NOT NULL, expires REAL NOT NULL) WITHOUT ROWID")
# A fixed window: the first hit opens it for `expiry` seconds; a hit after it closed opens a new one.
_HIT = """
INSERT INTO counter (key, hits, expires) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN counter.expires > :now THEN counter.hits + excluded.hits ELSE excluded.hits END,
    expires = CASE WHEN counter.expires > :now THEN counter.expires ELSE excluded.expires END
RETURNING hits
"""


def storage_uri(instance_folder: str) -> str:
    """The `limits` storage URI of the counters kept in `instance_folder`."""
    return f"{HostCounterStorage.STORAGE_SCHEME[0]}://{os.path.join(instance_folder, 'rate_limits.sqlite')}"


class HostCounterStorage(Storage):
    """A `limits` storage (fixed windows) in a SQLite file, shared by every process that opens it.

    Registered under its scheme by `limits` itself when this class is defined. The connection
    is opened lazily by each process and thread that counts: a SQLite connection must not cross
    a fork, and `tandem serve` forks its workers from a preloaded app.
    """

    STORAGE_SCHEME = ["tandem-host"]
    SWEEP_SECONDS = 60.0  # windows that closed are deleted at most this often, by a hit

    def __init__(self, uri: str, wrap_exceptions: bool = False, clock: Callable[[], float] = time.time, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        self.clock = clock
        self._local = threading.local()
        self._next_sweep = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # A connection inherited through fork is left alone (closing it could disturb the
            # parent's locks); this process opens its own.
            local.inherited = getattr(local, "connection", None)
            local.connection = self._open()
            local.pid = os.getpid()
        return local.connection

    def _open(self) -> sqlite3.Connection:
        make_sqlite_file_private(Path(self.path))  # the counters' keys are readers' networks
        connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(_SCHEMA)
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits on `key` in its current window and return the window's total."""
        now = self.clock()
        connection = self._connection()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            connection.execute("DELETE FROM counter WHERE expires <= ?", (now,))
        rows = connection.execute(_HIT, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchall()
        return rows[0][0]

    def get(self, key: str) -> int:
        row = self._connection().execute("SELECT hits FROM counter WHERE key = ? AND expires > ?",
                                          (key, self.clock())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        now = self.clock()
        row = self._connection().execute("SELECT expires FROM counter WHERE key = ? AND expires > ?",
                                          (key, now)).fetchone()
        return row[0] if row else now

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int:
        return self._connection().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counter WHERE key = ?", (key,))
