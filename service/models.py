"""The stored things: sites, threads, comments, commenters' trust, moderators and their tools.

Models hold data and nothing else; the rules live in `policy`, `text` and `comments`,
and only service functions commit.
"""

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Model, db
from .vocabulary import Status

# A comment's status is one of these names, never a number.
PENDING, APPROVED, SPAM, DELETED = Status.PENDING, Status.APPROVED, Status.SPAM, Status.DELETED
STATUSES = tuple(Status)

DEFAULT_SETTINGS = {
    "moderation": "first-post",
    "link_limit": 2,
    "blocklist": [],
    "require_email": False,
    "require_author": False,
    "markdown": True,
    "max_depth": 5,
    "edit_window_minutes": 15,
    "close_after_days": 0,
    "notify": "held",
    "webhook_url": None,
    "akismet": False,
    "gravatar": False,
    # Proof-of-work (SPEC 13): asked of readers whose token is not trusted here, at this cost.
    "challenge": "first-post",
    "challenge_cost": 30_000,  # about half a second in headless Chromium here (README, bench/challenge_cost.py)
    # The language of the mails Tandem sends about this site: en, de, fr or es.
    "language": "en",
    "spam_filter": True,
    "spam_threshold": 0.99,
    "hold_threshold": 0.5,
    "spam_domains_allow": [],
    "spam_hook_url": None,
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)



site_moderators = db.Table(
    "site_moderator",
    db.Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
    db.Column("moderator_id", ForeignKey("moderator.id", ondelete="CASCADE"), primary_key=True),
)


class SiteSettings:
    """The one rule for a site's setting, shared by the ORM row (`Site`) and the plain row a
    comment's write reads (`sites.SiteView`): the site's own value, else the default."""

    settings: dict[str, Any] | None

    def setting(self, name: str) -> Any:
        return (self.settings or {}).get(name, DEFAULT_SETTINGS[name])


class Site(SiteSettings, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    origins: Mapped[list] = mapped_column(JSON, default=list)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Bumped with every settings change so cached thread pages (which carry the config) expire.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    moderators = relationship("Moderator", secondary=site_moderators, back_populates="sites")

    @property
    def effective_settings(self):
        return {**DEFAULT_SETTINGS, **(self.settings or {})}


class Thread(Model):
    __table_args__ = (UniqueConstraint("site_id", "uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    uri: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)  # the page's address as the browser sent it, any length
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Approved comments, kept in the write transaction so counts are one indexed read.
    approved_count: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped in every transaction that changes what readers see; keys the page cache and ETag.
    # 0 until then: a thread made by a held comment looks to readers like no thread at all.
    version: Mapped[int] = mapped_column(Integer, default=0)

    site = relationship("Site")


class Comment(Model):
    __table_args__ = (
        Index("ix_comment_thread_status", "thread_id", "status"),
        Index("ix_comment_site_status_created", "site_id", "status", "created"),
        # The admin list, newest first across sites: the queue and the unfiltered list (migration 0008,
        # which also adds trigram indexes for the search on PostgreSQL).
        Index("ix_comment_status_created", "status", "created", "id"),
        Index("ix_comment_created", "created", "id"),
        UniqueConstraint("site_id", "import_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"), index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    held_reason: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited: Mapped[datetime | None] = mapped_column(DateTime)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    is_author: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    # The blog's author liked this comment ("♥ by the author" in the widget, SPEC 14).
    hearted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    commenter_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    edit_token_hash: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderator.id", ondelete="SET NULL"))
    notify: Mapped[bool] = mapped_column(Boolean, default=False)
    # The source's id for imported comments, so re-running an import adds nothing twice.
    import_ref: Mapped[str | None] = mapped_column(String(200))
    # What the page said (its title, its address on one of the site's origins) when this comment
    # was written; its thread takes them only once the comment is approved.
    page_title: Mapped[str | None] = mapped_column(String(500))
    page_url: Mapped[str | None] = mapped_column(String(2000))
    # The learning filter's verdict when the comment was written (None: not scored), with the
    # features that weighed most, and the label the site's model counts this comment under.
    spam_score: Mapped[float | None] = mapped_column(Float)
    spam_features: Mapped[list | None] = mapped_column(JSON)
    trained_as: Mapped[str | None] = mapped_column(String(8))

    thread = relationship("Thread")
    site = relationship("Site")


class SpamModel(Model):
    """A site's learnt spam filter: feature counts (see `spamfilter`), versioned so workers cache it."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    counts: Mapped[dict] = mapped_column(JSON)
    updated: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SpamDomain(Model):
    """A domain a spam comment linked to: spam on this site while any spam comment holds it."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Commenter(Model):
    """A commenter token the service issued; only its hash is kept."""

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Trust(Model):
    """A commenter token trusted on one site, earned when a moderator approves its comment."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    commenter_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SpentChallenge(Model):
    """A proof-of-work solution already used, kept until its challenge would have expired anyway."""

    challenge: Mapped[str] = mapped_column(String(64), primary_key=True)  # the challenge's SHA-256 hex
    expires: Mapped[datetime] = mapped_column(DateTime, index=True)


class Like(Model):
    __tablename__ = "comment_like"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    voter_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class Moderator(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Every admin session carries the generation it was opened in; moving it on ends them all.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The daily digest of held and unanswered comments (SPEC 14), and the last UTC day a worker
    # claimed its sending: the claim is one conditional UPDATE, so two workers never both send.
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    digest_day: Mapped[date | None] = mapped_column(Date)

    sites = relationship("Site", secondary=site_moderators, back_populates="moderators")


class RefusedOrigin(Model):
    """An origin a site's post was refused from, kept for its owner to allow with one click."""

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    origin: Mapped[str] = mapped_column(String(300), primary_key=True)
    times: Mapped[int] = mapped_column(Integer, default=1)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LoginFailure(Model):
    """A failed admin login, counted per account (a keyed hash of the e-mail as typed) by every worker."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_hash: Mapped[str] = mapped_column(String(64), index=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderator.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    moderator = relationship("Moderator")


class Ban(Model):
    """A banned commenter token, e-mail (stored as a keyed hash) or anonymised IP on one site."""

    __table_args__ = (UniqueConstraint("site_id", "kind", "value_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # commenter | email | ip
    value_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(500))
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderator.id", ondelete="SET NULL"))


class AuditEntry(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderator.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254))  # who, kept even when the account goes
    action: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"))
    target: Mapped[str | None] = mapped_column(Text)  # may name a thread uri (up to 1,000 characters)
    details: Mapped[dict | None] = mapped_column(JSON)
