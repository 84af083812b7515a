"""Following a thread (SPEC 14), the delivery side: a mail per comment, digests, and the hourly limit.

Every comment an address should hear about is a `FollowNews` row. The mail that carries it claims
it (sets `mailed`) before sending and gives it back if sending fails, so each comment goes out in
exactly one mail. A comment whose own mail would pass `TANDEM_MAIL_HOURLY_LIMIT` is `folded`: the
next digest to that address carries it, sent as soon as the last hour has room again. Daily
followers get one digest a day; a digest carries every comment still waiting for its address.
"""

import logging
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from ..db import db
from ..mail_models import FollowNews, MailSent, Subscription
from ..models import APPROVED, Comment, Site, Thread
from ..vocabulary import Digest
from . import links, mail, quota
from .letters import Skip, _letter, _render

log = logging.getLogger(__name__)

DAY = timedelta(days=1)
KEEP_MAILED = timedelta(days=30)


def deliver_follow(payload, config, now):
    """The outbox's `follow` letter: one new comment to one follower, unless a digest took it or the hour is full."""
    news = db.session.get(FollowNews, payload["news_id"])
    if news is None or news.mailed is not None:
        raise Skip("the comment went out in a digest")
    subscription = db.session.get(Subscription, news.subscription_id)
    if subscription.unsubscribed is not None:
        raise Skip("the address has unsubscribed")
    comment = db.session.get(Comment, news.comment_id)
    if comment.status != APPROVED:
        db.session.delete(news)
        db.session.commit()
        raise Skip("the comment is no longer shown")
    email = subscription.email
    if not quota.take_slot(config, email, now):
        db.session.execute(update(FollowNews).where(FollowNews.id == news.id).values(folded=True))
        db.session.commit()
        raise Skip("over the hourly limit: folded into the next digest")
    _send_claimed(config, email, [news.id], now,
                  lambda: _follow_letter(config, subscription, comment, now))


def fold_reply(payload, now):
    """A reply notice over the hourly limit waits, as news of the reply subscription, for the next digest."""
    exists = select(FollowNews.id).where(FollowNews.subscription_id == payload["subscription_id"],
                                         FollowNews.comment_id == payload["comment_id"])
    if db.session.scalar(exists) is None:
        db.session.add(FollowNews(subscription_id=payload["subscription_id"], comment_id=payload["comment_id"],
                                  folded=True, created=now))
    db.session.commit()


def send_due_digests(config, now):
    """One digest to each address that has folded news, or a daily follow whose day is over; returns how many."""
    due = (select(Subscription.site_id, Subscription.email).distinct()
           .join(FollowNews, FollowNews.subscription_id == Subscription.id)
           .where(FollowNews.mailed.is_(None), Subscription.unsubscribed.is_(None),
                  or_(FollowNews.folded, and_(
                      Subscription.digest == Digest.DAILY,
                      func.coalesce(Subscription.last_digest, Subscription.confirmed) <= now - DAY))))
    sent = 0
    for site_id, email in list(db.session.execute(due)):
        try:
            sent += _send_digest(config, site_id, email, now)
        except Skip as reason:
            log.info("digest not sent: %s", reason)
    purge(now)
    return sent


def _send_digest(config, site_id, email, now):
    waiting = db.session.execute(
        select(FollowNews.id, Comment.id, Comment.status, Subscription.id)
        .join(Subscription, FollowNews.subscription_id == Subscription.id)
        .join(Comment, FollowNews.comment_id == Comment.id)
        .where(Subscription.site_id == site_id, Subscription.email == email,
               Subscription.unsubscribed.is_(None), FollowNews.mailed.is_(None))).all()
    gone = [news_id for news_id, _, status, _ in waiting if status != APPROVED]
    if gone:
        db.session.execute(delete(FollowNews).where(FollowNews.id.in_(gone)))
    db.session.commit()
    shown = [row for row in waiting if row[2] == APPROVED]
    if not shown or not quota.take_slot(config, email, now):
        return 0
    news_ids = [row[0] for row in shown]
    claimed = _send_claimed(config, email, news_ids, now,
                            lambda ids: _digest_letter(config, site_id, email, ids), with_claimed=True)
    subscriptions = {row[3] for row in shown if row[0] in claimed}
    db.session.execute(update(Subscription).where(Subscription.id.in_(subscriptions),
                                                  Subscription.digest == Digest.DAILY).values(last_digest=now))
    db.session.commit()
    return 1


