"""Tandem's own export format: every thread, comment, like count and trust of a site, as one JSON document.

The export is written row by row, so a large site never sits in memory; reading it back gives
the same document again (see the README for the format). Comments are known by `ref`, which
stays the same across moves, so importing a file twice adds nothing.
"""

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..db import db
from ..models import Comment, Commenter, Thread, Trust
from .writer import ImportWriter, Record
from .xmlstream import BadImportFile

FORMAT, VERSION = "tandem", 1
MAX_LIKES = 100_000  # each like is a row; a larger count is a broken or hostile file
COMMENT_FIELDS = ("author", "email", "website", "held_reason", "ip")


def export_site(site, write):
    """Write the site's document through `write(str)`, one thread, comment or trust entry a line."""
    write(json.dumps({"format": FORMAT, "version": VERSION, "site": site.key})[:-1] + ',\n"threads": [')
    threads = db.session.scalars(select(Thread).where(Thread.site_id == site.id).order_by(Thread.id))
    _write_list(write, (_thread_entry(thread) for thread in threads.yield_per(500)))
    write('],\n"comments": [')
    parent = aliased(Comment)
    rows = db.session.execute(
        select(Comment, Thread.uri, parent.id, parent.import_ref, parent.created)
        .join(Thread, Comment.thread_id == Thread.id)
        .outerjoin(parent, Comment.parent_id == parent.id)
        .where(Comment.site_id == site.id)
        .order_by(Comment.id)
        .execution_options(yield_per=500)
    )
    _write_list(write, (_comment_entry(*row) for row in rows))
    write('],\n"trust": [')
    trusted = db.session.scalars(select(Trust).where(Trust.site_id == site.id).order_by(Trust.commenter_hash))
    _write_list(write, ({"commenter": each.commenter_hash, "created": _time(each.created)} for each in trusted))
    write("]}\n")


def import_file(site, path, progress=None, workers=1):
    document = _load(path)
    with ImportWriter(site, None, workers) as writer:
        threads = _import_threads(writer, document["threads"], path)
        commenters = _import_comments(writer, document["comments"], threads, path, progress)
        _import_trust(site, document["trust"], commenters, path)
        return writer.finish()


def _import_threads(writer, entries, path):
    threads = {}
    for index, entry in enumerate(entries):
        _check(entry, {"uri": str}, f"thread {index + 1}", path)
        threads[entry["uri"]] = writer.thread(entry["uri"], title=entry.get("title"), url=entry.get("url"),
                                              created=_parse_time(entry.get("created"), path),
                                              closed=bool(entry.get("closed")))
    return threads


def _import_comments(writer, entries, threads, path, progress):
    """Store the comments; return the commenter hashes they name, so their tokens stay valid."""
    commenters = set()
    for index, entry in enumerate(entries):
        where = f"comment {index + 1}"
        _check(entry, {"ref": str, "thread": str, "status": str, "text": str, "html": str, "created": str}, where, path)
        if not isinstance(entry.get("commenter"), (str, type(None))):
            raise BadImportFile(f"{path}: {where} has a 'commenter' that is not a string.")
        if entry["thread"] not in threads:
            raise BadImportFile(f"{path}: {where} belongs to the thread {entry['thread']!r}, which is not listed.")
        writer.add(_record(entry, threads[entry["thread"]], path))
        commenters.add(entry.get("commenter"))
        if progress:
            progress(1)
    return commenters


def _import_trust(site, entries, commenters, path):
    for index, entry in enumerate(entries):
        _check(entry, {"commenter": str}, f"trust entry {index + 1}", path)
        commenters.add(entry["commenter"])
    _remember_commenters(commenters - {None})
    for entry in entries:
        if db.session.get(Trust, (site.id, entry["commenter"])) is None:
            db.session.add(Trust(site_id=site.id, commenter_hash=entry["commenter"],
                                 created=_parse_time(entry.get("created"), path)))


