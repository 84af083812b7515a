"""The comments' store: the prebuilt Core statements of the write path, the insert, and the
thread, commenter, ban and trust lookups `comments` decides with.

A speed trick kept beside the use cases it speeds up: building a select costs more than running
it, and the ORM's unit of work would cost more than the rest of a comment's write, so the create
path runs these statements, built once, on the session's connection.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy import insert as core_insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from .db import db
from .errors import not_found
from .models import APPROVED, PENDING, Ban, Comment, Commenter, Thread, Trust
from .privacy import email_for_matching, hash_token, keyed_hash
from .rawsql import SessionQuery
from .sites import AnySite

# Statements of the create path, built once: building a select costs more than running it.
_COMMENTER = select(Commenter.token_hash).where(Commenter.token_hash == bindparam("token_hash"))
_INSERT_COMMENTER = SessionQuery(
    core_insert(Commenter.__table__).values(token_hash=bindparam("token_hash"), created=bindparam("created")))
_COMMENT_COLUMNS = {column.name for column in Comment.__table__.columns} - {"id"}
# Every column named (a value left out would be NULL here, not the column's default): `insert` checks.
_INSERT_COMMENT = SessionQuery(
    core_insert(Comment.__table__).values({name: bindparam(name) for name in sorted(_COMMENT_COLUMNS)})
    .returning(Comment.__table__.c.id))
_FIND_THREAD = SessionQuery(select(Thread.id, Thread.closed, Thread.created, Thread.title).where(
    Thread.site_id == bindparam("site_id"), Thread.uri == bindparam("uri")
))


class ThreadRow(NamedTuple):
    """A stored thread as the create path reads it: the columns the decision needs, no ORM row."""

    id: int
    closed: bool
    created: datetime
    title: str | None


class UnmadeThread(NamedTuple):
    """A thread not made yet, as the decision sees it: open, and new."""

    id: None = None
    closed: bool = False
    created: None = None
    title: None = None


UNMADE_THREAD = UnmadeThread()
# "Insert unless a racing first comment made it": no savepoint, which on SQLite would begin (and
# its release commit) a transaction of its own, keeping the thread even when the comment fails.
_INSERT_THREAD = {
    "postgresql": postgresql.insert(Thread.__table__).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(Thread.__table__).on_conflict_do_nothing(),
}
_NAME_THREAD = (
    update(Thread.__table__)
    .where(Thread.id == bindparam("thread_id"))
    .values(title=func.coalesce(Thread.__table__.c.title, bindparam("title")),
            url=func.coalesce(Thread.__table__.c.url, bindparam("url")))
)
# One fixed statement (an expanding IN would be compiled anew each time); a NULL hash matches nothing.
_BANNED = SessionQuery(
    select(Ban.id)
    .where(
        Ban.site_id == bindparam("site_id"),
        or_(*(and_(Ban.kind == kind, Ban.value_hash == bindparam(kind)) for kind in ("commenter", "email", "ip"))),
    )
    .limit(1)
)
_TRUSTED = select(Trust.site_id).where(
    Trust.site_id == bindparam("site_id"), Trust.commenter_hash == bindparam("commenter_hash")
)
_THREAD_GAINED = SessionQuery(
    update(Thread)
    .where(Thread.id == bindparam("thread_id"))
    .values(version=Thread.version + 1, approved_count=Thread.approved_count + 1)
)


def issued(token: str | None) -> str | None:
    """The hash of a commenter token the service issued, or None for a missing or made-up one."""
    if not token or len(token) > 100:
        return None
    token_hash = hash_token(token)
    return token_hash if db.session.connection().scalar(_COMMENTER, {"token_hash": token_hash}) is not None else None


def add_commenter(token_hash: str, now: datetime) -> None:
    _INSERT_COMMENTER.rows({"token_hash": token_hash, "created": now})


def insert(row: dict[str, Any]) -> Comment:
    """Write a new comment (every column but its id) with one INSERT and keep it in the session
    as the stored row: the ORM's unit of work would cost more than the rest of the write."""
    if row.keys() != _COMMENT_COLUMNS:  # a column left out would be loaded again by the first reader
        raise ValueError("A new comment's row names other columns than the table's: %s" % sorted(
            row.keys() ^ _COMMENT_COLUMNS))
    (comment_id,), = _INSERT_COMMENT.rows(row)
    comment = Comment(id=comment_id, **row)
    make_transient_to_detached(comment)
    db.session.add(comment)
    return comment


