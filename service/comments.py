"""The service layer for comments: the use cases readers and moderators ask for, top to bottom.

The public API, the admin page and API, the CLI and the importers call them. Each function
owns its transaction: the comment, its thread's counters, trust and outbox rows commit together.
Every other change to a comment (outside spam checks, retention, erasure, the importer's
recount) is in `comment_upkeep` beside it; both read and write through `comment_store`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from . import challenge, challenge_store, comment_facts, commenters, fields, metrics, policy, spam, text, write_turn
from . import comment_store as store
from .db import changed_rows, commit_keeping_state, db
from .errors import ApiError, not_found
from .models import APPROVED, DELETED, SPAM, Comment, Like, Moderator, utcnow
from .notify import outbox
from .privacy import hash_token, new_token
from .sites import AnySite


@dataclass
class Posted:
    """What the poster gets back: the comment, and the secrets that let them come back to it."""

    comment: Comment
    public_status: str
    commenter_token: str | None  # None when the writer was known without one (a reply by mail)
    edit_token: str
    editable_until: datetime


@dataclass
class Author:
    """Who writes: a reader (with the facts the widget sent) or a moderator."""

    name: str | None = None
    email: str | None = None
    website: str | None = None
    commenter_token: str | None = None
    ip: str | None = None
    moderator: object | None = None
    notify: bool = False
    honeypot: str = ""
    challenge: str | None = None  # the solved proof-of-work, base64 (SPEC 13)
    # A commenter the service knows, proven by other means than their browser's token: the reader
    # answering a reply notice by mail from the address it was sent to (SPEC 14).
    known_commenter_hash: str | None = None


def post_comment(site: AnySite, uri: str, body: str, author: Author, *, parent_id: int | None = None,
                 title: str | None = None, url: str | None = None, now: datetime | None = None,
                 make_token: Callable[[], str] = new_token) -> Posted:
    """Store a new comment under the post `uri` of `site`, decided by the moderation policy.

    `title` and `url` are what the page says of itself; the thread takes them (where it has none
    yet) only from a comment that is approved, and `url` only on one of the site's origins.
    """
    now = now or utcnow()
    body = fields.check_text(body)
    name = fields.check_author(author.name, required=site.setting("require_author") and not author.moderator)
    email = fields.check_email(author.email, required=site.setting("require_email") and not author.moderator)
    website = fields.check_website(author.website)
    uri = text.normalise_uri(uri)
    title, url = fields.check_title(title), fields.thread_link(url, site.origins)

    # Reads and rendering first, writes at the end: SQLite lets one writer in at a time, so
    # the write transaction (begun by the first INSERT) stays as short as it can be. A refused
    # comment (closed thread, unknown parent) is refused before anything is written.
    if author.known_commenter_hash:
        commenter_hash, commenter_token, new_commenter = author.known_commenter_hash, None, False
    else:
        commenter_hash, commenter_token, new_commenter = commenters.commenter(author.commenter_token, make_token)
    trusted = not new_commenter and store.is_trusted(site, commenter_hash)
    # A reply by mail proves its writer by the signed address it answers; the challenge is the web form's.
    solved = None if author.known_commenter_hash else comment_facts.checked_challenge(site, author, trusted, now)
    thread = store.find_thread(site, uri)
    parent = store.replied_to(thread, parent_id, commenter_hash) if parent_id is not None else None
    html = text.render(body, markdown=site.setting("markdown"))
    facts = comment_facts.gather(
        site, thread, body, html, commenter_hash, email, author.ip, now,
        new_commenter=new_commenter,
        parent_ok=parent_id is None or parent is not None,
        honeypot=author.honeypot,
        by_moderator=author.moderator is not None,
        trusted=trusted,
        author=name, website=website,
    )
    decision = policy.decide(facts)
    edit_token = make_token()
    attach_to, depth = (None, 0) if parent is None else reply_position(
        parent.id, parent.depth, parent.parent_id, site.setting("max_depth"))
    row = dict(
        site_id=site.id,
        thread_id=None,  # the thread may be made below, in the write turn
        parent_id=attach_to,
        depth=depth,
        status=decision.status,
        held_reason=decision.reason[:200],
        author=name,
        email=email,
        website=website,
        text=body,
        html=html,
        created=now,
        edited=None,
        likes=0,
        is_author=decision.is_author,
        pinned=False,
        hearted=False,
        commenter_hash=commenter_hash,
        edit_token_hash=hash_token(edit_token),
        ip=author.ip,
        moderator_id=getattr(author.moderator, "id", None),
        notify=bool(author.notify and email),
        import_ref=None,
        page_title=title,
        page_url=url,
        spam_score=facts.spam_score,
        spam_features=[list(pair) for pair in facts.spam_features] or None,
        trained_as=None,
    )
    # The writes, back to back in this process's turn (`write_turn`): the SQLite lock is held
    # from the first of them to the commit.
    with write_turn.taken():
        if thread.id is None:
            thread = store.make_thread(site, uri, now)
        row["thread_id"] = thread.id
        if solved is not None and not challenge_store.spend(solved, now):
            raise challenge.reused()
        if new_commenter:
            store.add_commenter(commenter_hash, now)
        comment = store.insert(row)
        if comment.status == APPROVED:
            store.name_thread(thread.id, title, url)
            store.thread_gained(thread)
        outbox.comment_created(site, comment)
        until = editable_until(site, comment)
        commit_keeping_state()
    metrics.comment_created(comment.status)
    return Posted(comment, decision.public_status, commenter_token, edit_token, until)


def editable_until(site: AnySite, comment: Comment) -> datetime:
    return comment.created + timedelta(minutes=site.setting("edit_window_minutes"))


def edit_comment(comment_id: int, edit_token: str | None, body: str, *,
                 now: datetime | None = None) -> tuple[Comment, str]:
    """A reader changes their own text within the edit window, and the edit is judged like a new
    comment: the same facts, the same policy (a closed thread refuses it, links and blocklist hold
    it, a ban or an earlier spam verdict keeps it spam) and, with Akismet on, a new check.

    Moderators' edits are `moderation.edit`: trusted, and not judged."""
    now = now or utcnow()
    comment = _own_comment(comment_id, edit_token, now)
    site = comment.site
    body = fields.check_text(body)
    html = text.render(body, markdown=site.setting("markdown"))
    facts = comment_facts.gather(
        site, comment.thread, body, html, comment.commenter_hash, comment.email, comment.ip, now,
        stored_as_spam=comment.status == SPAM, author=comment.author, website=comment.website,
    )
    decision = policy.decide_edit(facts)
    was_visible = comment.status == APPROVED
    comment.text, comment.html, comment.edited = body, html, now
    comment.spam_score, comment.spam_features = facts.spam_score, [list(pair) for pair in facts.spam_features] or None
    comment.status, comment.held_reason = decision.status, decision.reason[:200]
    if was_visible or comment.status == APPROVED:
        store.thread_changed(comment.thread)
    outbox.comment_edited(site, comment)
    db.session.commit()
    return comment, decision.public_status


