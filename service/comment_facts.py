"""The facts the moderation policy decides a text on, gathered in one place for new comments and
readers' edits alike, from the site's settings, the store's lookups, the challenge and the spam filter."""

from datetime import timedelta

from flask import current_app

from . import challenge, policy, spam, text
from . import comment_store as store
from .notify import outbox


def gather(site, thread, body, html, commenter_hash, email, ip, now, *, new_commenter=False,
           parent_ok=True, honeypot="", by_moderator=False, stored_as_spam=False, trusted=None,
           author=None, website=None):
    """What the moderation policy needs to know about a text from this writer in this thread.

    The one place these facts are gathered, for new comments and readers' edits alike, so an edit
    meets every check a new comment meets: closed thread, honeypot, bans, blocklist, links, trust
    Akismet, the spam hook, the learning filter and spam domains. A commenter whose token was issued
    just now cannot have earned trust yet: no lookup; `trusted`, when the caller has looked it up
    already, is not looked up again.
    """
    if trusted is None:
        trusted = not new_commenter and store.is_trusted(site, commenter_hash)
    return policy.Facts(
        moderation=site.setting("moderation"),
        link_limit=site.setting("link_limit"),
        blocklist=tuple(site.setting("blocklist") or ()),
        thread_closed=is_closed(site, thread, now),
        parent_ok=parent_ok,
        honeypot_filled=bool(honeypot),
        banned=store.is_banned(site, commenter_hash, email, ip),
        by_moderator=by_moderator,
        text=body,
        link_count=text.count_links(html),
        trusted=trusted,
        stored_as_spam=stored_as_spam,
        awaiting_spam_check=outbox.awaits_outside_check(site),
        **_filter_facts(site, body, author, email, website, by_moderator),
    )


def checked_challenge(site, author, trusted, now):
    """The reader's proof-of-work, checked, when the site asks one of this writer (SPEC 13);
    None when none is asked. It is spent with the comment's write, and refused before any of it."""
    if author.moderator is not None or not challenge.required(site.setting("challenge"), trusted):
        return None
    return challenge.verify(author.challenge, site.key, current_app.config["SECRET_KEY"], now)


def _filter_facts(site, body, author, email, website, by_moderator):
    """The learning filter's score and any spam domain linked to; moderators' words are not judged."""
    if by_moderator:
        return {}
    found = spam.assess(site, body, author=author, email=email, website=website)
    return {"spam_score": found.score, "spam_features": found.top, "spam_domain": found.spam_domain,
            "spam_threshold": site.setting("spam_threshold"), "hold_threshold": site.setting("hold_threshold")}


def is_closed(site, thread, now):
    days = site.setting("close_after_days")
    too_old = bool(days) and thread.id is not None and thread.created + timedelta(days=days) < now
    return thread.closed or too_old
