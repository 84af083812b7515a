"""Backups that restore: a consistent copy of the database taken while the service writes.

SQLite is copied through its online backup API (one step, so the copy is one snapshot, while
other connections keep writing in WAL mode); PostgreSQL through `pg_dump`'s custom format,
which reads in one repeatable-read transaction. `restore` is the way back, and refuses to
overwrite an instance that holds comments unless forced.
"""

import fcntl
import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

from ..config import environment_with
from ..errors import ApiError

SQLITE_MAGIC, POSTGRES_MAGIC = b"SQLite format 3\x00", b"PGDMP"
SUFFIX = {"sqlite": ".db", "postgresql": ".pgdump"}
SCHEDULE = timedelta(days=1)
PRIVATE_FILE = 0o600
NO_PG_DUMP = ("pg_dump is not installed (Debian: apt install postgresql-client), so no backup was made; "
              "`tandem export --site KEY` writes a site's comments as JSON meanwhile.")


def database_kind(database_url):
    """`sqlite` or `postgresql`: the two databases Tandem runs on."""
    name = make_url(database_url).get_backend_name()
    if name not in SUFFIX:
        raise ApiError("bad_request", f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def default_name(database_url, now):
    return f"tandem-{now:%Y%m%d-%H%M%S}{SUFFIX[database_kind(database_url)]}"


def make_backup(database_url, output):
    """Copy the database into the file `output` (written aside, then renamed: never half a file)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    kind = database_kind(database_url)
    descriptor, partial = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    os.close(descriptor)
    try:
        if kind == "sqlite":
            _sqlite_copy(_sqlite_path(database_url), partial)
        else:
            _pg_dump(database_url, partial)
        os.chmod(partial, PRIVATE_FILE)  # a copy of the database is as private as the database
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return output


def backup_kind(file):
    """What a backup file holds, by its first bytes: `sqlite`, `postgresql`, or an error."""
    with open(file, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(POSTGRES_MAGIC):
        return "postgresql"
    raise ApiError("bad_request", f"{file} is not a Tandem backup (a SQLite file or a pg_dump custom archive).")


def restore_backup(database_url, file):
    """Replace the database's content with the backup's; the caller checks the instance may be overwritten."""
    kind, held = database_kind(database_url), backup_kind(file)
    if kind != held:
        raise ApiError("bad_request", f"{file} is a {held} backup and this instance runs on {kind}; "
                                      "move between databases with `tandem export` and `tandem import tandem`.")
    if kind == "sqlite":
        target = _sqlite_path(database_url)
        _sqlite_copy(file, target)
        os.chmod(target, PRIVATE_FILE)
    else:
        _pg_restore(database_url, file)


def scheduled_backup(database_url, folder, keep, now=None):
    """The worker's daily backup: make one when the newest in `folder` is a day old, keep the newest `keep`.

    Several workers may look at once; a lock on the folder lets one of them do it. Returns the
    new file, or None when none was due (or another worker is making it).
    """
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    with open(folder / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        newest = last_backup(folder)
        if newest is not None and now - newest[1] < SCHEDULE:
            return None
        made = make_backup(database_url, folder / default_name(database_url, now))
        for old in backups(folder)[keep:]:
            old.unlink()
        return made


def backups(folder):
    """The backups in a folder, newest first, with when each was made (from its name, else its file time)."""
    found = [(_made_at(path), path) for path in Path(folder).glob("tandem-*") if path.suffix in SUFFIX.values()]
    return [path for _, path in sorted(found, reverse=True)]


def last_backup(folder):
    """(path, when it was made) of the newest backup in `folder`, or None: for the worker and `doctor`."""
    found = backups(folder) if Path(folder).is_dir() else []
    return (found[0], _made_at(found[0])) if found else None


def _made_at(path):
    try:
        return datetime.strptime(path.stem[len("tandem-"):], "%Y%m%d-%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:  # renamed by hand
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def _sqlite_path(database_url):
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise ApiError("bad_request", "An in-memory database has nothing to back up.")
    return database


def _sqlite_copy(source, target):
    """SQLite's online backup, all pages in one step: a snapshot even while others write."""
    reader = sqlite3.connect(source)
    writer = sqlite3.connect(target)
    try:
        reader.execute("PRAGMA busy_timeout=10000")
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _pg_environment(database_url):
    """libpq's variables for the URL: no password on a command line that `ps` would show."""
    url = make_url(database_url)
    settings = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username, "PGPASSWORD": url.password,
                "PGDATABASE": url.database}
    return environment_with({name: str(value) for name, value in settings.items() if value is not None})


def _pg_run(tool, arguments, database_url):
    if shutil.which(tool) is None:
        raise ApiError("unavailable", NO_PG_DUMP if tool == "pg_dump" else
                       f"{tool} is not installed (Debian: apt install postgresql-client).")
    done = subprocess.run([tool, *arguments], env=_pg_environment(database_url), capture_output=True, text=True)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise ApiError("unavailable", f"{tool} failed: {first}")


def _pg_dump(database_url, output):
    _pg_run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={output}"], database_url)


def _pg_restore(database_url, file):
    _pg_run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                           f"--dbname={make_url(database_url).database}", str(file)], database_url)
