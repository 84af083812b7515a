"""What moderators do to comments and threads: decide, pin, heart, edit, delete, reply, close, ban.

Used alike by the admin page, the admin API and the CLI. Every function checks that the
account moderates the site concerned (`moderator=None` is the command line, which may do
anything) and writes an audit entry in the same transaction as the change.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from . import audit, comment_store, comment_upkeep, comments, fields, text
from .accounts import moderates
from .db import db
from .errors import ApiError, not_found, validation_failed
from .models import APPROVED, PENDING, Ban, Comment, Moderator, Site, Thread, utcnow
from .privacy import anonymise_ip, email_for_matching
from .vocabulary import Decision

DECISIONS = tuple(Decision)
BAN_KINDS = ("commenter", "email", "ip")


def forbidden(message: str = "You do not moderate this site.") -> ApiError:
    return ApiError("forbidden", message)


def require_site(moderator: Moderator | None, site: Site) -> Site:
    if moderator is not None and not moderates(moderator, site):
        raise forbidden()
    return site


def require_owner(moderator: Moderator | None) -> None:
    if moderator is not None and not moderator.is_owner:
        raise forbidden("Only an owner may do this.")


def comments_for(moderator: Moderator | None, comment_ids: Iterable[int]) -> list[Comment]:
    """The comments by id, each on a site the account moderates (else 403; unknown ids 404)."""
    found = comment_store.get_comments(comment_ids)
    for comment in found:
        require_site(moderator, comment.site)
    return found


def decide(moderator: Moderator | None, comment_ids: Iterable[int], action: str, *, trust: bool = True,
           now: datetime | None = None) -> list[Comment]:
    """Approve (trusting the commenter unless told not to), reject or mark as spam, in bulk."""
    if action not in DECISIONS:
        raise validation_failed("action", f"The action must be one of {', '.join(DECISIONS)}.")
    targets = comments_for(moderator, comment_ids)
    for comment in targets:
        details = {"trust": trust} if action == "approve" else None
        audit.record(moderator, action, site=comment.site, target=f"comment {comment.id}", details=details, now=now)
    return comments.moderate([comment.id for comment in targets], action, trust=trust, moderator=moderator)


def set_pinned(moderator: Moderator | None, comment_id: int, pinned: bool, *, now: datetime | None = None) -> Comment:
    comment = comments_for(moderator, [comment_id])[0]
    audit.record(moderator, "pin" if pinned else "unpin", site=comment.site, target=f"comment {comment.id}", now=now)
    return comments.set_pinned(comment.id, pinned)


def set_hearted(moderator: Moderator | None, comment_id: int, hearted: bool, *, now: datetime | None = None) -> Comment:
    """The author hearts a comment (or takes the heart back); readers see "♥ by the author".
    Only comments readers see or may yet see can carry a heart."""
    comment = comments_for(moderator, [comment_id])[0]
    if comment.status not in (APPROVED, PENDING):
        raise ApiError("conflict", f"This comment is {comment.status}: only shown or held comments can be hearted.")
    if comment.hearted != hearted:
        audit.record(moderator, "heart" if hearted else "unheart", site=comment.site,
                     target=f"comment {comment.id}", now=now)
    return comments.set_hearted(comment.id, hearted)


def edit(moderator: Moderator | None, comment_id: int, body: str, *, now: datetime | None = None) -> Comment:
    """A moderator rewrites a comment (e.g. to remove a phone number); its status stays as it was.

    Trusted, so not judged by the policy: a moderator may edit in a closed thread, add links or
    quote a blocklisted word. Readers' edits are `comments.edit_comment`, judged like new comments."""
    now = now or utcnow()
    comment = comments_for(moderator, [comment_id])[0]
    if comment.status == "deleted" and not comment.text:
        raise ApiError("conflict", "A deleted comment cannot be edited.")
    comments.rewrite_for_moderator(comment, body, now)
    audit.record(moderator, "edit", site=comment.site, target=f"comment {comment.id}", now=now)
    db.session.commit()
    return comment


def delete(moderator: Moderator | None, comment_id: int, *, now: datetime | None = None) -> Comment:
    """Delete for good: words and personal data go; replies keep their place under a tombstone."""
    comment = comments_for(moderator, [comment_id])[0]
    comments.erase_for_moderator(comment)
    audit.record(moderator, "delete", site=comment.site, target=f"comment {comment.id}", now=now)
    db.session.commit()
    return comment


def reply(moderator: Moderator | None, site: Site, uri: str, body: str, *, parent_id: int | None = None,
          author_name: str | None = None, now: datetime | None = None) -> comments.Posted:
    """Write as the blog's author: approved and marked `is_author`, through the one comment writer."""
    require_site(moderator, site)
    name = author_name or (moderator.email.split("@")[0] if moderator is not None else site.name)
    author = comments.Author(name=name, email=getattr(moderator, "email", None), moderator=moderator)
    thread = _thread(site, uri)
    title = thread.title if thread else None
    audit.record(moderator, "reply", site=site, target=f"{uri} (reply to comment {parent_id})" if parent_id
                 else uri, now=now)
    return comments.post_comment(site, uri, body, author, parent_id=parent_id, title=title, now=now)


def set_closed(moderator: Moderator | None, site: Site, uri: str, closed: bool, *, now: datetime | None = None) -> Thread:
    """Close a thread to new comments, or open it again."""
    require_site(moderator, site)
    thread = _thread(site, uri)
    if thread is None:
        raise not_found("This post has no comments, so there is no thread to close.")
    comment_upkeep.change_thread(thread, closed=closed)
    audit.record(moderator, "close" if closed else "reopen", site=site, target=thread.uri, now=now)
    db.session.commit()
    return thread


