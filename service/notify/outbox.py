"""Events queued in the same transaction as the change that caused them, delivered later by the worker.

Nothing here talks to the network: the request only writes outbox rows, so a mail server or
webhook that is down or slow can never fail or slow a reader's request.
"""

from typing import TYPE_CHECKING, Union

from flask import current_app
from sqlalchemy import func, select

from ..db import db
from ..mail_models import Outbox, Subscription
from ..models import APPROVED, PENDING, SPAM, Comment, Moderator, Site, site_moderators, utcnow
from ..policy import AWAITING_SPAM_CHECK
from ..vocabulary import Held, OutboxKind, OutboxState, SubscriptionKind, reason
from . import following, webhooks

if TYPE_CHECKING:
    from ..sites import SiteView

AnySite = Union[Site, "SiteView"]

MAIL, WEBHOOK, AKISMET, SPAM_HOOK = OutboxKind.MAIL, OutboxKind.WEBHOOK, OutboxKind.AKISMET, OutboxKind.SPAM_HOOK
AKISMET_VERDICT = reason(Held.AKISMET)  # the held_reason of comments Akismet took down


def enqueue(kind, payload, now=None):
    """Add a message to the outbox; it is committed (or rolled back) with the caller's transaction."""
    db.session.add(Outbox(kind=kind, payload=payload, next_attempt=now or utcnow()))


def comment_created(site: AnySite, comment: Comment) -> None:
    """Queue what a new comment triggers: the spam check, the webhook, moderator and reader mail."""
    if comment.status == SPAM:
        return
    _spam_check(site, comment)
    if site.setting("webhook_url"):
        enqueue(WEBHOOK, webhooks.event_payload("comment.created", site, comment))
    notify = site.setting("notify")
    held_for_moderators = comment.status == PENDING and comment.held_reason != AWAITING_SPAM_CHECK
    if notify == "all" or (notify == "held" and held_for_moderators):
        for moderator in _moderators(site, besides=comment.moderator_id):
            enqueue(MAIL, {"letter": "moderator", "to": moderator.email, "moderator_id": moderator.id,
                           "site": site.key, "comment_id": comment.id})
    if comment.notify and comment.email:
        _opt_in(site, comment)
    if comment.status == APPROVED:
        following.comment_published(site, comment, besides=_reply_alert(site, comment))


def comment_edited(site: AnySite, comment: Comment) -> None:
    """Queue what a reader's edit triggers: Akismet checks the new words as it checked the first."""
    if comment.status != SPAM:
        _spam_check(site, comment)


def _spam_check(site, comment):
    if uses_akismet(site):
        enqueue(AKISMET, {"site": site.key, "comment_id": comment.id})
    if site.setting("spam_hook_url"):
        enqueue(SPAM_HOOK, {"site": site.key, "comment_id": comment.id})


def comment_approved(site: AnySite, comment: Comment) -> None:
    """Queue what an approval triggers: the webhook and the mail to the author replied to."""
    if site.setting("webhook_url"):
        enqueue(WEBHOOK, webhooks.event_payload("comment.approved", site, comment))
    following.comment_published(site, comment, besides=_reply_alert(site, comment))


def comment_decided(comment: Comment, new_status: str) -> None:
    """Before a moderator's decision lands: report Akismet's mistakes (spam it missed, comments it took wrongly)."""
    site = comment.site
    if not uses_akismet(site) or comment.status == new_status:
        return
    if new_status == SPAM and comment.held_reason != AKISMET_VERDICT:
        enqueue(AKISMET, {"site": site.key, "comment_id": comment.id, "report": "spam"})
    elif new_status == APPROVED and comment.status == SPAM:
        enqueue(AKISMET, {"site": site.key, "comment_id": comment.id, "report": "ham"})


def uses_akismet(site):
    return bool(site.setting("akismet") and current_app.config.get("TANDEM_AKISMET_KEY"))


def awaits_outside_check(site: AnySite) -> bool:
    """Whether a new comment waits for Akismet or the site's spam hook before it may go live."""
    return uses_akismet(site) or bool(site.setting("spam_hook_url"))


def _moderators(site, besides=None):
    """The site's moderators (but not the one who wrote the comment); a site nobody moderates tells the owners."""
    assigned = select(Moderator).join(site_moderators).where(site_moderators.c.site_id == site.id).order_by(Moderator.id)
    found = list(db.session.scalars(assigned)) or list(
        db.session.scalars(select(Moderator).where(Moderator.is_owner).order_by(Moderator.id)))
    return [moderator for moderator in found if moderator.id != besides]


def find_subscription(site_id, email):
    """The address's subscription to reply notices on the site (not its follows of threads)."""
    return db.session.scalar(select(Subscription).where(
        Subscription.site_id == site_id, Subscription.email == email.strip().lower(),
        Subscription.kind == SubscriptionKind.REPLIES))


def _opt_in(site, comment):
    """Double opt-in: an address asking for the first time (or again after leaving) gets one confirmation mail."""
    subscription = find_subscription(site.id, comment.email)
    if subscription is not None and subscription.unsubscribed is None:
        return
    if subscription is None:
        subscription = Subscription(site_id=site.id, email=comment.email.strip().lower())
        db.session.add(subscription)
    subscription.confirmed = subscription.unsubscribed = None
    db.session.flush()
    enqueue(MAIL, {"letter": "confirm", "to": subscription.email, "site": site.key,
                   "subscription_id": subscription.id, "comment_id": comment.id})


def _reply_alert(site, reply):
    """Tell the author of the parent comment, if they asked, confirmed, and are not replying to themselves.

    Returns the address told, or None: following the thread too, it gets no second mail of the reply."""
    parent = db.session.get(Comment, reply.parent_id) if reply.parent_id else None
    if parent is None or parent.status != APPROVED or not (parent.notify and parent.email):
        return None
    if is_own_reply(parent, reply):
        return None
    subscription = find_subscription(site.id, parent.email)
    if subscription is None or subscription.confirmed is None or subscription.unsubscribed is not None:
        return None
    enqueue(MAIL, {"letter": "reply", "to": subscription.email, "site": site.key,
                   "subscription_id": subscription.id, "comment_id": reply.id, "parent_id": parent.id})
    return subscription.email


def is_own_reply(parent, reply):
    same_email = bool(reply.email) and reply.email.strip().lower() == parent.email.strip().lower()
    same_browser = bool(reply.commenter_hash) and reply.commenter_hash == parent.commenter_hash
    return same_email or same_browser


def pending_count():
    """How many messages wait for delivery; shown by `tandem worker` when it starts."""
    return db.session.scalar(select(func.count()).select_from(Outbox).where(Outbox.state == OutboxState.QUEUED))