def _send_claimed(config, email, news_ids, now, compose, with_claimed=False):
    """Claim the news, send the mail composed for them, and give news and slot back if it fails."""
    claimed = _claim(news_ids, now)
    if not claimed:
        quota.give_back(config, email, now)
        raise Skip("the comments went out in another mail")
    try:
        message = compose(claimed) if with_claimed else compose()
        mail.send(config, message)
    except BaseException as error:
        db.session.rollback()
        db.session.execute(update(FollowNews).where(FollowNews.id.in_(claimed)).values(mailed=None))
        db.session.commit()
        quota.give_back(config, email, now)
        if isinstance(error, mail.Unaddressable):
            raise Skip(str(error)) from None
        raise
    return claimed


def _claim(news_ids, now):
    """The news this mail takes for itself: those no other mail has taken."""
    claimed = []
    for news_id in news_ids:
        won = db.session.execute(update(FollowNews).where(FollowNews.id == news_id, FollowNews.mailed.is_(None))
                                 .values(mailed=now))
        if won.rowcount == 1:
            claimed.append(news_id)
    db.session.commit()
    return claimed


def _footer(site, email, thread_ids, context):
    context["leave"] = links.leave_link(site.id, email, thread_ids)
    context["stop_all"] = links.stop_all_link(site.id, email)
    return {"List-Id": f"{site.name} comments <{site.key}.comments.{context['sender_domain']}>",
            "List-Unsubscribe": f"<{context['leave']}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _follow_letter(config, subscription, comment, now):
    site, thread = comment.site, comment.thread
    context = _letter(site, thread, comment=comment, comment_url=links.comment_url(site, thread, comment.id),
                      sender_domain=mail.sender_domain(config))
    headers = _footer(site, subscription.email, [thread.id], context)
    context["author"] = comment.author or context["words"]["anonymous"]
    subject = context["words"]["subject_follow"].format(site=site.name, author=context["author"],
                                                        post=context["post_title"])
    return _render(config, subscription.email, subject, "follow", context, headers)


def _digest_letter(config, site_id, email, news_ids):
    """One mail listing the claimed comments, post by post, oldest first; a comment is listed once."""
    found = db.session.scalars(select(Comment).join(FollowNews, FollowNews.comment_id == Comment.id)
                               .where(FollowNews.id.in_(news_ids)).order_by(Comment.created, Comment.id))
    by_thread = {}
    for comment in found:
        listed = by_thread.setdefault(comment.thread_id, [])
        if comment not in listed:
            listed.append(comment)
    site = db.session.get(Site, site_id)
    threads = [db.session.get(Thread, thread_id) for thread_id in by_thread]
    context = _letter(site, threads[0], sender_domain=mail.sender_domain(config))
    anonymous = context["words"]["anonymous"]
    context["sections"] = [
        {"title": thread.title or thread.uri,
         "comments": [{"author": comment.author or anonymous, "comment": comment,
                       "url": links.comment_url(site, thread, comment.id)} for comment in by_thread[thread.id]]}
        for thread in threads]
    headers = _footer(site, email, [thread.id for thread in threads], context)
    posts = ", ".join(section["title"] for section in context["sections"])
    subject = context["words"]["subject_digest"].format(site=site.name, posts=posts[:120])
    return _render(config, email, subject, "digest", context, headers)


def confirm_follow(payload, config, now):
    """The double opt-in mail of a follow: one link that confirms it (the page's button does)."""
    subscription = db.session.get(Subscription, payload["subscription_id"])
    if subscription is None or subscription.unsubscribed is not None:
        raise Skip("the address has unsubscribed")
    if subscription.confirmed is not None:
        raise Skip("the address is confirmed already")
    site, thread = db.session.get(Site, subscription.site_id), db.session.get(Thread, subscription.thread_id)
    context = _letter(site, thread, digest=subscription.digest, days=links.CONFIRMATION_DAYS,
                      confirm=links.confirmation_link(subscription.id, subscription.email, now))
    subject = context["words"]["subject_confirm_follow"].format(site=site.name, post=context["post_title"])
    return _render(config, subscription.email, subject, "confirm_follow", context)


def purge(now):
    """News mailed long ago, and mail counts older than the hour, are no longer needed."""
    db.session.execute(delete(FollowNews).where(FollowNews.mailed < now - KEEP_MAILED))
    db.session.execute(delete(MailSent).where(MailSent.sent <= now - quota.WINDOW))
    db.session.commit()
