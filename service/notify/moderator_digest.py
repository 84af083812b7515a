"""The moderators' daily digest (SPEC 14): once a UTC day, to each moderator who asked for it, one
mail listing the held comments and the unanswered ones of their sites; no mail when both are empty.

Any number of workers on any number of hosts run `send_due` on every tick. Each moderator's day is
claimed by one conditional UPDATE of `moderator.digest_day` (only one transaction can move it to
today), committed with the outbox row of the mail, so a day's digest is queued once whoever runs.
The mail then goes through the outbox like every other (retries, the delivery log) and is written
when delivered, from what is held and unanswered at that moment (`service.waiting`, as the
admin's queue and Unanswered view count them).
"""

from collections import Counter
from datetime import datetime

from flask import render_template
from sqlalchemy import or_, select, update

from .. import accounts
from ..db import changed_rows, db
from ..models import PENDING, Moderator
from ..sites import public_url
from ..vocabulary import OutboxKind, split_reason
from ..waiting import waiting_for
from . import letters, links, mail, outbox
from .letters import Skip
from .wording import words_for

LETTER = "moderator_digest"
SHOWN = 25  # comments listed per kind; the mail says how many more wait in the admin


def send_due(now: datetime) -> int:
    """Queue today's digest for every opted-in moderator whose day nobody has claimed; returns how many."""
    today = now.date()
    queued = 0
    candidates = db.session.scalars(select(Moderator.id).where(*_due(today)).order_by(Moderator.id)).all()
    db.session.rollback()  # each claim begins its own write transaction (SQLite: no read lock to upgrade)
    for moderator_id in candidates:
        claimed = db.session.execute(update(Moderator).where(Moderator.id == moderator_id, *_due(today))
                                     .values(digest_day=today))
        if changed_rows(claimed) == 1:
            queued += _queue(db.session.get(Moderator, moderator_id), today, now)
        db.session.commit()
    return queued


def _due(today):
    return Moderator.daily_digest.is_(True), or_(Moderator.digest_day.is_(None), Moderator.digest_day < today)


def _queue(moderator, today, now):
    """The digest's outbox row, unless the account has no real mailbox or nothing waits for it."""
    if not accounts.reaches_a_mailbox(moderator.email) or not any(found for found, _ in waiting_for(moderator, 1)):
        return 0
    outbox.enqueue(OutboxKind.MAIL, {"letter": LETTER, "to": moderator.email, "moderator_id": moderator.id,
                                     "day": today.isoformat()}, now)
    return 1


def compose(payload, config, now):
    """The digest mail, written at delivery; Skip when the account went, opted out or nothing waits any more."""
    moderator = db.session.get(Moderator, payload["moderator_id"])
    if moderator is None or not moderator.daily_digest or moderator.email != payload["to"]:
        raise Skip("the moderator no longer wants the daily digest")
    (held, more_held), (unanswered, more_unanswered) = waiting_for(moderator, SHOWN)
    if not held and not unanswered:
        raise Skip("nothing is held or unanswered any more")
    language = _language(held + unanswered)
    words = words_for(language)
    admin = public_url() + "/admin"
    context = {"words": words, "language": language, "held": [_entry(c, words) for c in held],
               "unanswered": [_entry(c, words) for c in unanswered], "more_held": bool(more_held),
               "more_unanswered": bool(more_unanswered), "queue_url": admin + "/",
               "unanswered_url": admin + "/unanswered", "settings_url": admin + "/unanswered#digest"}
    context["subject"] = subject = words["subject_moderator_digest"].format(held=len(held), unanswered=len(unanswered))
    return mail.compose(config, payload["to"], subject, render_template("notify/moderator_digest.txt", **context),
                        render_template("notify/moderator_digest.html", **context))


def _language(comments):
    """The language most of the listed comments' sites write their mails in."""
    return Counter(comment.site.setting("language") for comment in comments).most_common(1)[0][0]


def _entry(comment, words):
    site, thread = comment.site, comment.thread
    return {"site": site.name, "post": thread.title or thread.uri, "author": comment.author or words["anonymous"],
            "text": comment.text, "held": split_reason(comment.held_reason)[1] if comment.status == PENDING else None,
            "url": links.comment_url(site, thread, comment.id)}


letters.LETTERS[LETTER] = compose  # the worker imports this module, so every delivery knows the letter
