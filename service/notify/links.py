"""Signed links in e-mails: one-click moderation, subscription confirmation and unsubscribing.

A link carries its facts (which comment, which action, who may act, until when) signed with
the instance secret, so nothing is stored per link and a changed byte makes it worthless.
Expiry is part of the signed facts and checked against a `now` the caller passes in.
"""

from datetime import timedelta, timezone

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..fields import thread_link
from ..models import utcnow
from ..sites import public_url

MODERATION_DAYS = 7
CONFIRMATION_DAYS = 7
MODERATE, CONFIRM, UNSUBSCRIBE = "moderate", "confirm-subscription", "unsubscribe"
LEAVE, STOP_ALL = "leave-thread", "stop-all-mail"


class LinkRefused(Exception):
    """A link that was tampered with (`expired` False) or whose time is over (`expired` True)."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="tandem-" + purpose)


def _seconds(moment):
    """Our datetimes are naive UTC; make that explicit so the host's time zone never matters."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def make_token(purpose, facts, valid_for=None, now=None):
    facts = dict(facts)
    if valid_for is not None:
        facts["until"] = _seconds((now or utcnow()) + valid_for)
    return _serializer(purpose).dumps(facts)


def read_token(purpose, token, now=None):
    """The facts a token carries, or LinkRefused when it is forged, altered or expired."""
    try:
        facts = _serializer(purpose).loads(token)
    except BadSignature:
        raise LinkRefused() from None
    if not isinstance(facts, dict):
        raise LinkRefused()
    if "until" in facts and _seconds(now or utcnow()) > facts["until"]:
        raise LinkRefused(expired=True)
    return facts


def moderation_link(comment_id, action, moderator_id, now=None):
    facts = {"comment": comment_id, "action": action, "moderator": moderator_id}
    return f"{public_url()}/moderate/{make_token(MODERATE, facts, timedelta(days=MODERATION_DAYS), now)}"


def confirmation_link(subscription_id, email, now=None):
    facts = {"subscription": subscription_id, "email": email}
    return f"{public_url()}/confirm/{make_token(CONFIRM, facts, timedelta(days=CONFIRMATION_DAYS), now)}"


def unsubscribe_link(subscription_id, email):
    """Unsubscribe links never expire: an old mail must still be able to stop the next one."""
    return f"{public_url()}/unsubscribe/{make_token(UNSUBSCRIBE, {'subscription': subscription_id, 'email': email})}"


def leave_link(site_id, email, thread_ids):
    """No more mail about these threads (follows and reply notices): the one-click `List-Unsubscribe`."""
    facts = {"site": site_id, "email": email, "threads": sorted(set(thread_ids))}
    return f"{public_url()}/leave/{make_token(LEAVE, facts)}"


def stop_all_link(site_id, email):
    """No more mail of any kind from the site to this address."""
    return f"{public_url()}/stop/{make_token(STOP_ALL, {'site': site_id, 'email': email})}"


def comment_url(site, thread, comment_id):
    """Where a comment is read: its post's address (as the page reported it) with `#comment-ID`."""
    page = thread_link(thread.url, site.origins)
    if page is None:
        page = (site.origins[0] if site.origins else public_url()) + thread.uri
    return f"{page}#comment-{comment_id}"
