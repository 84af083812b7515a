"""Retention: held and spam comments, and the delivery log, are kept only `TANDEM_PURGE_AFTER_DAYS`;
spent proof-of-work solutions only until their challenges expire."""

from datetime import timedelta

from sqlalchemy import delete

from .. import comment_upkeep
from ..challenge_store import purge_spent
from ..db import db
from ..mail_models import Outbox
from ..vocabulary import OutboxState


def purge(now, config):
    """Delete what is older than the retention period; returns (comments, outbox rows) deleted. 0 days keeps all."""
    purge_spent(now)
    db.session.commit()
    days = config["TANDEM_PURGE_AFTER_DAYS"]
    if days <= 0:
        return 0, 0
    cutoff = now - timedelta(days=days)
    comments = comment_upkeep.purge_unpublished(cutoff)
    # The delivery log keeps everything still to do; finished rows go after the same time.
    deliveries = db.session.execute(
        delete(Outbox).where(Outbox.state.in_((OutboxState.SENT, OutboxState.SKIPPED, OutboxState.FAILED)),
                             Outbox.created < cutoff)
    ).rowcount
    db.session.commit()
    return comments, deliveries
