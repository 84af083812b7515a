"""What owners see of notifications: the recent deliveries with their state and last error, and a test mail."""

from sqlalchemy import select

from .. import accounts
from ..db import db
from ..fields import check_email
from ..mail_models import Outbox
from ..models import utcnow
from . import worker
from .outbox import MAIL


def _describe(row):
    payload = row.payload or {}
    if row.kind == MAIL:
        what = f"{payload.get('letter')} mail to {payload.get('to')}"
    elif row.kind == "inbound":
        what = f"reply by mail from {payload.get('from') or 'an unknown sender'}"
    elif row.kind == "webhook":
        what = f"webhook {payload.get('event')}"
    elif payload.get("report"):
        what = f"{row.kind} report: {payload['report']}"
    else:
        what = f"{row.kind} check"
    return {
        "id": row.id, "kind": row.kind, "what": what, "site": payload.get("site"),
        "comment_id": payload.get("comment_id"), "state": row.state, "attempts": row.attempts,
        "last_error": row.last_error, "created": row.created, "next_attempt": row.next_attempt, "sent": row.sent,
    }


def recent_deliveries(limit=100, states=None):
    """The newest outbox rows (for owners), as dicts, optionally only those in some `states` (e.g. failed)."""
    query = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
    if states:
        query = query.where(Outbox.state.in_(states))
    return [_describe(row) for row in db.session.scalars(query)]


def send_test_mail(to, now=None):
    """Send a test mail right now and say how it went: the delivery as `recent_deliveries` shows it.

    Any address an account has is taken as it is stored (even `admin@localhost`, which the
    readers' address check refuses): the owner is testing where their own notices go.
    """
    now = now or utcnow()
    account = accounts.find_moderator(to or "")
    address = account.email if account else check_email(to, required=True)
    row = Outbox(kind=MAIL, payload={"letter": "test", "to": address},
                 state=worker.SENDING, locked_until=now + worker.LEASE, next_attempt=now, created=now)
    db.session.add(row)
    db.session.commit()
    worker.deliver(row.id, now, retry=False)
    return _describe(db.session.get(Outbox, row.id))
