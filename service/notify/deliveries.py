"""What delivering each kind of outbox row means: send a mail, call a webhook, ask Akismet."""

from .. import comment_upkeep, comments, outbound
from ..db import db
from ..models import APPROVED, PENDING, Comment
from ..policy import awaits_spam_check
from ..sites import get_site
from ..vocabulary import Held, reason
from . import akismet, followmail, letters, mail, outbox, quota, spamhook, webhooks
from .letters import Skip


def deliver(kind, payload, config, now):
    """Do it, or raise Skip (no longer needed) or any other exception (try again later)."""
    HANDLERS[kind](payload, config, now)


# Mails to readers count against TANDEM_MAIL_HOURLY_LIMIT; moderators' notices are the site's own work.
READER_LETTERS = ("reply", "confirm", "confirm_follow")


def _mail(payload, config, now):
    letter = payload["letter"]
    if letter == "follow":
        return followmail.deliver_follow(payload, config, now)
    if letter == "confirm_follow":
        try:
            message = followmail.confirm_follow(payload, config, now)
        except mail.Unaddressable as reason:
            raise Skip(str(reason)) from None
    else:
        message = letters.compose(payload, config, now)
    if letter not in READER_LETTERS:
        return mail.send(config, message)
    to = message["To"].addresses[0].addr_spec
    if not quota.take_slot(config, to, now):
        if letter == "reply":
            followmail.fold_reply(payload, now)
            raise Skip("over the hourly limit: folded into the next digest")
        raise Skip("over the hourly limit for this address")
    try:
        mail.send(config, message)
    except Exception:
        quota.give_back(config, to, now)
        raise


def _webhook(payload, config, now):
    url = get_site(payload["site"]).setting("webhook_url")
    if not url:
        raise Skip("the site has no webhook_url any more")
    secret = webhooks.site_secret(config["SECRET_KEY"], payload["site"])
    permitted = outbound.permitted_addresses(config.get("TANDEM_WEBHOOK_ALLOW_PRIVATE"))
    webhooks.deliver(url, payload["body"], secret, payload["event"], permitted)


def _akismet(payload, config, now):
    """Check a new or edited comment (spam goes out of readers' sight), or report a moderator's verdict."""
    comment = db.session.get(Comment, payload["comment_id"])
    if not config.get("TANDEM_AKISMET_KEY"):
        raise Skip("TANDEM_AKISMET_KEY is not set")
    if comment is None:
        raise Skip("the comment no longer exists")
    if payload.get("report"):
        akismet.report(config, comment, payload["report"])
    elif comment.status not in (PENDING, APPROVED):
        raise Skip("the comment was decided before the check")
    elif akismet.is_spam(config, comment):
        comments.moderate([comment.id], "spam", learn=False, reason=outbox.AKISMET_VERDICT)
    elif comment.status == PENDING and awaits_spam_check(comment.held_reason) and not _uses_hook(comment):
        # Held only for the check: it goes live as the policy would have let it.
        comments.moderate([comment.id], "approve", trust=False, learn=False)


HOOK_DOWN = reason(Held.HOOK, "the spam hook gave no verdict yet; held until it does")


def _uses_hook(comment):
    return bool(comment.site.setting("spam_hook_url"))


def _spam_hook(payload, config, now):
    """Ask the site's spam hook; its verdict decides. Until it gives one, the comment stays held."""
    comment = db.session.get(Comment, payload["comment_id"])
    if comment is None:
        raise Skip("the comment no longer exists")
    site = comment.site
    url = site.setting("spam_hook_url")
    waiting = comment.status == PENDING and (comment.held_reason == HOOK_DOWN or awaits_spam_check(comment.held_reason))
    if not url:
        if waiting:  # the owner removed the hook: the comment waits for a moderator, never goes live
            comment_upkeep.set_held_reason(comment, reason(Held.HOOK, "the spam hook was removed before it answered"))
        raise Skip("the site has no spam_hook_url any more")
    if comment.status not in (PENDING, APPROVED):
        raise Skip("the comment was decided before the check")
    secret = webhooks.site_secret(config["SECRET_KEY"], site.key)
    permitted = outbound.permitted_addresses(config.get("TANDEM_WEBHOOK_ALLOW_PRIVATE"))
    try:
        verdict = spamhook.ask(url, spamhook.check_body(site, comment), secret, permitted)
    except spamhook.HookFailed:
        if waiting and comment.held_reason != HOOK_DOWN:
            comment_upkeep.set_held_reason(comment, HOOK_DOWN)
        raise
    if verdict == "spam":
        comments.moderate([comment.id], "spam", learn=False, reason=reason(Held.HOOK, "the spam hook says spam"))
    elif verdict == "hold" and comment.status == PENDING:
        if waiting:
            comment_upkeep.set_held_reason(comment, reason(Held.HOOK, "the spam hook says hold"))
    elif verdict == "ham" and waiting:
        comments.moderate([comment.id], "approve", trust=False, learn=False)


HANDLERS = {"mail": _mail, "webhook": _webhook, "akismet": _akismet, "spam_hook": _spam_hook}