def find_thread(site: AnySite, uri: str) -> ThreadRow | UnmadeThread:
    """The thread's row (id, closed, created, title), or an unmade thread when it has no comment yet."""
    found = _FIND_THREAD.first({"site_id": site.id, "uri": uri})
    return ThreadRow._make(found) if found else UNMADE_THREAD


def make_thread(site: AnySite, uri: str, now: datetime) -> ThreadRow:
    """The thread's row, made by its first accepted comment: untitled and unlinked, as the title and
    link come only from approved comments. Two first comments may race: the loser uses the winner's."""
    connection = db.session.connection()
    connection.execute(_INSERT_THREAD[connection.dialect.name],
                       {"site_id": site.id, "uri": uri, "title": None, "url": None, "created": now})
    return ThreadRow._make(_FIND_THREAD.rows({"site_id": site.id, "uri": uri})[0])


def name_thread(thread_id: int, title: str | None, url: str | None) -> None:
    """An approved comment gives its thread the page's title and link, where the thread has none:
    the first accepted ones stay until a moderator corrects them (`moderation.correct_thread`)."""
    if title or url:
        db.session.connection().execute(_NAME_THREAD, {"thread_id": thread_id, "title": title, "url": url})


def is_trusted(site: AnySite, commenter_hash: str | None) -> bool:
    if not commenter_hash:
        return False
    return db.session.connection().scalar(_TRUSTED, {"site_id": site.id, "commenter_hash": commenter_hash}) is not None


def trust(site_id: int, commenter_hash: str) -> None:
    if db.session.get(Trust, (site_id, commenter_hash)) is None:
        db.session.add(Trust(site_id=site_id, commenter_hash=commenter_hash))


def ban_hashes(secret: str, commenter_hash: str | None = None, email: str | None = None,
               ip: str | None = None) -> list[tuple[str, str]]:
    """The (kind, value_hash) pairs a ban on this commenter, e-mail or IP is stored and looked up by.

    An e-mail is keyed in its matching form, so `+tags`, capitals, full-width letters and a
    trailing dot do not make a banned writer a stranger."""
    pairs: list[tuple[str, str]] = []
    if commenter_hash:
        pairs.append(("commenter", commenter_hash))
    if email:
        pairs.append(("email", keyed_hash(secret, "ban-email:" + email_for_matching(email))))
    if ip:
        pairs.append(("ip", keyed_hash(secret, "ban-ip:" + ip)))
    return pairs


def is_banned(site: AnySite, commenter_hash: str | None, email: str | None, ip: str | None) -> bool:
    hashes = dict(ban_hashes(current_app.config["SECRET_KEY"], commenter_hash, email, ip))
    if not hashes:
        return False
    where = {"site_id": site.id, "commenter": None, "email": None, "ip": None, **hashes}
    return _BANNED.first(where) is not None


def thread_gained(thread: ThreadRow) -> None:
    """One more approved comment: counted and the version bumped without recounting the thread."""
    _THREAD_GAINED.rows({"thread_id": thread.id})


def thread_changed(thread: Thread) -> None:
    """Recount approved comments and bump the version that keys cached pages and ETags."""
    db.session.flush()
    approved = select(func.count()).where(Comment.thread_id == thread.id, Comment.status == APPROVED)
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(version=Thread.version + 1, approved_count=approved.scalar_subquery())
    )


def get_comments(comment_ids: Iterable[int]) -> list[Comment]:
    """The comments by id, in order; an unknown id is a 404 naming it."""
    comments = []
    for comment_id in comment_ids:
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise not_found(f"There is no comment {comment_id}.")
        comments.append(comment)
    return comments


def replied_to(thread: ThreadRow | UnmadeThread, parent_id: int, commenter_hash: str) -> Comment | None:
    """The comment replied to: approved in the same thread, or the commenter's own pending one."""
    if thread.id is None or not isinstance(parent_id, int):
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.thread_id != thread.id:
        return None
    own_pending = parent.status == PENDING and commenter_hash and parent.commenter_hash == commenter_hash
    return parent if parent.status == APPROVED or own_pending else None
