"""The service layer for comments: every change to a comment goes through these functions.

The public API, the admin page and API, the CLI and the importers call them. Each function
owns its transaction: the comment, its thread's counters, trust and outbox rows commit together.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from . import challenge, challenge_store, fields, metrics, policy, spam, text
from .db import changed_rows, commit_keeping_state, db
from .errors import ApiError, not_found
from .models import APPROVED, DELETED, PENDING, SPAM, Ban, Comment, Commenter, Like, Site, Thread, Trust, utcnow
from .notify import outbox
from .privacy import email_for_matching, hash_token, keyed_hash, new_token
from .sites import SiteView

AnySite = Site | SiteView  # the ORM row (admin, CLI) or the request's plain view of it (the API)
# A thread as the write path sees it: the ORM row, its Core row (id, closed, created, title), or
# `_UNMADE_THREAD` before its first comment.
ThreadRow = Any


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
        commenter_hash, commenter_token, new_commenter = _commenter(author.commenter_token, make_token)
    trusted = not new_commenter and _is_trusted(site, commenter_hash)
    # A reply by mail proves its writer by the signed address it answers; the challenge is the web form's.
    solved = None if author.known_commenter_hash else _checked_challenge(site, author, trusted, now)
    thread = _find_thread(site, uri)
    parent = _parent(thread, parent_id, commenter_hash) if parent_id is not None else None
    html = text.render(body, markdown=site.setting("markdown"))
    facts = moderation_facts(
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
    if thread.id is None:
        thread = _make_thread(site, uri, now)
    row = dict(
        site_id=site.id,
        thread_id=thread.id,
        parent_id=_attach_point(parent, site.setting("max_depth")),
        depth=0 if parent is None else min(parent.depth + 1, site.setting("max_depth")),
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
    if solved is not None and not challenge_store.spend(solved, now):
        raise challenge.reused()
    if new_commenter:
        db.session.connection().execute(_INSERT_COMMENTER, {"token_hash": commenter_hash, "created": now})
    comment = _insert(row)
    if comment.status == APPROVED:
        _name_thread(thread.id, title, url)
        _thread_gained(thread)
    outbox.comment_created(site, comment)
    until = editable_until(site, comment)
    commit_keeping_state()
    metrics.comment_created(comment.status)
    return Posted(comment, decision.public_status, commenter_token, edit_token, until)


def moderation_facts(site: AnySite, thread: ThreadRow, body: str, html: str, commenter_hash: str | None,
                     email: str | None, ip: str | None, now: datetime, *, new_commenter: bool = False,
                     parent_ok: bool = True, honeypot: str = "", by_moderator: bool = False,
                     stored_as_spam: bool = False, trusted: bool | None = None, author: str | None = None,
                     website: str | None = None) -> policy.Facts:
    """What the moderation policy needs to know about a text from this writer in this thread.

    The one place these facts are gathered, for new comments and readers' edits alike, so an edit
    meets every check a new comment meets: closed thread, honeypot, bans, blocklist, links, trust
    Akismet, the spam hook, the learning filter and spam domains. A commenter whose token was issued
    just now cannot have earned trust yet: no lookup; `trusted`, when the caller has looked it up
    already, is not looked up again.
    """
    if trusted is None:
        trusted = not new_commenter and _is_trusted(site, commenter_hash)
    return policy.Facts(
        moderation=site.setting("moderation"),
        link_limit=site.setting("link_limit"),
        blocklist=tuple(site.setting("blocklist") or ()),
        thread_closed=is_closed(site, thread, now),
        parent_ok=parent_ok,
        honeypot_filled=bool(honeypot),
        banned=_is_banned(site, commenter_hash, email, ip),
        by_moderator=by_moderator,
        text=body,
        link_count=text.count_links(html),
        trusted=trusted,
        stored_as_spam=stored_as_spam,
        awaiting_spam_check=outbox.awaits_outside_check(site),
        **_filter_facts(site, body, author, email, website, by_moderator),
    )


def _checked_challenge(site: AnySite, author: Author, trusted: bool, now: datetime) -> challenge.Solved | None:
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


def editable_until(site: AnySite, comment: Comment) -> datetime:
    return comment.created + timedelta(minutes=site.setting("edit_window_minutes"))


def is_closed(site: AnySite, thread: ThreadRow, now: datetime) -> bool:
    days = site.setting("close_after_days")
    too_old = bool(days) and thread.id is not None and thread.created + timedelta(days=days) < now
    return thread.closed or too_old


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
    facts = moderation_facts(
        site, comment.thread, body, html, comment.commenter_hash, comment.email, comment.ip, now,
        stored_as_spam=comment.status == SPAM, author=comment.author, website=comment.website,
    )
    decision = policy.decide_edit(facts)
    was_visible = comment.status == APPROVED
    comment.text, comment.html, comment.edited = body, html, now
    comment.spam_score, comment.spam_features = facts.spam_score, [list(pair) for pair in facts.spam_features] or None
    comment.status, comment.held_reason = decision.status, decision.reason[:200]
    if was_visible or comment.status == APPROVED:
        _thread_changed(comment.thread)
    outbox.comment_edited(site, comment)
    db.session.commit()
    return comment, decision.public_status


def delete_own_comment(comment_id: int, edit_token: str | None, *, now: datetime | None = None) -> None:
    """A reader takes back their comment: its words and personal data go; replies keep their place."""
    comment = _own_comment(comment_id, edit_token, now or utcnow())
    was_public = comment.status == APPROVED
    _erase(comment)
    if was_public:
        _thread_changed(comment.thread)
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
    _thread_changed(comment.thread)
    db.session.commit()
    return db.session.execute(select(Comment.likes).where(Comment.id == comment_id)).scalar_one()


def moderate(comment_ids: Iterable[int], action: str, *, trust: bool = True, moderator: object | None = None,
             learn: bool = True) -> list[Comment]:
    """Approve, reject or mark as spam; approving trusts the commenter on that site unless told not to.

    A person's decision (`learn`) teaches the site's spam filter and spam domains; the verdicts of
    Akismet and the spam hook do not, so an outside mistake is not learnt as the blogger's own."""
    new_status = {"approve": APPROVED, "reject": DELETED, "spam": SPAM}[action]
    comments = get_comments(comment_ids)
    for comment in comments:
        was_approved = comment.status == APPROVED
        outbox.comment_decided(comment, new_status)
        if learn:
            spam.learn_decision(comment, new_status)
        comment.status = new_status
        if new_status == APPROVED and trust and comment.commenter_hash:
            _trust(comment.site_id, comment.commenter_hash)
        if new_status == APPROVED and not was_approved:
            _name_thread(comment.thread_id, comment.page_title, comment.page_url)
            db.session.expire(comment.thread, ["title", "url"])
            outbox.comment_approved(comment.site, comment)
        if was_approved or new_status == APPROVED:
            _thread_changed(comment.thread)
    db.session.commit()
    return comments


