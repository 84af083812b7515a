"""The writes to comments and threads that are not one person's use case: the verdicts of outside
spam checks, retention, erasure, a reader leaving a thread's mail, a moderator's change to a thread,
and the importer's recount.

They live beside `comments` and share its rules through the store (`comment_store.thread_changed`
keeps the counters and the version that keys readers' cached pages), so nothing outside these
modules writes a comment row.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, update

from . import comment_store as store
from . import comments
from .db import changed_rows, db
from .models import PENDING, SPAM, Comment, Thread, Trust


def set_held_reason(comment: Comment, reason: str) -> None:
    """Say why a held comment waits (an outside check's answer, or its absence), and commit."""
    comment.held_reason = reason[:200]
    db.session.commit()


def forget_writer(comment: Comment, delete_comment: bool) -> None:
    """A person asked to be forgotten (SPEC 9): nothing of theirs points at them any more, and the
    trust their comments earned goes. With `delete_comment` the words go too (as in a moderator's
    delete); the caller commits with its audit entry."""
    if comment.commenter_hash:
        db.session.execute(delete(Trust).where(Trust.site_id == comment.site_id,
                                               Trust.commenter_hash == comment.commenter_hash))
    if delete_comment:
        comments.erase_for_moderator(comment)
    else:
        comment.author = comment.email = comment.website = comment.ip = None
        comment.notify = False
        store.thread_changed(comment.thread)
    comment.commenter_hash = comment.edit_token_hash = None


def purge_unpublished(cutoff: datetime) -> int:
    """Delete held and spam comments written before `cutoff`; returns how many. Readers never saw
    them, so no thread's counters move. The caller commits."""
    return changed_rows(db.session.execute(
        delete(Comment).where(Comment.status.in_((PENDING, SPAM)), Comment.created < cutoff)
    ))


def change_thread(thread: Thread, **values: Any) -> None:
    """A moderator closes, opens, titles or links a thread; readers' pages follow. The caller commits."""
    for name, value in values.items():
        setattr(thread, name, value)
    store.thread_changed(thread)


def recount_threads(thread_ids: Iterable[int]) -> None:
    """The bulk writer's end: each touched thread recounted, its version bumped (the importer)."""
    for thread_id in sorted(thread_ids):
        store.thread_changed(db.session.get_one(Thread, thread_id))


def stop_reply_notices(site_id: int, thread_ids: Iterable[int], email: str) -> None:
    """An address left these threads' mail: its comments there no longer ask for reply notices.
    The caller commits, with the subscriptions it ends."""
    db.session.execute(update(Comment).where(
        Comment.site_id == site_id, Comment.thread_id.in_(list(thread_ids)),
        func.lower(Comment.email) == email, Comment.notify.is_(True)).values(notify=False))
