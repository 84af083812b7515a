"""What the links in e-mails do once their page's button is pressed: moderate, confirm, unsubscribe.

Each function first reads the signed link (`links.LinkRefused` for a forged or expired one);
the `look_*` functions only read, so the page a link opens changes nothing by itself.
"""

from dataclasses import dataclass

from sqlalchemy import select, update

from .. import accounts, comment_upkeep, moderation
from ..db import db
from ..mail_models import Subscription
from ..models import PENDING, Comment, Moderator, Site, Thread, utcnow
from . import links

STATUS_AFTER = {"approve": "approved", "reject": "deleted", "spam": "spam"}


@dataclass
class ModerationLink:
    comment: Comment | None
    action: str
    moderator: Moderator | None

    @property
    def state(self):
        """`ready` while the comment waits and the account still moderates its site; else why not."""
        if self.comment is None:
            return "gone"
        if self.moderator is None or not accounts.moderates(self.moderator, self.comment.site):
            return "not_moderator"
        return "ready" if self.comment.status == PENDING else "decided"


def look_moderation(token, now=None):
    facts = links.read_token(links.MODERATE, token, now)
    if facts.get("action") not in STATUS_AFTER:
        raise links.LinkRefused()
    return ModerationLink(db.session.get(Comment, facts["comment"]), facts["action"],
                          db.session.get(Moderator, facts["moderator"]))


def moderate(token, now=None):
    """Do what the link says if it still applies; returns the ModerationLink and whether it acted."""
    found = look_moderation(token, now)
    if found.state != "ready":
        return found, False
    moderation.decide(found.moderator, [found.comment.id], found.action, now=now)
    return found, True


def look_subscription(purpose, token, now=None):
    """The subscription a confirm or unsubscribe link is for (None when it is gone)."""
    facts = links.read_token(purpose, token, now)
    subscription = db.session.get(Subscription, facts.get("subscription"))
    if subscription is None or subscription.email != facts.get("email"):
        return None
    return subscription


def confirm(token, now=None):
    """Double opt-in, second step: from now on this address receives reply mails."""
    subscription = look_subscription(links.CONFIRM, token, now)
    if subscription is not None and subscription.confirmed is None and subscription.unsubscribed is None:
        subscription.confirmed = now or utcnow()
        db.session.commit()
    return subscription


def unsubscribe(token, now=None):
    """No more reply mails to this address on this site; asking again later needs a new confirmation."""
    subscription = look_subscription(links.UNSUBSCRIBE, token, now)
    if subscription is not None and subscription.unsubscribed is None:
        subscription.unsubscribed = now or utcnow()
        db.session.commit()
    return subscription


@dataclass
class Leaving:
    """What a leave or stop-all link is for: an address, its site, the threads (None: all of them)."""

    site_id: int
    email: str
    thread_titles: list | None
    done: bool = False


def look_leaving(purpose, token, now=None):
    facts = links.read_token(purpose, token, now)
    site_id, email, threads = facts.get("site"), facts.get("email"), facts.get("threads")
    if not isinstance(site_id, int) or not isinstance(email, str) or (purpose == links.LEAVE and not threads):
        raise links.LinkRefused()
    titles = None
    if purpose == links.LEAVE:
        found = db.session.scalars(select(Thread).where(Thread.site_id == site_id, Thread.id.in_(threads)))
        titles = [thread.title or thread.uri for thread in found]
    return Leaving(site_id, email, titles), facts


def leave(purpose, token, now=None):
    """Act on a leave link (these threads) or a stop-all link (the whole site). Doing it twice changes nothing."""
    leaving, facts = look_leaving(purpose, token, now)
    now = now or utcnow()
    mine = [Subscription.site_id == leaving.site_id, Subscription.email == leaving.email,
            Subscription.unsubscribed.is_(None)]
    if purpose == links.LEAVE:
        mine.append(Subscription.thread_id.in_(facts["threads"]))
        comment_upkeep.stop_reply_notices(leaving.site_id, facts["threads"], leaving.email)  # reply notices too
    db.session.execute(update(Subscription).where(*mine).values(unsubscribed=now))
    db.session.commit()
    leaving.done = True
    return leaving


def blog_of(subscription):
    """The blog a subscription page leads back to: its site's name and first origin (or None, None)."""
    site = subscription and db.session.get(Site, subscription.site_id)
    if site is None or not site.origins:
        return None, None
    return site.name, site.origins[0] + "/"
