"""The facts `tandem doctor` and the admin Setup page judge: gathered from the database, Redis,
the SMTP server, the disk and the asking request. The judging is in `doctor`, pure."""

import re
import shutil
import smtplib
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text

from . import MIGRATIONS, accounts
from .config import sqlite_file
from .db import db
from .doctor import FORWARDED_HEADERS, Facts
from .mail_models import Outbox
from .models import Moderator, Site, utcnow
from .vocabulary import OutboxState


def gather(request=None, now=None):
    """The facts of this instance, and of `request` when the admin Setup page asks."""
    config = current_app.config
    facts = Facts(public_url=config.get("TANDEM_PUBLIC_URL"), trusted_proxies=config["TANDEM_TRUSTED_PROXIES"],
                  redis_url=config.get("TANDEM_REDIS_URL"), smtp_host=config.get("TANDEM_SMTP_HOST"),
                  now=now or utcnow(), newest_revision=newest_revision(MIGRATIONS / "versions"))
    if request is not None:
        facts.request_url = request.host_url
        facts.forwarded_headers = tuple(name for name in FORWARDED_HEADERS if name in request.headers)
    database = sqlite_file(config["TANDEM_DATABASE_URL"])
    if database is not None:
        facts.sqlite_free_bytes = shutil.disk_usage(database.parent).free
    try:
        _database_facts(facts)
    except Exception as error:  # any driver's failure is the finding  # noqa: BLE001
        db.session.rollback()
        facts.database_error = (str(getattr(error, "orig", None) or error).strip().splitlines() or ["?"])[0]
    if facts.redis_url:
        facts.redis_error = redis_error(facts.redis_url)
    if facts.smtp_host:
        facts.smtp_error = smtp_error(facts.smtp_host, config["TANDEM_SMTP_PORT"])
    facts.backup_dir = config.get("TANDEM_BACKUP_DIR") or None
    if facts.backup_dir:
        _backup_facts(facts)
    return facts


def _backup_facts(facts):
    """The newest backup in TANDEM_BACKUP_DIR, by the time in its name (UTC), as the worker reads it."""
    from .operate.backup import last_backup

    try:
        newest = last_backup(facts.backup_dir)
    except OSError:  # unreadable: the finding says there is none
        newest = None
    if newest is not None:
        facts.last_backup, facts.last_backup_made = newest[0].name, newest[1].replace(tzinfo=None)


def _database_facts(facts):
    facts.schema_revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    # Due since: a notice waiting for a later retry (the backoff after a failure) is not late yet.
    facts.oldest_due_notice = db.session.scalar(select(func.min(Outbox.next_attempt)).where(
        Outbox.state == OutboxState.QUEUED, Outbox.next_attempt <= facts.now))
    facts.sites_origins = {row.key: list(row.origins or []) for row in db.session.execute(select(Site.key, Site.origins))}
    facts.owner_mail_problem = accounts.owner_mail_problem()
    facts.owner_email = db.session.scalar(select(Moderator.email).where(Moderator.is_owner).order_by(Moderator.id))
    db.session.rollback()


def newest_revision(versions_folder):
    """The head of the migration files, read as text (Alembic stays out of the server's workers)."""
    revisions, parents = set(), set()
    for path in Path(versions_folder).glob("*.py"):
        source = path.read_text()
        revision = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        parent = re.search(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        if revision:
            revisions.add(revision.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = sorted(revisions - parents)
    return heads[0] if len(heads) == 1 else ", ".join(heads)


def smtp_error(host, port, timeout=5):
    """Why the SMTP server does not answer a NOOP, or None."""
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException) as error:
        return str(error) or type(error).__name__
    return None


def redis_error(url, timeout=3):
    """Why Redis does not answer a PING, or None."""
    import redis  # only for this check: a web worker need not carry the client

    try:
        redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout).ping()
    except (redis.RedisError, OSError, ValueError) as error:
        return str(error) or type(error).__name__
    return None
