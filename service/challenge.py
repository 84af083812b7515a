"""The proof-of-work challenge of SPEC 13: when it is asked, how it is made, how a solution is checked.

Challenges are ALTCHA v1, made and verified by the `altcha` package: `challenge` is the SHA-256
hex of `salt` followed by a secret number up to `maxnumber`, and `signature` its HMAC under a key
derived from the instance's secret. The salt carries the expiry and the site's key, so a
solution is good for ten minutes and on one site only. The package checks expiry against the
clock of the machine; here it is checked against `now`, passed in, so tests move the clock.

Pure: no Flask, no database. Spending a solution once is `challenge_store`'s job.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final

from altcha import ChallengeOptionsV1, create_challenge_v1, extract_params_v1, verify_solution_v1

from .errors import ApiError
from .privacy import keyed_hash

OFF, FIRST_POST, ALWAYS = "off", "first-post", "always"
MODES = (FIRST_POST, ALWAYS, OFF)
LIFETIME = timedelta(minutes=10)
# `challenge_cost` (maxnumber): below a thousand hashes it costs nothing; above ten million a
# slow phone would solve for minutes. The default is in models.DEFAULT_SETTINGS (measured: README).
COST_MIN, COST_MAX = 1_000, 10_000_000
ALGORITHM: Final = "SHA-256"
# A solution is small: base64 of a JSON object with a 64-hex challenge and signature and a short salt.
SOLUTION_MAX = 2000


@dataclass(frozen=True)
class Solved:
    """A solution that checked out: its challenge (the key it is spent under) and when it expires."""

    challenge: str
    expires: datetime


def required(mode: str, trusted: bool) -> bool:
    """Whether a new comment must carry a solution: always, never, or only from an untrusted token."""
    if mode == OFF:
        return False
    return mode == ALWAYS or not trusted


def create(site_key: str, cost: int, secret: str, now: datetime) -> dict:
    """A fresh challenge for `site_key` as the widget receives it (`maxnumber` is the cost)."""
    made = create_challenge_v1(ChallengeOptionsV1(
        algorithm=ALGORITHM, max_number=cost, hmac_key=_key(secret),
        expires=_aware(now + LIFETIME), params={"site": site_key},
    ))
    return {"algorithm": made.algorithm, "challenge": made.challenge, "salt": made.salt,
            "signature": made.signature, "maxnumber": made.max_number}


def verify(solution: object, site_key: str, secret: str, now: datetime) -> Solved:
    """The checked solution, or `400 challenge_failed` naming what is wrong with it."""
    if not solution:
        raise _failed("This comment needs the proof-of-work the comment form solves; please post it again.")
    payload = _payload(solution)
    if payload is None:
        raise _failed("The proof-of-work is not readable.")
    params = extract_params_v1(payload)
    if params.get("site", [None])[0] != site_key:
        raise _failed("The proof-of-work was made for another site.")
    expires = _expiry(params)
    if expires is None or expires <= now:
        raise _failed("The proof-of-work has expired; please post again.")
    good, _ = verify_solution_v1(payload, _key(secret), check_expires=False)
    if not good:
        raise _failed("The proof-of-work is wrong.")
    return Solved(payload["challenge"], expires)


def reused() -> ApiError:
    """The refusal of a solution that was already spent."""
    return _failed("This proof-of-work was used already; please post again.")


def _failed(message):
    return ApiError("challenge_failed", message, "challenge")


def _key(secret):
    """The HMAC key of challenges: derived from the secret, so it is good for nothing else."""
    return keyed_hash(secret, "altcha-challenge")


def _aware(moment):
    """The service keeps naive UTC times; the package reads a naive time as local time."""
    return moment.replace(tzinfo=timezone.utc)


def _payload(solution):
    """The solution's JSON object with the fields and types ALTCHA v1 has, or None.

    The package indexes whatever it is given, so anything else (a list, a number for a salt)
    is turned away here, before it could become a 500."""
    if not isinstance(solution, str) or len(solution) > SOLUTION_MAX:
        return None
    try:
        payload = json.loads(base64.b64decode(solution, validate=True))
    except (binascii.Error, ValueError):
        return None
    strings = ("algorithm", "challenge", "salt", "signature")
    if not isinstance(payload, dict) or not all(isinstance(payload.get(name), str) for name in strings):
        return None
    number = payload.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        return None
    return payload if payload["algorithm"] == ALGORITHM else None


def _expiry(params):
    """When the challenge expires, from its salt (a Unix time), as a naive UTC time; None if unreadable."""
    try:
        stamp = int(params.get("expires", [""])[0])
        return datetime.fromtimestamp(stamp, timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None
