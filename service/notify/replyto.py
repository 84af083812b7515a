"""Signed reply addresses (SPEC 14): `local+TOKEN@domain`, one per notice, bound to its recipient and comment.

A token names who it was sent to (a moderator, or a reader's subscription) and the comment the
mail is about (for a reply notice also the reader's own comment answered), and the day it expires,
signed with the instance secret through itsdangerous. Mail systems may change the case of an
address's local part, so the token uses only lower-case letters and digits besides its dots: the
signature is lower-case base32, and a token is read case-insensitively.
"""

import base64
import hmac
from dataclasses import dataclass
from datetime import timedelta, timezone

from itsdangerous import BadSignature, Signer

from ..models import utcnow

VALID_DAYS = 30
MODERATOR, READER = "m", "r"
_EPOCH_DAY = 86400


class TokenRefused(Exception):
    """A reply address that is forged, altered, malformed or past its time; the message says which."""


@dataclass(frozen=True)
class ReplyToken:
    """What a reply address stands for: `kind` m (moderator) or r (reader), the recipient's id
    (moderator or subscription), the comment the notice was about, and for a reader their own comment."""

    kind: str
    recipient_id: int
    comment_id: int
    own_comment_id: int | None = None


class _LowerCaseSigner(Signer):
    """itsdangerous's Signer with a lower-case base32 signature that survives case-folding mail systems."""

    def get_signature(self, value):
        digest = hmac.new(self.derive_key(), value if isinstance(value, bytes) else value.encode(), "sha256").digest()
        return base64.b32encode(digest[:16]).decode().rstrip("=").lower().encode()

    def verify_signature(self, value, sig):
        return hmac.compare_digest(self.get_signature(value), sig.lower() if isinstance(sig, bytes) else sig.lower().encode())


def _signer(secret):
    return _LowerCaseSigner(secret, salt="tandem-reply-by-mail", sep=".")


def _day(moment):
    """Days since 1970 of a datetime; ours are naive UTC, so the host's time zone never matters."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp()) // _EPOCH_DAY


def make_token(secret, token, now=None):
    """The signed token for `token` (a ReplyToken), valid for VALID_DAYS from `now`."""
    until = _day((now or utcnow()) + timedelta(days=VALID_DAYS))
    parts = [f"{token.kind}{token.recipient_id}", str(token.comment_id)]
    if token.own_comment_id is not None:
        parts.append(str(token.own_comment_id))
    parts.append(_base36(until))
    return _signer(secret).sign(".".join(parts)).decode()


def read_token(secret, signed, now=None):
    """The ReplyToken a signed token stands for, or TokenRefused saying why not."""
    try:
        value = _signer(secret).unsign(signed.lower()).decode()
    except (BadSignature, UnicodeError):
        raise TokenRefused("the reply address is not one Tandem signed (forged or altered)") from None
    *parts, until = value.split(".")
    if _day(now or utcnow()) > int(until, 36):
        raise TokenRefused("the reply address has expired (it is valid for 30 days)")
    kind, recipient = parts[0][:1], int(parts[0][1:])
    if kind == MODERATOR and len(parts) == 2:
        return ReplyToken(kind, recipient, int(parts[1]))
    if kind == READER and len(parts) == 3:
        return ReplyToken(kind, recipient, int(parts[1]), int(parts[2]))
    raise TokenRefused("the reply address is malformed")


def reply_address(reply_to, secret, token, now=None):
    """`local+TOKEN@domain` for the configured `reply_to` (`local@domain`), or None when it is not set."""
    if not reply_to or "@" not in reply_to:
        return None
    local, _, domain = reply_to.rpartition("@")
    return f"{local}+{make_token(secret, token, now)}@{domain}"


def token_in(address, reply_to):
    """The TOKEN of `address` when it is `local+TOKEN@domain` of the configured `reply_to`, else None."""
    if not reply_to or not address or "@" not in address:
        return None
    local, _, domain = reply_to.rpartition("@")
    their_local, _, their_domain = address.strip().rpartition("@")
    prefix = f"{local}+".lower()
    if their_domain.lower() != domain.lower() or not their_local.lower().startswith(prefix):
        return None
    return their_local[len(prefix):] or None


def _base36(number):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out