def set_pinned(comment_id: int, pinned: bool) -> Comment:
    comment = get_comments([comment_id])[0]
    comment.pinned = pinned
    if comment.status == APPROVED:
        _thread_changed(comment.thread)
    db.session.commit()
    return comment


def own_pending_visible(comment: Comment, commenter_token: str | None) -> bool:
    """A commenter sees their own held comment; nobody else sees anything but approved ones."""
    if comment.status == APPROVED:
        return True
    return comment.status != DELETED and written_by(comment, commenter_token)


def known_to_editor(comment: Comment, edit_token: str | None) -> bool:
    """Whether a request holding `edit_token` may learn that this comment exists: anyone may know an
    approved one, only the holder of its edit token a hidden one. Edits and deletes of any other
    comment are "not found", exactly as for an id nobody has used."""
    return comment.status == APPROVED or _holds_edit_token(comment, edit_token)


def written_by(comment: Comment, commenter_token: str | None) -> bool:
    return bool(commenter_token and comment.commenter_hash == hash_token(commenter_token))


def voter_hash(secret: str, commenter_token: str | None, ip: str | None) -> str:
    """Who a like belongs to: a commenter token the service issued, else the anonymised network
    (keyed, never stored raw). A made-up token is no voter of its own: fifty random tokens sent
    from one network are one like."""
    return _issued(commenter_token) or keyed_hash(secret, "like-ip:" + (ip or "unknown"))


def erase_for_moderator(comment: Comment) -> None:
    """A moderator deletes a comment, or its writer asks to be forgotten: like `delete_own_comment`,
    without the edit token or window; the caller (service.moderation) commits with its audit entry."""
    was_public = comment.status == APPROVED
    _erase(comment)
    if was_public:
        _thread_changed(comment.thread)