def delete_own_comment(comment_id: int, edit_token: str | None, *, now: datetime | None = None) -> None:
    """A reader takes back their comment: its words and personal data go; replies keep their place."""
    comment = _own_comment(comment_id, edit_token, now or utcnow())
    was_public = comment.status == APPROVED
    _erase(comment)
    if was_public:
        store.thread_changed(comment.thread)
    db.session.commit()


def set_like(comment_id: int, voter_hash: str, liked: bool) -> int:
    """Like or unlike an approved comment, once per voter; returns the new count.

    The count moves by one with each like row added or removed, rather than being recounted:
    an imported comment brings its like count without a row per like (a hostile file claimed
    30,000,000), and those likes must survive a reader's like or unlike."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != APPROVED:
        raise not_found()
    existing = db.session.get(Like, (comment_id, voter_hash))
    if liked and existing is None:
        db.session.add(Like(comment_id=comment_id, voter_hash=voter_hash))
        db.session.flush()  # a second like by the same voter at the same moment fails here
        change = 1
    elif not liked and existing is not None:
        # Counted by the rows this statement removed, so two unlikes at once take away one like.
        change = -changed_rows(db.session.execute(
            delete(Like).where(Like.comment_id == comment_id, Like.voter_hash == voter_hash)
        ))
    else:
        return comment.likes
    db.session.execute(update(Comment).where(Comment.id == comment_id).values(likes=Comment.likes + change))
    store.thread_changed(comment.thread)
    db.session.commit()
    return db.session.execute(select(Comment.likes).where(Comment.id == comment_id)).scalar_one()


def moderate(comment_ids: Iterable[int], action: str, *, trust: bool = True, moderator: Moderator | None = None,
             learn: bool = True, reason: str | None = None) -> list[Comment]:
    """Approve, reject or mark as spam; approving trusts the commenter on that site unless told not to.
    An outside check's verdict says why in `reason`.

    A person's decision (`learn`) teaches the site's spam filter and spam domains; the verdicts of
    Akismet and the spam hook do not, so an outside mistake is not learnt as the blogger's own."""
    new_status = {"approve": APPROVED, "reject": DELETED, "spam": SPAM}[action]
    comments = store.get_comments(comment_ids)
    for comment in comments:
        was_approved = comment.status == APPROVED
        if reason is not None:  # before the outbox, which reports no verdict back to its own source
            comment.held_reason = reason[:200]
        outbox.comment_decided(comment, new_status)
        if learn:
            spam.learn_decision(comment, new_status)
        comment.status = new_status
        if new_status == APPROVED and trust and comment.commenter_hash:
            store.trust(comment.site_id, comment.commenter_hash)
        if new_status == APPROVED and not was_approved:
            store.name_thread(comment.thread_id, comment.page_title, comment.page_url)
            db.session.expire(comment.thread, ["title", "url"])
            outbox.comment_approved(comment.site, comment)
        if was_approved or new_status == APPROVED:
            store.thread_changed(comment.thread)
    db.session.commit()
    return comments


