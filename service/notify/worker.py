"""The worker: claims due outbox rows, delivers them, and retries failures with back-off.

Several workers (threads of `tandem serve`, `tandem worker` processes on other hosts) may run
at once. A row is claimed by moving it to `sending` with a lease (`locked_until`); on
PostgreSQL candidates are read `FOR UPDATE SKIP LOCKED`, on SQLite each claim is one
conditional UPDATE that only one writer can win. A worker that dies mid-delivery leaves its
rows to be claimed again once the lease is over, so nothing queued is ever lost.
"""

import logging
import threading
from datetime import timedelta, timezone

from flask import current_app
from sqlalchemy import and_, or_, select, update

from .. import metrics
from ..db import checkpoint, db
from ..mail_models import Outbox
from ..models import utcnow
from ..operate import backup
from ..privacy import redacted
from ..vocabulary import OutboxState
from . import deliveries, followmail, imap, moderator_digest, retention
from .letters import Skip

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED, SKIPPED = (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.SENT, OutboxState.FAILED,
                                          OutboxState.SKIPPED)
BATCH = 10
LEASE = timedelta(minutes=5)  # far longer than any delivery's timeouts
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 8  # about 4 hours of retries before a message is marked failed
PURGE_EVERY = timedelta(hours=1)
BACKUP_CHECK_EVERY = timedelta(minutes=10)  # is the daily backup due? (SPEC 15)
DIGEST_CHECK_EVERY = timedelta(minutes=1)  # followers' digests: daily ones, and news folded by the hourly limit


def retry_delay(attempts):
    """Exponential back-off: 1, 2, 4, ... minutes after the 1st, 2nd, 3rd failure, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def _due(now):
    return or_(
        and_(Outbox.state == QUEUED, Outbox.next_attempt <= now),
        and_(Outbox.state == SENDING, Outbox.locked_until < now),  # its worker died mid-delivery
    )


def claim(now, limit=BATCH):
    """Take up to `limit` due rows for this worker alone; returns their ids, oldest first."""
    candidates = select(Outbox.id).where(_due(now)).order_by(Outbox.next_attempt, Outbox.id).limit(limit)
    lease = {"state": SENDING, "locked_until": now + LEASE}
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(**lease))
        db.session.commit()
        return ids
    claimed = []
    for row_id in list(db.session.scalars(candidates)):
        won = db.session.execute(update(Outbox).where(Outbox.id == row_id, _due(now)).values(**lease))
        db.session.commit()
        if won.rowcount == 1:
            claimed.append(row_id)
    return claimed


def deliver(row_id, now, retry=True):
    """Deliver one claimed row and record the outcome: sent, skipped, retried later or failed."""
    row = db.session.get(Outbox, row_id)
    kind, payload, attempts = row.kind, dict(row.payload), row.attempts + 1
    db.session.rollback()  # no transaction stays open while the network is slow
    outcome = {"attempts": attempts, "locked_until": None}
    try:
        deliveries.deliver(kind, payload, current_app.config, now)
    except Skip as reason:
        db.session.rollback()
        outcome.update(state=SKIPPED, last_error=f"skipped: {reason}")
    except Exception as error:  # every failure of a delivery is recorded and retried, never raised
        db.session.rollback()
        log.warning("outbox %s (%s) failed: %s", row_id, kind, redacted(error))
        outcome.update(last_error=str(error)[:2000])
        if retry and attempts < MAX_ATTEMPTS:
            outcome.update(state=QUEUED, next_attempt=now + retry_delay(attempts))
        else:
            outcome.update(state=FAILED)
    else:
        outcome.update(state=SENT, sent=now, last_error=None)
    db.session.execute(update(Outbox).where(Outbox.id == row_id).values(**outcome))
    db.session.commit()
    metrics.delivery_done(kind, "retry" if outcome["state"] == QUEUED else outcome["state"])
    return outcome["state"]


def run_once(now=None):
    """Deliver everything due now, batch by batch; returns how many rows were handled."""
    now = now or utcnow()
    handled = 0
    while ids := claim(now):
        for row_id in ids:
            deliver(row_id, now)
        handled += len(ids)
    return handled


class Worker:
    """The delivery loop: poll every `interval` seconds, purge old held comments now and then."""

    def __init__(self, app, interval=5.0):
        self.app, self.interval = app, interval
        self.stopping = threading.Event()
        self.last_purge = None
        self.last_mailbox_poll = None
        self.last_backup_check = None
        self.last_digest_check = None

    def tick(self, now=None):
        now = now or utcnow()
        with self.app.app_context():
            try:
                moderator_digest.send_due(now)  # claimed in the database: once a day, whichever worker
                run_once(now)
                if self.last_purge is None or now - self.last_purge >= PURGE_EVERY:
                    retention.purge(now, self.app.config)
                    self.last_purge = now
                if self.last_digest_check is None or now - self.last_digest_check >= DIGEST_CHECK_EVERY:
                    followmail.send_due_digests(current_app.config, now)
                    self.last_digest_check = now
                self._poll_mailbox(now)
                checkpoint()
            except Exception:  # the database may be away for a moment; the next tick tries again
                log.exception("notification worker tick failed")
            finally:
                db.session.remove()
            self._backup_if_due(now)

    def _backup_if_due(self, now):
        """The daily backup into TANDEM_BACKUP_DIR, keeping the newest TANDEM_BACKUP_KEEP."""
        config = self.app.config
        if not config.get("TANDEM_BACKUP_DIR"):
            return
        if self.last_backup_check is not None and now - self.last_backup_check < BACKUP_CHECK_EVERY:
            return
        self.last_backup_check = now
        try:
            made = backup.scheduled_backup(config["TANDEM_DATABASE_URL"], config["TANDEM_BACKUP_DIR"],
                                           max(1, config["TANDEM_BACKUP_KEEP"]), now.replace(tzinfo=timezone.utc))
        except Exception as error:  # a full disk or a missing pg_dump must not stop deliveries
            log.warning("scheduled backup failed: %s", redacted(getattr(error, "message", error)))
        else:
            if made:
                log.info("scheduled backup written to %s", made)

    def _poll_mailbox(self, now):
        """Read replies by mail every TANDEM_IMAP_INTERVAL seconds, when TANDEM_IMAP_URL is set."""
        config = self.app.config
        if not config.get("TANDEM_IMAP_URL"):
            return
        interval = timedelta(seconds=config["TANDEM_IMAP_INTERVAL"])
        if self.last_mailbox_poll is not None and now - self.last_mailbox_poll < interval:
            return
        self.last_mailbox_poll = now
        try:
            imap.poll(config, now)
        except imap.ImapFailed as error:
            log.warning("reading the reply mailbox failed: %s", redacted(error))

    def run(self):
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