def thread_changed_by_moderator(thread: Thread) -> None:
    """Moderation tools change comments and threads outside this module; readers' pages must follow."""
    _thread_changed(thread)


def get_comments(comment_ids: Iterable[int]) -> list[Comment]:
    """The comments by id, in order; an unknown id is a 404 naming it."""
    comments = []
    for comment_id in comment_ids:
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise not_found(f"There is no comment {comment_id}.")
        comments.append(comment)
    return comments


# --- helpers -----------------------------------------------------------------------------------


def _commenter(token: str | None, make_token: Callable[[], str]) -> tuple[str, str | None, bool]:
    """The commenter's hash and token, and whether the token is new: a fresh one is issued when
    the one sent is missing or unknown."""
    token_hash = _issued(token)
    if token_hash is not None:
        return token_hash, token, False
    token = make_token()
    return hash_token(token), token, True


def _issued(token: str | None) -> str | None:
    """The hash of a commenter token the service issued, or None for a missing or made-up one."""
    if not token or len(token) > 100:
        return None
    token_hash = hash_token(token)
    return token_hash if db.session.connection().scalar(_COMMENTER, {"token_hash": token_hash}) is not None else None


def _insert(row: dict[str, Any]) -> Comment:
    """Write a new comment (every column but its id) with one Core INSERT and keep it in the session
    as the stored row: the ORM's unit of work would cost more than the rest of the write."""
    key = db.session.connection().execute(_INSERT_COMMENT, row).inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    comment = Comment(id=key[0], **row)
    make_transient_to_detached(comment)
    db.session.add(comment)
    return comment


# Statements of the create path, built once: building a select costs more than running it.
_COMMENTER = select(Commenter.token_hash).where(Commenter.token_hash == bindparam("token_hash"))
_INSERT_COMMENTER = insert(Commenter.__table__)
_INSERT_COMMENT = insert(Comment.__table__)
_THREAD_BY_URI = select(Thread.id, Thread.closed, Thread.created, Thread.title).where(
    Thread.site_id == bindparam("site_id"), Thread.uri == bindparam("uri")
)
# A thread not made yet, as the decision sees it: open, and new.
class _UnmadeThread(NamedTuple):
    id: int | None
    closed: bool
    created: datetime | None
    title: str | None


_UNMADE_THREAD = _UnmadeThread(None, False, None, None)
# "Insert unless a racing first comment made it": no savepoint, which on SQLite would begin (and
# its release commit) a transaction of its own, keeping the thread even when the comment fails.
_INSERT_THREAD = {
    "postgresql": postgresql.insert(Thread.__table__).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(Thread.__table__).on_conflict_do_nothing(),
}
_NAME_THREAD = (
    update(Thread.__table__)
    .where(Thread.id == bindparam("thread_id"))
    .values(title=func.coalesce(Thread.__table__.c.title, bindparam("title")),
            url=func.coalesce(Thread.__table__.c.url, bindparam("url")))
)
# One fixed statement (an expanding IN would be compiled anew each time); a NULL hash matches nothing.
_BANNED = (
    select(Ban.id)
    .where(
        Ban.site_id == bindparam("site_id"),
        or_(*(and_(Ban.kind == kind, Ban.value_hash == bindparam(kind)) for kind in ("commenter", "email", "ip"))),
    )
    .limit(1)
)
_TRUSTED = select(Trust.site_id).where(
    Trust.site_id == bindparam("site_id"), Trust.commenter_hash == bindparam("commenter_hash")
)
_THREAD_GAINED = (
    update(Thread)
    .where(Thread.id == bindparam("thread_id"))
    .values(version=Thread.version + 1, approved_count=Thread.approved_count + 1)
)


def _find_thread(site: AnySite, uri: str) -> ThreadRow:
    """The thread's row (id, closed, created, title), or an unmade thread when it has no comment yet."""
    found = db.session.connection().execute(_THREAD_BY_URI, {"site_id": site.id, "uri": uri}).first()
    return found or _UNMADE_THREAD


