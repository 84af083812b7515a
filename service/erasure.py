"""Erasure (SPEC 9, 12): forgetting a person on request. (Retention lives in `notify.retention`.)

A forgotten person's comments keep their words (or, with `delete`, only their place in
the thread) and lose everything that points at the person. The outbox follows: mail to the
person goes, and webhook bodies about their comments (queued, or kept in the delivery log)
are written again from the forgotten comments. Bans already hold keyed hashes only; the
audit entry records a keyed hash of the address, never the address.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select

from . import audit, comment_upkeep
from .db import db
from .mail_models import Outbox, SignInClaim, Subscription
from .models import Comment
from .moderation import require_owner
from .notify import webhooks
from .notify.outbox import MAIL, WEBHOOK
from .privacy import keyed_hash


@dataclass
class Forgotten:
    comments: int
    subscriptions: int


def forget(moderator, email, *, site=None, delete_comments=False, now=None):
    """Erase the personal data of every comment written with `email` (on one site, or all)."""
    require_owner(moderator)
    address = (email or "").strip().lower()
    query = select(Comment).where(func.lower(Comment.email) == address)
    subscriptions = delete(Subscription).where(func.lower(Subscription.email) == address)
    if site is not None:
        query = query.where(Comment.site_id == site.id)
        subscriptions = subscriptions.where(Subscription.site_id == site.id)
    found = db.session.scalars(query).all() if address else []
    for comment in found:
        comment_upkeep.forget_writer(comment, delete_comments)
    removed = db.session.execute(subscriptions).rowcount if address else 0
    if address:  # sign-in links not yet used (SPEC 14): the address is kept in lower case there
        claims = delete(SignInClaim).where(SignInClaim.email == address)
        db.session.execute(claims if site is None else claims.where(SignInClaim.site_id == site.id))
    _forget_mail(address)
    _forget_webhooks({comment.id: comment for comment in found})
    audit.record(moderator, "forget", site=site, target="e-mail " + _address_hash(address)[:16],
                 details={"comments": len(found), "deleted": delete_comments, "subscriptions": removed}, now=now)
    db.session.commit()
    return Forgotten(len(found), removed)


def _forget_mail(address):
    """Mail to the person, queued or in the delivery log, goes too (payloads are JSON, so looked at here)."""
    for row in db.session.scalars(select(Outbox).where(Outbox.kind == MAIL)):
        if address and str((row.payload or {}).get("to", "")).strip().lower() == address:
            db.session.delete(row)


def _forget_webhooks(forgotten):
    """A webhook body about a forgotten comment is built again from what is left of it."""
    if not forgotten:
        return
    db.session.flush()
    for row in db.session.scalars(select(Outbox).where(Outbox.kind == WEBHOOK)):
        comment = forgotten.get((row.payload or {}).get("comment_id"))
        if comment is not None:
            row.payload = webhooks.event_payload(row.payload.get("event"), comment.site, comment)


def _address_hash(address):
    """Lets an owner check later whether an address was forgotten, without the log holding it."""
    return keyed_hash(current_app.config["SECRET_KEY"], "forget:" + address)

