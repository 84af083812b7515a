"""Following a thread (SPEC 14), the request side: asking to follow, and the news a published comment makes.

Nothing here sends mail: asking writes a confirmation to the outbox (double opt-in, as for reply
notices), and a comment that goes live writes one `FollowNews` row per confirmed follower, plus a
mail to the outbox for those who want each comment. `followmail` delivers them.
"""

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..mail_models import FollowNews, Subscription
from ..models import Comment, Thread, utcnow
from ..privacy import email_for_matching
from ..rawsql import SessionQuery
from ..vocabulary import Digest, OutboxKind, SubscriptionKind


def follow(site, uri, email, digest, now=None):
    """Ask to follow the thread `uri` of `site`: a confirmation mail, unless the address follows it already.

    The answer is the same either way, so nobody learns whether an address follows a thread."""
    from .outbox import enqueue

    now = now or utcnow()
    address = email.strip().lower()
    thread = _thread(site, uri, now)
    subscription = db.session.scalar(select(Subscription).where(
        Subscription.kind == SubscriptionKind.THREAD, Subscription.thread_id == thread.id,
        Subscription.email == address))
    if subscription is not None and subscription.confirmed and subscription.unsubscribed is None:
        db.session.commit()
        return
    if subscription is None:
        subscription = Subscription(site_id=site.id, email=address, kind=SubscriptionKind.THREAD,
                                    thread_id=thread.id, created=now)
        db.session.add(subscription)
    subscription.digest = Digest(digest)
    subscription.confirmed = subscription.unsubscribed = subscription.last_digest = None
    try:
        db.session.flush()
    except IntegrityError:  # the same request, twice at once: the other one asks for the confirmation
        db.session.rollback()
        return
    enqueue(OutboxKind.MAIL, {"letter": "confirm_follow", "to": address, "site": site.key,
                              "subscription_id": subscription.id}, now)
    db.session.commit()


def _thread(site, uri, now):
    """The post's thread, made (empty, unseen by readers) when nobody has commented yet."""
    found = db.session.scalar(select(Thread).where(Thread.site_id == site.id, Thread.uri == uri))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            db.session.add(Thread(site_id=site.id, uri=uri, created=now))
    except IntegrityError:  # another request made it first
        pass
    return db.session.scalar(select(Thread).where(Thread.site_id == site.id, Thread.uri == uri))


def comment_published(site, comment, now=None, besides=None):
    """A comment went live: news for each confirmed follower of its thread, but not for its writer,
    nor for `besides`, the address a reply notice tells of this comment already."""
    from .outbox import enqueue

    # Without Core's execution: this runs on every approved comment, mostly finding nobody.
    for subscription_id, email, digest in _FOLLOWERS.rows({"thread_id": comment.thread_id}):
        if is_own_comment(email, comment) or _has_news(subscription_id, comment.id):
            continue
        if besides is not None and email_for_matching(email) == email_for_matching(besides):
            continue
        news = FollowNews(subscription_id=subscription_id, comment_id=comment.id, created=now or utcnow())
        db.session.add(news)
        db.session.flush()
        if digest == Digest.EACH:
            enqueue(OutboxKind.MAIL, {"letter": "follow", "to": email, "site": site.key, "news_id": news.id}, now)


_FOLLOWERS = SessionQuery(select(Subscription.id, Subscription.email, Subscription.digest).where(
    Subscription.kind == SubscriptionKind.THREAD, Subscription.thread_id == bindparam("thread_id"),
    Subscription.confirmed.is_not(None), Subscription.unsubscribed.is_(None)).order_by(Subscription.id))


def is_own_comment(email, comment: Comment):
    return comment.email is not None and comment.email != "" and email_for_matching(comment.email) == email_for_matching(email)


def _has_news(subscription_id, comment_id):
    return db.session.scalar(select(FollowNews.id).where(
        FollowNews.subscription_id == subscription_id, FollowNews.comment_id == comment_id)) is not None
