"""An Isso SQLite database to Tandem: its threads, comments (Markdown), modes and like counts.

Isso's modes: 1 accepted, 2 waiting for moderation, 4 deleted but kept because it has replies.
The database is opened read-only and never changed.
"""

import sqlite3
from contextlib import closing
from datetime import datetime, timezone

from .. import text
from ..models import APPROVED, DELETED, PENDING
from .writer import ImportWriter, Record, tombstone
from .xmlstream import BadImportFile

MODES = {1: APPROVED, 2: PENDING, 4: DELETED}
NEEDED = {"threads": {"id", "uri", "title"},
          "comments": {"tid", "id", "parent", "created", "modified", "mode", "text", "author", "email",
                       "website", "likes"}}


def import_file(site, path, progress=None, workers=1):
    with closing(_open(path)) as connection, ImportWriter(site, "imported from Isso", workers) as writer:
        threads = {tid: writer.thread(text.normalise_uri(uri), title=title)
                   for tid, uri, title in connection.execute("SELECT id, uri, title FROM threads")}
        rows = connection.execute(
            "SELECT id, tid, parent, created, modified, mode, text, author, email, website, likes "
            "FROM comments ORDER BY id")
        for row in rows:
            _import_comment(writer, threads, row, path)
            if progress:
                progress(1)
        return writer.finish()


def count_comments(path):
    """How many comments the database holds, for the progress bar."""
    with closing(_open(path)) as connection:
        return connection.execute("SELECT count(*) FROM comments").fetchone()[0]


def _open(path):
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = {name: {column[1] for column in connection.execute(f'PRAGMA table_info("{name}")')}
                  for name in NEEDED}
    except sqlite3.DatabaseError as error:
        raise BadImportFile(f"{path}: not an SQLite database ({error}).") from None
    for name, columns in NEEDED.items():
        missing = columns - tables[name]
        if missing:
            connection.close()
            problem = f"its table {name!r} lacks {', '.join(sorted(missing))}" if tables[name] else f"no table {name!r}"
            raise BadImportFile(f"{path}: not an Isso database: {problem}.")
    return connection


def _import_comment(writer, threads, row, path):
    comment_id, tid, parent, created, modified, mode, body, author, email, website, likes = row
    ref = f"isso:{comment_id}"
    parent_ref = f"isso:{parent}" if parent is not None else None
    if tid not in threads:
        return writer.skip("no thread", ref, parent_ref)
    if mode not in MODES:
        raise BadImportFile(f"{path}: comment {comment_id} has the unknown mode {mode!r}.")
    record = Record(
        ref=ref, parent_ref=parent_ref, thread_id=threads[tid], status=MODES[mode], markup="markdown",
        text=body or "", created=_time(created), edited=_time(modified) if modified else None,
        author=author, email=email, website=website, likes=max(int(likes or 0), 0),
    )
    writer.add(tombstone(record) if record.status == DELETED else record)


def _time(seconds):
    return datetime.fromtimestamp(float(seconds), timezone.utc).replace(tzinfo=None)