# --- helpers -----------------------------------------------------------------------------------


def _write_list(write, entries):
    separator = "\n"
    for entry in entries:
        write(separator + json.dumps(entry, ensure_ascii=False))
        separator = ",\n"
    write("\n")


def _thread_entry(thread):
    return {"uri": thread.uri, "title": thread.title, "url": thread.url, "closed": thread.closed,
            "created": _time(thread.created)}


def _comment_entry(comment, uri, parent_id, parent_import_ref, parent_created):
    parent = None if parent_id is None else _ref(parent_id, parent_import_ref, parent_created)
    entry = {"ref": _ref(comment.id, comment.import_ref, comment.created), "thread": uri, "parent": parent,
             "status": comment.status}
    entry.update({name: getattr(comment, name) for name in COMMENT_FIELDS})
    entry.update(text=comment.text, html=comment.html, created=_time(comment.created), edited=_time(comment.edited),
                 likes=comment.likes, is_author=comment.is_author, pinned=comment.pinned, notify=comment.notify,
                 commenter=comment.commenter_hash)
    return entry


def _ref(comment_id, import_ref, created):
    """A comment's lasting name: its source's id when it was imported, else its id and creation time here."""
    return import_ref or f"tandem:{comment_id}:{created:%Y%m%d%H%M%S%f}"


def _record(entry, thread_id, path):
    likes = entry.get("likes") or 0
    if not isinstance(likes, int) or not 0 <= likes <= MAX_LIKES:
        raise BadImportFile(f"{path}: comment {entry['ref']} has a like count that is not a whole number "
                            f"from 0 to {MAX_LIKES:,}.")
    return Record(
        ref=entry["ref"], thread_id=thread_id, parent_ref=entry.get("parent"), status=entry["status"],
        markup="rendered", text=entry["text"], html=entry["html"], created=_parse_time(entry["created"], path),
        edited=_parse_time(entry.get("edited"), path), likes=likes, is_author=bool(entry.get("is_author")),
        pinned=bool(entry.get("pinned")), notify=bool(entry.get("notify")), commenter_hash=entry.get("commenter"),
        **{name: entry.get(name) for name in COMMENT_FIELDS},
    )


def _remember_commenters(hashes):
    """Commenter tokens stay valid after a move: their hashes are known here too."""
    hashes = sorted(hashes)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        known = set(db.session.scalars(select(Commenter.token_hash).where(Commenter.token_hash.in_(chunk))))
        db.session.add_all(Commenter(token_hash=each) for each in chunk if each not in known)


def _load(path):
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except json.JSONDecodeError as error:
        raise BadImportFile(f"{path}: not valid JSON ({error.msg}) at line {error.lineno}, "
                            f"column {error.colno}.") from None
    except UnicodeDecodeError as error:
        raise BadImportFile(f"{path}: not UTF-8 text (byte {error.start}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadImportFile(f"{path}: not a Tandem export (it has no \"format\": \"tandem\").")
    if document.get("version") != VERSION:
        raise BadImportFile(f"{path}: a Tandem export of version {document.get('version')!r}; "
                            f"this Tandem reads version {VERSION}.")
    for key in ("threads", "comments", "trust"):
        if not isinstance(document.get(key), list):
            raise BadImportFile(f"{path}: a Tandem export needs a list {key!r}.")
    return document


def _check(entry, required, where, path):
    if not isinstance(entry, dict):
        raise BadImportFile(f"{path}: {where} is not an object.")
    for key, kind in required.items():
        if not isinstance(entry.get(key), kind):
            raise BadImportFile(f"{path}: {where} lacks {key!r} (a {kind.__name__}).")


def _time(moment):
    return None if moment is None else moment.isoformat() + "Z"


def _parse_time(value, path):
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.removesuffix("Z"))
    except (TypeError, ValueError, AttributeError):
        raise BadImportFile(f"{path}: {value!r} is not a time such as 2026-11-25T10:22:41Z.") from None