def _make_thread(site: AnySite, uri: str, now: datetime) -> ThreadRow:
    """The thread's row, made by its first accepted comment: untitled and unlinked, as the title and
    link come only from approved comments. Two first comments may race: the loser uses the winner's."""
    connection = db.session.connection()
    connection.execute(_INSERT_THREAD[connection.dialect.name],
                       {"site_id": site.id, "uri": uri, "title": None, "url": None, "created": now})
    return connection.execute(_THREAD_BY_URI, {"site_id": site.id, "uri": uri}).first()


def _name_thread(thread_id: int, title: str | None, url: str | None) -> None:
    """An approved comment gives its thread the page's title and link, where the thread has none:
    the first accepted ones stay until a moderator corrects them (`moderation.correct_thread`)."""
    if title or url:
        db.session.connection().execute(_NAME_THREAD, {"thread_id": thread_id, "title": title, "url": url})


def _parent(thread: ThreadRow, parent_id: int, commenter_hash: str) -> Comment | None:
    """The comment replied to: approved in the same thread, or the commenter's own pending one."""
    if thread.id is None or not isinstance(parent_id, int):
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.thread_id != thread.id:
        return None
    own_pending = parent.status == PENDING and commenter_hash and parent.commenter_hash == commenter_hash
    return parent if parent.status == APPROVED or own_pending else None


def _attach_point(parent: Comment | None, max_depth: int) -> int | None:
    """A reply deeper than the site allows hangs from its deepest allowed ancestor instead."""
    if parent is None:
        return None
    return parent.id if parent.depth < max_depth else parent.parent_id


def _is_trusted(site: AnySite, commenter_hash: str | None) -> bool:
    if not commenter_hash:
        return False
    return db.session.connection().scalar(_TRUSTED, {"site_id": site.id, "commenter_hash": commenter_hash}) is not None


def _trust(site_id: int, commenter_hash: str) -> None:
    if db.session.get(Trust, (site_id, commenter_hash)) is None:
        db.session.add(Trust(site_id=site_id, commenter_hash=commenter_hash))


def ban_hashes(secret: str, commenter_hash: str | None = None, email: str | None = None,
               ip: str | None = None) -> list[tuple[str, str]]:
    """The (kind, value_hash) pairs a ban on this commenter, e-mail or IP is stored and looked up by.

    An e-mail is keyed in its matching form, so `+tags`, capitals, full-width letters and a
    trailing dot do not make a banned writer a stranger."""
    pairs = []
    if commenter_hash:
        pairs.append(("commenter", commenter_hash))
    if email:
        pairs.append(("email", keyed_hash(secret, "ban-email:" + email_for_matching(email))))
    if ip:
        pairs.append(("ip", keyed_hash(secret, "ban-ip:" + ip)))
    return pairs


def _is_banned(site: AnySite, commenter_hash: str | None, email: str | None, ip: str | None) -> bool:
    hashes = dict(ban_hashes(current_app.config["SECRET_KEY"], commenter_hash, email, ip))
    if not hashes:
        return False
    where = {"site_id": site.id, "commenter": None, "email": None, "ip": None, **hashes}
    return db.session.connection().scalar(_BANNED, where) is not None


def _own_comment(comment_id: int, edit_token: str | None, now: datetime) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status == DELETED or not known_to_editor(comment, edit_token):
        raise not_found()
    if not _holds_edit_token(comment, edit_token):
        raise ApiError("forbidden", "This is not your comment, or the edit token is wrong.", "X-Edit-Token")
    if now > editable_until(comment.site, comment):
        raise ApiError("edit_window_over", "The time to change this comment is over.")
    return comment


def _holds_edit_token(comment: Comment, edit_token: str | None) -> bool:
    return bool(edit_token and comment.edit_token_hash == hash_token(edit_token))


def _erase(comment: Comment) -> None:
    comment.status = DELETED
    comment.text, comment.html = "", ""
    comment.author = comment.email = comment.website = comment.ip = None
    comment.notify = False


def _thread_gained(thread: ThreadRow) -> None:
    """One more approved comment: counted and the version bumped without recounting the thread."""
    db.session.connection().execute(_THREAD_GAINED, {"thread_id": thread.id})


def _thread_changed(thread: Thread) -> None:
    """Recount approved comments and bump the version that keys cached pages and ETags."""
    db.session.flush()
    approved = select(func.count()).where(Comment.thread_id == thread.id, Comment.status == APPROVED)
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(version=Thread.version + 1, approved_count=approved.scalar_subquery())
    )
