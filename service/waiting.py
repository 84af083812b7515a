"""What waits for a blog's author (SPEC 14): held comments, and readers' comments no moderator has answered.

One definition for the admin's queue and Unanswered view (`admin.queries` filters with it) and for
the moderators' daily digest (`notify.moderator_digest`), so the mail and the pages agree.
"""

from sqlalchemy import exists, select, true
from sqlalchemy.orm import aliased

from .db import db
from .models import APPROVED, PENDING, Comment


def unanswered():
    """The conditions of an unanswered comment: a reader's, shown, with no shown reply by a moderator.

    A moderator's reply that was deleted or hidden answers nothing, so its comment is unanswered again."""
    reply = aliased(Comment)
    answered = exists().where(reply.parent_id == Comment.id, reply.is_author.is_(True), reply.status == APPROVED)
    return Comment.status == APPROVED, Comment.is_author.is_(False), ~answered


def on_sites_of(moderator):
    """The condition of a comment on a site the account moderates (an owner's: every site)."""
    if moderator is None or moderator.is_owner:
        return true()
    return Comment.site_id.in_([site.id for site in moderator.sites])


def waiting_for(moderator, limit):
    """(held, unanswered) on the account's sites, newest first: each a list of at most `limit`
    comments and whether more wait."""
    return _newest(moderator, [Comment.status == PENDING], limit), _newest(moderator, list(unanswered()), limit)


def _newest(moderator, conditions, limit):
    query = select(Comment).where(on_sites_of(moderator), *conditions).order_by(Comment.created.desc(), Comment.id.desc())
    found = db.session.scalars(query.limit(limit + 1)).all()
    return found[:limit], len(found) > limit
