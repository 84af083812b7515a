"""What each e-mail says: built at delivery from the current state, so stale news is skipped.

Every letter re-checks its reason to exist (a comment since marked spam, an address that has
unsubscribed) and raises `Skip` instead of sending something no longer true.
"""

from flask import render_template

from .. import signin
from ..db import db
from ..mail_models import SignInClaim, Subscription
from ..models import APPROVED, PENDING, SPAM, Comment, Site
from ..sites import public_url
from ..vocabulary import Decision, split_reason
from . import links, mail, replyto
from .wording import words_for

ACTIONS = tuple(Decision)


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


def _letter(site, thread, **context):
    """What every letter about a comment shares: the site's words and the post's title."""
    words = words_for(site.setting("language"))
    return {"site": site, "thread": thread, "words": words, "language": site.setting("language"),
            "post_title": thread.title or thread.uri, **context}


def _reply_to(config, token, now):
    """The signed `Reply-To` header of a notice when reply by mail is on (TANDEM_MAIL_REPLY_TO)."""
    address = replyto.reply_address(config.get("TANDEM_MAIL_REPLY_TO"), config["SECRET_KEY"], token, now)
    return {"Reply-To": address} if address else {}


def _render(config, to, subject, template, context, headers=None):
    context["subject"] = subject
    return mail.compose(config, to, subject, render_template(f"notify/{template}.txt", **context),
                        render_template(f"notify/{template}.html", **context), headers)


def _moderator(payload, config, now):
    comment = _comment(payload["comment_id"])
    site, thread = comment.site, comment.thread
    if comment.status == SPAM:
        raise Skip("the comment was marked as spam")
    held = comment.status == PENDING
    if not held and site.setting("notify") != "all":
        raise Skip(f"the comment was already decided ({comment.status})")
    actions = ACTIONS if held else ACTIONS[1:]
    headers = _reply_to(config, replyto.ReplyToken(replyto.MODERATOR, payload["moderator_id"], comment.id), now)
    context = _letter(
        site, thread, comment=comment, held=held, reply_by_mail=bool(headers),
        held_sentence=split_reason(comment.held_reason)[1],
        parent=db.session.get(Comment, comment.parent_id) if comment.parent_id else None,
        links={action: links.moderation_link(comment.id, action, payload["moderator_id"], now) for action in actions},
        comment_url=links.comment_url(site, thread, comment.id),
    )
    context["author"] = comment.author or context["words"]["anonymous"]
    subject = context["words"]["subject_held" if held else "subject_new"].format(
        site=site.name, author=context["author"], post=context["post_title"])
    return _render(config, payload["to"], subject, "moderator", context, headers)


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
    # One click stops mail about this thread (RFC 8058); the body also has a link to stop all mail from the site.
    leave = links.leave_link(site.id, subscription.email, [thread.id])
    token = replyto.ReplyToken(replyto.READER, subscription.id, reply.id, parent.id)
    # List-Id with List-Unsubscribe: mail filters (SpamAssassin's LIST_PARTIAL_SHORT_MSG) expect both.
    headers = {"List-Id": f"{site.name} replies <{site.key}.replies.{mail.sender_domain(config)}>",
               "List-Unsubscribe": f"<{leave}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               **_reply_to(config, token, now)}
    context = _letter(site, thread, reply=reply, parent=parent, leave=leave,
                      stop_all=links.stop_all_link(site.id, subscription.email),
                      reply_by_mail="Reply-To" in headers, comment_url=links.comment_url(site, thread, reply.id))
    context["author"] = reply.author or context["words"]["anonymous"]
    subject = context["words"]["subject_reply"].format(site=site.name, author=context["author"],
                                                       post=context["post_title"])
    return _render(config, subscription.email, subject, "reply", context, headers)


def _confirm(payload, config, now):
    subscription = _subscription(payload)
    if subscription.confirmed is not None:
        raise Skip("the address is confirmed already")
    comment = db.session.get(Comment, payload["comment_id"])
    if comment is None or comment.status == SPAM or not comment.notify:
        raise Skip("the comment that asked was removed or marked as spam")
    site, thread = comment.site, comment.thread
    context = _letter(site, thread, comment=comment, comment_url=links.comment_url(site, thread, comment.id),
                      confirm=links.confirmation_link(subscription.id, subscription.email, now),
                      days=links.CONFIRMATION_DAYS)
    subject = context["words"]["subject_confirm"].format(site=site.name, post=context["post_title"])
    return _render(config, subscription.email, subject, "confirm", context)


def _signin(payload, config, now):
    """The sign-in link (SPEC 14). Its secret is made here, last, so the mail holds the only copy."""
    claim = db.session.get(SignInClaim, payload["claim_id"])
    if claim is None or claim.expires <= now:
        raise Skip("the sign-in link expired, or its address was forgotten, before it could be sent")
    site = db.session.get(Site, claim.site_id)
    words = words_for(site.setting("language"))
    context = {"site": site, "words": words, "language": site.setting("language"), "page": claim.url,
               "minutes": int(signin.CLAIM_LIFETIME.total_seconds() // 60)}
    subject = words["subject_signin"].format(site=site.name)
    context["link"] = f"{claim.url}#tandem-claim={signin.issue_secret(claim)}"
    return _render(config, payload["to"], subject, "signin", context)


def _test(payload, config, now):
    context = {"public_url": public_url(), "smtp_host": config.get("TANDEM_SMTP_HOST")}
    return _render(config, payload["to"], "Tandem test mail", "test", context)


LETTERS = {"moderator": _moderator, "reply": _reply, "confirm": _confirm, "test": _test, signin.LETTER: _signin}
