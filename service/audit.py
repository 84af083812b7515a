"""The audit log: who did what, when, on what — written in the transaction of the action itself."""

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from .db import db
from .models import AuditEntry, Moderator, Site, utcnow

CLI_ACTOR = "command line"


def record(moderator: Moderator | None, action: str, *, site: Site | None = None, target: str | None = None,
           details: dict[str, Any] | None = None, now: datetime | None = None) -> None:
    """Add an entry to the session; it commits (or rolls back) with the action it describes."""
    db.session.add(AuditEntry(
        created=now or utcnow(),
        moderator_id=getattr(moderator, "id", None),
        actor=moderator.email if moderator is not None else CLI_ACTOR,
        action=action,
        site_id=getattr(site, "id", None),
        target=target,
        details=details,
    ))


def entries(moderator, limit=200):
    """The newest entries the account may read: owners see all, moderators their sites' and their own."""
    query = select(AuditEntry).order_by(AuditEntry.created.desc(), AuditEntry.id.desc()).limit(limit)
    if not moderator.is_owner:
        site_ids = [site.id for site in moderator.sites]
        query = query.where(or_(AuditEntry.site_id.in_(site_ids), AuditEntry.moderator_id == moderator.id))
    return db.session.scalars(query).all()
