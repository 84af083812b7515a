"""Moderator accounts, their passwords and admin API tokens."""

import re
from datetime import timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .db import db
from .errors import ApiError, validation_failed
from .models import ApiToken, LoginFailure, Moderator, Site, utcnow
from .privacy import hash_token, keyed_hash, new_token

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
PASSWORD_MIN = 10


def check_password(password):
    if not password or len(password) < PASSWORD_MIN:
        raise validation_failed("password", f"A password needs at least {PASSWORD_MIN} characters.")
    return password


def find_moderator(email):
    return db.session.scalar(select(Moderator).where(Moderator.email == email.strip().lower()))


def create_moderator(email, password=None, sites=(), owner=False):
    email = (email or "").strip().lower()
    if not EMAIL.match(email):
        raise validation_failed("email", f"{email!r} is not an e-mail address.")
    if find_moderator(email):
        raise ApiError("conflict", f"An account for {email} exists already.", "email")
    moderator = Moderator(email=email, is_owner=owner,
                          password_hash=generate_password_hash(check_password(password)) if password else None)
    moderator.sites = list(sites)
    db.session.add(moderator)
    db.session.commit()
    return moderator


def change_email(moderator, email):
    """Give an account another address (it logs in with it and its notices go there)."""
    email = (email or "").strip().lower()
    if not EMAIL.match(email):
        raise validation_failed("email", f"{email!r} is not an e-mail address.")
    if email != moderator.email and find_moderator(email):
        raise ApiError("conflict", f"An account for {email} exists already.", "email")
    moderator.email = email
    db.session.commit()


def set_daily_digest(moderator, wanted):
    """Turn the account's daily digest of held and unanswered comments on or off (SPEC 14)."""
    moderator.daily_digest = bool(wanted)
    db.session.commit()


def reaches_a_mailbox(email):
    """Whether mail to `email` can reach a person: `admin@localhost`, made when no address was
    given, cannot (nor any address without a dot in its domain)."""
    domain = (email or "").rpartition("@")[2].lower().rstrip(".")
    return "." in domain and not domain.endswith((".localhost", ".local", ".invalid", ".test"))


def no_accounts_yet():
    return db.session.scalar(select(Moderator.id).limit(1)) is None


def owner_mail_problem():
    """A sentence for the owner when no owner account can receive notices, else None."""
    owners = db.session.scalars(select(Moderator.email).where(Moderator.is_owner).order_by(Moderator.id)).all()
    if not owners or any(reaches_a_mailbox(email) for email in owners):
        return None
    return (f"Notices of held comments cannot reach the owner: {owners[0]} is not a real mailbox. "
            f"Set your address with `tandem user email {owners[0]} you@example.org`, or add an owner "
            "account with your address on the admin's Moderators page.")


def set_password(moderator, password):
    moderator.password_hash = generate_password_hash(check_password(password))
    db.session.commit()


def authenticate(email, password):
    """The moderator with these credentials, or None; the hash is checked even for unknown e-mails."""
    moderator = find_moderator(email or "")
    stored = moderator.password_hash if moderator and moderator.password_hash else _DUMMY_HASH
    if check_password_hash(stored, password or "") and moderator and moderator.password_hash:
        return moderator
    return None


_DUMMY_HASH = generate_password_hash("not a real password, only here to spend the same time")

# Failed logins per account, counted in the database so every worker and host sees the same
# count; the per-network limit (service.limiting) stops one address, this stops many addresses
# guessing one account. Unknown e-mails are counted the same way, so a lock reveals nothing.
FAILURES_ALLOWED = 8
FAILURE_WINDOW = timedelta(minutes=15)


class TooManyFailures(Exception):
    """The account had FAILURES_ALLOWED failed logins within FAILURE_WINDOW; not even the right password opens it."""


def log_in(email, password, secret, now=None):
    """The account for these credentials, or None (the failure is counted); TooManyFailures while locked."""
    now = now or utcnow()
    account_hash = keyed_hash(secret, "login:" + (email or "").strip().lower())
    recent = LoginFailure.account_hash == account_hash, LoginFailure.created > now - FAILURE_WINDOW
    if db.session.scalar(select(func.count()).select_from(LoginFailure).where(*recent)) >= FAILURES_ALLOWED:
        db.session.rollback()
        raise TooManyFailures()
    account = authenticate(email, password)
    forgotten = delete(LoginFailure).where(LoginFailure.account_hash == account_hash)
    if account is None:
        db.session.execute(forgotten.where(LoginFailure.created <= now - FAILURE_WINDOW))
        db.session.add(LoginFailure(account_hash=account_hash, created=now))
    else:
        db.session.execute(forgotten)
    db.session.commit()
    return account


def end_sessions(moderator):
    """End every admin session of the account, in every browser: their generation is no longer current."""
    moderator.session_generation = (moderator.session_generation or 0) + 1


def create_token(moderator, label=None):
    """Make an admin API token; the clear token is returned once and only its hash is kept."""
    token = "tdm_" + new_token()
    db.session.add(ApiToken(moderator_id=moderator.id, token_hash=hash_token(token), label=label))
    db.session.commit()
    return token


LAST_USED_STEP = timedelta(minutes=1)


def moderator_for_token(token):
    """The account an admin API token belongs to, or None; the token and its account come in one query."""
    if not token:
        return None
    found = db.session.execute(select(ApiToken, Moderator).join(Moderator, ApiToken.moderator_id == Moderator.id)
                               .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(False))).first()
    if found is None:
        return None
    record, account = found
    now = utcnow()
    # The tokens page shows minutes: a script's burst of calls writes the token's row once, not once per call.
    if record.last_used is None or now - record.last_used >= LAST_USED_STEP:
        record.last_used = now
        db.session.commit()
    return account


def moderates(moderator: Moderator, site: Site) -> bool:
    return moderator.is_owner or any(own.id == site.id for own in moderator.sites)
