"""Events queued in the same transaction as the change that caused them, delivered later by the worker."""

from ..db import db
from ..models import Outbox, utcnow


def enqueue(kind, payload, now=None):
    """Add a message to the outbox; it is committed (or rolled back) with the caller's transaction."""
    db.session.add(Outbox(kind=kind, payload=payload, next_attempt=now or utcnow()))


def _event(name, site, comment):
    return {
        "event": name,
        "site": site.key,
        "comment_id": comment.id,
    }


def comment_created(site, comment):
    """Queue what a new comment triggers: the site's webhook, and moderator mail per `notify`."""
    if site.setting("webhook_url"):
        enqueue("webhook", _event("comment.created", site, comment))
    notify = site.setting("notify")
    if notify == "all" or (notify == "held" and comment.status == "pending"):
        enqueue("moderator_mail", _event("comment.created", site, comment))


def comment_approved(site, comment):
    if site.setting("webhook_url"):
        enqueue("webhook", _event("comment.approved", site, comment))
