"""What each e-mail says: built at delivery from the current state, so stale news is skipped.

Every letter re-checks its reason to exist (a comment since marked spam, an address that has
unsubscribed) and raises `Skip` instead of sending something no longer true.
"""

from flask import render_template

from ..db import db
from ..models import APPROVED, PENDING, SPAM, Comment, Subscription
from ..sites import public_url
from ..vocabulary import split_reason
from . import links, mail

ACTIONS = ("approve", "reject", "spam")


class Skip(Exception):
    """This message no longer needs to go; the reason is kept in the delivery log."""


def compose(payload, config, now):
    """The e-mail for an outbox row of kind `mail`."""
    try:
        return LETTERS[payload["letter"]](payload, config, now)
    except mail.Unaddressable as reason:
        raise Skip(str(reason)) from None


def _comment(comment_id):
    comment = db.session.get(Comment, comment_id) if comment_id else None
    if comment is None:
        raise Skip("the comment no longer exists")
    return comment


def _moderator(payload, config, now):
    comment = _comment(payload["comment_id"])
    site, thread = comment.site, comment.thread
    if comment.status == SPAM:
        raise Skip("the comment was marked as spam")
    held = comment.status == PENDING
    if not held and site.setting("notify") != "all":
        raise Skip(f"the comment was already decided ({comment.status})")
    actions = ACTIONS if held else ACTIONS[1:]
    context = {
        "site": site, "thread": thread, "comment": comment, "held": held,
        "held_sentence": split_reason(comment.held_reason)[1],
        "parent": db.session.get(Comment, comment.parent_id) if comment.parent_id else None,
        "links": {action: links.moderation_link(comment.id, action, payload["moderator_id"], now) for action in actions},
        "comment_url": links.comment_url(site, thread, comment.id),
    }
    kind = "Held" if held else "New"
    subject = f"[{site.name}] {kind} comment by {comment.author or 'Anonymous'} on {thread.title or thread.uri}"
    return mail.compose(config, payload["to"], subject, render_template("notify/moderator.txt", **context),
                        render_template("notify/moderator.html", **context))


def _subscription(payload):
    subscription = db.session.get(Subscription, payload["subscription_id"])
    if subscription is None or subscription.unsubscribed is not None:
        raise Skip("the address has unsubscribed")
    return subscription


def _reply(payload, config, now):
    reply = _comment(payload["comment_id"])
    parent = _comment(payload["parent_id"])
    subscription = _subscription(payload)
    if subscription.confirmed is None:
        raise Skip("the address has not confirmed its subscription")
    if reply.status != APPROVED or parent.status != APPROVED or not parent.notify:
        raise Skip("the reply or the comment replied to is no longer shown")
    site, thread = reply.site, reply.thread
    unsubscribe = links.unsubscribe_link(subscription.id, subscription.email)
    context = {"site": site, "thread": thread, "reply": reply, "parent": parent, "unsubscribe": unsubscribe,
               "comment_url": links.comment_url(site, thread, reply.id)}
    subject = f"[{site.name}] {reply.author or 'Anonymous'} replied to your comment on {thread.title or thread.uri}"
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return mail.compose(config, subscription.email, subject, render_template("notify/reply.txt", **context),
                        render_template("notify/reply.html", **context), headers)


def _confirm(payload, config, now):
    subscription = _subscription(payload)
    if subscription.confirmed is not None:
        raise Skip("the address is confirmed already")
    comment = db.session.get(Comment, payload["comment_id"])
    if comment is None or comment.status == SPAM or not comment.notify:
        raise Skip("the comment that asked was removed or marked as spam")
    site = comment.site
    context = {"site": site, "thread": comment.thread,
               "confirm": links.confirmation_link(subscription.id, subscription.email, now),
               "days": links.CONFIRMATION_DAYS}
    subject = f"[{site.name}] Please confirm reply notifications"
    return mail.compose(config, subscription.email, subject, render_template("notify/confirm.txt", **context),
                        render_template("notify/confirm.html", **context))


def _test(payload, config, now):
    context = {"public_url": public_url(), "smtp_host": config.get("TANDEM_SMTP_HOST")}
    return mail.compose(config, payload["to"], "Tandem test mail", render_template("notify/test.txt", **context))


LETTERS = {"moderator": _moderator, "reply": _reply, "confirm": _confirm, "test": _test}