def correct_thread(moderator: Moderator | None, site: Site, uri: str, *, title: str | None = None, url: str | None = None,
                   now: datetime | None = None) -> Thread:
    """A moderator sets a thread's title or link (None leaves it, "" clears it); the link must be on
    one of the site's origins. Readers' comments only ever fill a title or link that is empty."""
    require_site(moderator, site)
    thread = _thread(site, uri)
    if thread is None:
        raise not_found("This post has no comments, so there is no thread to correct.")
    changed = {}
    if title is not None:
        changed["title"] = fields.check_title(title)
    if url is not None:
        link = fields.thread_link(url, site.origins) if url.strip() else None
        if url.strip() and link is None:
            raise validation_failed("url", "The link must be an http or https address on one of the site's origins.")
        changed["url"] = link
    comment_upkeep.change_thread(thread, **changed)
    audit.record(moderator, "thread.correct", site=site, target=thread.uri, details=changed, now=now)
    db.session.commit()
    return thread


def _thread(site: Site, uri: str) -> Thread | None:
    return db.session.scalar(select(Thread).where(Thread.site_id == site.id, Thread.uri == text.normalise_uri(uri)))


# --- bans ---------------------------------------------------------------------------------------


def ban_writers(moderator: Moderator | None, comment_ids: Iterable[int], kinds: Sequence[str] = ("commenter", "email"), *,
                now: datetime | None = None) -> tuple[list[str], list[Comment]]:
    """Ban who wrote these comments on their sites; their comments waiting for moderation become spam.

    Returns the kinds of ban made and the comments now spam.
    """
    unknown = set(kinds) - set(BAN_KINDS)
    if unknown or not kinds:
        raise validation_failed("kinds", f"Ban by one or more of {', '.join(BAN_KINDS)}.")
    targets = comments_for(moderator, comment_ids)
    spam_ids, banned = set(), []
    for comment in targets:
        facts = {"commenter": comment.commenter_hash, "email": comment.email, "ip": comment.ip}
        chosen = {kind: value for kind, value in facts.items() if kind in kinds}
        added = _add_bans(moderator, comment.site, note=f"writer of comment {comment.id}", now=now, **chosen)
        audit.record(moderator, "ban", site=comment.site, target=f"comment {comment.id}",
                     details={"kinds": added}, now=now)
        banned += [kind for kind in added if kind not in banned]
        spam_ids.add(comment.id)
        spam_ids.update(_pending_by(comment))
    return banned, comments.moderate(sorted(spam_ids), "spam", moderator=moderator)


def ban_address(moderator: Moderator | None, site: Site, *, email: str | None = None, ip: str | None = None,
                note: str | None = None, now: datetime | None = None) -> list[str]:
    """Ban an e-mail address or an IP network on one site before it writes again."""
    require_site(moderator, site)
    email = fields.check_email(email)
    if ip is not None:
        ip = anonymise_ip(ip)
        if ip is None:
            raise validation_failed("ip", "This is not an IP address.")
    if not email and not ip:
        raise validation_failed("email", "Give an e-mail address or an IP address to ban.")
    added = _add_bans(moderator, site, email=email, ip=ip, note=note, now=now)
    audit.record(moderator, "ban", site=site, target=", ".join(added), details={"kinds": added}, now=now)
    db.session.commit()
    return added


def _add_bans(moderator: Moderator | None, site: Site, *, commenter: str | None = None, email: str | None = None,
              ip: str | None = None, note: str | None = None, now: datetime | None = None) -> list[str]:
    pairs = comment_store.ban_hashes(current_app.config["SECRET_KEY"], commenter, email, ip)
    added = []
    for kind, value_hash in pairs:
        exists = db.session.scalar(select(Ban.id).where(Ban.site_id == site.id, Ban.kind == kind,
                                                        Ban.value_hash == value_hash))
        if not exists:
            db.session.add(Ban(site_id=site.id, kind=kind, value_hash=value_hash, note=(note or "")[:500] or None,
                               created=now or utcnow(), moderator_id=getattr(moderator, "id", None)))
        added.append(kind)
    return added


def _pending_by(comment: Comment) -> list[int]:
    """The same writer's other held comments on the site, found by commenter token or by e-mail
    address in its matching form (as bans match it)."""
    held = select(Comment.id, Comment.commenter_hash, Comment.email).where(
        Comment.site_id == comment.site_id, Comment.status == PENDING)
    address = email_for_matching(comment.email) if comment.email else None
    return [row.id for row in db.session.execute(held)
            if (comment.commenter_hash and row.commenter_hash == comment.commenter_hash)
            or (address and row.email and email_for_matching(row.email) == address)]


def bans(moderator: Moderator | None) -> Sequence[Ban]:
    """The bans on the sites the account moderates, newest first."""
    query = select(Ban).order_by(Ban.created.desc(), Ban.id.desc())
    if moderator is not None and not moderator.is_owner:
        query = query.where(Ban.site_id.in_([site.id for site in moderator.sites]))
    return db.session.scalars(query).all()


def lift_ban(moderator: Moderator | None, ban_id: int, *, now: datetime | None = None) -> None:
    ban = db.session.get(Ban, ban_id)
    if ban is None:
        raise not_found("There is no such ban.")
    site = require_site(moderator, db.session.get_one(Site, ban.site_id))
    audit.record(moderator, "unban", site=site, target=f"ban {ban.id} ({ban.kind})", now=now)
    db.session.delete(ban)
    db.session.commit()
