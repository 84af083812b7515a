"""Sign-in links (SPEC 14): a reader proves a mailbox and gets a commenter token for a new browser.

Trust stays earned, never given for an address: the link only carries over the trust that the
commenter tokens which wrote approved comments with that address already hold on that site.
Nothing here tells a caller whether an address has written anything: `request_link` does the
same reads and the same write transaction either way, and queues a mail only when it has.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, delete, func, select

from . import fields, limiting
from .comment_store import ban_hashes
from .db import db
from .errors import ApiError, validation_failed
from .extensions import limiter
from .mail_models import SignInClaim
from .models import APPROVED, PENDING, Ban, Comment, Commenter, Trust, utcnow
from .notify import outbox
from .privacy import hash_token, keyed_hash, new_token

CLAIM_LIFETIME = timedelta(hours=1)
LETTER = "signin"  # the outbox letter that carries the link (notify.letters)


@dataclass
class Claimed:
    """What a browser that exchanged a sign-in link gets: its own token and the reader's details."""

    commenter_token: str
    author: str | None
    email: str
    website: str | None


def matching_address(email: str) -> str:
    """An address as sign-in links match it: trimmed and in lower case, nothing more, so a link
    never reaches a mailbox other than the one the comments were written with."""
    return email.strip().lower()


def request_link(site, email: str | None, url: str | None, *, now: datetime | None = None) -> None:
    """Queue a mail with a sign-in link to `url` when a comment on `site` was written with `email`.

    Raises ApiError for a malformed address or a `url` off the site's origins (no open relay for
    links to elsewhere); an address that wrote nothing, or that asked too often, gets no mail and
    no sign of it."""
    now = now or utcnow()
    typed = fields.check_email(email, required=True)
    page = fields.thread_link(url, site.origins)
    if page is None:
        raise validation_failed("url", "The link can only lead to a page on one of the blog's origins.")
    assert typed is not None  # required=True: an empty address was refused
    address = matching_address(typed)
    allowed = _address_may_ask(site, address)
    known = _has_written(site.id, address)
    # Expired claims go on every request, so a request that mails and one that does not both write.
    db.session.execute(delete(SignInClaim).where(SignInClaim.expires <= now))
    if known and allowed:
        claim = SignInClaim(site_id=site.id, email=address, url=page, expires=now + CLAIM_LIFETIME, created=now)
        db.session.add(claim)
        db.session.flush()
        outbox.enqueue(outbox.MAIL, {"letter": LETTER, "to": typed, "site": site.key, "claim_id": claim.id}, now)
    db.session.commit()


def issue_secret(claim: SignInClaim, make_token=new_token) -> str:
    """The claim's secret, made as its mail is written and kept only as a hash: neither the
    outbox nor the claim table ever holds a working link. Committed before the mail goes, so the
    link works the moment it arrives; a mail that then fails is retried with a new secret."""
    secret = make_token()
    claim.claim_hash = hash_token(secret)
    db.session.commit()
    return secret


def claim(site, secret: str, *, now: datetime | None = None, make_token=new_token) -> Claimed:
    """Exchange a sign-in link's secret for a new commenter token, once, within the hour, on its own site."""
    now = now or utcnow()
    found = db.session.scalar(select(SignInClaim).where(SignInClaim.claim_hash == hash_token(secret)))
    if found is None or found.site_id != site.id or found.expires <= now:
        raise _refused()
    # Single use even when two browsers race: only the request that deletes the row goes on.
    spent = cast(CursorResult, db.session.execute(delete(SignInClaim).where(SignInClaim.id == found.id)))
    if spent.rowcount != 1:
        db.session.rollback()
        raise _refused()
    latest = _latest_comment(site.id, found.email)
    token = make_token()
    token_hash = hash_token(token)
    db.session.add(Commenter(token_hash=token_hash, created=now))
    if _earned_trust(site, found.email):
        db.session.add(Trust(site_id=site.id, commenter_hash=token_hash, created=now))
    db.session.commit()
    return Claimed(token, latest.author if latest else None, latest.email if latest else found.email,
                   latest.website if latest else None)


def _refused():
    return ApiError("bad_request", "This sign-in link is not valid: it was used already, has expired, "
                                   "or is for another site. Ask for a new one.", "claim")


def _written_with(site_id, address):
    """Comments on the site written with the address, as readers left them (not spam, not deleted)."""
    return (Comment.site_id == site_id, func.lower(Comment.email) == address,
            Comment.status.in_((APPROVED, PENDING)))


def _has_written(site_id, address):
    return db.session.scalar(select(Comment.id).where(*_written_with(site_id, address)).limit(1)) is not None


def _latest_comment(site_id, address):
    return db.session.scalar(select(Comment).where(*_written_with(site_id, address))
                             .order_by(Comment.created.desc(), Comment.id.desc()).limit(1))


def _earned_trust(site, address):
    """Whether a commenter token that wrote an approved comment with the address is trusted on the
    site, and neither it nor the address is banned there (a link must not wash a ban away)."""
    writers = select(Comment.commenter_hash).where(*_written_with(site.id, address), Comment.status == APPROVED,
                                                    Comment.commenter_hash.is_not(None))
    trusted = set(db.session.scalars(select(Trust.commenter_hash).where(
        Trust.site_id == site.id, Trust.commenter_hash.in_(writers))))
    if not trusted:
        return False
    email_ban = dict(ban_hashes(current_app.config["SECRET_KEY"], email=address))["email"]
    banned = set(db.session.scalars(select(Ban.value_hash).where(
        Ban.site_id == site.id, Ban.kind.in_(("commenter", "email")), Ban.value_hash.in_(trusted | {email_ban}))))
    return email_ban not in banned and bool(trusted - banned)


def _address_may_ask(site, address):
    """The per-address limit (SIGNIN_ADDRESS_LIMIT) in the shared rate-limit storage, keyed by a
    hash so no address is written there. A refusal is silent: the caller still answers 202."""
    key = keyed_hash(current_app.config["SECRET_KEY"], f"signin:{site.id}:{address}")
    allowed = True
    try:
        for item in limiting.parsed(current_app.config["TANDEM_SIGNIN_ADDRESS_LIMIT"]):
            allowed = limiter.hit(item, "signin-address", key) and allowed  # every window counts the hit
    except ValueError:  # a limit the operator wrote wrongly counts nothing, like a storage that is away
        return True
    return allowed