def set_pinned(comment_id: int, pinned: bool) -> Comment:
    comment = store.get_comments([comment_id])[0]
    comment.pinned = pinned
    if comment.status == APPROVED:
        store.thread_changed(comment.thread)
    db.session.commit()
    return comment


def set_hearted(comment_id: int, hearted: bool) -> Comment:
    """The author's heart; readers' pages and ETags follow when the comment is shown."""
    comment = store.get_comments([comment_id])[0]
    if comment.hearted != hearted:
        comment.hearted = hearted
        if comment.status == APPROVED:
            store.thread_changed(comment.thread)
    db.session.commit()
    return comment


def erase_for_moderator(comment: Comment) -> None:
    """A moderator deletes a comment, or its writer asks to be forgotten: like `delete_own_comment`,
    without the edit token or window; the caller (service.moderation) commits with its audit entry."""
    was_public = comment.status == APPROVED
    _erase(comment)
    if was_public:
        store.thread_changed(comment.thread)


def rewrite_for_moderator(comment: Comment, body: str, now: datetime) -> None:
    """A moderator rewrites a comment (e.g. to remove a phone number); its status stays as it was.
    Trusted, so not judged by the policy; the caller (service.moderation) commits with its audit entry."""
    comment.text = fields.check_text(body)
    comment.html = text.render(comment.text, markdown=comment.site.setting("markdown"))
    comment.edited = now
    if comment.status == APPROVED:  # readers see nothing else change: their pages and ETags stay
        store.thread_changed(comment.thread)


def reply_position(parent_id: int, parent_depth: int, grandparent_id: int | None,
                   max_depth: int) -> tuple[int | None, int]:
    """Where a reply hangs and at which depth: a reply deeper than the site allows hangs from its
    deepest allowed ancestor instead. The importer places replies by the same rule."""
    if parent_depth < max_depth:
        return parent_id, parent_depth + 1
    return grandparent_id, max_depth


# --- helpers -----------------------------------------------------------------------------------


def _own_comment(comment_id: int, edit_token: str | None, now: datetime) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status == DELETED or not commenters.known_to_editor(comment, edit_token):
        raise not_found()
    if not commenters.holds_edit_token(comment, edit_token):
        raise ApiError("forbidden", "This is not your comment, or the edit token is wrong.", "X-Edit-Token")
    if now > editable_until(comment.site, comment):
        raise ApiError("edit_window_over", "The time to change this comment is over.")
    return comment


def _erase(comment: Comment) -> None:
    comment.status = DELETED
    comment.text, comment.html = "", ""
    comment.author = comment.email = comment.website = comment.ip = None
    comment.notify = False
