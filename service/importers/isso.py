"""An Isso SQLite database to Tandem: its threads, comments (Markdown), modes and like counts.

Isso's modes: 1 accepted, 2 waiting for moderation, 4 deleted but kept because it has replies.
The database is opened read-only and never changed. SQLite stores any value in any column,
so every value is checked before it is used (`checks`): a wrong one stops the import with its place.
"""

import sqlite3
from contextlib import closing

from .. import text
from ..models import APPROVED, DELETED, PENDING
from . import checks
from .writer import ImportWriter, Record, tombstone
from .xmlstream import BadImportFile

MODES = {1: APPROVED, 2: PENDING, 4: DELETED}
NEEDED = {"threads": {"id", "uri", "title"},
          "comments": {"tid", "id", "parent", "created", "modified", "mode", "text", "author", "email",
                       "website", "likes"}}


def import_file(site, path, progress=None, workers=1):
    with closing(_open(path)) as connection, ImportWriter(site, "imported from Isso", workers) as writer:
        threads = {tid: _thread(writer, tid, uri, title, path)
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


def _thread(writer, tid, uri, title, path):
    place = f"thread {tid}"
    uri = checks.string(uri, path, place, "uri", required=True)
    return writer.thread(text.normalise_uri(uri), title=checks.string(title, path, place, "title"))


def _import_comment(writer, threads, row, path):
    comment_id, tid, parent, created, modified, mode, body, author, email, website, likes = row
    place = f"comment {comment_id}"
    ref = f"isso:{comment_id}"
    parent_ref = f"isso:{parent}" if parent is not None else None
    if tid not in threads:
        return writer.skip("no thread", ref, parent_ref)
    if mode not in MODES:
        raise checks.refuse(path, place, "mode", "1, 2 or 4", mode)
    record = Record(
        ref=ref, parent_ref=parent_ref, thread_id=threads[tid], status=MODES[mode], markup="markdown",
        text=checks.string(body, path, place, "text") or "",
        created=checks.unix_time(created, path, place, "created"),
        edited=checks.unix_time(modified or None, path, place, "modified", required=False),
        author=checks.string(author, path, place, "author"), email=checks.string(email, path, place, "email"),
        website=checks.string(website, path, place, "website"), likes=checks.likes(likes, path, place),
    )
    writer.add(tombstone(record) if record.status == DELETED else record)
