"""What the links in e-mails do once their page's button is pressed: moderate, confirm, unsubscribe.

Each function first reads the signed link (`links.LinkRefused` for a forged or expired one);
the `look_*` functions only read, so the page a link opens changes nothing by itself.
"""

from dataclasses import dataclass

from .. import accounts, moderation
from ..db import db
from ..models import PENDING, Comment, Moderator, Site, Subscription, utcnow
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


def blog_of(subscription):
    """The blog a subscription page leads back to: its site's name and first origin (or None, None)."""
    site = subscription and db.session.get(Site, subscription.site_id)
    if site is None or not site.origins:
        return None, None
    return site.name, site.origins[0] + "/"
