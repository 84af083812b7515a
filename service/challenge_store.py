"""Spending proof-of-work solutions once, across every worker and host (SPEC 13).

A solved challenge is recorded under its challenge hex until it expires; recording it a second
time fails. Without Redis the record is a row of the comment's own transaction, inserted with
"do nothing on conflict": on PostgreSQL a second worker spending the same solution waits for the
first transaction and then inserts nothing; on SQLite writers take turns. A comment refused
after the spend (a closed thread) rolls its spend back with it. With `TANDEM_REDIS_URL` the
record is a Redis key set only if absent, expiring with the challenge: shared by every host that
shares the Redis, and spent even when the comment's write then fails.

The worker deletes expired rows (`purge_spent`); an expired solution is refused before it is
looked up here, so a row kept a little longer changes nothing.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from .challenge import Solved
from .db import changed_rows, db
from .errors import ApiError
from .models import SpentChallenge

_SPEND = {
    dialect: module.insert(SpentChallenge.__table__).on_conflict_do_nothing().returning(SpentChallenge.challenge)
    for dialect, module in (("postgresql", postgresql), ("sqlite", sqlite))
}  # RETURNING tells whether a row went in: psycopg reports no rowcount for this statement
REDIS_PREFIX = "tandem:spent-challenge:"


def spend(solved: Solved, now: datetime) -> bool:
    """Record the solution as used; False when it had been used already."""
    redis = _redis()
    if redis is not None:
        import redis as redis_errors

        seconds = max(1, int((solved.expires - now).total_seconds()) + 1)
        try:
            return bool(redis.set(REDIS_PREFIX + solved.challenge, "1", nx=True, ex=seconds))
        except redis_errors.RedisError:
            # Never accept a solution that might have been spent: no comment until Redis is back.
            raise ApiError("unavailable", "The service cannot check the proof-of-work just now; "
                                          "please try again in a minute.") from None
    connection = db.session.connection()
    inserted = connection.execute(_SPEND[connection.dialect.name],
                                  {"challenge": solved.challenge, "expires": solved.expires})
    return inserted.first() is not None


def purge_spent(now: datetime) -> int:
    """Forget spent solutions whose challenges have expired; the caller commits."""
    return changed_rows(db.session.execute(delete(SpentChallenge).where(SpentChallenge.expires <= now)))


def _redis():
    """The app's Redis client when `TANDEM_REDIS_URL` is set (made on first use, never at import)."""
    url = current_app.config.get("TANDEM_REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("tandem_challenge_redis")
    if client is None:
        import redis

        client = current_app.extensions["tandem_challenge_redis"] = redis.Redis.from_url(url)
    return client
