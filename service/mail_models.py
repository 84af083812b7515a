"""The mail side's rows: the outbox of notifications, readers' subscriptions and follows, the
news a follower waits for, the mails counted for the hourly limit, and sign-in links."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .db import Model
from .models import utcnow
from .vocabulary import Digest, OutboxState, SubscriptionKind


class Outbox(Model):
    """A notification to deliver (mail or webhook), written in the transaction that caused it."""

    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # mail | webhook
    payload: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent: Mapped[datetime | None] = mapped_column(DateTime)


class Subscription(Model):
    """An address that asked for mail on a site (double opt-in): replies to its own comments
    (`kind` replies, one per site), or every new comment of one thread (`kind` thread)."""

    __table_args__ = (
        Index("uq_subscription_replies", "site_id", "email", unique=True,
              sqlite_where=text("kind = 'replies'"), postgresql_where=text("kind = 'replies'")),
        Index("uq_subscription_thread", "thread_id", "email", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(16), default=SubscriptionKind.REPLIES, server_default="replies")
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(8), default=Digest.EACH, server_default="each")
    # When this follower's last daily digest went out (None: none yet, counted from `confirmed`).
    last_digest: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed: Mapped[datetime | None] = mapped_column(DateTime)
    unsubscribed: Mapped[datetime | None] = mapped_column(DateTime)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FollowNews(Model):
    """A comment one subscription should hear about and has not yet: mailed alone, or in a digest.

    `mailed` is set when a mail claims it, so every comment goes out in exactly one mail."""

    __table_args__ = (UniqueConstraint("subscription_id", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    # Over the hourly limit when its own mail was due: it waits for the next digest.
    folded: Mapped[bool] = mapped_column(Boolean, default=False)
    mailed: Mapped[datetime | None] = mapped_column(DateTime)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MailSent(Model):
    """One mail to an address (a keyed hash of it), counted by every worker for the hourly limit."""

    __table_args__ = (Index("ix_mail_sent_address", "address_hash", "sent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64))
    sent: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SignInClaim(Model):
    """A sign-in link asked for by e-mail (SPEC 14): bound to one site and one address, good once
    and for an hour. Its secret is made when the mail is written and only its hash is kept here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))  # as matched: trimmed, lower case
    url: Mapped[str] = mapped_column(Text)  # the post the link opens, on one of the site's origins
    claim_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires: Mapped[datetime] = mapped_column(DateTime, index=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
