"""Flood control (SPEC 14): no address gets more than `TANDEM_MAIL_HOURLY_LIMIT` mails an hour.

Mails are counted in the database (`MailSent`, a keyed hash of the address per mail), so the limit
holds for every worker thread, process and host. A slot is taken in one short transaction before a
mail goes: the count and the insert are one statement, and on PostgreSQL an advisory lock on the
address makes two workers take turns (SQLite has one writer at a time anyway).
"""

from datetime import timedelta

from sqlalchemy import DateTime, String, delete, func, insert, literal, select, text

from ..db import db
from ..mail_models import MailSent
from ..privacy import keyed_hash

WINDOW = timedelta(hours=1)
DEFAULT_LIMIT = 10


def hourly_limit(config):
    return int(config.get("TANDEM_MAIL_HOURLY_LIMIT") or DEFAULT_LIMIT)


def address_hash(config, email):
    return keyed_hash(config["SECRET_KEY"], "mail-address:" + email.strip().lower())


def take_slot(config, email, now):
    """Count one more mail to `email` at `now` if the last hour has room; returns whether it had."""
    address = address_hash(config, email)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:address))"), {"address": address})
    db.session.execute(delete(MailSent).where(MailSent.address_hash == address, MailSent.sent <= now - WINDOW))
    recent = (select(func.count()).select_from(MailSent)
              .where(MailSent.address_hash == address, MailSent.sent > now - WINDOW).scalar_subquery())
    room = select(literal(address, String), literal(now, DateTime)).where(recent < hourly_limit(config))
    made = insert(MailSent).from_select(["address_hash", "sent"], room).returning(MailSent.id)
    taken = db.session.execute(made).first() is not None
    db.session.commit()
    return taken


def give_back(config, email, now):
    """The mail counted at `now` could not be sent: it does not count against the address."""
    address = address_hash(config, email)
    newest = (select(MailSent.id).where(MailSent.address_hash == address, MailSent.sent == now)
              .order_by(MailSent.id.desc()).limit(1).scalar_subquery())
    db.session.execute(delete(MailSent).where(MailSent.id == newest))
    db.session.commit()


def sent_in_last_hour(config, email, now):
    address = address_hash(config, email)
    return db.session.scalar(select(func.count()).select_from(MailSent)
                             .where(MailSent.address_hash == address, MailSent.sent > now - WINDOW))
