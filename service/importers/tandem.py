"""Tandem's own export format: every thread, comment, like count and trust of a site, as one JSON document.

The export is written row by row, so a large site never sits in memory; reading it back gives
the same document again (see the README for the format). Comments are known by `ref`, which
stays the same across moves, so importing a file twice adds nothing.
"""

import json
import re

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..db import db
from ..models import STATUSES, Comment, Commenter, Thread, Trust
from . import checks
from .wordpress import thread_uri
from .writer import ImportWriter, Record
from .xmlstream import BadImportFile

FORMAT, VERSION = "tandem", 1
_TOKEN_HASH = re.compile(r"^[0-9a-f]{64}\Z")
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


def import_file(site, path, progress=None, workers=1, keep_trust=False):
    """Import a Tandem export; readers' tokens and trust come with it only when `keep_trust`.

    The file comes from elsewhere: without `keep_trust` a forged file cannot make anyone's
    token trusted here, nor claim comments for a token."""
    document = _load(path)
    with ImportWriter(site, None, workers) as writer:
        threads = _import_threads(writer, document["threads"], path)
        commenters = _import_comments(writer, document["comments"], threads, path, progress, keep_trust)
        trusted = _import_trust(site, document["trust"], commenters, path, keep_trust)
        summary = writer.finish()
    summary.notes.append(_trust_note(keep_trust, trusted, len(document["trust"])))
    return summary


def _trust_note(keep_trust, trusted, listed):
    if keep_trust:
        return f"Kept readers' tokens and the trust of {_count(trusted, 'commenter')} (--keep-trust)."
    if listed:
        return (f"Left out readers' tokens and the trust of {_count(listed, 'commenter')}; "
                "add --keep-trust if you trust the file's source.")
    return "Left out readers' tokens; add --keep-trust if you trust the file's source."


def _count(number, noun):
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _import_threads(writer, entries, path):
    """The site's thread id for each thread key the file uses; keys are normalised as the API does."""
    threads = {}
    for index, entry in enumerate(entries):
        place = f"thread {index + 1}"
        _check_object(entry, path, place)
        uri = checks.string(entry.get("uri"), path, place, "uri", required=True)
        threads[uri] = writer.thread(
            thread_uri(uri), title=checks.string(entry.get("title"), path, place, "title"),
            url=checks.string(entry.get("url"), path, place, "url"),
            created=checks.iso_time(entry.get("created"), path, place, "created"),
            closed=checks.flag(entry.get("closed"), path, place, "closed"))
    return threads


def _import_comments(writer, entries, threads, path, progress, keep_trust):
    """Store the comments; return the commenter hashes they name, so their tokens stay valid."""
    commenters = set()
    for index, entry in enumerate(entries):
        place = f"comment {index + 1}"
        _check_object(entry, path, place)
        record = _record(entry, threads, path, place)
        if not keep_trust:
            record.commenter_hash = None
        writer.add(record)
        commenters.add(record.commenter_hash)
        if progress:
            progress(1)
    return commenters


def _import_trust(site, entries, commenters, path, keep_trust):
    """Store the file's trust (only with `keep_trust`); return how many commenters it names."""
    trusted = []
    for index, entry in enumerate(entries):
        place = f"trust entry {index + 1}"
        _check_object(entry, path, place)
        trusted.append((_commenter(entry.get("commenter"), path, place, required=True),
                        checks.iso_time(entry.get("created"), path, place, "created")))
    if not keep_trust:
        return 0
    _remember_commenters((commenters | {each for each, _ in trusted}) - {None})
    for commenter, created in trusted:
        if db.session.get(Trust, (site.id, commenter)) is None:
            db.session.add(Trust(site_id=site.id, commenter_hash=commenter, created=created))
    return len({each for each, _ in trusted})


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
                 likes=comment.likes, is_author=comment.is_author, pinned=comment.pinned, hearted=comment.hearted,
                 notify=comment.notify, commenter=comment.commenter_hash)
    return entry


def _ref(comment_id, import_ref, created):
    """A comment's lasting name: its source's id when it was imported, else its id and creation time here."""
    return import_ref or f"tandem:{comment_id}:{created:%Y%m%d%H%M%S%f}"


def _record(entry, threads, path, place):
    """A comment entry checked field by field; any wrong value stops the import with its place."""
    ref = checks.string(entry.get("ref"), path, place, "ref", required=True)
    thread = checks.string(entry.get("thread"), path, place, "thread", required=True)
    if thread not in threads:
        raise BadImportFile(f"{path}, {place}: it belongs to the thread {thread!r}, which is not listed.")
    status = checks.string(entry.get("status"), path, place, "status", required=True)
    if status not in STATUSES:
        raise checks.refuse(path, place, "status", "one of " + ", ".join(sorted(STATUSES)), status)
    return Record(
        ref=ref, thread_id=threads[thread], parent_ref=checks.string(entry.get("parent"), path, place, "parent"),
        status=status, markup="rendered",
        text=checks.string(entry.get("text"), path, place, "text", required=True),
        html=checks.string(entry.get("html"), path, place, "html", required=True),
        created=checks.iso_time(entry.get("created"), path, place, "created", required=True),
        edited=checks.iso_time(entry.get("edited"), path, place, "edited"),
        likes=checks.likes(entry.get("likes"), path, place),
        is_author=checks.flag(entry.get("is_author"), path, place, "is_author"),
        pinned=checks.flag(entry.get("pinned"), path, place, "pinned"),
        hearted=checks.flag(entry.get("hearted"), path, place, "hearted"),
        notify=checks.flag(entry.get("notify"), path, place, "notify"),
        commenter_hash=_commenter(entry.get("commenter"), path, place),
        **{name: checks.string(entry.get(name), path, place, name) for name in COMMENT_FIELDS},
    )


def _commenter(value, path, place, required=False):
    """A commenter is known by the SHA-256 of their token: 64 hexadecimal digits."""
    if (value is None and not required) or (isinstance(value, str) and _TOKEN_HASH.match(value)):
        return value
    raise checks.refuse(path, place, "commenter", "64 hexadecimal digits" + ("" if required else " or null"), value)


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


def _check_object(entry, path, place):
    if not isinstance(entry, dict):
        raise BadImportFile(f"{path}, {place}: it is not an object.")


def _time(moment):
    return None if moment is None else moment.isoformat() + "Z"
