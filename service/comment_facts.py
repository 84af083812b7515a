"""The facts the moderation policy decides a text on, gathered in one place for new comments and
readers' edits alike, from the site's settings, the store's lookups, the challenge and the spam filter."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app

from . import challenge, policy, spam, text
from . import comment_store as store
from .comment_store import ThreadRow, UnmadeThread
from .models import Thread
from .notify import outbox
from .sites import AnySite

if TYPE_CHECKING:  # comments imports this module
    from .comments import Author

# The thread a text is written in: the create path's plain row (or one not made yet), or an edit's ORM row.
AnyThread = Thread | ThreadRow | UnmadeThread


def gather(site: AnySite, thread: AnyThread, body: str, html: str, commenter_hash: str | None,
           email: str | None, ip: str | None, now: datetime, *, new_commenter: bool = False,
           parent_ok: bool = True, honeypot: str = "", by_moderator: bool = False, stored_as_spam: bool = False,
           trusted: bool | None = None, author: str | None = None, website: str | None = None) -> policy.Facts:
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


def checked_challenge(site: AnySite, author: "Author", trusted: bool, now: datetime) -> challenge.Solved | None:
    """The reader's proof-of-work, checked, when the site asks one of this writer (SPEC 13);
    None when none is asked. It is spent with the comment's write, and refused before any of it."""
    if author.moderator is not None or not challenge.required(site.setting("challenge"), trusted):
        return None
    return challenge.verify(author.challenge, site.key, current_app.config["SECRET_KEY"], now)


def _filter_facts(site: AnySite, body: str, author: str | None, email: str | None, website: str | None,
                  by_moderator: bool) -> dict[str, Any]:
    """The learning filter's score and any spam domain linked to; moderators' words are not judged."""
    if by_moderator:
        return {}
    found = spam.assess(site, body, author=author, email=email, website=website)
    return {"spam_score": found.score, "spam_features": found.top, "spam_domain": found.spam_domain,
            "spam_threshold": site.setting("spam_threshold"), "hold_threshold": site.setting("hold_threshold")}


def is_closed(site: AnySite, thread: AnyThread, now: datetime) -> bool:
    days = site.setting("close_after_days")
    too_old = bool(days) and thread.id is not None and thread.created + timedelta(days=days) < now
    return thread.closed or too_old
